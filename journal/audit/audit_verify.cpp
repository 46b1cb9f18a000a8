// journal verify: the hash chain walk (journal/audit/audit.h).
#include <sys/stat.h>

#include <algorithm>
#include <thread>

#include "journal/audit/audit.h"
#include "journal/audit/audit_db.h"
#include "journal/audit/chain_walk.h"
#include "journal/event_hash.h"
#include "journal/event_writer.h"
#include "journal/journal_sql.h"
#include "journal/audit/report_sql.h"

namespace liitos {

namespace {

VerifyResult Bad(int64_t events, int64_t seq, std::string why) { return VerifyResult{false, events, seq, std::move(why)}; }

}  // namespace

Result<VerifyResult> VerifyJournal(const std::string& db_path) {
  auto opened = OpenAuditDb(db_path);
  if (!opened.ok()) {
    if (opened.status().code() == Status::Code::kCorruption)
      return Bad(0, 0, "database file is corrupt or truncated: " + opened.status().message());
    return opened.status();
  }
  Db& db = **opened;
  // One snapshot for the head and the checks at the end (the service may append meanwhile); the
  // chain itself is walked in parallel ranges (journal/audit/chain_walk.h) while this connection runs
  // the quick_check.
  if (Status s = db.Exec("BEGIN"); !s.ok()) return s;
  struct End {
    Db& db;
    ~End() { (void)db.Exec("COMMIT"); }
  } end{db};
  int64_t last_seq = 0;
  {
    Query q(db, sql::kChainLastSeq);
    auto r = q.Step();
    if (!r.ok()) return Bad(0, 0, "database file is corrupt or truncated: " + r.status().message());
    last_seq = q.Int(0);
  }
  std::string corrupt;
  std::thread checker([&] {
    Query q(db, sql::kQuickCheck);
    auto r = q.Step();
    if (!r.ok()) corrupt = r.status().message();
    else if (*r && q.Text(0) != "ok") corrupt = q.Text(0);
  });
  auto walk = WalkChain(db_path, last_seq, static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u)));
  checker.join();
  if (!corrupt.empty()) return Bad(0, 0, "database file is corrupt or truncated: " + corrupt);
  if (!walk.ok()) return walk.status();
  if (!walk->ok) return Bad(walk->events, walk->first_bad_seq, walk->why);
  const int64_t count = walk->events, expected = walk->last_seq + 1;
  const std::string prev = walk->last_hash;
  // Events cut off at the end leave the chain intact; the outbox still points at them.
  Query tail(db, sql::kMaxOutboxEventSeq);
  auto r = tail.Step();
  if (!r.ok()) return Bad(count, 0, "cannot read the outbox: " + r.status().message());
  if (*r && !tail.IsNull(0) && tail.Int(0) >= expected)
    return Bad(count, expected, "the outbox refers to event " + std::to_string(tail.Int(0)) +
                                    " but the journal ends at " + std::to_string(expected - 1) +
                                    " (events were deleted from the end)");
  // The head record (schema v3) names the last event ever appended.
  Query head(db, sql::kChainHead);
  auto h = head.Step();
  if (h.ok() && *h) {
    int64_t head_seq = head.Int(0);
    if (head_seq != expected - 1 || head.Text(1) != prev)
      return Bad(count, std::min(head_seq, expected),
                 "the chain ends at event " + std::to_string(expected - 1) + " but its head record names event " +
                     std::to_string(head_seq) + " (events were deleted from or added at the end)");
  } else if (h.ok() && !*h && count > 0) {
    return Bad(count, 1, "the chain's head record is missing");
  }
  return VerifyResult{true, count, 0, ""};
}

}  // namespace liitos
