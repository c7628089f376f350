#!/usr/bin/env python3
"""Checks a man page (roff source) against what the program says.

  man_pages.py flags PAGE HELP_TEXT   every long option that --help prints
      is the tag of an entry (.TP) of the page's OPTIONS section, and every
      long option tagged there is one --help prints.
  man_pages.py keys PAGE CHECK_OUTPUT every key the config loader accepts
      has a .TP entry in the page's section for its table. CHECK_OUTPUT is
      what `mcast-exporter --check-config` printed for a file with an
      unknown key in every table: each "unknown key (allowed: a, b)" line
      lists a table's keys, as the loader itself knows them.

Nothing here lists flags or keys: both lists come from the binaries, so a
new flag (e.g. --web.listen-address) or config key fails the check until
the page documents it, and a flag the page documents but --help no longer
prints fails it too. Problems go to stdout as "PAGE: ..." lines; exit 1.
"""
import re
import sys

# Long options: --name, dots allowed (--web.config.file).
FLAG = r"--[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]"


def roff_text(line):
    """The text of one roff source line, formatting removed."""
    line = re.sub(r"^\.(B|I|R|BR|RB|BI|IB|IR|RI|SM|SB)\s+", "", line)
    line = line.replace("\\-", "-").replace("\\(dq", '"').replace("\\(aq", "'")
    line = re.sub(r"\\f(\(..|\[[^]]*\]|.)", "", line)
    line = line.replace("\\&", "").replace("\\ ", " ").replace("\\e", "\\")
    return line.replace('"', " ")


def sections(page_text):
    """{title: [source lines]} of the .SH sections."""
    result, title = {}, None
    for line in page_text.splitlines():
        m = re.match(r'^\.SH\s+"?(.*?)"?\s*$', line)
        if m:
            title = m.group(1)
            result[title] = []
        elif title is not None:
            result[title].append(line)
    return result


def tags(lines):
    """The text of each .TP entry's tag line."""
    return [roff_text(lines[i + 1]) for i, line in enumerate(lines[:-1])
            if line.strip() == ".TP"]


def has_flag(text, flag):
    # Not a prefix of a longer flag: --listen is not in --listen-port-file
    # (a '.' that ends a sentence is not part of the flag).
    return re.search(re.escape(flag) + r"(?![A-Za-z0-9_-]|\.[A-Za-z0-9])", text)


def help_flags(help_text):
    """Long options of a CLI11 help: option lines are indented 1-4 spaces
    and start with a dash, names separated by commas (-c,--config)."""
    flags = []
    for line in help_text.splitlines():
        m = re.match(r"^ {1,4}(-\S+)", line)
        if not m:
            continue
        for name in m.group(1).split(","):
            if re.fullmatch(FLAG, name) and name not in flags:
                flags.append(name)
    return flags


def check_flags(page, page_text, help_text):
    problems = []
    options = sections(page_text).get("OPTIONS")
    if options is None:
        return [f"{page}: no OPTIONS section"]
    entry_tags = tags(options)
    flags = help_flags(help_text)
    if not flags:
        problems.append(f"{page}: --help printed no long option (wrong help text?)")
    for flag in flags:
        if not any(has_flag(t, flag) for t in entry_tags):
            problems.append(f"{page}: {flag} (in --help) has no .TP entry in OPTIONS")
    for t in entry_tags:
        for flag in re.findall(FLAG, t):
            if flag not in flags:
                problems.append(f"{page}: OPTIONS documents {flag}, which --help does not print")
    return problems


# The page section of each table: the probe tables share one, the root's
# keys (the tables themselves) are in TABLES, any other table has a section
# titled as its header, e.g. "[exporter]".
SECTION_OF = {"": "TABLES", "defaults": "PROBE KEYS", "sender": "PROBE KEYS",
              "receiver": "PROBE KEYS", "mesh": "[mesh]", "mesh.member": "[mesh.member]"}


def check_keys(page, page_text, check_output):
    problems = []
    page_sections = sections(page_text)
    tables = {}
    for m in re.finditer(r":\d+:\d+: (\S*?)\.?zz_not_a_key: unknown key[^(]*"
                         r"\(allowed: ([^)]*)\)", check_output):
        table = re.sub(r"\[\d+\]", "", m.group(1))
        tables[table] = [k.strip() for k in m.group(2).split(",")]
    for needed in SECTION_OF:
        if needed not in tables:
            problems.append(f"{page}: the loader's output has no key list for "
                            f"table '{needed or '(root)'}' (message format changed?)")
    for table, keys in sorted(tables.items()):
        title = SECTION_OF.get(table, f"[{table}]")
        if title not in page_sections:
            problems.append(f"{page}: no section {title} for the keys of '{table or '(root)'}'")
            continue
        words = set()
        for t in tags(page_sections[title]):
            words.update(w.strip("[],") for w in t.split())
        for key in keys:
            if key not in words:
                problems.append(f"{page}: key '{key}' of '{table or '(root)'}' "
                                f"has no .TP entry in {title}")
    return problems


def main():
    mode, page, other = sys.argv[1:4]
    page_text = open(page, encoding="utf-8").read()
    other_text = open(other, encoding="utf-8").read()
    check = check_flags if mode == "flags" else check_keys
    problems = check(page, page_text, other_text)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"ok: {page} documents every {'option' if mode == 'flags' else 'config key'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
