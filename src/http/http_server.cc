#include "http/http_server.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "http/api_error.h"
#include "http/gzip_body.h"

namespace cryptomood::http {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// File descriptors kept back from the connection cap: the store's connections, files, pipes.
constexpr rlim_t kReservedDescriptors = 128;
// How long a closing connection waits for the client to close its side after the reply, so
// the client reads the reply before any reset.
constexpr std::chrono::seconds kLingerOnClose{1};
constexpr std::size_t kReadChunkBytes = std::size_t{16} * 1024;

// Raises the open-file limit to its hard maximum and returns the connections it allows.
std::size_t ConnectionsTheSystemAllows() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
  return limit.rlim_cur > kReservedDescriptors ? limit.rlim_cur - kReservedDescriptors : 1;
}

std::string ToString(beast::string_view text) { return {text.data(), text.size()}; }

std::string StatusLine(int status) {
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return "HTTP/1.1 " + std::to_string(status) + " " + ToString(reason) + "\r\n";
}

std::string ErrorCodeOf(int status) {
  switch (status) {
    case 408:
      return "timeout";
    case 413:
    case 414:
    case 431:
      return "too_large";
    case 500:
      return "internal";
    case 503:
      return "unavailable";
    default:
      return "bad_request";
  }
}

HttpResponse ServerError(int status, std::string message) {
  HttpResponse response;
  response.status = status;
  response.SetBody(ApiError{status, ErrorCodeOf(status), {}, std::move(message)}.ToJson(),
                   "application/json");
  response.close = true;
  return response;
}

