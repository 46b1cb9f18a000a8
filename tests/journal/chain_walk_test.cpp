// The parallel chain walk gives the verdict of a walk on one thread, whatever the damage and
// wherever it falls against the ranges' edges (STYLE.md practice 13).

#include <gtest/gtest.h>

#include <filesystem>

#include "journal/audit/chain_walk.h"
#include "journal/event_hash.h"
#include "tests/journal/journal_test_util.h"

namespace liitos {
namespace {

using journal_test::Accepted;
using journal_test::Fixture;
using journal_test::RawDb;
using journal_test::Rejected;

// 40 events, some with records, some with NULLs, one with non-ASCII detail.
struct Forty : Fixture {
  Forty() {
    NewEvent e = journal_test::Ev(ev::kConfigLoaded);
    e.detail_json = R"({"config":"/etc/liitos/liitos.toml","note":"päätös € ok"})";
    EXPECT_TRUE(j->Append(e).ok());
    for (int i = 1; static_cast<int>(Count()) < 40; ++i)
      File("f" + std::to_string(i) + ".csv", {Accepted(1, "LV-" + std::to_string(i), "m" + std::to_string(i)),
                                              Rejected(2, "LV-9", "status", "bad")});
    j.reset();
  }
  int64_t Count() {
    RawDb raw(path);
    return std::stoll(raw.Scalar("SELECT count(*) FROM events"));
  }
  int64_t Last() {
    RawDb raw(path);
    return std::stoll(raw.Scalar("SELECT coalesce(max(seq), 0) FROM events"));
  }
  void Tamper(const std::string& sql) {
    RawDb raw(path);
    ASSERT_EQ(raw.Exec("DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete; " + sql), "");
  }
  // The verdict on one thread and on 1…7 ranges agree; returns it.
  ChainWalk Walk() {
    auto one = WalkChain(path, Last(), 1, 1);
    EXPECT_TRUE(one.ok());
    for (int k : {2, 3, 5, 7}) {
      auto many = WalkChain(path, Last(), k, 1);
      EXPECT_TRUE(many.ok());
      EXPECT_EQ(many->ok, one->ok) << k;
      EXPECT_EQ(many->events, one->events) << k;
      EXPECT_EQ(many->first_bad_seq, one->first_bad_seq) << k;
      EXPECT_EQ(many->why, one->why) << k;
      EXPECT_EQ(many->last_seq, one->last_seq) << k;
      EXPECT_EQ(many->last_hash, one->last_hash) << k;
    }
    return *one;
  }
};

TEST(ChainWalk, HonestChainHashesLikeCanonicalEvent) {
  Forty f;
  ChainWalk w = f.Walk();
  EXPECT_TRUE(w.ok) << w.why;
  EXPECT_EQ(w.events, f.Count());
  RawDb raw(f.path);
  EXPECT_EQ(w.last_hash, raw.Scalar("SELECT hash FROM events ORDER BY seq DESC LIMIT 1"));
}

TEST(ChainWalk, EmptyJournal) {
  Fixture f;
  f.j.reset();
  auto w = WalkChain(f.path, 0, 4, 1);
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->ok);
  EXPECT_EQ(w->last_hash, kGenesisHash);
}

TEST(ChainWalk, EveryKindOfDamageAtEveryPlaceAgrees) {
  const std::vector<std::string> damage = {
      "UPDATE events SET lv_case_id = 'LV-666' WHERE seq = %",
      "UPDATE events SET record = coalesce(record, 0) + 1000 WHERE seq = %",
      "UPDATE events SET detail = detail || ' ' WHERE seq = %",
      "UPDATE events SET prev_hash = hash WHERE seq = %",
      "UPDATE events SET seq = -seq WHERE seq = %",
      "DELETE FROM events WHERE seq = %",
      "DELETE FROM events WHERE seq IN (%, % + 1, % + 2)",
  };
  Forty honest;
  const std::string pristine = honest.dir / "pristine.db";
  std::filesystem::copy_file(honest.path, pristine);
  for (const std::string& tmpl : damage) {
    for (int at : {1, 2, 7, 13, 20, 21, 33, 40}) {
      std::filesystem::copy_file(pristine, honest.path, std::filesystem::copy_options::overwrite_existing);
      std::string sql = tmpl;
      for (size_t p; (p = sql.find('%')) != std::string::npos;) sql.replace(p, 1, std::to_string(at));
      honest.Tamper(sql);
      SCOPED_TRACE(sql);
      ChainWalk w = honest.Walk();
      // A row deleted at the very end leaves a shorter, intact chain (VerifyJournal's head record
      // check finds it); any other damage breaks the walk.
      if (tmpl.find("DELETE") == std::string::npos || at < 38) {
        EXPECT_FALSE(w.ok);
        EXPECT_LE(w.first_bad_seq, at + 3);
      }
    }
  }
}

}  // namespace
}  // namespace liitos
