#include "mail/sender.h"

/* Plain functions, not the type-checking macros of curl/typecheck-gcc.h:
 * they are called through the pointers below. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail/complaint_mail.h"
#include "mail/mime.h"
#include "store/outbox.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/dlib.h"
#include "util/log.h"
#include "util/str.h"

#define BATCH		  10 /* mails claimed at once */
#define SEND_TIMEOUT_S	  60 /* one SMTP transaction */
#define CONNECT_TIMEOUT_S 10
/* A claimed batch must be done before its lease ends, or another node
 * could take (and send) the same mails. */
#define LEASE_S	     (BATCH * (SEND_TIMEOUT_S + CONNECT_TIMEOUT_S) + 60)
#define RUN_MAX_S    30 /* then let the other jobs run */
#define RETRY_MAX_S  3600
#define ATTEMPTS_MAX 50 /* ~2 days of retries, then FAILED */
/* Mails with attachments: Q4's fall back keeps them under 10 MiB of
 * attachments; this is the hard stop. */
#define MESSAGE_MAX (24u << 20)

static const struct config *s_cfg;
static char s_password[256];
static char s_node[96];
static char s_url[300];
static long s_use_ssl;
/* After a connection failure this node leaves the server alone until
 * then, instead of trying every mail of the batch against it. */
static int64_t s_down_until;
static int s_down_streak;

static int read_password(const char *path)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "inop: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	if (!fgets(s_password, sizeof(s_password), f))
		s_password[0] = '\0';
	fclose(f);
	s_password[strcspn(s_password, "\r\n")] = '\0';
	return 0;
}

/* smtp_tls and the URL's scheme -> the URL curl gets and CURLOPT_USE_SSL. */
static void tls_setup(const struct config *c)
{
	int smtps = strncmp(c->smtp_url, "smtps://", 8) == 0;

	/* s_url and from[] have room for smtp_url/smtp_from and 2 more */
	if (strcmp(c->smtp_tls, "tls") == 0 && !smtps) {
		(void)str_printf(s_url, sizeof(s_url), "smtps://%s",
				 c->smtp_url + 7);
		smtps = 1;
	} else {
		(void)str_copy(s_url, sizeof(s_url), c->smtp_url);
	}
	s_use_ssl = smtps || strcmp(c->smtp_tls, "starttls") == 0
			    ? (long)CURLUSESSL_ALL
			    : (long)CURLUSESSL_NONE;
}

int sender_setup(const struct config *cfg)
{
	char host[48] = "node";
	unsigned char rnd[4];

	s_cfg = cfg;
	s_password[0] = '\0';
	if (cfg->smtp_password_file[0] &&
	    read_password(cfg->smtp_password_file) < 0)
		return -1;
	tls_setup(cfg);
	gethostname(host, sizeof(host) - 1);
	randombytes_buf(rnd, sizeof(rnd));
	/* 47 + '-' + pid + '-' + 8: no cut */
	(void)str_printf(s_node, sizeof(s_node), "%s-%d-%02x%02x%02x%02x",
			 host, (int)getpid(), rnd[0], rnd[1], rnd[2], rnd[3]);
	return 0;
}

/*
 * libcurl (and the OpenSSL it brings up) is loaded (util/dlib.h) and
 * initialised with the first mail to send, not at start: 2.4 MB of
 * resident memory measured for curl_global_init() alone, and the loading
 * of libcurl's libraries, which a node that sends nothing never needs.
 */
// clang-format off
#define CURL_FUNCS(X) \
	X(curl_easy_cleanup) \
	X(curl_easy_getinfo) \
	X(curl_easy_init) \
	X(curl_easy_perform) \
	X(curl_easy_reset) \
	X(curl_easy_setopt) \
	X(curl_easy_strerror) \
	X(curl_global_init) \
	X(curl_slist_append) \
	X(curl_slist_free_all)
// clang-format on

static struct {
	CURL_FUNCS(DLIB_MEMBER)
} cu;

#define CURL_SLOT(f) &cu.f,
static const char *const curl_names[] = {CURL_FUNCS(DLIB_NAME)};
static void *const curl_slots[] = {CURL_FUNCS(CURL_SLOT)};
#undef CURL_SLOT

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ready;

static void curl_start(void)
{
	char why[256] = "";

	if (dlib_load("libcurl.so.4", curl_names, curl_slots,
		      sizeof(curl_names) / sizeof(curl_names[0]), why,
		      sizeof(why)) < 0) {
		log_error("mail: libcurl cannot be loaded (install libcurl4): "
			  "%s",
			  why);
		return;
	}
	curl_ready = cu.curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
	if (!curl_ready)
		log_error("mail: libcurl cannot be initialised");
}

