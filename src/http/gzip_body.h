// Gzip for whole reply bodies: which content types are worth compressing, and the compression
// itself (zlib's deflate with a gzip wrapper at its default level).
// Thread-safety: free functions over their arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cryptomood::http {

// Text-like types (JSON, CSV, NDJSON, HTML, CSS, JavaScript, SVG) and bodies large enough for
// compression to pay.
bool WorthCompressing(std::string_view content_type, std::size_t body_bytes);
// nullopt when zlib fails (the body is then sent as it is).
std::optional<std::string> GzipCompress(std::string_view body);
// Whether an Accept-Encoding header value admits gzip.
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace cryptomood::http
