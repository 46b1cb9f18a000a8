#pragma once
// A Source offers complete files from a drop (local folder or SFTP). The pipeline (daemon/) takes
// a file in this order, which is what G1 rests on:
//   Poll() -> Fetch() into the spool (synced) -> journal FILE_RECEIVED -> Release() the original.
// Who syncs: each call that changes the local disk comes in two forms. Handed a SyncBatch
// (base/fs.h), it notes its fsyncs there, and what it did is durable only once the caller has
// flushed the batch; without one, it is durable when the call returns.
// A Source knows nothing of formats or the journal.
//
// Threading: one thread drives a Source; its methods are not called concurrently — except that
// a source whose Overlaps() is true takes Fetch() on one thread while Release(),
// QuarantineOriginal() and WriteReceipt() run on another (different files).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/fs.h"
#include "base/status.h"
#include "config/config.h"

namespace liitos {

struct Candidate {
  std::string name;  // the file name in the drop (no directories)
  uint64_t size = 0;
  // Set when the source refuses the file before taking it (a symlink or another non-regular
  // file, larger than max_file_size): the daemon quarantines it with this reason and a receipt.
  std::optional<std::string> refused_reason;
};

// What Fetch learnt of the copy. `sha256` is empty when the source did not compute it.
struct Fetched {
  uint64_t size = 0;
  std::string sha256;
};

class Source {
 public:
  Source() = default;
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;
  virtual ~Source() = default;

  virtual const SourceConfig& config() const = 0;

  // Files that are complete now: settled (size and mtime unchanged for `settle`, on liitos's own
  // clock) or with their done marker; never ignored names. Cheap to call often. A non-ok Status
  // means the drop cannot be listed now (Retry: try again later).
  virtual Result<std::vector<Candidate>> Poll() = 0;

  // Copies the file into `spool_path` (byte count checked) and has it and its directory entry
  // synced: noted in `sync`, so that the copy is durable once sync.Flush() has returned Ok — the
  // caller flushes before it journals the file. On failure nothing is left at `spool_path`. A
  // source that hashes the content on the way fills `out` (when given), so that it is not read a
  // second time.
  Status Fetch(const Candidate& c, const std::string& spool_path, SyncBatch& sync, Fetched* out = nullptr) {
    return DoFetch(c, spool_path, sync, out);
  }
  // The same, durable when it returns.
  Status Fetch(const Candidate& c, const std::string& spool_path, Fetched* out = nullptr);

  // After FILE_RECEIVED is committed: archives or deletes the original (and its done marker).
  // What it changes on the local disk is durable once sync.Flush() has returned Ok (a remote
  // drop's changes are durable as the server makes them, when this returns).
  Status Release(const Candidate& c, SyncBatch& sync) { return DoRelease(c, sync); }
  Status Release(const Candidate& c);  // durable when it returns

  // Moves a refused original (Candidate::refused_reason) into quarantine with a reason file;
  // `sync` as for Release.
  Status QuarantineOriginal(const Candidate& c, const std::string& reason, SyncBatch& sync) {
    return DoQuarantineOriginal(c, reason, sync);
  }
  Status QuarantineOriginal(const Candidate& c, const std::string& reason);  // durable when it returns

  // Puts a spooled copy whose content was refused into quarantine (dir: error/NAME and
  // error/NAME.reason.txt). The spool copy is moved, not copied. Durable when it returns.
  virtual Status QuarantineSpooled(const std::string& name, const std::string& spool_path,
                                   const std::string& reason) = 0;

  // Writes a receipt atomically (temporary name, then rename) to the receipts location; `sync`
  // as for Release.
  Status WriteReceipt(const std::string& name, std::string_view data, SyncBatch& sync) {
    return DoWriteReceipt(name, data, sync);
  }
  Status WriteReceipt(const std::string& name, std::string_view data);  // durable when it returns
  // The same with the receipt's bytes in the local file `path` (a receipt too large to hold in
  // memory).
  Status WriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& sync) {
    return DoWriteReceiptFile(name, path, sync);
  }

  // At start, before anything is written: removes the temporaries (IsTempName) that a write cut
  // short by a crash left in the folders this source writes into. Returns how many were removed.
  // This default has none to remove.
  virtual Result<size_t> RemoveTemporaries() { return size_t{0}; }

  // For `liitos check --connect`: a line per thing checked; a non-ok Status on the first failure.
  virtual Status Check(std::vector<std::string>* report) = 0;

  // For metrics: whether a connection-based transport is connected now; nullopt when the
  // transport has no connection (local folders).
  virtual std::optional<bool> Connected() const { return std::nullopt; }

  // A file descriptor that becomes readable when the drop may have changed (inotify), or -1.
  virtual int WakeFd() const { return -1; }
  // How long until Poll() may offer more without WakeFd becoming readable (e.g. a file seen
  // changing settles then); nullopt when the source has no such deadline.
  virtual std::optional<Millis> PollDelay() const { return std::nullopt; }
  // Drains WakeFd after it became readable.
  virtual void DrainWake() {}
  // True when Fetch() may run on one thread while Release(), QuarantineOriginal() and
  // WriteReceipt() run on another: the intake then overlaps copying with settling.
  virtual bool Overlaps() const { return false; }

 private:
  // What each transport implements; the contracts are those of the public calls above.
  virtual Status DoFetch(const Candidate& c, const std::string& spool_path, SyncBatch& sync, Fetched* out) = 0;
  virtual Status DoRelease(const Candidate& c, SyncBatch& sync) = 0;
  virtual Status DoQuarantineOriginal(const Candidate& c, const std::string& reason, SyncBatch& sync) = 0;
  virtual Status DoWriteReceipt(const std::string& name, std::string_view data, SyncBatch& sync) = 0;
  // This default reads the file whole and calls DoWriteReceipt; a source that can copy it piece
  // by piece overrides it.
  virtual Status DoWriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& sync);
};

using SourcePtr = std::unique_ptr<Source>;

}  // namespace liitos
