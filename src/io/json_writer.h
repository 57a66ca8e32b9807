// JsonWriter: builds one JSON text (a result document, an API reply, a JSON line) in an
// owned buffer, through RapidJSON's writer so that escaping and nesting are done by a real
// JSON writer rather than string concatenation.
// Numbers: doubles print in the shortest form that reads back to the same double
// (std::to_chars), with ".0" added to integral values so they still read as doubles;
// NaN and infinities print as null because JSON has no such numbers.
// Strings: quotes, backslashes and control characters are escaped; valid UTF-8 passes
// through unchanged; invalid UTF-8 bytes become U+FFFD so the output is always valid JSON.
// Calls must form one well-formed value (RapidJSON asserts this in debug builds); Clear()
// starts the next one in the same buffer, EndLine() lets another follow the first.
// Thread-safety: none; one writer per thread. Not copyable or movable (RapidJSON's writer
// points at the buffer).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace cryptomood {

namespace json_writer_detail {

// RapidJSON's writer plus one entry point: a string known to need no escaping goes into the
// buffer in one copy. RapidJSON itself looks every character up in its escape table; API
// replies are mostly keys, tickers and timestamps, where that lookup was a fifth of the time.
class Writer : public rapidjson::Writer<rapidjson::StringBuffer> {
 public:
  using rapidjson::Writer<rapidjson::StringBuffer>::Writer;
  // `text` must hold only printable ASCII other than '"' and '\\'.
  void UnescapedString(const char* text, std::size_t length);
};

}  // namespace json_writer_detail

class JsonWriter {
 public:
  JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  ~JsonWriter() = default;

  void StartObject();
  void EndObject();
  void StartArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(std::int64_t value);
  void Bool(bool value);
  void Null();
  void Double(double value);
  void OptionalDouble(const std::optional<double>& value);              // null when absent
  void OptionalTimestamp(const std::optional<TimestampNs>& timestamp);  // null when absent
  void Timestamp(TimestampNs timestamp);  // a string, RFC 3339 UTC with microseconds
  // Inserts `json`, one complete JSON value written elsewhere, as the next value (unchecked:
  // the caller vouches for it).
  void RawJson(std::string_view json);

  // The JSON written since construction or the last Clear() or DiscardText(); valid until
  // the next call.
  std::string_view view() const;
  void Clear();
  // Drops the text written so far but keeps the nesting state, so one long value can be
  // handed out piece by piece (a streamed reply) from a buffer of bounded size.
  void DiscardText();
  // Ends the top-level value just completed with a newline, so another can follow (JSON
  // lines).
  void EndLine();

 private:
  rapidjson::StringBuffer buffer_;
  json_writer_detail::Writer writer_;
  std::string scratch_;  // holds a repaired copy of strings with invalid UTF-8
};

// Appends the shortest round-trip text of a finite double to out, with ".0" appended when
// the text would otherwise read as an integer; returns the new end. out must have room for
// kMaxDoubleTextLength characters. Shared with writers that lay out JSON by hand.
constexpr std::size_t kMaxDoubleTextLength = 32;
char* AppendDoubleText(char* out, double value);

// text as a quoted JSON string (escaped, invalid UTF-8 repaired), for writers that lay out
// JSON by hand and escape each distinct string once.
std::string JsonQuoted(std::string_view text);

// Replaces each byte that is not part of a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF) by U+FFFD. Returns text itself when
// it is already valid, otherwise a view of storage.
std::string_view RepairUtf8(std::string_view text, std::string& storage);

}  // namespace cryptomood
