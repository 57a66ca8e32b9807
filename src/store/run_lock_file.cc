#include "store/run_lock_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cryptomood {
namespace {

// The byte of `run`, as a one-byte write lock request of type `type`.
struct flock RunByte(std::int64_t run, short type) {
  struct flock region {};
  region.l_type = type;
  region.l_whence = SEEK_SET;
  region.l_start = static_cast<off_t>(run);
  region.l_len = 1;
  region.l_pid = 0;  // required by open file description locks
  return region;
}

Error SystemError(const std::string& what, const std::string& path) {
  return Error{what + " " + path + ": " + std::strerror(errno)};
}

}  // namespace

std::string RunLockPath(const std::string& database_path) { return database_path + "-runs.lock"; }

Result<std::unique_ptr<RunLock>> RunLock::Acquire(const std::string& lock_path, std::int64_t run) {
  const int descriptor = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor < 0) return SystemError("cannot open the ingest lock file", lock_path);
  std::unique_ptr<RunLock> lock(new RunLock(descriptor));
  struct flock region = RunByte(run, F_WRLCK);
  if (::fcntl(descriptor, F_OFD_SETLK, &region) != 0) {
    return SystemError("cannot lock ingest run " + std::to_string(run) + " in", lock_path);
  }
  return lock;
}

RunLock::~RunLock() { ::close(descriptor_); }

Result<bool> RunLockIsHeld(const std::string& lock_path, std::int64_t run) {
  const int descriptor = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    if (errno == ENOENT) return false;
    return SystemError("cannot open the ingest lock file", lock_path);
  }
  struct flock region = RunByte(run, F_WRLCK);
  const int tested = ::fcntl(descriptor, F_OFD_GETLK, &region);
  const int saved_errno = errno;
  ::close(descriptor);
  if (tested != 0) {
    errno = saved_errno;
    return SystemError("cannot test ingest run " + std::to_string(run) + " in", lock_path);
  }
  return region.l_type != F_UNLCK;
}

}  // namespace cryptomood
