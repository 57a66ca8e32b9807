// EventHub: the Server-Sent Events feed behind GET /events. One thread follows the store's
// stream rows by sequence number (Store::ForEachStreamRow in sequence order, every
// params_key) and pushes each new row, as one event, to every subscriber whose filter it
// matches. The store is polled rather than notified (PostgreSQL's LISTEN/NOTIFY): polling
// works the same on SQLite and PostgreSQL, across processes, and a poll of an indexed
// sequence column costs one short read whether or not anything changed.
//
// Events: `id: SEQUENCE` and `data: ROW_JSON` (the same object as /correlation's rows), so a
// client that reconnects with its last id misses nothing and sees nothing twice. A subscriber
// starts after `last_event_id` when it gives one: what it missed is read from the store a page
// at a time (only while its queue is under half its cap), then it follows the live feed.
// A re-committed row has a new sequence number, so it arrives again with its new values: a
// client keeps the latest row per (symbol_id, window_start, lag).
//
// Memory: each subscriber's unsent bytes are capped (PushedBody, HttpResponse::
// push_queue_bytes). A client whose queue would pass the cap is dropped (its connection
// closed); a browser's EventSource reconnects with Last-Event-ID and resumes from the store.
// The live feed is read at most rows_per_poll rows per poll, so a burst of commits reaches the
// subscribers in slices.
// Heartbeats: a comment line every heartbeat_interval keeps proxies from closing idle
// connections and finds clients that are gone.
//
// Ownership: borrows the StorePool, which must outlive it; holds each subscriber's body until
// it ends. The destructor stops the thread and ends every body.
// Thread-safety: Subscribe, Stop and counters may be called from any thread; everything else
// runs on the hub's thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/cond_var.h"
#include "core/mutex.h"
#include "core/thread_annotations.h"
#include "core/timestamp.h"
#include "http/http_message.h"
#include "http/store_pool.h"
#include "store/stream_records.h"

namespace cryptomood::http {

struct EventHubOptions {
  std::chrono::milliseconds poll_interval{20};
  std::chrono::milliseconds heartbeat_interval{15'000};
  std::size_t client_queue_bytes = std::size_t{256} * 1024;
  std::int64_t rows_per_poll = 256;  // live rows read per poll
  std::int64_t catch_up_rows = 256;  // a resuming subscriber's page per poll
  // Resuming subscribers served a page per poll, in turn: many of them at once (a server
  // restart reconnects every browser) cannot hold up the live feed.
  std::size_t catch_up_pages_per_poll = 16;
  std::chrono::milliseconds retry{3'000};  // the clients' reconnection delay (`retry:`)
};

// Which rows a subscriber receives: one params_key (StreamParamsKey of its parameters),
// `coins` (empty: all) and window starts in `range`.
struct EventFilter {
  std::string params_key;
  std::vector<std::string> coins;
  TimeRange range;

  bool Matches(const StoredStreamRow& row) const;
};

// One event in the text/event-stream format.
std::string FormatServerSentEvent(std::int64_t id, std::string_view data);

class EventHub {
 public:
  struct Counters {
    std::size_t clients = 0;            // subscribers connected now
    std::uint64_t events_sent = 0;      // row events queued for clients, over all of them
    std::uint64_t clients_dropped = 0;  // subscribers dropped for a full queue
  };

  EventHub(StorePool& stores, EventHubOptions options);
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  const EventHubOptions& options() const { return options_; }
  // Adds a subscriber that has every row through sequence `last_event_id`; its body has
  // received the `retry:` line when this returns.
  void Subscribe(EventFilter filter, std::int64_t last_event_id, std::shared_ptr<PushedBody> body)
      EXCLUDES(mutex_);
  // Ends every body and stops the thread; idempotent.
  void Stop() EXCLUDES(mutex_);
  Counters counters() const;

 private:
  struct Subscriber {
    EventFilter filter;
    std::int64_t cursor = 0;  // the last sequence it has
    bool live = false;        // follows the feed; else catches up from the store
    std::shared_ptr<PushedBody> body;
  };

  void Run() EXCLUDES(mutex_);
  // One round: adopt new subscribers, read the feed, catch up, heartbeat, forget ended ones.
  // True when the feed had more rows than one poll reads.
  bool Poll(std::vector<Subscriber>& subscribers, bool heartbeat) EXCLUDES(mutex_);
  void Adopt(std::vector<Subscriber>& subscribers) EXCLUDES(mutex_);
  Result<bool> FollowFeed(Store& store, std::vector<Subscriber>& subscribers);
  // A page each for up to catch_up_pages_per_poll resuming subscribers, taking turns.
  Status CatchUpSome(Store& store, std::vector<Subscriber>& subscribers);
  Status CatchUp(Store& store, Subscriber& subscriber);
  // Pushes one row's event; false when the subscriber is gone or was dropped.
  bool Deliver(Subscriber& subscriber, std::int64_t sequence, std::string_view event);
  void Forget(std::vector<Subscriber>& subscribers);

  StorePool& stores_;
  const EventHubOptions options_;
  std::int64_t feed_sequence_ = 0;  // hub thread: the last sequence read from the feed
  bool store_failing_ = false;      // hub thread: the last poll failed (logged once a streak)
  std::size_t catch_up_turn_ = 0;   // hub thread: where the next poll's catching up starts

  mutable Mutex mutex_;
  CondVar wake_;
  std::vector<Subscriber> pending_ GUARDED_BY(mutex_);
  bool stopping_ GUARDED_BY(mutex_) = false;

  std::atomic<std::size_t> clients_{0};
  std::atomic<std::uint64_t> events_sent_{0};
  std::atomic<std::uint64_t> clients_dropped_{0};
  std::thread thread_;
};

}  // namespace cryptomood::http
