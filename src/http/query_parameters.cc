#include "http/query_parameters.h"

#include <algorithm>

namespace cryptomood::http {
namespace {

constexpr std::string_view kRepeatable = "coin";

std::string AllowedList(std::span<const std::string_view> allowed) {
  std::string list;
  for (std::string_view name : allowed) {
    if (!list.empty()) list += ", ";
    list += name;
  }
  return list.empty() ? "none" : list;
}

}  // namespace

ApiResult<QueryParameters> QueryParameters::Check(Pairs pairs,
                                                  std::span<const std::string_view> allowed) {
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string& name = pairs[i].first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return ApiError::BadParameter(
          name, "unknown parameter '" + name + "'; this route takes: " + AllowedList(allowed));
    }
    if (name != kRepeatable) {
      for (std::size_t j = 0; j < i; ++j) {
        if (pairs[j].first == name) {
          return ApiError::BadParameter(name, "parameter '" + name + "' is given more than once");
        }
      }
    }
  }
  for (const auto& [name, value] : pairs) {
    if (value.empty()) {
      return ApiError::BadParameter(
          name, "parameter '" + name + "' has no value; leave it out to use its default");
    }
  }
  return QueryParameters(std::move(pairs));
}

std::optional<std::string_view> QueryParameters::Get(std::string_view name) const {
  for (const auto& [key, value] : pairs_) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::vector<std::string> QueryParameters::GetList(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : pairs_) {
    if (key != name) continue;
    for (std::size_t start = 0; start <= value.size();) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      if (comma > start) values.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return values;
}

}  // namespace cryptomood::http
