#ifndef INOP_UTIL_SDNOTIFY_H
#define INOP_UTIL_SDNOTIFY_H

/*
 * systemd's readiness protocol (sd_notify(3)): one datagram of
 * "KEY=VALUE\n" lines to the AF_UNIX socket named by $NOTIFY_SOCKET
 * ('@' = abstract namespace).  Written here rather than linking
 * libsystemd: the protocol is one sendto(), documented as stable, and
 * this keeps the binary's dependencies and the build the same on
 * machines without systemd.  0 when not under systemd (no variable),
 * 1 when sent, -1 on failure.
 */
int sdnotify(const char *state);

#endif
