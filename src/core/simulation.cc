#include "core/simulation.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "core/identifier.h"
#include "core/random.h"
#include "core/status_macros.h"

namespace cryptomood {
namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000;
// 2262-01-01T00:00:00Z: int64 nanoseconds run out a few months later.
constexpr TimestampNs kLatestEnd = 9'214'646'400 * kNanosPerSecond;
constexpr double kMaxDays = 36'525;  // a century
constexpr std::size_t kMaxCoins = 10'000;
constexpr std::int64_t kMaxRecords = std::int64_t{1} << 50;

// Random streams: one per part of the model, so parts do not shift each other's numbers.
constexpr std::uint64_t kCoinPathStream = 1ULL << 32;
constexpr std::uint64_t kTradeStream = 2ULL << 32;
constexpr std::uint64_t kTweetStream = 3ULL << 32;

// Intraday trade prices scatter around the path by this fraction of the step volatility:
// enough to look like trading, too little to matter next to a step's move.
constexpr double kTradeNoiseFraction = 0.1;
constexpr double kMaxTradeSize = 100;  // sizes uniform on (0, 100], like the seed data

struct CoinProfile {
  std::string_view ticker;
  double start_price;
  double daily_volatility;
};

// Mid-July 2018 levels; daily volatility of log prices in the range those coins showed.
constexpr CoinProfile kKnownCoins[] = {
    {"BTC", 6300, 0.030},
    {"ETH", 430, 0.040},
    {"LTC", 80, 0.045},
};
constexpr double kOtherCoinDailyVolatility = 0.05;

Error UsageError(std::string message) { return Error{std::move(message), ErrorKind::kUsage}; }

std::string FormatShortest(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::int64_t SpanMicros(const SimulationConfig& config) {
  return std::llround(config.days * static_cast<double>(kMicrosPerDay));
}

Status ValidateEffects(const SimulationConfig& config) {
  std::set<std::pair<std::string, EffectKind>> seen;
  for (const PlantedEffect& effect : config.effects) {
    const std::string name = FormatPlantedEffect(effect);
    if (std::find(config.coins.begin(), config.coins.end(), effect.coin) == config.coins.end()) {
      return UsageError("planted effect " + name + ": coin " + effect.coin +
                        " is not among the simulated coins");
    }
    if (effect.lag_steps < 1 || effect.lag_steps > kMaxPlantedLagSteps) {
      return UsageError("planted effect " + name + ": lag must be 1 to " +
                        std::to_string(kMaxPlantedLagSteps) + " steps");
    }
    if (!(effect.strength > -1 && effect.strength < 1)) {
      return UsageError("planted effect " + name + ": strength must lie strictly between -1 and 1");
    }
    if (!seen.emplace(effect.coin, effect.kind).second) {
      return UsageError("planted effect " + name + ": " + effect.coin +
                        " already has an effect of that kind");
    }
  }
  return Status::Ok();
}

Status ValidateCoins(const std::vector<std::string>& coins) {
  if (coins.empty()) return UsageError("coins: at least one coin is needed");
  if (coins.size() > kMaxCoins) {
    return UsageError("at most " + std::to_string(kMaxCoins) + " coins can be simulated");
  }
  std::set<std::string_view> seen;
  for (const std::string& coin : coins) {
    if (!IsTicker(coin)) {
      return UsageError("coins: '" + coin + "' is not a ticker: use " + std::string(kTickerShape));
    }
    if (!seen.insert(coin).second) return UsageError("coins: " + coin + " is listed twice");
  }
  return Status::Ok();
}

Status ValidateTimeline(const SimulationConfig& config) {
  if (!std::isfinite(config.days) || config.days <= 0 || config.days > kMaxDays) {
    return UsageError("days must be a number above 0 and at most " + FormatShortest(kMaxDays));
  }
  const std::int64_t span_micros = SpanMicros(config);
  if (span_micros < 1) return UsageError("days must cover at least one microsecond");
  if (config.step_nanos <= 0 || config.step_nanos % kNanosPerMicro != 0) {
    return UsageError("step must be a positive whole number of microseconds");
  }
  if (config.step_nanos / kNanosPerMicro > span_micros) {
    return UsageError("step must not be longer than the simulated span");
  }
  if (config.start < 0 || config.start % kNanosPerMicro != 0) {
    return UsageError("start must be a whole microsecond in 1970 or later");
  }
  if (config.start > kLatestEnd - span_micros * kNanosPerMicro) {
    return UsageError("the simulated span must end before the year 2262");
  }
  return Status::Ok();
}

Status ValidateModelParameters(const SimulationConfig& config) {
  if (config.trades < 0 || config.trades > kMaxRecords) {
    return UsageError("trades must be 0 to " + std::to_string(kMaxRecords));
  }
  if (config.tweets < 0 || config.tweets > kMaxRecords) {
    return UsageError("tweets must be 0 to " + std::to_string(kMaxRecords));
  }
  if (!(config.sentiment_persistence >= 0 && config.sentiment_persistence < 1)) {
    return UsageError("sentiment persistence must be in [0, 1)");
  }
  if (!(config.polarity_scale >= 0 && std::isfinite(config.polarity_scale))) {
    return UsageError("polarity scale must be finite and >= 0");
  }
  if (!(config.polarity_noise >= 0 && std::isfinite(config.polarity_noise))) {
    return UsageError("polarity noise must be finite and >= 0");
  }
  return Status::Ok();
}

// Arrival times of `count` points uniform on [0, span), produced in increasing order without
// storing them: the minimum of m uniforms on (x, 1) is x + (1 - x) * (1 - V^(1/m)) for V
// uniform on (0, 1], and 1 - V^(1/m) = -expm1(log(V) / m) keeps full precision for large m.
class SortedArrivals {
 public:
  SortedArrivals(RandomGenerator& random, std::int64_t count, std::int64_t span_micros)
      : remaining_(count), span_micros_(span_micros) {
    Draw(random);
  }

  bool exhausted() const { return exhausted_; }
  std::int64_t offset_micros() const { return offset_micros_; }

  // Moves to the following arrival; marks the stream exhausted after the last one.
  void Draw(RandomGenerator& random) {
    if (remaining_ == 0) {
      exhausted_ = true;
      return;
    }
    const double gap_fraction =
        -std::expm1(std::log(random.UniformPositive()) / static_cast<double>(remaining_));
    position_ += (1 - position_) * gap_fraction;
    --remaining_;
    const auto offset = static_cast<std::int64_t>(position_ * static_cast<double>(span_micros_));
    offset_micros_ = std::min(offset, span_micros_ - 1);
  }

 private:
  std::int64_t remaining_;
  std::int64_t span_micros_;
  double position_ = 0;  // the current arrival as a fraction of the span
  std::int64_t offset_micros_ = 0;
  bool exhausted_ = false;
};

struct LagEffect {
  std::size_t lag = 0;
  double strength = 0;
  double complement = 0;  // sqrt(1 - strength^2): keeps the driven series at unit variance
};

LagEffect MakeLagEffect(const PlantedEffect& effect) {
  return LagEffect{static_cast<std::size_t>(effect.lag_steps), effect.strength,
                   std::sqrt(1 - effect.strength * effect.strength)};
}

// One coin's latent sentiment and price path, advanced one step at a time. The last
// `history` steps of s and z are kept in rings for the lagged effects.
class CoinPath {
 public:
  CoinPath(RandomGenerator random, const CoinProfile& profile, double step_fraction_of_day,
           double persistence, std::size_t history)
      : random_(random),
        step_volatility_(profile.daily_volatility * std::sqrt(step_fraction_of_day)),
        persistence_(persistence),
        innovation_scale_(std::sqrt(1 - persistence * persistence)),
        sentiment_ring_(history, 0.0),
        shock_ring_(history, 0.0),
        latent_(random_.Normal()),  // start in the stationary distribution of the AR(1)
        open_(profile.start_price),
        close_(profile.start_price) {}

  void set_leads(const LagEffect& effect) { leads_ = effect; }
  void set_follows(const LagEffect& effect) { follows_ = effect; }

  void Step() {
    const std::size_t ring = sentiment_ring_.size();
    const std::size_t slot = step_index_ % ring;
    latent_ = persistence_ * latent_ + innovation_scale_ * random_.Normal();
    sentiment_ = latent_;
    if (follows_) {
      const double past_shock = shock_ring_[(step_index_ + ring - follows_->lag) % ring];
      sentiment_ = follows_->strength * past_shock + follows_->complement * latent_;
    }
    double shock = random_.Normal();
    if (leads_) {
      const double past_sentiment = sentiment_ring_[(step_index_ + ring - leads_->lag) % ring];
      shock = leads_->strength * past_sentiment + leads_->complement * shock;
    }
    sentiment_ring_[slot] = sentiment_;
    shock_ring_[slot] = shock;
    log_return_ = step_volatility_ * shock;
    open_ = close_;
    close_ = open_ * std::exp(log_return_);
    ++step_index_;
  }

  // After the burn-in: the price path restarts at the profile's level, the rings stay.
  void ResetPrice(double price) { open_ = close_ = price; }

  double sentiment() const { return sentiment_; }
  double step_volatility() const { return step_volatility_; }
  double open() const { return open_; }
  double close() const { return close_; }
  double log_return() const { return log_return_; }

 private:
  RandomGenerator random_;
  double step_volatility_;
  double persistence_;
  double innovation_scale_;
  std::vector<double> sentiment_ring_;
  std::vector<double> shock_ring_;
  std::optional<LagEffect> leads_;
  std::optional<LagEffect> follows_;
  std::size_t step_index_ = 0;
  double latent_;
  double sentiment_ = 0;
  double log_return_ = 0;
  double open_;
  double close_;
};

CoinProfile ProfileFor(std::string_view ticker, RandomGenerator& random) {
  for (const CoinProfile& known : kKnownCoins) {
    if (known.ticker == ticker) return known;
  }
  // Smaller coins: a start price log-uniform between 1 and 100.
  return CoinProfile{ticker, std::exp(random.Uniform() * std::log(100.0)),
                     kOtherCoinDailyVolatility};
}

struct TradeSource {
  RandomGenerator random;
  SortedArrivals arrivals;
  std::int64_t next_sequence = 1;
};

SimulatedUuid RandomUuid(RandomGenerator& random) {
  SimulatedUuid uuid{random.NextBits(), random.NextBits()};
  uuid.high = (uuid.high & ~0xF000ULL) | 0x4000ULL;      // version 4
  uuid.low = (uuid.low & ~(3ULL << 62)) | (2ULL << 62);  // variant 10xx
  return uuid;
}

}  // namespace

class Simulation::Model {
 public:
  explicit Model(SimulationConfig config)
      : config_(std::move(config)),
        span_micros_(SpanMicros(config_)),
        step_micros_(config_.step_nanos / kNanosPerMicro),
        tweet_random_(RandomGenerator::ForStream(config_.seed, kTweetStream)),
        tweet_arrivals_(tweet_random_, config_.tweets, span_micros_) {
    BuildCoinPaths();
    BuildTradeSources();
    coin_order_.resize(config_.coins.size());
    for (std::size_t coin = 0; coin < coin_order_.size(); ++coin) {
      coin_order_[coin] = static_cast<std::uint32_t>(coin);
    }
  }

