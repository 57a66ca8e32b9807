#include "core/cancellation.h"

#include <string>

namespace cryptomood {

std::string_view ToString(CancelReason reason) {
  switch (reason) {
    case CancelReason::kNone:
      return "not cancelled";
    case CancelReason::kClientGone:
      return "the client disconnected";
    case CancelReason::kDeadline:
      return "the deadline passed";
    case CancelReason::kShutdown:
      return "the server is shutting down";
    case CancelReason::kInterrupted:
      return "interrupted";
  }
  return "?";
}

const CancellationToken& CancellationToken::Never() {
  static const CancellationToken kNever;
  return kNever;
}

Error CancellationToken::CancelledError() const {
  return Error{"computation cancelled: " + std::string(ToString(reason())), ErrorKind::kCancelled};
}

}  // namespace cryptomood
