#include "oracle/oracle_driver.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string_view>

namespace cryptomood::oracle {

Result<std::vector<double>> OracleInput::Series(const std::string& name) const {
  const auto found = series.find(name);
  if (found == series.end()) return Error{"missing series " + name};
  return found->second;
}

std::string OracleInput::Parameter(const std::string& name, const std::string& fallback) const {
  const auto found = parameters.find(name);
  return found == parameters.end() ? fallback : found->second;
}

namespace {

const std::map<std::string_view, OracleCase>& Cases() {
  static const std::map<std::string_view, OracleCase> cases = {
      {"granger", &GrangerCase},
      {"robust_correlation", &RobustCorrelationCase},
      {"stationarity", &StationarityCase},
  };
  return cases;
}

OracleInput ReadInput(int argc, char** argv) {
  OracleInput input;
  for (int i = 2; i < argc; ++i) {
    const std::string_view argument = argv[i];
    const std::size_t equals = argument.find('=');
    if (equals == std::string_view::npos) continue;
    input.parameters.emplace(argument.substr(0, equals), argument.substr(equals + 1));
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream fields(line);
    std::string name;
    if (!(fields >> name)) continue;
    std::vector<double>& values = input.series[name];
    std::string token;
    while (fields >> token) values.push_back(std::strtod(token.c_str(), nullptr));
  }
  return input;
}

}  // namespace
}  // namespace cryptomood::oracle

int main(int argc, char** argv) {
  using cryptomood::oracle::Cases;
  const auto found = argc >= 2 ? Cases().find(argv[1]) : Cases().end();
  if (found == Cases().end()) {
    std::fputs("usage: statistics_oracle CASE [KEY=VALUE...] < series\n", stderr);
    return 2;
  }
  const cryptomood::oracle::OracleInput input = cryptomood::oracle::ReadInput(argc, argv);
  cryptomood::JsonWriter out;
  out.StartObject();
  const cryptomood::Status status = found->second(input, out);
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.error().message.c_str());
    return 1;
  }
  out.EndObject();
  std::cout << out.view() << "\n";
  return 0;
}
