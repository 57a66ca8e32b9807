#include "io/flat_json_object.h"

#include <gtest/gtest.h>

#include <string>

namespace cryptomood {
namespace {

class FlatJsonObjectTest : public ::testing::Test {
 protected:
  bool Scan(const std::string& line) {
    buffer_ = line + std::string(simdjson::SIMDJSON_PADDING, ' ');
    return scanner_.Scan(simdjson::padded_string_view(buffer_.data(), line.size(), buffer_.size()));
  }

  FlatJsonObject scanner_;
  std::string buffer_;
};

TEST_F(FlatJsonObjectTest, ScansTheUsualShape) {
  ASSERT_TRUE(Scan(R"( {"coins": ["ETH", "BTC"], "price": 427.5, "sequence": -12, "n": 0,)"
                   R"( "e": 1.5e-3, "symbol_id": "A_B_C_D", "empty": [], "s": ""} )"));
  auto fields = scanner_.fields();
  ASSERT_EQ(fields.size(), 8u);
  EXPECT_EQ(fields[0].key, "coins");
  EXPECT_EQ(fields[0].value.kind, FlatValue::Kind::kStringArray);
  ASSERT_EQ(fields[0].value.items.size(), 2u);
  EXPECT_EQ(fields[0].value.items[1], "BTC");
  EXPECT_EQ(fields[1].value.kind, FlatValue::Kind::kNumber);
  EXPECT_EQ(fields[1].value.number, 427.5);
  EXPECT_FALSE(fields[1].value.is_int64);
  EXPECT_TRUE(fields[2].value.is_int64);
  EXPECT_EQ(fields[2].value.integer, -12);
  EXPECT_EQ(fields[2].value.number, -12.0);
  EXPECT_TRUE(fields[3].value.is_int64);
  EXPECT_EQ(fields[4].value.number, 0.0015);
  EXPECT_EQ(fields[5].value.kind, FlatValue::Kind::kString);
  EXPECT_EQ(fields[5].value.text, "A_B_C_D");
  EXPECT_TRUE(fields[6].value.items.empty());
  EXPECT_EQ(fields[7].value.text, "");
  EXPECT_TRUE(Scan("{}"));
  EXPECT_TRUE(scanner_.fields().empty());
}

TEST_F(FlatJsonObjectTest, LongStringsAcrossManyWords) {
  const std::string text(1000, 'x');
  ASSERT_TRUE(Scan(R"({"text": ")" + text + R"("})"));
  EXPECT_EQ(scanner_.fields()[0].value.text, text);
}

TEST_F(FlatJsonObjectTest, ValidUtf8IsKeptInvalidIsLeftToSimdjson) {
  ASSERT_TRUE(Scan("{\"text\": \"caf\xc3\xa9 \xf0\x9f\x9a\x80\"}"));
  EXPECT_EQ(scanner_.fields()[0].value.text, "caf\xc3\xa9 \xf0\x9f\x9a\x80");
  EXPECT_FALSE(Scan("{\"text\": \"caf\xe9\"}"));
}

TEST_F(FlatJsonObjectTest, AnythingElseIsLeftToSimdjson) {
  for (const char* line : {"",
                           "   ",
                           "[]",
                           "{",
                           "}",
                           R"({"a": 1} x)",
                           R"({"a": 1}{})",
                           R"({"a" 1})",
                           R"({"a": 1,})",
                           R"({,"a": 1})",
                           R"({"a": 1 "b": 2})",
                           R"({a: 1})",
                           R"({"a": "x\"y"})",
                           R"({"a\u0062": 1})",
                           R"({"a": "tab	here"})",
                           R"({"a": true})",
                           R"({"a": null})",
                           R"({"a": {"b": 1}})",
                           R"({"a": [1]})",
                           R"({"a": ["x", 1]})",
                           R"({"a": ["x",]})",
                           R"({"a": 01})",
                           R"({"a": 1.})",
                           R"({"a": .5})",
                           R"({"a": +1})",
                           R"({"a": -})",
                           R"({"a": 1e})",
                           R"({"a": 1e999})",
                           R"({"a": "unclosed})",
                           R"({"a": 0x10})",
                           R"({"a": NaN})"}) {
    EXPECT_FALSE(Scan(line)) << line;
  }
}

TEST_F(FlatJsonObjectTest, IntegersBeyondInt64AreNumbersButNotIntegers) {
  ASSERT_TRUE(Scan(R"({"a": 9223372036854775808, "b": -9223372036854775808})"));
  EXPECT_FALSE(scanner_.fields()[0].value.is_int64);
  EXPECT_EQ(scanner_.fields()[0].value.number, 9223372036854775808.0);
  EXPECT_TRUE(scanner_.fields()[1].value.is_int64);
}

TEST_F(FlatJsonObjectTest, NeverLooksPastTheLine) {
  // The bytes after the line (here a quote and a brace) must not complete it.
  buffer_ = std::string(R"({"a": "b)") + R"("})" + std::string(simdjson::SIMDJSON_PADDING, ' ');
  EXPECT_FALSE(scanner_.Scan(simdjson::padded_string_view(buffer_.data(), 8, buffer_.size())));
}

}  // namespace
}  // namespace cryptomood
