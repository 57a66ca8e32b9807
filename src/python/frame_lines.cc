#include "python/frame_lines.h"

#include <cmath>
#include <cstdio>

#include "core/timestamp.h"
#include "io/json_writer.h"

namespace cryptomood::python {
namespace {

void AppendTimestamp(std::int64_t nanos, std::string& out) {
  if (nanos == kNotATime) {
    out += "null";
    return;
  }
  // "YYYY-MM-DDTHH:MM:SS.ffffff" then the three digits below a microsecond, then "Z".
  char text[kTimestampMicrosLength + 8];
  char* end = WriteTimestampMicros(text, nanos);
  --end;  // drop the 'Z'
  const std::int64_t below_micro = ((nanos % kNanosPerMicro) + kNanosPerMicro) % kNanosPerMicro;
  end += std::snprintf(end, 5, "%03lldZ", static_cast<long long>(below_micro));
  out += '"';
  out.append(text, end);
  out += '"';
}

void AppendNumber(double value, std::string& out) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char text[kMaxDoubleTextLength];
  out.append(text, AppendDoubleText(text, value));
}

void AppendCoded(std::int64_t code, const QuotedStrings& strings, std::string& out) {
  if (code < 0 || static_cast<std::size_t>(code) >= strings.size()) {
    out += "null";
    return;
  }
  out += strings[static_cast<std::size_t>(code)];
}

void AppendRowUuid(std::size_t row, std::string& out) {
  char text[48];
  const int length = std::snprintf(text, sizeof text, "\"00000000-0000-4000-8000-%012llx\"",
                                   static_cast<unsigned long long>(row));
  out.append(text, static_cast<std::size_t>(length));
}

}  // namespace

void QuotedStrings::Add(std::string_view text) {
  bytes_ += JsonQuoted(text);
  ends_.push_back(bytes_.size());
}

std::string_view QuotedStrings::operator[](std::size_t index) const {
  const std::size_t begin = index == 0 ? 0 : ends_[index - 1];
  return std::string_view(bytes_).substr(begin, ends_[index] - begin);
}

void AppendTradeLine(const TradeColumns& columns, std::size_t row, std::string& out) {
  out += "{\"timestamp\": ";
  AppendTimestamp(columns.timestamp[row], out);
  out += ", \"price\": ";
  AppendNumber(columns.price[row], out);
  out += ", \"size\": ";
  AppendNumber(columns.size[row], out);
  out += ", \"symbol_id\": ";
  AppendCoded(columns.symbol[row], columns.symbols, out);
  out += ", \"uuid\": ";
  if (columns.uuid.empty()) {
    AppendRowUuid(row, out);
  } else {
    AppendCoded(columns.uuid[row], columns.uuids, out);
  }
  out += "}\n";
}

void AppendSentimentLine(const SentimentColumns& columns, std::size_t row, std::string& out) {
  out += "{\"timestamp\": ";
  AppendTimestamp(columns.timestamp[row], out);
  out += ", \"sentiment_polarity\": ";
  AppendNumber(columns.polarity[row], out);
  out += ", \"coins\": ";
  if (columns.coins_missing[row]) {
    out += "null";
  } else {
    out += '[';
    const std::size_t begin = row == 0 ? 0 : columns.coin_ends[row - 1];
    for (std::size_t at = begin; at < columns.coin_ends[row]; ++at) {
      if (at != begin) out += ", ";
      out += columns.coins[columns.coin_codes[at]];
    }
    out += ']';
  }
  if (!columns.text.empty()) {
    out += ", \"text\": ";
    AppendCoded(columns.text[row], columns.texts, out);
  }
  out += "}\n";
}

}  // namespace cryptomood::python
