#!/usr/bin/env python3
"""Generates dashboards/grafana/provisioning/ from the files it is derived from.

  provisioning/alerting/mcast-alerts.yml   Grafana-managed alert rules, one per
      alert of dashboards/prometheus/mcast-alerts.yml (the one hand-edited
      source): the same PromQL as query A, a reduce B, a threshold C, the same
      "for", labels and summary/description. Grafana-only fields come from
      dashboards/grafana/grafana-alerting.yml.
  provisioning/dashboards/mcast/*.json     dashboards/grafana/*.json, ready for
      file provisioning (no import-time "__inputs"; the data source variable
      starts at the default Prometheus data source).

Run it after changing an alert, a recording rule or a dashboard:
    dashboards/grafana/generate_provisioning.py
--check: change nothing, exit 1 if the checked-in files differ (CI runs this).
--datasource-uid UID: write UID instead of grafana-alerting.yml's default.

How an alert becomes a Grafana rule:
  * Recorded series (mcast-recording.yml) are replaced by their expression:
    Grafana queries the data source directly, which need not run the rules.
  * "QUERY OP NUMBER" at the top level becomes query A = QUERY and a
    threshold on it (Grafana 10 has gt, lt, within_range, outside_range only:
    == and != compare within +-1e-6, >= and <= move the bound by 1e-6).
    absent(...) returns 1 or nothing: query A = the expression, threshold > 0.
    Anything else (and/or/unless at the top, bool) is an error: write the
    alert in that form or teach this script.
  * Annotations: $value becomes $values.B.Value (Grafana's $value is text).
    Grafana templates have no `query`: such annotations need Grafana text in
    grafana-alerting.yml, which must name the same $labels.
"""
import argparse
import json
import os
import re
import sys

import yaml

SELF = os.path.abspath(__file__)
DEFAULT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(SELF)))

ALERTS = "dashboards/prometheus/mcast-alerts.yml"
RECORDING = "dashboards/prometheus/mcast-recording.yml"
SIDE = "dashboards/grafana/grafana-alerting.yml"
DASHBOARDS = "dashboards/grafana"
OUT_ALERTING = "dashboards/grafana/provisioning/alerting/mcast-alerts.yml"
OUT_DASHBOARDS = "dashboards/grafana/provisioning/dashboards/mcast"

# Written as a YAML anchor on the first query, an alias on the others.
UID_PLACEHOLDER = "__MCAST_DATASOURCE_UID__"
EPSILON = 1e-6
GRAFANA_UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


class GenError(Exception):
    pass


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def recorded_exprs(path):
    out = {}
    for group in load_yaml(path).get("groups", []):
        for rule in group.get("rules", []):
            if "record" in rule:
                out[rule["record"]] = rule["expr"].strip()
    return out


def inline_recorded(name, expr, recorded):
    for rec, rec_expr in recorded.items():
        pat = re.compile(r"(?<![\w:])" + re.escape(rec) + r"(?![\w:])(\s*[{\[])?")
        for m in pat.finditer(expr):
            if m.group(1):
                raise GenError(f"{name}: the recorded series {rec} is used with a selector or "
                               "range; only its bare name can be replaced by its expression")
        expr = pat.sub(lambda _: "(" + rec_expr + ")", expr)
    return expr


def top_level_words(expr):
    """The expression with everything inside (), {}, [] and strings blanked."""
    out, depth, quote = [], 0, None
    i = 0
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == "\\":
                out.append("  ")
                i += 2
                continue
            if c == quote:
                quote = None
            out.append(" ")
        elif c in "\"'`":
            quote = c
            out.append(" ")
        elif c in "([{":
            depth += 1
            out.append(" ")
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                raise GenError(f"unbalanced brackets in: {expr}")
            out.append(" ")
        else:
            out.append(c if depth == 0 else " ")
        i += 1
    if depth or quote:
        raise GenError(f"unbalanced brackets or quotes in: {expr}")
    return "".join(out)


def split_threshold(name, expr):
    """(query, evaluator) such that Grafana's threshold on the query's values
    selects the series the Prometheus expression returns."""
    e = expr.strip()
    m = re.match(r"^(absent|absent_over_time)\s*\(", e)
    if m and e.endswith(")") and top_level_words(e).strip() == m.group(1):
        return e, {"type": "gt", "params": [0]}
    m = re.match(r"^(?P<lhs>.+?)\s*(?P<op>==|!=|>=|<=|>|<)\s*(?P<num>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*$",
                 e, re.S)
    if not m:
        raise GenError(f"{name}: expression is not 'QUERY OP NUMBER' or absent(...): {e}")
    lhs, op, v = m.group("lhs").strip(), m.group("op"), float(m.group("num"))
    words = top_level_words(lhs)
    if re.search(r"\b(and|or|unless)\b", words):
        raise GenError(f"{name}: and/or/unless bind looser than '{op}': cannot split {e}")
    if re.search(r"\bbool\s*$", words):
        raise GenError(f"{name}: a 'bool' comparison returns every series: cannot split {e}")
    if re.search(r"(==|!=|>=|<=|>|<)\s*$", lhs):
        raise GenError(f"{name}: cannot split {e}")
    evaluator = {
        ">": ("gt", [v]),
        "<": ("lt", [v]),
        ">=": ("gt", [v - EPSILON]),
        "<=": ("lt", [v + EPSILON]),
        "==": ("within_range", [v - EPSILON, v + EPSILON]),
        "!=": ("outside_range", [v - EPSILON, v + EPSILON]),
    }[op]
    params = [int(p) if p == int(p) else round(p, 9) for p in evaluator[1]]
    return lhs, {"type": evaluator[0], "params": params}


