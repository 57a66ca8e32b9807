#include "python/frame_lines.h"

#include <algorithm>
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
  *end++ = static_cast<char>('0' + below_micro / 100);
  *end++ = static_cast<char>('0' + below_micro / 10 % 10);
  *end++ = static_cast<char>('0' + below_micro % 10);
  *end++ = 'Z';
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

void AppendCell(const TextColumn& column, std::size_t row, std::string& out) {
  if (column.missing(row)) {
    out += "null";
    return;
  }
  AppendJsonString(column.cells[row], out);
}

void AppendRowUuid(std::size_t row, std::string& out) {
  char text[48];
  const int length = std::snprintf(text, sizeof text, "\"00000000-0000-4000-8000-%012llx\"",
                                   static_cast<unsigned long long>(row));
  out.append(text, static_cast<std::size_t>(length));
}

}  // namespace

void AppendJsonString(std::string_view text, std::string& out) {
  const bool plain = std::all_of(text.begin(), text.end(), [](char byte) {
    return byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\';
  });
  if (!plain) {
    out += JsonQuoted(text);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

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
  AppendCell(columns.symbol, row, out);
  out += ", \"uuid\": ";
  if (columns.uuid) {
    AppendCell(*columns.uuid, row, out);
  } else {
    AppendRowUuid(row, out);
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
  if (columns.text) {
    out += ", \"text\": ";
    AppendCell(*columns.text, row, out);
  }
  out += "}\n";
}

}  // namespace cryptomood::python
