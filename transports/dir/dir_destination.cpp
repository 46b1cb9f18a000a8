#include "transports/dir/dir_destination.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "base/fs.h"
#include "transports/dir/dir_files.h"
#include "transports/dir/dir_names.h"

namespace liitos {

namespace {

SendResult Answer(SendOutcome outcome, std::string error) {
  SendResult r;
  r.outcome = outcome;
  r.error = std::move(error);
  return r;
}

Status WriteAllAndSync(int fd, const std::string& data, const std::string& path) {
  Status s = WriteAll(fd, data, path);
  return s.ok() ? FsyncFile(fd, path) : s;
}

}  // namespace

Result<DestinationPtr> MakeDirDestination(const DestinationConfig& cfg, const TransportContext& /*ctx*/) {
  if (cfg.kind != "dir") return Status::Invalid("destination " + cfg.name + ": not a dir destination");
  if (DirDestinationSettingsOf(cfg).path.empty()) return Status::Invalid("destination " + cfg.name + ": path is empty");
  return DestinationPtr(std::make_unique<DirDestination>(cfg));
}

std::string DirDestination::FileNameFor(const OutgoingBatch& batch) const {
  return folder_.prefix + batch.created_at_compact + "_" + batch.batch_id + ".json";
}

SendResult DirDestination::Send(const OutgoingBatch& batch) {
  std::string name = FileNameFor(batch);
  if (batch.batch_id.empty() || !IsPlainFileName(name) || name[0] == '.') {
    return Answer(SendOutcome::kFatal, "unsafe batch file name '" + name + "'");
  }
  Status s = WriteBatch(name, batch.document);
  if (!s.ok()) return Answer(SendOutcome::kRetry, s.message());
  return Answer(SendOutcome::kOk, "");
}

Status DirDestination::WriteBatch(const std::string& name, const std::string& document) {
  struct stat st;
  if (::stat(folder_.path.c_str(), &st) != 0) {
    Status s = MakeDirs(folder_.path);
    if (!s.ok()) return s;
  }
  std::string final_path = JoinPath(folder_.path, name);
  std::string tmp = JoinPath(folder_.path, "." + name + ".tmp");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno("create " + tmp, errno);
  Status s = WriteAllAndSync(fd, document, tmp);
  if (::close(fd) != 0 && s.ok()) s = Status::FromErrno("close " + tmp, errno);
  if (s.ok() && ::rename(tmp.c_str(), final_path.c_str()) != 0) {
    s = Status::FromErrno("rename to " + final_path, errno);
  }
  if (!s.ok()) {
    ::unlink(tmp.c_str());
    return s;
  }
  s = FsyncDir(folder_.path);
  if (!s.ok()) return s;
  if (folder_.done_marker && !folder_.done_marker->empty()) {
    return TouchDurable(final_path + *folder_.done_marker);
  }
  return Status::Ok();
}

Status DirDestination::Check(std::vector<std::string>* report) {
  auto say = [&](const std::string& line) {
    if (report) report->push_back("destination " + cfg_.name + ": " + line);
  };
  struct stat st;
  Status s;
  if (::stat(folder_.path.c_str(), &st) != 0) {
    s = Status::FromErrno("folder " + folder_.path, errno);
  } else if (!S_ISDIR(st.st_mode)) {
    s = Status::Invalid("folder " + folder_.path + " is not a directory");
  } else if (::access(folder_.path.c_str(), W_OK | X_OK) != 0) {
    s = Status::FromErrno("folder " + folder_.path + " is not writable", errno);
  }
  if (!s.ok()) {
    say("FAILED " + s.message());
    return s;
  }
  say("folder " + folder_.path + " is writable");
  return Status::Ok();
}

}  // namespace liitos