static CURL *curl_handle(void)
{
	(void)pthread_once(&curl_once, curl_start);
	return curl_ready ? cu.curl_easy_init() : NULL;
}

struct upload {
	const char *data;
	size_t len, off;
};

static size_t read_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(ptr, u->data + u->off, n);
	u->off += n;
	return n;
}

/* "<a@x>" for each address of the comma-separated list. */
static struct curl_slist *rcpt_list(const char *recipients)
{
	struct curl_slist *list = NULL, *grown;
	char one[300];

	while (*recipients) {
		size_t n = strcspn(recipients, ",");

		/* a cut address would be another mailbox: fail the mail */
		grown = str_printf(one, sizeof(one), "<%.*s>", (int)n,
				   recipients) == 0
				? cu.curl_slist_append(list, one)
				: NULL;
		if (!grown) {
			cu.curl_slist_free_all(list);
			return NULL;
		}
		list = grown;
		recipients += n + (recipients[n] == ',');
	}
	return list;
}

/* One SMTP transaction.  CURLE_OK when the server took the mail. */
static CURLcode smtp_send(CURL *c, const char *recipients,
			  const struct buf *msg, char err[CURL_ERROR_SIZE])
{
	struct upload up = {msg->s, msg->len, 0};
	struct curl_slist *rcpt = rcpt_list(recipients);
	char from[300];
	CURLcode rc;

	if (!rcpt)
		return CURLE_OUT_OF_MEMORY;
	(void)str_printf(from, sizeof(from), "<%s>", s_cfg->smtp_from);
	err[0] = '\0';
	cu.curl_easy_reset(c); /* keeps the connection for the next mail */
	cu.curl_easy_setopt(c, CURLOPT_URL, s_url);
	cu.curl_easy_setopt(c, CURLOPT_USE_SSL, s_use_ssl);
	cu.curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	cu.curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	cu.curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	cu.curl_easy_setopt(c, CURLOPT_READDATA, &up);
	cu.curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	cu.curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	cu.curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu.curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
			    (long)CONNECT_TIMEOUT_S);
	cu.curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT_S);
	cu.curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	if (s_cfg->smtp_user[0]) {
		cu.curl_easy_setopt(c, CURLOPT_USERNAME, s_cfg->smtp_user);
		cu.curl_easy_setopt(c, CURLOPT_PASSWORD, s_password);
	}
	rc = cu.curl_easy_perform(c);
	/* The option points at our list: clear it before freeing. */
	cu.curl_easy_setopt(c, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	cu.curl_slist_free_all(rcpt);
	if (rc != CURLE_OK && !err[0])
		(void)str_copy(err, CURL_ERROR_SIZE, /* a cut text is fine */
			       cu.curl_easy_strerror(rc));
	return rc;
}

/* The server is not there at all (as opposed to refusing one mail). */
static int server_down(CURLcode rc)
{
	return rc == CURLE_COULDNT_CONNECT ||
	       rc == CURLE_COULDNT_RESOLVE_HOST ||
	       rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_GOT_NOTHING ||
	       rc == CURLE_RECV_ERROR;
}

static int64_t retry_delay(int64_t attempts)
{
	int64_t d =
		s_cfg->smtp_retry_seconds > 0 ? s_cfg->smtp_retry_seconds : 30;

	for (int64_t i = 0; i < attempts && d < RETRY_MAX_S; i++)
		d *= 2;
	return d < RETRY_MAX_S ? d : RETRY_MAX_S;
}

/* Where the bytes of an outbox attachment come from (outbox.h). */
static const struct {
	const char *source;
	int (*load)(struct db *db, int64_t id, unsigned char **data,
		    size_t *len);
} attachment_sources[] = {
	{"complaint_form", complaint_mail_form},
	{"complaint_document", complaint_mail_document},
};

struct loaded {
	struct mime_attachment *att;
	unsigned char **data;
	size_t n;
	struct outbox_attachment_row *rows;
};

static void loaded_free(struct loaded *l)
{
	for (size_t i = 0; l->data && i < l->n; i++)
		free(l->data[i]);
	free(l->data);
	free(l->att);
	outbox_attachment_rows_free(l->rows, l->n);
}

static int load_one(struct db *db, const struct outbox_attachment_row *row,
		    unsigned char **data, size_t *len)
{
	for (size_t k = 0;
	     k < sizeof(attachment_sources) / sizeof(attachment_sources[0]);
	     k++)
		if (strcmp(attachment_sources[k].source, row->source) == 0)
			return attachment_sources[k].load(db, row->source_id,
							  data, len);
	log_error("mail attachment: unknown source '%s'", row->source);
	return -1;
}

