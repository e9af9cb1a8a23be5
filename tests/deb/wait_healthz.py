#!/usr/bin/env python3
"""wait_healthz.py URL SECONDS: exit 0 once URL answers 200, 1 at the
deadline.  Polls; never sleeps longer than 50 ms at a time."""
import sys
import time
import urllib.request

url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.05)
sys.exit(1)
