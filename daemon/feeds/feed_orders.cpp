// A feed's order files (SPEC §11): taken from the orders source like any legacy file (SPEC §3 —
// settle or done marker, a durable spool copy, FILE_RECEIVED, then the original archived or
// deleted), read by formats/import into lines, and the lines journaled as orders.

#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "base/fs.h"
#include "base/crypto/hash.h"
#include "base/time/helsinki_time.h"
#include "base/logging.h"
#include "base/text/safe_text.h"
#include "base/crypto/uuid.h"
#include "daemon/feeds/feed.h"
#include "formats/import/order_reader.h"

namespace liitos {

Feed::Feed(const Config& cfg, const FeedConfig& feed, Journal& journal, Clock& clock, const std::atomic<bool>* stop)
    : cfg_(cfg), feed_(feed), journal_(journal), clock_(clock), stop_(stop), stuck_(clock, std::chrono::seconds(60)) {}

Result<std::unique_ptr<Feed>> Feed::Make(const Config& cfg, const FeedConfig& feed, Journal& journal, Clock& clock,
                                         const TransportContext& ctx, const std::atomic<bool>* stop, Metrics* metrics) {
  auto f = std::make_unique<Feed>(cfg, feed, journal, clock, stop);
  f->metrics_ = metrics;
  const SourceConfig* src = cfg.FindSource(feed.orders);
  f->output_cfg_ = cfg.FindDestination(feed.output);
  f->order_profile_ = src ? cfg.FindProfile(src->profile) : nullptr;
  if (!src || !f->output_cfg_ || !f->order_profile_)
    return Status::Invalid("feed " + feed.name + ": its orders source or output is not configured");
  if (feed.import_format != ImportFormat::kJson) {
    f->import_profile_ = cfg.FindImportProfile(feed.import_profile);
    if (!f->import_profile_) return Status::Invalid("feed " + feed.name + ": no import profile " + feed.import_profile);
  }
  auto source = MakeSource(*src, ctx);
  if (!source.ok()) return Status::Invalid("source " + src->name + ": " + source.status().message());
  f->source_ = std::move(*source);
  auto sink = MakeFileSink(*f->output_cfg_, ctx);
  if (!sink.ok()) return Status::Invalid("destination " + feed.output + ": " + sink.status().message());
  f->sink_ = std::move(*sink);
  for (int i = 0; i < feed.connections; ++i) {
    auto fetcher = MakeFetcher(feed, ctx.xroad_client, stop);
    if (!fetcher.ok()) return fetcher.status();
    f->fetchers_.push_back(std::move(*fetcher));
  }
  return f;
}

size_t Feed::TakeOrders() {
  source_->DrainWake();
  auto cands = source_->Poll();
  if (auto up = source_->Connected()) orders_up_ = *up ? 1 : 0;
  if (!cands.ok()) {
    spdlog::debug("{}: {}", source_->config().name, cands.status().message());
    return 0;
  }
  size_t taken = 0;
  for (const Candidate& c : *cands) {
    if (Stopping()) break;
    if (stuck_.Resting(source_->config().name, c.name)) continue;
    if (c.refused_reason) {
      QuarantineRefused(c);
    } else {
      TakeOne(c);
    }
    ++taken;
  }
  return taken;
}

void Feed::TakeOne(const Candidate& c) {
  const std::string& source = source_->config().name;
  const std::string spool_dir = cfg_.service.state_dir + "/spool/" + source;
  if (Status s = MakeDirs(spool_dir); !s.ok()) return ReportStuck(c.name, "cannot make the spool folder: " + s.message());
  const std::string spool = spool_dir + "/" + UuidV4();
  Fetched fetched;
  if (Status s = source_->Fetch(c, spool, &fetched); !s.ok()) {
    if (s.code() == Status::Code::kRetry || s.code() == Status::Code::kNotFound) return;  // changed or gone: look again
    return ReportStuck(c.name, "cannot copy it into the spool: " + s.message());
  }
  if (fetched.sha256.empty()) {
    auto sha = Sha256File(spool);
    if (!sha.ok()) {
      ::unlink(spool.c_str());
      return ReportStuck(c.name, "cannot read its spool copy: " + sha.status().message());
    }
    fetched.sha256 = *sha;
  }
  // The same order offered again (a crash after it was recorded, before it left the drop).
  auto earlier = journal_.FindFile(source, c.name, fetched.sha256);
  if (earlier.ok() && *earlier && (*earlier)->state == "received") {
    // Received, its lines not recorded (they could not be): recorded now from this copy.
    if (Status s = RecordOrder(c, **earlier, spool); !s.ok()) return ReportStuck(c.name, s.message());
    stuck_.Clear(source, c.name);
    ::unlink(spool.c_str());
    ::unlink((*earlier)->spool_path.c_str());  // the copy taken the first time
    return;
  }
  if (earlier.ok() && *earlier) {
    ::unlink(spool.c_str());
    spdlog::info("{}: {}: same name and content as an order received {}; not recorded again", source, SafeText(c.name),
                 ShowHelsinki((*earlier)->received_at));
    Status s = (*earlier)->state == "quarantined" ? source_->QuarantineOriginal(c, "refused earlier: see its receipt")
                                                  : source_->Release(c);
    if (!s.ok()) ReportStuck(c.name, "cannot take the original out of the drop: " + s.message());
    return;
  }
  auto file = journal_.RecordFileReceived(source, c.name, fetched.sha256, fetched.size, spool);
  if (!file.ok()) {
    ::unlink(spool.c_str());
    spdlog::error("{}: {}: journal: {}", source, SafeText(c.name), file.status().message());
    return;
  }
  if (metrics_) metrics_->FileReceived(source);
  if (Status s = RecordOrder(c, *file, spool); !s.ok()) {
    // Recorded but still in the drop: offered again, it is recognised and only released (or its
    // lines recorded then, if that was what failed).
    ReportStuck(c.name, s.message());
    return;
  }
  stuck_.Clear(source, c.name);
  ::unlink(spool.c_str());
}

Status Feed::RecordOrder(const Candidate& c, const FileRow& file, const std::string& spool) {
  const std::string& source = source_->config().name;
  auto lines = ReadFetchOrder(*order_profile_, spool);
  if (!lines.ok()) {
    std::string reason = SafeText(lines.status().message());
    Status s = journal_.RecordFileQuarantined(file.id, source, c.name, reason);
    if (s.ok()) s = source_->QuarantineOriginal(c, reason);
    if (!s.ok()) return s;
    if (metrics_) metrics_->FileQuarantined(source);
    WriteRefusedReceipt(file, reason);
    spdlog::warn("{}: {}: order refused: {}", source, SafeText(c.name), reason);
    return Status::Ok();
  }
  std::vector<OrderLineIn> in;
  size_t rejected = 0;
  for (const auto& l : *lines) {
    in.push_back({static_cast<int64_t>(l.line), l.external_id, l.reason});
    rejected += l.rejected();
  }
  if (Status s = journal_.RecordOrders(file.id, feed_.name, feed_.output, in, feed_.parts); !s.ok()) return s;
  if (Status s = source_->Release(c); !s.ok()) return Status::IoError("cannot take the original out of the drop: " + s.message());
  spdlog::info("{}: {}: order taken: {} to fetch, {} rejected", source, SafeText(c.name), lines->size() - rejected,
               rejected);
  return Status::Ok();
}

void Feed::QuarantineRefused(const Candidate& c) {
  const std::string& source = source_->config().name;
  if (Status s = source_->QuarantineOriginal(c, *c.refused_reason); !s.ok())
    return ReportStuck(c.name, "cannot move it to quarantine (" + *c.refused_reason + "): " + s.message());
  stuck_.Clear(source, c.name);
  if (Status s = journal_.RecordFileQuarantined(0, source, c.name, *c.refused_reason); !s.ok()) {
    spdlog::error("{}: {}: journal: {}", source, SafeText(c.name), s.message());
    return;
  }
  if (metrics_) metrics_->FileQuarantined(source);
  spdlog::warn("{}: {}: order refused: {}", source, SafeText(c.name), *c.refused_reason);
  auto file = journal_.FindFile(source, c.name, "");
  if (file.ok() && *file) WriteRefusedReceipt(**file, *c.refused_reason);
}

void Feed::ReportStuck(const std::string& name, const std::string& cause) {
  const std::string& source = source_->config().name;
  if (!stuck_.Report(source, name, cause)) return;
  spdlog::warn("{}: {}: cannot be taken, left in the drop and tried again at each rescan: {}", source, SafeText(name),
               cause);
  NewEvent e;
  e.kind = ev::kFileStuck;
  e.source = source;
  e.file = name;
  e.detail_json = nlohmann::json{{"reason", SafeText(cause)}}.dump();
  if (Status s = journal_.Append(e); !s.ok()) spdlog::error("{}: journal: {}", source, s.message());
}

void Feed::ResumeOrders() {
  auto received = journal_.FilesInState("received");
  if (!received.ok()) return;
  for (const FileRow& f : *received) {
    if (f.source != source_->config().name) continue;
    auto lines = ReadFetchOrder(*order_profile_, f.spool_path);
    Status s;
    if (!lines.ok()) {
      std::string reason = SafeText(lines.status().message());
      s = journal_.RecordFileQuarantined(f.id, f.source, f.name, reason);
      if (s.ok()) s = source_->QuarantineSpooled(f.name, f.spool_path, reason);
      if (s.ok()) WriteRefusedReceipt(f, reason);
    } else {
      std::vector<OrderLineIn> in;
      for (const auto& l : *lines) in.push_back({static_cast<int64_t>(l.line), l.external_id, l.reason});
      s = journal_.RecordOrders(f.id, feed_.name, feed_.output, in, feed_.parts);
    }
    if (!s.ok()) spdlog::error("{}: {}: resuming the order: {}", f.source, SafeText(f.name), s.message());
    else spdlog::info("{}: {}: order resumed from the spool", f.source, SafeText(f.name));
    ::unlink(f.spool_path.c_str());  // the original, if still in the drop, is recognised and released
  }
}

}  // namespace liitos
