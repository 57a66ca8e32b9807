// CsvLineSplitter: splits one line of a CSV file into its fields as RFC 4180 has them: fields
// are separated by commas; a field that starts with a quote runs to the matching quote, a
// doubled quote inside it standing for one quote. A line ending in CR (CRLF files) drops it.
// A line break inside a quoted field cannot be read: the inputs are split into lines first,
// so such a field shows as an unclosed quote and the line is rejected with that reason.
// Fields are views into the line (unquoted fields, quoted fields without a doubled quote) or
// into the splitter's buffer (quoted fields with one): valid until the next Split call and
// while the line's bytes are.
// Thread-safety: one splitter per thread; it keeps its buffers across lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cryptomood {

class CsvLineSplitter {
 public:
  // Fills fields() with the fields of `line` (which excludes its newline). Fails with the
  // reason the line is rejected: an unclosed quote, text after a closing quote, or a quote
  // inside a field that does not start with one.
  Status Split(std::string_view line);
  const std::vector<std::string_view>& fields() const { return fields_; }

 private:
  // Reads the quoted field starting at line[start] (a quote); returns the offset just past
  // its closing quote.
  Result<std::size_t> SplitQuoted(std::string_view line, std::size_t start);

  std::vector<std::string_view> fields_;
  std::string unquoted_;  // reserved to the line's size first, so views into it stay valid
};

// The line without one trailing CR.
std::string_view WithoutCarriageReturn(std::string_view line);

}  // namespace cryptomood
