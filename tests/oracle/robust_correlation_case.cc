#include "core/analysis.h"
#include "core/correlation_statistics.h"
#include "core/status_macros.h"
#include "io/result_writer.h"
#include "oracle/oracle_driver.h"

namespace cryptomood::oracle {

// Series "sentiment" and "price": the row fields (io/result_writer.h) of those pairs, in
// order. Parameter order=price_first (tick mode's pairs, the default) or sentiment_first
// (bars mode's) says how the pairs are stored.
Status RobustCorrelationCase(const OracleInput& input, JsonWriter& out) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> sentiment, input.Series("sentiment"));
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> price, input.Series("price"));
  if (sentiment.size() != price.size()) return Error{"sentiment and price differ in length"};
  const bool price_first = input.Parameter("order", "price_first") == "price_first";
  const std::vector<double>& first = price_first ? price : sentiment;
  const std::vector<double>& second = price_first ? sentiment : price;
  CoMoments moments;
  for (std::size_t i = 0; i < first.size(); ++i) moments.Add(first[i], second[i]);
  CorrelationRow row;
  row.statistics =
      Summarize(moments, first, second, price_first ? PriceSide::kFirst : PriceSide::kSecond);
  row.p_value_adjusted = row.statistics.p_value;
  row.p_value_robust_adjusted = row.statistics.robust.p_value_robust;
  WriteResultFields(out, row);
  return Status::Ok();
}

}  // namespace cryptomood::oracle
