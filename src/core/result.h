// Result<T>: a value or an error message, returned across layer boundaries instead of
// throwing. Hand-written because std::expected is C++23 and GCC 12's libstdc++ lacks it;
// Debian 12 packages no tl::expected. Keep it minimal: when the toolchain moves on, this
// becomes an alias of std::expected<T, Error>.
// Thread-safety: a value type; no shared state.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace cryptomood {

// kind lets the command line map failures to exit codes without string matching.
enum class ErrorKind {
  kFailure,    // runtime failure: missing file, I/O error, unusable input (exit 1)
  kUsage,      // bad parameter or option value (exit 2; HTTP 400)
  kRejected,   // a bad input line under --strict (exit 2)
  kCancelled,  // the caller cancelled the computation (core/cancellation.h; exit 1)
  kFenced,     // a write refused because a newer owner claimed what it writes (exit 1)
};

struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::kFailure;
};

// E is the error type: Error almost everywhere; the HTTP layer uses its own ApiError.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  // Implicit on purpose: `return value;` and `return Error{...};` read like std::expected.
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, E> state_;
};

// Status: success or an error, for operations with no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  // NOLINTNEXTLINE(google-explicit-constructor)
  Status(Error error) : error_(std::move(error)), failed_(true) {}
  static Status Ok() { return {}; }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace cryptomood
