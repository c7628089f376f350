#!/usr/bin/env python3
"""Evaluates the Grafana alert rules of a provisioning file against a real
Prometheus, as Grafana would, and compares what fires with the alerts that
Prometheus fires from the twin rules.

usage: grafana_rules_eval.py [--only PREFIX] PROM_URL PROVISIONING_FILE

--only PREFIX: only the rules (and Prometheus alerts) whose name starts with
PREFIX, e.g. McastMesh for the mesh lab test's Prometheus, which has mesh
series only.

For every rule: its data source query (instant, at one time for all rules)
through PROM_URL/api/v1/query, then its expressions as Grafana's server-side
expressions compute them: reduce (last/mean/min/max/sum/count; strict,
dropNN or replaceNN mode) and threshold (gt, lt, within_range,
outside_range, with the parameters printed "%f" as Grafana's threshold
command does). An instance fires when the condition is non-zero. ("for" is
left out on both sides: the test's Prometheus copy has "for: 0s".)
Firing set: (rule title, series labels without __name__ + rule labels);
Prometheus: (alertname, alert labels without alertname) of firing alerts.
They must be equal, within 10 tries a second apart (the two are read at
slightly different times). Also renders the firing instances' summary and
description ($labels and $values only) and prints them.

Then evaluates, per rule, a copy with its threshold inverted and requires
each to differ from Prometheus somewhere (proves the comparison can fail).
Exit 0 when all is as required, 1 otherwise.
"""
import copy
import json
import math
import re
import sys
import time
import urllib.parse
import urllib.request

import yaml


def get(prom, endpoint, **params):
    url = f"{prom}/api/v1/{endpoint}?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


ONLY = ""


def prom_firing(prom):
    out = set()
    for a in get(prom, "alerts")["data"]["alerts"]:
        if a["state"] == "firing" and a["labels"]["alertname"].startswith(ONLY):
            labels = dict(a["labels"])
            name = labels.pop("alertname")
            out.add((name, frozenset(labels.items())))
    return out


def reduce(values, reducer, mode, replace_with):
    if mode == "dropNN":
        values = [v for v in values if not math.isnan(v)]
    elif mode == "replaceNN":
        values = [replace_with if math.isnan(v) else v for v in values]
    if reducer == "count":
        return float(len(values))
    if not values:
        return math.nan
    return {"last": values[-1], "min": min(values), "max": max(values), "sum": sum(values),
            "mean": sum(values) / len(values)}[reducer]


def threshold(v, typ, params):
    p = [float("%f" % x) for x in params]  # Grafana: fmt.Sprintf("${B} > %f", ...)
    if math.isnan(v):
        return 0.0
    return float({"gt": lambda: v > p[0], "lt": lambda: v < p[0],
                  "within_range": lambda: p[0] < v < p[1],
                  "outside_range": lambda: v < p[0] or v > p[1]}[typ]())


class RuleError(Exception):
    pass


def evaluate(prom, rule, at, cache):
    """{labels frozenset: {refId: value}} for every series of the rule."""
    by_ref = {q["refId"]: q for q in rule["data"]}
    results = {}

    def node(ref):
        if ref in results:
            return results[ref]
        q = by_ref[ref]
        m = q["model"]
        if q["datasourceUid"] != "__expr__":
            expr = m["expr"]
            if expr not in cache:
                out = get(prom, "query", query=expr, time=at)
                if out.get("status") != "success":
                    raise RuleError(f"query failed: {out.get('error')}: {expr}")
                if out["data"]["resultType"] != "vector":
                    raise RuleError(f"query returns {out['data']['resultType']}, not a vector")
                cache[expr] = out["data"]["result"]
            res = {}
            for s in cache[expr]:
                labels = {k: v for k, v in s["metric"].items() if k != "__name__"}
                res[frozenset(labels.items())] = [float(s["value"][1])]
        elif m["type"] == "reduce":
            settings = m.get("settings") or {}
            res = {k: [reduce(v, m["reducer"], settings.get("mode", ""),
                              float(settings.get("replaceWithValue", 0)))]
                   for k, v in node(m["expression"]).items()}
        elif m["type"] == "threshold":
            ev = m["conditions"][0]["evaluator"]
            res = {k: [threshold(v[-1], ev["type"], ev["params"])]
                   for k, v in node(m["expression"]).items()}
        else:
            raise RuleError(f"expression type {m['type']} is not emulated")
        results[ref] = res
        return res

    cond = node(rule["condition"])
    return cond, results


def grafana_firing(prom, rules, at, cache=None):
    """Query results are cached by expression: pass one cache for one time."""
    firing, report, instances = set(), [], []
    cache = {} if cache is None else cache
    for r in rules:
        cond, results = evaluate(prom, r, at, cache)
        fired = [k for k, v in cond.items() if v[-1] != 0 and not math.isnan(v[-1])]
        report.append((r["title"], len(cond), len(fired)))
        for k in fired:
            firing.add((r["title"], frozenset(dict(k, **(r.get("labels") or {})).items())))
            values = {ref: res.get(k, [math.nan])[-1] for ref, res in results.items()}
            instances.append((r, dict(k), values))
    return firing, report, instances


