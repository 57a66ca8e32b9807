#include "io/input_decoding.h"

#include <string_view>

#include "core/status_macros.h"
#include "io/file_byte_source.h"
#include "io/gzip_byte_source.h"
#include "io/zstd_byte_source.h"

namespace cryptomood {
namespace {

constexpr std::string_view kGzipMagic = "\x1f\x8b";
constexpr std::string_view kZstdMagic = "\x28\xb5\x2f\xfd";

}  // namespace

Result<OpenedInput> OpenInputText(const std::string& path) {
  CRYPTOMOOD_ASSIGN_OR_RETURN(std::unique_ptr<FileByteSource> file, FileByteSource::Open(path));
  OpenedInput opened{nullptr, file->display_name(), file->size_bytes()};
  CRYPTOMOOD_ASSIGN_OR_RETURN(const std::string_view start, file->Peek(kZstdMagic.size()));
  if (start.starts_with(kGzipMagic)) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(opened.text, GzipByteSource::Open(std::move(file)));
  } else if (start.starts_with(kZstdMagic)) {
    CRYPTOMOOD_ASSIGN_OR_RETURN(opened.text, ZstdByteSource::Open(std::move(file)));
  } else {
    opened.text = std::move(file);
  }
  return opened;
}

}  // namespace cryptomood
