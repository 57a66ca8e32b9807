// Cancellation: a token cancelled before the start stops Analyze and BuildBarSeries with
// kCancelled; one that cancels at its K-th poll stops them midway (fewer polls than a whole
// run makes) for several K in tick, bars with lags, windows, compat and series; a token that is
// never cancelled changes no bit of the results.
#include "core/cancellation.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/analysis.h"
#include "core/bar_series.h"
#include "support/cancel_after_polls.h"
#include "support/simulated_market_data.h"

namespace cryptomood {
namespace {

using testing::CancelAfterPolls;

constexpr std::int64_t kHour = 3600 * kNanosPerSecond;

const MarketData& Data() { return testing::SmallSimulatedData(40'000, 10'000, 2); }

std::string Bits(const std::optional<double>& value) {
  return value ? std::to_string(std::bit_cast<std::uint64_t>(*value)) : "null";
}

// Every field of the rows, doubles as bits.
std::string Fingerprint(const std::vector<CorrelationRow>& rows) {
  std::ostringstream out;
  for (const CorrelationRow& row : rows) {
    out << row.symbol_id << ' ' << row.lag << ' ' << row.window.start.value_or(0) << ' '
        << row.statistics.n << ' ' << Bits(row.statistics.pearson) << ' '
        << Bits(row.statistics.spearman) << ' ' << Bits(row.statistics.p_value) << ' '
        << Bits(row.p_value_adjusted) << ' ' << row.best_lag << '\n';
  }
  return out.str();
}

struct Case {
  std::string name;
  AnalysisParams params;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  AnalysisParams tick;
  cases.push_back({"tick", tick});
  tick.window = Interval::Fixed(kHour);
  cases.push_back({"tick_windows", tick});
  AnalysisParams compat;
  compat.mode = AnalysisMode::kCompat;
  cases.push_back({"compat", compat});
  AnalysisParams bars;
  bars.mode = AnalysisMode::kBars;
  bars.lags = LagRange{-30, 30};
  cases.push_back({"bars_lags", bars});
  bars.window = Interval::Fixed(kHour);
  cases.push_back({"bars_lags_windows", bars});
  return cases;
}

TEST(CancellationTest, FirstReasonWinsAndNeverIsNeverCancelled) {
  CancellationToken token;
  EXPECT_FALSE(token.StopRequested());
  token.Cancel(CancelReason::kClientGone);
  token.Cancel(CancelReason::kShutdown);
  EXPECT_TRUE(token.StopRequested());
  EXPECT_EQ(token.reason(), CancelReason::kClientGone);
  EXPECT_EQ(token.CancelledError().kind, ErrorKind::kCancelled);
  EXPECT_NE(token.CancelledError().message.find("disconnected"), std::string::npos);
  EXPECT_FALSE(CancellationToken::Never().StopRequested());
}

TEST(CancellationTest, AnotherThreadsCancelIsSeen) {
  CancellationToken token;
  std::thread canceller([&token] { token.Cancel(CancelReason::kShutdown); });
  canceller.join();
  EXPECT_TRUE(token.StopRequested());
}

TEST(CancellationTest, AnalyzeCancelledBeforeTheStartFails) {
  for (const Case& c : Cases()) {
    CancellationToken token;
    token.Cancel(CancelReason::kShutdown);
    const auto rows = Analyze(Data(), c.params, token);
    ASSERT_FALSE(rows.ok()) << c.name;
    EXPECT_EQ(rows.error().kind, ErrorKind::kCancelled) << c.name;
  }
}

TEST(CancellationTest, AnalyzeStopsMidRunForSeveralPollCounts) {
  for (const Case& c : Cases()) {
    const auto expected = Analyze(Data(), c.params);
    ASSERT_TRUE(expected.ok()) << c.name;
    // A token never cancelled counts the polls of a whole run and changes nothing.
    CancelAfterPolls counter;
    const auto counted = Analyze(Data(), c.params, counter.token());
    ASSERT_TRUE(counted.ok()) << c.name;
    EXPECT_EQ(Fingerprint(*counted), Fingerprint(*expected)) << c.name;
    const std::int64_t whole_run = counter.polls();
    ASSERT_GE(whole_run, 8) << c.name << ": too few polls to cancel midway";
    for (const std::int64_t k : {whole_run / 8, whole_run / 2, whole_run - 2}) {
      CancelAfterPolls cancel(k);
      const auto rows = Analyze(Data(), c.params, cancel.token());
      ASSERT_FALSE(rows.ok()) << c.name << " k=" << k;
      EXPECT_EQ(rows.error().kind, ErrorKind::kCancelled) << c.name << " k=" << k;
      // It stopped: a thread sees the cancel at its next poll and makes no more.
      EXPECT_LT(cancel.polls(), whole_run) << c.name << " k=" << k;
    }
  }
}

TEST(CancellationTest, BarSeriesStopsMidRun) {
  BarSeriesSpan span;
  span.interval = Interval::Fixed(kNanosPerSecond);
  const auto trades = Data().trades(0);
  const auto tweets = Data().sentiment(Data().symbols()[0].coin);
  const auto expected = BuildBarSeries(trades, tweets, span);
  ASSERT_TRUE(expected.ok());
  CancelAfterPolls counter;
  const auto counted = BuildBarSeries(trades, tweets, span, counter.token());
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->size(), expected->size());
  const std::int64_t whole_run = counter.polls();
  ASSERT_GE(whole_run, 8);
  for (const std::int64_t k : {std::int64_t{1}, whole_run / 2, whole_run}) {
    CancelAfterPolls cancel(k);
    const auto bars = BuildBarSeries(trades, tweets, span, cancel.token());
    ASSERT_FALSE(bars.ok()) << k;
    EXPECT_EQ(bars.error().kind, ErrorKind::kCancelled) << k;
    EXPECT_EQ(cancel.polls(), k);
  }
}

}  // namespace
}  // namespace cryptomood
