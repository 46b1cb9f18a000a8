#pragma once
// The SFTP drop (SPEC §3 kind = "sftp"): a remote inbox polled over one SftpSession.
//
// Poll contacts the server at most once per `poll` interval (measured on ctx.clock); calls in
// between answer the ready set of the last listing at once, so the daemon may call Poll as often
// as it likes. A file is ready when two listings `poll` apart saw the same size and mtime, or,
// with `done_marker`, when NAME + marker exists. While the connection is down and backing off,
// Poll answers a Retry status without touching the network.
//
// Threading: one thread drives a source (source.h).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "config/config.h"
#include "transports/sftp/sftp_session.h"
#include "transports/source.h"
#include "transports/transport_context.h"

namespace liitos {

Result<SourcePtr> MakeSftpSource(const SourceConfig& cfg, const TransportContext& ctx);
// The same with explicit connection options (timeouts, buffer size, test hooks).
Result<SourcePtr> MakeSftpSource(const SourceConfig& cfg, const TransportContext& ctx, SftpOptions opts);

// True for names a drop never takes: dotfiles, *.tmp, *.part, *.filepart, ~*.
bool SftpIgnoredName(const std::string& name);
// Case-insensitive glob match against any of `globs`.
bool SftpIncluded(const std::string& name, const std::vector<std::string>& globs);

class SftpSource : public Source {
 public:
  SftpSource(SourceConfig cfg, TransportContext ctx, SftpOptions opts);

  const SourceConfig& config() const override { return cfg_; }
  Result<std::vector<Candidate>> Poll() override;
  Status QuarantineSpooled(const std::string& name, const std::string& spool_path,
                           const std::string& reason) override;
  Status Check(std::vector<std::string>* report) override;

  std::optional<bool> Connected() const override { return session_ && session_->connected(); }

 private:
  struct Observation {
    uint64_t size = 0;
    uint64_t mtime = 0;
    MonoTime since{};  // when this size and mtime were first seen
  };

  // Release, QuarantineOriginal and WriteReceipt act on the server, which keeps them as it
  // does: `sync` has nothing to do there. Fetch's copy is local and synced through it.
  Status DoFetch(const Candidate& c, const std::string& spool_path, SyncBatch& sync, Fetched* out) override;
  Status DoRelease(const Candidate& c, SyncBatch& sync) override;
  Status DoQuarantineOriginal(const Candidate& c, const std::string& reason, SyncBatch& sync) override;
  Status DoWriteReceipt(const std::string& name, std::string_view data, SyncBatch& sync) override;
  // A staged receipt of any size, uploaded 1 MiB at a time (a million-row receipt is ~70 MB).
  Status DoWriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& sync) override;
  // Connected, and the receipts folder made.
  Status ReceiptsReady();

  Status List(MonoTime now);
  std::string Remote(const std::string& name) const;
  std::string ArchiveDir() const;
  std::string ErrorDir() const;
  void Forget(const std::string& name);

  SourceConfig cfg_;
  SftpSourceSettings sftp_;  // cfg_'s own keys
  TransportContext ctx_;
  std::unique_ptr<SftpSession> session_;
  std::map<std::string, Observation> seen_;
  std::vector<Candidate> ready_;
  std::optional<MonoTime> last_listing_;
};

}  // namespace liitos
