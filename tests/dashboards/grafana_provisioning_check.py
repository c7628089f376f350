#!/usr/bin/env python3
"""Checks dashboards/grafana/provisioning/ against the structure Grafana's
file provisioning documents (alerting: apiVersion 1, groups of rules;
dashboards: a file provider), without a Grafana server, and against the
Prometheus rules it stands for.

usage: grafana_provisioning_check.py SOURCE_DIR
Prints "PROVISIONING: ..." per problem and exits 1 if there is any.

Independent of generate_provisioning.py: what Grafana reads, checked from
the outside (the field names and value sets of Grafana 10 and 11's
AlertRuleV1 / QueryV1 / threshold and reduce expressions).
"""
import json
import os
import re
import sys

import yaml

# Prometheus/Grafana duration (prometheus/common model.ParseDuration).
DURATION = re.compile(r"^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$")
UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
NO_DATA = {"NoData", "Alerting", "OK"}
EXEC_ERR = {"Alerting", "Error"}  # both valid in Grafana 10 and 11
THRESHOLDS = {"gt": 1, "lt": 1, "within_range": 2, "outside_range": 2}
REDUCERS = {"last", "mean", "min", "max", "sum", "count"}
RULE_KEYS = {"uid", "title", "condition", "data", "noDataState", "execErrState", "for",
             "labels", "annotations", "isPaused", "dashboardUid", "panelId", "keepFiringFor"}
QUERY_KEYS = {"refId", "queryType", "relativeTimeRange", "datasourceUid", "model"}
GROUP_KEYS = {"orgId", "name", "folder", "interval", "rules"}

problems = []


def bad(msg):
    problems.append(msg)


def seconds(d):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)(ms|y|w|d|h|m|s)", d))


