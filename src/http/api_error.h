// ApiError: how a request fails, as the API reports it: an HTTP status and the JSON body
//   {"error": {"code": "bad_parameter", "parameter": "interval", "message": "..."}}
// Handlers return it as a value; the server turns it into the response in one place.
// Thread-safety: a value type.
#pragma once

#include <string>

namespace cryptomood::http {

struct ApiError {
  int status = 500;
  // bad_parameter, too_large, not_found, method_not_allowed, internal, unavailable
  std::string code;
  std::string parameter;  // the offending query parameter; empty when none is to blame
  std::string message;

  static ApiError BadParameter(std::string parameter, std::string message);
  // 413: the request is valid but would cost more than the server's limits; `parameter` is
  // the one to change.
  static ApiError TooLarge(std::string parameter, std::string message);
  static ApiError NotFound(std::string message);
  static ApiError MethodNotAllowed(std::string message);
  static ApiError Internal(std::string message);

  std::string ToJson() const;
};

}  // namespace cryptomood::http
