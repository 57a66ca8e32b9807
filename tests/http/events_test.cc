// GET /events served in process by the real routes and server, read by a real HTTP client
// (cpp-httplib) over TCP, on SQLite and PostgreSQL. Rows come from Store::CommitStream, the
// call a stream member makes. What must hold: each committed row matching the filter arrives
// once, as `id: SEQUENCE` and `data: ROW_JSON`, in commit order; a client resuming with
// Last-Event-ID (or last_event_id after a /correlation?source=stream reply's X-Last-Event-ID)
// gets exactly what it missed and then the live rows; a client that does not read is dropped
// and counted, and may resume without loss.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/stream_params_key.h"
#include "http/in_process_api.h"
#include "io/correlation_row_json.h"
#include "store/store_test_support.h"
#include "store/stream_test_rows.h"

namespace cryptomood::http {
namespace {

using testing_support::Backend;
using namespace std::chrono_literals;

constexpr auto kPatience = 20s;

AnalysisParams BarsParams(LagRange lags = LagRange{-1, 1}) {
  AnalysisParams params;
  params.mode = AnalysisMode::kBars;
  params.interval = Interval::Fixed(60 * kNanosPerSecond);
  params.lags = lags;
  params.window = Interval::Fixed(testing_support::kStreamHour);
  return params;
}

CorrelationRow Row(const std::string& coin, int window, int lag, std::int64_t n = 10) {
  return testing_support::StreamRow(coin, window, lag, n);
}

struct Event {
  std::int64_t id = 0;
  std::string data;
  bool operator==(const Event&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Event& event) {
  return out << "{id " << event.id << ": " << event.data << "}";
}

using Headers = std::vector<std::pair<std::string, std::string>>;

// Reads one /events stream on its own thread over a plain socket (HTTP/1.1, chunked body) and
// keeps the events it parsed. Plain sockets, not a second HTTP client library instance: the
// reader runs beside the test's own requests.
class EventReader {
 public:
  EventReader(int port, std::string target, Headers headers = {}) {
    thread_ = std::thread([this, port, target = std::move(target), headers = std::move(headers)] {
      Read(port, target, headers);
      std::lock_guard lock(mutex_);
      ended_ = true;
      changed_.notify_all();
    });
  }
  ~EventReader() { Close(); }

  void Close() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  // Waits until `count` events arrived (or the patience ran out) and returns all of them.
  std::vector<Event> WaitFor(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPatience, [&] { return events_.size() >= count || ended_; });
    return events_;
  }
  // True once the reply ended with its last chunk.
  bool WaitForCleanEnd() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kPatience, [&] { return ended_; });
    return last_chunk_;
  }
  std::string retry_field() {
    std::lock_guard lock(mutex_);
    return retry_;
  }

 private:
  void Read(int port, const std::string& target, const Headers& headers) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      std::string request = "GET " + target + " HTTP/1.1\r\nHost: test\r\n";
      for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
      request += "\r\n";
      if (::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size())) {
        ReceiveUntilEnd(fd);
      }
    }
    ::close(fd);
  }

  void ReceiveUntilEnd(int fd) {
    char buffer[8192];
    while (!stop_) {
      pollfd readable{fd, POLLIN, 0};
      if (::poll(&readable, 1, 20) <= 0) continue;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      if (!Dechunk(std::string_view(buffer, static_cast<std::size_t>(n)))) return;
    }
  }

  // Feeds the reply's bytes; false once its last chunk came.
  bool Dechunk(std::string_view bytes) {
    raw_.append(bytes);
    if (!body_started_) {
      const std::size_t end = raw_.find("\r\n\r\n");
      if (end == std::string::npos) return true;
      raw_.erase(0, end + 4);
      body_started_ = true;
    }
    for (;;) {
      const std::size_t line_end = raw_.find("\r\n");
      if (line_end == std::string::npos) return true;
      const std::size_t size = std::stoul(raw_.substr(0, line_end), nullptr, 16);
      if (raw_.size() < line_end + 2 + size + 2) return true;
      if (size == 0) {
        std::lock_guard lock(mutex_);
        last_chunk_ = true;
        return false;
      }
      Append(std::string_view(raw_).substr(line_end + 2, size));
      raw_.erase(0, line_end + 2 + size + 2);
    }
  }

  void Append(std::string_view bytes) {
    std::lock_guard lock(mutex_);
    buffer_.append(bytes);
    for (std::size_t end; (end = buffer_.find("\n\n")) != std::string::npos;) {
      ParseBlock(buffer_.substr(0, end));
      buffer_.erase(0, end + 2);
    }
    changed_.notify_all();
  }
  void ParseBlock(const std::string& block) {
    Event event;
    bool has_data = false;
    std::size_t start = 0;
    while (start <= block.size()) {
      std::size_t end = block.find('\n', start);
      if (end == std::string::npos) end = block.size();
      const std::string line = block.substr(start, end - start);
      if (line.rfind("id: ", 0) == 0) event.id = std::stoll(line.substr(4));
      if (line.rfind("data: ", 0) == 0) {
        event.data += line.substr(6);
        has_data = true;
      }
      if (line.rfind("retry: ", 0) == 0) retry_ = line.substr(7);
      start = end + 1;
    }
    if (has_data) events_.push_back(event);
  }

  std::atomic<bool> stop_{false};
  std::string raw_;  // reader thread only
  bool body_started_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string buffer_;
  std::vector<Event> events_;
  std::string retry_;
  bool ended_ = false;
  bool last_chunk_ = false;
  std::thread thread_;
};

class EventsTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
    auto port = api_.Start();
    ASSERT_TRUE(port.ok()) << port.error().message;
    port_ = *port;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  }

  static RouteLimits Limits() {
    RouteLimits limits;
    limits.events.poll_interval = 5ms;
    limits.events.heartbeat_interval = 100ms;
    limits.events.catch_up_rows = 3;            // resumption spans several pages
    limits.events.catch_up_pages_per_poll = 1;  // and resuming clients take turns
    limits.events.client_queue_bytes = 16 * 1024;
    return limits;
  }

  // Commits `rows` as one stream commit and returns each row's event, in commit order.
  std::vector<Event> Commit(const std::vector<CorrelationRow>& rows,
                            const AnalysisParams& params = BarsParams()) {
    auto before = store_->LastStreamSequence();
    EXPECT_TRUE(before.ok());
    StreamCommit commit;
    commit.group = "events";
    commit.params_key = StreamParamsKey(params);
    commit.rows = rows;
    commit.state = "state";
    Status committed = store_->CommitStream(commit);
    EXPECT_TRUE(committed.ok()) << committed.error().message;
    std::vector<Event> events;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      events.push_back({*before + static_cast<std::int64_t>(i) + 1, CorrelationRowJson(rows[i])});
    }
    return events;
  }

  std::string MetricsText() {
    auto reply = client_->Get("/metrics");
    return reply ? reply->body : std::string();
  }
  // The value of one unlabelled series of /metrics, -1 when absent.
  double Metric(const std::string& name) {
    const std::string text = MetricsText();
    const std::size_t at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
  }
  bool WaitForMetric(const std::string& name, double value) {
    const auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (Metric(name) != value) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  testing_support::TestDatabase database_{GetParam()};
  std::unique_ptr<Store> store_;
  InProcessApi api_{database_.url(), Limits()};
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

constexpr std::string_view kEvents = "/events?mode=bars&lags=-1:1&window=1h";

std::vector<Event> Concat(std::vector<Event> a, const std::vector<Event>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST_P(EventsTest, ALiveClientGetsEachMatchingRowOnceInCommitOrder) {
  Commit({Row("BTC", 0, 0)});  // before the client: not sent without a last event id
  EventReader reader(port_, std::string(kEvents));
  ASSERT_TRUE(WaitForMetric("cryptomood_sse_clients", 1));
  const auto first = Commit({Row("ETH", 0, 0), Row("BTC", 1, -1)});
  ASSERT_EQ(reader.WaitFor(2), first);
  Commit({Row("BTC", 1, 0)}, BarsParams(LagRange{0, 1}));  // other parameters: not this feed
  // A re-commit comes again, updated. (Re-committed before it was sent, a row is sent once,
  // with its latest values: the store keeps no history.)
  const auto second = Commit({Row("ETH", 0, 0, 99)});
  EXPECT_EQ(reader.WaitFor(3), Concat(first, second));
  EXPECT_EQ(reader.retry_field(), "3000");
}

TEST_P(EventsTest, FiltersByCoinAndWindowStart) {
  EventReader reader(port_, std::string(kEvents) + "&coin=BTC&from=2018-07-16T21:00:00Z");
  ASSERT_TRUE(WaitForMetric("cryptomood_sse_clients", 1));
  const auto events =
      Commit({Row("BTC", 0, 0), Row("ETH", 1, 0), Row("BTC", 1, 1), Row("BTC", 2, -1)});
  EXPECT_EQ(reader.WaitFor(2), (std::vector<Event>{events[2], events[3]}));
}

TEST_P(EventsTest, ResumingWithLastEventIdGetsExactlyWhatWasMissedThenLiveRows) {
  const auto early = Commit({Row("BTC", 0, 0), Row("BTC", 0, 1), Row("ETH", 0, 0)});
  const auto later = Commit({Row("BTC", 1, 0), Row("SOL", 1, 0), Row("ETH", 1, 1), Row("BTC", 2, 0),
                             Row("ETH", 2, 0), Row("SOL", 2, 1)});
  // Resumes after the second event: the rest of `early`, all of `later` (three pages of the
  // store), then a live commit.
  EventReader reader(port_, std::string(kEvents), {{"Last-Event-ID", std::to_string(early[1].id)}});
  EXPECT_EQ(reader.WaitFor(7), Concat({early[2]}, later));
  const auto live = Commit({Row("ETH", 3, 0)});
  EXPECT_EQ(reader.WaitFor(8), Concat(Concat({early[2]}, later), live));
}

TEST_P(EventsTest, ClientsResumingTogetherTakeTurnsAndEachGetsEverything) {
  std::vector<Event> all;
  for (int window = 0; window < 4; ++window) {
    all =
        Concat(all, Commit({Row("BTC", window, 0), Row("ETH", window, 0), Row("SOL", window, 1)}));
  }
  std::vector<std::unique_ptr<EventReader>> readers;
  for (int i = 0; i < 3; ++i) {
    readers.push_back(std::make_unique<EventReader>(port_, std::string(kEvents),
                                                    Headers{{"Last-Event-ID", "0"}}));
  }
  for (auto& reader : readers) EXPECT_EQ(reader->WaitFor(all.size()), all);
}

TEST_P(EventsTest, TheHeaderWinsOverTheParameter) {
  const auto events = Commit({Row("BTC", 0, 0), Row("BTC", 0, 1), Row("ETH", 0, 0)});
  EventReader reader(port_, std::string(kEvents) + "&last_event_id=0",
                     {{"Last-Event-ID", std::to_string(events[1].id)}});
  EXPECT_EQ(reader.WaitFor(1), (std::vector<Event>{events[2]}));
}

TEST_P(EventsTest, AnIdAheadOfTheStoreGetsOnlyTheRowsAfterIt) {
  const auto before = Commit({Row("BTC", 0, 0)});
  EventReader reader(port_, std::string(kEvents),
                     {{"Last-Event-ID", std::to_string(before[0].id + 2)}});
  ASSERT_TRUE(WaitForMetric("cryptomood_sse_clients", 1));
  // Most likely following the live feed by now (either way only later rows may come).
  std::this_thread::sleep_for(100ms);
  const auto events = Commit({Row("BTC", 1, 0), Row("BTC", 2, 0), Row("BTC", 3, 0)});
  EXPECT_EQ(reader.WaitFor(1), (std::vector<Event>{events[2]}));
  const auto next = Commit({Row("ETH", 3, 0)});
  EXPECT_EQ(reader.WaitFor(2), (std::vector<Event>{events[2], next[0]}));
}

TEST_P(EventsTest, ATableReplyAndTheEventsAfterItsLastIdHoldEveryRowOnce) {
  Commit({Row("BTC", 0, 0), Row("ETH", 0, 0)});
  auto table = client_->Get("/correlation?source=stream&mode=bars&lags=-1:1&window=1h");
  ASSERT_TRUE(table);
  ASSERT_TRUE(table->has_header("X-Last-Event-ID"));
  const std::string last = table->get_header_value("X-Last-Event-ID");
  EXPECT_EQ(table->get_header_value("X-Stream-Params-Key"), StreamParamsKey(BarsParams()));
  EXPECT_EQ(table->body, "{\"data\":[" + CorrelationRowJson(Row("BTC", 0, 0)) + "," +
                             CorrelationRowJson(Row("ETH", 0, 0)) + "]}\n");
  // Committed after the table was read: only the events carry it.
  const auto after = Commit({Row("SOL", 0, 0), Row("BTC", 0, 0, 77)});
  EventReader reader(port_, std::string(kEvents) + "&last_event_id=" + last);
  EXPECT_EQ(reader.WaitFor(2), after);
}

TEST_P(EventsTest, AClientThatDoesNotReadIsDroppedAndCanResumeWithoutLoss) {
  // A raw socket that asks for the feed and never reads from it.
  const int stalled = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(stalled, 0);
  const int small = 4096;
  ::setsockopt(stalled, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(stalled, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  const std::string request = "GET " + std::string(kEvents) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_EQ(::send(stalled, request.data(), request.size(), 0),
            static_cast<ssize_t>(request.size()));
  ASSERT_TRUE(WaitForMetric("cryptomood_sse_clients", 1));

  // Far more than the 16 KiB queue and the socket buffers hold, committed in slices.
  std::vector<Event> all;
  for (int window = 0; window < 100; ++window) {
    std::vector<CorrelationRow> rows;
    for (int lag = -1; lag <= 1; ++lag) {
      for (const char* coin : {"BTC", "ETH", "SOL", "ADA"}) rows.push_back(Row(coin, window, lag));
    }
    all = Concat(all, Commit(rows));
  }
  EXPECT_TRUE(WaitForMetric("cryptomood_sse_clients", 0)) << MetricsText();
  EXPECT_EQ(Metric("cryptomood_sse_clients_dropped_total"), 1) << MetricsText();
  ::close(stalled);

  // A reader resuming from the start gets every row, in order, through the store.
  EventReader reader(port_, std::string(kEvents), {{"Last-Event-ID", "0"}});
  EXPECT_EQ(reader.WaitFor(all.size()), all);
}

TEST_P(EventsTest, MetricsCountClientsAndEvents) {
  {
    EventReader reader(port_, std::string(kEvents));
    ASSERT_TRUE(WaitForMetric("cryptomood_sse_clients", 1));
    Commit({Row("BTC", 0, 0), Row("ETH", 0, 0)});
    EXPECT_EQ(reader.WaitFor(2).size(), 2u);
    // The hub counts an event once its push has returned, which may be after the client
    // has read it.
    EXPECT_TRUE(WaitForMetric("cryptomood_sse_events_sent_total", 2)) << MetricsText();
  }
  // The client left: the hub notices at once, not at the next heartbeat.
  EXPECT_TRUE(WaitForMetric("cryptomood_sse_clients", 0)) << MetricsText();
  EXPECT_EQ(Metric("cryptomood_sse_clients_dropped_total"), 0);
}

TEST_P(EventsTest, ShutdownEndsEveryFeedCleanly) {
  EventReader reader(port_, std::string(kEvents));
  ASSERT_TRUE(WaitForMetric("cryptomood_sse_clients", 1));
  api_.routes().BeginShutdown();
  EXPECT_TRUE(reader.WaitForCleanEnd());
}

TEST_P(EventsTest, BadParametersAreNamed) {
  const auto parameter_of = [this](const std::string& target, const httplib::Headers& headers) {
    auto reply = client_->Get(target, headers);
    if (!reply || reply->status != 400) return std::string("no 400");
    const std::size_t at = reply->body.find("\"parameter\":\"");
    return at == std::string::npos
               ? reply->body
               : reply->body.substr(at + 13, reply->body.find('"', at + 13) - at - 13);
  };
  EXPECT_EQ(parameter_of("/events?mode=bars", {}), "window");
  EXPECT_EQ(parameter_of(std::string(kEvents) + "&last_event_id=-1", {}), "last_event_id");
  EXPECT_EQ(parameter_of(std::string(kEvents) + "&last_event_id=x", {}), "last_event_id");
  EXPECT_EQ(parameter_of(std::string(kEvents), {{"Last-Event-ID", "12a"}}), "Last-Event-ID");
  EXPECT_EQ(parameter_of(std::string(kEvents) + "&format=csv", {}), "format");
}

INSTANTIATE_TEST_SUITE_P(Backends, EventsTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing_support::BackendParamName);

}  // namespace
}  // namespace cryptomood::http
