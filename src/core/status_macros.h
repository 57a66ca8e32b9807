// Propagation macros for Status and Result<T> (core/result.h): return the error of a failed
// step to the caller, as absl's RETURN_IF_ERROR / ASSIGN_OR_RETURN do. Macros because only a
// macro can return from the calling function.
//
//   CRYPTOMOOD_RETURN_IF_ERROR(status_expression);
//   CRYPTOMOOD_ASSIGN_OR_RETURN(const std::uint64_t count, reader.ReadU64());
//
// RETURN_IF_ERROR takes a Status, or a Result<T, E> whose value the caller does not need.
// The enclosing function must return a type that converts from the expression's error type:
// Status or Result<U> for Error, Result<U, ApiError> for the HTTP layer's ApiError.
// ASSIGN_OR_RETURN expands to more than one statement: do not use it as the body of an
// unbraced if/else, nor twice on one line (its temporary is named after the line).
// Thread-safety: not applicable (macros).
#pragma once

#include <utility>

#include "core/result.h"

// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): must return from the caller
#define CRYPTOMOOD_RETURN_IF_ERROR(expression)                              \
  do {                                                                      \
    if (auto&& cryptomood_status = (expression); !cryptomood_status.ok()) { \
      return cryptomood_status.error();                                     \
    }                                                                       \
  } while (false)

// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): token pasting needs a macro
#define CRYPTOMOOD_STATUS_MACROS_CONCAT_INNER(a, b) a##b
// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): token pasting needs a macro
#define CRYPTOMOOD_STATUS_MACROS_CONCAT(a, b) CRYPTOMOOD_STATUS_MACROS_CONCAT_INNER(a, b)

// NOLINTNEXTLINE(cppcoreguidelines-macro-usage): must return from the caller
#define CRYPTOMOOD_ASSIGN_OR_RETURN(lhs, expression)                                              \
  CRYPTOMOOD_ASSIGN_OR_RETURN_IMPL(CRYPTOMOOD_STATUS_MACROS_CONCAT(cryptomood_result_, __LINE__), \
                                   lhs, expression)

// NOLINTBEGIN(cppcoreguidelines-macro-usage, bugprone-macro-parentheses): lhs may be a
// declaration, which parentheses would break.
#define CRYPTOMOOD_ASSIGN_OR_RETURN_IMPL(result, lhs, expression) \
  auto result = (expression);                                     \
  if (!result.ok()) return result.error();                        \
  lhs = std::move(result).value()
// NOLINTEND(cppcoreguidelines-macro-usage, bugprone-macro-parentheses)
