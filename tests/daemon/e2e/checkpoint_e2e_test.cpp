// Checkpoints end to end (SPEC §7): the service signs one at stop (and every interval), journals
// it and logs it; `journal checkpoint` adds one on demand; `journal verify --checkpoints` passes an
// honest journal and exits 4 once history was rewritten and honestly rechained — which plain
// `verify` cannot see. Also from a copy of the journal with only the public key (--db).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/daemon/e2e/e2e_util.h"
#include "tests/journal/rechain.h"

namespace liitos::e2e {
namespace {

std::vector<std::string> Lines(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(ReadAll(p));
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::string Sql(const fs::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* st = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
      sqlite3_column_text(st, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(h);
  return out;
}

class CheckpointE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path();
    cfg_ = WriteServiceConfig(root_);
    key_ = root_ / "checkpoint.key";
    cp_ = root_ / "audit";
    fs::create_directories(cp_);
    ASSERT_EQ(std::system(("umask 077 && openssl genpkey -algorithm ed25519 -out " + key_.string() +
                           " && openssl pkey -in " + key_.string() + " -pubout -out " + (root_ / "pub.pem").string())
                              .c_str()),
              0);
    std::string text = ReadAll(cfg_);
    ReplaceAll(&text, "log_level = \"info\"\n",
               "log_level = \"info\"\ncheckpoint_key = \"" + key_.string() + "\"\ncheckpoint_dir = \"" + cp_.string() +
                   "\"\ncheckpoint_interval = \"1h\"\n");
    WriteAll(cfg_, text);
    db_ = root_ / "state/journal.db";
  }
  RunResult Verify(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"journal", "verify", "--config", cfg_.string(), "--checkpoints", cp_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunLiitos(args);
  }
  ScratchDir dir_;
  fs::path root_, cfg_, key_, cp_, db_;
};

TEST_F(CheckpointE2e, ServiceSignsAtStopJournalsAndLogsIt) {
  WriteAll(root_ / "rakval/in/a.csv", RakvalCsv({{"LV-2026-000101", "20", "01.11.2026"}}));
  RunResult run = RunLiitos({"run", "--once", "--config", cfg_.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto lines = Lines(cp_ / "liitos.checkpoints");
  ASSERT_EQ(lines.size(), 1u);
  // It covers the last event before it: DAEMON_STOPPED; then the CHECKPOINT event says so.
  const std::string stopped = Sql(db_, "SELECT seq FROM events WHERE kind = 'DAEMON_STOPPED'");
  EXPECT_EQ(lines[0].rfind("liitos-checkpoint-v1 seq=" + stopped + " hash=", 0), 0u) << lines[0];
  EXPECT_EQ(Sql(db_, "SELECT json_extract(detail, '$.seq') FROM events WHERE kind = 'CHECKPOINT'"), stopped);
  EXPECT_EQ(Sql(db_, "SELECT kind FROM events ORDER BY seq DESC LIMIT 1"), "CHECKPOINT");
  EXPECT_NE(run.err.find("checkpoint: " + lines[0]), std::string::npos) << run.err;

  RunResult now = RunLiitos({"journal", "checkpoint", "--config", cfg_.string()});
  ASSERT_EQ(now.exit_code, 0) << now.err;
  lines = Lines(cp_ / "liitos.checkpoints");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(now.out, lines[1] + "\n");

  RunResult v = Verify();
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("checkpoints verified: 2 signed by key"), std::string::npos) << v.out;
}

TEST_F(CheckpointE2e, RewrittenHistoryPassesVerifyButNotTheCheckpoints) {
  WriteAll(root_ / "rakval/in/a.csv", RakvalCsv({{"LV-2026-000101", "20", "01.11.2026"}, {"LV-2026-000102", "30", "02.11.2026"}}));
  ASSERT_EQ(RunLiitos({"run", "--once", "--config", cfg_.string()}).exit_code, 0);
  ASSERT_EQ(Verify().exit_code, 0);
  const fs::path copy = root_ / "backup.db";
  // An early event rewritten, and every hash after it recomputed, head record included.
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(h,
                         "DROP TRIGGER events_no_update; UPDATE events SET lv_case_id = 'LV-2026-999999' "
                         "WHERE lv_case_id = 'LV-2026-000102'",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_EQ(liitos::journal_test::Rechain(h, 1), "");
  sqlite3_exec(h, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  sqlite3_close(h);
  fs::copy_file(db_, copy);

  RunResult plain = RunLiitos({"journal", "verify", "--config", cfg_.string()});
  EXPECT_EQ(plain.exit_code, 0) << "the hash chain alone sees the rewrite after all: " << plain.out;
  RunResult v = Verify();
  EXPECT_EQ(v.exit_code, 4) << v.out << v.err;
  EXPECT_NE(v.out.find("checkpoints NOT VALID: 1 of 1"), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("no longer has the hash signed at"), std::string::npos) << v.out;

  // An auditor with a copy and the public key, no configuration.
  RunResult audit = RunLiitos({"journal", "verify", "--db", copy.string(), "--checkpoints", cp_.string(),
                               "--public-key", (root_ / "pub.pem").string()});
  EXPECT_EQ(audit.exit_code, 4) << audit.out << audit.err;
  RunResult nokey = RunLiitos({"journal", "verify", "--db", copy.string(), "--checkpoints", cp_.string()});
  EXPECT_EQ(nokey.exit_code, 2);
  EXPECT_NE(nokey.err.find("--public-key"), std::string::npos) << nokey.err;
  RunResult report = RunLiitos({"journal", "report", "--db", copy.string(), "--checkpoints", cp_.string(),
                                "--public-key", (root_ / "pub.pem").string(), "--out", (root_ / "r.html").string()});
  EXPECT_EQ(report.exit_code, 4) << report.out << report.err;
  EXPECT_NE(report.out.find("hash chain intact, checkpoints NOT VALID"), std::string::npos) << report.out;
  EXPECT_NE(ReadAll(root_ / "r.html").find("NOT VALID"), std::string::npos);
}

TEST_F(CheckpointE2e, AKeyOthersCanReadStopsStartUp) {
  fs::permissions(key_, fs::perms::group_read, fs::perm_options::add);
  RunResult run = RunLiitos({"run", "--once", "--config", cfg_.string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("service.checkpoint_key"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("readable by group or others"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace liitos::e2e
