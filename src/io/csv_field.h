// CSV quoting as RFC 4180 has it: a field holding a comma, quote or line break is quoted,
// with quotes doubled; anything else goes out as it is. Shared by every CSV writer.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace cryptomood {

void AppendCsvField(std::string& out, std::string_view text);

}  // namespace cryptomood
