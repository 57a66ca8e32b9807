#include "core/state_codec.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace cryptomood {
namespace {

constexpr std::uint32_t kKind = StateKind("TEST");
constexpr std::uint32_t kVersion = 3;

std::uint64_t Bits(double value) { return std::bit_cast<std::uint64_t>(value); }

// Every value of interest for doubles, compared by bit pattern.
std::vector<double> SpecialDoubles() {
  using Limits = std::numeric_limits<double>;
  return {0.0,
          -0.0,
          1.0,
          -1.5,
          Limits::infinity(),
          -Limits::infinity(),
          Limits::quiet_NaN(),
          -Limits::quiet_NaN(),
          std::bit_cast<double>(std::uint64_t{0x7FF0'0000'0000'0001}),  // signalling NaN payload
          std::bit_cast<double>(std::uint64_t{0x7FF8'DEAD'BEEF'0001}),  // quiet NaN payload
          Limits::denorm_min(),
          -Limits::denorm_min(),
          Limits::min() / 3.0,  // denormal
          Limits::min(),
          Limits::max(),
          Limits::lowest(),
          Limits::epsilon()};
}

TEST(StateCodecTest, ChecksumIsCrc32c) {
  EXPECT_EQ(StateChecksum("123456789"), 0xE3069283U);
  EXPECT_EQ(StateChecksum(""), 0U);
}

TEST(StateCodecTest, FixedWidthValuesRoundTrip) {
  std::mt19937_64 engine(20240611);
  for (int round = 0; round < 200; ++round) {
    const auto u8 = static_cast<std::uint8_t>(engine());
    const bool flag = (engine() & 1U) != 0;
    const auto i32 = static_cast<std::int32_t>(engine());
    const auto u32 = static_cast<std::uint32_t>(engine());
    const auto i64 = static_cast<std::int64_t>(engine());
    const std::uint64_t u64 = engine();
    const double f64 = std::bit_cast<double>(engine());  // any bit pattern, NaNs included
    StateWriter writer;
    writer.WriteU8(u8);
    writer.WriteBool(flag);
    writer.WriteI32(i32);
    writer.WriteU32(u32);
    writer.WriteI64(i64);
    writer.WriteU64(u64);
    writer.WriteF64(f64);
    EXPECT_EQ(writer.bytes().size(), 1U + 1 + 4 + 4 + 8 + 8 + 8);
    StateReader reader(writer.bytes());
    EXPECT_EQ(*reader.ReadU8(), u8);
    EXPECT_EQ(*reader.ReadBool(), flag);
    EXPECT_EQ(*reader.ReadI32(), i32);
    EXPECT_EQ(*reader.ReadU32(), u32);
    EXPECT_EQ(*reader.ReadI64(), i64);
    EXPECT_EQ(*reader.ReadU64(), u64);
    EXPECT_EQ(Bits(*reader.ReadF64()), Bits(f64));
    EXPECT_TRUE(reader.ExpectEnd().ok());
  }
}

TEST(StateCodecTest, EncodingIsLittleEndian) {
  StateWriter writer;
  writer.WriteU32(0x04030201U);
  writer.WriteI64(-2);
  EXPECT_EQ(writer.bytes(), std::string("\x01\x02\x03\x04\xFE\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 12));
}

TEST(StateCodecTest, SpecialDoublesRoundTripByBits) {
  StateWriter writer;
  for (const double value : SpecialDoubles()) writer.WriteF64(value);
  StateReader reader(writer.bytes());
  for (const double value : SpecialDoubles()) {
    const Result<double> read = reader.ReadF64();
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(Bits(*read), Bits(value));
  }
  EXPECT_TRUE(reader.ExpectEnd().ok());
}

TEST(StateCodecTest, CompositeValuesRoundTrip) {
  const std::vector<double> doubles = SpecialDoubles();
  const std::optional<std::int64_t> some = -42;
  const std::optional<std::int64_t> none;
  const std::deque<std::int32_t> deque = {1, -2, 3};
  const std::map<std::int64_t, std::vector<double>> map = {{-5, {1.0, -0.0}}, {7, {}}};
  const std::string text("with\0nul", 8);
  StateWriter writer;
  EncodeValue(writer, doubles);
  EncodeValue(writer, some);
  EncodeValue(writer, none);
  EncodeValue(writer, deque);
  EncodeValue(writer, map);
  EncodeValue(writer, text);
  EncodeValue(writer, std::string());

  StateReader reader(writer.bytes());
  std::vector<double> read_doubles;
  std::optional<std::int64_t> read_some;
  std::optional<std::int64_t> read_none = 1;
  std::deque<std::int32_t> read_deque = {9};
  std::map<std::int64_t, std::vector<double>> read_map = {{100, {}}};
  std::string read_text;
  std::string read_empty = "x";
  ASSERT_TRUE(DecodeValue(reader, read_doubles).ok());
  ASSERT_TRUE(DecodeValue(reader, read_some).ok());
  ASSERT_TRUE(DecodeValue(reader, read_none).ok());
  ASSERT_TRUE(DecodeValue(reader, read_deque).ok());
  ASSERT_TRUE(DecodeValue(reader, read_map).ok());
  ASSERT_TRUE(DecodeValue(reader, read_text).ok());
  ASSERT_TRUE(DecodeValue(reader, read_empty).ok());
  EXPECT_TRUE(reader.ExpectEnd().ok());

  ASSERT_EQ(read_doubles.size(), doubles.size());
  for (std::size_t i = 0; i < doubles.size(); ++i)
    EXPECT_EQ(Bits(read_doubles[i]), Bits(doubles[i]));
  EXPECT_EQ(read_some, some);
  EXPECT_EQ(read_none, none);
  EXPECT_EQ(read_deque, deque);
  ASSERT_EQ(read_map.size(), 2U);
  EXPECT_EQ(Bits(read_map.at(-5).at(1)), Bits(-0.0));
  EXPECT_TRUE(read_map.at(7).empty());
  EXPECT_EQ(read_text, text);
  EXPECT_EQ(read_empty, "");
}

TEST(StateCodecTest, ReadsPastTheEndFailWithoutMovingOn) {
  StateWriter writer;
  writer.WriteU32(7);
  StateReader reader(writer.bytes());
  EXPECT_FALSE(reader.ReadU64().ok());
  EXPECT_FALSE(reader.ReadF64().ok());
  EXPECT_EQ(*reader.ReadU32(), 7U);
  EXPECT_FALSE(reader.ReadU8().ok());
  EXPECT_FALSE(reader.ReadBool().ok());
  EXPECT_FALSE(reader.ReadString().ok());
}

TEST(StateCodecTest, FlagBytesOtherThanZeroOrOneAreRejected) {
  StateWriter writer;
  writer.WriteU8(2);
  StateReader reader(writer.bytes());
  EXPECT_FALSE(reader.ReadBool().ok());
}

TEST(StateCodecTest, HostileLengthsAreRejectedBeforeAllocating) {
  for (const std::uint64_t length :
       {std::uint64_t{1} << 62, std::numeric_limits<std::uint64_t>::max(), std::uint64_t{17}}) {
    StateWriter writer;
    writer.WriteU64(length);
    writer.WriteU64(0);  // 8 bytes follow: fewer than any of the lengths claims
    writer.WriteU64(0);
    // Sealed properly, so that only the length itself is wrong.
    const std::string blob = SealState(kKind, kVersion, writer.bytes());
    {
      Result<StateReader> reader = OpenState(blob, kKind, kVersion);
      ASSERT_TRUE(reader.ok());
      EXPECT_FALSE(reader->ReadString().ok());
    }
    {
      Result<StateReader> reader = OpenState(blob, kKind, kVersion);
      std::vector<double> doubles;
      EXPECT_FALSE(DecodeValue(*reader, doubles).ok());
    }
    {
      Result<StateReader> reader = OpenState(blob, kKind, kVersion);
      std::map<std::int64_t, std::vector<double>> map;
      EXPECT_FALSE(DecodeValue(*reader, map).ok());
    }
  }
  // Two doubles need 16 bytes: a count of 2 over 15 is rejected, over 16 accepted.
  StateWriter writer;
  writer.WriteU64(2);
  writer.WriteF64(1.0);
  const std::string exact = writer.bytes() + std::string(8, '\0');
  std::vector<double> doubles;
  StateReader short_reader(std::string_view(exact).substr(0, exact.size() - 1));
  EXPECT_FALSE(DecodeValue(short_reader, doubles).ok());
  StateReader exact_reader(exact);
  EXPECT_TRUE(DecodeValue(exact_reader, doubles).ok());
  EXPECT_EQ(doubles.size(), 2U);
}

TEST(StateCodecTest, MapKeysOutOfOrderAreRejected) {
  StateWriter writer;
  writer.WriteU64(2);
  writer.WriteI64(5);
  writer.WriteF64(1.0);
  writer.WriteI64(5);  // a duplicate key would silently drop an entry
  writer.WriteF64(2.0);
  StateReader reader(writer.bytes());
  std::map<std::int64_t, double> map = {{1, 1.0}};
  EXPECT_FALSE(DecodeValue(reader, map).ok());
  EXPECT_EQ(map.size(), 1U);  // unchanged on error
}

std::string RandomPayload(std::mt19937_64& engine) {
  std::string payload(engine() % 64, '\0');
  for (char& byte : payload) byte = static_cast<char>(engine());
  return payload;
}

TEST(StateCodecTest, EnvelopeRoundTrips) {
  std::mt19937_64 engine(77);
  for (int round = 0; round < 50; ++round) {
    const std::string payload = RandomPayload(engine);
    const std::string blob = SealState(kKind, kVersion, payload);
    EXPECT_EQ(blob.substr(0, 4), "CMST");
    EXPECT_EQ(blob.size(), payload.size() + 24);
    Result<StateReader> reader = OpenState(blob, kKind, kVersion);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(reader->remaining(), payload.size());
    for (const char byte : payload) EXPECT_EQ(*reader->ReadU8(), static_cast<std::uint8_t>(byte));
  }
}

TEST(StateCodecTest, EveryTruncationAndTrailingByteIsRejected) {
  std::mt19937_64 engine(78);
  for (int round = 0; round < 20; ++round) {
    const std::string blob = SealState(kKind, kVersion, RandomPayload(engine));
    for (std::size_t length = 0; length < blob.size(); ++length) {
      const Result<StateReader> reader =
          OpenState(std::string_view(blob).substr(0, length), kKind, kVersion);
      EXPECT_FALSE(reader.ok()) << "truncated to " << length << " of " << blob.size();
    }
    const Result<StateReader> longer = OpenState(blob + '\0', kKind, kVersion);
    ASSERT_FALSE(longer.ok());
    EXPECT_NE(longer.error().message.find("trailing"), std::string::npos);
  }
}

TEST(StateCodecTest, EveryFlippedByteIsRejected) {
  std::mt19937_64 engine(79);
  for (int round = 0; round < 20; ++round) {
    const std::string blob = SealState(kKind, kVersion, RandomPayload(engine));
    for (std::size_t position = 0; position < blob.size(); ++position) {
      std::string corrupt = blob;
      corrupt[position] = static_cast<char>(corrupt[position] ^ (1 + engine() % 255));
      EXPECT_FALSE(OpenState(corrupt, kKind, kVersion).ok()) << "byte " << position;
    }
  }
}

TEST(StateCodecTest, WrongMagicKindOrVersionIsRejectedWithAReason) {
  const std::string blob = SealState(kKind, kVersion, "payload");
  const Result<StateReader> wrong_kind = OpenState(blob, StateKind("TICK"), kVersion);
  ASSERT_FALSE(wrong_kind.ok());
  EXPECT_NE(wrong_kind.error().message.find("kind"), std::string::npos);
  const Result<StateReader> wrong_version = OpenState(blob, kKind, kVersion + 1);
  ASSERT_FALSE(wrong_version.ok());
  EXPECT_NE(wrong_version.error().message.find("version"), std::string::npos);
  std::string wrong_magic = blob;
  wrong_magic[0] = 'X';
  const Result<StateReader> magic = OpenState(wrong_magic, kKind, kVersion);
  ASSERT_FALSE(magic.ok());
  EXPECT_NE(magic.error().message.find("magic"), std::string::npos);
  std::string corrupt = blob;
  corrupt[22] = static_cast<char>(corrupt[22] ^ 1);
  const Result<StateReader> mismatch = OpenState(corrupt, kKind, kVersion);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("checksum"), std::string::npos);
}

TEST(StateCodecTest, StateKindSpellsItsLettersLittleEndian) {
  StateWriter writer;
  writer.WriteU32(StateKind("TICK"));
  EXPECT_EQ(writer.bytes(), "TICK");
}

}  // namespace
}  // namespace cryptomood
