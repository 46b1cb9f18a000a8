#include "transports/sftp/sftp_source.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "base/fs.h"

namespace liitos {
namespace {

bool EndsWithNoCase(const std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

std::string DirOf(const std::string& path) {
  auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

std::string BaseName(const std::string& path) { return std::filesystem::path(path).filename().string(); }

}  // namespace

bool SftpIgnoredName(const std::string& name) {
  if (name.empty() || name[0] == '.' || name[0] == '~') return true;
  return EndsWithNoCase(name, ".tmp") || EndsWithNoCase(name, ".part") || EndsWithNoCase(name, ".filepart");
}

bool SftpIncluded(const std::string& name, const std::vector<std::string>& globs) {
  for (const auto& g : globs)
    if (::fnmatch(g.c_str(), name.c_str(), FNM_CASEFOLD) == 0) return true;
  return false;
}

Result<SourcePtr> MakeSftpSource(const SourceConfig& cfg, const TransportContext& ctx) {
  return MakeSftpSource(cfg, ctx, SftpOptions{});
}

Result<SourcePtr> MakeSftpSource(const SourceConfig& cfg, const TransportContext& ctx, SftpOptions opts) {
  if (cfg.kind != "sftp") return Status::Invalid("source " + cfg.name + " is not kind = \"sftp\"");
  const SftpEndpoint& e = SftpSourceSettingsOf(cfg).endpoint;
  if (e.host.empty() || e.user.empty() || e.identity.empty() || e.known_hosts.empty() || cfg.path.empty())
    return Status::Invalid("source " + cfg.name + ": host, user, identity, known_hosts and path are required");
  return SourcePtr(std::make_unique<SftpSource>(cfg, ctx, std::move(opts)));
}

SftpSource::SftpSource(SourceConfig cfg, TransportContext ctx, SftpOptions opts)
    : cfg_(std::move(cfg)), sftp_(SftpSourceSettingsOf(cfg_)), ctx_(std::move(ctx)) {
  if (ctx_.clock == nullptr) ctx_.clock = &RealClock();
  session_ = std::make_unique<SftpSession>(sftp_.endpoint, cfg_.name, ctx_, std::move(opts));
}

std::string SftpSource::Remote(const std::string& name) const { return Join(cfg_.path, name); }
std::string SftpSource::ArchiveDir() const {
  return sftp_.remote_archive.empty() ? Join(cfg_.path, "archive") : sftp_.remote_archive;
}
std::string SftpSource::ErrorDir() const { return Join(cfg_.path, "error"); }

void SftpSource::Forget(const std::string& name) {
  seen_.erase(name);
  ready_.erase(std::remove_if(ready_.begin(), ready_.end(), [&](const Candidate& c) { return c.name == name; }),
               ready_.end());
}

Result<std::vector<Candidate>> SftpSource::Poll() {
  MonoTime now = ctx_.clock->Monotonic();
  if (last_listing_ && now - *last_listing_ < sftp_.poll) return ready_;
  Status s = session_->Ensure();
  if (s.ok()) s = List(now);
  if (!s.ok()) return s;
  return ready_;
}

Status SftpSource::List(MonoTime now) {
  auto entries = session_->ListDir(cfg_.path);
  if (!entries.ok()) return entries.status();
  last_listing_ = now;
  std::set<std::string> names;
  for (const auto& e : *entries) names.insert(e.name);
  const std::string marker = cfg_.done_marker.value_or("");
  std::map<std::string, Observation> seen;
  std::vector<Candidate> ready;
  for (const auto& e : *entries) {
    if (SftpIgnoredName(e.name) || e.type == RemoteEntry::Type::kDirectory) continue;
    if (!marker.empty() && EndsWithNoCase(e.name, marker)) continue;
    if (!SftpIncluded(e.name, cfg_.include)) continue;
    Candidate c{e.name, e.size, std::nullopt};
    if (e.type != RemoteEntry::Type::kRegular) {
      c.refused_reason = e.type == RemoteEntry::Type::kSymlink ? "is a symbolic link; refusing"
                                                                : "is not a regular file; refusing";
      ready.push_back(std::move(c));
      continue;
    }
    bool settled = false;
    if (!marker.empty()) {
      settled = names.count(e.name + marker) > 0;
    } else {
      Observation obs{e.size, e.mtime, now};
      auto old = seen_.find(e.name);
      if (old != seen_.end() && old->second.size == e.size && old->second.mtime == e.mtime) {
        obs.since = old->second.since;
        settled = now - obs.since >= sftp_.poll;
      }
      seen[e.name] = obs;
    }
    if (!settled) continue;
    if (e.size > cfg_.max_file_size)
      c.refused_reason = fmt::format("is larger than max_file_size ({} > {} bytes)", e.size, cfg_.max_file_size);
    ready.push_back(std::move(c));
  }
  seen_ = std::move(seen);
  ready_ = std::move(ready);
  return Status::Ok();
}

Status SftpSource::DoFetch(const Candidate& c, const std::string& spool_path, SyncBatch& sync, Fetched* /*out*/) {
  Status s = session_->Ensure();
  if (!s.ok()) return s;
  // Written in place: spool names are unique, and a copy cut short by a crash is an unjournaled
  // spool file, removed at the next start. An (empty) file already at `spool_path` is reused.
  int fd = ::open(spool_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno("create " + spool_path, errno);
  uint64_t got = 0;
  s = session_->Download(Remote(c.name), fd, c.size, &got);
  // The file changed since it was listed: it must settle again before it is taken.
  bool changed = s.code() == Status::Code::kNotFound || got > c.size || (s.ok() && got != c.size);
  if (s.ok() && got != c.size) {
    s = Status::Retry(fmt::format("{}: {} has {} bytes, the listing said {}; fetching again later",
                                  cfg_.name, c.name, got, c.size));
  }
  if (s.ok()) s = FsyncFile(fd, spool_path, &sync);
  if (::close(fd) != 0 && s.ok()) s = Status::FromErrno("close " + spool_path, errno);
  if (s.ok()) s = FsyncDir(DirOf(spool_path), &sync);
  if (!s.ok()) {
    ::unlink(spool_path.c_str());
    if (changed) Forget(c.name);
    return s.code() == Status::Code::kRetry ? s : Status::Retry(s.message());
  }
  return Status::Ok();
}

Status SftpSource::DoRelease(const Candidate& c, SyncBatch& /*sync: the server keeps its own*/) {
  Status s = session_->Ensure();
  if (!s.ok()) return s;
  auto st = session_->Stat(Remote(c.name));
  if (!st.ok()) return st.status();
  if (*st) {  // already gone: released before a crash
    if (cfg_.after == AfterTake::kArchive) {
      s = session_->MakeDirs(ArchiveDir());
      if (s.ok()) s = session_->RenameUnique(Remote(c.name), ArchiveDir(), c.name).status();
    } else {
      s = session_->Unlink(Remote(c.name), /*missing_ok=*/true);
    }
    if (!s.ok()) return s;
  }
  if (cfg_.done_marker) {
    s = session_->Unlink(Remote(c.name + *cfg_.done_marker), true);
    if (!s.ok()) return s;
  }
  Forget(c.name);
  return Status::Ok();
}

Status SftpSource::DoQuarantineOriginal(const Candidate& c, const std::string& reason, SyncBatch& /*sync*/) {
  Status s = session_->Ensure();
  if (s.ok()) s = session_->MakeDirs(ErrorDir());
  if (!s.ok()) return s;
  auto moved = session_->RenameUnique(Remote(c.name), ErrorDir(), c.name);
  if (!moved.ok() && moved.status().code() != Status::Code::kNotFound) return moved.status();
  if (moved.ok()) {
    s = session_->PutReplacing(ErrorDir(), BaseName(*moved) + ".reason.txt", reason + "\n");
    if (!s.ok()) return s;
  }
  if (cfg_.done_marker) {
    s = session_->Unlink(Remote(c.name + *cfg_.done_marker), true);
    if (!s.ok()) return s;
  }
  Forget(c.name);
  return Status::Ok();
}

Status SftpSource::QuarantineSpooled(const std::string& name, const std::string& spool_path,
                                     const std::string& reason) {
  std::string dir = ctx_.state_dir + "/quarantine/" + cfg_.name;
  auto moved = MoveToUnique(spool_path, dir, name);
  if (!moved.ok()) return moved.status();
  return WriteFileAtomic(*moved + ".reason.txt", reason + "\n");
}

Status SftpSource::ReceiptsReady() {
  Status s = session_->Ensure();
  return s.ok() ? session_->MakeDirs(cfg_.receipts) : s;
}

Status SftpSource::DoWriteReceipt(const std::string& name, std::string_view data, SyncBatch& /*sync*/) {
  if (!cfg_.receipts_enabled()) return Status::Ok();
  Status s = ReceiptsReady();
  return s.ok() ? session_->PutReplacing(cfg_.receipts, name, data) : s;
}

Status SftpSource::DoWriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& /*sync*/) {
  if (!cfg_.receipts_enabled()) return Status::Ok();
  Status s = ReceiptsReady();
  return s.ok() ? session_->PutReplacingFile(cfg_.receipts, name, path) : s;
}

Status SftpSource::Check(std::vector<std::string>* report) {
  const std::string who = "source " + cfg_.name;
  auto note = [&](const std::string& line) {
    if (report != nullptr) report->push_back(who + ": " + line);
  };
  std::vector<std::string> steps;
  Status s = session_->ConnectForCheck(&steps);
  for (const auto& line : steps) note(line);
  if (!s.ok()) return s;
  auto entries = session_->ListDir(cfg_.path);
  if (!entries.ok()) return entries.status();
  note(fmt::format("path {} listable ({} entries)", cfg_.path, entries->size()));
  if (cfg_.receipts_enabled()) {
    std::string probe = Join(cfg_.receipts, ".liitos-check." + std::to_string(::getpid()) + ".tmp");
    s = session_->MakeDirs(cfg_.receipts);
    if (s.ok()) s = session_->Upload(probe, "check\n", /*exclusive=*/false);
    if (s.ok()) s = session_->Unlink(probe, true);
    if (!s.ok()) return s;
    note(fmt::format("receipts directory {} writable", cfg_.receipts));
  }
  return Status::Ok();
}

}  // namespace liitos
