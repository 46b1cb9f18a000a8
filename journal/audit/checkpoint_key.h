#pragma once
// The Ed25519 key that signs checkpoints (SPEC §7), over OpenSSL's libcrypto. It lives outside the
// journal: a PEM file, or a systemd credential. A key loaded from a private key can sign and
// verify; one loaded from a public key can only verify (what an auditor holds).
//
// Thread-safety: a loaded key is immutable; Sign and Verify may be called from any thread.

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace liitos {

class CheckpointKey {
 public:
  // An Ed25519 private key in PEM (PKCS#8, as `openssl genpkey -algorithm ed25519` writes it).
  // Refused when the file is readable by group or others (like an SSH identity), or is not an
  // Ed25519 key. NotFound when the file is missing.
  static Result<CheckpointKey> LoadPrivate(const std::string& path);
  // A public key in PEM (`openssl pkey -pubout`), or a private key PEM (its public half is used;
  // the mode is not checked, nothing is signed with it).
  static Result<CheckpointKey> LoadPublic(const std::string& path);

  bool can_sign() const { return can_sign_; }
  // Lower-case hex SHA-256 of the raw 32-byte public key: the same as
  //   openssl pkey -pubin -in PUB.pem -outform DER | tail -c 32 | sha256sum
  const std::string& fingerprint() const { return fingerprint_; }

  // The 64-byte Ed25519 signature of `message`, base64. Invalid when the key cannot sign.
  Result<std::string> Sign(std::string_view message) const;
  // Whether `signature_b64` is a valid signature of `message` by this key.
  bool Verify(std::string_view message, std::string_view signature_b64) const;

 private:
  struct Pkey;
  CheckpointKey(std::shared_ptr<Pkey> pkey, bool can_sign);
  std::shared_ptr<Pkey> pkey_;
  bool can_sign_ = false;
  std::string fingerprint_;
};

// Where the key named by `service.checkpoint_key` is read from. A name without '/' is a systemd
// credential: $CREDENTIALS_DIRECTORY/<name>, or, outside the service (a command run by root while
// it runs), /run/credentials/liitos.service/<name>. An absolute path is that file when it exists;
// otherwise, when systemd passed credentials and <that dir>/<basename> exists, that file.
std::string ResolveCheckpointKeyPath(const std::string& configured);

}  // namespace liitos