// `when` as an HTTP-date (RFC 9110 5.6.7, IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
// Written here rather than with strftime, whose day and month names follow the locale.
std::string HttpDate(std::chrono::system_clock::time_point when) {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed",
                                                    "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 32> text{};
  const int printed = std::snprintf(text.data(), text.size(), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                                    kDays.at(static_cast<std::size_t>(utc.tm_wday)), utc.tm_mday,
                                    kMonths.at(static_cast<std::size_t>(utc.tm_mon)),
                                    utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return {text.data(), static_cast<std::size_t>(std::max(printed, 0))};
}

// The Date header's value now. Each thread keeps the text of its last second.
const std::string& DateNow() {
  thread_local std::time_t cached_second = -1;
  thread_local std::string cached_text;
  const auto now = std::chrono::system_clock::now();
  const std::time_t second = std::chrono::system_clock::to_time_t(now);
  if (second != cached_second) {
    cached_text = HttpDate(now);
    cached_second = second;
  }
  return cached_text;
}

// How a reply's body is delimited: by Content-Length, by chunks, or (HTTP/1.0 clients of a
// streamed reply) by closing the connection.
enum class Framing { kLength, kChunked, kUntilClose };

// The head of a reply: status line, Date, Content-Type, the response's own headers, the
// framing and Connection. `length` is the body's size under Framing::kLength.
std::string ReplyHead(const HttpResponse& response, Framing framing, std::size_t length,
                      bool close) {
  std::string head = StatusLine(response.status);
  const auto field = [&head](std::string_view name, std::string_view value) {
    head.append(name).append(": ").append(value).append("\r\n");
  };
  field("Date", DateNow());
  field("Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) field(name, value);
  if (framing == Framing::kLength) field("Content-Length", std::to_string(length));
  if (framing == Framing::kChunked) field("Transfer-Encoding", "chunked");
  if (close) field("Connection", "close");
  head += "\r\n";
  return head;
}

std::string ChunkFrame(std::string_view bytes) {
  char size[24];
  const int printed = std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  std::string frame;
  frame.reserve(static_cast<std::size_t>(printed) + bytes.size() + 2);
  frame.append(size, static_cast<std::size_t>(printed)).append(bytes).append("\r\n");
  return frame;
}

// Once per request: the first Fire runs the hook, set before or after.
class CancelHook {
 public:
  void Set(std::function<void(std::string_view)> hook) EXCLUDES(mutex_) {
    std::string reason;
    {
      MutexLock lock(mutex_);
      if (!fired_) {
        hook_ = std::move(hook);
        return;
      }
      reason = reason_;
    }
    hook(reason);
  }
  void Fire(const std::string& reason) EXCLUDES(mutex_) {
    std::function<void(std::string_view)> hook;
    {
      MutexLock lock(mutex_);
      if (fired_) return;
      fired_ = true;
      reason_ = reason;
      hook = std::move(hook_);
    }
    if (hook) hook(reason);
  }

 private:
  Mutex mutex_;
  bool fired_ GUARDED_BY(mutex_) = false;
  std::string reason_ GUARDED_BY(mutex_);
  std::function<void(std::string_view)> hook_ GUARDED_BY(mutex_);
};

// Back-pressure between a streamed reply's writer (a worker) and its socket writes.
struct StreamChannel {
  Mutex mutex;
  CondVar drained;
  std::size_t queued GUARDED_BY(mutex) = 0;
  bool failed GUARDED_BY(mutex) = false;

  void Fail() EXCLUDES(mutex) {
    {
      MutexLock lock(mutex);
      failed = true;
    }
    drained.NotifyAll();
  }
  void Written(std::size_t bytes) EXCLUDES(mutex) {
    {
      MutexLock lock(mutex);
      queued -= bytes;
    }
    drained.NotifyAll();
  }
};

// One piece of output: a head or frame, optionally followed by a shared body.
struct Outgoing {
  std::string bytes;
  std::shared_ptr<const std::string> body;
  std::size_t streamed = 0;  // bytes of a streamed reply this piece carries
  bool last = false;         // the reply ends with this piece
  bool cut = false;          // the reply is abandoned: close without a final chunk
};

}  // namespace

// What one request's answer needs: how to frame it, whom to tell of a cancellation, and
// what to log once it is written.
struct PendingReply {
  std::string path;
  Clock::time_point first_byte;
  bool head_only = false;
  bool keep_alive = true;
  bool chunked_allowed = true;  // HTTP/1.1 or later
  bool accepts_gzip = false;
  std::atomic<bool> sent{false};
  int status = 0;
  bool close_after = false;
  CancelHook cancel;
  std::shared_ptr<StreamChannel> channel;  // a streamed or pushed reply's queue
  bool pushed = false;                     // a pushed body: the connection closes when it ends
  bool logged = false;                     // on the connection's strand only
};

struct ServerShared {
  HttpServerLimits limits;
  RequestHandler handler;
  RequestLogger logger;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> open{0};
};

class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  HttpConnection(Tcp::socket socket, ServerShared& shared)
      : stream_(std::move(socket)),
        header_deadline_(stream_.get_executor()),
        buffer_(shared.limits.max_header_bytes + shared.limits.max_body_bytes + kReadChunkBytes),
        shared_(shared) {}

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadNext(); });
  }

  // Posted by Stop: idle connections close now, a request being handled is cancelled, and a
  // reply being written finishes first.
  void Drain() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kIdle || self->phase_ == Phase::kReading) {
        beast::error_code ignored;
        self->stream_.socket().cancel(ignored);
      } else if (self->current_) {
        self->current_->cancel.Fire("the server is shutting down");
      }
    });
  }

  // Any thread.
  void Reply(const std::shared_ptr<PendingReply>& reply, HttpResponse response) {
    if (reply->sent.exchange(true)) return;
    reply->status = response.status;
    reply->close_after = response.close || !reply->keep_alive;
    if (response.pusher && !reply->head_only) return StartPush(reply, response);
    if (response.streamer && !reply->head_only) return Stream(reply, response);
    if (!reply->head_only && reply->accepts_gzip &&
        WorthCompressing(response.content_type, response.body->size())) {
      if (auto compressed = GzipCompress(*response.body)) {
        response.body = std::make_shared<const std::string>(std::move(*compressed));
        response.SetHeader("Content-Encoding", "gzip");
        response.SetHeader("Vary", "Accept-Encoding");
      }
    }
    Outgoing out;
    out.bytes = ReplyHead(response, Framing::kLength, response.body->size(), reply->close_after);
    if (!reply->head_only) out.body = response.body;
    out.last = true;
    Post(std::move(out));
  }

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosed };

  // Runs at once when called on the connection's strand (a reply from the I/O thread),
  // queued on it otherwise.
  void Post(Outgoing out) {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this(), out = std::move(out)]() mutable {
                    self->Enqueue(std::move(out));
                  });
  }

  // Always queued on the strand, never run inline: a pushed body posts while holding its lock.
  void PostLater(Outgoing out) {
    net::post(stream_.get_executor(), [self = shared_from_this(), out = std::move(out)]() mutable {
      self->Enqueue(std::move(out));
    });
  }

  // Sends the head of a pushed reply and hands its open body to the response's pusher.
  void StartPush(const std::shared_ptr<PendingReply>& reply, const HttpResponse& response);

  // A pushed reply's client only ever reads: any byte from it is ignored, and the end of its
  // side (or an error) closes the connection at once rather than at the next write.
  void WatchPushedClient() {
    if (phase_ == Phase::kClosed) return;
    stream_.socket().async_read_some(
        net::buffer(pushed_client_bytes_),
        [self = shared_from_this()](beast::error_code error, std::size_t) {
          if (error) return self->Close();
          self->WatchPushedClient();
        });
  }

  // Runs a streamed reply's writer on the calling thread, chunk by chunk.
  void Stream(const std::shared_ptr<PendingReply>& reply, const HttpResponse& response) {
    auto channel = std::make_shared<StreamChannel>();
    reply->channel = channel;
    const bool chunked = reply->chunked_allowed;
    if (!chunked) reply->close_after = true;
    Outgoing head;
    head.bytes = ReplyHead(response, chunked ? Framing::kChunked : Framing::kUntilClose, 0,
                           reply->close_after);
    Post(std::move(head));
    const std::size_t limit = shared_.limits.stream_buffer_bytes;
    const auto timeout = shared_.limits.write_timeout;
    const ChunkWriter write = [&](std::string_view bytes) {
      if (bytes.empty()) return true;
      {
        MutexLock lock(channel->mutex);
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!channel->failed && channel->queued >= limit &&
               channel->drained.WaitUntil(channel->mutex, deadline)) {
        }
        if (channel->failed || channel->queued >= limit) {
          channel->failed = true;
          return false;
        }
        channel->queued += bytes.size();
      }
      Outgoing piece;
      piece.bytes = chunked ? ChunkFrame(bytes) : std::string(bytes);
      piece.streamed = bytes.size();
      Post(std::move(piece));
      return true;
    };
    const Status status = response.streamer(write);
    Outgoing end;
    end.last = true;
    end.cut = !status;
    if (status && chunked) end.bytes = "0\r\n\r\n";
    Post(std::move(end));
  }

  void ReadNext() {
    current_.reset();
    if (shared_.draining) return Close();
    if (buffer_.size() > 0) return ReadRequest(Clock::now());
    phase_ = Phase::kIdle;
    // A new connection has the header timeout to send its first request; between requests
    // a kept-alive connection may stay idle for the idle timeout.
    stream_.expires_after(answered_any_ ? shared_.limits.idle_timeout
                                        : shared_.limits.header_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            [self = shared_from_this()](beast::error_code error, std::size_t n) {
                              if (error) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadRequest(Clock::now());
                            });
  }

  void ReadRequest(Clock::time_point first_byte) {
    phase_ = Phase::kReading;
    first_byte_ = first_byte;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.limits.max_header_bytes));
    parser_->body_limit(shared_.limits.max_body_bytes);
    // The stream's own timeout would close the socket; this deadline only cancels the read,
    // so the 408 can still be written.
    stream_.expires_never();
    header_expired_ = false;
    header_deadline_.expires_at(first_byte + shared_.limits.header_timeout);
    header_deadline_.async_wait([self = shared_from_this()](beast::error_code error) {
      if (error || self->phase_ != Phase::kReading) return;
      self->header_expired_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code error, std::size_t) {
                        self->OnRequest(error);
                      });
  }

  void OnRequest(beast::error_code error) {
    header_deadline_.cancel();
    if (error) return OnReadError(error);
    auto message = parser_->release();
    parser_.reset();
    HttpRequest request;
    request.method = ToString(message.method_string());
    request.target = ToString(message.target());
    for (const auto& field : message) {
      request.headers.emplace_back(ToString(field.name_string()), ToString(field.value()));
    }
    request.body = std::move(message.body());
    request.first_byte = first_byte_;
    auto reply = std::make_shared<PendingReply>();
    reply->first_byte = first_byte_;
    reply->head_only = message.method() == bhttp::verb::head;
    reply->keep_alive = message.keep_alive();
    reply->chunked_allowed = message.version() >= 11;
    reply->accepts_gzip = AcceptsGzip(request.Header("Accept-Encoding").value_or(""));
    current_ = reply;
    phase_ = Phase::kHandling;
    if (!request.SplitTarget()) {
      return Reply(reply, ServerError(400, "the request's path is not valid percent-encoding"));
    }
    reply->path = request.path;
    try {
      shared_.handler(request, Responder(shared_from_this(), reply));
    } catch (const std::exception& exception) {
      Reply(reply, ServerError(500, std::string("unexpected failure: ") + exception.what()));
    }
    // Answered at once (the common case) needs no watch; work handed off does.
    if (!reply->sent) WatchForDisconnect();
  }

  void OnReadError(beast::error_code error) {
    if (header_expired_) {
      return ReplyError(408, "the request's line and headers did not arrive within " +
                                 std::to_string(shared_.limits.header_timeout.count()) + " ms");
    }
    if (error == bhttp::error::header_limit) {
      // The parser fills in the target once the request line is complete.
      const bool line_too_long = parser_->get().target().empty();
      return line_too_long
                 ? ReplyError(414, "the request line is longer than " +
                                       std::to_string(shared_.limits.max_header_bytes) + " bytes")
                 : ReplyError(431, "the request's headers are longer than " +
                                       std::to_string(shared_.limits.max_header_bytes) + " bytes");
    }
    if (error == bhttp::error::body_limit) {
      return ReplyError(413, "the request's body is longer than " +
                                 std::to_string(shared_.limits.max_body_bytes) + " bytes");
    }
    if (error == bhttp::error::end_of_stream || error == net::error::eof ||
        error == net::error::operation_aborted || error == net::error::connection_reset) {
      return Close();
    }
    ReplyError(400, "malformed request: " + error.message());
  }

  // An error the server answers itself; the connection closes after it.
  void ReplyError(int status, std::string message) {
    parser_.reset();
    buffer_.consume(buffer_.size());
    auto reply = std::make_shared<PendingReply>();
    reply->first_byte = first_byte_;
    current_ = reply;
    phase_ = Phase::kHandling;
    Reply(reply, ServerError(status, std::move(message)));
  }

  // While a request is handled, a readable socket with nothing to read means the client
  // closed: its work is cancelled. A pipelined request arriving instead ends the watch.
  void WatchForDisconnect() {
    if (buffer_.size() > 0) return;
    watching_ = true;
    stream_.socket().async_wait(Tcp::socket::wait_read,
                                [self = shared_from_this()](beast::error_code error) {
                                  self->watching_ = false;
                                  if (!error) self->OnReadable();
                                });
  }

  void OnReadable() {
    if (phase_ != Phase::kHandling || !current_) return;
    char byte = 0;
    const ssize_t peeked =
        ::recv(stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (peeked > 0) return;
    if (peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      return WatchForDisconnect();
    }
    current_->cancel.Fire("the client disconnected");
  }

  void Enqueue(Outgoing out) {
    if (phase_ == Phase::kClosed) {
      if (out.streamed > 0 && current_ && current_->channel) {
        current_->channel->Written(out.streamed);
      }
      return;
    }
    if (watching_) {
      beast::error_code ignored;
      stream_.socket().cancel(ignored);
    }
    phase_ = Phase::kWriting;
    outgoing_.push_back(std::move(out));
    if (!writing_) WriteNext();
  }

  void WriteNext() {
    if (outgoing_.empty()) return;
    writing_ = true;
    Outgoing& front = outgoing_.front();
    if (front.cut) return Close();
    std::vector<net::const_buffer> buffers{net::buffer(front.bytes)};
    if (front.body) buffers.push_back(net::buffer(*front.body));
    stream_.expires_after(shared_.limits.write_timeout);
    net::async_write(stream_, buffers,
                     [self = shared_from_this()](beast::error_code error, std::size_t) {
                       self->OnWritten(error);
                     });
  }

  void OnWritten(beast::error_code error) {
    writing_ = false;
    Outgoing done = std::move(outgoing_.front());
    outgoing_.pop_front();
    if (done.streamed > 0 && current_ && current_->channel)
      current_->channel->Written(done.streamed);
    if (error) return Close();
    if (!done.last) return WriteNext();
    answered_any_ = true;
    LogReply();
    // The watch of a pushed reply's client still reads the socket: no linger, close now.
    if (current_->pushed) return Close();
    if (current_->close_after || shared_.draining) return CloseAfterReply();
    ReadNext();
  }

  void LogReply() {
    if (!current_ || current_->logged) return;
    current_->logged = true;
    shared_.logger(current_->path, current_->status, Clock::now() - current_->first_byte);
  }

  // Half-closes and waits briefly for the client to close, so it reads the reply before any
  // reset that unread request bytes would cause.
  void CloseAfterReply() {
    phase_ = Phase::kClosed;
    beast::error_code ignored;
    stream_.socket().shutdown(Tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerOnClose);
    buffer_.consume(buffer_.size());
    Discard();
  }

  void Discard() {
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            [self = shared_from_this()](beast::error_code error, std::size_t) {
                              if (error) return self->Close();
                              self->buffer_.consume(self->buffer_.size());
                              self->Discard();
                            });
  }

  void Close() {
    if (closed_) return;
    closed_ = true;
    if (current_ && current_->status != 0) LogReply();
    phase_ = Phase::kClosed;
    if (current_) {
      current_->cancel.Fire("the connection closed");
      if (current_->channel) current_->channel->Fail();
    }
    beast::error_code ignored;
    stream_.socket().shutdown(Tcp::socket::shutdown_both, ignored);
    stream_.close();
    --shared_.open;
  }

  beast::tcp_stream stream_;
  net::steady_timer header_deadline_;
  bool header_expired_ = false;
  beast::flat_buffer buffer_;
  ServerShared& shared_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Phase phase_ = Phase::kIdle;
  Clock::time_point first_byte_;
  std::shared_ptr<PendingReply> current_;
  std::deque<Outgoing> outgoing_;
  bool writing_ = false;
  bool watching_ = false;
  bool answered_any_ = false;
  bool closed_ = false;
  std::array<char, 512> pushed_client_bytes_{};

  friend class HttpServer;
  friend class PushedReplyBody;
};

