#include "io/json_writer.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>

namespace cryptomood {
namespace {

std::string DoubleText(double value) {
  JsonWriter writer;
  writer.Double(value);
  return std::string(writer.view());
}

std::string StringText(std::string_view value) {
  JsonWriter writer;
  writer.String(value);
  return std::string(writer.view());
}

TEST(JsonWriterTest, DoublesUseTheShortestForm) {
  EXPECT_EQ(DoubleText(0.1), "0.1");
  EXPECT_EQ(DoubleText(-2.5), "-2.5");
  EXPECT_EQ(DoubleText(427.92187479239936), "427.92187479239936");
  EXPECT_EQ(DoubleText(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(DoubleText(1e21), "1e+21");
  EXPECT_EQ(DoubleText(1e-7), "1e-07");
  EXPECT_EQ(DoubleText(5e-324), "5e-324");
}

TEST(JsonWriterTest, IntegralDoublesKeepAFractionPart) {
  EXPECT_EQ(DoubleText(5), "5.0");
  EXPECT_EQ(DoubleText(0), "0.0");
  EXPECT_EQ(DoubleText(-0.0), "-0.0");
  EXPECT_EQ(DoubleText(-1), "-1.0");
  EXPECT_EQ(DoubleText(123456), "123456.0");
}

TEST(JsonWriterTest, NonFiniteDoublesAreNull) {
  EXPECT_EQ(DoubleText(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(DoubleText(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(DoubleText(-std::numeric_limits<double>::infinity()), "null");
}

TEST(JsonWriterTest, RandomDoublesRoundTripExactly) {
  std::mt19937_64 bits(12345);  // the bit stream of mt19937_64 is fixed by the standard
  int checked = 0;
  for (int draw = 0; draw < 200'000; ++draw) {
    // Half arbitrary bit patterns (every exponent), half ordinary magnitudes.
    double value = std::bit_cast<double>(bits());
    if (draw % 2 == 1) value = static_cast<double>(bits() >> 11) * 1e-6 - 4e9;
    if (!std::isfinite(value)) continue;
    const std::string text = DoubleText(value);
    char* end = nullptr;
    const double read_back = std::strtod(text.c_str(), &end);
    ASSERT_EQ(end, text.c_str() + text.size()) << text;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(read_back), std::bit_cast<std::uint64_t>(value)) << text;
    ++checked;
  }
  EXPECT_GT(checked, 190'000);
}

TEST(JsonWriterTest, DoubleTextIsAJsonNumber) {
  for (const double value :
       {1e21, 1e-7, 5.0, -0.0, 1.7976931348623157e308, 2.2250738585072014e-308}) {
    const nlohmann::json parsed = nlohmann::json::parse(DoubleText(value));
    ASSERT_TRUE(parsed.is_number_float()) << DoubleText(value);
    EXPECT_EQ(parsed.get<double>(), value);
  }
}

TEST(JsonWriterTest, AppendDoubleTextWritesAtTheCursor) {
  char buffer[kMaxDoubleTextLength + 1] = "x";
  char* const end = AppendDoubleText(buffer + 1, 2);
  EXPECT_EQ(std::string(buffer, end), "x2.0");
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(StringText("say \"hi\""), R"("say \"hi\"")");
  EXPECT_EQ(StringText("back\\slash"), R"("back\\slash")");
  EXPECT_EQ(StringText("tab\tnew\nline\r"), R"("tab\tnew\nline\r")");
  EXPECT_EQ(StringText(std::string("nul\0bell\x07", 9)), R"("nul\u0000bell\u0007")");
  EXPECT_EQ(StringText("\x1f"), R"("\u001F")");
  const std::string all_controls = [] {
    std::string text;
    for (char c = 1; c < 0x20; ++c) text += c;
    return text;
  }();
  EXPECT_EQ(nlohmann::json::parse(StringText(all_controls)).get<std::string>(), all_controls);
}

// Every ASCII byte, alone and inside longer text, as a value and as a key: the fast path for
// text needing no escapes and RapidJSON's escaping path must both give JSON that an
// independent parser reads back as the same text.
TEST(JsonWriterTest, EveryAsciiByteReadsBackThroughBothPaths) {
  for (int byte = 0; byte < 0x80; ++byte) {
    const char c = static_cast<char>(byte);
    for (const std::string& text : {std::string(1, c), "ab" + std::string(1, c) + "cd",
                                    std::string(40, 'x') + std::string(1, c)}) {
      JsonWriter writer;
      writer.StartObject();
      writer.Key(text);
      writer.String(text);
      writer.EndObject();
      const auto parsed = nlohmann::json::parse(writer.view());
      ASSERT_EQ(parsed.size(), 1u) << byte;
      EXPECT_EQ(parsed.begin().key(), text) << byte;
      EXPECT_EQ(parsed.begin().value(), text) << byte;
    }
  }
}

TEST(JsonWriterTest, ValidUtf8PassesThroughUnchanged) {
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E \xF4\x8F\xBF\xBF";
  EXPECT_EQ(StringText(text), "\"" + text + "\"");
}

TEST(JsonWriterTest, InvalidUtf8BytesBecomeReplacementCharacters) {
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(StringText("a\xFF"
                       "b"),
            "\"a" + replacement + "b\"");
  EXPECT_EQ(StringText("\xC0\xAF"), "\"" + replacement + replacement + "\"");  // overlong '/'
  EXPECT_EQ(StringText("\xED\xA0\x80"),                                        // a UTF-16 surrogate
            "\"" + replacement + replacement + replacement + "\"");
  EXPECT_EQ(StringText("\xF4\x90\x80\x80"),  // past U+10FFFF
            "\"" + replacement + replacement + replacement + replacement + "\"");
  EXPECT_EQ(StringText("end\xE2\x82"), "\"end" + replacement + replacement + "\"");  // truncated
  for (const char* broken : {"\x80", "\xE2\x28\xA1", "ok\xF0\x9F\x98", "\xC3"}) {
    EXPECT_TRUE(nlohmann::json::parse(StringText(broken)).is_string()) << broken;
  }
}

TEST(JsonWriterTest, RepairUtf8ReturnsValidTextItself) {
  std::string storage = "untouched";
  const std::string_view text = "plain \xC3\xA9";
  EXPECT_EQ(RepairUtf8(text, storage).data(), text.data());
  EXPECT_EQ(storage, "untouched");
}

TEST(JsonWriterTest, NestsObjectsAndArrays) {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("a");
  writer.StartArray();
  writer.Int(1);
  writer.Int(-2);
  writer.StartObject();
  writer.Key("b");
  writer.Null();
  writer.Key("c");
  writer.Bool(true);
  writer.Key("d");
  writer.OptionalDouble(std::nullopt);
  writer.Key("e");
  writer.OptionalDouble(0.25);
  writer.EndObject();
  writer.StartArray();
  writer.EndArray();
  writer.EndArray();
  writer.Key("k\"ey");
  writer.String("");
  writer.EndObject();
  EXPECT_EQ(writer.view(), R"({"a":[1,-2,{"b":null,"c":true,"d":null,"e":0.25},[]],"k\"ey":""})");
}

TEST(JsonWriterTest, IntegersCoverTheInt64Range) {
  JsonWriter writer;
  writer.StartArray();
  writer.Int(std::numeric_limits<std::int64_t>::min());
  writer.Int(std::numeric_limits<std::int64_t>::max());
  writer.Int(0);
  writer.EndArray();
  EXPECT_EQ(writer.view(), "[-9223372036854775808,9223372036854775807,0]");
}

TEST(JsonWriterTest, TimestampsAreRfc3339WithMicroseconds) {
  JsonWriter writer;
  writer.StartArray();
  // 2018-07-16T00:00:00Z is 17728 days after the epoch: 1531699200 s.
  writer.Timestamp(1'531'699'200'123'456'789);
  writer.Timestamp(0);
  writer.EndArray();
  EXPECT_EQ(writer.view(), R"(["2018-07-16T00:00:00.123456Z","1970-01-01T00:00:00.000000Z"])");
}

TEST(JsonWriterTest, DiscardTextKeepsTheNesting) {
  JsonWriter writer;
  std::string whole;
  writer.StartArray();
  for (int i = 0; i < 3; ++i) {
    writer.Int(i);
    whole += writer.view();
    writer.DiscardText();
  }
  writer.EndArray();
  whole += writer.view();
  EXPECT_EQ(whole, "[0,1,2]");
}

TEST(JsonWriterTest, EndLineLetsAnotherValueFollow) {
  JsonWriter writer;
  writer.StartObject();
  writer.EndObject();
  writer.EndLine();
  writer.String("next");
  writer.EndLine();
  EXPECT_EQ(writer.view(), "{}\n\"next\"\n");
}

TEST(JsonWriterTest, ClearStartsTheNextLineInTheSameWriter) {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("first");
  writer.Int(1);
  writer.EndObject();
  EXPECT_EQ(writer.view(), R"({"first":1})");
  writer.Clear();
  EXPECT_EQ(writer.view(), "");
  writer.StartArray();
  writer.Double(1.5);
  writer.EndArray();
  EXPECT_EQ(writer.view(), "[1.5]");
}

}  // namespace
}  // namespace cryptomood
