// StreamParamsKey names the rows a stream stores: requests that give the same rows must find
// them under one key, and requests that give other rows must not.
#include "core/stream_params_key.h"

#include <gtest/gtest.h>

namespace cryptomood {
namespace {

AnalysisParams Bars() {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  params.lags = LagRange{-2, 2};
  params.window = Interval::Fixed(3600 * kNanosPerSecond);
  return params;
}

TEST(StreamParamsKeyTest, BarsKeyNamesIntervalLagsAndWindow) {
  EXPECT_EQ(StreamParamsKey(Bars()), "mode=bars interval=1m lags=-2:2 window=1h");
}

TEST(StreamParamsKeyTest, TickKeyNamesEffectiveDirectionToleranceAndWindow) {
  AnalysisParams params;
  params.window = Interval::Fixed(24 * 3600 * kNanosPerSecond);
  EXPECT_EQ(StreamParamsKey(params), "mode=tick direction=backward tolerance=none window=1d");
  params.tolerance_nanos = 30 * kNanosPerSecond;
  EXPECT_EQ(StreamParamsKey(params), "mode=tick direction=backward tolerance=30s window=1d");
  params.tolerance_nanos = 0;
  EXPECT_EQ(StreamParamsKey(params), "mode=tick direction=backward tolerance=0 window=1d");
}

TEST(StreamParamsKeyTest, DefaultsAndSpellingsGiveTheSameKey) {
  AnalysisParams implicit;
  implicit.window = Interval::Fixed(3600 * kNanosPerSecond);
  AnalysisParams explicit_backward = implicit;
  explicit_backward.direction = JoinDirection::kBackward;
  explicit_backward.window = Interval::Fixed(60 * 60 * kNanosPerSecond);
  EXPECT_EQ(StreamParamsKey(implicit), StreamParamsKey(explicit_backward));

  AnalysisParams compat;
  compat.mode = AnalysisMode::kCompat;
  AnalysisParams compat_nearest = compat;
  compat_nearest.direction = JoinDirection::kNearest;
  EXPECT_EQ(StreamParamsKey(compat), StreamParamsKey(compat_nearest));
}

TEST(StreamParamsKeyTest, CoinsThreadsAndIgnoredFieldsAreNotPartOfIt) {
  AnalysisParams other = Bars();
  other.coins = {"BTC", "ETH"};
  other.threads = 7;
  EXPECT_EQ(StreamParamsKey(Bars()), StreamParamsKey(other));

  AnalysisParams tick;
  AnalysisParams tick_other_interval = tick;
  tick_other_interval.interval = Interval::Fixed(5 * kNanosPerSecond);  // tick ignores bars
  EXPECT_EQ(StreamParamsKey(tick), StreamParamsKey(tick_other_interval));
}

TEST(StreamParamsKeyTest, WhatChangesTheRowsChangesTheKey) {
  const std::string base = StreamParamsKey(Bars());
  AnalysisParams interval = Bars();
  interval.interval = Interval::Fixed(5 * 60 * kNanosPerSecond);
  AnalysisParams lags = Bars();
  lags.lags = LagRange{-1, 2};
  AnalysisParams window = Bars();
  window.window = Interval::Months(1);
  AnalysisParams no_window = Bars();
  no_window.window.reset();
  for (const AnalysisParams& changed : {interval, lags, window, no_window}) {
    EXPECT_NE(StreamParamsKey(changed), base);
  }

  AnalysisParams tick;
  AnalysisParams forward = tick;
  forward.direction = JoinDirection::kForward;
  AnalysisParams compat = tick;
  compat.mode = AnalysisMode::kCompat;
  EXPECT_NE(StreamParamsKey(forward), StreamParamsKey(tick));
  EXPECT_NE(StreamParamsKey(compat), StreamParamsKey(tick));
}

}  // namespace
}  // namespace cryptomood