// The body of a pushed reply. `channel->failed` marks its end, whatever the cause; pieces
// are posted to the connection's strand under the channel's lock, so they go out in order.
class PushedReplyBody final : public PushedBody {
 public:
  PushedReplyBody(std::shared_ptr<HttpConnection> connection,
                  std::shared_ptr<StreamChannel> channel, std::size_t cap, bool chunked)
      : connection_(std::move(connection)),
        channel_(std::move(channel)),
        cap_(cap),
        chunked_(chunked) {}

  PushOutcome Push(std::string_view bytes) override {
    MutexLock lock(channel_->mutex);
    if (channel_->failed) return PushOutcome::kEnded;
    if (bytes.empty()) return PushOutcome::kQueued;
    if (channel_->queued + bytes.size() > cap_) {
      channel_->failed = true;
      Outgoing cut;
      cut.last = true;
      cut.cut = true;
      connection_->PostLater(std::move(cut));
      return PushOutcome::kOverflow;
    }
    channel_->queued += bytes.size();
    Outgoing piece;
    piece.bytes = chunked_ ? ChunkFrame(bytes) : std::string(bytes);
    piece.streamed = bytes.size();
    connection_->PostLater(std::move(piece));
    return PushOutcome::kQueued;
  }

  void End() override {
    MutexLock lock(channel_->mutex);
    if (channel_->failed) return;
    channel_->failed = true;
    Outgoing end;
    end.last = true;
    if (chunked_) end.bytes = "0\r\n\r\n";
    connection_->PostLater(std::move(end));
  }

