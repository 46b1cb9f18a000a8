// Checkpoints (SPEC §7): signed lines, checked against the chain; the rewrite that the hash chain
// alone cannot see is caught.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "base/fs.h"
#include "base/time/helsinki_time.h"
#include "journal/audit/audit.h"
#include "journal/audit/checkpoint.h"
#include "tests/journal/journal_test_util.h"
#include "tests/journal/rechain.h"

namespace liitos {
namespace {

using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;
using journal_test::Rejected;

CheckpointKey NewKey(std::string* pem = nullptr, std::string* pub_pem = nullptr) {
  return journal_test::NewCheckpointKey(pem, pub_pem);
}

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// A journal with a few files and a delivered batch, checkpoints in dir/cp.
struct Journaled : Fixture {
  std::string cp_dir = dir / "cp";
  CheckpointKey key = NewKey();
  Journaled() {
    std::filesystem::create_directories(cp_dir);
    for (int i = 1; i <= 3; ++i) {
      std::string n = std::to_string(i);
      File("f" + n + ".csv", {Accepted(1, "LV-" + n, "m" + n), Rejected(2, "LV-9", "status", "row 2: bad status")});
      clock.Advance(std::chrono::minutes(10));
      auto b = j->CreateBatch("lupapiste", 10);
      EXPECT_TRUE(j->MarkBatchDelivered((*b)->batch_id, "req", {}).ok());
    }
  }
  Checkpoint Take() {
    auto c = TakeCheckpoint(path, key, clock.Now());
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_TRUE(AppendCheckpoint(cp_dir, *c).ok());
    return *c;
  }
  CheckpointsResult Check() {
    auto r = VerifyCheckpoints(path, cp_dir, key);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : CheckpointsResult{};
  }
};

TEST(Checkpoint, LineRoundTripsAndSaysWhatItSigns) {
  Journaled t;
  Checkpoint c = t.Take();
  EXPECT_EQ(c.seq, 15);
  EXPECT_EQ(c.key, t.key.fingerprint());
  EXPECT_EQ(c.time, FormatHelsinki(t.clock.Now()));
  std::vector<std::string> lines = Lines(t.cp_dir + "/" + kCheckpointFile);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], c.Line());
  EXPECT_EQ(lines[0].rfind("liitos-checkpoint-v1 seq=15 hash=" + c.hash + " time=", 0), 0u) << lines[0];
  auto parsed = ParseCheckpoint(lines[0]);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->Line(), c.Line());
  EXPECT_TRUE(t.key.Verify(parsed->SignedText(), parsed->signature));
  for (const char* bad : {"", "liitos-checkpoint-v1 seq=1", "liitos-checkpoint-v2 seq=1 hash=a time=b key=c sig=d",
                          "liitos-checkpoint-v1 seq=x hash=a time=b key=c sig=d"})
    EXPECT_FALSE(ParseCheckpoint(bad).ok()) << bad;
  struct stat st;
  ASSERT_EQ(::stat((t.cp_dir + "/" + kCheckpointFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 040u & 077);
}

TEST(Checkpoint, HonestJournalPassesEveryCheckpoint) {
  Journaled t;
  t.Take();
  t.File("f4.csv", {Accepted(1, "LV-4", "m4")});
  t.clock.Advance(std::chrono::hours(1));
  Checkpoint later = t.Take();
  CheckpointsResult r = t.Check();
  EXPECT_TRUE(r.ok()) << r.problems[0];
  EXPECT_EQ(r.checked, 2);
  EXPECT_EQ(r.latest_seq, later.seq);
  EXPECT_EQ(r.latest_time, later.time);
  ASSERT_EQ(r.files.size(), 1u);
}

TEST(Checkpoint, EmptyJournalAndMissingFolder) {
  Fixture f;
  CheckpointKey key = NewKey();
  auto c = TakeCheckpoint(f.path, key, f.clock.Now());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->seq, 0);
  Status s = AppendCheckpoint(f.dir / "not-mounted", *c);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("not mounted"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(f.dir / "not-mounted"));
}

