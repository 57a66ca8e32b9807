// FlatJsonObject: the fast path of the line parsers. It scans, in one pass and without
// allocation, the shape nearly every input line has: one JSON object whose values are
// strings without escapes or control characters, numbers, or arrays of such strings.
// Anything outside that subset (escapes, nesting, literals, a number that does not convert
// exactly, invalid UTF-8, malformed text) makes Scan return false, and the caller parses
// the line with simdjson instead, which then decides and words the reason. So the fast
// path only ever handles well-formed JSON, and a line gets the same verdict either way (a
// differential fuzzer checks this).
// Ownership: views point into the scanned line; valid while its bytes are.
// Thread-safety: one scanner per thread; reuse it across lines (it keeps its buffers).
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace cryptomood {

struct FlatValue {
  enum class Kind { kString, kNumber, kStringArray };
  Kind kind = Kind::kString;
  std::string_view text;  // string contents (no quotes), or the number as written
  double number = 0;      // kNumber: the correctly rounded value of text
  std::int64_t integer = 0;
  bool is_int64 = false;                    // kNumber written as an integer that fits int64
  std::span<const std::string_view> items;  // kStringArray
};

struct FlatField {
  std::string_view key;
  FlatValue value;
};

class FlatJsonObject {
 public:
  // True if `line` is entirely one object in the flat subset; fields() then lists its
  // members in order. The line must be followed by SIMDJSON_PADDING readable bytes.
  bool Scan(simdjson::padded_string_view line);
  std::span<FlatField> fields() { return fields_; }

 private:
  std::vector<FlatField> fields_;
  std::vector<std::string_view> items_;
  std::vector<std::uint32_t> item_starts_;  // per field: first index into items_
};

}  // namespace cryptomood
