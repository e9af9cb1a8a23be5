#!/usr/bin/env python3
"""hold_port.py: for shell tests.  Takes a free loopback port by binding
it (SO_REUSEADDR, not listening: a server that sets SO_REUSEADDR can still
listen on it, nothing else can take it), prints the number and holds it
until its standard input closes.  Use as a coprocess:

    coproc HOLD { python3 tests/lib/hold_port.py; }
    read -r port <&"${HOLD[0]}"
"""
import os
import socket
import sys

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
sys.stdin.read()
s.close()
os._exit(0)
