#pragma once
// Keeps a file's real name out of the journal's readable text (SPEC G6) while liitos can still
// find it and give it back: a secret of 32 random bytes in a key file (mode 0600, in the state
// directory beside the journal) gives
//   - Hmac(name): HMAC-SHA-256 of the whole name, so `journal trace REAL_NAME` finds a file whose
//     recorded name is redacted;
//   - Seal(name) / Unseal(): the name encrypted (AES-256-GCM, a fresh nonce each time), for the
//     few places that need the real bytes again after a restart (the error copy's name, the
//     receipts' names). Without the key file a sealed name is noise.

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace liitos {

class NameVault {
 public:
  // Reads the key at `key_path`; when `create` and the file is missing, makes a new key there
  // (mode 0600, written atomically). A key file readable by group or others is refused.
  static Result<std::shared_ptr<const NameVault>> Load(const std::string& key_path, bool create);

  // Hex HMAC-SHA-256 of `name` under the key.
  std::string Hmac(std::string_view name) const;
  // nonce(12) || tag(16) || ciphertext.
  std::string Seal(std::string_view name) const;
  // The name again; an error when `sealed` was not made with this key or was changed.
  Result<std::string> Unseal(std::string_view sealed) const;

 private:
  explicit NameVault(std::string key);
  std::string hmac_key_, seal_key_;  // both derived from the file's secret
};

using NameVaultPtr = std::shared_ptr<const NameVault>;

}  // namespace liitos
