// A readable name for each parse path, for the parser tests parameterised over all three.
#pragma once

#include <string>

#include "io/json_line_fields.h"

namespace cryptomood::testing_support {

inline std::string ParsePathName(json_line::ParsePath path) {
  switch (path) {
    case json_line::ParsePath::kFastWhenPossible:
      return "FastWhenPossible";
    case json_line::ParsePath::kWithoutLayout:
      return "WithoutLayout";
    case json_line::ParsePath::kSimdjsonOnly:
      break;
  }
  return "SimdjsonOnly";
}

}  // namespace cryptomood::testing_support
