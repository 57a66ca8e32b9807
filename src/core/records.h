// Input records as the parsers hand them over: one validated trade or one scored tweet.
// Views point into the parser's buffers and are valid only until the parser's next call;
// copy what must outlive that.
// Thread-safety: plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/timestamp.h"

namespace cryptomood {

// A trade, in the market-data aggregator's trade message shape (see the seed README).
struct TradeRecord {
  TimestampNs timestamp = 0;
  std::optional<TimestampNs> time_exchange;
  double price = 0;  // finite, > 0
  double size = 0;   // finite, >= 0
  std::optional<std::int64_t> sequence;
  std::string_view symbol_id;           // e.g. COINBASE_SPOT_BTC_USD
  std::string_view base;                // BTC: the coin this trade is about
  std::string_view quote;               // USD
  std::string_view taker_side;          // BUY, SELL, BUY_ESTIMATED, SELL_ESTIMATED or empty
  std::string_view type;                // "trade" or empty
  std::string_view uuid;                // canonical 8-4-4-4-12 hex form
  std::vector<std::string_view> coins;  // as given; empty when the field is absent
};

// A scored tweet.
struct SentimentRecord {
  TimestampNs timestamp = 0;
  double polarity = 0;                  // finite, in [-1, 1]
  std::vector<std::string_view> coins;  // one or more tickers, as given
  std::string_view text;                // unescaped
};

}  // namespace cryptomood
