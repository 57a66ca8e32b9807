// Standard input as an input file: "-" in --trades or --sentiment. Standard input is one
// stream and is read once, so a command may name it in one input option, once; naming it
// more often is a usage error, reported before anything is read.
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cryptomood::cli {

inline constexpr std::string_view kStandardInputPath = "-";

// Fails (ErrorKind::kUsage) when "-" appears more than once across both lists.
Status CheckStandardInputReadOnce(const std::vector<std::string>& trade_files,
                                  const std::vector<std::string>& sentiment_files);

}  // namespace cryptomood::cli
