// Metrics: the Prometheus text a scrape reads. Request counters per (route, status), the
// latency histogram with cumulative "le" buckets (counts worked by hand against the bucket
// bounds in metrics.h, a value on a bound counting as "le" it), its +Inf, _count and _sum,
// and the cache hit and miss counters.
#include "http/metrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace cryptomood::http {
namespace {

std::vector<std::string> RenderedLines(Metrics& metrics) {
  std::string out;
  metrics.Render(out);
  std::vector<std::string> lines;
  std::istringstream stream(out);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

void ExpectLine(const std::vector<std::string>& lines, const std::string& line) {
  EXPECT_EQ(std::count(lines.begin(), lines.end(), line), 1) << "expected once: " << line;
}

// The value of the one line starting with `prefix` (name and labels, then a space).
double ValueOf(const std::vector<std::string>& lines, const std::string& prefix) {
  for (const std::string& line : lines) {
    if (line.starts_with(prefix + " ")) return std::stod(line.substr(prefix.size() + 1));
  }
  ADD_FAILURE() << "no line " << prefix;
  return -1;
}

std::string Bucket(const std::string& route, const std::string& le) {
  return "cryptomood_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + le +
         "\"}";
}

TEST(MetricsTest, CountsRequestsPerRouteAndStatus) {
  Metrics metrics;
  metrics.RecordRequest("/series", 200, 0.01);
  metrics.RecordRequest("/series", 200, 0.02);
  metrics.RecordRequest("/series", 400, 0.001);
  metrics.RecordRequest("/coin", 200, 0.003);
  const auto lines = RenderedLines(metrics);
  ExpectLine(lines, "cryptomood_http_requests_total{route=\"/series\",status=\"200\"} 2");
  ExpectLine(lines, "cryptomood_http_requests_total{route=\"/series\",status=\"400\"} 1");
  ExpectLine(lines, "cryptomood_http_requests_total{route=\"/coin\",status=\"200\"} 1");
  ExpectLine(lines, "# TYPE cryptomood_http_requests_total counter");
  ExpectLine(lines, "cryptomood_http_request_duration_seconds_count{route=\"/series\"} 3");
  ExpectLine(lines, "cryptomood_http_request_duration_seconds_count{route=\"/coin\"} 1");
}

TEST(MetricsTest, LatencyHistogramIsCumulative) {
  Metrics metrics;
  for (double seconds : {0.0004, 0.003, 0.2, 7.0})
    metrics.RecordRequest("/correlation", 200, seconds);
  const auto lines = RenderedLines(metrics);
  // 0.0004 <= 0.0005; 0.003 first fits 0.005; 0.2 first fits 0.25; 7.0 fits no finite bound.
  const std::vector<std::pair<std::string, int>> expected = {
      {"0.0005", 1}, {"0.001", 1}, {"0.0025", 1}, {"0.005", 2}, {"0.01", 2},
      {"0.025", 2},  {"0.05", 2},  {"0.1", 2},    {"0.25", 3},  {"0.5", 3},
      {"1", 3},      {"5", 3},     {"+Inf", 4}};
  for (const auto& [le, count] : expected) {
    ExpectLine(lines, Bucket("/correlation", le) + " " + std::to_string(count));
  }
  ExpectLine(lines, "cryptomood_http_request_duration_seconds_count{route=\"/correlation\"} 4");
  EXPECT_DOUBLE_EQ(
      ValueOf(lines, "cryptomood_http_request_duration_seconds_sum{route=\"/correlation\"}"),
      0.0004 + 0.003 + 0.2 + 7.0);
  ExpectLine(lines, "# TYPE cryptomood_http_request_duration_seconds histogram");
}

TEST(MetricsTest, ALatencyOnABoundCountsInThatBucket) {
  Metrics metrics;
  metrics.RecordRequest("/coin", 200, 0.001);  // le="0.001" means <= 0.001
  metrics.RecordRequest("/coin", 200, 5.0);
  const auto lines = RenderedLines(metrics);
  ExpectLine(lines, Bucket("/coin", "0.0005") + " 0");
  ExpectLine(lines, Bucket("/coin", "0.001") + " 1");
  ExpectLine(lines, Bucket("/coin", "1") + " 1");
  ExpectLine(lines, Bucket("/coin", "5") + " 2");
  ExpectLine(lines, Bucket("/coin", "+Inf") + " 2");
}

TEST(MetricsTest, CacheHitsAndMisses) {
  Metrics metrics;
  auto lines = RenderedLines(metrics);
  ExpectLine(lines, "cryptomood_cache_hits_total 0");
  ExpectLine(lines, "cryptomood_cache_misses_total 0");
  for (bool hit : {true, false, true, true}) metrics.RecordCache(hit);
  lines = RenderedLines(metrics);
  ExpectLine(lines, "cryptomood_cache_hits_total 3");
  ExpectLine(lines, "cryptomood_cache_misses_total 1");
  ExpectLine(lines, "# TYPE cryptomood_cache_hits_total counter");
  ExpectLine(lines, "# TYPE cryptomood_cache_misses_total counter");
}

TEST(MetricsTest, RenderAppends) {
  Metrics metrics;
  std::string out = "cryptomood_store_rows 5\n";
  metrics.Render(out);
  EXPECT_TRUE(out.starts_with("cryptomood_store_rows 5\n# HELP ")) << out.substr(0, 80);
  EXPECT_TRUE(out.ends_with("\n"));
}

}  // namespace
}  // namespace cryptomood::http
