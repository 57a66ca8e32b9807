#include "io/input_sniffer.h"

#include <simdjson.h>

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "io/csv_columns.h"
#include "io/csv_line.h"
#include "io/json_line_fields.h"
#include "io/line_format.h"

namespace cryptomood {
namespace {

constexpr std::size_t kSniffedBytes = std::size_t{64} << 10;
constexpr std::size_t kSniffedLines = 8;

// Keys (and CSV columns) found only in one of the two formats.
constexpr std::string_view kTradeOnlyKeys[] = {"price", "size",   "symbol_id",
                                               "uuid",  "amount", "symbol"};
constexpr std::string_view kSentimentOnlyKeys[] = {"sentiment_polarity", "text"};

bool IsOneOf(std::string_view key, std::span<const std::string_view> keys) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

// The prefix of `bytes` that does not end inside a multi-byte UTF-8 sequence.
std::string_view WithoutCutCharacter(std::string_view bytes) {
  std::size_t end = bytes.size();
  // Step back over continuation bytes (10xxxxxx), then over the lead byte they follow.
  for (int stepped = 0; stepped < 4 && end > 0; ++stepped) {
    const auto byte = static_cast<unsigned char>(bytes[end - 1]);
    if (byte < 0x80) break;
    --end;
    if (byte >= 0xC0) break;
  }
  return bytes.substr(0, end);
}

// The first lines of `data`, at most kSniffedLines of them within kSniffedBytes; the last
// may be cut short.
std::vector<std::string_view> FirstLines(std::string_view data) {
  std::vector<std::string_view> lines;
  const std::string_view window = data.substr(0, kSniffedBytes);
  std::size_t start = 0;
  while (start < window.size() && lines.size() < kSniffedLines) {
    std::size_t end = window.find('\n', start);
    if (end == std::string_view::npos) end = window.size();
    lines.push_back(window.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A line is text when it holds no NUL byte and is valid UTF-8. One line that is not may be
// one bad line (rejected on its own), so the file is binary only when most of the first lines
// are not text (a compressed file or a device like /dev/zero fails on every one).
bool LooksBinary(std::string_view data, std::span<const std::string_view> first_lines) {
  const std::string_view window = data.substr(0, kSniffedBytes);
  std::size_t not_text = 0;
  for (std::string_view line : first_lines) {
    const bool cut =
        line.data() + line.size() == window.data() + window.size() && window.size() < data.size();
    const std::string_view checked = cut ? WithoutCutCharacter(line) : line;
    const bool text = checked.find('\0') == std::string_view::npos &&
                      simdjson::validate_utf8(checked.data(), checked.size());
    if (!text) ++not_text;
  }
  return 2 * not_text > first_lines.size();
}

// Tells which format a line's keys belong to, if they say so unambiguously.
class KindVote {
 public:
  void Note(std::string_view key) {
    trade_keys_ = trade_keys_ || IsOneOf(key, kTradeOnlyKeys);
    sentiment_keys_ = sentiment_keys_ || IsOneOf(key, kSentimentOnlyKeys);
  }
  std::optional<RecordKind> Kind() const {
    if (trade_keys_ == sentiment_keys_) return std::nullopt;
    return trade_keys_ ? RecordKind::kTrade : RecordKind::kSentiment;
  }

 private:
  bool trade_keys_ = false;
  bool sentiment_keys_ = false;
};

std::optional<RecordKind> KindOfLine(simdjson::ondemand::parser& parser,
                                     simdjson::padded_string_view line) {
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  if (parser.iterate(line).get(document) || document.get_object().get(object)) {
    return std::nullopt;
  }
  KindVote vote;
  for (auto field_or_error : object) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (std::move(field_or_error).get(field) || json_line::ReadKey(field, key)) return std::nullopt;
    vote.Note(key);
  }
  return vote.Kind();
}

// The kind a CSV header's columns name, if they say so unambiguously.
std::optional<RecordKind> KindOfCsvHeader(std::string_view header) {
  CsvLineSplitter splitter;
  if (!splitter.Split(header).ok()) return std::nullopt;
  KindVote vote;
  for (std::string_view column : splitter.fields()) vote.Note(Trimmed(column));
  return vote.Kind();
}

}  // namespace

Status CheckLooksLike(RecordKind expected, std::string_view name, const Chunk& first_chunk) {
  const std::string_view data = first_chunk.data();
  const std::vector<std::string_view> first_lines = FirstLines(data);
  if (LooksBinary(data, first_lines)) {
    return Error{std::string(name) + " does not look like JSON lines (binary data)"};
  }
  simdjson::ondemand::parser parser;
  int votes_expected = 0;
  int votes_other = 0;
  const bool csv = StartsWithCsvHeader(data);
  for (std::string_view line : first_lines) {
    // A CSV file's header says what its rows hold.
    const auto kind = csv ? KindOfCsvHeader(line)
                          : KindOfLine(parser, first_chunk.PaddedView(line.data(), line.size()));
    if (kind) ++(*kind == expected ? votes_expected : votes_other);
    if (csv) break;
  }
  if (votes_other > 0 && votes_expected == 0) {
    const RecordKind other =
        expected == RecordKind::kTrade ? RecordKind::kSentiment : RecordKind::kTrade;
    return Error{std::string(name) + " looks like " + std::string(DescribeKind(other)) + ", not " +
                 std::string(DescribeKind(expected))};
  }
  return {};
}

}  // namespace cryptomood