def label_refs(text):
    return set(re.findall(r"\$labels\.(\w+)", text))


def runs_query(text):
    return re.search(r"\|\s*query\b", text) is not None


def kebab_uid(alert):
    base = alert[len("Mcast"):] if alert.startswith("Mcast") else alert
    return "mcast-" + re.sub(r"(?<!^)(?=[A-Z])", "-", base).lower()


def grafana_annotations(name, annotations, overrides):
    out = {}
    for key, text in annotations.items():
        text = " ".join(str(text).split()) if "\n" not in str(text).strip() else str(text).strip()
        if key in overrides:
            if not runs_query(text):
                raise GenError(f"{name}: grafana-alerting.yml overrides annotation '{key}', whose "
                               "Prometheus text Grafana can use as it is: remove the override")
            new = " ".join(str(overrides[key]).split())
            if label_refs(new) != label_refs(text):
                raise GenError(f"{name}: the Grafana '{key}' names $labels {sorted(label_refs(new))}, "
                               f"the Prometheus one {sorted(label_refs(text))}")
            text = new
        elif runs_query(text):
            raise GenError(f"{name}: annotation '{key}' runs a query, which Grafana templates "
                           "cannot: give its Grafana text in grafana-alerting.yml")
        text = re.sub(r"\$value\b(?!s)", "$values.B.Value", text)
        out[key] = text
    for key in overrides:
        if key not in annotations:
            raise GenError(f"{name}: grafana-alerting.yml overrides annotation '{key}', "
                           "which the Prometheus rule does not have")
    return out


def make_rule(rule, recorded, side_rule):
    name = rule["alert"]
    unknown = sorted(set(rule) - {"alert", "expr", "for", "labels", "annotations"})
    if unknown:
        raise GenError(f"{name}: {unknown} has no Grafana counterpart here: teach this script")
    expr = inline_recorded(name, str(rule["expr"]), recorded)
    query, evaluator = split_threshold(name, expr)
    if "$" in query:
        raise GenError(f"{name}: '$' in the query would be read as an environment variable "
                       "by Grafana's provisioning")
    labels = {str(k): str(v) for k, v in (rule.get("labels") or {}).items()}
    for k, v in labels.items():
        if "$" in v or "{{" in v:
            raise GenError(f"{name}: label {k}={v!r}: Grafana expands $ in provisioned labels")
    uid = side_rule.get("uid", kebab_uid(name))
    if not GRAFANA_UID.match(uid):
        raise GenError(f"{name}: Grafana rule UID {uid!r} is not 1-40 of [A-Za-z0-9_-]: "
                       f"set rules.{name}.uid in grafana-alerting.yml")
    expr_ds = {"type": "__expr__", "uid": "__expr__"}
    return {
        "uid": uid,
        "title": name,
        "condition": "C",
        "data": [
            {"refId": "A", "relativeTimeRange": {"from": 600, "to": 0},
             "datasourceUid": UID_PLACEHOLDER,
             "model": {"refId": "A", "expr": query, "instant": True, "range": False,
                       "editorMode": "code", "intervalMs": 60000, "maxDataPoints": 43200}},
            {"refId": "B", "relativeTimeRange": {"from": 0, "to": 0}, "datasourceUid": "__expr__",
             "model": {"refId": "B", "type": "reduce", "expression": "A", "reducer": "last",
                       "datasource": expr_ds}},
            {"refId": "C", "relativeTimeRange": {"from": 0, "to": 0}, "datasourceUid": "__expr__",
             "model": {"refId": "C", "type": "threshold", "expression": "B",
                       "conditions": [{"evaluator": evaluator}], "datasource": expr_ds}},
        ],
        "noDataState": "OK",
        "execErrState": "Error",
        "for": str(rule.get("for", "0m")),
        "labels": labels,
        "annotations": grafana_annotations(name, rule.get("annotations") or {},
                                           (side_rule.get("annotations") or {})),
        "isPaused": False,
    }


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the only alias is the data source UID
        return True

    def increase_indent(self, flow=False, indentless=False):  # indent lists under their key
        return super().increase_indent(flow, False)


def _str(dumper, s):
    style = "|" if "\n" in s else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=style)


Dumper.add_representer(str, _str)

