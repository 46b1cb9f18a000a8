#pragma once
// The local drop folder source (`kind = "dir"`, SPEC §3).
//
// How the daemon drives it:
// - poll(2) on WakeFd() (inotify; -1 when unavailable) and call DrainWake() when it is readable;
// - call Poll() whenever WakeFd() was readable AND on a timer: when PollDelay() says a file seen
//   settling will have settled (settle is measured between observations, so a file is taken no
//   sooner than the first Poll() after `settle` has passed), and at least every `rescan` in any case. Poll() is
//   cheap when nothing changed: it lists the folder only when inotify reported a change, files are
//   still settling, the watch was lost/overflowed, or `rescan` has passed since the last listing;
//   otherwise it returns the complete files it found last time (minus those released).
// - Poll() offers every complete file each time until it is released or quarantined; refused files
//   (symlinks, non-regular files, too large) carry Candidate::refused_reason and must be passed to
//   QuarantineOriginal().
// - Fetch() may run on one thread while Release(), QuarantineOriginal() and WriteReceipt() run on
//   another (Overlaps()); everything else on one thread.

#include <map>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/time/clock.h"
#include "transports/dir/dir_config.h"
#include "transports/dir/dir_watch.h"
#include "transports/dir/settle.h"
#include "transports/source.h"
#include "transports/transport_context.h"

namespace liitos {

// Builds a dir source. Fails (kInvalid) only for a config it cannot work with (empty path); a
// missing inbox is reported by Check() and Poll(), not here. Uses RealClock() when ctx.clock is
// null.
Result<SourcePtr> MakeDirSource(const SourceConfig& cfg, const TransportContext& ctx);

class DirSource : public Source {
 public:
  DirSource(const SourceConfig& cfg, const Clock* clock);

  const SourceConfig& config() const override { return cfg_; }
  Result<std::vector<Candidate>> Poll() override;
  Status QuarantineSpooled(const std::string& name, const std::string& spool_path,
                           const std::string& reason) override;
  // The receipts and error folders (archive copies across filesystems are rare enough, and the
  // archive is too large to list at every start).
  Result<size_t> RemoveTemporaries() override;
  Status Check(std::vector<std::string>* report) override;
  int WakeFd() const override { return watch_.fd(); }
  void DrainWake() override { watch_.Drain(); }
  std::optional<Millis> PollDelay() const override;
  bool Overlaps() const override { return true; }

 private:
  Status DoFetch(const Candidate& c, const std::string& spool_path, SyncBatch& sync, Fetched* out) override;
  Status DoRelease(const Candidate& c, SyncBatch& sync) override;
  Status DoQuarantineOriginal(const Candidate& c, const std::string& reason, SyncBatch& sync) override;
  Status DoWriteReceipt(const std::string& name, std::string_view data, SyncBatch& sync) override;
  Status DoWriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& sync) override;
  Result<std::vector<Candidate>> Scan();
  // Decides what one directory entry (of the inbox open as `dir_fd`) is: nullopt when it is not
  // offered (yet).
  std::optional<Candidate> Examine(int dir_fd, const std::string& name, unsigned char d_type,
                                   const std::unordered_set<std::string>& all_names, MonoTime now,
                                   FileStamp* stamp);
  // Forgets everything about `name` after it left the inbox.
  void Forget(const std::string& name);
  Status RemoveMarker(const std::string& name);
  std::string ArchiveDirFor(SysTime t) const;

  SourceConfig cfg_;
  const Clock* clock_;
  std::string archive_, error_, receipts_;  // where things go, defaults (beside the inbox) filled in
  SettleTracker tracker_;
  DirWatch watch_;
  // Guards tracker_ and what follows: Fetch() runs beside Release() and QuarantineOriginal()
  // (Overlaps()).
  mutable std::mutex mu_;
  std::vector<Candidate> offered_;          // the complete files of the last listing
  std::unordered_set<std::string> forgotten_;  // taken since: not to be offered again
  std::map<std::string, FileStamp> seen_;   // what each offered file looked like when offered
  std::map<std::string, FileStamp> fetched_;  // what each fetched file looked like when copied
};

}  // namespace liitos
