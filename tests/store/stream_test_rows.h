// Test support for stream results: correlation rows as a bars-mode stream member would
// commit them, one per (coin, hourly window, lag), distinct in their statistics so a test can
// tell which version of a row it got back.
#pragma once

#include <cstdint>
#include <string>

#include "core/analysis.h"

namespace cryptomood::testing_support {

inline constexpr TimestampNs kStreamHour = 3600 * kNanosPerSecond;
inline constexpr TimestampNs kStreamStart = 1'531'771'200 * kNanosPerSecond;  // 2018-07-16T20:00Z

// The row of `coin`'s symbol for hourly window number `window` (from kStreamStart) and `lag`.
inline CorrelationRow StreamRow(const std::string& coin, int window, int lag, std::int64_t n = 10) {
  CorrelationRow row;
  row.symbol_id = "BINANCE_SPOT_" + coin + "_USDT";
  row.coin = coin;
  row.mode = AnalysisMode::kBars;
  row.interval = Interval::Fixed(60 * kNanosPerSecond);
  row.lag = lag;
  row.window = {kStreamStart + window * kStreamHour, kStreamStart + (window + 1) * kStreamHour};
  row.first_timestamp = kStreamStart + window * kStreamHour + kNanosPerSecond;
  row.statistics.n = n;
  row.statistics.pearson = 0.125 * lag;
  return row;
}

}  // namespace cryptomood::testing_support
