#include "core/record_kind.h"

namespace cryptomood {

std::string_view DescribeKind(RecordKind kind) {
  return kind == RecordKind::kTrade ? "trades" : "sentiment data";
}

}  // namespace cryptomood
