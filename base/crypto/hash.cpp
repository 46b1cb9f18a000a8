#include "base/crypto/hash.h"

// Sha1Prefixed keeps a hashed prefix's state and copies it per message. Only the low-level
// SHA1_* calls allow that without an allocation per copy; OpenSSL 3 marks them deprecated but
// still ships them (and uses the CPU's SHA instructions in them).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>
#include <new>
#include <vector>

#include "base/fs.h"

namespace liitos {

namespace {
// Fetched once: EVP_sha256() makes every EVP_DigestInit_ex look the algorithm up again, which
// costs more than hashing a journal event.
const EVP_MD* Sha256Md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}
}  // namespace

struct Sha256::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Impl() { EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr); }
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : impl_(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;

void Sha256::Update(std::string_view data) { EVP_DigestUpdate(impl_->ctx, data.data(), data.size()); }

std::array<uint8_t, 32> Sha256::Digest() {
  std::array<uint8_t, 32> out{};
  unsigned int n = 0;
  EVP_DigestFinal_ex(impl_->ctx, out.data(), &n);
  EVP_DigestInit_ex2(impl_->ctx, Sha256Md(), nullptr);
  return out;
}

std::string Sha256::HexDigest() {
  auto d = Digest();
  return ToHex(d.data(), d.size());
}

std::string ToHex(const uint8_t* data, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[data[i] >> 4];
    s[2 * i + 1] = kHex[data[i] & 15];
  }
  return s;
}

std::string Sha256Hex(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.HexDigest();
}

std::array<uint8_t, 20> Sha1(std::string_view data) {
  // One fetched algorithm and one context per thread: SHA1() fetches and frees them per call,
  // which costs more than hashing a short name (messageIds are computed once per record).
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  struct Ctx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Ctx c;
  std::array<uint8_t, 20> out{};
  unsigned int n = 0;
  if (md == nullptr || c.ctx == nullptr || EVP_DigestInit_ex2(c.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(c.ctx, data.data(), data.size()) != 1 || EVP_DigestFinal_ex(c.ctx, out.data(), &n) != 1) {
    SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());  // the slow way
  }
  return out;
}

Sha1Prefixed::Sha1Prefixed(std::string_view prefix) {
  static_assert(sizeof(SHA_CTX) <= sizeof state_ && alignof(SHA_CTX) <= 8);
  auto* ctx = new (state_) SHA_CTX;
  SHA1_Init(ctx);
  SHA1_Update(ctx, prefix.data(), prefix.size());
}

std::array<uint8_t, 20> Sha1Prefixed::Digest(std::initializer_list<std::string_view> rest) const {
  SHA_CTX ctx;
  std::memcpy(&ctx, state_, sizeof ctx);
  for (std::string_view part : rest) SHA1_Update(&ctx, part.data(), part.size());
  std::array<uint8_t, 20> out{};
  SHA1_Final(out.data(), &ctx);
  return out;
}

Result<std::string> Sha256File(const std::string& path) {
  Sha256 h;
  Status s = ReadPieces(path, [&](std::string_view piece) {
    h.Update(piece);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return h.HexDigest();
}

}  // namespace liitos
