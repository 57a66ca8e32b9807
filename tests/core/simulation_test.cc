#include "core/simulation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/random.h"
#include "support/reference_statistics.h"

namespace cryptomood {
namespace {

using testing::ReferencePearson;

constexpr std::int64_t kMinuteNanos = 60 * kNanosPerSecond;

// --- the random generator -------------------------------------------------------------

TEST(RandomGeneratorTest, MatchesXoshiroWorkedByHand) {
  // From state {1, 2, 3, 4}: rotl(2 * 5, 7) * 9 = 11520; then s1 becomes 0, so 0; then
  // s1 = 262149 and rotl(262149 * 5, 7) * 9 = 1509978240.
  RandomGenerator generator = RandomGenerator::FromState({1, 2, 3, 4});
  EXPECT_EQ(generator.NextBits(), 11520u);
  EXPECT_EQ(generator.NextBits(), 0u);
  EXPECT_EQ(generator.NextBits(), 1509978240u);
}

TEST(RandomGeneratorTest, SplitMixMatchesPublishedOutputsForSeedZero) {
  SplitMix64 spreader(0);
  EXPECT_EQ(spreader.Next(), 0xE220A8397B1DCDAFULL);
  EXPECT_EQ(spreader.Next(), 0x6E789E6AA1B965F4ULL);
  EXPECT_EQ(spreader.Next(), 0x06C45D188009454FULL);
}

TEST(RandomGeneratorTest, NormalHasStandardMomentsAndTails) {
  RandomGenerator generator(42);
  constexpr int kDraws = 400'000;
  double sum = 0, sum_squares = 0, sum_fourth = 0;
  int inside = 0;
  for (int draw = 0; draw < kDraws; ++draw) {
    const double value = generator.Normal();
    sum += value;
    sum_squares += value * value;
    sum_fourth += value * value * value * value;
    inside += std::abs(value) < 1.959964;
  }
  const double mean = sum / kDraws;
  EXPECT_NEAR(mean, 0, 0.01);                                      // standard error 0.0016
  EXPECT_NEAR(sum_squares / kDraws, 1, 0.015);                     // standard error 0.0022
  EXPECT_NEAR(sum_fourth / kDraws, 3, 0.08);                       // standard error 0.015
  EXPECT_NEAR(static_cast<double>(inside) / kDraws, 0.95, 0.004);  // standard error 0.00034
}

TEST(RandomGeneratorTest, UniformsStayInRangeAndAreEven) {
  RandomGenerator generator(7);
  std::vector<int> counts(6, 0);
  double sum = 0;
  constexpr int kDraws = 600'000;
  for (int draw = 0; draw < kDraws; ++draw) {
    const double uniform = generator.Uniform();
    ASSERT_GE(uniform, 0.0);
    ASSERT_LT(uniform, 1.0);
    const double positive = generator.UniformPositive();
    ASSERT_GT(positive, 0.0);
    ASSERT_LE(positive, 1.0);
    sum += uniform;
    const std::uint64_t face = generator.UniformBelow(6);
    ASSERT_LT(face, 6u);
    ++counts[face];
  }
  EXPECT_NEAR(sum / kDraws, 0.5, 0.003);
  for (const int count : counts) EXPECT_NEAR(count, kDraws / 6, 1'000);  // sd about 290
}

TEST(RandomGeneratorTest, StreamsDifferAndRepeat) {
  RandomGenerator first = RandomGenerator::ForStream(1, 1);
  RandomGenerator again = RandomGenerator::ForStream(1, 1);
  RandomGenerator other = RandomGenerator::ForStream(1, 2);
  const std::uint64_t value = first.NextBits();
  EXPECT_EQ(value, again.NextBits());
  EXPECT_NE(value, other.NextBits());
}

// --- planted effect specs and validation ------------------------------------------------

TEST(PlantedEffectTest, FormatsAsParsed) {
  EXPECT_EQ(FormatPlantedEffect(PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 2, 0.4}),
            "ETH:leads:2:0.4");
  EXPECT_EQ(FormatPlantedEffect(PlantedEffect{"BTC", EffectKind::kReturnsLeadSentiment, 1, -0.3}),
            "BTC:follows:1:-0.3");
}

TEST(PlantedEffectTest, DefaultsAreTheDocumentedPair) {
  const std::vector<PlantedEffect> defaults = DefaultPlantedEffects();
  ASSERT_EQ(defaults.size(), 2u);
  EXPECT_EQ(FormatPlantedEffect(defaults[0]), "ETH:leads:2:0.4");
  EXPECT_EQ(FormatPlantedEffect(defaults[1]), "BTC:follows:1:0.3");
}

TEST(ValidateSimulationConfigTest, AcceptsDefaults) {
  SimulationConfig config;
  config.effects = DefaultPlantedEffects();
  EXPECT_TRUE(ValidateSimulationConfig(config).ok());
}

TEST(ValidateSimulationConfigTest, RejectsEachBadField) {
  const std::vector<std::pair<const char*, void (*)(SimulationConfig&)>> cases = {
      {"no coins", [](SimulationConfig& c) { c.coins.clear(); }},
      {"lower-case coin", [](SimulationConfig& c) { c.coins = {"btc"}; }},
      {"empty coin",
       [](SimulationConfig& c) {
         c.coins = {"BTC", ""};
       }},
      {"coin with underscore", [](SimulationConfig& c) { c.coins = {"BTC_X"}; }},
      {"duplicate coin",
       [](SimulationConfig& c) {
         c.coins = {"BTC", "ETH", "BTC"};
       }},
      {"negative trades", [](SimulationConfig& c) { c.trades = -1; }},
      {"negative tweets", [](SimulationConfig& c) { c.tweets = -5; }},
      {"zero days", [](SimulationConfig& c) { c.days = 0; }},
      {"nan days", [](SimulationConfig& c) { c.days = std::nan(""); }},
      {"zero step", [](SimulationConfig& c) { c.step_nanos = 0; }},
      {"sub-microsecond step", [](SimulationConfig& c) { c.step_nanos = 1'500; }},
      {"step longer than span",
       [](SimulationConfig& c) { c.step_nanos = 8 * 86'400 * kNanosPerSecond; }},
      {"start before 1970", [](SimulationConfig& c) { c.start = -kNanosPerSecond; }},
      {"start not whole microsecond", [](SimulationConfig& c) { c.start += 1; }},
      {"span past 2262",
       [](SimulationConfig& c) {
         c.start = 9'214'000'000 * kNanosPerSecond;
         c.days = 30;
       }},
      {"persistence 1", [](SimulationConfig& c) { c.sentiment_persistence = 1; }},
      {"negative noise", [](SimulationConfig& c) { c.polarity_noise = -0.1; }},
      {"effect on absent coin",
       [](SimulationConfig& c) {
         c.effects = {PlantedEffect{"DOGE", EffectKind::kSentimentLeadsReturns, 2, 0.4}};
       }},
      {"effect lag 0",
       [](SimulationConfig& c) {
         c.effects = {PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 0, 0.4}};
       }},
      {"effect strength 1",
       [](SimulationConfig& c) {
         c.effects = {PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 2, 1.0}};
       }},
      {"two effects of one kind on a coin",
       [](SimulationConfig& c) {
         c.effects = {PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 2, 0.4},
                      PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 3, 0.2}};
       }},
  };
  for (const auto& [name, spoil] : cases) {
    SimulationConfig config;
    spoil(config);
    const Status status = ValidateSimulationConfig(config);
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_EQ(status.error().kind, ErrorKind::kUsage) << name;
    EXPECT_FALSE(Simulation::Create(config).ok()) << name;
  }
}

TEST(ValidateSimulationConfigTest, AllowsOneEffectOfEachKindOnACoin) {
  SimulationConfig config;
  config.effects = {PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 2, 0.4},
                    PlantedEffect{"ETH", EffectKind::kReturnsLeadSentiment, 1, 0.3}};
  EXPECT_TRUE(ValidateSimulationConfig(config).ok());
}

// --- the records ----------------------------------------------------------------------------

std::vector<SimulatedRecord> Generate(const SimulationConfig& config) {
  auto simulation = Simulation::Create(config);
  EXPECT_TRUE(simulation.ok()) << simulation.error().message;
  std::vector<SimulatedRecord> records;
  if (!simulation.ok()) return records;
  SimulatedRecord record;
  while (simulation->Next(record)) records.push_back(record);
  return records;
}

SimulationConfig SmallConfig() {
  SimulationConfig config;
  config.trades = 10'001;
  config.tweets = 3'000;
  config.days = 1;
  config.seed = 99;
  config.effects = DefaultPlantedEffects();
  return config;
}

TEST(SimulationTest, EmitsExactCountsSplitEvenlyOverCoins) {
  const std::vector<SimulatedRecord> records = Generate(SmallConfig());
  std::map<std::uint32_t, std::int64_t> trades_per_coin;
  std::int64_t tweets = 0;
  for (const SimulatedRecord& record : records) {
    if (record.kind == SimulatedRecord::Kind::kTrade) {
      ++trades_per_coin[record.trade.coin];
    } else {
      ++tweets;
    }
  }
  EXPECT_EQ(tweets, 3'000);
  ASSERT_EQ(trades_per_coin.size(), 3u);
  EXPECT_EQ(trades_per_coin[0], 3'334);  // 10001 = 3334 + 3334 + 3333
  EXPECT_EQ(trades_per_coin[1], 3'334);
  EXPECT_EQ(trades_per_coin[2], 3'333);
}

TEST(SimulationTest, RecordsAreOrderedWholeMicrosecondsInsideTheSpan) {
  const SimulationConfig config = SmallConfig();
  const std::vector<SimulatedRecord> records = Generate(config);
  const TimestampNs end = config.start + 86'400 * kNanosPerSecond;
  TimestampNs previous = config.start;
  for (const SimulatedRecord& record : records) {
    const TimestampNs timestamp = record.kind == SimulatedRecord::Kind::kTrade
                                      ? record.trade.timestamp
                                      : record.tweet.timestamp;
    ASSERT_GE(timestamp, previous);
    ASSERT_LT(timestamp, end);
    ASSERT_EQ(timestamp % kNanosPerMicro, 0);
    previous = timestamp;
  }
}

TEST(SimulationTest, TradesHaveIncreasingSequencesUniqueVersion4UuidsAndSaneValues) {
  const std::vector<SimulatedRecord> records = Generate(SmallConfig());
  std::map<std::uint32_t, std::int64_t> last_sequence;
  std::set<std::pair<std::uint64_t, std::uint64_t>> uuids;
  std::set<TakerSide> sides;
  for (const SimulatedRecord& record : records) {
    if (record.kind != SimulatedRecord::Kind::kTrade) continue;
    const SimulatedTrade& trade = record.trade;
    EXPECT_EQ(trade.sequence, last_sequence[trade.coin] + 1);
    last_sequence[trade.coin] = trade.sequence;
    EXPECT_TRUE(uuids.emplace(trade.uuid.high, trade.uuid.low).second);
    EXPECT_EQ((trade.uuid.high >> 12) & 0xF, 4u);  // version nibble: 13th hex digit
    EXPECT_EQ(trade.uuid.low >> 62, 2u);           // variant bits 10
    ASSERT_TRUE(std::isfinite(trade.price));
    EXPECT_GT(trade.price, 0);
    EXPECT_GT(trade.size, 0);
    EXPECT_LE(trade.size, 100);
    sides.insert(trade.taker_side);
  }
  EXPECT_EQ(sides.size(), 4u);
}

TEST(SimulationTest, TweetsNameOneToThreeDistinctCoinsWithPolarityInRange) {
  const std::vector<SimulatedRecord> records = Generate(SmallConfig());
  std::map<std::uint32_t, int> by_count;
  for (const SimulatedRecord& record : records) {
    if (record.kind != SimulatedRecord::Kind::kTweet) continue;
    const SimulatedTweet& tweet = record.tweet;
    ASSERT_GE(tweet.coin_count, 1u);
    ASSERT_LE(tweet.coin_count, 3u);
    ++by_count[tweet.coin_count];
    std::set<std::uint32_t> coins(tweet.coins.begin(), tweet.coins.begin() + tweet.coin_count);
    EXPECT_EQ(coins.size(), tweet.coin_count);
    EXPECT_LT(*coins.rbegin(), 3u);
    EXPECT_GE(tweet.polarity, -1.0);
    EXPECT_LE(tweet.polarity, 1.0);
  }
  for (std::uint32_t count = 1; count <= 3; ++count) {
    EXPECT_NEAR(by_count[count], 1'000, 120) << count;  // binomial sd about 26
  }
}

TEST(SimulationTest, SingleCoinTweetsNameThatCoin) {
  SimulationConfig config = SmallConfig();
  config.coins = {"XRP"};
  config.effects.clear();
  for (const SimulatedRecord& record : Generate(config)) {
    if (record.kind == SimulatedRecord::Kind::kTweet) {
      ASSERT_EQ(record.tweet.coin_count, 1u);
      EXPECT_EQ(record.tweet.coins[0], 0u);
    } else {
      EXPECT_GE(record.trade.price, 0.5);  // starts between 1 and 100, moves ~5% a day
      EXPECT_LE(record.trade.price, 200);
    }
  }
}

TEST(SimulationTest, NothingToEmitWhenCountsAreZero) {
  SimulationConfig config = SmallConfig();
  config.trades = 0;
  config.tweets = 0;
  EXPECT_TRUE(Generate(config).empty());
}

bool SameRecord(const SimulatedRecord& a, const SimulatedRecord& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == SimulatedRecord::Kind::kTrade) {
    return a.trade.timestamp == b.trade.timestamp && a.trade.coin == b.trade.coin &&
           a.trade.price == b.trade.price && a.trade.size == b.trade.size &&
           a.trade.sequence == b.trade.sequence && a.trade.taker_side == b.trade.taker_side &&
           a.trade.uuid == b.trade.uuid;
  }
  return a.tweet.timestamp == b.tweet.timestamp && a.tweet.polarity == b.tweet.polarity &&
         a.tweet.coin_count == b.tweet.coin_count && a.tweet.coins == b.tweet.coins;
}

bool SameRecords(const std::vector<SimulatedRecord>& a, const std::vector<SimulatedRecord>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), SameRecord);
}

TEST(SimulationTest, SameSeedSameRecordsOtherSeedOtherRecords) {
  SimulationConfig config = SmallConfig();
  const std::vector<SimulatedRecord> first = Generate(config);
  EXPECT_TRUE(SameRecords(first, Generate(config)));
  config.seed = 100;
  EXPECT_FALSE(SameRecords(first, Generate(config)));
}

std::vector<SimulatedRecord> TradesOnly(const std::vector<SimulatedRecord>& records) {
  std::vector<SimulatedRecord> trades;
  for (const SimulatedRecord& record : records) {
    if (record.kind == SimulatedRecord::Kind::kTrade) trades.push_back(record);
  }
  return trades;
}

TEST(SimulationTest, TweetCountDoesNotMovePrices) {
  SimulationConfig config = SmallConfig();
  const std::vector<SimulatedRecord> few_tweets = TradesOnly(Generate(config));
  config.tweets = 7'777;
  EXPECT_TRUE(SameRecords(few_tweets, TradesOnly(Generate(config))));
}

// --- the statistics of the model, computed from the records alone -----------------------

// Per step: a coin's close (its last trade's price) and the mean polarity of the tweets that
// name it; computed here without any engine code, as the analysis definitions say.
struct StepSeries {
  std::vector<std::optional<double>> close;
  std::vector<std::optional<double>> sentiment;
};

StepSeries BuildSteps(const std::vector<SimulatedRecord>& records, const SimulationConfig& config,
                      std::uint32_t coin) {
  const auto steps = static_cast<std::size_t>(std::llround(config.days * 86'400 * kNanosPerSecond /
                                                           static_cast<double>(config.step_nanos)));
  StepSeries series{std::vector<std::optional<double>>(steps),
                    std::vector<std::optional<double>>(steps)};
  std::vector<double> polarity_sum(steps, 0);
  std::vector<int> polarity_count(steps, 0);
  const auto step_of = [&](TimestampNs timestamp) {
    return static_cast<std::size_t>((timestamp - config.start) / config.step_nanos);
  };
  for (const SimulatedRecord& record : records) {
    if (record.kind == SimulatedRecord::Kind::kTrade) {
      if (record.trade.coin == coin)
        series.close[step_of(record.trade.timestamp)] = record.trade.price;
      continue;
    }
    const SimulatedTweet& tweet = record.tweet;
    if (std::find(tweet.coins.begin(), tweet.coins.begin() + tweet.coin_count, coin) !=
        tweet.coins.begin() + tweet.coin_count) {
      polarity_sum[step_of(tweet.timestamp)] += tweet.polarity;
      ++polarity_count[step_of(tweet.timestamp)];
    }
  }
  for (std::size_t step = 0; step < steps; ++step) {
    if (polarity_count[step] > 0)
      series.sentiment[step] = polarity_sum[step] / polarity_count[step];
  }
  return series;
}

std::optional<double> StepReturn(const StepSeries& series, std::size_t step) {
  if (step == 0 || step >= series.close.size() || !series.close[step] || !series.close[step - 1]) {
    return std::nullopt;
  }
  return std::log(*series.close[step] / *series.close[step - 1]);
}

// Pearson of (sentiment_b, return_(b+lag)): lag > 0 means sentiment leads.
double LagCorrelation(const StepSeries& series, int lag) {
  std::vector<double> sentiments, returns;
  for (std::size_t step = 0; step < series.sentiment.size(); ++step) {
    const auto later = static_cast<std::size_t>(static_cast<std::int64_t>(step) + lag);
    const std::optional<double> step_return = StepReturn(series, later);
    if (series.sentiment[step] && step_return) {
      sentiments.push_back(*series.sentiment[step]);
      returns.push_back(*step_return);
    }
  }
  EXPECT_GT(sentiments.size(), 9'000u);
  return ReferencePearson(sentiments, returns);
}

std::map<int, double> LagScan(const StepSeries& series) {
  std::map<int, double> by_lag;
  for (int lag = -3; lag <= 3; ++lag) by_lag[lag] = LagCorrelation(series, lag);
  return by_lag;
}

int LagOfLargestMagnitude(const std::map<int, double>& by_lag) {
  return std::max_element(
             by_lag.begin(), by_lag.end(),
             [](const auto& a, const auto& b) { return std::abs(a.second) < std::abs(b.second); })
      ->first;
}

SimulationConfig WeekConfig(std::vector<PlantedEffect> effects) {
  SimulationConfig config;  // 200000 trades, 50000 tweets, 7 days of 1-minute steps
  config.effects = std::move(effects);
  return config;
}

TEST(SimulationStatisticsTest, StepReturnsHaveTheDocumentedVolatility) {
  const SimulationConfig config = WeekConfig({});
  const std::vector<SimulatedRecord> records = Generate(config);
  // ETH: 4% a day, so 0.04 * sqrt(1 / 1440) = 0.00105409 a minute.
  const StepSeries series = BuildSteps(records, config, 1);
  double sum = 0, sum_squares = 0;
  int count = 0;
  for (std::size_t step = 0; step < series.close.size(); ++step) {
    if (const auto value = StepReturn(series, step)) {
      sum += *value;
      sum_squares += *value * *value;
      ++count;
    }
  }
  ASSERT_GT(count, 9'900);  // about 6.6 trades a step: hardly any step without one
  const double mean = sum / count;
  const double deviation = std::sqrt(sum_squares / count - mean * mean);
  EXPECT_NEAR(deviation, 0.00105409, 0.00105409 * 0.04);  // standard error about 0.7%
}

TEST(SimulationStatisticsTest, DefaultPlantShowsEthPeakAtLagTwoBtcAtMinusOneAndLtcNothing) {
  const SimulationConfig config = WeekConfig(DefaultPlantedEffects());
  const std::vector<SimulatedRecord> records = Generate(config);
  const std::map<int, double> btc = LagScan(BuildSteps(records, config, 0));
  const std::map<int, double> eth = LagScan(BuildSteps(records, config, 1));
  const std::map<int, double> ltc = LagScan(BuildSteps(records, config, 2));
  // With ~9700 pairs a correlation has a standard error of about 0.01.
  EXPECT_EQ(LagOfLargestMagnitude(eth), 2);
  EXPECT_GT(eth.at(2), 0.15);
  EXPECT_EQ(LagOfLargestMagnitude(btc), -1);
  EXPECT_GT(btc.at(-1), 0.1);
  for (const auto& [lag, r] : ltc) EXPECT_LT(std::abs(r), 0.05) << "LTC lag " << lag;
}

TEST(SimulationStatisticsTest, NegativeStrengthGivesANegativePeak) {
  const SimulationConfig config =
      WeekConfig({PlantedEffect{"LTC", EffectKind::kSentimentLeadsReturns, 3, -0.5}});
  const std::vector<SimulatedRecord> records = Generate(config);
  const std::map<int, double> ltc = LagScan(BuildSteps(records, config, 2));
  EXPECT_EQ(LagOfLargestMagnitude(ltc), 3);
  EXPECT_LT(ltc.at(3), -0.15);
}

TEST(SimulationStatisticsTest, NoPlantNoCorrelationAnywhere) {
  const SimulationConfig config = WeekConfig({});
  const std::vector<SimulatedRecord> records = Generate(config);
  for (std::uint32_t coin = 0; coin < 3; ++coin) {
    for (const auto& [lag, r] : LagScan(BuildSteps(records, config, coin))) {
      EXPECT_LT(std::abs(r), 0.05) << config.coins[coin] << " lag " << lag;
    }
  }
}

TEST(SimulationStatisticsTest, TradesStayNearTheirStepClose) {
  const SimulationConfig config = WeekConfig({});
  const std::vector<SimulatedRecord> records = Generate(config);
  const StepSeries series = BuildSteps(records, config, 1);
  for (const SimulatedRecord& record : records) {
    if (record.kind != SimulatedRecord::Kind::kTrade || record.trade.coin != 1) continue;
    const auto step =
        static_cast<std::size_t>((record.trade.timestamp - config.start) / kMinuteNanos);
    // Within a minute ETH moves ~0.1% (sd); 1% would be a ten-sigma move.
    ASSERT_NEAR(std::log(record.trade.price / *series.close[step]), 0, 0.01);
  }
}

}  // namespace
}  // namespace cryptomood
