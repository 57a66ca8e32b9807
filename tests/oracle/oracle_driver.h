// The statistics oracle driver: a small executable that feeds series read from stdin to one
// core statistic and prints its result as JSON, so that Python tests (tests/python/*_oracle.py)
// can compare the engine's numbers with statsmodels and scipy on series of any shape.
//
// Input: one series per line, "NAME v1 v2 ...", values in any strtod form ("nan" allowed).
// Arguments after the case name: KEY=VALUE parameters. Output: one JSON object on stdout.
// A case returns an error Status for bad input; the driver prints it and exits 1.
// Thread-safety: single-threaded test tool.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "io/json_writer.h"

namespace cryptomood::oracle {

struct OracleInput {
  std::map<std::string, std::vector<double>> series;
  std::map<std::string, std::string> parameters;

  // The named series; an error naming it when absent.
  Result<std::vector<double>> Series(const std::string& name) const;
  // The named parameter, or `fallback` when absent.
  std::string Parameter(const std::string& name, const std::string& fallback) const;
};

// A case writes the members of the output object (the driver opens and closes it).
using OracleCase = Status (*)(const OracleInput& input, JsonWriter& out);

// Cases, one per file of this folder.
Status RobustCorrelationCase(const OracleInput& input, JsonWriter& out);
Status StationarityCase(const OracleInput& input, JsonWriter& out);
Status GrangerCase(const OracleInput& input, JsonWriter& out);

}  // namespace cryptomood::oracle
