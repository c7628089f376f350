#!/usr/bin/env python3
"""Lint the Grafana dashboards and Prometheus rules against the exporter.

  dashboard_lint.py lint --source-dir DIR --catalog CATALOG.json
      Checks dashboards/grafana/*.json and dashboards/prometheus/*.yml of the
      source tree DIR: JSON validity, Grafana 10 import shape, no hard-coded
      datasource, every panel target has an expr, every metric name in every
      expr (panels, template variables, alert and recording rules) is one the
      exporter exports, and every label they use (selectors, by/without/on
      lists, label_values, legends, alert annotations) is one that metric
      carries. What the exporter exports is CATALOG.json, the output of
      `mcast-exporter --print-metrics` (the catalog the binary builds its
      /metrics from), so a renamed or removed metric or label fails here.
  dashboard_lint.py exprs DASHBOARD.json...
      Prints every panel query as a JSON line {"dashboard", "panel", "refId",
      "expr"} with template variables replaced by values that select
      everything ($job -> .*, $__rate_interval -> 1m, $__range -> 5m), for
      the end-to-end test to run against a real Prometheus.

Python 3 standard library only. Exit 0 = clean, 1 = problems (listed).
"""
import glob
import json
import os
import re
import sys

# Metrics Prometheus itself makes for every target; the exporter-down alert
# and the overview's scrape status use "up".
PROMETHEUS_SYNTHETIC = {"up"}
SOURCE_DIR = "."  # set by cmd_lint, for messages
ALLOWED_DS_UIDS = {"${datasource}", "${DS_PROMETHEUS}"}
GRAFANA_BUILTIN_VARS = {"__rate_interval", "__interval", "__range", "__range_s",
                        "__range_ms", "__interval_ms", "__name", "__data",
                        "__url_time_range", "__from", "__to"}
REQUIRED_VARS = {"datasource", "job", "instance", "probe", "group"}
# The mesh matrix reads only the per-pair recorded series (labels mesh,
# sender_name, receiver_name: no job/instance/probe/group), and only them or
# the two small mesh gauges, so it stays cheap at 100 members.
MESH_DASHBOARD = "mcast-mesh.json"
MESH_REQUIRED_VARS = {"datasource", "mesh"}
MESH_ALLOWED_RAW = {"mcast_mesh_members", "mcast_mesh_self_info"}
# Values that make a dashboard query select everything, for `exprs`.
SUBSTITUTE = {"__rate_interval": "1m", "__interval": "15s", "__range": "5m",
              "__range_s": "300", "__range_ms": "300000", "__interval_ms": "15000"}

PROMQL_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right",
                   "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
                   "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
                   "bottomk", "quantile", "count_values", "group", "start", "end"}


# Prometheus attaches these to every series it scrapes.
TARGET_LABELS = {"job", "instance"}


# {series name: the labels only a [[mesh]] probe's series carry}.
MESH_ONLY = {}


def exporter_series(catalog_file):
    """{series name: label names} for every series the exporter can serve,
    from `mcast-exporter --print-metrics` output. A histogram serves
    NAME_bucket (with le), NAME_sum and NAME_count; NAME itself is kept so
    text may mention the family."""
    doc = json.load(open(catalog_file, encoding="utf-8"))
    series = {}
    MESH_ONLY.clear()
    for m in doc["metrics"]:
        mesh_only = set(m.get("mesh_labels", [])) - set(m["labels"])
        for suffix in (["", "_bucket", "_sum", "_count"] if m["type"] == "histogram" else [""]):
            MESH_ONLY[m["name"] + suffix] = mesh_only
        # A [[mesh]] probe's series also carry mesh / receiver_name /
        # sender_name (mesh_labels); selectors may use either set.
        labels = set(m["labels"]) | set(m.get("mesh_labels", [])) | TARGET_LABELS
        series[m["name"]] = labels
        if m["type"] == "histogram":
            series[m["name"] + "_bucket"] = labels | {"le"}
            series[m["name"] + "_sum"] = labels
            series[m["name"] + "_count"] = labels
    return series


