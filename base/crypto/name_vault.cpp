#include "base/crypto/name_vault.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "base/fs.h"
#include "base/crypto/hash.h"

namespace liitos {
namespace {

constexpr size_t kSecret = 32, kNonce = 12, kTag = 16;

std::string HmacRaw(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &n);
  return std::string(reinterpret_cast<char*>(out), n);
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

NameVault::NameVault(std::string key)
    : hmac_key_(HmacRaw(key, "liitos name hmac")), seal_key_(HmacRaw(key, "liitos name seal")) {}

Result<std::shared_ptr<const NameVault>> NameVault::Load(const std::string& key_path, bool create) {
  int fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno == ENOENT && create) {
    unsigned char secret[kSecret];
    if (RAND_bytes(secret, sizeof secret) != 1) return Status::IoError("name key: no random bytes");
    // Written 0600 under a temporary name and linked into place: a second process starting at
    // the same moment keeps the key the first one linked.
    std::string tmp = key_path + ".new";
    int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (out < 0) return Status::FromErrno("create " + tmp, errno);
    Status s = WriteAll(out, std::string_view(reinterpret_cast<char*>(secret), sizeof secret), tmp);
    if (s.ok()) s = FsyncFile(out, tmp);
    ::close(out);
    if (s.ok() && ::link(tmp.c_str(), key_path.c_str()) != 0 && errno != EEXIST)
      s = Status::FromErrno("link " + key_path, errno);  // another process won the race: use its key
    ::unlink(tmp.c_str());
    if (!s.ok()) return s;
    fd = ::open(key_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  }
  if (fd < 0) return Status::FromErrno("open " + key_path, errno);
  struct stat st;
  std::string secret(kSecret, '\0');
  ssize_t n = -1;
  if (::fstat(fd, &st) == 0 && (st.st_mode & 077) == 0) n = ::read(fd, secret.data(), secret.size());
  ::close(fd);
  if ((st.st_mode & 077) != 0) return Status::Invalid(key_path + " is readable by others (must be mode 0600)");
  if (n != static_cast<ssize_t>(kSecret)) return Status::Invalid(key_path + " is not a name key (32 bytes)");
  return std::shared_ptr<const NameVault>(new NameVault(std::move(secret)));
}

std::string NameVault::Hmac(std::string_view name) const {
  std::string raw = HmacRaw(hmac_key_, name);
  return ToHex(reinterpret_cast<const uint8_t*>(raw.data()), raw.size());
}

std::string NameVault::Seal(std::string_view name) const {
  unsigned char nonce[kNonce];
  RAND_bytes(nonce, sizeof nonce);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(kNonce + kTag + name.size(), '\0');
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  std::copy(nonce, nonce + kNonce, o);
  int len = 0;
  EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(seal_key_.data()),
                     nonce);
  EVP_EncryptUpdate(ctx.get(), o + kNonce + kTag, &len, reinterpret_cast<const unsigned char*>(name.data()),
                    static_cast<int>(name.size()));
  EVP_EncryptFinal_ex(ctx.get(), o + kNonce + kTag + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, o + kNonce);
  return out;
}

Result<std::string> NameVault::Unseal(std::string_view sealed) const {
  if (sealed.size() < kNonce + kTag) return Status::Invalid("sealed name too short");
  const auto* in = reinterpret_cast<const unsigned char*>(sealed.data());
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(sealed.size() - kNonce - kTag, '\0');
  int len = 0;
  EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, reinterpret_cast<const unsigned char*>(seal_key_.data()),
                     in);
  EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, in + kNonce + kTag,
                    static_cast<int>(out.size()));
  EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, const_cast<unsigned char*>(in + kNonce));
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1)
    return Status::Invalid("sealed name does not open with this key");
  return out;
}

}  // namespace liitos