  bool ended() const override {
    MutexLock lock(channel_->mutex);
    return channel_->failed;
  }

  std::size_t queued_bytes() const override {
    MutexLock lock(channel_->mutex);
    return channel_->queued;
  }

 private:
  const std::shared_ptr<HttpConnection> connection_;
  const std::shared_ptr<StreamChannel> channel_;
  const std::size_t cap_;
  const bool chunked_;
};

void HttpConnection::StartPush(const std::shared_ptr<PendingReply>& reply,
                               const HttpResponse& response) {
  auto channel = std::make_shared<StreamChannel>();
  reply->channel = channel;
  reply->pushed = true;
  const bool chunked = reply->chunked_allowed;
  Outgoing head;
  head.bytes = ReplyHead(response, chunked ? Framing::kChunked : Framing::kUntilClose, 0,
                         /*close=*/true);
  PostLater(std::move(head));
  // The kernel's send buffer, too, holds no more than the cap: a client that stops reading
  // pins at most about twice the cap, not the megabytes the buffer may grow to by default.
  beast::error_code ignored;
  stream_.socket().set_option(
      net::socket_base::send_buffer_size(static_cast<int>(response.push_queue_bytes)), ignored);
  auto body = std::make_shared<PushedReplyBody>(shared_from_this(), channel,
                                                response.push_queue_bytes, chunked);
  // The client leaving or the server draining ends the body; weak, so the hook (held by the
  // reply, held by this connection) does not keep the body alive.
  reply->cancel.Set([weak = std::weak_ptr<PushedReplyBody>(body)](std::string_view) {
    if (auto alive = weak.lock()) alive->End();
  });
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->WatchPushedClient(); });
  response.pusher(body);
}