def render(text, labels, values):
    def humanize_pct(v):
        return f"{v * 100:.4g}%"

    def repl(m):
        inner = m.group(1).strip()
        mm = re.fullmatch(r"\$labels\.(\w+)", inner)
        if mm:
            return labels.get(mm.group(1), "<no value>")
        mm = re.fullmatch(r"\$values\.(\w+)\.Value(\s*\|\s*humanizePercentage)?", inner)
        if mm:
            v = values[mm.group(1)]
            return humanize_pct(v) if mm.group(2) else repr(v)
        raise RuleError(f"template construct not emulated: {{{{ {inner} }}}}")
    return re.sub(r"\{\{(.*?)\}\}", repl, text)


def fmt(item):
    name, labels = item
    return name + " " + ",".join(f"{k}={v}" for k, v in sorted(labels))


def drifted(rules):
    """One copy per rule with its threshold inverted (gt <-> lt just past the
    bound, within_range <-> outside_range): each series flips."""
    out = []
    for i, r in enumerate(rules):
        d = copy.deepcopy(rules)
        for q in d[i]["data"]:
            m = q["model"]
            if m.get("type") == "threshold":
                ev = m["conditions"][0]["evaluator"]
                typ, p = ev["type"], ev["params"]
                ev["type"], ev["params"] = {
                    "gt": ("lt", [p[0] + 1e-3]), "lt": ("gt", [p[0] - 1e-3]),
                    "within_range": ("outside_range", p), "outside_range": ("within_range", p)}[typ]
        out.append((r["title"], d))
    return out


def main(argv):
    global ONLY
    argv = list(argv)
    if len(argv) == 5 and argv[1] == "--only":
        ONLY = argv[2]
        del argv[1:3]
    if len(argv) != 3:
        sys.exit(__doc__)
    prom, path = argv[1], argv[2]
    doc = yaml.safe_load(open(path, encoding="utf-8"))
    rules = [r for g in doc["groups"] for r in g["rules"] if r["title"].startswith(ONLY)]
    if not rules:
        print(f"FAIL: no rule in {path} starts with {ONLY!r}")
        return 1
    try:
        started = time.time()
        for attempt in range(10):
            if attempt:
                time.sleep(1)
            want = prom_firing(prom)
            got, report, instances = grafana_firing(prom, rules, time.time())
            if got == want and prom_firing(prom) == want:
                break
        else:
            for x in sorted(want - got):
                print(f"FAIL: Prometheus fires, Grafana rules do not: {fmt(x)}")
            for x in sorted(got - want):
                print(f"FAIL: Grafana rules fire, Prometheus does not: {fmt(x)}")
            return 1
        for title, n, f in report:
            print(f"ok: {title}: query returns {n} series, {f} fire")
        # absent() is empty when healthy; the querier series exist only once a
        # querier was seen on the link, and this test's loopback has none (their
        # names are checked against the catalog by dashboards.lint, their
        # firing by the promtool rule tests and lab.querier_test). The mesh
        # series exist only with a [[mesh]] (the mesh lab test runs this
        # with --only McastMesh on its Prometheus, where they must have data).
        def may_be_empty(title):
            expr = next(r for r in rules if r["title"] == title)["data"][0]["model"]["expr"]
            if ONLY:
                return False
            return (expr.startswith("absent") or "mcast_querier_" in expr or "mcast_mesh_" in expr
                    or 'mesh!=""' in expr)
        empty = [t for t, n, _ in report if n == 0 and not may_be_empty(t)]
        if empty:
            print(f"FAIL: queries return no series (metric names wrong?): {empty}")
            return 1
        for r, labels, values in instances:
            ann = r.get("annotations") or {}
            print(f"ok: {r['title']}: {render(ann.get('summary', ''), labels, values)}")
            print(f"      {render(ann.get('description', ''), labels, values)}")
        print(f"grafana: {len(rules)} rules fire exactly Prometheus' {len(want)} alerts "
              f"(try {attempt + 1}, {time.time() - started:.1f} s)")
        # Each rule with its threshold inverted must fire differently. A rule
        # whose query returns nothing (absent() while the target is there)
        # fires nothing whatever its threshold: not counted.
        at = time.time()
        want = prom_firing(prom)
        cache = {}
        _, report, _ = grafana_firing(prom, rules, at, cache)
        with_data = {t for t, n, _ in report if n}
        same = [t for t, d in drifted(rules)
                if t in with_data and grafana_firing(prom, d, at, cache)[0] == want]
        for t in same:
            print(f"FAIL: {t} with its threshold inverted still fires exactly like Prometheus")
        print(f"drift: all {len(with_data) - len(same)} of {len(with_data)} rules with data, "
              "each with its threshold inverted, fire differently from Prometheus")
        return 1 if same else 0
    except RuleError as e:
        print(f"FAIL: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
