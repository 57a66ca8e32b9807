#include "core/identifier.h"

#include <algorithm>

namespace cryptomood {
namespace {

bool IsIdentifierCharacter(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool IsIdentifierPart(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), IsIdentifierCharacter);
}

}  // namespace

bool IsTicker(std::string_view text) {
  return text.size() <= kMaxTickerLength && IsIdentifierPart(text);
}

std::optional<SymbolParts> SplitSymbolId(std::string_view symbol_id) {
  constexpr int kMinimumParts = 4;
  if (symbol_id.size() > kMaxSymbolIdLength) return std::nullopt;
  int parts = 0;
  std::size_t part_start = 0;
  std::string_view previous;
  std::string_view current;
  while (true) {
    const std::size_t separator = symbol_id.find('_', part_start);
    const std::size_t part_end = separator == std::string_view::npos ? symbol_id.size() : separator;
    previous = current;
    current = symbol_id.substr(part_start, part_end - part_start);
    if (!IsIdentifierPart(current)) return std::nullopt;
    ++parts;
    if (separator == std::string_view::npos) break;
    part_start = separator + 1;
  }
  if (parts < kMinimumParts || !IsTicker(previous) || !IsTicker(current)) return std::nullopt;
  return SymbolParts{previous, current};
}

}  // namespace cryptomood
