#include "io/diagnostics_writer.h"

#include <array>
#include <string_view>

namespace cryptomood {
namespace {

template <std::size_t N>
void WriteCriticalValues(const std::array<double, N>& values,
                         const std::array<std::string_view, N>& levels, JsonWriter& out) {
  out.Key("critical_values");
  out.StartObject();
  for (std::size_t i = 0; i < N; ++i) {
    out.Key(levels[i]);
    out.Double(values[i]);
  }
  out.EndObject();
}

void WriteAdf(const std::optional<AdfResult>& adf, JsonWriter& out) {
  out.Key("adf");
  if (!adf) {
    out.Null();
    return;
  }
  out.StartObject();
  out.Key("statistic");
  out.Double(adf->statistic);
  out.Key("lags");
  out.Int(adf->lags);
  out.Key("nobs");
  out.Int(adf->nobs);
  out.Key("p_value");
  out.Double(adf->p_value);
  WriteCriticalValues(adf->critical_values, {"1%", "5%", "10%"}, out);
  out.EndObject();
}

void WriteKpss(const std::optional<KpssResult>& kpss, JsonWriter& out) {
  out.Key("kpss");
  if (!kpss) {
    out.Null();
    return;
  }
  out.StartObject();
  out.Key("statistic");
  out.Double(kpss->statistic);
  out.Key("lags");
  out.Int(kpss->lags);
  out.Key("p_value");
  out.Double(kpss->p_value);
  out.Key("p_value_bound");
  if (kpss->p_value_bound == PValueBound::kNone) {
    out.Null();
  } else {
    out.String(ToString(kpss->p_value_bound));
  }
  WriteCriticalValues(kpss->critical_values, {"10%", "5%", "2.5%", "1%"}, out);
  out.EndObject();
}

}  // namespace

void WriteStationarityMembers(const StationarityTests& tests, JsonWriter& out) {
  WriteAdf(tests.adf, out);
  WriteKpss(tests.kpss, out);
  out.Key("verdict");
  out.String(ToString(tests.verdict));
}

}  // namespace cryptomood