  const SimulationConfig& config() const { return config_; }
  std::int64_t step_count() const { return (span_micros_ + step_micros_ - 1) / step_micros_; }

  bool Next(SimulatedRecord& record) {
    std::size_t earliest_source = kTweetSource;
    std::int64_t earliest_offset = std::numeric_limits<std::int64_t>::max();
    for (std::size_t coin = 0; coin < trade_sources_.size(); ++coin) {
      const SortedArrivals& arrivals = trade_sources_[coin].arrivals;
      if (!arrivals.exhausted() && arrivals.offset_micros() < earliest_offset) {
        earliest_offset = arrivals.offset_micros();
        earliest_source = coin;
      }
    }
    if (!tweet_arrivals_.exhausted() && tweet_arrivals_.offset_micros() < earliest_offset) {
      earliest_offset = tweet_arrivals_.offset_micros();
      earliest_source = kTweetSource;
    } else if (earliest_source == kTweetSource) {
      return false;  // every source is exhausted
    }
    AdvanceTo(earliest_offset / step_micros_);
    if (earliest_source == kTweetSource) {
      record.kind = SimulatedRecord::Kind::kTweet;
      EmitTweet(earliest_offset, record.tweet);
    } else {
      record.kind = SimulatedRecord::Kind::kTrade;
      EmitTrade(static_cast<std::uint32_t>(earliest_source), earliest_offset, record.trade);
    }
    return true;
  }

