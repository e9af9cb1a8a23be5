#!/usr/bin/env python3
"""A real SMTP server on loopback for the mail tests (N1, N2).

    smtp_sink.py --port PORT --dir DIR

Runs aiosmtpd (Debian python3-aiosmtpd) on 127.0.0.1:PORT and writes each
message it accepts to DIR as NNNNNN.json: {"mail_from", "rcpt_tos",
"data"} (data: the message as received, text).  Prints "ready" once it
listens and runs until SIGTERM or SIGINT.  Run it with a Python that has
aiosmtpd (the tests use /usr/bin/python3 when theirs has not).
"""

import argparse
import itertools
import json
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.lock = threading.Lock()
        self.seq = itertools.count(len(os.listdir(folder)) + 1)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            n = next(self.seq)
        record = {"mail_from": envelope.mail_from,
                  "rcpt_tos": list(envelope.rcpt_tos),
                  "data": envelope.content.decode("utf-8", "replace")}
        tmp = os.path.join(self.folder, ".%06d.tmp" % n)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.folder, "%06d.json" % n))
        return "250 Message accepted for delivery"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Sink(args.dir), hostname="127.0.0.1",
                            port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
