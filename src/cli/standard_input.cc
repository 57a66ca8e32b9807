#include "cli/standard_input.h"

#include <algorithm>

namespace cryptomood::cli {

Status CheckStandardInputReadOnce(const std::vector<std::string>& trade_files,
                                  const std::vector<std::string>& sentiment_files) {
  const auto uses = std::ranges::count(trade_files, kStandardInputPath) +
                    std::ranges::count(sentiment_files, kStandardInputPath);
  if (uses <= 1) return {};
  return Error{"'-' (standard input) is given " + std::to_string(uses) +
                   " times: standard input can feed one of --trades and --sentiment, once",
               ErrorKind::kUsage};
}

}  // namespace cryptomood::cli
