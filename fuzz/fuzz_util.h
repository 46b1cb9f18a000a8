#pragma once
// Shared by the fuzz targets: the readers open files, so each run writes its input to one
// temporary file of the process (in /dev/shm when there is one) and reads it back; and a
// failed property aborts with a message, so libFuzzer records the input as a crash.

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace liitos::fuzz {

// The path of this process's scratch file named `tag`, removed at exit.
inline const std::string& ScratchPath(const char* tag) {
  static const std::string path = [tag] {
    const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    return std::string(dir) + "/liitos-fuzz-" + tag + "-" + std::to_string(getpid());
  }();
  static const struct Remover {
    ~Remover() { unlink(path.c_str()); }
  } remover;
  return path;
}

// Writes `bytes` as the whole content of the scratch file and returns its path.
inline const std::string& WriteScratch(const char* tag, std::string_view bytes) {
  const std::string& path = ScratchPath(tag);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size() || std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
  return path;
}

// Aborts (a crash for libFuzzer) when `ok` is false.
inline void Check(bool ok, std::string_view what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz property failed: %.*s\n", static_cast<int>(what.size()), what.data());
    std::abort();
  }
}

}  // namespace liitos::fuzz
