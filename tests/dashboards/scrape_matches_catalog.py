#!/usr/bin/env python3
"""Check a /metrics scrape of mcast-exporter against its catalog.

  scrape_matches_catalog.py CATALOG.json METRICS.txt

CATALOG.json is `mcast-exporter --print-metrics` output. Passes when the
scrape serves exactly the catalog's families (no more, no fewer), each with
the catalog's # HELP text and # TYPE, and every sample carries exactly the
catalog's label names in the catalog's order (plus le on histogram
buckets). Use it on a scrape where every family has series. The families
prometheus-cpp's HTTP server adds about itself (exposer_*) are not the
exporter's and are left out.

Python 3 standard library only. Exit 0 = they agree, 1 = they do not (listed).
"""
import json
import re
import sys

# prometheus-cpp's Exposer serves these on every endpoint.
LIBRARY_FAMILIES = {"exposer_request_latencies", "exposer_scrapes_total",
                    "exposer_transferred_bytes_total"}
LABEL = re.compile(r'([a-zA-Z_]\w*)="(?:[^"\\]|\\.)*"')


def parse(text):
    """{family: {"help", "type", "samples": [(name, [label names])]}}."""
    families, current = {}, None
    for line in text.splitlines():
        if not line.strip():
            continue
        m = re.match(r"# (HELP|TYPE) (\S+) ?(.*)$", line)
        if m:
            f = families.setdefault(m.group(2), {"help": None, "type": None, "samples": []})
            f["help" if m.group(1) == "HELP" else "type"] = m.group(3)
            current = m.group(2)
            continue
        if line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+\S+", line)
        if not m or current is None:
            families.setdefault("?", {"help": None, "type": None, "samples": []})["samples"].append(
                (line, []))
            continue
        families[current]["samples"].append((m.group(1), LABEL.findall(m.group(3) or "")))
    return families


def check(catalog_path, scrape_path):
    catalog = {m["name"]: m for m in json.load(open(catalog_path, encoding="utf-8"))["metrics"]}
    served = parse(open(scrape_path, encoding="utf-8").read())
    problems = []
    for name in sorted(set(catalog) - set(served)):
        problems.append(f"{name}: in the catalog, not served")
    for name in sorted(set(served) - set(catalog) - LIBRARY_FAMILIES):
        problems.append(f"{name}: served, not in the catalog")
    for name in sorted(set(catalog) & set(served)):
        want, got = catalog[name], served[name]
        help_text = want["help"].replace("\\", "\\\\").replace("\n", "\\n")
        if got["help"] != help_text:
            problems.append(f"{name}: HELP '{got['help']}', catalog '{help_text}'")
        if got["type"] != want["type"]:
            problems.append(f"{name}: TYPE {got['type']}, catalog {want['type']}")
        if not got["samples"]:
            problems.append(f"{name}: no samples")
        for sample, labels in got["samples"]:
            # A [[mesh]] probe's series carry the family's mesh_labels.
            mesh = want.get("mesh_labels")
            expected = list(mesh if mesh and "mesh" in labels else want["labels"])
            if want["type"] == "histogram":
                if sample not in (name + "_bucket", name + "_sum", name + "_count"):
                    problems.append(f"{name}: sample {sample} is not _bucket, _sum or _count")
                if sample == name + "_bucket":
                    expected.append("le")
            elif sample != name:
                problems.append(f"{name}: sample {sample} under the family's TYPE line")
            if labels != expected:
                problems.append(f"{sample}: labels {labels}, catalog {expected}")
                break
    return problems, len(catalog)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    problems, n = check(argv[1], argv[2])
    for p in problems:
        print("SCRAPE:", p)
    print(f"{n} catalog metrics against the scrape: {'FAIL' if problems else 'ok'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
