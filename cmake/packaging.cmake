# What `cmake --install` installs besides the binaries (src/CMakeLists.txt),
# and the Debian package: `cmake --build build/release --target package`
# (or `cpack --config build/release/CPackConfig.cmake`) writes
# mcast-tools_<version>_amd64.deb. tests/package/deb_test.sh builds it from
# build/ci, runs lintian on it, installs it into a scratch root and purges it.

# The unit and the default config: paths chosen at install time (see the
# script).
install(CODE "set(MCAST_SOURCE_DIR [[${PROJECT_SOURCE_DIR}]])
set(MCAST_BINARY_DIR [[${PROJECT_BINARY_DIR}]])")
install(SCRIPT cmake/install_service_files.cmake)

install(DIRECTORY config/examples/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mcast-tools/examples)
# The rule unit tests (dashboards/prometheus/tests) stay in the source tree.
install(DIRECTORY dashboards/ DESTINATION ${CMAKE_INSTALL_DATADIR}/mcast-tools/dashboards
        PATTERN tests EXCLUDE)

# Man pages (src/cmd/man, roff written by hand; tests/docs/man_pages_test.sh
# keeps them in step with --help and the config loader), compressed as
# Debian wants them (gzip -9n: no name or time stamp, so reproducible).
find_program(MCAST_GZIP gzip REQUIRED)
set(MCAST_MAN_PAGES
  src/cmd/man/mcast-send.1 src/cmd/man/mcast-receive.1 src/cmd/man/mcast-status.1
  src/cmd/man/mcast-exporter.toml.5 src/cmd/man/mcast-exporter.8)
set(MCAST_GZIPPED)
macro(mcast_gzip source output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${MCAST_GZIP} -9n -c ${PROJECT_SOURCE_DIR}/${source} > ${output}
    DEPENDS ${PROJECT_SOURCE_DIR}/${source} VERBATIM)
  list(APPEND MCAST_GZIPPED ${output})
endmacro()
foreach(page IN LISTS MCAST_MAN_PAGES)
  get_filename_component(name ${page} NAME)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" section ${name})
  mcast_gzip(${page} ${PROJECT_BINARY_DIR}/man/${name}.gz)
  install(FILES ${PROJECT_BINARY_DIR}/man/${name}.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# Debian's copyright file and the changelog (a native package's is
# changelog.gz). deb_test.sh checks the changelog's newest version is the
# project's, so a version bump needs an entry.
mcast_gzip(packaging/deb/changelog ${PROJECT_BINARY_DIR}/packaging/changelog.gz)
add_custom_target(mcast_packaging_files ALL DEPENDS ${MCAST_GZIPPED})
install(FILES ${PROJECT_BINARY_DIR}/packaging/changelog.gz packaging/deb/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Bash completion: one script for the four commands, installed under each
# name so bash-completion's on-demand loader finds it for any of them.
foreach(tool mcast-send mcast-receive mcast-status mcast-exporter)
  install(FILES packaging/bash-completion/mcast-tools.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
          RENAME ${tool})
endforeach()

# The package. Depends comes from dpkg-shlibdeps on the binaries (and
# libssl3, below); no
# maintainer scripts: the exporter is not enabled or started on install
# (its config says what it sends): `systemctl enable --now mcast-exporter`.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mcast-tools)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "mcast-tools developers <mcast-tools@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "multicast test and monitoring tools with a Prometheus exporter")
# The extended description (CPack puts the summary before it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "mcast-send sends a paced stream of numbered, time-stamped probe packets to
an IPv4 or IPv6 multicast group; mcast-receive joins the group (ASM or SSM,
a chosen IGMP or MLD version) and measures loss, duplicates, reordering,
late packets, hop count, DSCP remarking, jitter and stalls; mcast-status
shows the groups each interface has joined. mcast-exporter runs such
senders and receivers without end and exports what they measure as
Prometheus metrics; Grafana dashboards and alert rules are included.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# By hand, next to what dpkg-shlibdeps finds: civetweb loads OpenSSL with
# dlopen (src/cmd/civetweb_openssl_shim.cc opens libssl.so.3 and
# libcrypto.so.3), which dpkg-shlibdeps cannot see. TLS must keep working
# even if the exporter stopped linking OpenSSL itself.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libssl3 (>= 3.0.0)")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Install with DESTDIR and the real prefix, so the install-time paths above
# are /usr and /etc, not the staging directory.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