HEADER = """\
# GENERATED by dashboards/grafana/generate_provisioning.py from
# dashboards/prometheus/mcast-alerts.yml (and mcast-recording.yml,
# dashboards/grafana/grafana-alerting.yml). Do not edit the rules here: edit
# the Prometheus rules and re-run the script; CI fails when this file differs.
#
# Grafana-managed alert rules for mcast-exporter (Grafana 10 and 11). Copy
# dashboards/grafana/provisioning/ into /etc/grafana/provisioning/ and restart
# Grafana. The ONE thing to set: your Prometheus data source UID, on the line
# marked "&datasource" below (every other query refers to it as *datasource),
# or generate with --datasource-uid UID.
#
# Each rule: query A = the Prometheus alert's PromQL (recorded series written
# out; a top-level "OP NUMBER" moved into the threshold), reduce B = last,
# threshold C = the alert condition; same "for", labels and annotations.
"""


def render_alerting(root, datasource_uid=None):
    recorded = recorded_exprs(os.path.join(root, RECORDING))
    side = load_yaml(os.path.join(root, SIDE)) or {}
    side_rules = side.get("rules") or {}
    prom = load_yaml(os.path.join(root, ALERTS))
    groups, seen = [], set()
    for group in prom["groups"]:
        rules = []
        for rule in group["rules"]:
            if "alert" not in rule:
                continue
            seen.add(rule["alert"])
            rules.append(make_rule(rule, recorded, side_rules.get(rule["alert"], {})))
        if rules:
            groups.append({"orgId": 1, "name": group["name"], "folder": side["folder"],
                           "interval": side["interval"], "rules": rules})
    unknown = sorted(set(side_rules) - seen)
    if unknown:
        raise GenError(f"grafana-alerting.yml has rules no Prometheus alert has: {unknown}")
    uids = [r["uid"] for g in groups for r in g["rules"]]
    dup = sorted({u for u in uids if uids.count(u) > 1})
    if dup:
        raise GenError(f"duplicate Grafana rule UIDs: {dup}")
    text = yaml.dump({"apiVersion": 1, "groups": groups}, Dumper=Dumper, sort_keys=False,
                     width=100000, allow_unicode=True, default_flow_style=False)
    uid = datasource_uid or side["datasource_uid"]
    if not GRAFANA_UID.match(uid):
        raise GenError(f"data source UID {uid!r} is not 1-40 of [A-Za-z0-9_-]")
    first = f"datasourceUid: {UID_PLACEHOLDER}"
    if first not in text:
        raise GenError("no data source query generated")
    text = text.replace(first, f"datasourceUid: &datasource {uid}  # <- your Prometheus data source UID", 1)
    text = text.replace(first, "datasourceUid: *datasource")
    return HEADER + text


def render_dashboards(root):
    out = {}
    src = os.path.join(root, DASHBOARDS)
    for fname in sorted(os.listdir(src)):
        if not fname.endswith(".json"):
            continue
        with open(os.path.join(src, fname), encoding="utf-8") as f:
            d = json.load(f)
        d.pop("__inputs", None)
        for var in d.get("templating", {}).get("list", []):
            if var.get("type") == "datasource":
                var["current"] = {}
        out[fname] = json.dumps(d, indent=2, ensure_ascii=False) + "\n"
    return out


def outputs(root, datasource_uid=None):
    files = {OUT_ALERTING: render_alerting(root, datasource_uid)}
    for fname, text in render_dashboards(root).items():
        files[os.path.join(OUT_DASHBOARDS, fname)] = text
    return files


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the checked-in files differ")
    ap.add_argument("--source-dir", default=DEFAULT_ROOT, help="repository root")
    ap.add_argument("--datasource-uid", help="Prometheus data source UID to write")
    args = ap.parse_args(argv)
    root = args.source_dir
    try:
        files = outputs(root, args.datasource_uid)
    except (GenError, KeyError, TypeError) as e:
        print(f"generate_provisioning: {e}", file=sys.stderr)
        return 1
    stale = []
    for d in (os.path.dirname(OUT_ALERTING), OUT_DASHBOARDS):
        full = os.path.join(root, d)
        if os.path.isdir(full):
            for fname in sorted(os.listdir(full)):
                if os.path.join(d, fname) not in files:
                    stale.append(os.path.join(d, fname))
    if args.check:
        bad = list(stale)
        for rel, text in files.items():
            path = os.path.join(root, rel)
            try:
                with open(path, encoding="utf-8") as f:
                    if f.read() == text:
                        continue
            except FileNotFoundError:
                pass
            bad.append(rel)
        if bad:
            print("generate_provisioning: out of date (run dashboards/grafana/generate_provisioning.py): "
                  + ", ".join(bad), file=sys.stderr)
            return 1
        print(f"generate_provisioning: {len(files)} files up to date")
        return 0
    for rel in stale:  # Grafana reads every file in provisioning/alerting/
        os.remove(os.path.join(root, rel))
        print(f"removed {rel}")
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
