// TradeParser: validates one JSON line in the market-data aggregator's trade shape and fills
// a TradeRecord. Rules: one JSON object and nothing after it; required price (finite, > 0),
// size (finite, >= 0), symbol_id (the shape of core/identifier.h, EXCHANGE_TYPE_BASE_QUOTE:
// base = second to last part, quote = last), timestamp (RFC 3339) and uuid
// (canonical 8-4-4-4-12 hex); optional but checked when present: time_exchange (RFC 3339),
// sequence (64-bit integer), taker_side (BUY, SELL, BUY_ESTIMATED, SELL_ESTIMATED), type
// ("trade") and coins (exactly [base]). Unknown fields are ignored; a repeated key rejects
// the line. A failure is a Status whose message is the human reason.
// A CSV row (ParseCsvRow) fills the same record through the same per-field checks; its
// columns are the field names plus the aliases amount (size) and symbol (symbol_id), with
// coins as BTC|ETH; an empty cell is an absent field.
// Lines of the usual flat shape take a fast path (FlatJsonObject); any other line is read
// with simdjson On Demand; both give the same verdict and reason.
// Ownership: the record's views point into the line (strings without escapes) or into the
// parser's buffers; they are valid until the next Parse call and while the line's bytes are.
// Thread-safety: one parser per thread; reuse it across lines (it keeps its buffers).
#pragma once

#include <simdjson.h>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/identifier.h"
#include "core/records.h"
#include "core/result.h"
#include "io/csv_columns.h"
#include "io/json_line_fields.h"
#include "io/uuid.h"

namespace cryptomood {

class TradeParser {
 public:
  explicit TradeParser(json_line::ParsePath path = json_line::ParsePath::kFastWhenPossible);

  // `line` excludes its newline; its capacity must reach SIMDJSON_PADDING bytes past the end
  // (any readable bytes: a line inside a larger padded buffer is parsed in place).
  Status Parse(simdjson::padded_string_view line, TradeRecord& trade);
  // For bytes without padding: copies them into an internal buffer first.
  Status ParseUnpadded(std::string_view line, TradeRecord& trade);
  // One CSV row, its cells in the columns `columns` describes (built from CsvColumnSchema).
  Status ParseCsvRow(std::span<const std::string_view> cells, const CsvColumns& columns,
                     TradeRecord& trade);
  static const CsvSchema& CsvColumnSchema();
  // The uuid of the last successfully parsed trade as a value (TradeRecord::uuid is its text).
  const Uuid& parsed_uuid() const { return uuid_; }

 private:
  template <typename Value>
  Status ReadField(int field, Value& value, TradeRecord& trade);
  void Start(TradeRecord& trade);
  Status Finish(TradeRecord& trade);

  json_line::ParsePath path_;
  json_line::LineScanners scanners_;
  json_line::KeyTracker keys_;
  json_line::PaddedCopy padded_copy_;
  Uuid uuid_;
  std::string_view timestamp_text_;  // of the line being parsed once read, else empty
  // Recent valid symbol ids and where their base and quote are (the quote runs to the end):
  // files hold few distinct symbols, usually interleaved, so few lines need a split.
  struct KnownSymbol {
    std::string symbol_id;
    std::size_t base_offset = 0;
    std::size_t base_size = 0;
    std::size_t quote_offset = 0;
  };
  const KnownSymbol* FindKnownSymbol(std::string_view symbol_id) const;
  const KnownSymbol& RememberSymbol(std::string_view symbol_id, const SymbolParts& parts);
  static constexpr std::size_t kKnownSymbols = 8;
  std::array<KnownSymbol, kKnownSymbols> known_symbols_;
  std::size_t known_symbol_count_ = 0;
  std::size_t next_known_symbol_ = 0;
};

}  // namespace cryptomood