 private:
  static constexpr std::size_t kTweetSource = std::numeric_limits<std::size_t>::max();

  void BuildCoinPaths() {
    int longest_lag = 1;
    for (const PlantedEffect& effect : config_.effects) {
      longest_lag = std::max(longest_lag, effect.lag_steps);
    }
    const auto history = static_cast<std::size_t>(longest_lag) + 1;
    const double step_fraction_of_day =
        static_cast<double>(step_micros_) / static_cast<double>(kMicrosPerDay);
    std::vector<CoinProfile> profiles;
    for (std::size_t coin = 0; coin < config_.coins.size(); ++coin) {
      RandomGenerator random = RandomGenerator::ForStream(config_.seed, kCoinPathStream + coin);
      profiles.push_back(ProfileFor(config_.coins[coin], random));
      coin_paths_.emplace_back(random, profiles.back(), step_fraction_of_day,
                               config_.sentiment_persistence, history);
    }
    for (const PlantedEffect& effect : config_.effects) {
      const auto coin = static_cast<std::size_t>(
          std::find(config_.coins.begin(), config_.coins.end(), effect.coin) -
          config_.coins.begin());
      if (effect.kind == EffectKind::kSentimentLeadsReturns) {
        coin_paths_[coin].set_leads(MakeLagEffect(effect));
      } else {
        coin_paths_[coin].set_follows(MakeLagEffect(effect));
      }
    }
    // Burn-in: long enough for the lag rings to fill and the AR(1) and any feedback loop to
    // forget their starting values.
    const int burn_in_steps = 100 + 10 * longest_lag;
    for (CoinPath& path : coin_paths_) {
      for (int step = 0; step < burn_in_steps; ++step) path.Step();
    }
    for (std::size_t coin = 0; coin < coin_paths_.size(); ++coin) {
      coin_paths_[coin].ResetPrice(profiles[coin].start_price);
    }
  }

