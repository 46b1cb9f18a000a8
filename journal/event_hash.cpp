#include "journal/event_hash.h"

#include "base/crypto/hash.h"

namespace liitos {
namespace {
void Field(std::string& out, const std::string& v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += ';';
}
}  // namespace

std::string CanonicalEvent(const Event& e) {
  std::string out = "liitos-event-v1";
  out.reserve(256 + e.detail_json.size());
  Field(out, std::to_string(e.seq));
  Field(out, e.time);
  Field(out, e.kind);
  Field(out, e.source);
  Field(out, e.file);
  Field(out, e.file_sha256);
  Field(out, e.record ? std::to_string(*e.record) : std::string());
  Field(out, e.message_id);
  Field(out, e.batch_id);
  Field(out, e.destination);
  Field(out, e.lv_case_id);
  Field(out, e.detail_json);
  return out;
}

std::string EventHash(const std::string& prev_hash, const Event& e) {
  thread_local Sha256 h;  // Digest() resets it for the next event
  h.Update(prev_hash);
  h.Update(CanonicalEvent(e));
  return h.HexDigest();
}

}  // namespace liitos
