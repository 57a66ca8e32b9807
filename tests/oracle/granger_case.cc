#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "core/granger.h"
#include "core/status_macros.h"
#include "oracle/oracle_driver.h"

namespace cryptomood::oracle {
namespace {

std::vector<std::optional<double>> WithGaps(const std::vector<double>& values) {
  std::vector<std::optional<double>> out;
  out.reserve(values.size());
  for (const double value : values) {
    out.push_back(std::isnan(value) ? std::nullopt : std::optional<double>(value));
  }
  return out;
}

void OptionalCount(JsonWriter& out, std::optional<std::size_t> value) {
  if (value) {
    out.Int(static_cast<std::int64_t>(*value));
  } else {
    out.Null();
  }
}

}  // namespace

// Series "cause" and "effect" ("nan" marks a gap); lags=P or lags=auto. Writes the test's
// result, the AIC order and the largest order searched.
Status GrangerCase(const OracleInput& input, JsonWriter& out) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> cause_values, input.Series("cause"));
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> effect_values, input.Series("effect"));
  if (cause_values.size() != effect_values.size())
    return Error{"cause and effect differ in length"};
  const std::vector<std::optional<double>> cause = WithGaps(cause_values);
  const std::vector<std::optional<double>> effect = WithGaps(effect_values);
  const std::string lags_text = input.Parameter("lags", "auto");
  std::size_t lags = 0;
  if (lags_text == "auto") {
    lags = AutoGrangerLags(cause, effect);
  } else {
    lags = std::stoul(lags_text);
  }
  const GrangerResult result = GrangerTest(cause, effect, lags);
  out.Key("aic_order");
  OptionalCount(out, SelectVarLagOrder(cause, effect));
  out.Key("max_order");
  OptionalCount(out, MaxVarLagOrder(cause, effect));
  out.Key("lags");
  OptionalCount(out, result.lags);
  out.Key("n");
  OptionalCount(out, result.n);
  out.Key("df_num");
  OptionalCount(out, result.df_num);
  out.Key("df_den");
  OptionalCount(out, result.df_den);
  out.Key("f");
  out.OptionalDouble(result.f);
  out.Key("p_value");
  out.OptionalDouble(result.p_value);
  out.Key("p_value_hc1");
  out.OptionalDouble(result.p_value_hc1);
  return Status::Ok();
}

}  // namespace cryptomood::oracle
