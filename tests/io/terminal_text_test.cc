#include "io/terminal_text.h"

#include <gtest/gtest.h>

#include <string>

namespace cryptomood {
namespace {

TEST(EscapeForTerminal, ControlCharactersBecomeHexEscapes) {
  EXPECT_EQ(EscapeForTerminal("\x1b[31mred\x1b[0m\a"), "\\x1b[31mred\\x1b[0m\\x07");
  EXPECT_EQ(EscapeForTerminal(std::string("BTC\0", 4)), "BTC\\x00");
  EXPECT_EQ(EscapeForTerminal("a\tb\rc\nd\x7f"), "a\\x09b\\x0dc\\x0ad\\x7f");
  // C1 controls (U+009B is a one-byte CSI on some terminals) and bytes that are not UTF-8.
  EXPECT_EQ(EscapeForTerminal("x\xc2\x9b"
                              "2J"),
            "x\\xc2\\x9b2J");
  EXPECT_EQ(EscapeForTerminal("caf\xe9!"), "caf\\xe9!");
  EXPECT_EQ(EscapeForTerminal("\xe2\x82"), "\\xe2\\x82");
  EXPECT_EQ(EscapeForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
}

TEST(EscapeForTerminal, PrintableTextPassesUnchanged) {
  EXPECT_EQ(EscapeForTerminal("COINBASE_SPOT_BTC_USD: 3 lines"), "COINBASE_SPOT_BTC_USD: 3 lines");
  EXPECT_EQ(EscapeForTerminal("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x80");
  EXPECT_EQ(EscapeForTerminal(""), "");
}

}  // namespace
}  // namespace cryptomood
