// HttpServer: an event-driven HTTP/1.1 server on Boost.Asio, with Boost.Beast's parser reading
// requests. A few I/O threads serve every connection, so idle or trickling clients cost a
// socket and a buffer, never a thread; the handler decides where each request's work runs
// (architecture.md, "The HTTP server", says why this replaced a thread per connection).
//
// Per connection, requests are read one at a time and answered in order (pipelined requests
// wait in the read buffer). Limits (HttpServerLimits):
//   - the request line and headers must arrive within header_timeout of the request's first
//     byte (408 and close otherwise); an idle keep-alive connection closes after idle_timeout;
//   - request line and headers at most max_header_bytes (414 when the line alone is longer,
//     431 otherwise), a body at most max_body_bytes (413); malformed requests get 400; each
//     of these closes the connection;
//   - at most max_connections at once: one more is answered 503 with Retry-After and closed;
//   - a reply that makes no progress for write_timeout closes the connection;
//   - a pushed reply (HttpResponse::pusher, for Server-Sent Events) holds at most its
//     push_queue_bytes unsent, and its socket's send buffer as much: past that the reply is
//     cut and the connection closed. It is the connection's last reply: the connection closes
//     when the body ends, when the client closes its side (watched while pushing) and when
//     the server drains.
// Errors the server answers itself have the API's JSON error shape (api_error.h).
//
// The handler runs on an I/O thread: it answers light requests there (a store read at most)
// and hands heavier work to a worker, which answers through the Responder exactly once.
// Ownership: the server owns its sockets and I/O threads; Run blocks until Stop finishes.
// Thread-safety: Stop and Responder's members may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "http/http_message.h"

namespace cryptomood::http {

struct HttpServerLimits {
  std::size_t max_connections = 4096;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{5'000};
  std::chrono::milliseconds write_timeout{10'000};
  std::size_t max_header_bytes = std::size_t{8} * 1024;
  std::size_t max_body_bytes = std::size_t{64} * 1024;
  // A streamed reply's writer waits while this many bytes are queued for the socket.
  std::size_t stream_buffer_bytes = std::size_t{1} << 20;
  // Threads running the connections and the handlers' light work; a handler that waits on
  // the store holds one of them.
  int io_threads = 4;
};

class HttpConnection;
struct PendingReply;

// How a worker answers one request. Copies share the request's state.
class Responder {
 public:
  Responder(std::shared_ptr<HttpConnection> connection, std::shared_ptr<PendingReply> reply);

  // Sends the reply. A whole body is compressed with gzip here (on the calling thread) when
  // the client accepts it and the type compresses well. A streamed body is written on the
  // calling thread: Send returns once the streamer has finished or the client has gone.
  void Send(HttpResponse response) const;
  // `cancel` runs (once, on any thread) if the client disconnects or the server stops before
  // the reply is sent; at once if that already happened.
  void OnCancel(std::function<void(std::string_view reason)> cancel) const;

 private:
  std::shared_ptr<HttpConnection> connection_;
  std::shared_ptr<PendingReply> reply_;
};

using RequestHandler = std::function<void(const HttpRequest& request, const Responder& responder)>;
// Called once a reply is written (or the connection failed while writing it) with the
// request's decoded path (empty when the request could not be parsed), the status sent and
// the time from the request's first byte.
using RequestLogger =
    std::function<void(std::string_view path, int status, std::chrono::duration<double> elapsed)>;

class HttpServer {
 public:
  HttpServer(HttpServerLimits limits, RequestHandler handler, RequestLogger logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (0 picks a free port); returns the port bound.
  Result<int> Listen(const std::string& host, int port);
  // Serves until Stop has drained; returns on the calling thread.
  void Run();
  // Stops accepting, cancels the work of requests in flight, closes idle connections, lets
  // replies being written finish for up to `drain`, then ends Run.
  void Stop(std::chrono::milliseconds drain);

  // Connections open now (for tests and metrics).
  std::size_t open_connections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cryptomood::http
