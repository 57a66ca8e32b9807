#include "http/record_replies.h"

#include <string>
#include <vector>

#include "store/coins_json.h"
#include "store/key_bytes.h"

namespace cryptomood::http {
namespace {

// A client that went away ends the scan early; that is not an error worth reporting.
Status ClientGone() { return Error{"client disconnected"}; }

void WriteTrade(const StoredTrade& trade, RowStreamWriter& writer) {
  writer.BeginRow();
  if (trade.has_coins) {
    const std::string coins[] = {std::string(trade.base)};
    writer.StringList("coins", coins);
  } else {
    writer.Absent("coins");
  }
  writer.Double("price", trade.price);
  if (trade.sequence) {
    writer.Int("sequence", *trade.sequence);
  } else {
    writer.Absent("sequence");
  }
  writer.Double("size", trade.size);
  writer.String("symbol_id", trade.symbol_id);
  if (trade.taker_side.empty()) {
    writer.Absent("taker_side");
  } else {
    writer.String("taker_side", trade.taker_side);
  }
  writer.Timestamp("timestamp", trade.timestamp);
  if (trade.time_exchange) {
    writer.Timestamp("time_exchange", *trade.time_exchange);
  } else {
    writer.Absent("time_exchange");
  }
  if (trade.type.empty()) {
    writer.Absent("type");
  } else {
    writer.String("type", trade.type);
  }
  writer.String("uuid", FormatUuid(trade.uuid));
  writer.EndRow();
}

}  // namespace

Result<std::optional<RowCursor>> WriteTradePage(Store& store, const RecordQuery& query,
                                                RowStreamWriter& writer) {
  return store.ForEachTrade(query, [&](const StoredTrade& trade) {
    WriteTrade(trade, writer);
    return writer.ok() ? Status::Ok() : ClientGone();
  });
}

Result<std::optional<RowCursor>> WriteSentimentPage(Store& store, const RecordQuery& query,
                                                    RowStreamWriter& writer) {
  std::vector<std::string> coins;
  return store.ForEachSentiment(query, [&](const StoredSentiment& tweet) -> Status {
    if (Status decoded = DecodeCoinsJson(tweet.coins_json, coins); !decoded) return decoded;
    writer.BeginRow();
    writer.StringList("coins", coins);
    writer.Double("sentiment_polarity", tweet.polarity);
    writer.String("text", tweet.text);
    writer.Timestamp("timestamp", tweet.timestamp);
    writer.EndRow();
    return writer.ok() ? Status::Ok() : ClientGone();
  });
}

Result<std::optional<RowCursor>> NextTradeCursor(Store& store, const RecordQuery& query) {
  return store.ForEachTrade(query, [](const StoredTrade&) { return Status::Ok(); });
}

Result<std::optional<RowCursor>> NextSentimentCursor(Store& store, const RecordQuery& query) {
  return store.ForEachSentiment(query, [](const StoredSentiment&) { return Status::Ok(); });
}

}  // namespace cryptomood::http
