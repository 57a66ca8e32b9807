#include "io/flat_lexing.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace cryptomood {
namespace {

// The definition, byte by byte, of a string's contents after its opening quote: what
// ScanPlainString must agree with. Returns the length of the contents, or -1 to refuse.
int PlainStringLength(const std::string& line, bool& non_ascii) {
  non_ascii = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const auto byte = static_cast<unsigned char>(line[i]);
    if (byte == '"') return static_cast<int>(i);
    if (byte == '\\' || byte < 0x20) return -1;
    if (byte >= 0x80) non_ascii = true;
  }
  return -1;  // not closed inside the line
}

// Every length across a few words, with each kind of byte at every position, and the bytes
// after the line (inside the padding) set to the same kind: they must never count.
TEST(ScanPlainString, MatchesTheByteByByteDefinition) {
  const std::vector<char> specials = {'"',
                                      '\\',
                                      '\0',
                                      '\n',
                                      '\t',
                                      '\x1f',
                                      '\x7f',
                                      ' ',
                                      static_cast<char>(0x80),
                                      static_cast<char>(0xff)};
  int strings_checked = 0;
  for (std::size_t length = 0; length <= 40; ++length) {
    for (const char special : specials) {
      for (std::size_t at = 0; at <= length; ++at) {
        for (const char after : {'"', 'a'}) {
          std::string line(length, 'a');
          if (at < length) line[at] = special;
          const std::string buffer = line + std::string(64, after);
          bool expected_non_ascii = false;
          const int expected = PlainStringLength(line, expected_non_ascii);
          const char* position = buffer.data();
          std::string_view out;
          bool non_ascii = false;
          const bool ok =
              flat_lexing::ScanPlainString(position, buffer.data() + length, out, non_ascii);
          ASSERT_EQ(ok, expected >= 0) << "length " << length << " at " << at;
          if (ok) {
            ASSERT_EQ(out.size(), static_cast<std::size_t>(expected));
            ASSERT_EQ(out.data(), buffer.data());
            ASSERT_EQ(position, buffer.data() + expected + 1);  // past the closing quote
            ASSERT_EQ(non_ascii, expected_non_ascii) << "length " << length << " at " << at;
          }
          ++strings_checked;
        }
      }
    }
  }
  EXPECT_GT(strings_checked, 15000);
}

// Scans `text` followed by padding; `value.text` is checked here, while the buffer lives.
bool Scan(const std::string& text, FlatValue& value, std::size_t& consumed) {
  const std::string buffer = text + std::string(64, ' ');
  const char* position = buffer.data();
  const bool ok = flat_lexing::ScanNumber(position, buffer.data() + text.size(), value);
  consumed = static_cast<std::size_t>(position - buffer.data());
  if (ok) {
    EXPECT_EQ(value.text.data(), buffer.data());
    EXPECT_EQ(value.text.size(), consumed);
  }
  value.text = {};
  return ok;
}

// Values compared by bits with strtod (a correctly rounding parser outside this code).
TEST(ScanNumber, ValuesAreCorrectlyRounded) {
  for (const char* text : {"0",
                           "-0",
                           "7",
                           "-12",
                           "4068",
                           "9007199254740991",
                           "9007199254740992",
                           "9007199254740993",
                           "-9007199254740993",
                           "18014398509481985",
                           "9223372036854775807",
                           "9223372036854775808",
                           "-9223372036854775808",
                           "0.5",
                           "-0.0",
                           "6300.046731369446",
                           "1e3",
                           "1E-3",
                           "2.5e+2",
                           "5e-324",
                           "1.7976931348623157e308"}) {
    FlatValue value;
    std::size_t consumed = 0;
    ASSERT_TRUE(Scan(text, value, consumed)) << text;
    EXPECT_EQ(consumed, std::string_view(text).size()) << text;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(value.number),
              std::bit_cast<std::uint64_t>(std::strtod(text, nullptr)))
        << text;
  }
}

TEST(ScanNumber, IntegersFitInt64OrAreNotIntegers) {
  FlatValue value;
  std::size_t consumed = 0;
  ASSERT_TRUE(Scan("-9223372036854775808", value, consumed));
  EXPECT_TRUE(value.is_int64);
  EXPECT_EQ(value.integer, INT64_MIN);
  ASSERT_TRUE(Scan("9223372036854775808", value, consumed));
  EXPECT_FALSE(value.is_int64);
  ASSERT_TRUE(Scan("12.0", value, consumed));
  EXPECT_FALSE(value.is_int64);
  ASSERT_TRUE(Scan("1e2", value, consumed));
  EXPECT_FALSE(value.is_int64);
  ASSERT_TRUE(Scan("-0", value, consumed));
  EXPECT_TRUE(value.is_int64);
  EXPECT_EQ(value.integer, 0);
}

TEST(ScanNumber, StopsAtTheFirstByteOutsideTheNumber) {
  FlatValue value;
  std::size_t consumed = 0;
  ASSERT_TRUE(Scan("12, ", value, consumed));
  EXPECT_EQ(consumed, 2u);
  ASSERT_TRUE(Scan("01", value, consumed));  // "0", then a '1' the caller must reject
  EXPECT_EQ(consumed, 1u);
  ASSERT_TRUE(Scan("1.5}", value, consumed));
  EXPECT_EQ(consumed, 3u);
}

TEST(ScanNumber, OutsideTheGrammarOrRange) {
  for (const char* text : {"", "-", "+1", ".5", "1.", "1e", "1e+", "-x", "x", "1e99999", "1e400",
                           "0e12345", "NaN", "Infinity"}) {
    FlatValue value;
    std::size_t consumed = 0;
    EXPECT_FALSE(Scan(text, value, consumed)) << text;
  }
}

}  // namespace
}  // namespace cryptomood
