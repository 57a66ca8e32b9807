// HttpServer over real loopback sockets: pipelined requests answered in order, the header
// deadline (408), the connection cap (503 and close), a disconnecting client cancelling its
// request, streamed replies in chunks, HEAD, the Date header, and the server's own errors in the
// API's shape.
#include "http/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <iterator>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace cryptomood::http {
namespace {

using std::chrono::milliseconds;

// A blocking loopback client socket with a receive timeout, closed on destruction.
class ClientSocket {
 public:
  explicit ClientSocket(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~ClientSocket() { Close(); }
  ClientSocket(const ClientSocket&) = delete;
  ClientSocket& operator=(const ClientSocket&) = delete;

  bool connected() const { return connected_; }
  void Send(std::string_view bytes) const {
    ASSERT_EQ(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }
  // Everything until the server closes or `until` appears as many times as asked.
  std::string Receive(std::string_view until = {}, int times = 1) const {
    std::string received;
    char buffer[4096];
    for (;;) {
      if (!until.empty() && Count(received, until) >= times) break;
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return received;
  }
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  static int Count(std::string_view text, std::string_view part) {
    int count = 0;
    for (std::size_t at = text.find(part); at != std::string_view::npos;
         at = text.find(part, at + 1)) {
      ++count;
    }
    return count;
  }

 private:
  int fd_;
  bool connected_ = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(HttpServerLimits limits) {
    server_ = std::make_unique<HttpServer>(
        limits,
        [this](const HttpRequest& request, const Responder& responder) {
          Handle(request, responder);
        },
        [this](std::string_view path, int status, std::chrono::duration<double> elapsed) {
          std::lock_guard lock(log_mutex_);
          logged_[std::to_string(status) + " " + std::string(path)] = elapsed.count();
        });
    auto port = server_->Listen("127.0.0.1", 0);
    ASSERT_TRUE(port.ok()) << port.error().message;
    port_ = *port;
    runner_ = std::thread([this] { server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop(milliseconds(2000));
    if (runner_.joinable()) runner_.join();
    std::lock_guard lock(workers_mutex_);
    for (std::thread& worker : workers_) worker.join();
  }

  // /wait holds its reply until cancelled; /stream streams three pieces; others echo the path.
  void Handle(const HttpRequest& request, const Responder& responder) {
    if (request.path == "/wait") {
      responder.OnCancel([this](std::string_view) { cancelled_ = true; });
      return;
    }
    HttpResponse response;
    if (request.path == "/stream") {
      response.content_type = "text/plain";
      response.streamer = [](const ChunkWriter& write) -> Status {
        for (std::string_view piece : {"one,", "two,", "three"}) {
          if (!write(piece)) return Error{"client gone"};
        }
        return Status::Ok();
      };
    } else {
      response.SetBody("path=" + request.path, "text/plain");
    }
    // Answered from another thread, as the API's workers do.
    std::lock_guard lock(workers_mutex_);
    workers_.emplace_back([responder, response] { responder.Send(response); });
  }

  std::unique_ptr<HttpServer> server_;
  std::thread runner_;
  std::mutex workers_mutex_;  // handlers run on any of the server's I/O threads
  std::vector<std::thread> workers_;
  int port_ = 0;
  std::atomic<bool> cancelled_{false};
  std::mutex log_mutex_;
  std::map<std::string, double> logged_;  // "STATUS PATH" -> seconds
};

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Start(HttpServerLimits{});
  ClientSocket client(port_);
  ASSERT_TRUE(client.connected());
  client.Send(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /c%2Fd HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string replies = client.Receive("path=", 3);
  const std::size_t a = replies.find("path=/a");
  const std::size_t b = replies.find("path=/b");
  const std::size_t c = replies.find("path=/c/d");
  ASSERT_NE(a, std::string::npos) << replies;
  ASSERT_NE(b, std::string::npos) << replies;
  ASSERT_NE(c, std::string::npos) << replies;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(ClientSocket::Count(replies, "HTTP/1.1 200 OK"), 3);
}

// RFC 9110 6.6.1: an origin server with a clock sends Date (IMF-fixdate, GMT) in its replies.
TEST_F(HttpServerTest, RepliesCarryTheCurrentDateInHttpForm) {
  Start(HttpServerLimits{});
  ClientSocket client(port_);
  ASSERT_TRUE(client.connected());
  const auto before = std::chrono::system_clock::now();
  client.Send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string replies = client.Receive("three", 1);
  const auto after = std::chrono::system_clock::now();
  const std::regex date_field(
      "\r\nDate: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) "
      "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) "
      "([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT\r\n");
  const auto dates = std::distance(std::sregex_iterator(replies.begin(), replies.end(), date_field),
                                   std::sregex_iterator());
  EXPECT_EQ(dates, 2) << replies;  // the plain reply and the streamed one
  std::smatch match;
  ASSERT_TRUE(std::regex_search(replies, match, date_field)) << replies;
  static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  std::tm utc{};
  utc.tm_mday = std::stoi(match[2]);
  utc.tm_mon = static_cast<int>(kMonths.find(match[3].str()) / 3);
  utc.tm_year = std::stoi(match[4]) - 1900;
  utc.tm_hour = std::stoi(match[5]);
  utc.tm_min = std::stoi(match[6]);
  utc.tm_sec = std::stoi(match[7]);
  const std::time_t stated = timegm(&utc);
  EXPECT_GE(stated, std::chrono::system_clock::to_time_t(before));
  EXPECT_LE(stated, std::chrono::system_clock::to_time_t(after));
  gmtime_r(&stated, &utc);  // the weekday the date falls on
  static constexpr std::string_view kDays = "SunMonTueWedThuFriSat";
  EXPECT_EQ(kDays.substr(static_cast<std::size_t>(utc.tm_wday) * 3, 3), match[1].str());
}

TEST_F(HttpServerTest, HeadersNotCompleteInTimeGet408AndClose) {
  HttpServerLimits limits;
  limits.header_timeout = milliseconds(300);
  Start(limits);
  ClientSocket client(port_);
  client.Send("GET /slow HTTP/1.1\r\nHost: x\r\n");  // never ends its headers
  const std::string reply = client.Receive();        // until the server closes
  EXPECT_EQ(reply.rfind("HTTP/1.1 408", 0), 0U) << reply;
  EXPECT_NE(reply.find("\"code\":\"timeout\""), std::string::npos) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
}

TEST_F(HttpServerTest, OneConnectionOverTheCapGets503AndTheOthersStillWork) {
  HttpServerLimits limits;
  limits.max_connections = 2;
  Start(limits);
  ClientSocket first(port_);
  ClientSocket second(port_);
  first.Send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
  second.Send("GET /second HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(first.Receive("path=/first").find("200 OK"), std::string::npos);
  EXPECT_NE(second.Receive("path=/second").find("200 OK"), std::string::npos);
  ClientSocket third(port_);
  third.Send("GET /third HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string refused = third.Receive();
  EXPECT_EQ(refused.rfind("HTTP/1.1 503", 0), 0U) << refused;
  EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;
  first.Close();
  // Once a place is free, a new connection is served again.
  for (int attempt = 0; attempt < 50; ++attempt) {
    ClientSocket again(port_);
    again.Send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n");
    if (again.Receive("path=/again").find("200 OK") != std::string::npos) return;
    std::this_thread::sleep_for(milliseconds(20));
  }
  ADD_FAILURE() << "no connection was served after one closed";
}

TEST_F(HttpServerTest, ADisconnectingClientCancelsItsRequest) {
  Start(HttpServerLimits{});
  {
    ClientSocket client(port_);
    client.Send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(milliseconds(100));
    EXPECT_FALSE(cancelled_);
  }
  for (int attempt = 0; attempt < 250 && !cancelled_; ++attempt) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(cancelled_);
}

TEST_F(HttpServerTest, StreamedRepliesAreChunkedAndKeepTheConnection) {
  Start(HttpServerLimits{});
  ClientSocket client(port_);
  client.Send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string replies = client.Receive("path=/after");
  EXPECT_NE(replies.find("Transfer-Encoding: chunked"), std::string::npos) << replies;
  EXPECT_NE(replies.find("4\r\none,\r\n4\r\ntwo,\r\n5\r\nthree\r\n0\r\n\r\n"), std::string::npos)
      << replies;
  EXPECT_NE(replies.find("path=/after"), std::string::npos) << replies;
}

TEST_F(HttpServerTest, HeadSendsTheLengthWithoutTheBody) {
  Start(HttpServerLimits{});
  ClientSocket client(port_);
  client.Send("HEAD /abc HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string replies = client.Receive("path=/next");
  EXPECT_NE(replies.find("Content-Length: 9\r\n"), std::string::npos) << replies;
  EXPECT_EQ(replies.find("path=/abc"), std::string::npos) << replies;
  EXPECT_NE(replies.find("path=/next"), std::string::npos) << replies;
}

TEST_F(HttpServerTest, MalformedAndOversizedRequestsGetJsonErrors) {
  HttpServerLimits limits;
  limits.max_header_bytes = 1024;
  Start(limits);
  const auto status_of = [this](const std::string& request) {
    ClientSocket client(port_);
    client.Send(request);
    return client.Receive().substr(0, 12);
  };
  EXPECT_EQ(status_of("NOT HTTP AT ALL\r\n\r\n"), "HTTP/1.1 400");
  EXPECT_EQ(status_of("GET /" + std::string(2000, 'a') + " HTTP/1.1\r\n\r\n"), "HTTP/1.1 414");
  EXPECT_EQ(status_of("GET / HTTP/1.1\r\nX: " + std::string(2000, 'a') + "\r\n\r\n"),
            "HTTP/1.1 431");
  EXPECT_EQ(status_of("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 400");
  // A POST without Content-Length has no body: it is answered at once.
  EXPECT_EQ(status_of("POST /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "HTTP/1.1 200");
}

TEST_F(HttpServerTest, LatencyIsLoggedFromTheFirstByte) {
  Start(HttpServerLimits{});
  ClientSocket client(port_);
  client.Send("GET /lat");
  std::this_thread::sleep_for(milliseconds(200));
  client.Send("e HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_NE(client.Receive("path=/late").find("200 OK"), std::string::npos);
  client.Close();
  server_->Stop(milliseconds(2000));  // every reply is logged once Stop returns
  std::lock_guard lock(log_mutex_);
  ASSERT_EQ(logged_.count("200 /late"), 1U);
  // The request's first byte came 200 ms before its last; the server reads each a moment
  // after it is sent, so the bound keeps a margin below that.
  EXPECT_GE(logged_["200 /late"], 0.15);
}

}  // namespace
}  // namespace cryptomood::http
