#include "exporter/tls_material.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "util/regular_file.h"
#include "util/unique_fd.h"

namespace mcast::exporter {

struct TlsMaterial::Objects {
  ~Objects() {
    X509_free(leaf);
    EVP_PKEY_free(key);
    if (chain != nullptr) sk_X509_pop_free(chain, X509_free);
    X509_STORE_free(ca);
    if (ca_names != nullptr) sk_X509_NAME_pop_free(ca_names, X509_NAME_free);
  }
  X509* leaf = nullptr;
  EVP_PKEY* key = nullptr;
  STACK_OF(X509) * chain = nullptr;
  X509_STORE* ca = nullptr;
  STACK_OF(X509_NAME) * ca_names = nullptr;
};

namespace {

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();  // NOLINT(runtime/int)
  ERR_clear_error();
  if (e == 0) return "no PEM data";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// Accepts any certificate: RequestClientCert and RequireAnyClientCert ask
// for one without verifying it, as Go's tls does.
int AcceptAny(int, X509_STORE_CTX*) { return 1; }

int OnClientHello(SSL* ssl, int* alert, void* arg) {
  std::shared_ptr<const TlsMaterial> m = static_cast<TlsSwitch*>(arg)->Get();
  if (m == nullptr || !m->Apply(ssl)) {
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

}  // namespace

TlsMaterial::~TlsMaterial() = default;

absl::StatusOr<std::shared_ptr<const TlsMaterial>> TlsMaterial::Load(
    const TlsServerSettings& tls) {
  std::shared_ptr<TlsMaterial> m(new TlsMaterial());
  m->o_ = std::make_unique<Objects>();
  m->settings_ = tls;
  Objects& o = *m->o_;
  ERR_clear_error();
  // Regular files only: a FIFO or /dev/zero named here must not hang or
  // feed the PEM reader without end (util/regular_file.h).
  auto open = [](const std::string& path, const char* what,
                 std::FILE** f) -> absl::Status {
    absl::StatusOr<util::UniqueFd> fd = util::OpenRegularFile(path);
    if (!fd.ok() && fd.status().code() == absl::StatusCode::kInvalidArgument) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tls_server_config.", what, ": ", fd.status().message()));
    }
    *f = fd.ok() ? ::fdopen(fd->get(), "r") : nullptr;
    if (*f == nullptr) {
      return absl::NotFoundError(
          absl::StrCat("tls_server_config.", what, ": cannot read ", path));
    }
    fd->release();  // The FILE owns it now.
    return absl::OkStatus();
  };
  std::FILE* f = nullptr;
  if (absl::Status s = open(tls.cert_file, "cert_file", &f); !s.ok()) return s;
  o.leaf = PEM_read_X509(f, nullptr, nullptr, nullptr);
  if (o.leaf != nullptr) {
    o.chain = sk_X509_new_null();
    while (X509* c = PEM_read_X509(f, nullptr, nullptr, nullptr)) {
      sk_X509_push(o.chain, c);
    }
    ERR_clear_error();  // The end of the file reads as an error.
  }
  std::fclose(f);
  if (o.leaf == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls_server_config.cert_file: ", tls.cert_file,
                     ": no PEM certificate (", OpenSslError(), ")"));
  }
  if (absl::Status s = open(tls.key_file, "key_file", &f); !s.ok()) return s;
  o.key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (o.key == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls_server_config.key_file: ", tls.key_file,
        ": no unencrypted PEM private key (", OpenSslError(), ")"));
  }
  if (X509_check_private_key(o.leaf, o.key) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat("tls_server_config.key_file: ", tls.key_file,
                     " does not match the certificate in ", tls.cert_file));
  }
  if (!tls.client_ca_file.empty()) {
    // OpenSSL opens it by name; checked first, as above.
    absl::StatusOr<util::UniqueFd> fd =
        util::OpenRegularFile(tls.client_ca_file);
    if (!fd.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "tls_server_config.client_ca_file: ", fd.status().message()));
    }
    o.ca = X509_STORE_new();
    if (X509_STORE_load_file(o.ca, tls.client_ca_file.c_str()) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("tls_server_config.client_ca_file: ", tls.client_ca_file,
                       ": no PEM certificates (", OpenSslError(), ")"));
    }
    o.ca_names = SSL_load_client_CA_file(tls.client_ca_file.c_str());
    ERR_clear_error();
  }
  return std::shared_ptr<const TlsMaterial>(std::move(m));
}

bool TlsMaterial::Apply(void* ssl_ptr) const {
  SSL* ssl = static_cast<SSL*>(ssl_ptr);
  const Objects& o = *o_;
  if (SSL_use_cert_and_key(ssl, o.leaf, o.key, o.chain, 1) != 1) return false;
  if (SSL_set_min_proto_version(ssl, settings_.min_version) != 1) return false;
  if (SSL_set_max_proto_version(ssl, settings_.max_version) != 1) return false;
  int mode = SSL_VERIFY_NONE;
  SSL_verify_cb cb = nullptr;
  switch (settings_.client_auth) {
    case ClientAuth::kNoClientCert:
      break;
    case ClientAuth::kRequestClientCert:
      mode = SSL_VERIFY_PEER;
      cb = AcceptAny;
      break;
    case ClientAuth::kRequireAnyClientCert:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      cb = AcceptAny;
      break;
    case ClientAuth::kVerifyClientCertIfGiven:
      mode = SSL_VERIFY_PEER;
      break;
    case ClientAuth::kRequireAndVerifyClientCert:
      mode = SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
      break;
  }
  SSL_set_verify(ssl, mode, cb);
  if (o.ca != nullptr) {
    if (SSL_set1_verify_cert_store(ssl, o.ca) != 1) return false;
    if (o.ca_names != nullptr) {
      SSL_set_client_CA_list(ssl, SSL_dup_CA_list(o.ca_names));
    }
  }
  return true;
}

void TlsSwitch::Set(std::shared_ptr<const TlsMaterial> material) {
  absl::MutexLock lock(&mu_);
  material_ = std::move(material);
}

std::shared_ptr<const TlsMaterial> TlsSwitch::Get() const {
  absl::MutexLock lock(&mu_);
  return material_;
}

bool TlsSwitch::Install(void* ssl_ctx) {
  SSL_CTX* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  SSL_CTX_set_client_hello_cb(ctx, OnClientHello, this);
  // A session resumed from civetweb's cache would skip the client checks
  // of a newer config.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  // The context needs a certificate of its own for OpenSSL to start a
  // handshake; each connection gets the current one in OnClientHello.
  std::shared_ptr<const TlsMaterial> m = Get();
  return m != nullptr;
}

}  // namespace mcast::exporter
