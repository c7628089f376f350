#!/usr/bin/env bash
# exporter_mesh_test.sh with an SSM mesh (232.77.0.1): each member joins one
# (S,G) per peer; adding a member adds exactly one receiver at the others.
# families: 4 6
MESH_MODE=ssm exec "$(dirname "$0")/exporter_mesh_test.sh" "$@"
