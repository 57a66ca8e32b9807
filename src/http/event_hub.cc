#include "http/event_hub.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/status_macros.h"

namespace cryptomood::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view kHeartbeat = ": heartbeat\n\n";

}  // namespace

bool EventFilter::Matches(const StoredStreamRow& row) const {
  if (row.params_key != params_key) return false;
  if (!coins.empty() && std::find(coins.begin(), coins.end(), row.coin) == coins.end()) {
    return false;
  }
  if (range.from && row.window_start < *range.from) return false;
  return !range.to || row.window_start < *range.to;
}

std::string FormatServerSentEvent(std::int64_t id, std::string_view data) {
  std::string event = "id: " + std::to_string(id) + "\n";
  event.reserve(event.size() + data.size() + 16);
  // Each line of the data is a `data:` field; the client joins them with newlines.
  for (;;) {
    const std::size_t end = data.find('\n');
    event.append("data: ").append(data.substr(0, end)).append("\n");
    if (end == std::string_view::npos) break;
    data.remove_prefix(end + 1);
  }
  event += "\n";
  return event;
}

EventHub::EventHub(StorePool& stores, EventHubOptions options)
    : stores_(stores), options_(options), thread_([this] { Run(); }) {}

EventHub::~EventHub() { Stop(); }

void EventHub::Subscribe(EventFilter filter, std::int64_t last_event_id,
                         std::shared_ptr<PushedBody> body) {
  body->Push("retry: " + std::to_string(options_.retry.count()) + "\n\n");
  MutexLock lock(mutex_);
  if (stopping_) return body->End();
  pending_.push_back(Subscriber{std::move(filter), last_event_id, false, std::move(body)});
  ++clients_;
  wake_.NotifyOne();
}

void EventHub::Stop() {
  {
    MutexLock lock(mutex_);
    stopping_ = true;
  }
  wake_.NotifyAll();
  if (thread_.joinable()) thread_.join();
}

EventHub::Counters EventHub::counters() const {
  return Counters{clients_.load(), events_sent_.load(), clients_dropped_.load()};
}

void EventHub::Run() {
  std::vector<Subscriber> subscribers;
  auto next_heartbeat = Clock::now() + options_.heartbeat_interval;
  for (;;) {
    const auto now = Clock::now();
    const bool heartbeat = now >= next_heartbeat;
    if (heartbeat) next_heartbeat = now + options_.heartbeat_interval;
    const bool more = Poll(subscribers, heartbeat);
    MutexLock lock(mutex_);
    if (stopping_) break;
    if (more) continue;
    // With no subscriber there is nothing to do until one comes.
    const auto deadline =
        Clock::now() + (subscribers.empty() ? std::chrono::hours(24) : options_.poll_interval);
    while (!stopping_ && pending_.empty() && wake_.WaitUntil(mutex_, deadline)) {
    }
    if (stopping_) break;
  }
  Adopt(subscribers);
  for (Subscriber& subscriber : subscribers) subscriber.body->End();
  clients_ = 0;
}

void EventHub::Adopt(std::vector<Subscriber>& subscribers) {
  MutexLock lock(mutex_);
  for (Subscriber& subscriber : pending_) subscribers.push_back(std::move(subscriber));
  pending_.clear();
}

bool EventHub::Poll(std::vector<Subscriber>& subscribers, bool heartbeat) {
  // With no subscriber following the feed, its place is only a bound for catching up: it is
  // read afresh instead of walked through every row committed since the last poll.
  const bool any_live = std::ranges::any_of(subscribers, &Subscriber::live);
  Adopt(subscribers);
  if (subscribers.empty()) return false;
  bool more = false;
  Status status = [&]() -> Status {
    CRYPTOMOOD_ASSIGN_OR_RETURN(auto lease, stores_.Borrow());
    if (!any_live) {
      CRYPTOMOOD_ASSIGN_OR_RETURN(feed_sequence_, lease->LastStreamSequence());
    } else {
      CRYPTOMOOD_ASSIGN_OR_RETURN(more, FollowFeed(*lease, subscribers));
    }
    return CatchUpSome(*lease, subscribers);
  }();
  if (!status.ok() && !store_failing_) {
    std::fprintf(stderr, "cryptomood serve: /events: cannot read the stream rows (%s); retrying\n",
                 status.error().message.c_str());
  }
  store_failing_ = !status.ok();
  if (heartbeat) {
    for (Subscriber& subscriber : subscribers) {
      if (subscriber.body->Push(kHeartbeat) == PushOutcome::kOverflow) ++clients_dropped_;
    }
  }
  Forget(subscribers);
  return more;
}

