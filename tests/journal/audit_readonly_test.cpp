// journal verify | list on a copy of the journal on read-only media (SPEC §8 `journal verify --db`).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "journal/audit/audit.h"
#include "tests/journal/journal_test_util.h"
#include "tests/journal/ro_mount.h"

namespace liitos {
namespace {

namespace fs = std::filesystem;
using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;
using test_mount::ReadOnlyBindMount;

// A journal with a few events, closed (checkpointed, no -wal left), copied to media/.
struct Backup : Fixture {
  std::string media = dir / "media", ro = dir / "ro";
  Backup() {
    File("a.csv", {Accepted(1, "LV-1", "m1"), Accepted(2, "LV-2", "m2")});
    j.reset();
    fs::create_directories(media);
    fs::copy_file(path, media + "/journal.db");
  }
};

TEST(AuditReadonlyTest, ReadOnlyVerifiesAndListsACopyOnReadOnlyMedia) {
  Backup b;
  ReadOnlyBindMount mount(b.media, b.ro);
  if (!mount.skip_reason().empty()) GTEST_SKIP() << mount.skip_reason();
  auto r = VerifyJournal(b.ro + "/journal.db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok) << r->why;
  EXPECT_EQ(r->events, 3);  // FILE_RECEIVED, 2 × RECORD_ACCEPTED
  std::ostringstream out;
  Status s = ListEvents(b.ro + "/journal.db", EventFilter{}, OutputFormat::kJson, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_NE(out.str().find("\"RECORD_ACCEPTED\""), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(b.ro), fs::directory_iterator()), 1);  // nothing beside it
}

TEST(AuditReadonlyTest, ReadOnlyFindsTamperingOnReadOnlyMedia) {
  Backup b;
  {
    RawDb raw(b.media + "/journal.db");
    // As someone with write access to the file would: the append-only trigger dropped first.
    ASSERT_EQ(raw.Exec("DROP TRIGGER events_no_update;"
                       "UPDATE events SET lv_case_id = 'LV-9' WHERE lv_case_id = 'LV-2'"),
              "");
  }
  fs::remove(b.media + "/journal.db-wal");  // RawDb's close checkpointed it
  ReadOnlyBindMount mount(b.media, b.ro);
  if (!mount.skip_reason().empty()) GTEST_SKIP() << mount.skip_reason();
  auto r = VerifyJournal(b.ro + "/journal.db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->ok);
  EXPECT_NE(r->why.find("a field was changed"), std::string::npos) << r->why;
}

TEST(AuditReadonlyTest, ReadOnlyAWriteAheadLogThatCannotBeReadIsSaidNotIgnored) {
  Backup b;
  b.Reopen();  // the service running: new events sit in journal.db-wal
  b.File("b.csv", {Accepted(1, "LV-3", "m3")});
  fs::copy_file(b.path, b.media + "/journal.db", fs::copy_options::overwrite_existing);
  fs::copy_file(b.path + "-wal", b.media + "/journal.db-wal");
  ASSERT_GT(fs::file_size(b.media + "/journal.db-wal"), 0u);
  ReadOnlyBindMount mount(b.media, b.ro);
  if (!mount.skip_reason().empty()) GTEST_SKIP() << mount.skip_reason();
  auto r = VerifyJournal(b.ro + "/journal.db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kIoError);
  EXPECT_NE(r.status().message().find("journal.db-wal"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("copy both files to a writable folder"), std::string::npos);
}

TEST(AuditReadonlyTest, ReadOnlyAWritableCopyIsReadTheUsualWay) {
  Backup b;
  auto r = VerifyJournal(b.media + "/journal.db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok);
  EXPECT_EQ(r->events, 3);  // FILE_RECEIVED, 2 × RECORD_ACCEPTED
}

TEST(AuditReadonlyTest, ReadOnlyAWritableCopyIsLeftAsItWas) {
  // A lone journal.db: a shared open would create journal.db-wal and journal.db-shm beside it.
  Backup b;
  const auto size = fs::file_size(b.media + "/journal.db");
  const auto mtime = fs::last_write_time(b.media + "/journal.db");
  auto r = VerifyJournal(b.media + "/journal.db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok) << r->why;
  std::ostringstream out;
  EXPECT_TRUE(ListEvents(b.media + "/journal.db", EventFilter{}, OutputFormat::kJson, out).ok());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(b.media)) names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"journal.db"});
  EXPECT_EQ(fs::file_size(b.media + "/journal.db"), size);
  EXPECT_EQ(fs::last_write_time(b.media + "/journal.db"), mtime);
}

TEST(AuditReadonlyTest, ReadOnlyAHotCopyWithItsWriteAheadLogIsReadWhole) {
  Backup b;
  b.Reopen();  // the service running: new events sit in journal.db-wal
  b.File("b.csv", {Accepted(1, "LV-3", "m3")});
  const std::string hot = b.dir / "hot";
  fs::create_directories(hot);
  fs::copy_file(b.path, hot + "/journal.db");
  fs::copy_file(b.path + "-wal", hot + "/journal.db-wal");
  auto r = VerifyJournal(hot + "/journal.db");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->ok) << r->why;
  EXPECT_EQ(r->events, 5);  // and FILE_RECEIVED, RECORD_ACCEPTED of b.csv, from the -wal
}

TEST(AuditReadonlyTest, ReadOnlyRandomBytesAreNotAJournalNotTampering) {
  Backup b;
  const std::string garbage = b.media + "/garbage.db";
  {
    std::ofstream out(garbage, std::ios::binary);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>((i * 131 + 7) % 251));
  }
  auto r = VerifyJournal(garbage);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalid) << r.status().ToString();
  EXPECT_NE(r.status().message().find("not an SQLite database"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(fs::exists(garbage + "-wal"));
  EXPECT_FALSE(fs::exists(garbage + "-shm"));
}

}  // namespace
}  // namespace liitos
