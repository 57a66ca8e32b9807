// The OpenAPI 3.1 description of the REST API, served at /openapi.json. Response schemas are
// JSON Schema 2020-12 and strict enough (required fields, types, nullability) that the API
// tests validate real replies against them.
// Thread-safety: a constant.
#pragma once

#include <string_view>

namespace cryptomood::http {

std::string_view OpenApiDocument();

}  // namespace cryptomood::http
