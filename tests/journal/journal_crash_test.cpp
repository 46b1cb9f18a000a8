// Crash test (STYLE.md practice 9): a child process works the journal like the daemon does —
// files, records, batches, attempts, outcomes, receipts — and is killed with SIGKILL at random
// moments. After each kill the journal opens, its chain verifies, and the outbox agrees with the
// events.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "journal/audit/audit.h"
#include "tests/journal/consistency.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using namespace std::chrono_literals;
using journal_test::Accepted;
using journal_test::Rejected;

// One unit of daemon-like work; returns false when a call failed.
bool Work(Journal& j, std::mt19937& rng, int step) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  switch (pick(6)) {
    case 0:
    case 1: {  // one or more files, sometimes grouped in one transaction
      int files = 1 + pick(3);
      Journal::Batch group(j);
      for (int f = 0; f < files; ++f) {
        std::string name = "f" + std::to_string(step) + "_" + std::to_string(f) + ".csv";
        auto id = j.RecordFileReceived("src", name, std::string(64, 'c'), 10, "/spool/" + name);
        if (!id.ok()) return false;
        std::vector<RecordOutcomeIn> recs;
        for (int r = 1; r <= 1 + pick(5); ++r) {
          std::string c = "LV-" + std::to_string(pick(50));
          if (pick(5) == 0) recs.push_back(Rejected(r, c, "status", "row: bad status"));
          else recs.push_back(Accepted(r, c, "m" + std::to_string(pick(300)), pick(2) ? "d1" : "d2"));
        }
        if (!j.RecordFileParsed(id->id, recs, pick(10) == 0).ok()) return false;
      }
      return group.Commit().ok();
    }
    case 2:
      return j.CreateBatch(pick(2) ? "d1" : "d2", 1 + pick(4)).ok();
    case 3: {  // an attempt on each destination's head batch, with some outcome
      for (const char* d : {"d1", "d2"}) {
        auto head = j.HeadBatch(d);
        if (!head.ok()) return false;
        if (*head) {
          const BatchRow& b = **head;
          if (!j.RecordAttempt(b.batch_id, 200, "req", "", std::nullopt).ok()) return false;
          Status s;
          if (pick(4) == 0) {
            s = j.MarkBatchFailed(b.batch_id, "HTTP 400");
          } else {
            std::vector<ItemResultIn> items;
            // (a head batch may come without its items: every one superseded)
            if (pick(2) && !b.message_ids.empty()) items.push_back({b.message_ids[0], false, "E", "refused"});
            s = j.MarkBatchDelivered(b.batch_id, "req", items);
          }
          if (!s.ok()) return false;
        }
      }
      return true;
    }
    case 4: {
      auto failed = j.FailedBatchIds();
      if (!failed.ok()) return false;
      for (const auto& id : *failed)
        if (!j.RequeueBatch(id).ok()) return false;
      return true;
    }
    default: {  // receipts
      auto parsed = j.FilesInState("parsed");
      if (!parsed.ok()) return false;
      for (const auto& f : *parsed)
        if (!f.intake_receipt_written && !j.RecordReceiptWritten(f.id, "intake", f.name + ".receipt.csv").ok())
          return false;
      auto due = j.FilesAwaitingDeliveryReceipt();
      if (!due.ok()) return false;
      for (const auto& f : *due)
        if (!j.RecordReceiptWritten(f.id, "delivery", f.name + ".delivery.csv").ok()) return false;
      if (pick(3) == 0) return j.RecordFileQuarantined(0, "src", "link" + std::to_string(step), "symlink").ok();
      return true;
    }
  }
}

[[noreturn]] void Child(const std::string& path, int notify_fd, unsigned seed) {
  auto j = Journal::Open(path, RealClock());
  if (!j.ok()) _exit(3);
  std::mt19937 rng(seed);
  for (int step = 0;; ++step) {
    if (!Work(**j, rng, static_cast<int>(seed) * 10000 + step)) _exit(4);
    if (::write(notify_fd, "x", 1) != 1) _exit(5);
  }
}

TEST(JournalCrash, SurvivesSigkillAtRandomMoments) {
  test_util::ScratchDir dir;
  const std::string path = dir / "journal.db";
  std::mt19937 rng(20261120);
  int64_t last_events = 0;
  for (int round = 0; round < 60; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      Child(path, fds[1], static_cast<unsigned>(round + 1));
    }
    ::close(fds[1]);
    // Let the child finish a random number of steps, then kill it a random moment later.
    int steps = 1 + static_cast<int>(rng() % 6);
    char c;
    for (int i = 0; i < steps && ::read(fds[0], &c, 1) == 1; ++i) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(fds[0]);
    ASSERT_TRUE(WIFSIGNALED(status)) << "round " << round << ": child exited with " << WEXITSTATUS(status);

    {
      auto j = Journal::Open(path, RealClock());
      ASSERT_TRUE(j.ok()) << "round " << round << ": " << j.status().ToString();
    }
    auto v = VerifyJournal(path);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_TRUE(v->ok) << "round " << round << ": seq " << v->first_bad_seq << ": " << v->why;
    EXPECT_GE(v->events, last_events);
    last_events = v->events;
    auto problems = journal_test::CheckConsistency(path);
    ASSERT_TRUE(problems.ok()) << problems.status().ToString();
    ASSERT_TRUE(problems->empty()) << "round " << round << ": " << (*problems)[0];
  }
  EXPECT_GT(last_events, 200);
}

}  // namespace
}  // namespace liitos
