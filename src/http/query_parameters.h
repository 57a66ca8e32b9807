// QueryParameters: a request's query string after the checks every route shares: each name
// is one the route knows, every value is non-empty, and only `coin` may be given more than once (a
// repeated single value is ambiguous, so it is an error rather than "last one wins"). The typed
// parsing of each route's parameters lives in api_queries.h. Thread-safety: a value type.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/api_error.h"

namespace cryptomood::http {

template <typename T>
using ApiResult = Result<T, ApiError>;

class QueryParameters {
 public:
  using Pairs = std::vector<std::pair<std::string, std::string>>;

  static ApiResult<QueryParameters> Check(Pairs pairs, std::span<const std::string_view> allowed);

  // The value of a single-valued parameter; nullopt when absent. Check refuses empty values
  // (`?limit=`): a parameter is either given a value or left out.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Every value of a repeatable parameter, comma lists split, empty items dropped.
  std::vector<std::string> GetList(std::string_view name) const;
  bool empty() const { return pairs_.empty(); }

 private:
  explicit QueryParameters(Pairs pairs) : pairs_(std::move(pairs)) {}
  Pairs pairs_;
};

}  // namespace cryptomood::http