Responder::Responder(std::shared_ptr<HttpConnection> connection,
                     std::shared_ptr<PendingReply> reply)
    : connection_(std::move(connection)), reply_(std::move(reply)) {}

void Responder::Send(HttpResponse response) const {
  connection_->Reply(reply_, std::move(response));
}

void Responder::OnCancel(std::function<void(std::string_view reason)> cancel) const {
  reply_->cancel.Set(std::move(cancel));
}

class HttpServer::Impl {
 public:
  Impl(HttpServerLimits limits, RequestHandler handler, RequestLogger logger)
      : acceptor_(context_), work_(net::make_work_guard(context_)) {
    shared_.limits = limits;
    shared_.handler = std::move(handler);
    shared_.logger = std::move(logger);
  }

  Result<int> Listen(const std::string& host, int port) {
    shared_.limits.max_connections =
        std::min(shared_.limits.max_connections, ConnectionsTheSystemAllows());
    beast::error_code error;
    const auto address = net::ip::make_address(host, error);
    if (error) return Error{"cannot listen on " + host + ": not an IP address", ErrorKind::kUsage};
    const Tcp::endpoint endpoint(address, static_cast<std::uint16_t>(port));
    acceptor_.open(endpoint.protocol(), error);
    if (!error) acceptor_.set_option(net::socket_base::reuse_address(true), error);
    if (!error) acceptor_.bind(endpoint, error);
    if (!error) acceptor_.listen(net::socket_base::max_listen_connections, error);
    if (error) {
      return Error{"cannot listen on " + host + ":" + std::to_string(port) + ": " +
                   error.message()};
    }
    Accept();
    return static_cast<int>(acceptor_.local_endpoint().port());
  }

