#include "core/correlation_statistics.h"
#include "core/status_macros.h"
#include "oracle/oracle_driver.h"

namespace cryptomood::oracle {

// Series "sentiment" and "price": the row statistics of the pairs in that order.
Status RobustCorrelationCase(const OracleInput& input, JsonWriter& out) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> sentiment, input.Series("sentiment"));
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> price, input.Series("price"));
  if (sentiment.size() != price.size()) return Error{"sentiment and price differ in length"};
  CoMoments moments;
  for (std::size_t i = 0; i < price.size(); ++i) moments.Add(price[i], sentiment[i]);
  const CorrelationStatistics statistics = Summarize(moments, price, sentiment);
  out.Key("n");
  out.Int(statistics.n);
  out.Key("pearson");
  out.OptionalDouble(statistics.pearson);
  out.Key("spearman");
  out.OptionalDouble(statistics.spearman);
  out.Key("p_value");
  out.OptionalDouble(statistics.p_value);
  return Status::Ok();
}

}  // namespace cryptomood::oracle
