#include "core/stream_params_key.h"

namespace cryptomood {
namespace {

void Append(std::string& key, std::string_view name, std::string_view value) {
  key += ' ';
  key += name;
  key += '=';
  key += value;
}

// Tick and compat pair each trade with a tweet: the join decides the rows.
void AppendJoin(std::string& key, const AnalysisParams& params) {
  Append(key, "direction", ToString(EffectiveDirection(params)));
  std::string tolerance = "none";
  if (params.tolerance_nanos) {
    tolerance =
        *params.tolerance_nanos == 0 ? "0" : Interval::Fixed(*params.tolerance_nanos).ToString();
  }
  Append(key, "tolerance", tolerance);
}

// Bars mode correlates bar returns with bar sentiment, shifted by each lag.
void AppendBars(std::string& key, const AnalysisParams& params) {
  Append(key, "interval", params.interval.ToString());
  Append(key, "lags", std::to_string(params.lags.first) + ":" + std::to_string(params.lags.last));
}

}  // namespace

std::string StreamParamsKey(const AnalysisParams& params) {
  std::string key = "mode=";
  key += ToString(params.mode);
  if (params.mode == AnalysisMode::kBars) {
    AppendBars(key, params);
  } else {
    AppendJoin(key, params);
  }
  Append(key, "window", params.window ? params.window->ToString() : "none");
  return key;
}

}  // namespace cryptomood
