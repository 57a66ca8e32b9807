// The streamed routes over stored records: pages of trades (/coin) and tweets (/sentiment),
// written row by row into a RowStreamWriter while the store is read, so memory stays flat
// whatever the page size. (/merged pages come from the in-memory data set: MergedPage.)
// Thread-safety: each call uses the Store it is given from the calling thread.
#pragma once

#include <optional>

#include "core/result.h"
#include "http/api_queries.h"
#include "http/row_stream_writer.h"
#include "store/store.h"

namespace cryptomood::http {

// Each returns the next page's cursor (nullopt on the last page).
Result<std::optional<RowCursor>> WriteTradePage(Store& store, const RecordQuery& query,
                                                RowStreamWriter& writer);
Result<std::optional<RowCursor>> WriteSentimentPage(Store& store, const RecordQuery& query,
                                                    RowStreamWriter& writer);

// The next page's cursor without writing anything (for formats whose cursor travels in a
// header, sent before the rows).
Result<std::optional<RowCursor>> NextTradeCursor(Store& store, const RecordQuery& query);
Result<std::optional<RowCursor>> NextSentimentCursor(Store& store, const RecordQuery& query);

}  // namespace cryptomood::http