/* The attachments of mail `id`, built.  0 or -1. */
static int load_attachments(struct db *db, int64_t id, struct loaded *l)
{
	memset(l, 0, sizeof(*l));
	if (store_outbox_attachments(db, id, &l->rows, &l->n) < 0)
		return -1;
	if (!l->n)
		return 0;
	l->att = calloc(l->n, sizeof(*l->att));
	l->data = calloc(l->n, sizeof(*l->data));
	if (!l->att || !l->data)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		if (load_one(db, &l->rows[i], &l->data[i], &l->att[i].len) < 0)
			return -1;
		l->att[i].data = l->data[i];
		l->att[i].filename = l->rows[i].filename;
		l->att[i].content_type = l->rows[i].content_type;
	}
	return 0;
}

/* Sends one claimed mail and records the attempt; returns curl's code. */
static CURLcode deliver(struct db *db, CURL *c, const struct outbox_row *m,
			int64_t now)
{
	struct mime_mail mm = {.id = m->id,
			       .created_at = m->created_at,
			       .date = clock_wall_s(),
			       .from = s_cfg->smtp_from,
			       .recipients = m->recipients,
			       .subject = m->subject,
			       .body_text = m->body_text,
			       .body_html = m->body_html};
	char err[CURL_ERROR_SIZE], detail[CURL_ERROR_SIZE + 32];
	struct buf msg;
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	int64_t retry_at;
	long code = 0;
	int lost;
	struct loaded att;

	buf_init(&msg, MESSAGE_MAX);
	(void)str_copy(err, sizeof(err), "message too large");
	if (load_attachments(db, m->id, &att) < 0) {
		(void)str_copy(err, sizeof(err),
			       "cannot build the attachments");
	} else {
		mm.att = att.att;
		mm.n_att = att.n;
		if (mime_compose(&mm, &msg) == 0)
			rc = smtp_send(c, m->recipients, &msg, err);
	}
	loaded_free(&att);
	buf_release(&msg);
	cu.curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	/* detail has room for err and the code */
	if (rc == CURLE_OK)
		(void)str_printf(detail, sizeof(detail), "sent (%ld)", code);
	else
		(void)str_printf(detail, sizeof(detail), "%s (%ld)", err,
				 code);
	retry_at = m->attempts + 1 >= ATTEMPTS_MAX
			   ? 0
			   : now + retry_delay(m->attempts);
	if (store_outbox_result(db, m->id, s_node, rc == CURLE_OK, detail, now,
				retry_at, &lost) < 0)
		log_error("mail %lld: cannot record the attempt",
			  (long long)m->id);
	else if (lost)
		log_warn("mail %lld: lease lost while sending",
			 (long long)m->id);
	if (rc == CURLE_OK)
		log_info("mail %lld sent", (long long)m->id);
	else
		log_warn("mail %lld not sent: %s", (long long)m->id, detail);
	return rc;
}

/* One batch; 1 when it was full (more may be due), 0 done, -1 error. */
static int send_batch(struct db *db, CURL **c, int64_t now)
{
	struct outbox_row *rows = NULL;
	size_t n = 0, i;
	CURLcode rc = CURLE_OK;
	int more;

	if (store_outbox_claim(db, s_node, now, LEASE_S, BATCH, &rows, &n) < 0)
		return -1;
	more = n == BATCH;
	if (n && !*c && !(*c = curl_handle())) {
		for (i = 0; i < n; i++)
			store_outbox_release(db, rows[i].id, s_node);
		outbox_rows_free(rows, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		rc = deliver(db, *c, &rows[i], now);
		if (server_down(rc))
			break;
	}
	if (i < n) {
		s_down_until = now + retry_delay(s_down_streak++);
		/* The rest were not attempted: back for the next run. */
		for (i++; i < n; i++)
			store_outbox_release(db, rows[i].id, s_node);
	} else if (n) {
		s_down_streak = 0;
	}
	outbox_rows_free(rows, n);
	return more && !server_down(rc);
}

int sender_run(struct db *db, int64_t now)
{
	int64_t start = clock_mono_ms();
	CURL *c = NULL; /* made when there is a mail to send */
	int rc;

	if (!s_cfg || !s_cfg->smtp_url[0] || now < s_down_until)
		return 0;
	do
		rc = send_batch(db, &c, now);
	while (rc == 1 && clock_mono_ms() - start < RUN_MAX_S * 1000);
	if (c)
		cu.curl_easy_cleanup(c);
	return rc < 0 ? -1 : 0;
}
