#include "io/fixed_layout_scanner.h"

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
  for (std::size_t offset = 0; offset < text.size(); offset += sizeof(std::uint64_t)) {
    const std::size_t bytes = std::min(sizeof(std::uint64_t), text.size() - offset);
    std::uint64_t word = 0;
    std::uint64_t mask = 0;
    std::memcpy(&word, text.data() + offset, bytes);
    std::memset(&mask, 0xff, bytes);
    literal.words.push_back(word);
    literal.masks.push_back(mask);
  }
  return literal;
}

// Compares word by word; the last word may read up to 7 bytes past `end` (into padding),
// which its mask ignores.
bool FixedLayoutScanner::Matches(const Literal& literal, const char*& position, const char* end) {
  if (static_cast<std::size_t>(end - position) < literal.size) return false;
  std::uint64_t difference = 0;
  for (std::size_t i = 0; i < literal.words.size(); ++i) {
    difference |= (flat_lexing::LoadWord(position + i * sizeof(std::uint64_t)) ^ literal.words[i]) &
                  literal.masks[i];
  }
  if (difference != 0) return false;
  position += literal.size;
  return true;
}

bool FixedLayoutScanner::Scan(simdjson::padded_string_view line) {
  const char* position = line.data();
  const char* end = line.data() + line.size();
  // With no backslash or control character anywhere, no string has an escape and the next
  // quote closes each one.
  const flat_lexing::LineBytes bytes = flat_lexing::ClassifyLineBytes(position, end);
  if (bytes.has_backslash_or_control) return false;
  if (bytes.has_non_ascii && !simdjson::validate_utf8(line.data(), line.size())) return false;

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
  // Item views are taken only now: items_ may have moved while it grew.
  for (std::size_t field = 0; field < values_.size(); ++field) {
    if (kinds_[field] != FlatValue::Kind::kStringArray) continue;
    const std::size_t next = field + 1 < values_.size() ? item_starts_[field + 1] : items_.size();
    values_[field].items = std::span<const std::string_view>(items_).subspan(
        item_starts_[field], next - item_starts_[field]);
  }
  return true;
}

// Only for lines without backslashes or control characters: the next quote closes it.
bool FixedLayoutScanner::ScanString(const char*& position, const char* end, std::string_view& out) {
  if (position >= end || *position != '"') return false;
  const char* close = flat_lexing::FindQuote(position + 1, end);
  if (close == nullptr) return false;
  out = std::string_view(position + 1, static_cast<std::size_t>(close - position - 1));
  position = close + 1;
  return true;
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
