// The hash chain's walk, in parallel ranges (journal/audit/chain_walk.h).
#include "journal/audit/chain_walk.h"

#include <algorithm>
#include <charconv>
#include <array>
#include <cstring>
#include <limits>
#include <thread>
#include <vector>

#include "base/crypto/hash.h"
#include "journal/audit/audit_db.h"
#include "journal/event_hash.h"
#include "journal/audit/report_sql.h"

namespace liitos {
namespace {

// One range's walk. Its first event's seq and prev_hash are checked against the range before it
// when the ranges are joined (in seq order, as one walk would); everything else inside the range.
struct Range {
  int64_t from = 0, to = 0;
  bool any = false;        // a row was read
  int64_t first_seq = 0;
  std::string first_prev;  // the first row's prev_hash
  int64_t last_seq = 0;    // the last good row
  std::string last_hash;   // its hash
  int64_t good = 0;        // good rows before the bad one (or all)
  int64_t bad_seq = 0;     // the first bad row inside the range
  std::string why;
  Status status;
};

std::string_view Col(sqlite3_stmt* st, int i) {
  const unsigned char* p = sqlite3_column_text(st, i);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st, i)))
           : std::string_view();
}

void Decimal(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, end);
}

void Field(std::string& out, std::string_view v) {
  Decimal(out, static_cast<int64_t>(v.size()));
  out += ':';
  out.append(v);
  out += ';';
}

// Whether `hex` is `digest` in lower-case hex.
bool SameHex(const std::array<uint8_t, 32>& digest, std::string_view hex) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (hex.size() != 64) return false;
  for (size_t i = 0; i < 32; ++i)
    if (hex[2 * i] != kHex[digest[i] >> 4] || hex[2 * i + 1] != kHex[digest[i] & 15]) return false;
  return true;
}

// A number as a field: its decimal digits, length-prefixed.
void NumberField(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  Field(out, std::string_view(buf, static_cast<size_t>(end - buf)));
}

// CanonicalEvent (journal/event_hash.h) of the row selected by kChainRange, into `out`.
void Canonical(sqlite3_stmt* st, std::string& out) {
  out.assign("liitos-event-v1");
  NumberField(out, sqlite3_column_int64(st, 0));
  for (int c = 1; c <= 5; ++c) Field(out, Col(st, c));  // time, kind, source, file, file_sha256
  if (sqlite3_column_type(st, 6) == SQLITE_NULL) Field(out, {});
  else NumberField(out, sqlite3_column_int64(st, 6));
  for (int c = 7; c <= 11; ++c) Field(out, Col(st, c));  // message_id … lv_case_id, detail
}

std::string MissingWhy(int64_t expected, int64_t seq) {
  return seq == expected + 1 ? "event " + std::to_string(expected) + " is missing (a row was deleted)"
                             : "events " + std::to_string(expected) + " to " + std::to_string(seq - 1) +
                                   " are missing (rows were deleted)";
}

void WalkRange(const std::string& db_path, Range* r) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) {
    r->status = db.status();
    return;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2((*db)->raw(), sql::kChainRange, -1, &st, nullptr) != SQLITE_OK) {
    r->status = (*db)->LastError("verify");
    return;
  }
  sqlite3_bind_int64(st, 1, r->from);
  sqlite3_bind_int64(st, 2, r->to);
  std::string canonical, prev;
  Sha256 sha;
  int64_t expected = 0;  // set by the first row
  auto bad = [&](int64_t seq, std::string why) {
    r->bad_seq = seq;
    r->why = std::move(why);
  };
  for (;;) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) {
      bad(std::max(expected, r->from),
          std::string("cannot read events (corrupt database file?): ") + sqlite3_errmsg((*db)->raw()));
      break;
    }
    const int64_t seq = sqlite3_column_int64(st, 0);
    std::string_view prev_hash = Col(st, 12), hash = Col(st, 13);
    if (!r->any) {
      r->any = true;
      r->first_seq = seq;
      r->first_prev.assign(prev_hash);
    } else if (seq > expected) {
      bad(seq, MissingWhy(expected, seq));
      break;
    } else if (seq < expected) {
      bad(seq, "sequence number out of order (expected " + std::to_string(expected) + ")");
      break;
    } else if (prev_hash != prev) {
      bad(seq, "prev_hash does not match the hash of the event before (an event was inserted, removed or reordered)");
      break;
    }
    Canonical(st, canonical);
    sha.Update(prev_hash);
    sha.Update(canonical);
    if (!SameHex(sha.Digest(), hash)) {
      bad(seq, "stored hash does not match the event's content (a field was changed)");
      break;
    }
    prev.assign(hash);
    r->last_seq = seq;
    ++r->good;
    expected = seq + 1;
  }
  sqlite3_finalize(st);
  r->last_hash = prev;
}

}  // namespace

Result<ChainWalk> WalkChain(const std::string& db_path, int64_t last_seq, int threads, int64_t min_per_thread) {
  const int64_t n = std::max<int64_t>(last_seq, 0);
  const int k = static_cast<int>(std::clamp<int64_t>(n / std::max<int64_t>(min_per_thread, 1), 1, std::max(threads, 1)));
  std::vector<Range> ranges(static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) {
    ranges[i].from = i == 0 ? std::numeric_limits<int64_t>::min() : 1 + n * i / k;  // a stray seq <= 0 too
    ranges[i].to = n * (i + 1) / k;
  }
  std::vector<std::thread> workers;
  for (int i = 1; i < k; ++i) workers.emplace_back(WalkRange, db_path, &ranges[i]);
  if (n > 0) WalkRange(db_path, &ranges[0]);
  for (auto& t : workers) t.join();

  // The join: each range's first row against the last good row before it, as one walk would.
  ChainWalk out;
  std::string prev = kGenesisHash;
  int64_t expected = 1;
  for (const Range& r : ranges) {
    if (n == 0) break;
    if (!r.status.ok()) return r.status;
    if (!r.any) continue;  // every row of the range is gone: the next row shows the gap
    auto fail = [&](int64_t seq, std::string why) {
      out.first_bad_seq = seq;
      out.why = std::move(why);
      return out;
    };
    if (r.first_seq > expected) return fail(r.first_seq, MissingWhy(expected, r.first_seq));
    if (r.first_seq < expected)
      return fail(r.first_seq, "sequence number out of order (expected " + std::to_string(expected) + ")");
    if (r.first_prev != prev)
      return fail(r.first_seq,
                  "prev_hash does not match the hash of the event before (an event was inserted, removed or reordered)");
    out.events += r.good;
    if (r.bad_seq != 0) return fail(r.bad_seq, r.why);
    prev = r.last_hash;
    expected = r.last_seq + 1;
  }
  out.ok = true;
  out.last_seq = expected - 1;
  out.last_hash = prev;
  return out;
}

}  // namespace liitos
