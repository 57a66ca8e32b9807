#include "io/fixed_layout_scanner.h"

#include <algorithm>
#include <cstring>

#include "io/flat_lexing.h"

namespace cryptomood {

FixedLayoutScanner::FixedLayoutScanner(std::span<const std::string_view> keys,
                                       std::span<const FlatValue::Kind> kinds)
    : kinds_(kinds.begin(), kinds.end()), values_(keys.size()), item_starts_(keys.size()) {
  literals_.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const std::string prefix = i == 0 ? "{\"" : ", \"";
    literals_.push_back(MakeLiteral(prefix + std::string(keys[i]) + "\": "));
  }
}

FixedLayoutScanner::Literal FixedLayoutScanner::MakeLiteral(std::string_view text) {
  Literal literal;
  literal.size = text.size();
  for (std::size_t word = 0; word < kHeadWords; ++word) {
    const std::size_t offset = word * sizeof(std::uint64_t);
    if (offset >= text.size()) break;
    const std::size_t bytes = std::min(sizeof(std::uint64_t), text.size() - offset);
    std::memcpy(&literal.head[word], text.data() + offset, bytes);
    std::memset(&literal.head_masks[word], 0xff, bytes);
  }
  if (text.size() > kHeadWords * sizeof(std::uint64_t)) {
    literal.tail = text.substr(kHeadWords * sizeof(std::uint64_t));
  }
  return literal;
}

// The head's words may extend past `end` (into the padding, which is long enough), where
// the masks ignore them.
bool FixedLayoutScanner::Matches(const Literal& literal, const char*& position, const char* end) {
  static_assert(kHeadWords * sizeof(std::uint64_t) <= simdjson::SIMDJSON_PADDING);
  if (static_cast<std::size_t>(end - position) < literal.size) return false;
  std::uint64_t difference = 0;
  for (std::size_t word = 0; word < kHeadWords; ++word) {
    difference |=
        (flat_lexing::LoadWord(position + word * sizeof(std::uint64_t)) ^ literal.head[word]) &
        literal.head_masks[word];
  }
  if (difference != 0) return false;
  const char* tail = position + kHeadWords * sizeof(std::uint64_t);
  if (!literal.tail.empty() && std::memcmp(tail, literal.tail.data(), literal.tail.size()) != 0) {
    return false;
  }
  position += literal.size;
  return true;
}

bool FixedLayoutScanner::Scan(simdjson::padded_string_view line) {
  const char* position = line.data();
  const char* end = line.data() + line.size();
  saw_non_ascii_ = false;
  items_.clear();
  for (std::size_t field = 0; field < literals_.size(); ++field) {
    if (!Matches(literals_[field], position, end)) return false;
    FlatValue& value = values_[field];
    value.kind = kinds_[field];
    item_starts_[field] = items_.size();
    bool scanned = false;
    switch (kinds_[field]) {
      case FlatValue::Kind::kString:
        scanned = ScanString(position, end, value.text);
        break;
      case FlatValue::Kind::kNumber:
        scanned = flat_lexing::ScanNumber(position, end, value);
        break;
      case FlatValue::Kind::kStringArray:
        scanned = ScanStringArray(position, end);
        break;
    }
    if (!scanned) return false;
  }
  if (end - position != 1 || *position != '}') return false;
  // Only strings may hold non-ASCII bytes (keys and separators matched literals).
  if (saw_non_ascii_ && !simdjson::validate_utf8(line.data(), line.size())) return false;
  // Item views are taken only now: items_ may have moved while it grew.
  for (std::size_t field = 0; field < values_.size(); ++field) {
    if (kinds_[field] != FlatValue::Kind::kStringArray) continue;
    const std::size_t next = field + 1 < values_.size() ? item_starts_[field + 1] : items_.size();
    values_[field].items = std::span<const std::string_view>(items_).subspan(
        item_starts_[field], next - item_starts_[field]);
  }
  return true;
}

bool FixedLayoutScanner::ScanString(const char*& position, const char* end, std::string_view& out) {
  if (position >= end || *position != '"') return false;
  ++position;
  return flat_lexing::ScanPlainString(position, end, out, saw_non_ascii_);
}

// ["A", "B", ...] with ", " between items, or [].
bool FixedLayoutScanner::ScanStringArray(const char*& position, const char* end) {
  if (position >= end || *position != '[') return false;
  ++position;
  if (position < end && *position == ']') {
    ++position;
    return true;
  }
  while (true) {
    if (!ScanString(position, end, items_.emplace_back())) return false;
    if (position < end && *position == ']') {
      ++position;
      return true;
    }
    if (end - position < 2 || position[0] != ',' || position[1] != ' ') return false;
    position += 2;
  }
}

}  // namespace cryptomood
