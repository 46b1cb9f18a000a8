// Journal benchmark (issue 3): append throughput with synchronous=FULL in transactions of 100,
// and `journal trace` of one case in a large journal.
//
//   liitos_journal_bench [EVENTS [APPENDS [DIR]]]
//     EVENTS   size of the journal that trace runs on (default 5000000; CI passes e.g. 20000)
//     APPENDS  events appended in the throughput run (default 200000)
//     DIR      where the scratch databases go (default $TMPDIR or /tmp); removed afterwards
//              unless LIITOS_BENCH_KEEP is set
// Prints one line per figure; exits 1 when a call fails.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <random>
#include <streambuf>
#include <string>
#include <vector>

#include "base/time/clock.h"
#include "journal/audit/audit.h"
#include "journal/journal.h"

namespace {

using liitos::Journal;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

void Check(const liitos::Status& s, const char* what) {
  if (s.ok()) return;
  std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
  std::exit(1);
}

class NullBuf : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

// Appends `n` realistic events in transactions of 100 (Journal::Batch).
void BenchAppend(const std::string& path, int64_t n) {
  auto j = Journal::Open(path, liitos::RealClock());
  Check(j.status(), "open");
  auto start = Clock::now();
  for (int64_t i = 0; i < n;) {
    Journal::Batch txn(**j);
    for (int k = 0; k < 100 && i < n; ++k, ++i) {
      liitos::NewEvent e;
      e.kind = liitos::ev::kRecordAccepted;
      e.source = "rakval";
      e.file = "tilat_" + std::to_string(i / 1000) + ".csv";
      e.file_sha256 = std::string(64, 'a');
      e.record = i % 1000 + 1;
      e.message_id = "3b1f0000-0000-5000-8000-" + std::to_string(100000000000 + i);
      e.destination = "lupapiste";
      e.lv_case_id = "LV-2026-" + std::to_string(i % 100000);
      Check((*j)->Append(e), "append");
    }
    Check(txn.Commit(), "commit");
  }
  double secs = Seconds(start);
  std::printf("append: %lld events in transactions of 100, synchronous=FULL: %.2f s, %.0f events/s\n",
              static_cast<long long>(n), secs, static_cast<double>(n) / secs);
}

// Builds a journal of about `events` events the way the daemon does: files of 100 records (one
// status change each, cases drawn from events/10 cases), batches of up to 1000, delivered.
int64_t BuildJournal(const std::string& path, int64_t events, int64_t cases) {
  liitos::FakeClock clock;
  auto j = Journal::Open(path, clock);
  Check(j.status(), "open");
  std::mt19937_64 rng(42);
  int64_t file = 0, msg = 0, written = 0;
  auto start = Clock::now();
  while (written < events) {
    Journal::Batch txn(**j);
    for (int f = 0; f < 10 && written < events; ++f, ++file) {
      std::string name = "tilat_" + std::to_string(file) + ".csv";
      auto id = (*j)->RecordFileReceived("rakval", name, std::string(64, 'b'), 12345, "/spool/" + name);
      Check(id.status(), "file");
      std::vector<liitos::RecordOutcomeIn> recs(100);
      for (int r = 0; r < 100; ++r, ++msg) {
        auto& rec = recs[static_cast<size_t>(r)];
        rec.record = r + 1;
        rec.lv_case_id = "LV-2026-" + std::to_string(rng() % static_cast<uint64_t>(cases));
        rec.message_id = "msg-" + std::to_string(msg);
        rec.payload = R"({"type":"status-update","status":"KASITTELYSSA"})";
        rec.destination = "lupapiste";
        rec.accepted = true;
      }
      Check((*j)->RecordFileParsed(id->id, recs, false).status(), "parsed");
      written += 101;
      clock.Advance(std::chrono::seconds(7));
    }
    for (;;) {
      auto b = (*j)->CreateBatch("lupapiste", 1000);
      Check(b.status(), "batch");
      if (!b->has_value()) break;
      Check((*j)->RecordAttempt((*b)->batch_id, 200, "req", "", std::nullopt), "attempt");
      Check((*j)->MarkBatchDelivered((*b)->batch_id, "req", {}), "delivered");
      written += 3;
    }
    Check(txn.Commit(), "commit");
  }
  std::printf("build: %lld events (%lld files) in %.1f s\n", static_cast<long long>(written),
              static_cast<long long>(file), Seconds(start));
  return written;
}

void BenchTrace(const std::string& path, int64_t cases) {
  NullBuf buf;
  std::ostream null(&buf);
  std::mt19937_64 rng(7);
  std::vector<double> ms;
  for (int i = 0; i < 50; ++i) {
    std::string c = "LV-2026-" + std::to_string(rng() % static_cast<uint64_t>(cases));
    auto start = Clock::now();
    liitos::Status s = liitos::TraceEntity(path, c, liitos::OutputFormat::kTable, null);
    if (!s.ok() && s.code() != liitos::Status::Code::kNotFound) Check(s, "trace");
    ms.push_back(Seconds(start) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("trace one case (open + query + table, 50 cases): median %.2f ms, p90 %.2f ms, max %.2f ms\n",
              ms[ms.size() / 2], ms[ms.size() * 9 / 10], ms.back());
  auto start = Clock::now();
  auto v = liitos::VerifyJournal(path);
  Check(v.status(), "verify");
  std::printf("verify: %lld events, %s, %.1f s\n", static_cast<long long>(v->events), v->ok ? "ok" : v->why.c_str(),
              Seconds(start));
}

}  // namespace

int main(int argc, char** argv) {
  int64_t events = argc > 1 ? std::atoll(argv[1]) : 5'000'000;
  int64_t appends = argc > 2 ? std::atoll(argv[2]) : 200'000;
  const char* tmp = std::getenv("TMPDIR");
  std::string base = argc > 3 ? argv[3] : (tmp && *tmp ? tmp : "/tmp");
  std::string dir = base + "/liitos-journal-bench.XXXXXX";
  if (!::mkdtemp(dir.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  BenchAppend(dir + "/append.db", appends);
  int64_t cases = std::max<int64_t>(events / 10, 1);
  BuildJournal(dir + "/journal.db", events, cases);
  BenchTrace(dir + "/journal.db", cases);
  if (std::getenv("LIITOS_BENCH_KEEP")) {
    std::printf("kept: %s\n", dir.c_str());
  } else {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return 0;
}