def check_rule(where, rule, ds_uids):
    for k in ("uid", "title", "condition", "data"):
        if not rule.get(k):
            bad(f"{where}: required key '{k}' missing or empty")
    for k in set(rule) - RULE_KEYS:
        bad(f"{where}: unknown key '{k}'")
    if not UID.match(str(rule.get("uid", ""))):
        bad(f"{where}: uid {rule.get('uid')!r} is not 1-40 of [A-Za-z0-9_-]")
    if not DURATION.match(str(rule.get("for", "0"))) or str(rule.get("for", "0")) == "":
        bad(f"{where}: 'for' {rule.get('for')!r} is not a duration")
    if rule.get("noDataState", "NoData") not in NO_DATA:
        bad(f"{where}: noDataState {rule.get('noDataState')!r} not in {sorted(NO_DATA)}")
    if rule.get("execErrState", "Alerting") not in EXEC_ERR:
        bad(f"{where}: execErrState {rule.get('execErrState')!r} not in {sorted(EXEC_ERR)}")
    for k, v in (rule.get("labels") or {}).items():
        if not isinstance(v, str) or "$" in v:
            bad(f"{where}: label {k}={v!r} is not a plain string (Grafana expands $ in labels)")
    ann = rule.get("annotations") or {}
    for k in ("summary", "description"):
        if not str(ann.get(k, "")).strip():
            bad(f"{where}: annotation '{k}' missing")
    for k, v in ann.items():
        if re.search(r"\|\s*query\b", str(v)):
            bad(f"{where}: annotation '{k}' runs `query`, which Grafana templates do not have")
        if re.search(r"\$value\b(?!s)", str(v)):
            bad(f"{where}: annotation '{k}' uses $value (text in Grafana): use $values.B.Value")
        for ref in re.findall(r"\$values\.(\w+)", str(v)):
            if ref not in {q.get("refId") for q in rule.get("data") or []}:
                bad(f"{where}: annotation '{k}' reads $values.{ref}, no such refId")
    data = rule.get("data") or []
    refs = [q.get("refId") for q in data]
    if len(set(refs)) != len(refs) or not all(refs):
        bad(f"{where}: refIds {refs} are not unique and non-empty")
    by_ref = {q.get("refId"): q for q in data}
    if rule.get("condition") not in by_ref:
        bad(f"{where}: condition {rule.get('condition')!r} is not one of the refIds {refs}")
    for q in data:
        qw = f"{where} [{q.get('refId')}]"
        for k in set(q) - QUERY_KEYS:
            bad(f"{qw}: unknown key '{k}'")
        model = q.get("model") or {}
        if model.get("refId") != q.get("refId"):
            bad(f"{qw}: model.refId {model.get('refId')!r} differs")
        if q.get("datasourceUid") == "__expr__":
            typ = model.get("type")
            ref = model.get("expression")
            if ref not in by_ref or ref == q.get("refId"):
                bad(f"{qw}: expression refers to {ref!r}, not another refId of the rule")
            if typ == "reduce":
                if model.get("reducer") not in REDUCERS:
                    bad(f"{qw}: reducer {model.get('reducer')!r} not in {sorted(REDUCERS)}")
            elif typ == "threshold":
                conds = model.get("conditions") or []
                if len(conds) != 1:
                    bad(f"{qw}: a threshold has exactly one condition, not {len(conds)}")
                for c in conds:
                    ev = c.get("evaluator") or {}
                    n = THRESHOLDS.get(ev.get("type"))
                    if n is None:
                        bad(f"{qw}: evaluator type {ev.get('type')!r} not in {sorted(THRESHOLDS)}")
                    elif len(ev.get("params") or []) != n or not all(
                            isinstance(p, (int, float)) for p in ev["params"]):
                        bad(f"{qw}: evaluator {ev.get('type')} needs {n} numeric params: {ev.get('params')}")
            else:
                bad(f"{qw}: expression type {typ!r} (expected reduce or threshold)")
        else:
            if not q.get("datasourceUid"):
                bad(f"{qw}: datasourceUid missing")
            ds_uids.add(q.get("datasourceUid"))
            if not str(model.get("expr", "")).strip():
                bad(f"{qw}: model.expr empty")
            if "$" in str(model.get("expr", "")):
                bad(f"{qw}: '$' in expr (read as an environment variable by provisioning)")
            rtr = q.get("relativeTimeRange") or {}
            if not (isinstance(rtr.get("from"), int) and isinstance(rtr.get("to"), int)
                    and rtr["from"] > rtr["to"] >= 0):
                bad(f"{qw}: relativeTimeRange {rtr} is not from > to >= 0 seconds")
    # The condition depends, through expressions, on a data source query.
    seen, ref = set(), rule.get("condition")
    while ref in by_ref and ref not in seen:
        seen.add(ref)
        q = by_ref[ref]
        if q.get("datasourceUid") != "__expr__":
            break
        ref = (q.get("model") or {}).get("expression")
    else:
        bad(f"{where}: condition does not lead to a data source query (cycle or missing refId)")


def check_alerting(src):
    path = os.path.join(src, "dashboards/grafana/provisioning/alerting/mcast-alerts.yml")
    adir = os.path.dirname(path)
    for f in os.listdir(adir):  # Grafana parses every file there and fails on other suffixes
        if f != "mcast-alerts.yml":
            bad(f"alerting/: unexpected file {f} (Grafana reads every file in this directory)")
    text = open(path, encoding="utf-8").read()
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        bad(f"{path}: not YAML: {e}")
        return None
    if doc.get("apiVersion") != 1:
        bad(f"alerting: apiVersion {doc.get('apiVersion')!r}, Grafana reads 1")
    groups = doc.get("groups") or []
    if not groups:
        bad("alerting: no groups")
    uids, ds_uids, titles = [], set(), {}
    for g in groups:
        gw = f"group {g.get('name')!r}"
        for k in ("name", "folder", "interval", "rules"):
            if not g.get(k):
                bad(f"{gw}: required key '{k}' missing")
        for k in set(g) - GROUP_KEYS:
            bad(f"{gw}: unknown key '{k}'")
        iv = str(g.get("interval", ""))
        if not DURATION.match(iv) or seconds(iv) <= 0 or seconds(iv) % 10:
            bad(f"{gw}: interval {iv!r} is not a positive multiple of 10s")
        for r in g.get("rules") or []:
            check_rule(f"rule {r.get('title')!r}", r, ds_uids)
            uids.append(r.get("uid"))
            key = (g.get("folder"), r.get("title"))
            if key in titles:
                bad(f"rule {r.get('title')!r}: title not unique in folder {g.get('folder')!r}")
            titles[key] = r
    dup = sorted({u for u in uids if uids.count(u) > 1})
    if dup:
        bad(f"alerting: duplicate rule uids {dup}")
    if len(ds_uids) != 1:
        bad(f"alerting: the queries use {len(ds_uids)} data source UIDs {sorted(ds_uids)}, not one")
    # One place to set it: one YAML anchor, every other query an alias of it.
    lines = re.findall(r"^\s*datasourceUid:\s*(\S+)", text, re.M)
    own = [v for v in lines if v != "__expr__"]
    if not own or own[0] != "&datasource" or any(v != "*datasource" for v in own[1:]):
        bad("alerting: the data source UID is not set once (datasourceUid: &datasource UID on the "
            f"first query, *datasource on the others): {own[:3]}...")
    return {title: r for (_, title), r in titles.items()}


