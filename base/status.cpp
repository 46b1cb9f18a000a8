#include "base/status.h"

#include <cstring>

namespace liitos {

Status Status::FromErrno(const std::string& context, int err) {
  std::string msg = context + ": " + std::strerror(err);
  if (err == ENOENT) return NotFound(std::move(msg));
  return IoError(std::move(msg));
}

std::string Status::ToString() const {
  switch (code_) {
    case Code::kOk: return "OK";
    case Code::kIoError: return "I/O error: " + message_;
    case Code::kInvalid: return "invalid: " + message_;
    case Code::kNotFound: return "not found: " + message_;
    case Code::kCorruption: return "corruption: " + message_;
    case Code::kRetry: return "retry: " + message_;
    case Code::kFatal: return "fatal: " + message_;
  }
  return message_;
}

}  // namespace liitos