  void BuildTradeSources() {
    const auto coin_count = static_cast<std::int64_t>(config_.coins.size());
    trade_sources_.reserve(config_.coins.size());
    for (std::int64_t coin = 0; coin < coin_count; ++coin) {
      const std::int64_t count = config_.trades / coin_count + (coin < config_.trades % coin_count);
      RandomGenerator random =
          RandomGenerator::ForStream(config_.seed, kTradeStream + static_cast<std::uint64_t>(coin));
      SortedArrivals arrivals(random, count, span_micros_);
      trade_sources_.push_back(TradeSource{random, arrivals});
    }
  }

  void AdvanceTo(std::int64_t step) {
    while (current_step_ < step) {
      for (CoinPath& path : coin_paths_) path.Step();
      ++current_step_;
    }
  }

  TimestampNs TimestampAt(std::int64_t offset_micros) const {
    return config_.start + offset_micros * kNanosPerMicro;
  }

  void EmitTrade(std::uint32_t coin, std::int64_t offset_micros, SimulatedTrade& trade) {
    TradeSource& source = trade_sources_[coin];
    const CoinPath& path = coin_paths_[coin];
    source.arrivals.Draw(source.random);
    const bool last_in_step = source.arrivals.exhausted() ||
                              source.arrivals.offset_micros() / step_micros_ != current_step_;
    trade.timestamp = TimestampAt(offset_micros);
    trade.coin = coin;
    if (last_in_step) {
      trade.price = path.close();
    } else {
      const double step_progress =
          static_cast<double>(offset_micros - current_step_ * step_micros_) /
          static_cast<double>(step_micros_);
      const double noise = kTradeNoiseFraction * path.step_volatility() * source.random.Normal();
      trade.price = path.open() * std::exp(path.log_return() * step_progress + noise);
    }
    trade.size = kMaxTradeSize * source.random.UniformPositive();
    trade.taker_side = static_cast<TakerSide>(source.random.UniformBelow(4));
    trade.sequence = source.next_sequence++;
    trade.uuid = RandomUuid(source.random);
  }

