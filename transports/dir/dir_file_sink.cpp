#include "transports/dir/dir_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/fs.h"
#include "transports/dir/dir_files.h"
#include "transports/dir/dir_names.h"

namespace liitos {
namespace {

SendResult Answer(SendOutcome outcome, std::string error = "") {
  SendResult r;
  r.outcome = outcome;
  r.error = std::move(error);
  return r;
}

class DirFileSink : public FileSink {
 public:
  explicit DirFileSink(const DestinationConfig& cfg) : cfg_(cfg) {}

  const DestinationConfig& config() const override { return cfg_; }

  SendResult Put(const std::string& name, std::string_view data) override {
    if (!IsPlainFileName(name) || name[0] == '.') return Answer(SendOutcome::kFatal, "unsafe file name '" + name + "'");
    Status s = Write(name, data);
    if (s.ok()) return Answer(SendOutcome::kOk);
    // A folder we may not write into is fixed outside liitos; anything else may pass.
    bool fault = s.message().find("ermission denied") != std::string::npos ||
                 s.message().find("ead-only file system") != std::string::npos;
    return Answer(fault ? SendOutcome::kFatal : SendOutcome::kRetry, s.message());
  }

  Status Check(std::vector<std::string>* report) override {
    Status s = CheckWritableOrCreatable(cfg_.path);
    if (report) report->push_back("destination " + cfg_.name + ": " + (s.ok() ? "folder " + cfg_.path + " is writable"
                                                                              : "FAILED " + s.message()));
    return s;
  }

 private:
  Status Write(const std::string& name, std::string_view data) const {
    struct stat st;
    if (::stat(cfg_.path.c_str(), &st) != 0)
      if (Status s = MakeDirs(cfg_.path); !s.ok()) return s;
    std::string final_path = JoinPath(cfg_.path, name);
    std::string tmp = JoinPath(cfg_.path, "." + name + ".tmp");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0) return Status::FromErrno("create " + tmp, errno);
    Status s = WriteAll(fd, data, tmp);
    if (s.ok()) s = FsyncFile(fd, tmp);
    if (::close(fd) != 0 && s.ok()) s = Status::FromErrno("close " + tmp, errno);
    if (s.ok() && ::rename(tmp.c_str(), final_path.c_str()) != 0) s = Status::FromErrno("rename to " + final_path, errno);
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    if (s = FsyncDir(cfg_.path); !s.ok()) return s;
    if (cfg_.done_marker && !cfg_.done_marker->empty()) return TouchDurable(final_path + *cfg_.done_marker);
    return Status::Ok();
  }

  DestinationConfig cfg_;
};

}  // namespace

Result<FileSinkPtr> MakeDirFileSink(const DestinationConfig& cfg, const TransportContext& /*ctx*/) {
  if (cfg.kind != DestinationKind::kDir) return Status::Invalid("destination " + cfg.name + ": not a dir destination");
  if (cfg.path.empty()) return Status::Invalid("destination " + cfg.name + ": path is empty");
  return FileSinkPtr(std::make_unique<DirFileSink>(cfg));
}

}  // namespace liitos
