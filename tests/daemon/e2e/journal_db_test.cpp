// `liitos journal … --db FILE` through the real binary: any copy of a journal, a backup on
// read-only media too, without a configuration; and the CSV export that no spreadsheet runs.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/daemon/e2e/e2e_util.h"
#include "tests/journal/ro_mount.h"

namespace liitos::e2e {
namespace {

using test_mount::ReadOnlyBindMount;

class JournalDbTest : public ::testing::Test {
 protected:
  // One `run --once` over a file whose name is a spreadsheet formula; the journal then copied
  // (closed, so no -wal is left) to media/.
  void SetUp() override {
    cfg_ = WriteServiceConfig(root(), "100ms");
    WriteAll(root() / "rakval/in" / kFormulaName, RakvalCsv({{"LV-DB-1", "10", "02.11.2026"}}));
    auto r = RunLiitos({"run", "--once", "--config", cfg_.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_FALSE(fs::exists(root() / "state/journal.db-wal"));
    fs::create_directories(root() / "media");
    fs::copy_file(root() / "state/journal.db", root() / "media/journal.db");
  }
  fs::path root() const { return dir_.path(); }

  static constexpr const char* kFormulaName = "=1+cmd|calc!A1.csv";
  ScratchDir dir_;
  fs::path cfg_;
};

TEST_F(JournalDbTest, CsvExportPrefixesAFormulaFileName) {
  auto r = RunLiitos({"journal", "export", "--format", "csv", "--config", cfg_.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(std::string(";'") + kFormulaName + ";"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(std::string(";") + kFormulaName), std::string::npos);
}

TEST_F(JournalDbTest, VerifyListAndTraceACopyOnReadOnlyMediaWithoutAConfig) {
  ReadOnlyBindMount mount((root() / "media").string(), (root() / "ro").string());
  if (!mount.skip_reason().empty()) GTEST_SKIP() << mount.skip_reason();
  const std::string db = (root() / "ro/journal.db").string();
  auto v = RunLiitos({"journal", "verify", "--db", db});
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("hash chain intact"), std::string::npos) << v.out;
  auto l = RunLiitos({"journal", "list", "--db", db, "--kind", "FILE_RECEIVED"});
  EXPECT_EQ(l.exit_code, 0) << l.err;
  EXPECT_NE(l.out.find(kFormulaName), std::string::npos) << l.out;
  auto t = RunLiitos({"journal", "trace", "LV-DB-1", "--db", db});
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("BATCH_DELIVERED"), std::string::npos) << t.out;
}

TEST_F(JournalDbTest, VerifyExitCodesForTamperedAndMissingCopies) {
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((root() / "media/journal.db").c_str(), &db), SQLITE_OK);
    // As someone with write access to the file would: the append-only trigger dropped first.
    ASSERT_EQ(sqlite3_exec(db,
                           "DROP TRIGGER events_no_update;"
                           "UPDATE events SET lv_case_id = 'LV-DB-9' WHERE lv_case_id = 'LV-DB-1'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  ReadOnlyBindMount mount((root() / "media").string(), (root() / "ro").string());
  if (!mount.skip_reason().empty()) GTEST_SKIP() << mount.skip_reason();
  auto tampered = RunLiitos({"journal", "verify", "--db", (root() / "ro/journal.db").string()});
  EXPECT_EQ(tampered.exit_code, 4) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("journal TAMPERED"), std::string::npos) << tampered.out;
  auto missing = RunLiitos({"journal", "verify", "--db", (root() / "ro/nope.db").string()});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
}

TEST_F(JournalDbTest, VerifyOfAFileThatIsNoDatabaseCannotOpenIt) {
  // Random bytes are not a journal: exit 1 (cannot be opened), never 4 (tampering).
  std::string bytes(8192, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>((i * 131 + 7) % 251);
  WriteAll(root() / "garbage.db", bytes);
  auto r = RunLiitos({"journal", "verify", "--db", (root() / "garbage.db").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("not an SQLite database"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(root() / "garbage.db-wal"));
  EXPECT_FALSE(fs::exists(root() / "garbage.db-shm"));
}

}  // namespace
}  // namespace liitos::e2e
