// EscapeForTerminal: text that may come from input (file names, raw values, reasons quoting
// them, result cells) made safe to print on a terminal. Control characters (bytes below
// 0x20, DEL, and the C1 controls U+0080 to U+009F) and bytes that are not UTF-8 become
// \xHH, so no escape sequence, bell or backspace reaches the terminal and invisible bytes
// show. Printable ASCII and valid UTF-8 of other characters pass unchanged.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace cryptomood {

std::string EscapeForTerminal(std::string_view text);

}  // namespace cryptomood
