#include "util/dlib.h"

#include <dlfcn.h>
#include <string.h>

#include "util/str.h"

int dlib_load(const char *soname, const char *const *names, void *const *slots,
	      size_t n, char *why, size_t why_size)
{
	/* Never closed: the functions are used until the process ends. */
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		(void)str_copy(why, why_size, dlerror());
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *fn = dlsym(lib, names[i]);

		if (!fn) {
			(void)str_printf(why, why_size, "%s: %s", soname,
					 dlerror());
			return -1;
		}
		/* A function pointer copied from dlsym's object pointer:
		 * the conversion POSIX guarantees, which ISO C does not
		 * spell as a cast. */
		memcpy(slots[i], &fn, sizeof(fn));
	}
	return 0;
}
