/*
 * base: the few primitives every other module stands on.
 *
 * - struct str: a borrowed byte slice (ptr, len), never owning, not NUL-terminated
 *   unless said so. A callee never keeps one past the call unless its header says so.
 * - struct arena: a bump allocator. Everything allocated from it lives until
 *   arena_release(); nothing is freed one by one. One arena per request.
 * - struct buf: a growable byte buffer with a mandatory cap set at init (after curl's
 *   dynbuf). Growing past the cap fails with ERR_TOOBIG and leaves the content as it was
 *   before the call; the buffer stays NUL-terminated.
 * - enum err_code / struct err: the error codes of the whole program, with the HTTP
 *   status each maps to, and a message carried beside them.
 * - logging to stderr, time formatting and parsing, UTF-8 checks, xmalloc.
 *
 * Thread-safety: none of these objects is shared between threads; the functions keep
 * no global state, so different objects may be used on different threads at once.
 */
#ifndef BASE_H
#define BASE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BASE_VERSION "0.1.0"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define BASE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BASE_PRINTF(f, a)
#endif

/* ---- memory ---------------------------------------------------------------------- */

/** malloc/calloc/realloc/strdup that abort when memory runs out (never NULL). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* ---- slices ---------------------------------------------------------------------- */

struct str {
    const char *ptr;
    size_t len;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})
#define STR_NULL ((struct str){NULL, 0})

/** A slice over a NUL-terminated string; NULL gives the empty slice. */
struct str str_from(const char *s);
bool str_eq(struct str a, struct str b);
bool str_eq_cstr(struct str a, const char *b);
/** ASCII case-insensitive comparison. */
bool str_case_eq(struct str a, const char *b);
bool str_starts_with(struct str s, const char *prefix);
bool str_ends_with(struct str s, const char *suffix);
/** The slice without leading and trailing ASCII white space. */
struct str str_trim(struct str s);
/**
 * Parses a decimal integer that spans the whole slice into *out. Rejects signs other
 * than a leading '-', empty input, trailing bytes and overflow. Returns false on error.
 */
bool str_to_i64(struct str s, int64_t *out);
/** The value of a hexadecimal digit (either case), or -1. */
int str_hex_digit(char c);

/* ---- arena ----------------------------------------------------------------------- */

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
    size_t used;  /* bytes used in head */
    size_t total; /* bytes handed out in all chunks */
};

