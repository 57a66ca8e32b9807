// The Kafka topics of cryptomood and how they are partitioned.
// - cryptomood.trades: one message per valid trade line, keyed by the trade's coin (base asset),
//   payload the line's bytes as read (without the newline).
// - cryptomood.sentiment: one message per valid tweet line and DISTINCT coin of the tweet,
//   keyed by that coin, payload the line's bytes unchanged.
// - cryptomood.late: events that arrived after their window had closed.
// - cryptomood.dlq: messages a consumer could not process (dead letters).
// - cryptomood.correlation.<window>: closed windows' correlation rows, one topic per WINDOW
//   interval (the tumbling window's length, e.g. "cryptomood.correlation.1h"), not the bar
//   interval.
// Co-partitioning: trades and sentiment have the same number of partitions and the same key
// (the coin), so the default partitioner puts a coin's trades and tweets in the same partition
// number p of both topics; consumers use the range assignor, which (with equal partition
// counts) gives one member partition p of BOTH topics, so a member sees all events of its coins.
// Thread-safety: constants and a pure function.
#pragma once

#include <string>
#include <string_view>

#include "core/interval.h"

namespace cryptomood {

inline constexpr std::string_view kTradesTopic = "cryptomood.trades";
inline constexpr std::string_view kSentimentTopic = "cryptomood.sentiment";
inline constexpr std::string_view kLateTopic = "cryptomood.late";
inline constexpr std::string_view kDeadLetterTopic = "cryptomood.dlq";
inline constexpr std::string_view kCorrelationTopicPrefix = "cryptomood.correlation.";

// "cryptomood.correlation." + the window interval's canonical text ("1m", "1h", "1mo").
inline std::string CorrelationTopic(const Interval& window) {
  return std::string(kCorrelationTopicPrefix) + window.ToString();
}

}  // namespace cryptomood
