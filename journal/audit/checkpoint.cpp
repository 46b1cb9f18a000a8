// Checkpoint lines: taking, appending and checking them (journal/audit/checkpoint.h).
#include "journal/audit/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

#include "base/fs.h"
#include "base/time/helsinki_time.h"
#include "journal/audit/audit_db.h"
#include "journal/event_hash.h"
#include "journal/audit/report_sql.h"

namespace liitos {
namespace {

constexpr std::string_view kMagic = "liitos-checkpoint-v1";

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The value of "name=value" at `field`, or nullopt when the name differs.
std::optional<std::string_view> Field(std::string_view field, std::string_view name) {
  if (field.size() <= name.size() || field.substr(0, name.size()) != name || field[name.size()] != '=')
    return std::nullopt;
  return field.substr(name.size() + 1);
}

// Makes every commit so far durable before its head is signed: a checkpoint must never name an
// event that a power cut can take back (the service commits some rounds without a sync of their
// own, SqliteJournal::SyncCommitted). The page cache is shared, so this works from any process.
Status SyncJournalFiles(const std::string& db_path) {
  for (const std::string& path : {db_path + "-wal", db_path}) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT && path != db_path) continue;
      return Status::FromErrno("checkpoint: cannot open " + path, errno);
    }
    int rc = ::fdatasync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Status::FromErrno("checkpoint: fdatasync " + path, err);
  }
  return Status::Ok();
}

}  // namespace

std::string Checkpoint::SignedText() const {
  return std::string(kMagic) + " seq=" + std::to_string(seq) + " hash=" + hash + " time=" + time + " key=" + key;
}

std::string Checkpoint::Line() const { return SignedText() + " sig=" + signature; }

Result<Checkpoint> ParseCheckpoint(std::string_view line) {
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    size_t sp = line.find(' ', start);
    fields.push_back(line.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start));
    if (sp == std::string_view::npos) break;
    start = sp + 1;
  }
  if (fields.size() != 6 || fields[0] != kMagic) return Status::Invalid("not a liitos-checkpoint-v1 line");
  static const char* const kNames[] = {"seq", "hash", "time", "key", "sig"};
  std::string_view v[5];
  for (int i = 0; i < 5; ++i) {
    auto value = Field(fields[i + 1], kNames[i]);
    if (!value) return Status::Invalid(std::string("field ") + std::to_string(i + 2) + " is not " + kNames[i] + "=…");
    v[i] = *value;
  }
  Checkpoint c;
  if (v[0].empty() || v[0].size() > 18 || !std::all_of(v[0].begin(), v[0].end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return Status::Invalid("seq is not a number");
  c.seq = std::stoll(std::string(v[0]));
  if (!IsHex64(v[1])) return Status::Invalid("hash is not 64 hex digits");
  if (!ParseIsoInstant(std::string(v[2]))) return Status::Invalid("time is not an ISO 8601 time");
  if (!IsHex64(v[3])) return Status::Invalid("key is not a fingerprint of 64 hex digits");
  c.hash = v[1];
  c.time = v[2];
  c.key = v[3];
  c.signature = v[4];
  return c;
}

Result<Checkpoint> TakeCheckpoint(const std::string& db_path, const CheckpointKey& key, SysTime now) {
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  Checkpoint c;
  c.hash = kGenesisHash;
  Query q(**db, sql::kCheckpointHead);
  auto r = q.Step();
  if (!r.ok()) return r.status();
  if (*r) {
    c.seq = q.Int(0);
    c.hash = q.Text(1);
  }
  if (Status s = SyncJournalFiles(db_path); !s.ok()) return s;
  c.time = FormatHelsinki(now);
  c.key = key.fingerprint();
  auto sig = key.Sign(c.SignedText());
  if (!sig.ok()) return sig.status();
  c.signature = std::move(*sig);
  return c;
}

Status AppendCheckpoint(const std::string& dir, const Checkpoint& c) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return Status::NotFound("checkpoint_dir " + dir + " is not a folder (not mounted?)");
  const std::string path = (std::filesystem::path(dir) / kCheckpointFile).string();
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
  if (fd < 0) return Status::FromErrno(path, errno);
  Status s = WriteAll(fd, c.Line() + "\n", path);
  if (s.ok() && ::fsync(fd) != 0) s = Status::FromErrno("fsync " + path, errno);
  ::close(fd);
  return s;
}

Result<CheckpointsResult> VerifyCheckpoints(const std::string& db_path, const std::string& dir,
                                            const CheckpointKey& key, bool copy) {
  namespace fs = std::filesystem;
  auto db = OpenAuditDb(db_path);
  if (!db.ok()) return db.status();
  int64_t last_seq = 0;
  {
    Query head(**db, sql::kCheckpointHead);
    auto r = head.Step();
    if (!r.ok()) return r.status();
    if (*r) last_seq = head.Int(0);
  }
  CheckpointsResult out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".checkpoints" && it->is_regular_file()) out.files.push_back(it->path().string());
  if (ec) return Status::IoError("checkpoints " + dir + ": " + ec.message());
  std::sort(out.files.begin(), out.files.end());
  for (const std::string& file : out.files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::IoError("cannot read " + file);
    std::string line;
    for (int64_t n = 1; std::getline(in, line); ++n) {
      if (line.empty()) continue;
      auto problem = [&](const std::string& why) {
        out.problems.push_back(fs::path(file).filename().string() + ":" + std::to_string(n) + ": " + why);
      };
      auto c = ParseCheckpoint(line);
      if (!c.ok()) {
        problem(c.status().message());
        continue;
      }
      ++out.checked;
      if (c->key != key.fingerprint()) {
        problem("signed by another key (" + c->key.substr(0, 16) + "…), not " + key.fingerprint().substr(0, 16) + "…");
        continue;
      }
      if (!key.Verify(c->SignedText(), c->signature)) {
        problem("the signature is not valid: the line was changed or not signed with this key");
        continue;
      }
      if (copy && c->seq > last_seq) {  // signed, but of events the copy does not have
        --out.checked;
        ++out.after_copy;
        continue;
      }
      std::string held = kGenesisHash;
      if (c->seq > 0) {
        Query q(**db, sql::kCheckpointEventHash);
        q.Bind(1, c->seq);
        auto r = q.Step();
        if (!r.ok()) return r.status();
        held = *r ? q.Text(0) : "";
      }
      if (held.empty()) {
        problem("event " + std::to_string(c->seq) + " of " + c->time + " is no longer in the journal");
        continue;
      }
      if (held != c->hash) {
        problem("event " + std::to_string(c->seq) + " no longer has the hash signed at " + c->time +
                " (the journal was rewritten up to that event)");
        continue;
      }
      if (c->seq >= out.latest_seq) {
        out.latest_seq = c->seq;
        out.latest_time = c->time;
      }
    }
  }
  return out;
}

}  // namespace liitos
