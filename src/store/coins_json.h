// The coins of a tweet as the store keeps them: the list as given (order and repetitions
// kept) as a compact JSON array text, `["LTC", "BTC"]`, which the API can copy into its
// output unchanged. Encoding escapes '"', '\\' and control bytes (\u00XX) and passes all
// other bytes through, so any list of strings round-trips; decoding reads that JSON form
// (any JSON string escape, \uXXXX surrogate pairs included).
// Thread-safety: pure functions.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace cryptomood {

// Appends the array text to `out`.
void AppendCoinsJson(std::span<const std::string_view> coins, std::string& out);

// Replaces the contents of `coins`; fails on anything but a JSON array of strings.
Status DecodeCoinsJson(std::string_view json, std::vector<std::string>& coins);

}  // namespace cryptomood