// The hole in the hash chain (SPEC §7): an early event is rewritten and every hash after it
// recomputed, head record included. verify passes; the checkpoints do not.
TEST(Checkpoint, RewrittenAndRechainedHistoryIsCaught) {
  Journaled t;
  Checkpoint c = t.Take();
  t.j.reset();
  {
    RawDb raw(t.path);
    ASSERT_EQ(raw.Exec("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;"), "");
    ASSERT_EQ(raw.Exec("UPDATE events SET detail = '{\"reason\":\"all fine\"}' WHERE seq = 3"), "");
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(t.path.c_str(), &db), SQLITE_OK);
  EXPECT_EQ(journal_test::Rechain(db, 3), "");
  sqlite3_close(db);

  auto v = VerifyJournal(t.path);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << "the hash chain alone sees the rewrite after all: " << v->why;

  CheckpointsResult r = t.Check();
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("liitos.checkpoints:1: event " + std::to_string(c.seq) +
                               " no longer has the hash signed at " + c.time),
            std::string::npos)
      << r.problems[0];
}

TEST(Checkpoint, DeletedTailIsCaught) {
  Journaled t;
  t.Take();
  t.j.reset();
  RawDb raw(t.path);
  ASSERT_EQ(raw.Exec("DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq >= 14; "
                     "UPDATE chain_head SET seq = 13, hash = (SELECT hash FROM events WHERE seq = 13)"),
            "");
  CheckpointsResult r = t.Check();
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("event 15 of "), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[0].find("is no longer in the journal"), std::string::npos) << r.problems[0];
}

TEST(Checkpoint, ABackupIsCheckedUpToItsEnd) {
  Journaled t;
  Checkpoint early = t.Take();
  const std::string backup = t.dir / "backup.db";
  t.j.reset();
  ASSERT_TRUE(std::filesystem::copy_file(t.path, backup));
  t.Reopen();
  t.File("f4.csv", {Accepted(1, "LV-4", "m4")});
  Checkpoint late = t.Take();
  ASSERT_GT(late.seq, early.seq);
  auto as_copy = VerifyCheckpoints(backup, t.cp_dir, t.key, /*copy=*/true);
  ASSERT_TRUE(as_copy.ok());
  EXPECT_TRUE(as_copy->ok());
  EXPECT_EQ(as_copy->checked, 1);
  EXPECT_EQ(as_copy->after_copy, 1);
  EXPECT_EQ(as_copy->latest_seq, early.seq);
  // The same file as the live journal: events were cut off its end.
  auto live = VerifyCheckpoints(backup, t.cp_dir, t.key);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->problems.size(), 1u);
  EXPECT_NE(live->problems[0].find("is no longer in the journal"), std::string::npos);
}

TEST(Checkpoint, ForgedEditedAndForeignLinesAreCaught) {
  Journaled t;
  Checkpoint c = t.Take();
  Checkpoint edited = c;
  edited.seq = 14;
  edited.hash = std::string(64, 'f');
  CheckpointKey other = NewKey();
  auto foreign = TakeCheckpoint(t.path, other, t.clock.Now());
  ASSERT_TRUE(foreign.ok());
  std::ofstream(t.cp_dir + "/" + kCheckpointFile, std::ios::app)
      << edited.Line() << "\n" << foreign->Line() << "\n" << "garbage\n";
  CheckpointsResult r = t.Check();
  ASSERT_EQ(r.problems.size(), 3u);
  EXPECT_NE(r.problems[0].find(":2: the signature is not valid"), std::string::npos) << r.problems[0];
  EXPECT_NE(r.problems[1].find(":3: signed by another key"), std::string::npos) << r.problems[1];
  EXPECT_NE(r.problems[2].find(":4: not a liitos-checkpoint-v1 line"), std::string::npos) << r.problems[2];
  EXPECT_EQ(r.latest_seq, c.seq);
}

}  // namespace
}  // namespace liitos
