#pragma once
// An Ed25519 key pair made in the test's own process (OpenSSL's EVP API), as PEM text: the same
// kind of key `openssl genpkey -algorithm ed25519` makes, without a child process.

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

namespace liitos::test_util {

struct PemKeyPair {
  std::string private_pem;  // PKCS#8, as `openssl genpkey` writes it
  std::string public_pem;   // SubjectPublicKeyInfo, as `openssl pkey -pubout` writes it
};

inline PemKeyPair NewEd25519Pem() {
  PemKeyPair out;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr),
                                                                   EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) return out;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, EVP_PKEY_free);
  auto pem = [](auto write) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || write(bio.get()) != 1) return std::string();
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<size_t>(n));
  };
  out.private_pem = pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  out.public_pem = pem([&](BIO* b) { return PEM_write_bio_PUBKEY(b, key.get()); });
  return out;
}

}  // namespace liitos::test_util
