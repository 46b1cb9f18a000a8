// One order on a worker thread: the GETs of its parts, the parts' checks and digests, the import
// file made; and the worker's batches of import files written. Touches only the Fetcher it is
// given, the FileSink and pure formats code; the journal is the feed thread's (feed_fetch.cpp).

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/crypto/hash.h"
#include "base/time/helsinki_time.h"
#include "daemon/feeds/feed_fetch.h"
#include "formats/import/import_render.h"
#include "formats/import/lv_service.h"

namespace liitos {
namespace {

using Kind = Feed::Outcome::Kind;

Kind KindOf(FetchOutcome o) {
  switch (o) {
    case FetchOutcome::kOk: return Kind::kFetched;
    case FetchOutcome::kNotFound: return Kind::kNotFound;
    case FetchOutcome::kConfigFault: return Kind::kConfigFault;
    case FetchOutcome::kRetry: return Kind::kRetry;
    case FetchOutcome::kFailed: return Kind::kFailed;
  }
  return Kind::kFailed;
}

}  // namespace

void Feed::FetchTask(Fetcher& fetcher, Task& task) const {
  std::optional<std::pair<std::string, std::string>> written = task.written;
  int pending = -1;  // the outcome whose file `written` now names, while it is not yet written
  for (const FetchOrder& order : task.orders) {
    if (Stopping()) return;
    Outcome out = FetchOne(fetcher, order, written);
    if (Stopping() && out.kind == Kind::kRetry) return;  // abandoned: not an attempt to count
    if (out.kind == Kind::kUnchanged) out.relies_on = pending;
    if (out.kind == Kind::kFetched) {
      written = std::make_pair(out.digest, out.import_file);
      pending = static_cast<int>(task.outcomes.size());
    }
    task.outcomes.push_back(std::move(out));
  }
}

void Feed::WriteImports(const std::vector<Task*>& tasks) const {
  std::vector<FileToPut> files;
  std::vector<Outcome*> owners;
  for (Task* t : tasks)
    for (Outcome& o : t->outcomes)
      if (o.write_pending) {
        files.push_back({o.import_file, std::move(o.data), {}});
        owners.push_back(&o);
      }
  if (files.empty()) return;
  sink_->PutAll(files);
  for (size_t i = 0; i < files.size(); ++i) {
    Outcome& o = *owners[i];
    o.write_pending = false;
    if (files[i].result.outcome == SendOutcome::kOk) continue;
    o.kind = files[i].result.outcome == SendOutcome::kRetry ? Kind::kRetry : Kind::kConfigFault;
    o.error = files[i].result.error;
  }
  // An order found unchanged against a file that could not be written is not unchanged.
  for (Task* t : tasks)
    for (Outcome& o : t->outcomes)
      if (o.relies_on >= 0 && t->outcomes[o.relies_on].kind != Kind::kFetched) {
        o.kind = t->outcomes[o.relies_on].kind;
        o.error = "an earlier order of the application in this round could not be written: " +
                  t->outcomes[o.relies_on].error;
      }
}

Feed::Outcome Feed::FetchOne(Fetcher& fetcher, const FetchOrder& order,
                             const std::optional<std::pair<std::string, std::string>>& written) const {
  Outcome out;
  out.order = order;
  nlohmann::json detail = {{"feed", feed_.name}, {"attempt", order.attempts + 1}};
  // The FETCH_ATTEMPT detail: the GETs (Record adds why, when the order did not come through).
  auto done = [&]() -> Outcome {
    out.attempt_detail = detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return std::move(out);
  };
  nlohmann::json gets = nlohmann::json::array();
  std::vector<std::string> bodies;
  // With an import profile each part is read once, into the value the profile's pointers look
  // into; as JSON the parts are only checked, and written as they came.
  std::vector<std::pair<std::string, nlohmann::ordered_json>> values;
  bool all_ok = true;
  for (const auto& [part, xroad_id] : order.xroad_ids) {
    FetchAnswer a = fetcher.Get(lv::PartUrl(feed_.url, order.external_id, part), xroad_id, lv::RequestHeaders());
    nlohmann::json get = {{"part", part}, {"xroadId", xroad_id}, {"http", a.http_status}};
    if (!a.request_id.empty()) get["xroadRequestId"] = a.request_id;
    if (a.outcome == FetchOutcome::kOk && import_profile_ != nullptr) {
      auto value = lv::ParsePart(part, a.body);
      if (value.ok()) {
        values.emplace_back(part, std::move(*value));
      } else {
        a.outcome = FetchOutcome::kFailed;
        a.error = value.status().message();
      }
    } else if (a.outcome == FetchOutcome::kOk) {
      if (Status s = lv::CheckPartBody(part, a.body); !s.ok()) {
        a.outcome = FetchOutcome::kFailed;
        a.error = s.message();
      }
    }
    get["outcome"] = FetchOutcomeName(a.outcome);
    gets.push_back(std::move(get));
    if (a.outcome != FetchOutcome::kOk) {
      out.kind = KindOf(a.outcome);
      out.error = a.error;
      out.retry_after = a.retry_after;
      all_ok = false;
      break;
    }
    bodies.push_back(std::move(a.body));
  }
  detail["gets"] = std::move(gets);
  if (!all_ok) return done();
  std::vector<std::pair<std::string, std::string_view>> parts;
  for (size_t i = 0; i < bodies.size(); ++i) {
    const std::string& part = order.xroad_ids[i].first;
    PartDigest d{part, bodies[i].size(), Sha256Hex(bodies[i])};
    out.digest += (out.digest.empty() ? "" : " ") + part + "=" + d.sha256;
    out.parts.push_back(std::move(d));
    parts.emplace_back(part, bodies[i]);
  }
  out.import_file = lv::ImportFileName(sink_->prefix(), order.external_id, feed_.import_format);
  if (written && written->first == out.digest && written->second == out.import_file) {
    out.kind = Kind::kUnchanged;
    return done();
  }
  std::string data;
  if (import_profile_ != nullptr) {
    auto rendered = RenderImportFile(
        *import_profile_, lv::ImportDocument(order.external_id, FormatHelsinki(clock_.Now()), std::move(values)));
    if (!rendered.ok()) {
      out.kind = Kind::kRejected;
      out.error = rendered.status().message();
      return done();
    }
    data = std::move(*rendered);
  } else {
    data = lv::ImportDocumentJson(order.external_id, FormatHelsinki(clock_.Now()), parts);
  }
  out.kind = Kind::kFetched;
  out.import_sha256 = Sha256Hex(data);
  out.import_size = data.size();
  out.data = std::move(data);
  out.write_pending = true;
  return done();
}

}  // namespace liitos
