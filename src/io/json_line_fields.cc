#include "io/json_line_fields.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <optional>
#include <utility>

#include "core/identifier.h"
#include "core/status_macros.h"
#include "io/flat_lexing.h"

namespace cryptomood::json_line {
namespace {

constexpr std::size_t kMaxDisplayedChars = 40;

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

Status Reject(std::string message) { return Error{std::move(message)}; }

// Short wording for the errors a malformed line usually produces; simdjson's own messages
// are long sentences.
std::string_view DescribeJsonError(simdjson::error_code error) {
  switch (error) {
    case simdjson::TAPE_ERROR:
      return "malformed structure";
    case simdjson::INCOMPLETE_ARRAY_OR_OBJECT:
      // simdjson also reports text after the closing brace this way.
      return "unclosed object or array, or text after the object";
    case simdjson::DEPTH_ERROR:
      return "nested too deeply";
    case simdjson::UTF8_ERROR:
      return "invalid UTF-8";
    case simdjson::UNCLOSED_STRING:
      return "unclosed string";
    case simdjson::STRING_ERROR:
      return "invalid string escape";
    case simdjson::UNESCAPED_CHARS:
      return "unescaped control character in a string";
    case simdjson::NUMBER_ERROR:
      return "malformed number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "malformed literal";
    default:
      return simdjson::error_message(error);
  }
}

// The text between the quotes at `raw` (just after an opening quote) if it holds no escape.
// Stage 1 of simdjson has checked that a closing quote follows inside the document, and the
// document is followed by SIMDJSON_PADDING readable bytes, so reading 8 bytes at a time up
// to the quote stays in bounds.
std::optional<std::string_view> UnescapedRun(const char* raw) {
  for (std::size_t offset = 0;; offset += sizeof(std::uint64_t)) {
    const std::uint64_t word = flat_lexing::LoadWord(raw + offset);
    const std::uint64_t quotes = flat_lexing::BytesEqualTo(word, '"');
    const std::uint64_t backslashes = flat_lexing::BytesEqualTo(word, '\\');
    if ((quotes | backslashes) == 0) continue;
    const int first_quote = quotes == 0 ? 64 : std::countr_zero(quotes);
    const int first_backslash = backslashes == 0 ? 64 : std::countr_zero(backslashes);
    if (first_backslash < first_quote) return std::nullopt;
    return std::string_view(raw, offset + static_cast<std::size_t>(first_quote / 8));
  }
}

}  // namespace

Status CheckTicker(std::string_view ticker) {
  if (ticker.empty()) return Reject("coins holds an empty string");
  if (IsTicker(ticker)) return {};
  return Reject("coins holds '" + DisplayText(ticker) + "', not a ticker (" +
                std::string(kTickerShape) + ")");
}

// A string value without copying when it has no escapes (nearly always): a view of the
// line's own bytes. Otherwise simdjson unescapes it into the parser's buffer.
simdjson::error_code GetString(simdjson::ondemand::value& value, std::string_view& out) {
  const std::string_view token = value.raw_json_token();
  if (!token.empty() && token.front() == '"') {
    if (auto run = UnescapedRun(token.data() + 1)) {
      out = *run;
      return simdjson::SUCCESS;
    }
  }
  return value.get_string().get(out);
}

simdjson::error_code ReadKey(simdjson::ondemand::field& field, std::string_view& key) {
  if (auto run = UnescapedRun(field.key().raw())) {
    key = *run;
    return simdjson::SUCCESS;
  }
  return field.unescaped_key().get(key);
}

std::string DisplayText(std::string_view text) {
  std::string shown;
  shown.reserve(std::min(text.size(), kMaxDisplayedChars) + 3);
  for (char c : text.substr(0, kMaxDisplayedChars)) {
    const auto byte = static_cast<unsigned char>(c);
    shown += (byte >= 0x20 && byte < 0x7f) ? c : '?';
  }
  if (text.size() > kMaxDisplayedChars) shown += "...";
  return shown;
}

std::string DisplayTickers(std::span<const std::string_view> tickers) {
  std::string shown = "[";
  for (std::size_t i = 0; i < tickers.size(); ++i) {
    if (i > 0) shown += ", ";
    shown += '"';
    shown += DisplayText(tickers[i]);
    shown += '"';
  }
  shown += ']';
  return shown;
}

Status InvalidJson(simdjson::error_code error) {
  return Reject("invalid JSON (" + std::string(DescribeJsonError(error)) + ")");
}

Status OpenObject(simdjson::ondemand::parser& parser, simdjson::padded_string_view line,
                  simdjson::ondemand::document& document, simdjson::ondemand::object& object) {
  const auto first = std::find_if_not(line.begin(), line.end(), IsJsonWhitespace);
  if (first == line.end()) return Reject("empty line");
  if (*first != '{') return Reject("not a JSON object");
  if (auto error = parser.iterate(line).get(document)) return InvalidJson(error);
  if (auto error = document.get_object().get(object)) return InvalidJson(error);
  return {};
}

Status CheckNothingAfterObject(simdjson::ondemand::document& document) {
  const char* location = nullptr;
  const auto error = document.current_location().get(location);
  if (error == simdjson::OUT_OF_BOUNDS) return {};
  if (error) return InvalidJson(error);
  return Reject("unexpected content after the JSON object");
}

Status KeyTracker::CheckUnknownKeysDistinct() {
  if (unknown_keys_.size() < 2) return {};
  std::sort(unknown_keys_.begin(), unknown_keys_.end());
  const auto duplicate = std::adjacent_find(unknown_keys_.begin(), unknown_keys_.end());
  if (duplicate == unknown_keys_.end()) return {};
  return DuplicateField(*duplicate);
}

Status DuplicateField(std::string_view key) {
  return Reject("duplicate field '" + DisplayText(key) + "'");
}

Status MissingField(std::string_view key) {
  return Reject("missing field '" + std::string(key) + "'");
}

Status NotAFiniteNumber(std::string_view field, std::string_view requirement) {
  return Reject(std::string(field) + " is not a finite number " + std::string(requirement));
}

Status NotAString(std::string_view field) {
  return Reject(std::string(field) + " is not a string");
}

Status NotAnInteger(std::string_view field) {
  return Reject(std::string(field) + " is not a 64-bit integer");
}

Status CheckTimestamp(std::string_view field, std::string_view text, TimestampNs& out) {
  auto parsed = ParseTimestamp(text);
  if (!parsed.ok()) {
    // ParseTimestamp's reason starts with "timestamp '...'"; say which field held it.
    if (field == kTimestampField) return parsed.error();
    return Reject(std::string(field) + ": " + parsed.error().message);
  }
  out = *parsed;
  return {};
}

simdjson::error_code GetString(const FlatValue& value, std::string_view& out) {
  if (value.kind != FlatValue::Kind::kString) return simdjson::INCORRECT_TYPE;
  out = value.text;
  return simdjson::SUCCESS;
}

simdjson::error_code GetDouble(simdjson::ondemand::value& value, double& out) {
  // simdjson 3.0.1 (Debian 12's) misreads a number whose integer part is 0 and whose fraction
  // has more than 19 digits (0.2544444444444444444444 gives 0.00172; upstream issue 2093,
  // fixed in 3.6.3). Its verdict on the grammar stands, but the value is read again from the
  // token with std::from_chars, which rounds correctly. Where from_chars reports overflow or
  // underflow, simdjson's own handling of those is kept.
  const std::string_view token = value.raw_json_token();
  double simdjson_value = 0;
  if (const auto error = value.get_double().get(simdjson_value); error) return error;
  if (std::from_chars(token.data(), token.data() + token.size(), out).ec != std::errc()) {
    out = simdjson_value;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code GetDouble(const FlatValue& value, double& out) {
  if (value.kind != FlatValue::Kind::kNumber) return simdjson::INCORRECT_TYPE;
  out = value.number;
  return simdjson::SUCCESS;
}

simdjson::error_code GetInt64(simdjson::ondemand::value& value, std::int64_t& out) {
  return value.get_int64().get(out);
}

simdjson::error_code GetInt64(const FlatValue& value, std::int64_t& out) {
  if (value.kind != FlatValue::Kind::kNumber || !value.is_int64) return simdjson::INCORRECT_TYPE;
  out = value.integer;
  return simdjson::SUCCESS;
}

Status ReadTickers(simdjson::ondemand::value& value, std::vector<std::string_view>& tickers) {
  tickers.clear();
  simdjson::ondemand::array array;
  const auto error = value.get_array().get(array);
  if (error == simdjson::INCORRECT_TYPE) return Reject("coins is not an array");
  if (error) return InvalidJson(error);
  for (auto element_or_error : array) {
    simdjson::ondemand::value element;
    if (auto element_error = element_or_error.get(element)) {
      return InvalidJson(element_error);
    }
    std::string_view ticker;
    const auto string_error = GetString(element, ticker);
    if (string_error == simdjson::INCORRECT_TYPE) return Reject("coins holds a non-string");
    if (string_error) return InvalidJson(string_error);
    CRYPTOMOOD_RETURN_IF_ERROR(CheckTicker(ticker));
    tickers.push_back(ticker);
  }
  if (tickers.empty()) return Reject("coins is empty");
  return {};
}

Status ReadTickers(const FlatValue& value, std::vector<std::string_view>& tickers) {
  tickers.clear();
  if (value.kind != FlatValue::Kind::kStringArray) return Reject("coins is not an array");
  for (std::string_view ticker : value.items) {
    CRYPTOMOOD_RETURN_IF_ERROR(CheckTicker(ticker));
    tickers.push_back(ticker);
  }
  if (tickers.empty()) return Reject("coins is empty");
  return {};
}

simdjson::padded_string_view PaddedCopy::Copy(std::string_view line) {
  const std::size_t needed = line.size() + simdjson::SIMDJSON_PADDING;
  if (needed > capacity_) {
    capacity_ = std::max(needed, 2 * capacity_);
    buffer_ = std::make_unique<char[]>(capacity_);
  }
  if (!line.empty()) std::memcpy(buffer_.get(), line.data(), line.size());
  std::memset(buffer_.get() + line.size(), ' ', simdjson::SIMDJSON_PADDING);
  return simdjson::padded_string_view(buffer_.get(), line.size(), capacity_);
}

}  // namespace cryptomood::json_line