def check_against_prometheus(src, rules):
    prom = yaml.safe_load(open(os.path.join(src, "dashboards/prometheus/mcast-alerts.yml"),
                               encoding="utf-8"))
    alerts = {r["alert"]: r for g in prom["groups"] for r in g["rules"] if "alert" in r}
    for name in sorted(set(alerts) - set(rules)):
        bad(f"Prometheus alert {name} has no Grafana rule")
    for name in sorted(set(rules) - set(alerts)):
        bad(f"Grafana rule {name} has no Prometheus alert")
    for name in sorted(set(alerts) & set(rules)):
        a, r = alerts[name], rules[name]
        if str(a.get("for", "0s")) != str(r.get("for")):
            bad(f"{name}: for {r.get('for')!r}, Prometheus {a.get('for')!r}")
        if (a.get("labels") or {}) != (r.get("labels") or {}):
            bad(f"{name}: labels {r.get('labels')}, Prometheus {a.get('labels')}")
        for k, text in (a.get("annotations") or {}).items():
            pl = set(re.findall(r"\$labels\.(\w+)", str(text)))
            gl = set(re.findall(r"\$labels\.(\w+)", str((r.get("annotations") or {}).get(k, ""))))
            if pl != gl:
                bad(f"{name}: annotation '{k}' names $labels {sorted(gl)}, Prometheus {sorted(pl)}")


def check_dashboards(src):
    pdir = os.path.join(src, "dashboards/grafana/provisioning/dashboards")
    doc = yaml.safe_load(open(os.path.join(pdir, "mcast.yml"), encoding="utf-8"))
    if doc.get("apiVersion") != 1:
        bad("dashboards provider: apiVersion is not 1")
    providers = doc.get("providers") or []
    if len(providers) != 1:
        bad(f"dashboards provider: {len(providers)} providers, expected 1")
    for p in providers:
        if not p.get("name") or p.get("type") != "file":
            bad(f"dashboards provider: needs a name and type: file: {p}")
        path = (p.get("options") or {}).get("path", "")
        prefix = "/etc/grafana/provisioning/dashboards/"
        if not path.startswith(prefix):
            bad(f"dashboards provider: path {path!r} is not under {prefix} (the copied folder)")
            continue
        ddir = os.path.join(pdir, path[len(prefix):])
        shipped = sorted(f for f in os.listdir(os.path.join(src, "dashboards/grafana"))
                         if f.endswith(".json"))
        have = sorted(os.listdir(ddir)) if os.path.isdir(ddir) else []
        if have != shipped:
            bad(f"dashboards provider: {path} would hold {have}, the shipped dashboards are {shipped}")
        for f in have:
            d = json.load(open(os.path.join(ddir, f), encoding="utf-8"))
            if "__inputs" in d or "${DS_" in json.dumps(d):
                bad(f"dashboards/{f}: import-time ${{DS_...}} input left (file provisioning does not fill it)")
            if not d.get("uid"):
                bad(f"dashboards/{f}: no uid")


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    src = argv[1]
    problems.clear()
    rules = check_alerting(src)
    if rules is not None:
        check_against_prometheus(src, rules)
    check_dashboards(src)
    for p in problems:
        print(f"PROVISIONING: {p}")
    if problems:
        return 1
    print(f"provisioning: {len(rules)} alert rules and the dashboards provider have Grafana's structure")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
