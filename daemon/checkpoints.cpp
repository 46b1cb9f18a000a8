// The service's checkpoints (daemon/checkpoints.h).
#include "daemon/checkpoints.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

#include "daemon/cli/commands.h"
#include "daemon/load.h"

namespace liitos {
namespace {

Result<CheckpointKey> LoadKey(const Config& cfg) {
  const std::string path = ResolveCheckpointKeyPath(*cfg.service.checkpoint_key);
  auto key = CheckpointKey::LoadPrivate(path);
  if (!key.ok()) return Status::Invalid("service.checkpoint_key: " + key.status().message());
  return key;
}

}  // namespace

CheckpointWriter::CheckpointWriter(CheckpointKey key, std::string dir, Millis interval, std::string db_path,
                                   Clock& clock)
    : key_(std::move(key)), dir_(std::move(dir)), interval_(interval), db_path_(std::move(db_path)), clock_(clock),
      last_(clock.Monotonic()) {}

Result<std::unique_ptr<CheckpointWriter>> CheckpointWriter::Make(const Config& cfg, Clock& clock) {
  if (!cfg.service.checkpoint_key || !cfg.service.checkpoint_dir) return std::unique_ptr<CheckpointWriter>();
  auto key = LoadKey(cfg);
  if (!key.ok()) return key.status();
  return std::unique_ptr<CheckpointWriter>(new CheckpointWriter(std::move(*key), *cfg.service.checkpoint_dir,
                                                                cfg.service.checkpoint_interval, JournalPath(cfg),
                                                                clock));
}

void CheckpointWriter::MaybeWrite(Journal& journal) {
  if (clock_.Monotonic() - last_ < interval_) return;
  Status s = Write(journal);
  if (!s.ok()) spdlog::error("checkpoint: {}", s.message());
}

Status CheckpointWriter::Write(Journal& journal) {
  last_ = clock_.Monotonic();
  auto c = TakeCheckpoint(db_path_, key_, clock_.Now());
  if (!c.ok()) return c.status();
  nlohmann::json d{{"seq", c->seq}, {"hash", c->hash}, {"key", c->key}, {"signature", c->signature}};
  Status written = AppendCheckpoint(dir_, *c);
  if (written.ok()) {
    d["file"] = dir_ + "/" + kCheckpointFile;
  } else {
    d["error"] = written.message();
    spdlog::error("checkpoint not written to {}: {}", dir_, written.message());
  }
  spdlog::info("checkpoint: {}", c->Line());
  NewEvent e;
  e.kind = ev::kCheckpoint;
  e.detail_json = d.dump();
  return journal.Append(e);
}

int WriteCheckpointNow(const Config& cfg) {
  if (!cfg.service.checkpoint_key || !cfg.service.checkpoint_dir) {
    std::cerr << "liitos journal checkpoint: the configuration sets no service.checkpoint_key and checkpoint_dir\n";
    return kExitUsage;
  }
  auto key = LoadKey(cfg);
  if (!key.ok()) {
    std::cerr << "liitos journal checkpoint: " << key.status().message() << "\n";
    return kExitRuntime;
  }
  auto c = TakeCheckpoint(JournalPath(cfg), *key, RealClock().Now());
  Status s = c.ok() ? AppendCheckpoint(*cfg.service.checkpoint_dir, *c) : c.status();
  if (!s.ok()) {
    std::cerr << "liitos journal checkpoint: " << s.message() << "\n";
    return kExitRuntime;
  }
  std::cout << c->Line() << "\n";
  return kExitOk;
}

}  // namespace liitos
