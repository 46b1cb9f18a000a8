// A whole file through its reader and the Mapper (SPEC §4 on_invalid_record, G3), in one
// pipeline (base/pipeline.h) whatever the file's size: batches of records are read, mapped, and
// passed to the sink (or kept) on the caller's thread. A large file's reading and mapping each
// run on a thread of their own; a small one's run on the caller's thread, where a thread would
// cost more than it saves. Records stay in input order; a fixed set of batches circulates and is
// reused, so memory stays flat whatever the file's size.
#include <sys/stat.h>

#include <exception>

#include "base/pipeline.h"
#include "formats/convert.h"
#include "formats/reasons.h"

namespace liitos {
namespace {

// Files smaller than this are converted on the caller's thread alone.
constexpr off_t kThreadedMinBytes = 1 << 20;
constexpr size_t kBatchRecords = 1024;
constexpr size_t kBatchesInFlight = 6;

struct Batch {
  // The first `used` entries are this batch's; the rest keep their strings' storage for reuse.
  std::vector<RawRecord> raw;
  std::vector<MappedRecord> mapped;
  size_t used = 0;
};

PipelineMode ModeFor(const std::string& path) {
  struct stat st {};
  bool large = ::stat(path.c_str(), &st) == 0 && st.st_size >= kThreadedMinBytes;
  return large ? PipelineMode::kThreaded : PipelineMode::kSerial;
}

Status Failed(const std::exception& e) { return Status::Invalid(std::string("conversion failed: ") + e.what()); }

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

  Pipeline<Batch> pipeline(kBatchesInFlight);
  // A read error ends the input, after the records read before it have gone through.
  Status read_error;
  bool input_ended = false;
  pipeline.Source(
      [&](Batch& b) -> Result<bool> {
        b.used = 0;
        try {
          while (!input_ended && read_error.ok() && b.used < kBatchRecords) {
            if (b.raw.size() <= b.used) b.raw.emplace_back();
            auto more = r.Next(&b.raw[b.used]);
            if (!more.ok()) read_error = more.status();
            else if (!*more) input_ended = true;
            else ++b.used;
          }
        } catch (const std::exception& e) {  // e.g. bad_alloc: the file fails, the process goes on
          read_error = Failed(e);
        }
        if (b.used > 0) return true;
        if (!read_error.ok()) return read_error;
        return false;
      },
      /*thread=*/1);
  pipeline.Stage(
      [&](Batch& b) {
        try {
          if (b.mapped.size() < b.used) b.mapped.resize(b.used);
          for (size_t i = 0; i < b.used; ++i) {
            if (streaming) mapper.Map(b.raw[i], &b.mapped[i]);
            else b.mapped[i] = mapper.Map(b.raw[i]);  // kept: a record of its own
          }
        } catch (const std::exception& e) {
          return Failed(e);
        }
        return Status::Ok();
      },
      /*thread=*/2);
  pipeline.Stage(
      [&](Batch& b) {
        for (size_t i = 0; i < b.used; ++i) {
          if (strict && !b.mapped[i].accepted()) out.rejected_as_whole = true;
          if (streaming) sink(b.mapped[i]);
          else out.records.push_back(std::move(b.mapped[i]));
        }
        return Status::Ok();
      },
      Pipeline<Batch>::kCallerThread);
  if (Status s = pipeline.Run(ModeFor(path)); !s.ok()) return file_error(s);
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
