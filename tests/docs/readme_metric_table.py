#!/usr/bin/env python3
"""Check README.md's metric table against the exporter's metric catalog.

  readme_metric_table.py README.md CATALOG.json

CATALOG.json is `mcast-exporter --print-metrics` output. Every catalog
metric must have exactly one row, with its type and its labels, and every
row must name catalog metrics only. A row may list several metrics
(`a`, `b`) that share type and labels. The labels column is a sum of parts
joined by "+": "probe" (probe, group, source, interface: what the text above
the table says receiver series carry), "per sender" (those plus sender), or
a backquoted list such as `probe, group, interface`; empty means none.

Python 3 standard library only. Exit 0 = they agree, 1 = they do not (listed).
"""
import json
import re
import sys

RECEIVER = ["probe", "group", "source", "interface"]
SHORTHAND = {"probe": RECEIVER, "per sender": RECEIVER + ["sender"]}


def table_rows(readme):
    """(line number, metric cell, type cell, labels cell) of every row of the
    first table under the '### Metrics' heading."""
    lines = readme.splitlines()
    start = next((i for i, l in enumerate(lines) if l.strip() == "### Metrics"), None)
    if start is None:
        return None
    rows, in_table = [], False
    for i in range(start + 1, len(lines)):
        line = lines[i].strip()
        if line.startswith("#"):
            break
        if not line.startswith("|"):
            if in_table:
                break
            continue
        in_table = True
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == "metric" or set(cells[0]) <= set("-: "):
            continue
        rows.append((i + 1, cells[0], cells[1] if len(cells) > 1 else "",
                     cells[2] if len(cells) > 2 else ""))
    return rows


def parse_labels(cell):
    """The label names a labels cell stands for, in order, or None if a part
    is neither a shorthand nor a backquoted list."""
    labels = []
    for part in (p.strip() for p in cell.split("+")) if cell else []:
        if part in SHORTHAND:
            labels += SHORTHAND[part]
        elif re.fullmatch(r"`[^`]+`", part):
            labels += [x.strip() for x in part.strip("`").split(",")]
        else:
            return None
    return labels


def check(readme_path, catalog_path):
    catalog = {m["name"]: m for m in json.load(open(catalog_path, encoding="utf-8"))["metrics"]}
    rows = table_rows(open(readme_path, encoding="utf-8").read())
    problems = []
    if not rows:
        return ["no metric table under '### Metrics'"]
    seen = {}
    for line, names_cell, type_cell, labels_cell in rows:
        where = f"README.md:{line}"
        names = re.findall(r"`([^`]+)`", names_cell)
        if not names:
            problems.append(f"{where}: no `metric` in the first column")
        labels = parse_labels(labels_cell)
        if labels is None:
            problems.append(f"{where}: labels '{labels_cell}' are neither probe, per sender nor a `list`")
        for name in names:
            if name in seen:
                problems.append(f"{where}: {name} already has a row (line {seen[name]})")
                continue
            seen[name] = line
            m = catalog.get(name)
            if m is None:
                problems.append(f"{where}: {name} is not a metric mcast-exporter serves")
                continue
            if type_cell != m["type"]:
                problems.append(f"{where}: {name} is a {m['type']}, the table says '{type_cell}'")
            if labels is not None and labels != m["labels"]:
                problems.append(f"{where}: {name} has labels {m['labels']}, the table says {labels}")
    for name in catalog:
        if name not in seen:
            problems.append(f"README.md: no row for {name} ({catalog[name]['type']}, "
                            f"labels {catalog[name]['labels']})")
    return problems


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(argv[1], argv[2])
    for p in problems:
        print("README:", p)
    n = len(json.load(open(argv[2], encoding="utf-8"))["metrics"])
    print(f"{n} catalog metrics against README.md's table: {'FAIL' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
