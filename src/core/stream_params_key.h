// StreamParamsKey: the canonical text of the analysis parameters that decide a stream's
// result rows, e.g. "mode=bars interval=1m lags=-2:2 window=1h". A stream's stored rows and
// checkpoints are filed under it, and the API finds them again by computing it from a request.
// Invariant: two AnalysisParams that give the same rows give the same key (defaults are
// applied: the effective join direction, not the requested one), and parameters that change
// the rows change it. Coins, threads and Spearman tuning select or schedule work without
// changing a row, so they are not part of it; neither are the fields a mode ignores.
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "core/analysis.h"

namespace cryptomood {

std::string StreamParamsKey(const AnalysisParams& params);

}  // namespace cryptomood
