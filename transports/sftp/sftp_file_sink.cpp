#include "transports/sftp/sftp_file_sink.h"

#include <unistd.h>

#include <fmt/format.h>

#include <mutex>

namespace liitos {
namespace {

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

class SftpFileSink : public FileSink {
 public:
  SftpFileSink(DestinationConfig cfg, TransportContext ctx, SftpOptions opts)
      : cfg_(std::move(cfg)), sftp_(SftpDestinationSettingsOf(cfg_)), session_(sftp_.endpoint, cfg_.name, std::move(ctx), std::move(opts)) {}

  const DestinationConfig& config() const override { return cfg_; }
  const std::string& prefix() const override { return sftp_.folder.prefix; }

  SendResult Put(const std::string& name, std::string_view data) override {
    SendResult r;
    if (name.empty() || name[0] == '.' || name.find('/') != std::string::npos || name.find('\0') != std::string::npos) {
      r.outcome = SendOutcome::kFatal;
      r.error = "unsafe file name '" + name + "'";
      return r;
    }
    std::lock_guard<std::mutex> lock(mu_);
    Status s = session_.Ensure();
    if (s.ok()) s = session_.PutReplacing(sftp_.folder.path, name, data);
    if (s.ok() && sftp_.folder.done_marker) s = session_.Upload(Join(sftp_.folder.path, name + *sftp_.folder.done_marker), "", false);
    if (s.ok()) {
      r.outcome = SendOutcome::kOk;
      return r;
    }
    r.error = fmt::format("writing {}: {}", Join(sftp_.folder.path, name), s.message());
    bool path_fault = s.code() == Status::Code::kNotFound ||
                      (s.code() == Status::Code::kFatal && s.message().find("permission denied") != std::string::npos);
    r.outcome = path_fault ? SendOutcome::kFatal : SendOutcome::kRetry;
    return r;
  }

  Status Check(std::vector<std::string>* report) override {
    std::lock_guard<std::mutex> lock(mu_);
    const std::string who = "destination " + cfg_.name;
    std::vector<std::string> steps;
    Status s = session_.ConnectForCheck(&steps);
    if (report != nullptr)
      for (const auto& line : steps) report->push_back(who + ": " + line);
    if (!s.ok()) return s;
    std::string probe = Join(sftp_.folder.path, ".liitos-check." + std::to_string(::getpid()) + ".tmp");
    s = session_.Upload(probe, "check\n", /*exclusive=*/false);
    if (s.ok()) s = session_.Unlink(probe, true);
    if (s.ok() && report != nullptr) report->push_back(fmt::format("{}: path {} writable", who, sftp_.folder.path));
    return s;
  }

  std::optional<bool> Connected() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return session_.connected();
  }

 private:
  DestinationConfig cfg_;
  SftpDestinationSettings sftp_;  // cfg_'s own keys
  mutable std::mutex mu_;
  SftpSession session_;
};

}  // namespace

Result<FileSinkPtr> MakeSftpFileSink(const DestinationConfig& cfg, const TransportContext& ctx, SftpOptions opts) {
  if (cfg.kind != "sftp") return Status::Invalid("destination " + cfg.name + " is not kind = \"sftp\"");
  const SftpDestinationSettings& s = SftpDestinationSettingsOf(cfg);
  const SftpEndpoint& e = s.endpoint;
  if (e.host.empty() || e.user.empty() || e.identity.empty() || e.known_hosts.empty() || s.folder.path.empty())
    return Status::Invalid("destination " + cfg.name + ": host, user, identity, known_hosts and path are required");
  return FileSinkPtr(std::make_unique<SftpFileSink>(cfg, ctx, std::move(opts)));
}

}  // namespace liitos