  void EmitTweet(std::int64_t offset_micros, SimulatedTweet& tweet) {
    tweet_arrivals_.Draw(tweet_random_);
    tweet.timestamp = TimestampAt(offset_micros);
    const std::size_t coin_count = coin_order_.size();
    const std::size_t mentioned =
        1 + tweet_random_.UniformBelow(std::min(coin_count, kMaxCoinsPerTweet));
    double sentiment_sum = 0;
    // Partial Fisher-Yates over a persistent permutation: each draw picks a uniformly random
    // set of distinct coins in random order, whatever order the array was left in.
    for (std::size_t slot = 0; slot < mentioned; ++slot) {
      const std::size_t pick = slot + tweet_random_.UniformBelow(coin_count - slot);
      std::swap(coin_order_[slot], coin_order_[pick]);
      tweet.coins[slot] = coin_order_[slot];
      sentiment_sum += coin_paths_[coin_order_[slot]].sentiment();
    }
    tweet.coin_count = static_cast<std::uint32_t>(mentioned);
    const double polarity =
        config_.polarity_scale * sentiment_sum / static_cast<double>(mentioned) +
        config_.polarity_noise * tweet_random_.Normal();
    tweet.polarity = std::clamp(polarity, -1.0, 1.0);
  }

  SimulationConfig config_;
  std::int64_t span_micros_;
  std::int64_t step_micros_;
  std::int64_t current_step_ = -1;  // the latest step the coin paths have reached
  std::vector<CoinPath> coin_paths_;
  std::vector<TradeSource> trade_sources_;
  RandomGenerator tweet_random_;
  SortedArrivals tweet_arrivals_;
  std::vector<std::uint32_t> coin_order_;
};

std::string FormatPlantedEffect(const PlantedEffect& effect) {
  const char* direction = effect.kind == EffectKind::kSentimentLeadsReturns ? "leads" : "follows";
  return effect.coin + ":" + direction + ":" + std::to_string(effect.lag_steps) + ":" +
         FormatShortest(effect.strength);
}

std::vector<PlantedEffect> DefaultPlantedEffects() {
  return {PlantedEffect{"ETH", EffectKind::kSentimentLeadsReturns, 2, 0.4},
          PlantedEffect{"BTC", EffectKind::kReturnsLeadSentiment, 1, 0.3}};
}

Status ValidateSimulationConfig(const SimulationConfig& config) {
  for (const Status& check : {ValidateCoins(config.coins), ValidateTimeline(config),
                              ValidateModelParameters(config), ValidateEffects(config)}) {
    CRYPTOMOOD_RETURN_IF_ERROR(check);
  }
  return Status::Ok();
}

Result<Simulation> Simulation::Create(SimulationConfig config) {
  CRYPTOMOOD_RETURN_IF_ERROR(ValidateSimulationConfig(config));
  return Simulation(std::make_unique<Model>(std::move(config)));
}

Simulation::Simulation(std::unique_ptr<Model> model) : model_(std::move(model)) {}
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;
Simulation::~Simulation() = default;

bool Simulation::Next(SimulatedRecord& record) { return model_->Next(record); }
const SimulationConfig& Simulation::config() const { return model_->config(); }
std::int64_t Simulation::step_count() const { return model_->step_count(); }

}  // namespace cryptomood
