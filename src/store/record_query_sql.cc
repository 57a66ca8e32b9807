#include "store/record_query_sql.h"

namespace cryptomood {
namespace {

// Appends SQL text and parameters together, so placeholders are numbered correctly.
class SqlBuilder {
 public:
  explicit SqlBuilder(PlaceholderStyle style) : style_(style) {}

  SqlBuilder& Text(std::string_view text) {
    query_.sql += text;
    return *this;
  }
  SqlBuilder& Param(SqlValue value) {
    query_.params.push_back(std::move(value));
    if (style_ == PlaceholderStyle::kQuestionMark) {
      query_.sql += '?';
    } else {
      query_.sql += '$';
      query_.sql += std::to_string(query_.params.size());
    }
    return *this;
  }
  // "(p1, p2, ...)"
  template <typename Values>
  SqlBuilder& ParamList(const Values& values) {
    Text("(");
    bool first = true;
    for (const auto& value : values) {
      if (!first) Text(", ");
      first = false;
      Param(SqlValue(value));
    }
    return Text(")");
  }
  SqlQuery Finish() && { return std::move(query_); }

 private:
  PlaceholderStyle style_;
  SqlQuery query_;
};

// " AND t.timestamp_ns >= $ AND t.timestamp_ns < $" for the bounds present.
void AddRange(SqlBuilder& sql, std::string_view table, const TimeRange& range) {
  if (range.from) {
    sql.Text(" AND ").Text(table).Text(".timestamp_ns >= ").Param(std::int64_t{*range.from});
  }
  if (range.to)
    sql.Text(" AND ").Text(table).Text(".timestamp_ns < ").Param(std::int64_t{*range.to});
}

void AddAfter(SqlBuilder& sql, std::string_view table, const std::optional<RowCursor>& after,
              bool descending) {
  if (!after) return;
  sql.Text(" AND (").Text(table).Text(".timestamp_ns, ").Text(table).Text(".ord)");
  sql.Text(descending ? " < (" : " > (");
  sql.Param(std::int64_t{after->timestamp}).Text(", ").Param(std::int64_t{after->order}).Text(")");
}

void AddOrderAndLimit(SqlBuilder& sql, std::string_view table, std::int64_t limit,
                      bool descending = false) {
  const std::string_view order = descending ? " DESC" : "";
  sql.Text(" ORDER BY ").Text(table).Text(".timestamp_ns").Text(order);
  sql.Text(", ").Text(table).Text(".ord").Text(order);
  if (limit > 0) sql.Text(" LIMIT ").Param(std::int64_t{limit + 1});
}

void AddSymbolFilter(SqlBuilder& sql, std::span<const std::int64_t> symbol_keys) {
  if (symbol_keys.size() == 1) {
    sql.Text(" AND t.symbol_key = ").Param(symbol_keys.front());
  } else {
    sql.Text(" AND t.symbol_key IN ").ParamList(symbol_keys);
  }
}

// A tweet naming any of `coins`; EXISTS rather than a join so a tweet naming two of them
// comes once.
void AddCoinFilter(SqlBuilder& sql, const std::vector<std::string>& coins) {
  sql.Text(" AND EXISTS (SELECT 1 FROM sentiment_coins c WHERE c.coin IN ").ParamList(coins);
  sql.Text(" AND c.timestamp_ns = s.timestamp_ns AND c.ord = s.ord)");
}

constexpr std::string_view kTradeColumns =
    "SELECT t.ord, t.uuid, t.timestamp_ns, t.time_exchange_ns, t.price, t.size, t.sequence, "
    "t.symbol_key, t.taker_side, t.type, t.has_coins FROM trades t WHERE TRUE";
constexpr std::string_view kSentimentColumns =
    "SELECT s.ord, s.content_key, s.timestamp_ns, s.polarity, s.coins, s.text";

}  // namespace

SqlQuery TradePageSql(const RecordQuery& query, std::span<const std::int64_t> symbol_keys,
                      PlaceholderStyle style) {
  SqlBuilder sql(style);
  sql.Text(kTradeColumns);
  AddRange(sql, "t", query.range);
  AddAfter(sql, "t", query.after, query.descending);
  if (!query.coins.empty()) AddSymbolFilter(sql, symbol_keys);
  AddOrderAndLimit(sql, "t", query.limit, query.descending);
  return std::move(sql).Finish();
}

SqlQuery SentimentPageSql(const RecordQuery& query, PlaceholderStyle style) {
  SqlBuilder sql(style);
  sql.Text(kSentimentColumns);
  if (query.coins.size() == 1) {
    // Walk the coin's (timestamp, ord) index and fetch each tweet: CROSS JOIN keeps SQLite
    // from choosing another nesting; PostgreSQL plans it as an ordinary join.
    sql.Text(" FROM sentiment_coins c CROSS JOIN sentiment s WHERE s.ord = c.ord AND c.coin = ");
    sql.Param(query.coins.front());
    AddRange(sql, "c", query.range);
    AddAfter(sql, "c", query.after, query.descending);
    AddOrderAndLimit(sql, "c", query.limit, query.descending);
    return std::move(sql).Finish();
  }
  sql.Text(" FROM sentiment s WHERE TRUE");
  AddRange(sql, "s", query.range);
  AddAfter(sql, "s", query.after, query.descending);
  if (!query.coins.empty()) AddCoinFilter(sql, query.coins);
  AddOrderAndLimit(sql, "s", query.limit, query.descending);
  return std::move(sql).Finish();
}

SqlQuery TradePointsSql(const TimeRange& range, bool filter_symbols,
                        std::span<const std::int64_t> symbol_keys, PlaceholderStyle style) {
  SqlBuilder sql(style);
  sql.Text("SELECT t.symbol_key, t.timestamp_ns, t.price, t.size, t.ord FROM trades t WHERE TRUE");
  AddRange(sql, "t", range);
  if (filter_symbols) AddSymbolFilter(sql, symbol_keys);
  AddOrderAndLimit(sql, "t", 0);
  return std::move(sql).Finish();
}

SqlQuery SentimentPointsSql(const std::vector<std::string>& coins, const TimeRange& range,
                            PlaceholderStyle style) {
  SqlBuilder sql(style);
  sql.Text("SELECT s.coins, s.timestamp_ns, s.polarity FROM sentiment s WHERE TRUE");
  AddRange(sql, "s", range);
  if (!coins.empty()) AddCoinFilter(sql, coins);
  AddOrderAndLimit(sql, "s", 0);
  return std::move(sql).Finish();
}

}  // namespace cryptomood
