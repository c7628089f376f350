#ifndef MCAST_EXPORTER_TLS_MATERIAL_H_
#define MCAST_EXPORTER_TLS_MATERIAL_H_

// The TLS side of a web config, loaded into OpenSSL objects: certificate
// chain, key, client CA store and the protocol range, applied to each new
// connection (Apply) so that a reload changes the next handshake without
// restarting the server.
//
// civetweb creates the SSL_CTX itself (it dlopens libssl.so at run time);
// TlsSwitch::Install, called from civetweb's init_ssl callback, hooks a
// client-hello callback on it. That callback runs before OpenSSL picks the
// protocol version, the certificate and whether to ask for a client one,
// so every setting here is per connection and civetweb's own ssl_* options
// do not matter. Both this code and civetweb use the one libssl.so.3.

#include <memory>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "exporter/web_config.h"

namespace mcast::exporter {

class TlsMaterial {
 public:
  // Reads the files `tls` names; errors name the file and what is wrong.
  static absl::StatusOr<std::shared_ptr<const TlsMaterial>> Load(
      const TlsServerSettings& tls);
  ~TlsMaterial();
  TlsMaterial(const TlsMaterial&) = delete;
  TlsMaterial& operator=(const TlsMaterial&) = delete;

  // Sets `ssl` (an SSL*) up for one handshake. False on an OpenSSL error.
  bool Apply(void* ssl) const;

 private:
  TlsMaterial() = default;
  struct Objects;
  std::unique_ptr<Objects> o_;
  TlsServerSettings settings_;
};

// The material new handshakes use; swapped on reload.
class TlsSwitch {
 public:
  void Set(std::shared_ptr<const TlsMaterial> material);
  std::shared_ptr<const TlsMaterial> Get() const;
  // Hooks this switch into `ssl_ctx` (an SSL_CTX*). The switch must
  // outlive the context. Returns false on an OpenSSL error.
  bool Install(void* ssl_ctx);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const TlsMaterial> material_ ABSL_GUARDED_BY(mu_);
};

}  // namespace mcast::exporter

#endif  // MCAST_EXPORTER_TLS_MATERIAL_H_
