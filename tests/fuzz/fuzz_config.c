/*
 * libFuzzer target: a configuration file (`key = value` lines) read by
 * config_load_stream, then config_validate, as `inop check-config` does.
 */
#include <stdint.h>
#include <stdio.h>

#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char msg[1400];
	FILE *f;

	if (size == 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	config_defaults(&cfg);
	if (config_load_stream(&cfg, f, "fuzz.conf", msg, sizeof(msg)) == 0)
		config_validate(&cfg, msg, sizeof(msg));
	fclose(f);
	return 0;
}
