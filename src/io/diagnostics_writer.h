// Output of the stationarity diagnostics (core/stationarity.h, core/diagnostics.h): the JSON
// objects of one series' tests, shared by the CLI, the API and the oracle driver so that every
// reader sees the same members.
// JSON of one series' tests: "adf": {statistic, lags, nobs, p_value, critical_values {"1%",
// "5%", "10%"}} or null; "kpss": {statistic, lags, p_value, p_value_bound ("lower", "upper" or
// null), critical_values {"10%", "5%", "2.5%", "1%"}} or null; "verdict".
// Thread-safety: pure functions; the writer is the caller's.
#pragma once

#include "core/stationarity.h"
#include "io/json_writer.h"

namespace cryptomood {

// Writes the members "adf", "kpss" and "verdict" into the object the caller has opened.
void WriteStationarityMembers(const StationarityTests& tests, JsonWriter& out);

}  // namespace cryptomood
