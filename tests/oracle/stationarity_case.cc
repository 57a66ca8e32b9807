#include "core/stationarity.h"
#include "core/status_macros.h"
#include "io/diagnostics_writer.h"
#include "oracle/oracle_driver.h"

namespace cryptomood::oracle {

// Series "x", parameter regression=c|ct: ADF, KPSS and the verdict as the diagnostics write
// them.
Status StationarityCase(const OracleInput& input, JsonWriter& out) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::vector<double> x, input.Series("x"));
  const std::string regression = input.Parameter("regression", "c");
  if (regression != "c" && regression != "ct") return Error{"regression must be c or ct"};
  const TrendTerms terms = regression == "c" ? TrendTerms::kConstant : TrendTerms::kConstantTrend;
  WriteStationarityMembers(TestStationarity(x, terms), out);
  return Status::Ok();
}

}  // namespace cryptomood::oracle
