#!/usr/bin/env python3
"""Reports loops among the files of one layer: X.c depends on Y when it
includes Y.h of the same folder.  Exit 1 when a loop exists.
Usage: tools/include-cycles.py src/store src/http"""
import os, re, sys

def graph(folder):
    layer = os.path.basename(folder)
    g = {}
    for f in os.listdir(folder):
        if not f.endswith('.c'):
            continue
        me = f[:-2]
        deps = set()
        for line in open(os.path.join(folder, f), encoding='utf-8'):
            m = re.match(r'#include "%s/(\w+)\.h"' % layer, line)
            if m and m.group(1) != me:
                deps.add(m.group(1))
        g[me] = deps
    return g

def cycles(g):
    found, state = [], {}
    def visit(n, path):
        state[n] = 1
        for d in sorted(g.get(n, ())):
            if state.get(d) == 1:
                found.append(path[path.index(d):] + [d])
            elif d in g and not state.get(d):
                visit(d, path + [d])
        state[n] = 2
    for n in sorted(g):
        if not state.get(n):
            visit(n, [n])
    return found

bad = 0
for folder in sys.argv[1:]:
    for c in cycles(graph(folder)):
        print('%s: loop %s' % (folder, ' -> '.join(c)))
        bad = 1
sys.exit(bad)
