// ResponseCache: computed replies kept per data version under a byte bound. A hit must be the
// very body stored for that key and version (a reply from before an ingest is never served
// after it), eviction must take the least recently used entry first, and a body being sent
// must outlive its eviction.
#include "http/response_cache.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace cryptomood::http {
namespace {

// The body Get returns, or "<miss>".
std::string Body(ResponseCache& cache, const std::string& key, std::int64_t version) {
  const auto body = cache.Get(key, version);
  return body ? *body : "<miss>";
}

// A body of `bytes` bytes naming its key, so a wrong hit shows.
std::string BodyOf(const std::string& key, std::size_t bytes) {
  std::string body = key;
  body.resize(bytes, '.');
  return body;
}

TEST(ResponseCacheTest, GetReturnsWhatPutStored) {
  ResponseCache cache(1000);
  EXPECT_EQ(Body(cache, "a", 1), "<miss>");
  cache.Put("a", 1, "alpha");
  cache.Put("b", 1, "beta");
  EXPECT_EQ(Body(cache, "a", 1), "alpha");
  EXPECT_EQ(Body(cache, "b", 1), "beta");
  EXPECT_EQ(Body(cache, "c", 1), "<miss>");
}

TEST(ResponseCacheTest, ADifferentDataVersionMisses) {
  ResponseCache cache(1000);
  cache.Put("a", 1, "before ingest");
  EXPECT_EQ(Body(cache, "a", 2), "<miss>");
  EXPECT_EQ(Body(cache, "a", 0), "<miss>");
  cache.Put("a", 2, "after ingest");
  EXPECT_EQ(Body(cache, "a", 2), "after ingest");
  EXPECT_EQ(Body(cache, "a", 1), "<miss>");
}

TEST(ResponseCacheTest, EvictsTheLeastRecentlyUsedFirst) {
  ResponseCache cache(30);
  cache.Put("a", 1, BodyOf("a", 10));
  cache.Put("b", 1, BodyOf("b", 10));
  cache.Put("c", 1, BodyOf("c", 10));               // 30 bytes: exactly full, nothing goes
  EXPECT_EQ(Body(cache, "a", 1), BodyOf("a", 10));  // a is now the most recent, b the least
  cache.Put("d", 1, BodyOf("d", 10));               // 40 > 30: b goes
  EXPECT_EQ(Body(cache, "b", 1), "<miss>");
  EXPECT_EQ(Body(cache, "a", 1), BodyOf("a", 10));
  EXPECT_EQ(Body(cache, "c", 1), BodyOf("c", 10));
  EXPECT_EQ(Body(cache, "d", 1), BodyOf("d", 10));
  // Recency is now a, c, d (oldest first, as just read); a 15-byte body makes 45 bytes, and
  // dropping a (35) then c (25) is enough: d stays.
  cache.Put("e", 1, BodyOf("e", 15));
  EXPECT_EQ(Body(cache, "a", 1), "<miss>");
  EXPECT_EQ(Body(cache, "c", 1), "<miss>");
  EXPECT_EQ(Body(cache, "d", 1), BodyOf("d", 10));
  EXPECT_EQ(Body(cache, "e", 1), BodyOf("e", 15));
}

TEST(ResponseCacheTest, ReplacingAKeyFreesItsOldBytes) {
  ResponseCache cache(20);
  cache.Put("a", 1, BodyOf("a", 10));
  cache.Put("a", 2, BodyOf("a", 10));  // replaces: 10 bytes in use, not 20
  cache.Put("b", 1, BodyOf("b", 10));
  EXPECT_EQ(Body(cache, "a", 2), BodyOf("a", 10));
  EXPECT_EQ(Body(cache, "b", 1), BodyOf("b", 10));
}

TEST(ResponseCacheTest, ABodyLargerThanTheBoundIsNotStored) {
  ResponseCache cache(10);
  cache.Put("small", 1, BodyOf("small", 6));
  cache.Put("big", 1, BodyOf("big", 11));
  EXPECT_EQ(Body(cache, "big", 1), "<miss>");
  EXPECT_EQ(Body(cache, "small", 1), BodyOf("small", 6));  // and nothing was evicted for it
  cache.Put("full", 1, BodyOf("full", 10));                // exactly the bound fits
  EXPECT_EQ(Body(cache, "full", 1), BodyOf("full", 10));
}

TEST(ResponseCacheTest, AHeldBodySurvivesEviction) {
  ResponseCache cache(10);
  cache.Put("a", 1, BodyOf("a", 10));
  const std::shared_ptr<const std::string> held = cache.Get("a", 1);
  ASSERT_NE(held, nullptr);
  cache.Put("b", 1, BodyOf("b", 10));
  EXPECT_EQ(Body(cache, "a", 1), "<miss>");
  EXPECT_EQ(*held, BodyOf("a", 10));
}

}  // namespace
}  // namespace cryptomood::http
