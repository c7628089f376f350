#include <dlfcn.h>

#include <cstring>

#include "cli/exporter_command.h"

// Debian 12's libcivetweb (1.15, built for the OpenSSL 1.1 API) loads
// libssl.so at run time and looks up SSL_get_peer_certificate, which
// OpenSSL 3 only has as a macro over SSL_get1_peer_certificate: the lookup
// yields null and civetweb calls it after every TLS handshake (a crash on
// the first HTTPS request). civetweb resolves its OpenSSL functions with
// dlsym, so the executable's dlsym renames that one lookup and passes
// every call on, as a tail call, so the real dlsym sees the original
// caller (RTLD_NEXT keeps its meaning). SSL_get1_peer_certificate takes a
// reference, as the 1.1 function did, and civetweb frees it: the same
// contract. Only mcast-exporter has this, not the libraries or tests.
extern "C" void* dlsym(void* handle, const char* name) {
  using Dlsym = void* (*)(void*, const char*);
  static const Dlsym real =
      reinterpret_cast<Dlsym>(dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34"));
  if (std::strcmp(name, "SSL_get_peer_certificate") == 0) {
    name = "SSL_get1_peer_certificate";
  }
  return real(handle, name);
}

int main(int argc, char** argv) { return mcast::cli::RunExporter(argc, argv); }
