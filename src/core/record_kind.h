// What a record is: a trade or a sentiment (tweet) record. The domain's two input kinds, named
// once for every layer (the sniffer and the loaders in io, the store's ingest runs, the stream's
// publisher). DescribeKind gives the words messages use for a kind.
// Thread-safety: a value type and a pure function.
#pragma once

#include <string_view>

namespace cryptomood {

enum class RecordKind { kTrade, kSentiment };

// "trades" / "sentiment data", as used in messages.
std::string_view DescribeKind(RecordKind kind);

}  // namespace cryptomood
