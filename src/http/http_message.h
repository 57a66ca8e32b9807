// HttpRequest and HttpResponse: what the server (http_server.h) hands a handler and what the
// handler hands back, free of any HTTP library's types so the routes do not depend on one.
// A response carries a whole body (shared, so a cached reply is sent without a copy), a
// BodyStreamer that writes the body in pieces (sent chunked, with back-pressure), or a
// PushStarter that receives an open PushedBody to write to later, from any thread, for as
// long as the client stays (Server-Sent Events).
// Thread-safety: value types.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace cryptomood::http {

using HeaderFields = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;
  std::string target;  // as sent: path and query, still percent-encoded
  std::string path;    // the target's path, percent-decoded
  std::string query;   // the target's query string (after '?'), still percent-encoded
  HeaderFields headers;
  std::string body;
  // When the request's first byte arrived: its latency counts from here.
  std::chrono::steady_clock::time_point first_byte;

  // The first header of that name (ASCII case-insensitive); nullopt when absent.
  std::optional<std::string_view> Header(std::string_view name) const;
  // Fills path and query from target. False when the path's percent-encoding is malformed.
  // A decoded path may hold any byte, NUL included: it only ever matches a route or a file by
  // exact comparison.
  bool SplitTarget();
};

// Writes one piece of a streamed body; false once the client is gone or too slow (stop then).
using ChunkWriter = std::function<bool(std::string_view bytes)>;
// Writes a whole body through `write`. An error, or a false from `write`, cuts the reply short
// (the status line is already sent), which tells the client it is incomplete.
using BodyStreamer = std::function<Status(const ChunkWriter& write)>;

enum class PushOutcome {
  kQueued,    // the bytes will be written
  kEnded,     // the reply had ended (client gone, server stopping, or End called): dropped
  kOverflow,  // queuing them would exceed the reply's cap: the reply ends and the connection
              // closes, so a client that does not read cannot hold the server's memory
};

// The open body of a pushed reply. Bytes are sent as pushed, in push order.
// Thread-safety: every member may be called from any thread.
class PushedBody {
 public:
  virtual ~PushedBody() = default;
  virtual PushOutcome Push(std::string_view bytes) = 0;
  // Ends the body (the reply completes); later pushes are dropped.
  virtual void End() = 0;
  // True once the body ended for any reason; a pusher forgets it then.
  virtual bool ended() const = 0;
  // Bytes pushed and not yet written to the socket.
  virtual std::size_t queued_bytes() const = 0;
};
using PushStarter = std::function<void(std::shared_ptr<PushedBody> body)>;

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  HeaderFields headers;  // besides Content-Type, Content-Length and Connection
  std::shared_ptr<const std::string> body = std::make_shared<const std::string>();
  BodyStreamer streamer;  // when set, the body is streamed instead
  PushStarter pusher;     // when set, the body is pushed instead (not for HEAD)
  std::size_t push_queue_bytes = std::size_t{256} * 1024;  // a pushed body's cap (PushOutcome)
  bool close = false;                                      // close the connection after this reply

  void SetBody(std::string text, std::string_view type) {
    body = std::make_shared<const std::string>(std::move(text));
    content_type = std::string(type);
  }
  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// Percent-decodes `text` ('+' as a space when plus_is_space). nullopt when a '%' is not
// followed by two hex digits. Hand-written: Boost.URL arrived after Debian 12's Boost 1.74.
std::optional<std::string> DecodePercent(std::string_view text, bool plus_is_space);

// ASCII case-insensitive equality, for header names.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace cryptomood::http
