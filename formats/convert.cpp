// A whole file through its reader and the Mapper (SPEC §4 on_invalid_record, G3).
//
// A large file given to a sink is read and mapped on a worker thread while the caller's thread
// runs the sink (which writes JSON): two stages, in input order, batches handed over through a
// small bounded queue whose batches are reused, so memory stays flat whatever the file's size.
#include <sys/stat.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "formats/mapping.h"
#include "formats/reasons.h"

namespace liitos {
namespace {

// Files smaller than this are converted on the caller's thread: a thread costs more than it saves.
constexpr off_t kPipelineMinBytes = 1 << 20;
constexpr size_t kBatchRecords = 256;
constexpr size_t kBatchesInFlight = 4;

struct Batch {
  std::vector<MappedRecord> records;  // the first `used` are this batch's; the rest keep storage
  size_t used = 0;
  bool last = false;     // nothing follows this batch
  Status error;          // with `last`: the read error that ended the file
};

// Single producer (the worker), single consumer (the caller). Batches circulate between a free
// list and a full queue; the worker blocks when all of them are full, the caller when none is.
class BatchQueue {
 public:
  BatchQueue() {
    for (size_t i = 0; i < kBatchesInFlight; ++i) free_.push_back(std::make_unique<Batch>());
  }
  // Worker: a batch to fill, or nullptr when the consumer has stopped.
  std::unique_ptr<Batch> TakeFree() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || !free_.empty(); });
    if (stopped_) return nullptr;
    auto b = std::move(free_.front());
    free_.pop_front();
    return b;
  }
  void PutFull(std::unique_ptr<Batch> b) {
    std::lock_guard lock(mu_);
    full_.push_back(std::move(b));
    cv_.notify_all();
  }
  // Caller: the next batch in order.
  std::unique_ptr<Batch> TakeFull() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !full_.empty(); });
    auto b = std::move(full_.front());
    full_.pop_front();
    return b;
  }
  void PutFree(std::unique_ptr<Batch> b) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
    cv_.notify_all();
  }
  // Caller: stop the worker early (the sink threw); it finishes its current batch and exits.
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Batch>> free_, full_;
  bool stopped_ = false;
};

// Reads and maps every record into batches; the last batch carries `last` (and an error, if any).
void ProduceBatches(RecordReader& reader, const Mapper& mapper, BatchQueue& queue) {
  RawRecord raw;
  for (;;) {
    std::unique_ptr<Batch> b = queue.TakeFree();
    if (!b) return;
    b->used = 0;
    b->last = false;
    b->error = Status::Ok();
    try {
      while (b->used < kBatchRecords) {
        auto more = reader.Next(&raw);
        if (!more.ok() || !*more) {
          b->last = true;
          if (!more.ok()) b->error = more.status();
          break;
        }
        if (b->records.size() <= b->used) b->records.emplace_back();
        mapper.Map(raw, &b->records[b->used++]);
      }
    } catch (const std::exception& e) {  // e.g. bad_alloc: the file fails, the process goes on
      b->last = true;
      b->error = Status::Invalid(std::string("conversion failed: ") + e.what());
    }
    bool last = b->last;
    queue.PutFull(std::move(b));
    if (last) return;
  }
}

bool LargeFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && st.st_size >= kPipelineMinBytes;
}

}  // namespace

FileOutcome ConvertFile(const ProfileConfig& profile, const InterfaceConfig& iface, const std::string& source_name,
                        const std::string& path, const std::string& display_name,
                        const std::function<void(const MappedRecord&)>& sink) {
  FileOutcome out;
  auto file_error = [&](const Status& s) {
    out.file_error = Rejection{0, "", RedactPersonIds(display_name + ": " + s.message())};
    out.records.clear();
    out.rejected_as_whole = false;
    return out;
  };
  auto reader = OpenRecordReader(profile, path);
  if (!reader.ok()) return file_error(reader.status());
  RecordReader& r = **reader;
  Mapper mapper(profile, iface, source_name, display_name, r.RecordNoun());
  const bool strict = profile.on_invalid_record == OnInvalidRecord::kRejectFile;
  const bool streaming = sink && !strict;

  if (streaming && LargeFile(path)) {
    BatchQueue queue;
    std::thread worker([&] { ProduceBatches(r, mapper, queue); });
    struct Joiner {  // also when the sink throws: the worker must not outlive the reader
      BatchQueue& q;
      std::thread& t;
      ~Joiner() {
        q.Stop();
        t.join();
      }
    } joiner{queue, worker};
    for (;;) {
      std::unique_ptr<Batch> b = queue.TakeFull();
      for (size_t i = 0; i < b->used; ++i) sink(b->records[i]);
      if (b->last) {
        if (!b->error.ok()) return file_error(b->error);
        return out;
      }
      queue.PutFree(std::move(b));
    }
  }

  RawRecord raw;      // reused: its strings keep their storage from record to record
  MappedRecord kept;  // reused when streaming
  while (true) {
    auto more = r.Next(&raw);
    if (!more.ok()) return file_error(more.status());
    if (!*more) break;
    if (streaming) {
      mapper.Map(raw, &kept);
      sink(kept);
      continue;
    }
    MappedRecord m = mapper.Map(raw);
    if (!m.accepted() && strict) out.rejected_as_whole = true;
    out.records.push_back(std::move(m));
  }
  return out;
}

}  // namespace liitos