  void Run() {
    std::vector<std::thread> extra;
    for (int i = 1; i < shared_.limits.io_threads; ++i)
      extra.emplace_back([this] { context_.run(); });
    context_.run();
    for (std::thread& thread : extra) thread.join();
  }

  void Stop(std::chrono::milliseconds drain) {
    shared_.draining = true;
    net::post(context_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
      for (auto& connection : LiveConnections()) connection->Drain();
    });
    const auto deadline = Clock::now() + drain;
    while (shared_.open > 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    work_.reset();
    context_.stop();
  }

  std::size_t open_connections() const { return shared_.open; }

 private:
  void Accept() {
    acceptor_.async_accept(
        net::make_strand(context_), [this](beast::error_code error, Tcp::socket socket) {
          if (error == net::error::operation_aborted || !acceptor_.is_open()) return;
          if (error) return RetryAcceptSoon();
          if (shared_.open >= shared_.limits.max_connections) {
            Refuse(std::move(socket));
          } else {
            ++shared_.open;
            auto connection = std::make_shared<HttpConnection>(std::move(socket), shared_);
            Register(connection);
            connection->Start();
          }
          Accept();
        });
  }

  // Out of descriptors (or another transient failure): try again shortly instead of spinning.
  void RetryAcceptSoon() {
    auto timer = std::make_shared<net::steady_timer>(context_, std::chrono::milliseconds(50));
    timer->async_wait([this, timer](beast::error_code) {
      if (acceptor_.is_open()) Accept();
    });
  }

