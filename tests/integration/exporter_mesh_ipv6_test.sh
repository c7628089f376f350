#!/usr/bin/env bash
# exporter_mesh_test.sh over IPv6 (ASM, ff15::77:1, MLD): members at
# fd00:10:77::K on one bridge, every pair named and receiving, a member
# added and one removed by SIGHUP. The SSM variant over IPv6 is
# netns.exporter_mesh_ssm_test.ipv6.
MCAST_FAMILY=6 exec "$(dirname "$0")/exporter_mesh_test.sh" "$@"
