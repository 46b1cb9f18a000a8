#pragma once
// A FileSink puts whole, named files into the folder of a `kind = "dir"` or `"sftp"` destination:
// the import files of SPEC §11, `{prefix}{externalId}.{json|xml|csv}`, which the feed names. Each
// file is written atomically — under a temporary name that pickers ignore, synced, renamed over
// any earlier file of that name — and then, when the destination has a done_marker, an empty
// NAME + done_marker is created. A FileSink knows nothing of formats: it moves bytes.
//
// Put() answers like a Destination (destination.h): kOk once the file is in place (and durable,
// for a local folder); kRetry for a passing trouble (a disk error, a lost connection); kFatal
// for a configuration fault (permission denied, a missing remote folder, an unsafe name).
//
// PutAll() writes many files in one go, each as Put() would: a local folder syncs the temporaries
// together, renames them, syncs the folder once, then makes and syncs the done markers together
// (two folder syncs for the lot instead of two per file).
//
// Threading: Put() and PutAll() may be called from several threads at once (an SFTP sink
// serializes them on its one connection); Check() from one.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/config.h"
#include "transports/destination.h"

namespace liitos {

struct FileToPut {
  std::string name;
  std::string data;
  SendResult result;  // set by PutAll
};

class FileSink {
 public:
  FileSink() = default;
  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;
  virtual ~FileSink() = default;

  virtual const DestinationConfig& config() const = 0;
  // The start of the names of the files it writes (the destination's `prefix` key). Immutable:
  // any thread may call it.
  virtual const std::string& prefix() const = 0;

  // Writes `data` as `name` (a plain file name: no '/', not a dotfile).
  virtual SendResult Put(const std::string& name, std::string_view data) = 0;
  // Writes every file of `files`, each one's outcome in its `result`.
  virtual void PutAll(std::vector<FileToPut>& files) {
    for (FileToPut& f : files) f.result = Put(f.name, f.data);
  }

  // For `liitos check --connect`: a line per thing checked.
  virtual Status Check(std::vector<std::string>* report) = 0;

  // For metrics, as Destination::Connected().
  virtual std::optional<bool> Connected() const { return std::nullopt; }
};

using FileSinkPtr = std::unique_ptr<FileSink>;

}  // namespace liitos