def strip_promql(expr):
    """The expression without strings, label matchers, grouping label lists,
    durations and numbers: what is left are metric names, functions and
    keywords."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    e = re.sub(r"\{[^{}]*\}", " ", e)
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", " ", e)
    e = re.sub(r"\[[^\]]*\]", " ", e)
    e = re.sub(r"\$\{?\w+(?::\w+)?\}?", " ", e)
    return e


def metric_names(expr):
    """Metric names used in a PromQL expression (identifiers that are neither
    functions nor keywords)."""
    e = strip_promql(expr)
    names = set()
    for m in re.finditer(r"(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?", e):
        word, call = m.group(1), m.group(2)
        if call or word.lower() in PROMQL_KEYWORDS:
            continue
        names.add(word)
    # Selectors written as {__name__="..."} or {__name__=~"a|b"}.
    for m in re.finditer(r'__name__\s*=~?\s*\\?"([^"\\]+)', expr):
        names.update(n for n in m.group(1).split("|") if n)
    return names


def variable_matchers(expr):
    """(label, operator, variable) for every label matcher whose value is a
    template variable."""
    return re.findall(r'(\w+)\s*(=~|!~|!=|=)\s*"\$\{?(\w+)(?::\w+)?\}?"', expr)


GROUPING = r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)"


def label_problems(expr, series, all_labels):
    """Labels an expression uses that the series it reads cannot carry: a
    selector's matchers against that metric's labels (any exporter label for
    recorded or nameless selectors), grouping lists against all labels."""
    e = re.sub(r"\$\{(\w+)(?::\w+)?\}", r"$\1", expr)
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', e)
    out = []
    for m in re.finditer(r"(?<![\w:])([a-zA-Z_:][\w:]*)?\s*\{([^{}]*)\}", e):
        name = m.group(1) or ""
        if name in series:
            allowed, what = series[name], f"metric '{name}'"
        else:
            allowed, what = all_labels | {"__name__"}, "any exporter metric"
        for label in re.findall(r"(\w+)\s*(?:=~|!~|!=|=)\s*\"\"", m.group(2)):
            if label not in allowed:
                out.append(f"label '{label}' is not a label of {what}")
    for m in re.finditer(GROUPING, e):
        for label in (x.strip() for x in m.group(2).split(",")):
            if label and label not in all_labels:
                out.append(f"{m.group(1)} ({label}): '{label}' is not a label of any exporter metric")
    return out


def replaced_labels(texts):
    """Labels written by label_replace(..., "dst", ...) anywhere: they exist
    in the query result even though no metric carries them."""
    out = set()
    for t in texts:
        out.update(re.findall(r'label_replace\s*\([^,]*,\s*\\?"(\w+)\\?"', t))
    return out


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def walk_json(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + "/" + k, k, v
            yield from walk_json(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk_json(v, f"{path}[{i}]")


def variable_query(var):
    q = var.get("query")
    if isinstance(q, dict):
        q = q.get("query", "")
    return q or ""


def label_values_metric_expr(query):
    """label_values(SELECTOR, label) -> SELECTOR; label_values(label) -> ''."""
    m = re.fullmatch(r"\s*label_values\((.*),\s*\w+\s*\)\s*", query, re.S)
    if m:
        return m.group(1)
    if re.fullmatch(r"\s*label_values\(\s*\w+\s*\)\s*", query):
        return ""
    m = re.fullmatch(r"\s*query_result\((.*)\)\s*", query, re.S)
    return m.group(1) if m else query


def lint_dashboard(path, known, series, all_labels, problems):
    def bad(msg):
        problems.append(f"{os.path.relpath(path, SOURCE_DIR)}: {msg}")

    try:
        d = json.load(open(path, encoding="utf-8"))
    except (OSError, ValueError) as e:
        bad(f"not valid JSON: {e}")
        return
    if not 36 <= d.get("schemaVersion", 0) <= 41:
        bad(f"schemaVersion {d.get('schemaVersion')} is not one Grafana 10/11 writes (36-41)")
    inputs = {i.get("name"): i for i in d.get("__inputs", [])}
    if inputs.get("DS_PROMETHEUS", {}).get("pluginId") != "prometheus":
        bad("__inputs has no DS_PROMETHEUS prometheus datasource input")
    for key in ("uid", "title", "panels", "templating"):
        if key not in d:
            bad(f"no top-level '{key}'")
    if d.get("id") is not None:
        bad("top-level id must be null so import creates a new dashboard")

    # Datasource: never a literal uid.
    for where, key, value in walk_json(d):
        if key != "datasource" or where.startswith("/annotations"):
            continue
        if isinstance(value, str):
            if value not in ALLOWED_DS_UIDS:
                bad(f"{where}: datasource '{value}' is hard-coded")
        elif isinstance(value, dict):
            if value.get("type") != "prometheus" or value.get("uid") not in ALLOWED_DS_UIDS:
                bad(f"{where}: datasource {json.dumps(value)} is not the ${{datasource}} variable")
        elif value is not None:
            bad(f"{where}: unexpected datasource {value!r}")

    variables = {v.get("name"): v for v in d.get("templating", {}).get("list", [])}
    mesh = os.path.basename(path) == MESH_DASHBOARD
    for name in sorted((MESH_REQUIRED_VARS if mesh else REQUIRED_VARS) - set(variables)):
        bad(f"template variable '{name}' is missing")
    ds_var = variables.get("datasource", {})
    if ds_var and (ds_var.get("type") != "datasource" or ds_var.get("query") != "prometheus"):
        bad("variable 'datasource' must be a prometheus datasource variable")

    def check_expr(where, expr):
        if mesh:
            for name in sorted(metric_names(expr) & set(series) - MESH_ALLOWED_RAW):
                bad(f"{where}: reads the raw series '{name}': the mesh dashboard reads only "
                    "the mcast:mesh_pair_* recorded series (dashboards/prometheus/mcast-recording.yml)")
        for name in sorted(metric_names(expr) - known):
            bad(f"{where}: metric '{name}' is not exported by mcast-exporter "
                f"(mcast-exporter --print-metrics) nor a recording rule")
        for problem in label_problems(expr, series, all_labels):
            bad(f"{where}: {problem}")
        for var in re.findall(r"\$\{?(\w+)", expr):
            if var not in variables and var not in GRAFANA_BUILTIN_VARS:
                bad(f"{where}: uses undefined variable ${var}")
        for label, op, var in variable_matchers(expr):
            v = variables.get(var, {})
            if op != "=~" and (v.get("multi") or v.get("includeAll")):
                bad(f"{where}: {label}{op}\"${var}\" must use =~ (the variable can hold several values)")
        if expr.count("(") != expr.count(")") or expr.count("{") != expr.count("}"):
            bad(f"{where}: unbalanced brackets")

    for name, v in variables.items():
        if v.get("type") != "query":
            continue
        q = variable_query(v)
        if not q:
            bad(f"variable {name}: empty query")
            continue
        if v.get("datasource") is None:
            bad(f"variable {name}: no datasource")
        if v.get("includeAll") and v.get("allValue") != ".*":
            bad(f"variable {name}: includeAll needs allValue '.*' so =~ matchers select everything")
        check_expr(f"variable {name}", label_values_metric_expr(q))
        m = re.fullmatch(r"\s*label_values\((?:(.*),)?\s*(\w+)\s*\)\s*", q, re.S)
        if m:
            label = m.group(2)
            for metric in sorted(metric_names(m.group(1) or "") & set(series)):
                if label not in series[metric]:
                    bad(f"variable {name}: label_values of '{label}', which '{metric}' does not carry")
            if label not in all_labels:
                bad(f"variable {name}: label_values of '{label}', which no exporter metric carries")

    ids = set()
    for p in walk_panels(d.get("panels", [])):
        title = p.get("title", "?")
        if p.get("id") in ids:
            bad(f"panel '{title}': duplicate id {p.get('id')}")
        ids.add(p.get("id"))
        if "gridPos" not in p:
            bad(f"panel '{title}': no gridPos")
        if p.get("type") in ("row", "text"):
            continue
        targets = p.get("targets") or []
        if not targets:
            bad(f"panel '{title}': no targets")
        refs = [t.get("refId") for t in targets]
        if len(set(refs)) != len(refs):
            bad(f"panel '{title}': duplicate refIds {refs}")
        for t in targets:
            expr = (t.get("expr") or "").strip()
            if not expr:
                bad(f"panel '{title}' target {t.get('refId')}: no expr")
                continue
            check_expr(f"panel '{title}' target {t.get('refId')}", expr)
            for label in re.findall(r"\{\{\s*(\w+)\s*\}\}", t.get("legendFormat") or ""):
                if label not in all_labels:
                    bad(f"panel '{title}' target {t.get('refId')}: legend uses label '{label}', "
                        "which no exporter metric carries")


def rule_exprs(path):
    """(name, expr) of every rule in a Prometheus rules file, read without a
    YAML library: 'expr:' either inline or as a block scalar (| or >)."""
    lines = open(path, encoding="utf-8").read().splitlines()
    out, name = [], "?"
    i = 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\s*-?\s*(alert|record):\s*(\S+)", line)
        if m:
            name = m.group(2)
        m = re.match(r"^(\s*)expr:\s*(.*)$", line)
        if m:
            indent, rest = len(m.group(1)), m.group(2).strip()
            if rest and rest[0] not in "|>":
                out.append((name, rest.strip("'\"") if rest[0] in "'\"" else rest))
            else:
                body = []
                i += 1
                while i < len(lines) and (not lines[i].strip() or
                                          len(lines[i]) - len(lines[i].lstrip()) > indent):
                    body.append(lines[i].strip())
                    i += 1
                out.append((name, " ".join(body)))
                continue
        i += 1
    return out


def recorded_names(paths):
    names = set()
    for p in paths:
        names.update(re.findall(r"^\s*-?\s*record:\s*(\S+)", open(p, encoding="utf-8").read(), re.M))
    return names


def cmd_lint(source_dir, catalog_file):
    global SOURCE_DIR
    SOURCE_DIR = source_dir
    problems = []
    series = exporter_series(catalog_file)
    known_exporter = set(series)
    if len(known_exporter) < 20:
        problems.append(f"only {len(known_exporter)} metric names in {catalog_file}: "
                        "is it `mcast-exporter --print-metrics` output?")
    rule_files = sorted(glob.glob(os.path.join(source_dir, "dashboards/prometheus/mcast-*.yml")))
    known = known_exporter | PROMETHEUS_SYNTHETIC | recorded_names(rule_files)
    dashboards = sorted(glob.glob(os.path.join(source_dir, "dashboards/grafana/*.json")))
    all_labels = set().union(*series.values()) | replaced_labels(
        open(p, encoding="utf-8").read() for p in rule_files + dashboards)
    if len(dashboards) < 2:
        problems.append(f"expected the two dashboards in dashboards/grafana, found {dashboards}")
    for path in dashboards:
        lint_dashboard(path, known, series, all_labels, problems)
    n_rules = 0
    for path in rule_files:
        for name, expr in rule_exprs(path):
            n_rules += 1
            for metric in sorted(metric_names(expr) - known):
                problems.append(f"{os.path.relpath(path, SOURCE_DIR)}: rule {name}: metric '{metric}' "
                                "is not exported by mcast-exporter nor recorded")
            for problem in label_problems(expr, series, all_labels):
                problems.append(f"{os.path.relpath(path, SOURCE_DIR)}: rule {name}: {problem}")
        text = open(path, encoding="utf-8").read()
        for label in sorted(set(re.findall(r"\$labels\.(\w+)", text)) - all_labels):
            problems.append(f"{os.path.relpath(path, SOURCE_DIR)}: an annotation uses $labels.{label}, "
                            "which no exporter metric carries")
    if n_rules == 0:
        problems.append("no rule expressions found in dashboards/prometheus/mcast-*.yml")
    # Metric names anywhere else (annotation queries, descriptions, the rule
    # unit tests' input series) must exist too, or a test proves nothing.
    for path in rule_files + dashboards + sorted(glob.glob(os.path.join(
            source_dir, "dashboards/prometheus/tests/*.yml"))):
        text = open(path, encoding="utf-8").read()
        for metric in sorted(set(re.findall(r"\bmcast_[a-z0-9_]+\b", text)) - known):
            problems.append(f"{os.path.relpath(path, SOURCE_DIR)}: mentions metric '{metric}' "
                            "that mcast-exporter does not export")
    # The rule unit tests' input series stand for scraped series: each must
    # carry exactly the labels the exporter gives that metric (job and
    # instance optional), or the tests exercise series that cannot exist.
    for path in sorted(glob.glob(os.path.join(source_dir, "dashboards/prometheus/tests/*.yml"))):
        text = open(path, encoding="utf-8").read()
        for name, body in re.findall(r"series:\s*'([a-zA-Z_:][\w:]*)\{([^}]*)\}'", text):
            if name not in series:
                continue
            given = set(re.findall(r'(\w+)\s*=\s*"', body))
            # A series without `mesh` stands for a plain probe's: no mesh labels.
            optional = TARGET_LABELS | (set() if "mesh" in given else MESH_ONLY.get(name, set()))
            missing = sorted(series[name] - optional - given)
            extra = sorted(given - series[name])
            if missing or extra:
                problems.append(f"{os.path.relpath(path, SOURCE_DIR)}: input series {name}: "
                                f"labels missing {missing}, not served {extra}")
    for p in problems:
        print("LINT:", p)
    print(f"{len(dashboards)} dashboards, {n_rules} rules, {len(known_exporter)} exporter metric names: "
          f"{'FAIL' if problems else 'ok'}")
    return 1 if problems else 0


def substitute(expr):
    def repl(m):
        name = m.group(1)
        return SUBSTITUTE.get(name, ".*")
    return re.sub(r"\$\{?(\w+)(?::\w+)?\}?", repl, expr)


def cmd_exprs(paths):
    for path in paths:
        d = json.load(open(path, encoding="utf-8"))
        for p in walk_panels(d.get("panels", [])):
            for t in p.get("targets") or []:
                if t.get("expr"):
                    print(json.dumps({"dashboard": os.path.basename(path), "panel": p.get("title"),
                                      "refId": t.get("refId"), "expr": substitute(t["expr"])}))
        for v in d.get("templating", {}).get("list", []):
            if v.get("type") == "query":
                q = label_values_metric_expr(variable_query(v))
                if q:
                    print(json.dumps({"dashboard": os.path.basename(path), "panel": f"variable {v['name']}",
                                      "refId": "-", "expr": substitute(q)}))
    return 0


def main(argv):
    if len(argv) == 6 and argv[1] == "lint" and argv[2] == "--source-dir" and argv[4] == "--catalog":
        return cmd_lint(argv[3], argv[5])
    if len(argv) >= 3 and argv[1] == "exprs":
        return cmd_exprs(argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
