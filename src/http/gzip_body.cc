#include "http/gzip_body.h"

#include <zlib.h>

#include <array>

namespace cryptomood::http {
namespace {

constexpr std::size_t kMinimumCompressedBytes = 1024;
constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer
constexpr int kMemoryLevel = 8;

}  // namespace

bool WorthCompressing(std::string_view content_type, std::size_t body_bytes) {
  if (body_bytes < kMinimumCompressedBytes) return false;
  constexpr std::array<std::string_view, 6> kCompressible = {
      "text/", "application/json", "application/x-ndjson", "javascript", "image/svg", "+json"};
  for (std::string_view type : kCompressible) {
    if (content_type.find(type) != std::string_view::npos) return true;
  }
  return false;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  return accept_encoding.find("gzip") != std::string_view::npos;
}

std::optional<std::string> GzipCompress(std::string_view body) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kMemoryLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string compressed(deflateBound(&stream, body.size()) + 32, '\0');
  // zlib's interface is not const-correct; it never writes through next_in.
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));  // NOLINT
  stream.avail_in = static_cast<uInt>(body.size());
  stream.next_out = reinterpret_cast<Bytef*>(compressed.data());  // NOLINT
  stream.avail_out = static_cast<uInt>(compressed.size());
  const int result = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return std::nullopt;
  compressed.resize(written);
  return compressed;
}

}  // namespace cryptomood::http
