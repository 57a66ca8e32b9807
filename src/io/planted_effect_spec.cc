#include "io/planted_effect_spec.h"

#include <charconv>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "core/identifier.h"

namespace cryptomood {
namespace {

Error UsageError(std::string message) { return Error{std::move(message), ErrorKind::kUsage}; }

}  // namespace

Result<PlantedEffect> ParsePlantedEffect(std::string_view spec) {
  const auto bad = [spec](std::string_view why) {
    return UsageError("bad planted effect '" + std::string(spec) + "': " + std::string(why) +
                      " (expected COIN:leads:LAG:STRENGTH or COIN:follows:LAG:STRENGTH, "
                      "e.g. ETH:leads:2:0.4)");
  };
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t colon = spec.find(':', begin);
    parts.push_back(spec.substr(begin, colon - begin));
    if (colon == std::string_view::npos) break;
    begin = colon + 1;
  }
  if (parts.size() != 4) return bad("it needs four ':'-separated parts");
  PlantedEffect effect;
  effect.coin = std::string(parts[0]);
  if (!IsTicker(effect.coin)) return bad("the coin must be " + std::string(kTickerShape));
  if (parts[1] == "leads") {
    effect.kind = EffectKind::kSentimentLeadsReturns;
  } else if (parts[1] == "follows") {
    effect.kind = EffectKind::kReturnsLeadSentiment;
  } else {
    return bad("the direction must be 'leads' or 'follows'");
  }
  const std::string_view lag = parts[2];
  const auto lag_result = std::from_chars(lag.data(), lag.data() + lag.size(), effect.lag_steps);
  if (lag_result.ec != std::errc() || lag_result.ptr != lag.data() + lag.size() ||
      effect.lag_steps < 1 || effect.lag_steps > kMaxPlantedLagSteps) {
    return bad("the lag must be a whole number of steps from 1 to " +
               std::to_string(kMaxPlantedLagSteps));
  }
  const std::string_view strength = parts[3];
  const auto strength_result =
      std::from_chars(strength.data(), strength.data() + strength.size(), effect.strength);
  if (strength_result.ec != std::errc() ||
      strength_result.ptr != strength.data() + strength.size() ||
      !(effect.strength > -1 && effect.strength < 1)) {
    return bad("the strength must be a number strictly between -1 and 1");
  }
  return effect;
}

}  // namespace cryptomood
