#include "transports/dir/dir_file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/fs.h"
#include "transports/dir/dir_config.h"
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
  explicit DirFileSink(const DestinationConfig& cfg) : cfg_(cfg), folder_(DirDestinationSettingsOf(cfg)) {}

  const DestinationConfig& config() const override { return cfg_; }
  const std::string& prefix() const override { return folder_.prefix; }

  SendResult Put(const std::string& name, std::string_view data) override {
    if (!IsPlainFileName(name) || name[0] == '.') return Answer(SendOutcome::kFatal, "unsafe file name '" + name + "'");
    Status s = Write(name, data);
    return s.ok() ? Answer(SendOutcome::kOk) : Failure(s);
  }

  void PutAll(std::vector<FileToPut>& files) override {
    if (Status s = EnsureFolder(); !s.ok()) {
      for (FileToPut& f : files) f.result = Failure(s);
      return;
    }
    std::vector<FileToPut*> written;
    {
      SyncBatch sync;  // every temporary's data, synced together before any rename
      for (FileToPut& f : files) {
        if (!IsPlainFileName(f.name) || f.name[0] == '.') {
          f.result = Answer(SendOutcome::kFatal, "unsafe file name '" + f.name + "'");
          continue;
        }
        Status s = WriteTemporary(f.name, f.data, &sync);
        if (!s.ok()) {
          f.result = Failure(s);
          continue;
        }
        written.push_back(&f);
      }
      if (Status s = sync.Flush(); !s.ok()) return Fail(written, s);
    }
    std::vector<FileToPut*> renamed;
    for (FileToPut* f : written) {
      std::string tmp = TemporaryPath(f->name), final_path = JoinPath(folder_.path, f->name);
      if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
        f->result = Failure(Status::FromErrno("rename to " + final_path, errno));
        ::unlink(tmp.c_str());
        continue;
      }
      renamed.push_back(f);
    }
    if (Status s = FsyncDir(folder_.path); !s.ok()) return Fail(renamed, s);
    if (folder_.done_marker && !folder_.done_marker->empty()) {
      SyncBatch sync;  // the markers and the folder, synced together
      for (FileToPut* f : renamed)
        if (Status s = TouchDurable(JoinPath(folder_.path, f->name) + *folder_.done_marker, &sync); !s.ok())
          f->result = Failure(s);
      if (Status s = sync.Flush(); !s.ok()) return Fail(renamed, s);
    }
    for (FileToPut* f : renamed)
      if (f->result.error.empty()) f->result = Answer(SendOutcome::kOk);
  }

  Status Check(std::vector<std::string>* report) override {
    Status s = CheckWritableOrCreatable(folder_.path);
    if (report) report->push_back("destination " + cfg_.name + ": " + (s.ok() ? "folder " + folder_.path + " is writable"
                                                                              : "FAILED " + s.message()));
    return s;
  }

 private:
  // A folder we may not write into is fixed outside liitos; anything else may pass.
  static SendResult Failure(const Status& s) {
    bool fault = s.message().find("ermission denied") != std::string::npos ||
                 s.message().find("ead-only file system") != std::string::npos;
    return Answer(fault ? SendOutcome::kFatal : SendOutcome::kRetry, s.message());
  }
  static void Fail(const std::vector<FileToPut*>& files, const Status& s) {
    for (FileToPut* f : files) f->result = Failure(s);
  }
  std::string TemporaryPath(const std::string& name) const { return JoinPath(folder_.path, "." + name + ".tmp"); }

  Status EnsureFolder() const {
    struct stat st;
    if (::stat(folder_.path.c_str(), &st) == 0) return Status::Ok();
    return MakeDirs(folder_.path);
  }

  // `.NAME.tmp` written and synced (now, or through `batch` when given); removed on failure.
  Status WriteTemporary(const std::string& name, std::string_view data, SyncBatch* batch = nullptr) const {
    std::string tmp = TemporaryPath(name);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd < 0) return Status::FromErrno("create " + tmp, errno);
    Status s = WriteAll(fd, data, tmp);
    if (s.ok()) s = FsyncFile(fd, tmp, batch);
    if (::close(fd) != 0 && s.ok()) s = Status::FromErrno("close " + tmp, errno);
    if (!s.ok()) ::unlink(tmp.c_str());
    return s;
  }

  Status Write(const std::string& name, std::string_view data) const {
    if (Status s = EnsureFolder(); !s.ok()) return s;
    std::string final_path = JoinPath(folder_.path, name), tmp = TemporaryPath(name);
    if (Status s = WriteTemporary(name, data); !s.ok()) return s;
    if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
      Status s = Status::FromErrno("rename to " + final_path, errno);
      ::unlink(tmp.c_str());
      return s;
    }
    if (Status s = FsyncDir(folder_.path); !s.ok()) return s;
    if (folder_.done_marker && !folder_.done_marker->empty()) return TouchDurable(final_path + *folder_.done_marker);
    return Status::Ok();
  }

  DestinationConfig cfg_;
  FolderSettings folder_;  // cfg_'s own keys
};

}  // namespace

Result<FileSinkPtr> MakeDirFileSink(const DestinationConfig& cfg, const TransportContext& /*ctx*/) {
  if (cfg.kind != "dir") return Status::Invalid("destination " + cfg.name + ": not a dir destination");
  if (DirDestinationSettingsOf(cfg).path.empty()) return Status::Invalid("destination " + cfg.name + ": path is empty");
  return FileSinkPtr(std::make_unique<DirFileSink>(cfg));
}

}  // namespace liitos