void arena_init(struct arena *a);
/** Frees every chunk; the arena can be used again afterwards. */
void arena_release(struct arena *a);
/** Memory aligned for any type; zero bytes gives a valid unique pointer. Lives in a. */
void *arena_alloc(struct arena *a, size_t n);
/** As arena_alloc, zero-filled; n * size checked for overflow (aborts). */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/** A NUL-terminated copy of (p, n). Result lives in a. */
char *arena_strndup(struct arena *a, const char *p, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/** A copy of s as a slice whose ptr is NUL-terminated. Result lives in a. */
struct str arena_str(struct arena *a, struct str s);
/** pre + mid + post, NUL-terminated, without printf's parsing. Result lives in a. */
struct str arena_cat3(struct arena *a, const char *pre, struct str mid, const char *post);
/**
 * s percent-encoded for a URL's query (RFC 3986: all but unreserved bytes), NUL-terminated.
 * Result lives in a.
 */
struct str arena_url_encode(struct arena *a, struct str s);
/** printf into the arena. Result lives in a. */
char *arena_printf(struct arena *a, const char *fmt, ...) BASE_PRINTF(2, 3);

/* ---- errors ---------------------------------------------------------------------- */

/*
 * One table for every error code: name, HTTP status, default message (lwan's
 * FOR_EACH_HTTP_STATUS). Only http_send_err() turns one into a response.
 */
#define ERR_CODES(X)                                                                               \
    X(OK, 200, "ok")                                                                               \
    X(INVALID, 400, "invalid request")                                                             \
    X(AUTH, 401, "login required")                                                                 \
    X(FORBIDDEN, 403, "forbidden")                                                                 \
    X(NOTFOUND, 404, "not found")                                                                  \
    X(METHOD, 405, "method not allowed")                                                           \
    X(CONFLICT, 409, "conflict")                                                                   \
    X(TOOBIG, 413, "too large")                                                                    \
    X(LIMIT, 429, "too many requests")                                                             \
    X(URITOOLONG, 414, "URI too long")                                                             \
    X(HEADERSTOOBIG, 431, "request header fields too large")                                       \
    X(INTERNAL, 500, "internal error")                                                             \
    X(BUSY, 503, "busy")                                                                           \
    X(IO, 500, "input/output error")                                                               \
    X(GONE, 410, "gone")                                                                           \
    X(UNSUPPORTED, 415, "unsupported media type")                                                  \
    X(VALIDATION, 422, "validation failed")

enum err_code {
#define ERR_ENUM_(name, status, msg) ERR_##name,
    ERR_CODES(ERR_ENUM_)
#undef ERR_ENUM_
        ERR__COUNT
};

#define ERR_MSG_MAX 512

struct err {
    enum err_code code;
    char msg[ERR_MSG_MAX];
};

/**
 * Records code and a formatted message in err (which may be NULL) and returns code,
 * so that `return err_set(err, ERR_INVALID, "empty title");` reads as one step.
 */
enum err_code err_set(struct err *err, enum err_code code, const char *fmt, ...) BASE_PRINTF(3, 4);
/** Prefixes err's message with "prefix: " (for file:line context). */
void err_prefix(struct err *err, const char *fmt, ...) BASE_PRINTF(2, 3);
int err_http_status(enum err_code code);
const char *err_name(enum err_code code);
const char *err_default_msg(enum err_code code);

/* ---- buffers --------------------------------------------------------------------- */

struct buf {
    char *ptr; /* NUL-terminated whenever cap > 0; NULL before the first write */
    size_t len;
    size_t cap; /* allocated bytes */
    size_t max; /* the most len may ever be */
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
/** Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
enum err_code buf_append(struct buf *b, const void *p, size_t n);
enum err_code buf_puts(struct buf *b, const char *s);
enum err_code buf_putc(struct buf *b, char c);
enum err_code buf_append_str(struct buf *b, struct str s);
enum err_code buf_printf(struct buf *b, const char *fmt, ...) BASE_PRINTF(2, 3);
enum err_code buf_vprintf(struct buf *b, const char *fmt, va_list ap) BASE_PRINTF(2, 0);
/** Appends s with & < > " ' replaced by their HTML entities. */
enum err_code buf_append_html(struct buf *b, const char *s, size_t n);
/** Hands the bytes over: caller frees with free(). The buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);
static inline struct str buf_str(const struct buf *b)
{
    return (struct str){b->ptr ? b->ptr : "", b->len};
}

/* ---- logging --------------------------------------------------------------------- */

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/** Writes one line to stderr: time, level, message. Thread-safe (one write(2)). */
void log_msg(enum log_level level, const char *fmt, ...) BASE_PRINTF(2, 3);
/** Lines below level are dropped from now on (safe while other threads log). */
void log_set_level(enum log_level level);
/**
 * Sends the error log (and anything else written to stderr) to path, appended, instead
 * of stderr ("-" or NULL: stderr as it was). log_reopen() opens the same path again, for
 * logrotate; a failure keeps the old file and returns false with errno set.
 */
bool log_open(const char *path);
bool log_reopen(void);
/** The request the calling thread is answering (0: none): its lines name it. */
void log_set_request(uint64_t id);
/** A request id as text (16 hex digits and a NUL). */
void log_request_id(uint64_t id, char out[17]);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/* ---- time ------------------------------------------------------------------------ */

/*
 * Times are int64_t Unix seconds in UTC everywhere. Local time is shown in the site's
 * time zone, which time_zone_set() installs in the process, at start-up and whenever the
 * setting changes (glibc keeps one zone per process; see the note in time.c).
 */

/** Seconds since the epoch, now. */
int64_t time_now(void);

/* ---- threads (thread.c) ---------------------------------------------------------- */

/*
 * pthread_create for a background thread of the server, with SIGINT and SIGTERM blocked in
 * it: the server waits for them in its main thread (sigwait), and a thread that left them
 * unblocked would take one itself, whose default action kills the process mid-shutdown.
 * Returns pthread_create's result.
 */
int base_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);
/** Nanoseconds on the monotonic clock (CLOCK_MONOTONIC): for durations, never for dates. */
uint64_t time_mono_ns(void);
/**
 * Parses an ISO 8601 / RFC 3339 date-time: "2026-11-26", "2026-11-26T08:15",
 * "2026-11-26 08:15:00", with optional fraction, and "Z" or "+02:00"; without a zone the
 * time is taken as UTC. Returns false on anything else.
 */
bool time_parse_iso(struct str s, int64_t *out);
/**
 * Parses an HTTP date in IMF-fixdate form, "Thu, 26 Nov 2026 08:15:00 GMT" (RFC 9110
 * 5.6.7). The obsolete forms are refused, which makes If-Modified-Since ignored.
 */
bool time_parse_http(struct str s, int64_t *out);
/**
 * Parses a date and time as an editor types it ("2026-11-26T10:15", an HTML
 * datetime-local value) in the site's zone; with an explicit zone, as time_parse_iso.
 */
bool time_parse_local(struct str s, int64_t *out);
/** "2026-11-26T10:15" in the site's zone: the value of a datetime-local input. */
void time_fmt_input_local(int64_t t, char out[20]);
/** "2026-11-26T08:15:00Z" (20 bytes + NUL). */
void time_fmt_iso_utc(int64_t t, char out[32]);
/** RFC 3339 in the site's zone with its offset: "2026-11-26T10:15:00+02:00". */
void time_fmt_iso_local(int64_t t, char out[40]);
/** "Thu, 26 Nov 2026 08:15:00 GMT" (IMF-fixdate, RFC 822 with four-digit year). */
void time_fmt_http(int64_t t, char out[40]);
/** The date as readers see it in the site's zone: "26 November 2026". */
void time_fmt_human_date(int64_t t, char out[40]);
/** "10:15" in the site's zone. */
void time_fmt_human_time(int64_t t, char out[16]);

/* The three local forms at once, from one conversion (a page shows dozens of dates). */
struct time_local {
    char iso[40];   /* as time_fmt_iso_local */
    char date[40];  /* as time_fmt_human_date */
    char clock[16]; /* as time_fmt_human_time */
};
void time_fmt_local(int64_t t, struct time_local *out);
/** True when name is a time zone the system knows (a TZif file under zoneinfo). */
bool time_zone_valid(const char *name);
/**
 * The IANA names of the system's time zones (its tzdata's zone1970.tab, or zone.tab) and
 * UTC, sorted, for a person to choose from; *out lives in a. Returns how many.
 */
size_t time_zone_names(struct arena *a, struct str **out);
/**
 * Makes name the process's zone for the *_local and human formats. Thread-safe: a date
 * being formatted meanwhile is in the old zone or the new, never a mix.
 */
bool time_zone_set(const char *name);

/* ---- UTF-8 ----------------------------------------------------------------------- */

/** True when (p, n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool utf8_valid(const char *p, size_t n);
/** The offset of the first malformed sequence in (p, n), or n when it is well-formed. */
size_t utf8_invalid_at(const char *p, size_t n);
/**
 * Decodes one code point at p (n bytes available) into *cp and returns its length,
 * or returns 0 on a malformed sequence (then *cp is U+FFFD).
 */
size_t utf8_decode(const char *p, size_t n, uint32_t *cp);
/** Encodes cp into out (4 bytes room) and returns the length (0 if invalid). */
size_t utf8_encode(uint32_t cp, char out[4]);

/* ---- latency histograms for /metrics (hist.c) ---------------------------------------- */

/*
 * One histogram of durations in Prometheus' shape: HIST_BUCKETS counts (not cumulative;
 * the last is everything above the largest bound, +Inf) and the sum of the durations.
 * The same bounds everywhere, from 100 us (a cached page) to 10 s. The counts are atomics;
 * hist_add is an atomic add per field, for histograms several threads share; a histogram
 * written by one thread only can use hist_add_own, which needs no lock prefix.
 */
#define HIST_BUCKETS 16

struct hist {
    _Atomic uint64_t counts[HIST_BUCKETS];
    _Atomic uint64_t sum_ns;
};

/** The bucket a duration falls in (0 .. HIST_BUCKETS - 1). */
size_t hist_bucket(uint64_t ns);
/** Counts one duration; safe from any thread. */
void hist_add(struct hist *h, uint64_t ns);
/** Counts one duration in a histogram only the calling thread writes (others may read). */
void hist_add_own(struct hist *h, uint64_t ns);
/** Adds what h holds now into counts and *sum_ns (summing several threads' histograms). */
void hist_gather(const struct hist *h, uint64_t counts[HIST_BUCKETS], uint64_t *sum_ns);
/**
 * Appends the _bucket (cumulative, le="+Inf" last), _sum (seconds) and _count samples of
 * the family name; labels is "" or label pairs without braces ("route=\"home\"") put
 * before le. The caller writes the family's HELP and TYPE lines once, before.
 */
enum err_code hist_write(struct buf *out, const char *name, const char *labels,
                         const uint64_t counts[HIST_BUCKETS], uint64_t sum_ns);

/* ---- deterministic randomness (never for secrets) --------------------------------- */

/** splitmix64: a fixed sequence for a given seed, for demo data and tests. */
uint64_t rng_next(uint64_t *state);
/** A number in [0, n). n must be > 0. */
uint64_t rng_below(uint64_t *state, uint64_t n);

#endif