  // One connection over the cap: 503 and close, without reading its request.
  void Refuse(Tcp::socket socket) {
    static const std::string kReply = [] {
      HttpResponse response =
          ServerError(503, "the server is at its connection limit; retry shortly");
      response.SetHeader("Retry-After", "1");
      return ReplyHead(response, Framing::kLength, response.body->size(), true) + *response.body;
    }();
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    stream->expires_after(kLingerOnClose);
    net::async_write(*stream, net::buffer(kReply), [stream](beast::error_code, std::size_t) {
      beast::error_code ignored;
      stream->socket().shutdown(Tcp::socket::shutdown_send, ignored);
      auto sink = std::make_shared<std::array<char, 4096>>();
      stream->async_read_some(net::buffer(*sink),
                              [stream, sink](beast::error_code, std::size_t) { stream->close(); });
    });
  }

  void Register(const std::shared_ptr<HttpConnection>& connection) EXCLUDES(registry_mutex_) {
    MutexLock lock(registry_mutex_);
    if (++registrations_ % 256 == 0) {
      std::erase_if(registry_, [](const auto& weak) { return weak.expired(); });
    }
    registry_.push_back(connection);
  }

  std::vector<std::shared_ptr<HttpConnection>> LiveConnections() EXCLUDES(registry_mutex_) {
    MutexLock lock(registry_mutex_);
    std::vector<std::shared_ptr<HttpConnection>> live;
    for (const auto& weak : registry_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
    return live;
  }

  net::io_context context_;
  Tcp::acceptor acceptor_;
  net::executor_work_guard<net::io_context::executor_type> work_;
  ServerShared shared_;
  Mutex registry_mutex_;
  std::vector<std::weak_ptr<HttpConnection>> registry_ GUARDED_BY(registry_mutex_);
  std::size_t registrations_ GUARDED_BY(registry_mutex_) = 0;
};

HttpServer::HttpServer(HttpServerLimits limits, RequestHandler handler, RequestLogger logger)
    : impl_(std::make_unique<Impl>(limits, std::move(handler), std::move(logger))) {}
HttpServer::~HttpServer() = default;
Result<int> HttpServer::Listen(const std::string& host, int port) {
  return impl_->Listen(host, port);
}
void HttpServer::Run() { impl_->Run(); }
void HttpServer::Stop(std::chrono::milliseconds drain) { impl_->Stop(drain); }
std::size_t HttpServer::open_connections() const { return impl_->open_connections(); }

}  // namespace cryptomood::http
