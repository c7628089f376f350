# Runs at install time (install(SCRIPT) in cmake/packaging.cmake), so that
# the paths follow the prefix of *this* install rather than the one the
# build was configured with: CPack's DEB generator installs the build tree
# with prefix /usr (the config then goes to /etc/mcast-tools, the binary's
# --config default, and the unit to /lib/systemd/system, Debian 12's place),
# `cmake --install build/release` with /usr/local (config in
# /usr/local/etc/mcast-tools). One build tree serves both: CI packages
# build/ci without configuring or compiling again.
#
# Set by the install(CODE) before this script: MCAST_SOURCE_DIR,
# MCAST_BINARY_DIR. file(INSTALL) puts $DESTDIR before absolute
# destinations itself.

# The same rule as GNUInstallDirs' CMAKE_INSTALL_FULL_SYSCONFDIR.
if(CMAKE_INSTALL_PREFIX STREQUAL "/" OR CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(mcast_etc "/etc")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/opt/")
  set(mcast_etc "/etc${CMAKE_INSTALL_PREFIX}")
else()
  set(mcast_etc "${CMAKE_INSTALL_PREFIX}/etc")
endif()
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(mcast_unit_dir "/lib/systemd/system")
else()
  set(mcast_unit_dir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()

# The names systemd/mcast-exporter.service.in uses.
set(MCAST_CONFIG_DIR "${mcast_etc}/mcast-tools")
set(CMAKE_INSTALL_FULL_BINDIR "${CMAKE_INSTALL_PREFIX}/bin")
string(REPLACE "//" "/" CMAKE_INSTALL_FULL_BINDIR "${CMAKE_INSTALL_FULL_BINDIR}")
set(mcast_unit "${MCAST_BINARY_DIR}/systemd/installed/mcast-exporter.service")
configure_file("${MCAST_SOURCE_DIR}/systemd/mcast-exporter.service.in"
               "${mcast_unit}" @ONLY)

set(mcast_read_only OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL "${mcast_unit}" DESTINATION "${mcast_unit_dir}"
     FILE_PERMISSIONS ${mcast_read_only})
# A conffile in the Debian package (packaging/deb/conffiles).
file(INSTALL "${MCAST_SOURCE_DIR}/config/mcast-exporter.toml"
     DESTINATION "${MCAST_CONFIG_DIR}"
     FILE_PERMISSIONS ${mcast_read_only})
