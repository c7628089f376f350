// How Debian 12's libcivetweb finds OpenSSL at run time, made to work on an
// installed system. Linked into mcast-exporter only (not the libraries or
// the tests), so the interposed dlopen and dlsym are the executable's.
//
// libcivetweb 1.15 (built for the OpenSSL 1.1 API) does not link OpenSSL:
// on the first TLS listener it calls dlopen("libssl.so") and
// dlopen("libcrypto.so") and looks every function up with dlsym. Two
// things break on Debian 12:
//
// 1. Those unversioned names are the development symlinks that only
//    libssl-dev ships; libssl3 has libssl.so.3 and libcrypto.so.3. Without
//    libssl-dev the dlopen fails and the TLS listener cannot start ("null
//    context when constructing CivetServer"). libssl.so.3 being loaded
//    already (tls_material links it) does not help: dlopen matches a
//    loaded object by file name or soname, and "libssl.so" is neither
//    (checked in a chroot without the symlinks; tests/package/deb_test.sh).
//    So the executable's dlopen opens the versioned names instead: the
//    libraries it is linked with, and the ones the package Depends on by
//    name (cmake/packaging.cmake; dpkg-shlibdeps cannot see a dlopen).
// 2. civetweb looks up SSL_get_peer_certificate, which OpenSSL 3 only has
//    as a macro over SSL_get1_peer_certificate: the lookup yields null and
//    civetweb calls it after every TLS handshake (a crash on the first
//    HTTPS request). The executable's dlsym renames that one lookup.
//    SSL_get1_peer_certificate takes a reference, as the 1.1 function did,
//    and civetweb frees it: the same contract.
//
// Both pass every call on to glibc's function as a tail call, so the real
// function sees the original caller (RTLD_NEXT and the caller's search
// path keep their meaning).
#include <dlfcn.h>

#include <cstring>

namespace {

// OpenSSL 3's sonames (Debian 12: package libssl3).
const char* VersionedOpenSslName(const char* file) {
  if (file == nullptr) return nullptr;
  if (std::strcmp(file, "libssl.so") == 0) return "libssl.so.3";
  if (std::strcmp(file, "libcrypto.so") == 0) return "libcrypto.so.3";
  return file;
}

}  // namespace

extern "C" void* dlopen(const char* file, int mode) {
  using Dlopen = void* (*)(const char*, int);
  static const Dlopen real =
      reinterpret_cast<Dlopen>(dlvsym(RTLD_NEXT, "dlopen", "GLIBC_2.34"));
  return real(VersionedOpenSslName(file), mode);
}

extern "C" void* dlsym(void* handle, const char* name) {
  using Dlsym = void* (*)(void*, const char*);
  static const Dlsym real =
      reinterpret_cast<Dlsym>(dlvsym(RTLD_NEXT, "dlsym", "GLIBC_2.34"));
  if (std::strcmp(name, "SSL_get_peer_certificate") == 0) {
    name = "SSL_get1_peer_certificate";
  }
  return real(handle, name);
}
