#include "http/api_error.h"

#include <utility>

#include "io/json_writer.h"

namespace cryptomood::http {

ApiError ApiError::BadParameter(std::string parameter, std::string message) {
  return {400, "bad_parameter", std::move(parameter), std::move(message)};
}

ApiError ApiError::TooLarge(std::string parameter, std::string message) {
  return {413, "too_large", std::move(parameter), std::move(message)};
}

ApiError ApiError::NotFound(std::string message) {
  return {404, "not_found", {}, std::move(message)};
}

ApiError ApiError::MethodNotAllowed(std::string message) {
  return {405, "method_not_allowed", {}, std::move(message)};
}

ApiError ApiError::Internal(std::string message) {
  return {500, "internal", {}, std::move(message)};
}

std::string ApiError::ToJson() const {
  JsonWriter writer;
  writer.StartObject();
  writer.Key("error");
  writer.StartObject();
  writer.Key("code");
  writer.String(code);
  if (!parameter.empty()) {
    writer.Key("parameter");
    writer.String(parameter);
  }
  writer.Key("message");
  writer.String(message);
  writer.EndObject();
  writer.EndObject();
  return std::string(writer.view());
}

}  // namespace cryptomood::http
