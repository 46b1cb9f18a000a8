// liitos convert --config F --profile P FILE…: accepted updates as JSON Lines on stdout in input
// order, each rejection as one JSON object on stderr with file, record, field, reason.
// Exit 0 all accepted, 3 some rejected, 2 usage or config error (also a missing file, a directory
// or any other file that is not a regular file), 1 a file that cannot be read.

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "base/text/safe_text.h"
#include "daemon/cli/commands.h"
#include "daemon/load.h"
#include "formats/input_file.h"
#include "formats/interface/interface.h"
#include "formats/convert.h"
#include "formats/mapping.h"

namespace liitos {
namespace {

void PrintRejection(const std::string& file, const Rejection& r) {
  nlohmann::ordered_json j;
  j["file"] = file;
  j["record"] = r.record;
  j["field"] = r.field;
  j["reason"] = r.reason;
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}

// Updates are rendered straight into one buffer and written a megabyte at a time. The buffer is
// raw memory: a std::string would zero the worst-case room of every line before it is written.
class UpdateWriter {
 public:
  static constexpr size_t kFlushAt = 1 << 20;
  UpdateWriter() : cap_(2 * kFlushAt), buf_(new char[cap_]) {}
  ~UpdateWriter() { Flush(); }
  void Add(const StatusUpdate& u) {
    const size_t bound = StatusUpdateJsonBound(u) + 1;  // and the newline
    if (cap_ - used_ < bound) {
      Flush();
      if (cap_ < bound) {
        cap_ = bound;
        buf_.reset(new char[cap_]);
      }
    }
    char* end = WriteStatusUpdateJson(u, buf_.get() + used_);
    if (end == nullptr) {  // invalid UTF-8 in some value: the slow path replaces it
      Flush();
      const std::string line = StatusUpdateToJson(u) + "\n";
      std::fwrite(line.data(), 1, line.size(), stdout);
      return;
    }
    *end++ = '\n';
    used_ = static_cast<size_t>(end - buf_.get());
    if (used_ >= kFlushAt) Flush();
  }
  void Flush() {
    std::fwrite(buf_.get(), 1, used_, stdout);
    used_ = 0;
  }

 private:
  size_t cap_, used_ = 0;
  std::unique_ptr<char[]> buf_;
};

}  // namespace

int CmdConvert(const std::string& config_path, const std::string& profile_name,
               const std::vector<std::string>& files) {
  auto cfg = LoadConfigOrReport(config_path);
  if (!cfg) return kExitUsage;
  const ProfileConfig* profile = cfg->FindProfile(profile_name);
  if (!profile) {
    std::cerr << "liitos convert: no profile '" << profile_name << "' in " << config_path << "\n";
    return kExitUsage;
  }
  // SPEC §8: a missing file, a directory, or anything else that is not a regular file (a FIFO,
  // /dev/zero) is a usage error (2); a file that is there but cannot be read is a runtime failure
  // (1). Checked for every file before any output, on a descriptor opened without blocking (a FIFO
  // without a writer would otherwise hold the open); the readers refuse such files again.
  for (const auto& path : files) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
      const int err = errno;
      std::cerr << "liitos convert: " << SafeText(path) << ": " << std::strerror(err) << "\n";
      return err == ENOENT || err == ENOTDIR ? kExitUsage : kExitRuntime;
    }
    struct stat st {};
    const int stat_rc = ::fstat(fd, &st);
    const int err = errno;
    ::close(fd);
    if (stat_rc != 0) {
      std::cerr << "liitos convert: " << SafeText(path) << ": " << std::strerror(err) << "\n";
      return kExitRuntime;
    }
    if (!S_ISREG(st.st_mode)) {
      std::cerr << "liitos convert: " << SafeText(path) << ": " << FileKindName(st.st_mode) << ", not a regular file\n";
      return kExitUsage;
    }
  }
  UpdateWriter updates;

  // Provenance names the source that uses this profile, as the service would.
  std::string source_name = profile->name;
  for (const auto& s : cfg->sources)
    if (s.profile == profile->name) {
      source_name = s.name;
      break;
    }
  bool any_rejected = false;
  const bool streaming = profile->on_invalid_record == OnInvalidRecord::kSkipRecord;
  for (const auto& path : files) {
    std::string name = std::filesystem::path(path).filename().string();
    auto emit = [&](const MappedRecord& m) {
      if (const auto* u = std::get_if<StatusUpdate>(&m.outcome)) {
        updates.Add(*u);
      } else {
        any_rejected = true;
        PrintRejection(name, std::get<Rejection>(m.outcome));
      }
    };
    FileOutcome out = ConvertFile(*profile, cfg->interface, source_name, path, name,
                                  streaming ? std::function<void(const MappedRecord&)>(emit) : nullptr);
    if (out.file_error) {
      any_rejected = true;
      PrintRejection(name, *out.file_error);
      continue;
    }
    if (streaming) continue;
    if (out.rejected_as_whole) {
      any_rejected = true;
      for (const auto& m : out.records)
        if (!m.accepted()) PrintRejection(name, std::get<Rejection>(m.outcome));
      continue;
    }
    for (const auto& m : out.records) emit(m);
  }
  updates.Flush();
  std::fflush(stdout);
  return any_rejected ? kExitRejected : kExitOk;
}

}  // namespace liitos
