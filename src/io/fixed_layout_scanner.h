// FixedLayoutScanner: the first and fastest path of the line parsers, for lines written the
// way the producers write them: one object whose members are exactly the parser's fields,
// in one fixed order, separated by ", " with ": " after each key and no other whitespace,
// e.g. {"coins": ["BTC"], "price": 6300.5, ...}. Matching a line against that layout
// compares each separator-and-key as one literal instead of scanning and classifying keys,
// which is most of what a general scan costs. Values must be in the flat subset
// (FlatJsonObject's: strings without escapes or control characters, exactly convertible
// numbers, arrays of such strings) and of the declared kind. Any other line, including a
// valid one with another order, spacing or set of keys, makes Scan return false and goes
// to the general paths, which decide its verdict; so this path only ever accepts what they
// would accept, with the same values (the differential tests and fuzzer check this).
// Ownership: value views point into the scanned line; valid while its bytes are.
// Thread-safety: one scanner per thread; reuse it across lines (it keeps its buffers).
#pragma once

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "io/flat_json_object.h"

namespace cryptomood {

class FixedLayoutScanner {
 public:
  // Field i is named keys[i] (printable ASCII without quotes or backslashes) and holds a
  // value of kinds[i]; both spans have one entry per field.
  FixedLayoutScanner(std::span<const std::string_view> keys,
                     std::span<const FlatValue::Kind> kinds);

  // True if `line` is exactly in the layout; values()[i] is then field i's value. The line
  // must be followed by SIMDJSON_PADDING readable bytes.
  bool Scan(simdjson::padded_string_view line);
  std::span<FlatValue> values() { return values_; }

 private:
  // The bytes before a value, `{"key": ` or `, "key": `. Its first kHeadWords words are
  // compared at once, without a loop (the bytes past the literal are zero in both `head`
  // and `head_masks`); a longer literal's remaining bytes are compared one by one.
  static constexpr std::size_t kHeadWords = 4;
  struct Literal {
    std::array<std::uint64_t, kHeadWords> head{};
    std::array<std::uint64_t, kHeadWords> head_masks{};
    std::string tail;
    std::size_t size = 0;
  };
  static Literal MakeLiteral(std::string_view text);
  static bool Matches(const Literal& literal, const char*& position, const char* end);
  bool ScanString(const char*& position, const char* end, std::string_view& out);
  bool ScanStringArray(const char*& position, const char* end);

  std::vector<Literal> literals_;  // one per field
  std::vector<FlatValue::Kind> kinds_;
  std::vector<FlatValue> values_;
  std::vector<std::string_view> items_;
  std::vector<std::size_t> item_starts_;  // per field: its first index into items_
  bool saw_non_ascii_ = false;            // in a string of the line being scanned
};

}  // namespace cryptomood
