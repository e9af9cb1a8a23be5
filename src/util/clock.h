#ifndef INOP_UTIL_CLOCK_H
#define INOP_UTIL_CLOCK_H
#include <stdint.h>

/*
 * The wall clock, in whole seconds since the epoch: what every record
 * is stamped with (registered_at, used_at, the audit's times, mails).
 *
 * Not time(): glibc answers it from the kernel's coarse clock, which
 * lags CLOCK_REALTIME by up to a timer tick.  A registration stamped
 * with it could be a second earlier than the time its client had read
 * before sending it (on this project's 2-core CI machine, 0.9 % of
 * time() calls were a second behind a clock_gettime() made just
 * before).  tests/unit/test_clock.c holds the promise.
 */
int64_t clock_wall_s(void);

/* CLOCK_MONOTONIC in milliseconds: for intervals, never for records. */
int64_t clock_mono_ms(void);

#endif
