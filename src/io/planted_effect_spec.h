// The text form of a planted effect, as `cryptomood simulate --effect` and the Python module's
// `effects=` take it: "COIN:leads:LAG:STRENGTH" or "COIN:follows:LAG:STRENGTH". Parsing user
// text lives here, beside the other parsers of external text; the model (core/simulation.h)
// takes the parsed PlantedEffect and writes the same form back with FormatPlantedEffect.
// Thread-safety: a pure function.
#pragma once

#include <string_view>

#include "core/result.h"
#include "core/simulation.h"

namespace cryptomood {

// Parses "COIN:leads:LAG:STRENGTH" or "COIN:follows:LAG:STRENGTH", e.g. "ETH:leads:2:0.4":
// a ticker, a lag of 1 to kMaxPlantedLagSteps steps and a strength strictly between -1 and 1.
// Errors are ErrorKind::kUsage and quote `spec`. The inverse of FormatPlantedEffect.
Result<PlantedEffect> ParsePlantedEffect(std::string_view spec);

}  // namespace cryptomood
