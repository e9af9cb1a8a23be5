#include "domain/account.h"

#include <string.h>

size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int username_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || n > 60)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	return at && at > s && strchr(at, '.') && !strchr(at + 1, '@') &&
	       !strpbrk(s, " <>\r\n,;\"");
}

int account_check(const char *username, const char *email, unsigned roles,
		  const char *password, struct inop_err *err)
{
	if (!username_ok(username))
		return err_validation(err, "username",
				      "El usuario debe tener de 3 a 60 "
				      "caracteres: minúsculas, dígitos, '.', "
				      "'-' o '_'");
	if (!email_ok(email))
		return err_validation(err, "email",
				      "El correo electrónico no es válido");
	if (!roles)
		return err_validation(err, "roles", "Indique al menos un rol");
	if (utf8_chars(password) < PASSWORD_MIN_CHARS)
		return err_set(err, 422, "WEAK_PASSWORD", "password",
			       "La contraseña debe tener al menos %d "
			       "caracteres",
			       PASSWORD_MIN_CHARS);
	return 0;
}
