#!/usr/bin/env python3
"""`man inop` and `inop help` agree: the same commands and the same
configuration keys, and both match the program (the command table of
src/main.c, the key table of src/util/config.c).  Also checks that the
page renders without warnings (groff -ww; mandoc -T lint when present).

    python3 tests/man/check.py --inop build/inop
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def help_lists(inop):
    out = subprocess.run([inop, "help"], capture_output=True, text=True,
                         check=True).stdout
    commands, keys, section = set(), set(), None
    for line in out.splitlines():
        if line.startswith("commands:"):
            section = "commands"
        elif line.startswith("configuration keys"):
            section = "keys"
        elif not line.strip():
            section = None if section == "keys" else section
        elif section == "commands" and re.match(r"^  [a-z]", line):
            commands.add(line.split()[0])
        elif section == "keys" and line.startswith("  "):
            keys.update(line.split())
    return commands, keys


def man_lists(path):
    text = open(path, encoding="utf-8").read()
    commands = set(re.findall(r"(?m)^\.It Ic ([a-z-]+)", text))
    keys = set(re.findall(r"(?m)^\.It Cm ([a-z_]+)", text))
    return commands, keys


def source_lists():
    main = open(os.path.join(ROOT, "src/main.c"), encoding="utf-8").read()
    commands = {c for c in re.findall(r'\{"([a-z-]+)", cmd_', main)
                if not c.startswith("-")}
    cfg = open(os.path.join(ROOT, "src/util/config.c"),
               encoding="utf-8").read()
    keys = set(re.findall(r"(?m)^\s*(?:TEXT|INT|BYTES)\(([a-z_]+)", cfg))
    return commands, keys


def lint(page):
    problems = []
    r = subprocess.run(["groff", "-mandoc", "-Tutf8", "-ww", "-z", page],
                       capture_output=True, text=True)
    if r.returncode or r.stderr.strip():
        problems.append("groff: " + r.stderr.strip())
    if shutil.which("mandoc"):
        r = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", page],
                           capture_output=True, text=True)
        if r.returncode:
            problems.append("mandoc: " + (r.stdout + r.stderr).strip())
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inop", required=True)
    ap.add_argument("--page", default=os.path.join(ROOT, "docs/inop.1"))
    a = ap.parse_args()
    h_cmd, h_key = help_lists(a.inop)
    m_cmd, m_key = man_lists(a.page)
    s_cmd, s_key = source_lists()
    failures = lint(a.page)
    for what, lists in (("commands", (h_cmd, m_cmd, s_cmd)),
                        ("keys", (h_key, m_key, s_key))):
        names = ("inop help", "man page", "source")
        for i in range(3):
            for j in range(3):
                extra = lists[i] - lists[j]
                if i != j and extra:
                    failures.append("%s in %s but not in %s: %s" % (
                        what, names[i], names[j], ", ".join(sorted(extra))))
    print("commands: %d, keys: %d" % (len(s_cmd), len(s_key)))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
