#include "io/fixed_layout_scanner.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

namespace cryptomood {
namespace {

constexpr std::array<std::string_view, 4> kKeys = {"coins", "price", "symbol_id", "note"};
constexpr std::array<FlatValue::Kind, 4> kKinds = {
    FlatValue::Kind::kStringArray, FlatValue::Kind::kNumber, FlatValue::Kind::kString,
    FlatValue::Kind::kString};

const std::string kLine =
    R"({"coins": ["ETH", "BTC"], "price": 427.5, "symbol_id": "A_B_ETH_USD", "note": ""})";

class FixedLayoutScannerTest : public ::testing::Test {
 protected:
  // The line, then padding made of `padding` bytes (which must never matter).
  bool Scan(const std::string& line, char padding = ' ') {
    buffer_ = line + std::string(simdjson::SIMDJSON_PADDING, padding);
    return scanner_.Scan(simdjson::padded_string_view(buffer_.data(), line.size(), buffer_.size()));
  }

  FixedLayoutScanner scanner_{kKeys, kKinds};
  std::string buffer_;
};

TEST_F(FixedLayoutScannerTest, ReadsTheLayout) {
  ASSERT_TRUE(Scan(kLine));
  auto values = scanner_.values();
  ASSERT_EQ(values.size(), 4u);
  EXPECT_EQ(values[0].kind, FlatValue::Kind::kStringArray);
  ASSERT_EQ(values[0].items.size(), 2u);
  EXPECT_EQ(values[0].items[0], "ETH");
  EXPECT_EQ(values[0].items[1], "BTC");
  EXPECT_EQ(values[1].kind, FlatValue::Kind::kNumber);
  EXPECT_EQ(values[1].number, 427.5);
  EXPECT_FALSE(values[1].is_int64);
  EXPECT_EQ(values[2].kind, FlatValue::Kind::kString);
  EXPECT_EQ(values[2].text, "A_B_ETH_USD");
  EXPECT_EQ(values[3].text, "");
}

TEST_F(FixedLayoutScannerTest, ArraysOfAnyLengthAndLaterLinesReplaceEarlierOnes) {
  ASSERT_TRUE(Scan(R"({"coins": [], "price": 1, "symbol_id": "s", "note": "n"})"));
  EXPECT_TRUE(scanner_.values()[0].items.empty());
  EXPECT_TRUE(scanner_.values()[1].is_int64);
  EXPECT_EQ(scanner_.values()[1].integer, 1);
  std::string many = R"({"coins": [)";
  for (int i = 0; i < 100; ++i) many += (i > 0 ? ", \"" : "\"") + std::to_string(i) + "\"";
  ASSERT_TRUE(Scan(many + R"(], "price": 2, "symbol_id": "s", "note": "n"})"));
  ASSERT_EQ(scanner_.values()[0].items.size(), 100u);
  EXPECT_EQ(scanner_.values()[0].items[99], "99");
  EXPECT_EQ(scanner_.values()[1].number, 2.0);
}

TEST_F(FixedLayoutScannerTest, ValidUtf8IsKeptInvalidIsRefused) {
  ASSERT_TRUE(
      Scan("{\"coins\": [\"\xc3\xa9\"], \"price\": 1, \"symbol_id\": \"s\", "
           "\"note\": \"caf\xc3\xa9 \xf0\x9f\x9a\x80\"}"));
  EXPECT_EQ(scanner_.values()[3].text, "caf\xc3\xa9 \xf0\x9f\x9a\x80");
  EXPECT_FALSE(Scan("{\"coins\": [], \"price\": 1, \"symbol_id\": \"s\", \"note\": \"caf\xe9\"}"));
}

// Valid JSON in another layout, and anything outside the flat subset, is left to the
// general paths.
TEST_F(FixedLayoutScannerTest, AnyOtherLineIsRefused) {
  for (const std::string& line : {
           std::string(""),
           std::string("{}"),
           " " + kLine,
           kLine + " ",
           kLine + "\r",
           kLine + "}",
           kLine.substr(0, kLine.size() - 1),
           std::string(R"({"coins":["ETH", "BTC"], "price": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH","BTC"], "price": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH", "BTC"],"price": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({ "coins": ["ETH"], "price": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({"price": 427.5, "coins": ["ETH"], "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 427.5, "symbol_id": "s"})"),
           std::string(
               R"({"coins": ["ETH"], "price": 427.5, "symbol_id": "s", "note": "", "x": 1})"),
           std::string(R"({"coins": ["ETH"], "prices": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": "427.5", "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": "ETH", "price": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH", 1], "price": 427.5, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 427.5, "symbol_id": 7, "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 01, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 1e999, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 1x, "symbol_id": "s", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 1, "symbol_id": "s\"t", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 1, "symbol_id": "s\u0041", "note": ""})"),
           std::string(R"({"coins": ["ETH"], "price": 1, "symbol_id": "s", "note": "a	b"})"),
           std::string(R"({"coins": ["ETH"], "price": 1, "symbol_id": "s", "note": "unclosed})"),
           std::string(R"({"coins": ["ETH"], "price": 1, "symbol_id": "s", "note": null})"),
           std::string(R"({"coins": ["ETH"], "price": 1, "symbol_id": "s", "no\te": ""})"),
       }) {
    EXPECT_FALSE(Scan(line)) << line;
  }
}

// The bytes after the line may complete it (a quote, a brace); they must not be used.
TEST_F(FixedLayoutScannerTest, NeverLooksPastTheLine) {
  const std::string cut = kLine.substr(0, kLine.size() - 2);  // ends inside "note"'s value
  buffer_ = cut + "\"}" + std::string(simdjson::SIMDJSON_PADDING, '"');
  EXPECT_FALSE(
      scanner_.Scan(simdjson::padded_string_view(buffer_.data(), cut.size(), buffer_.size())));
  EXPECT_FALSE(Scan(kLine.substr(0, kLine.size() - 1), '}'));
  // A key cut short by the end of the line, the rest of it in the padding.
  const std::string key_cut = R"({"coins": [], "price": 1, "symbol_id": "s", "no)";
  buffer_ = key_cut + R"(te": ""})" + std::string(simdjson::SIMDJSON_PADDING, ' ');
  EXPECT_FALSE(
      scanner_.Scan(simdjson::padded_string_view(buffer_.data(), key_cut.size(), buffer_.size())));
}

// Separators longer than the part compared at once: every byte of a long key still counts.
TEST(FixedLayoutScannerLongKeys, EveryByteOfALongKeyCounts) {
  const std::string key = "a_field_name_much_longer_than_thirty_two_bytes_in_all";
  const std::array<std::string_view, 2> keys = {"id", key};
  const std::array<FlatValue::Kind, 2> kinds = {FlatValue::Kind::kNumber, FlatValue::Kind::kString};
  FixedLayoutScanner scanner(keys, kinds);
  auto scan = [&](const std::string& line) {
    const std::string buffer = line + std::string(simdjson::SIMDJSON_PADDING, ' ');
    return scanner.Scan(simdjson::padded_string_view(buffer.data(), line.size(), buffer.size()));
  };
  ASSERT_TRUE(scan(R"({"id": 1, ")" + key + R"(": "v"})"));
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string changed = key;
    changed[i] = 'Z';
    EXPECT_FALSE(scan(R"({"id": 1, ")" + changed + R"(": "v"})")) << changed;
  }
}

}  // namespace
}  // namespace cryptomood
