#include "transports/sftp/sftp_destination.h"

#include <unistd.h>

#include <fmt/format.h>

namespace liitos {
namespace {

SendResult Outcome(const Status& s, const std::string& file) {
  SendResult r;
  if (s.ok()) {
    r.outcome = SendOutcome::kOk;
    return r;
  }
  r.error = fmt::format("writing {}: {}", file, s.message());
  // Permission denied or a missing directory on the server is a configuration fault; a refused
  // host key or login is fixed outside liitos and then the next attempt goes through.
  bool path_fault = s.code() == Status::Code::kNotFound ||
                    (s.code() == Status::Code::kFatal && s.message().find("permission denied") != std::string::npos);
  r.outcome = path_fault ? SendOutcome::kFatal : SendOutcome::kRetry;
  return r;
}

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace

std::string SftpBatchFileName(const std::string& prefix, const OutgoingBatch& batch) {
  return prefix + batch.created_at_compact + "_" + batch.batch_id + ".json";
}

Result<DestinationPtr> MakeSftpDestination(const DestinationConfig& cfg, const TransportContext& ctx) {
  return MakeSftpDestination(cfg, ctx, SftpOptions{});
}

Result<DestinationPtr> MakeSftpDestination(const DestinationConfig& cfg, const TransportContext& ctx,
                                           SftpOptions opts) {
  if (cfg.kind != "sftp")
    return Status::Invalid("destination " + cfg.name + " is not kind = \"sftp\"");
  const SftpDestinationSettings& s = SftpDestinationSettingsOf(cfg);
  const SftpEndpoint& e = s.endpoint;
  if (e.host.empty() || e.user.empty() || e.identity.empty() || e.known_hosts.empty() || s.folder.path.empty())
    return Status::Invalid("destination " + cfg.name +
                           ": host, user, identity, known_hosts and path are required");
  return DestinationPtr(std::make_unique<SftpDestination>(cfg, ctx, std::move(opts)));
}

SftpDestination::SftpDestination(DestinationConfig cfg, TransportContext ctx, SftpOptions opts)
    : cfg_(std::move(cfg)), sftp_(SftpDestinationSettingsOf(cfg_)) {
  session_ = std::make_unique<SftpSession>(sftp_.endpoint, cfg_.name, std::move(ctx), std::move(opts));
}

SendResult SftpDestination::Send(const OutgoingBatch& batch) {
  const std::string name = SftpBatchFileName(sftp_.folder.prefix, batch);
  Status s = session_->Ensure();
  if (s.ok()) s = session_->PutReplacing(sftp_.folder.path, name, batch.document);
  if (s.ok() && sftp_.folder.done_marker) s = session_->Upload(Join(sftp_.folder.path, name + *sftp_.folder.done_marker), "", false);
  return Outcome(s, Join(sftp_.folder.path, name));
}

Status SftpDestination::Check(std::vector<std::string>* report) {
  const std::string who = "destination " + cfg_.name;
  std::vector<std::string> steps;
  Status s = session_->ConnectForCheck(&steps);
  if (report != nullptr)
    for (const auto& line : steps) report->push_back(who + ": " + line);
  if (!s.ok()) return s;
  std::string probe = Join(sftp_.folder.path, ".liitos-check." + std::to_string(::getpid()) + ".tmp");
  s = session_->Upload(probe, "check\n", /*exclusive=*/false);
  if (s.ok()) s = session_->Unlink(probe, true);
  if (!s.ok()) return s;
  if (report != nullptr) report->push_back(fmt::format("{}: path {} writable", who, sftp_.folder.path));
  return Status::Ok();
}

}  // namespace liitos
