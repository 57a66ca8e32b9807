// Simulation: a deterministic generator of trades and scored tweets with planted lead-lag
// effects, so tests can check that the engine recovers a known lag and sign and finds
// nothing where nothing was planted. A model only: it yields records, io/record_writer
// turns them into text.
//
// The model, per coin c and step t (steps of config.step_nanos from config.start):
//   a_t = phi * a_(t-1) + sqrt(1 - phi^2) * eta_t             latent AR(1), unit variance
//   s_t = a_t, or with ReturnsLeadSentiment{k, g}:
//   s_t = g * z_(t-k) + sqrt(1 - g^2) * a_t                   sentiment level (standardised)
//   z_t = e_t, or with SentimentLeadsReturns{k, rho}:
//   z_t = rho * s_(t-k) + sqrt(1 - rho^2) * e_t               standardised return
//   r_t = vol * z_t,  P_t = P_(t-1) * exp(r_t)                 close of step t
// with eta, e independent N(0, 1). A burn-in of steps before the start fills the lag history,
// so the first steps already follow the model. Both effects on one coin form a feedback loop
// whose sentiment is then only approximately of unit variance.
// Trades: config.trades split evenly over the coins, each coin's arrival times uniform over
// the whole span (drawn already sorted). A trade inside step t is priced on the path from
// P_(t-1) to P_t with tiny noise, except the step's last trade of that coin, which is at P_t
// exactly: bar closes then carry the planted effect without distortion.
// Tweets: config.tweets at uniform times; each names 1 to 3 distinct coins (uniformly) and has
// polarity clamp(scale * mean of the named coins' s_t + noise * N(0, 1), -1, 1).
// Records come out in timestamp order (ties: coins in config order, then tweets).
//
// Each coin's price path and each arrival stream has its own random stream derived from the
// seed, so adding tweets does not move prices. Same config, same records, bit for bit (given
// the same libm on the same kind of CPU: see core/random.h).
// Thread-safety: a Simulation is used by one thread at a time; instances are independent.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/taker_side.h"
#include "core/timestamp.h"

namespace cryptomood {

enum class EffectKind {
  kSentimentLeadsReturns,  // "leads": the coin's return follows its sentiment k steps earlier
  kReturnsLeadSentiment,   // "follows": the coin's sentiment follows its return k steps earlier
};

struct PlantedEffect {
  std::string coin;
  EffectKind kind = EffectKind::kSentimentLeadsReturns;
  int lag_steps = 1;    // >= 1
  double strength = 0;  // in (-1, 1): the correlation with the standardised driver
};

// The largest lag a planted effect may have, in steps.
constexpr int kMaxPlantedLagSteps = 100'000;

// "COIN:leads:LAG:STRENGTH" or "COIN:follows:LAG:STRENGTH", e.g. "BTC:follows:1:0.3" (the
// text io/planted_effect_spec.h parses).
std::string FormatPlantedEffect(const PlantedEffect& effect);
// ETH:leads:2:0.4 and BTC:follows:1:0.3: what `cryptomood simulate` plants unless told.
std::vector<PlantedEffect> DefaultPlantedEffects();

// 2018-07-16T00:00:00Z, the day the seed data were recorded.
constexpr TimestampNs kDefaultSimulationStart = 1'531'699'200 * kNanosPerSecond;

struct SimulationConfig {
  std::uint64_t seed = 1;
  std::int64_t trades = 200'000;  // >= 0, in total over all coins
  std::int64_t tweets = 50'000;   // >= 0
  std::vector<std::string> coins{"BTC", "ETH", "LTC"};
  TimestampNs start = kDefaultSimulationStart;     // a whole microsecond, 1970 to 2261
  double days = 7;                                 // > 0; the span is rounded to microseconds
  std::int64_t step_nanos = 60 * kNanosPerSecond;  // a whole number of microseconds
  std::vector<PlantedEffect> effects;              // at most one of each kind per coin
  double sentiment_persistence = 0.5;  // phi in [0, 1): moderate, so a lag scan shows a peak
  double polarity_scale = 0.3;         // >= 0
  double polarity_noise = 0.3;         // >= 0
};

// Checks every field; errors are ErrorKind::kUsage and name the offending parameter.
Status ValidateSimulationConfig(const SimulationConfig& config);

// A random (version 4, RFC 4122 variant) UUID; high holds the first 16 hex digits.
struct SimulatedUuid {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const SimulatedUuid&, const SimulatedUuid&) = default;
};

struct SimulatedTrade {
  TimestampNs timestamp = 0;  // also the exchange time
  std::uint32_t coin = 0;     // index into config.coins
  double price = 0;
  double size = 0;
  std::int64_t sequence = 0;  // 1, 2, 3, ... per coin
  TakerSide taker_side = TakerSide::kBuy;
  SimulatedUuid uuid;
};

constexpr std::size_t kMaxCoinsPerTweet = 3;

struct SimulatedTweet {
  TimestampNs timestamp = 0;
  double polarity = 0;                                   // in [-1, 1]
  std::array<std::uint32_t, kMaxCoinsPerTweet> coins{};  // distinct indices into config.coins
  std::uint32_t coin_count = 0;                          // 1 to 3
};

// One record of either kind; only the member named by kind is meaningful.
struct SimulatedRecord {
  enum class Kind { kTrade, kTweet };
  Kind kind = Kind::kTrade;
  SimulatedTrade trade;
  SimulatedTweet tweet;
};

class Simulation {
 public:
  // Validates config (see ValidateSimulationConfig).
  static Result<Simulation> Create(SimulationConfig config);

  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;
  ~Simulation();

  // Produces the next record in timestamp order; false once all trades and tweets are out.
  // Memory stays constant however many records are asked for.
  bool Next(SimulatedRecord& record);

  const SimulationConfig& config() const;
  std::int64_t step_count() const;  // steps in the span; the last may be partial

 private:
  class Model;
  explicit Simulation(std::unique_ptr<Model> model);
  std::unique_ptr<Model> model_;
};

}  // namespace cryptomood
