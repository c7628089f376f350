#!/usr/bin/env bash
# dashboards/grafana/provisioning/ is what generate_provisioning.py makes from
# the Prometheus rules (regenerated here: a rule edited on one side only
# fails), and it has the structure Grafana's file provisioning reads (required
# keys, unique UIDs, durations, refIds the condition and expressions refer
# to, one data source UID). Then proves both checks are not vacuous: copies
# with a drifted threshold, a drifted Prometheus alert, a duplicate UID, a
# condition on a missing refId, a bad duration, a second data source UID and a
# `query` annotation without Grafana text must each fail.
# Whether the rules fire like their Prometheus twins: prometheus_e2e_test.sh.
set -euo pipefail
SRC=${MCAST_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
GEN="$SRC/dashboards/grafana/generate_provisioning.py"
CHECK="$(dirname "$0")/grafana_provisioning_check.py"
command -v python3 >/dev/null 2>&1 || { echo "SKIP: needs python3"; exit 77; }
python3 -c 'import yaml' 2>/dev/null || { echo "SKIP: needs python3-yaml (.ci/install-deps)"; exit 77; }

python3 "$GEN" --check --source-dir "$SRC"
python3 "$CHECK" "$SRC"

# One python3 for all cases (a process per case is slow on a loaded VM).
python3 - "$SRC" "$GEN" "$CHECK" <<'PY'
import contextlib, importlib.util, io, os, shutil, sys, tempfile
src, gen_path, check_path = sys.argv[1:]
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
gen, check = load("gen", gen_path), load("check", check_path)
tmp = tempfile.mkdtemp()
ALERTING = "dashboards/grafana/provisioning/alerting/mcast-alerts.yml"
failed = 0
# must_fail(what, file, old, new, checker): the checker rejects a copy of the
# tree with `old` replaced by `new` (once) in file.
def must_fail(what, rel, old, new, checker):
    global failed
    root = os.path.join(tmp, "src")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("dashboards/grafana", "dashboards/prometheus"):
        shutil.copytree(os.path.join(src, d), os.path.join(root, d),
                        ignore=shutil.ignore_patterns("screenshots"))
    path = os.path.join(root, rel)
    text = open(path).read()
    if old not in text:
        print(f"FAIL: {what}: {old!r} is not in {rel}"); failed += 1; return
    open(path, "w").write(text.replace(old, new, 1))
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        rc = (gen.main(["--check", "--source-dir", root]) if checker == "regen"
              else check.main(["check", root]))
    first = next((l for l in out.getvalue().splitlines()
                  if l.startswith(("PROVISIONING:", "generate_provisioning:"))), "")
    if rc == 0:
        print(out.getvalue() + f"FAIL: accepted {what}"); failed += 1
    else:
        print(f"ok: rejects {what}: {first}")
must_fail("a Grafana threshold edited by hand (loss 1 % -> 5 %)", ALERTING,
          "- 0.01\n", "- 0.05\n", "regen")
must_fail("a Prometheus alert changed without regenerating", "dashboards/prometheus/mcast-alerts.yml",
          "expr: mcast_rx_joined == 0", "expr: mcast_rx_joined == 1", "regen")
must_fail("a dashboard changed without regenerating", "dashboards/grafana/mcast-flow.json",
          '"title": "Multicast probes: flow detail"', '"title": "Flow"', "regen")
must_fail("a Prometheus annotation with a query and no Grafana text",
          "dashboards/grafana/grafana-alerting.yml", "  McastPathChanged:\n", "  McastPathChangedX:\n", "regen")
must_fail("a Prometheus alert the generator cannot split into query and threshold",
          "dashboards/prometheus/mcast-alerts.yml", "expr: mcast_rx_joined == 0",
          "expr: mcast_rx_joined == 0 and on() vector(1)", "regen")
must_fail("a duplicate rule uid", ALERTING, "uid: mcast-flow-waiting", "uid: mcast-flow-stalled", "check")
must_fail("a condition on a refId the rule does not have", ALERTING, "condition: C", "condition: D", "check")
must_fail("an expression on a refId the rule does not have", ALERTING, "expression: A", "expression: Q", "check")
must_fail("an invalid 'for' duration", ALERTING, "for: 5m", "for: 5 minutes", "check")
must_fail("a 'for' that differs from the Prometheus alert", ALERTING, "for: 10m", "for: 5m", "check")
must_fail("a second data source UID", ALERTING, "datasourceUid: *datasource",
          "datasourceUid: other-prometheus", "check")
must_fail("a threshold type Grafana 10 does not have", ALERTING, "type: gt", "type: gte", "check")
must_fail("an annotation naming other $labels than the Prometheus one", ALERTING,
          "{{ $labels.interface }}", "{{ $labels.ifname }}", "check")
must_fail("a label with $ (Grafana expands it)", ALERTING, "severity: warning", "severity: $SEV", "check")
shutil.rmtree(tmp)
sys.exit(1 if failed else 0)
PY
echo "PASS: Grafana provisioning is generated from the Prometheus rules and has Grafana's structure"
