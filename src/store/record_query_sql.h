// The SELECT statements behind the Store's read side, built once for both backends: only the
// placeholder syntax differs (SQLite "?", PostgreSQL "$1"). Values always travel as
// parameters, never inside the SQL text; the text depends only on the query's shape (which
// filters, how many coins), so each shape is prepared once and reused.
// Keyset order is (timestamp_ns, ord) everywhere; every page asks for limit + 1 rows so the
// reader knows whether another page follows without a second query.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "store/store_records.h"

namespace cryptomood {

enum class PlaceholderStyle { kQuestionMark, kDollarNumber };

// A string parameter is compared with TEXT columns in SQLite and bytea ones in PostgreSQL.
using SqlValue = std::variant<std::int64_t, double, std::string>;

struct SqlQuery {
  std::string sql;
  std::vector<SqlValue> params;
};

// Columns: ord, uuid, timestamp_ns, time_exchange_ns, price, size, sequence, symbol_key,
// taker_side, type, has_coins. `symbol_keys` are the symbols of query.coins (ignored when
// query.coins is empty; the caller handles "no symbol matches").
SqlQuery TradePageSql(const RecordQuery& query, std::span<const std::int64_t> symbol_keys,
                      PlaceholderStyle style);

// Columns: ord, content_key, timestamp_ns, polarity, coins, text.
SqlQuery SentimentPageSql(const RecordQuery& query, PlaceholderStyle style);

// Columns: symbol_key, timestamp_ns, price, size, ord; ordered by (timestamp_ns, ord).
SqlQuery TradePointsSql(const TimeRange& range, bool filter_symbols,
                        std::span<const std::int64_t> symbol_keys, PlaceholderStyle style);

// Columns: coins, timestamp_ns, polarity; ordered by (timestamp_ns, ord).
SqlQuery SentimentPointsSql(const std::vector<std::string>& coins, const TimeRange& range,
                            PlaceholderStyle style);

}  // namespace cryptomood