Result<bool> EventHub::FollowFeed(Store& store, std::vector<Subscriber>& subscribers) {
  StreamRowQuery query;
  query.after_sequence = feed_sequence_;
  query.limit = options_.rows_per_poll;
  query.order = StreamRowOrder::kBySequence;
  std::int64_t read = 0;
  CRYPTOMOOD_RETURN_IF_ERROR(store.ForEachStreamRow(query, [&](const StoredStreamRow& row) {
    ++read;
    std::string event;  // formatted once, for the first subscriber that wants it
    for (Subscriber& subscriber : subscribers) {
      if (!subscriber.live || row.sequence <= subscriber.cursor || !subscriber.filter.Matches(row))
        continue;
      if (event.empty()) event = FormatServerSentEvent(row.sequence, row.row_json);
      Deliver(subscriber, row.sequence, event);
    }
    feed_sequence_ = row.sequence;
    return Status::Ok();
  }));
  return read == options_.rows_per_poll;
}

Status EventHub::CatchUpSome(Store& store, std::vector<Subscriber>& subscribers) {
  const std::size_t count = subscribers.size();
  std::size_t pages = 0;
  std::size_t next_turn = catch_up_turn_;
  for (std::size_t i = 0; i < count && pages < options_.catch_up_pages_per_poll; ++i) {
    const std::size_t index = (catch_up_turn_ + i) % count;
    if (subscribers[index].live) continue;
    ++pages;
    next_turn = index + 1;
    CRYPTOMOOD_RETURN_IF_ERROR(CatchUp(store, subscribers[index]));
  }
  catch_up_turn_ = count == 0 ? 0 : next_turn % count;
  return Status::Ok();
}

Status EventHub::CatchUp(Store& store, Subscriber& subscriber) {
  const std::size_t room = options_.client_queue_bytes / 2;
  if (subscriber.body->queued_bytes() >= room) return Status::Ok();
  StreamRowQuery query;
  query.params_key = subscriber.filter.params_key;
  query.coins = subscriber.filter.coins;
  query.range = subscriber.filter.range;
  query.after_sequence = subscriber.cursor;
  query.through_sequence = feed_sequence_;
  query.limit = options_.catch_up_rows;
  query.order = StreamRowOrder::kBySequence;
  std::int64_t read = 0;
  bool paused = false;  // the queue filled up, or the subscriber went away
  const Status scanned = store.ForEachStreamRow(query, [&](const StoredStreamRow& row) {
    ++read;
    paused =
        !Deliver(subscriber, row.sequence, FormatServerSentEvent(row.sequence, row.row_json)) ||
        subscriber.body->queued_bytes() >= room;
    return paused ? Status(Error{"paused"}) : Status::Ok();
  });
  if (paused) return Status::Ok();
  CRYPTOMOOD_RETURN_IF_ERROR(scanned);
  if (read < options_.catch_up_rows) {
    // Everything through the feed's position is sent: follow the feed from here.
    subscriber.cursor = std::max(subscriber.cursor, feed_sequence_);
    subscriber.live = true;
  }
  return Status::Ok();
}

bool EventHub::Deliver(Subscriber& subscriber, std::int64_t sequence, std::string_view event) {
  switch (subscriber.body->Push(event)) {
    case PushOutcome::kQueued:
      subscriber.cursor = sequence;
      ++events_sent_;
      return true;
    case PushOutcome::kOverflow:
      ++clients_dropped_;
      return false;
    case PushOutcome::kEnded:
      return false;
  }
  return false;
}

void EventHub::Forget(std::vector<Subscriber>& subscribers) {
  const std::size_t before = subscribers.size();
  std::erase_if(subscribers, [](const Subscriber& subscriber) { return subscriber.body->ended(); });
  clients_ -= before - subscribers.size();
}

}  // namespace cryptomood::http
