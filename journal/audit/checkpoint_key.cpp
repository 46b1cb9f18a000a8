// Ed25519 over OpenSSL (journal/audit/checkpoint_key.h).
#include "journal/audit/checkpoint_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "base/fs.h"
#include "base/crypto/hash.h"

namespace liitos {

struct CheckpointKey::Pkey {
  EVP_PKEY* key = nullptr;
  ~Pkey() { EVP_PKEY_free(key); }
};

namespace {

constexpr const char* kServiceCredentials = "/run/credentials/liitos.service";

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Bio MemBio(const std::string& text) { return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free); }

Result<std::string> ReadKeyFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::FromErrno("checkpoint key " + path, errno);
  return ReadFile(path);
}

std::string Base64(const unsigned char* data, size_t n) {
  std::string out(4 * ((n + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(n));
  out.resize(len < 0 ? 0 : static_cast<size_t>(len));
  return out;
}

// Strict base64 of exactly `want` bytes; empty when it is not that.
std::vector<unsigned char> Unbase64(std::string_view text, size_t want) {
  if (text.size() != 4 * ((want + 2) / 3)) return {};
  std::vector<unsigned char> out(text.size() / 4 * 3);
  int len = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (len < 0) return {};
  size_t pad = 0;
  for (size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) ++pad;
  if (static_cast<size_t>(len) - pad != want) return {};
  out.resize(want);
  return out;
}

}  // namespace

CheckpointKey::CheckpointKey(std::shared_ptr<Pkey> pkey, bool can_sign) : pkey_(std::move(pkey)), can_sign_(can_sign) {
  unsigned char raw[32];
  size_t len = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(pkey_->key, raw, &len) == 1)
    fingerprint_ = Sha256Hex(std::string_view(reinterpret_cast<const char*>(raw), len));
}

Result<CheckpointKey> CheckpointKey::LoadPrivate(const std::string& path) {
  auto text = ReadKeyFile(path);
  if (!text.ok()) return text.status();
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    return Status::Invalid("checkpoint key " + path + " is readable by group or others (chmod 600 or 400)");
  auto bio = MemBio(*text);
  auto pkey = std::make_shared<Pkey>();
  pkey->key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!pkey->key) return Status::Invalid("checkpoint key " + path + " is not a private key in PEM");
  if (EVP_PKEY_get_id(pkey->key) != EVP_PKEY_ED25519)
    return Status::Invalid("checkpoint key " + path + " is not an Ed25519 key");
  return CheckpointKey(std::move(pkey), true);
}

Result<CheckpointKey> CheckpointKey::LoadPublic(const std::string& path) {
  auto text = ReadKeyFile(path);
  if (!text.ok()) return text.status();
  auto pkey = std::make_shared<Pkey>();
  auto bio = MemBio(*text);
  pkey->key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (!pkey->key) {
    auto again = MemBio(*text);
    pkey->key = PEM_read_bio_PrivateKey(again.get(), nullptr, nullptr, nullptr);
  }
  if (!pkey->key) return Status::Invalid("checkpoint key " + path + " is not a public or private key in PEM");
  if (EVP_PKEY_get_id(pkey->key) != EVP_PKEY_ED25519)
    return Status::Invalid("checkpoint key " + path + " is not an Ed25519 key");
  return CheckpointKey(std::move(pkey), false);
}

Result<std::string> CheckpointKey::Sign(std::string_view message) const {
  if (!can_sign_) return Status::Invalid("a public key cannot sign checkpoints");
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char sig[64];
  size_t len = sizeof(sig);
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_->key) != 1 ||
      EVP_DigestSign(ctx.get(), sig, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return Status::Fatal("Ed25519 signing failed");
  return Base64(sig, len);
}

bool CheckpointKey::Verify(std::string_view message, std::string_view signature_b64) const {
  std::vector<unsigned char> sig = Unbase64(signature_b64, 64);
  if (sig.empty()) return false;
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey_->key) == 1 &&
         EVP_DigestVerify(ctx.get(), sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(message.data()),
                          message.size()) == 1;
}

std::string ResolveCheckpointKeyPath(const std::string& configured) {
  namespace fs = std::filesystem;
  const char* dir = std::getenv("CREDENTIALS_DIRECTORY");
  const bool have_creds = dir != nullptr && *dir != '\0';
  // A command run beside the service (as root) finds the service's credential where systemd put it.
  if (configured.find('/') == std::string::npos)
    return (fs::path(have_creds ? dir : kServiceCredentials) / configured).string();
  std::error_code ec;
  if (fs::exists(configured, ec) || !have_creds) return configured;
  std::string candidate = (fs::path(dir) / fs::path(configured).filename()).string();
  return fs::exists(candidate, ec) ? candidate : configured;
}

}  // namespace liitos
