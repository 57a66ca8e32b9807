// EffectiveWindow: the window the report (like the page) uses when the view leaves it blank,
// the shortest "nice" window holding 200 bars of the interval, within 0.1%. A wrong pick
// makes the report's window correlation differ from what the dashboard shows.
// Expected values are worked by hand from the list in report_builder.cc:
//   1h 2h 4h 6h 12h 1d 2d 1w 2w 4w 3mo 6mo 12mo 24mo 60mo 120mo 240mo
// with a month counted as 30.436875 days and a candidate accepted when it is at least
// 0.999 * 200 bars.
#include "http/report_builder.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace cryptomood::http {
namespace {

std::string WindowFor(const std::string& interval, const std::string& window = "") {
  ReportView view;
  view.interval = interval;
  view.window = window;
  return EffectiveWindow(view);
}

TEST(EffectiveWindowTest, ShortestNiceWindowHoldingTwoHundredBars) {
  // 200 s: 1h (3600 s) already holds it.
  EXPECT_EQ(WindowFor("1s"), "1h");
  // 200 min = 3 h 20: 2h is too short, 4h holds it.
  EXPECT_EQ(WindowFor("1m"), "4h");
  // 1000 min = 16 h 40: 12h too short, 1d holds it.
  EXPECT_EQ(WindowFor("5m"), "1d");
  // 200 h = 8.33 days: 1w (7 d) too short, 2w holds it.
  EXPECT_EQ(WindowFor("1h"), "2w");
  // 200 d: 4w = 28 d, 3mo = 91.3 d, 6mo = 182.6 d are too short; 12mo = 365.2 d holds it.
  EXPECT_EQ(WindowFor("1d"), "12mo");
  // 200 w = 1400 d = 46.0 months: 24mo too short, 60mo holds it.
  EXPECT_EQ(WindowFor("1w"), "60mo");
  // 200 months: 120mo too short, 240mo holds it.
  EXPECT_EQ(WindowFor("1mo"), "240mo");
}

TEST(EffectiveWindowTest, BoundariesAndTolerance) {
  // 72 s * 200 = 14400 s = exactly 4h.
  EXPECT_EQ(WindowFor("72s"), "4h");
  // 73 s * 200 = 14600 s; 0.999 * 14600 = 14585.4 > 14400, so 4h is short: 6h.
  EXPECT_EQ(WindowFor("73s"), "6h");
  // 72.05 s * 200 = 14410 s; 0.999 * 14410 = 14395.59 <= 14400: within tolerance, 4h.
  EXPECT_EQ(WindowFor("72050ms"), "4h");
  // 12mo * 200 = 2400 months, beyond every candidate: the longest, 240mo.
  EXPECT_EQ(WindowFor("12mo"), "240mo");
}

TEST(EffectiveWindowTest, ExplicitWindowPassesThroughUnchanged) {
  EXPECT_EQ(WindowFor("1m", "3d"), "3d");
  EXPECT_EQ(WindowFor("1d", "1h"), "1h");
  EXPECT_EQ(WindowFor("nonsense", "90m"), "90m");
}

TEST(EffectiveWindowTest, UnparsableIntervalFallsBackToOneDay) {
  EXPECT_EQ(WindowFor("bad"), "1d");
  EXPECT_EQ(WindowFor("0m"), "1d");
  EXPECT_EQ(WindowFor(""), "1d");
}

// tests/web/effective_window_cases.txt: INTERVAL WINDOW per line, '#' starts a comment line.
std::vector<std::pair<std::string, std::string>> SharedCases() {
  std::ifstream file(CRYPTOMOOD_EFFECTIVE_WINDOW_CASES);
  std::vector<std::pair<std::string, std::string>> cases;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line.front() == '#') continue;
    std::istringstream fields(line);
    std::string interval;
    std::string window;
    fields >> interval >> window;
    cases.emplace_back(interval, window);
  }
  return cases;
}

// The page's twin (web/static/lib/api.js) is held to the same table by
// tests/web/effective_window.test.mjs, so the report and the dashboard agree.
TEST(EffectiveWindowTest, AgreesWithThePageOnTheSharedCaseTable) {
  const auto cases = SharedCases();
  ASSERT_GT(cases.size(), 20u) << "cannot read " << CRYPTOMOOD_EFFECTIVE_WINDOW_CASES;
  for (const auto& [interval, window] : cases) {
    EXPECT_EQ(WindowFor(interval), window) << "interval " << interval;
  }
}

}  // namespace
}  // namespace cryptomood::http
