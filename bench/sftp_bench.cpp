// Fetch throughput of SftpSource against the OpenSSH client (`sftp -b`), both talking to the same
// throw-away sshd on 127.0.0.1 (tests/transports/sftp/sshd_fixture.h):
//   - 200 files of 4 KiB,
//   - one file of 200 MB.
// Each figure is the best of `runs` (default 3) and includes connecting and authenticating. Our
// side also makes every file and its directory durable, grouped per round as the service's
// intake does (a SyncBatch handed to Fetch): durability the OpenSSH client does not give.
//
//   [BENCH_LOCAL=/dev/shm] liitos_sftp_bench [runs] [large_mb]
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "base/time/clock.h"
#include "base/fs.h"
#include "tests/transports/sftp/sshd_fixture.h"
#include "transports/sftp/sftp_config.h"
#include "transports/sftp/sftp_source.h"

using liitos::testing::SshdFixture;
namespace stdfs = std::filesystem;

namespace {

double Seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

double CpuSeconds() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

void WriteRandom(const std::string& path, size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> block(1 << 17);
  std::ofstream out(path, std::ios::binary);
  size_t left = bytes;
  while (left > 0) {
    for (auto& v : block) v = rng();
    size_t n = std::min(left, block.size() * sizeof(uint64_t));
    out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
    left -= n;
  }
}

void FreshDir(const std::string& dir) {
  stdfs::remove_all(dir);
  stdfs::create_directories(dir);
}

// Our SftpSource: connect, list until settled (FakeClock), fetch every file into `spool`.
double RunOurs(SshdFixture& sshd, const std::string& remote_dir, const std::string& spool, size_t expect) {
  FreshDir(spool);
  liitos::FakeClock clock;
  liitos::TransportContext ctx;
  ctx.clock = &clock;
  ctx.state_dir = spool;
  liitos::SourceConfig cfg;
  cfg.name = "bench";
  cfg.kind = "sftp";
  cfg.path = remote_dir;
  cfg.include = {"*"};
  cfg.receipts = "none";
  liitos::MutableKindSettings<liitos::SftpSourceSettings>(cfg.settings).endpoint = sshd.Endpoint();
  auto t0 = std::chrono::steady_clock::now();
  double c0 = CpuSeconds();
  auto src = liitos::MakeSftpSource(cfg, ctx);
  if (!src.ok()) throw std::runtime_error(src.status().ToString());
  auto first = (*src)->Poll();
  clock.Advance(liitos::MutableKindSettings<liitos::SftpSourceSettings>(cfg.settings).poll);
  auto ready = (*src)->Poll();
  if (!first.ok() || !ready.ok()) throw std::runtime_error("poll failed");
  if (ready->size() != expect) throw std::runtime_error("unexpected listing size");
  int i = 0;
  {
    liitos::SyncBatch sync;  // as the service's intake round: every copy synced before the commit
    for (const auto& c : *ready) {
      liitos::Status s = (*src)->Fetch(c, spool + "/" + std::to_string(++i), sync);
      if (!s.ok()) throw std::runtime_error(s.ToString());
    }
    if (liitos::Status s = sync.Flush(); !s.ok()) throw std::runtime_error(s.ToString());
  }
  double wall = Seconds(std::chrono::steady_clock::now() - t0);
  if (std::getenv("XCPU")) std::fprintf(stderr, "ours wall %.3f cpu %.3f\n", wall, CpuSeconds() - c0);
  return wall;
}

// OpenSSH's sftp client in batch mode: one `get` of the whole directory's files.
double RunOpenSsh(SshdFixture& sshd, const std::string& remote_glob, const std::string& local) {
  FreshDir(local);
  std::string batch = sshd.dir() + "/bench.batch";
  SshdFixture::WriteText(batch, "get " + remote_glob + " " + local + "/\n");
  std::string cmd = "sftp -q -b " + batch + " -i " + sshd.ed25519_key() + " -o UserKnownHostsFile=" +
                    sshd.known_hosts() + " -o StrictHostKeyChecking=yes -o BatchMode=yes -P " +
                    std::to_string(sshd.port()) + " " + sshd.user() + "@127.0.0.1 >/dev/null 2>&1";
  auto t0 = std::chrono::steady_clock::now();
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("sftp -b failed: " + cmd);
  return Seconds(std::chrono::steady_clock::now() - t0);
}

// rclone's sftp backend (if installed): `rclone copy` of the remote directory into `local`.
// Hash checks are off: they run md5sum over a shell, which internal-sftp does not offer.
double RunRclone(SshdFixture& sshd, const std::string& remote_dir, const std::string& local) {
  FreshDir(local);
  std::string remote = ":sftp,host=127.0.0.1,port=" + std::to_string(sshd.port()) + ",user=" + sshd.user() +
                       ",key_file=" + sshd.ed25519_key() + ",known_hosts_file=" + sshd.known_hosts() +
                       ",disable_hashcheck=true,shell_type=none:" + remote_dir;
  std::string cmd = "rclone copy --config /dev/null --transfers 4 '" + remote + "' " + local + " >" + sshd.dir() +
                    "/rclone.log 2>&1";
  auto t0 = std::chrono::steady_clock::now();
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("rclone failed: " + cmd + " (see rclone.log)");
  return Seconds(std::chrono::steady_clock::now() - t0);
}

bool HaveRclone() { return std::system("command -v rclone >/dev/null 2>&1") == 0; }

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 3;
  size_t large_mb = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 200;
  spdlog::set_level(spdlog::level::warn);
  try {
    SshdFixture sshd;
    std::string small = sshd.root() + "/small", large = sshd.root() + "/large";
    stdfs::create_directories(small);
    stdfs::create_directories(large);
    for (int i = 0; i < 200; ++i) WriteRandom(small + "/f" + std::to_string(i) + ".csv", 4096, i);
    WriteRandom(large + "/big.xml", large_mb * 1000 * 1000, 7);
    // $BENCH_LOCAL puts the local copies elsewhere (e.g. /dev/shm to take fsync cost out).
    std::string local = (std::getenv("BENCH_LOCAL") ? std::string(std::getenv("BENCH_LOCAL")) : sshd.dir()) + "/local";

    struct Row {
      std::string what;
      double ours = 1e9, openssh = 1e9, rclone = 1e9;
      double mb;
    };
    std::vector<Row> rows = {{"200 x 4 KiB", 1e9, 1e9, 1e9, 200 * 4096 / 1e6},
                             {std::to_string(large_mb) + " MB x 1", 1e9, 1e9, 1e9, large_mb * 1.0}};
    const bool rclone = HaveRclone();
    for (int r = 0; r < runs; ++r) {
      rows[0].ours = std::min(rows[0].ours, RunOurs(sshd, small, local, 200));
      rows[0].openssh = std::min(rows[0].openssh, RunOpenSsh(sshd, small + "/*", local));
      if (rclone) rows[0].rclone = std::min(rows[0].rclone, RunRclone(sshd, small, local));
      rows[1].ours = std::min(rows[1].ours, RunOurs(sshd, large, local, 1));
      rows[1].openssh = std::min(rows[1].openssh, RunOpenSsh(sshd, large + "/big.xml", local));
      if (rclone) rows[1].rclone = std::min(rows[1].rclone, RunRclone(sshd, large, local));
    }
    stdfs::remove_all(local);
    std::printf("SFTP fetch, sshd on 127.0.0.1, best of %d (connect + auth included)\n", runs);
    std::printf("%-14s %14s %8s %16s %8s %7s %10s %8s\n", "workload", "SftpSource s", "MB/s", "sftp -b (ossh) s",
                "MB/s", "ratio", "rclone s", "MB/s");
    for (const auto& row : rows) {
      std::printf("%-14s %14.3f %8.1f %16.3f %8.1f %7.2f", row.what.c_str(), row.ours, row.mb / row.ours,
                  row.openssh, row.mb / row.openssh, row.ours / row.openssh);
      if (rclone) std::printf(" %10.3f %8.1f\n", row.rclone, row.mb / row.rclone);
      else std::printf(" %10s %8s\n", "-", "-");
    }
    std::printf("(ratio = SftpSource / sftp -b. SftpSource makes every copy durable, grouped per round;\n"
                " sftp -b and rclone do not sync at all.)\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sftp_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
