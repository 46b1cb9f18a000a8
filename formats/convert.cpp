// A whole file through its reader and the Mapper (SPEC §4 on_invalid_record, G3).
//
// A large file given to a sink goes through three stages, each on its own thread: reading,
// mapping, and the sink on the caller's thread (which writes JSON). Records stay in input order;
// a fixed set of batches circulates and is reused, so memory stays flat whatever the file's size.
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
constexpr size_t kBatchRecords = 1024;
constexpr size_t kBatchesInFlight = 6;

struct Batch {
  // The first `used` entries are this batch's; the rest keep their strings' storage for reuse.
  std::vector<RawRecord> raw;
  std::vector<MappedRecord> mapped;
  size_t used = 0;
  bool last = false;  // nothing follows this batch
  Status error;       // with `last`: the read error that ended the file
};
using BatchPtr = std::unique_ptr<Batch>;

// Batches circulate through three stages — read, map, sink — and back to the reader: queue 0
// holds free batches, queue 1 read ones, queue 2 mapped ones. Each stage has one thread, so
// order is kept. Stop() wakes every waiting stage; Take() then returns nullptr.
class Pipeline {
 public:
  Pipeline() {
    for (size_t i = 0; i < kBatchesInFlight; ++i) q_[0].push_back(std::make_unique<Batch>());
  }
  BatchPtr Take(int stage) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_ || !q_[stage].empty(); });
    if (stopped_ && q_[stage].empty()) return nullptr;
    BatchPtr b = std::move(q_[stage].front());
    q_[stage].pop_front();
    return b;
  }
  void Put(int stage, BatchPtr b) {
    std::lock_guard lock(mu_);
    q_[stage].push_back(std::move(b));
    cv_.notify_all();
  }
  // The sink has stopped early (it threw): the other stages give up.
  void Stop() {
    std::lock_guard lock(mu_);
    stopped_ = true;
    for (auto& q : q_) q.clear();
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<BatchPtr> q_[3];
  bool stopped_ = false;
};

// Stage 1: reads records into free batches; the last batch carries `last` (and an error, if any).
void ReadStage(RecordReader& reader, Pipeline& p) {
  for (;;) {
    BatchPtr b = p.Take(0);
    if (!b) return;
    b->used = 0;
    b->last = false;
    b->error = Status::Ok();
    try {
      while (b->used < kBatchRecords) {
        if (b->raw.size() <= b->used) b->raw.emplace_back();
        auto more = reader.Next(&b->raw[b->used]);
        if (!more.ok() || !*more) {
          b->last = true;
          if (!more.ok()) b->error = more.status();
          break;
        }
        ++b->used;
      }
    } catch (const std::exception& e) {  // e.g. bad_alloc: the file fails, the process goes on
      b->last = true;
      b->error = Status::Invalid(std::string("conversion failed: ") + e.what());
    }
    bool last = b->last;
    p.Put(1, std::move(b));
    if (last) return;
  }
}

// Stage 2: maps every read record of a batch.
void MapStage(const Mapper& mapper, Pipeline& p) {
  for (;;) {
    BatchPtr b = p.Take(1);
    if (!b) return;
    try {
      if (b->mapped.size() < b->used) b->mapped.resize(b->used);
      for (size_t i = 0; i < b->used; ++i) mapper.Map(b->raw[i], &b->mapped[i]);
    } catch (const std::exception& e) {
      b->used = 0;
      b->last = true;
      b->error = Status::Invalid(std::string("conversion failed: ") + e.what());
    }
    bool last = b->last;
    p.Put(2, std::move(b));
    if (last) return;
  }
}

bool LargeFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && st.st_size >= kPipelineMinBytes;
}

}  // namespace

namespace {

// ConvertFile and StreamFile: `stream_strict` streams a reject-file profile's records too.
FileOutcome Convert(const ProfileConfig& profile, const InterfaceConfig& iface, const std::string& source_name,
                    const std::string& path, const std::string& display_name,
                    const std::function<void(const MappedRecord&)>& sink, bool stream_strict) {
  FileOutcome out;
  auto file_error = [&](const Status& s) {
    out.file_error = Rejection{0, "", SafeText(display_name + ": " + s.message())};
    out.records.clear();
    out.rejected_as_whole = false;
    return out;
  };
  auto reader = OpenRecordReader(profile, path);
  if (!reader.ok()) return file_error(reader.status());
  RecordReader& r = **reader;
  Mapper mapper(profile, iface, source_name, display_name, r.RecordNoun());
  const bool strict = profile.on_invalid_record == OnInvalidRecord::kRejectFile;
  const bool streaming = sink && (!strict || stream_strict);

  if (streaming && LargeFile(path)) {
    Pipeline pipeline;
    std::thread reading([&] { ReadStage(r, pipeline); });
    std::thread mapping([&] { MapStage(mapper, pipeline); });
    struct Joiner {  // also when the sink throws: no stage may outlive the reader or the mapper
      Pipeline& p;
      std::thread &a, &b;
      ~Joiner() {
        p.Stop();
        a.join();
        b.join();
      }
    } joiner{pipeline, reading, mapping};
    for (;;) {
      BatchPtr b = pipeline.Take(2);
      for (size_t i = 0; i < b->used; ++i) {
        if (strict && !b->mapped[i].accepted()) out.rejected_as_whole = true;
        sink(b->mapped[i]);
      }
      if (b->last) {
        if (!b->error.ok()) return file_error(b->error);
        return out;
      }
      pipeline.Put(0, std::move(b));
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
      if (strict && !kept.accepted()) out.rejected_as_whole = true;
      sink(kept);
      continue;
    }
    MappedRecord m = mapper.Map(raw);
    if (!m.accepted() && strict) out.rejected_as_whole = true;
    out.records.push_back(std::move(m));
  }
  return out;
}

}  // namespace

FileOutcome ConvertFile(const ProfileConfig& profile, const InterfaceConfig& iface, const std::string& source_name,
                        const std::string& path, const std::string& display_name,
                        const std::function<void(const MappedRecord&)>& sink) {
  return Convert(profile, iface, source_name, path, display_name, sink, /*stream_strict=*/false);
}

FileOutcome StreamFile(const ProfileConfig& profile, const InterfaceConfig& iface, const std::string& source_name,
                       const std::string& path, const std::string& display_name,
                       const std::function<void(const MappedRecord&)>& sink) {
  return Convert(profile, iface, source_name, path, display_name, sink, /*stream_strict=*/true);
}

}  // namespace liitos
