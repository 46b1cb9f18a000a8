#include "transports/source.h"

#include <unistd.h>

#include "base/fs.h"

namespace liitos {

namespace {

// Runs `step` with a batch of its own and flushes it: durable when this returns.
template <class F>
Status Synced(F&& step) {
  SyncBatch sync;
  Status s = step(sync);
  Status flushed = sync.Flush();
  return s.ok() ? flushed : s;
}

}  // namespace

Status Source::Fetch(const Candidate& c, const std::string& spool_path, Fetched* out) {
  Status s = Synced([&](SyncBatch& sync) { return DoFetch(c, spool_path, sync, out); });
  if (!s.ok()) ::unlink(spool_path.c_str());  // a copy that is not durable is not left behind
  return s;
}

Status Source::Release(const Candidate& c) {
  return Synced([&](SyncBatch& sync) { return DoRelease(c, sync); });
}

Status Source::QuarantineOriginal(const Candidate& c, const std::string& reason) {
  return Synced([&](SyncBatch& sync) { return DoQuarantineOriginal(c, reason, sync); });
}

Status Source::WriteReceipt(const std::string& name, std::string_view data) {
  return Synced([&](SyncBatch& sync) { return DoWriteReceipt(name, data, sync); });
}

Status Source::DoWriteReceiptFile(const std::string& name, const std::string& path, SyncBatch& sync) {
  auto data = ReadFile(path);
  if (!data.ok()) return data.status();
  return DoWriteReceipt(name, *data, sync);
}

}  // namespace liitos
