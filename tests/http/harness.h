/*
 * The HTTP test harness: runs the real newsdesk binary (the sanitizer build) on a random
 * 127.0.0.1 port with a temporary database, and speaks HTTP/1.1 to it over plain sockets,
 * so that malformed requests can be sent byte for byte.
 */
#ifndef TEST_HARNESS_H
#define TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define SRV_LOGINS_MAX 32

struct srv {
    char dir[256];    /* temporary folder holding the database */
    char db[640];     /* the file, or a postgresql:// URL (NEWSDESK_TEST_PG) */
    char pg_name[32]; /* the PostgreSQL database made for it, or "" */
    pid_t pid;
    int port;
    /*
     * The login e-mails of the accounts the test made (staff_add): http_raw fails the test
     * when one of them appears in any response to a path outside /admin/.
     */
    char logins[SRV_LOGINS_MAX][128];
    int nlogins;
};

struct resp {
    int status;
    char *head; /* status line and headers, NUL-terminated */
    char *body;
    size_t body_len;
};

/** Creates a temporary database with the demo content of `posts` posts (0: none). */
void srv_prepare(struct srv *s, int posts);
/** Starts `newsdesk serve` on the prepared database; waits until it listens. */
void srv_start(struct srv *s);
/** As srv_start, with one more option and its value (e.g. "--cache-mb", "0"). */
void srv_start_with(struct srv *s, const char *opt, const char *val);
/** As srv_start, with more options: args is NULL-terminated (NULL: none). */
void srv_start_args(struct srv *s, const char *const *args);
/** Records a login e-mail that must never appear outside /admin/ (staff_add does it). */
void srv_login_add(struct srv *s, const char *email);
/** Forgets a recorded login e-mail: an administrator chose to show it to readers. */
void srv_login_public(struct srv *s, const char *email);
/** SIGTERM, then checks the server exited 0. */
void srv_stop(struct srv *s);
/** Removes the temporary folder. */
void srv_cleanup(struct srv *s);

/* ---- a suite's server --------------------------------------------------------------- */

/* How each test of a suite gets its server (Criterion runs every test in its own process). */
struct suite_opts {
    int posts;                           /* demo posts (0: an empty site) */
    void (*before_start)(struct srv *s); /* adds posts, accounts, keys (NULL: nothing) */
    bool prepare_only;                   /* the tests start and stop the server themselves */
    const char *const *serve_args;       /* more `serve` options, NULL-terminated (NULL: none) */
};

/** srv_prepare, then o->before_start, then srv_start_args unless o->prepare_only. */
void suite_start(struct srv *s, const struct suite_opts *o);
/** Stops the server if it runs (checking its exit status) and removes its folder. */
void suite_stop(struct srv *s);

/*
 * Declares the Criterion suite `name` whose tests each get the server `srv` (a static
 * struct srv of the file) as the options after the timeout say:
 *
 *   static struct srv srv;
 *   HTTP_SUITE(http_pages, srv, 60, .posts = 40);
 */
#define HTTP_SUITE(name, srv, timeout_s, ...)                                                      \
    static void name##_start(void)                                                                 \
    {                                                                                              \
        suite_start(&(srv), &(const struct suite_opts){__VA_ARGS__});                              \
    }                                                                                              \
    static void name##_stop(void)                                                                  \
    {                                                                                              \
        suite_stop(&(srv));                                                                        \
    }                                                                                              \
    TestSuite(name, .init = name##_start, .fini = name##_stop, .timeout = (timeout_s))

/* ---- files and tools ----------------------------------------------------------------- */

#define SRV_PATH_MAX 400

/** `newsdesk apikey add --type content` on the server's database: the key's 26 hex digits. */
void srv_content_key(const struct srv *s, char key[27]);
/** Writes text to the file `name` in the server's folder; *path (may be NULL) names it. */
void srv_write(const struct srv *s, const char *name, const char *text, char path[SRV_PATH_MAX]);
/** Writes a post file `name` there and adds it with `newsdesk post add`; fails the test if
 * that fails, with its message. */
void srv_add_post(const struct srv *s, const char *name, const char *text);
/** Writes r's body to the file `name` in the server's folder; returns path. */
const char *srv_save(const struct srv *s, const struct resp *r, const char *name,
                     char path[SRV_PATH_MAX]);
/**
 * Checks an XML file with the tools of the test machine: schema NULL for well-formedness
 * (xmllint), a file name in NEWSDESK_SCHEMAS ending ".xsd" (xmllint) or ".rnc" (jing).
 * Returns the tool's exit status (0: valid).
 */
int xml_check(const char *schema, const char *file);
/** Runs `node ARGS` (printf-formatted) from the repository, output on stderr; returns its
 * exit status. */
int node_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Runs a shell command (printf-formatted); its standard output, trimmed (malloc'd). */
char *sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** A port of 127.0.0.1 nobody listens on now (for a proxy or cache the test starts). */
int free_port(void);
/** Whether something accepts connections on 127.0.0.1:port. */
bool port_open(int port);
/** Runs a shell command (printf-style); its exit status (128 when it did not exit). */
int sh_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** The whole file at path (malloc'd, *len bytes); fails the test when it cannot be read. */
char *file_slurp(const char *path, size_t *len);
/** Runs newsdesk with args (NULL-terminated); returns its exit status; output captured. */
int run_newsdesk(char **out, char **errout, const char *arg, ...);

/** A new connection to the server (for tests that hold many open at once). */
int http_open(const struct srv *s);
void http_send_all(int fd, const char *req, size_t len);
/** Reads until the server closes fd, parses, and closes fd. */
void http_read_response(int fd, struct resp *r);
/**
 * Sends raw bytes on a new connection and reads the whole response (server closes). Every
 * request of the helpers comes through here: a response to a path outside /admin/ that
 * holds a recorded login e-mail (any case) fails the test, naming the path.
 */
void http_raw(const struct srv *s, const char *req, size_t len, struct resp *r);
/** GET (or another method) path with Connection: close. */
void http_req(const struct srv *s, const char *method, const char *path, struct resp *r);
void resp_free(struct resp *r);
/** The value of a response header (case-insensitive name), malloc'd, or NULL. */
char *resp_header(const struct resp *r, const char *name);
/** Number of non-overlapping occurrences of needle in the body. */
size_t body_count(const struct resp *r, const char *needle);
bool body_has(const struct resp *r, const char *needle);
/** The first attribute value after `after` in the body: e.g. data-more="..." (malloc'd). */
char *body_attr(const struct resp *r, const char *attr);
/** The text after the first `open` in the body up to the first byte of `stop` (malloc'd),
 * or NULL without `open`. */
char *body_after(const struct resp *r, const char *open, const char *stop);
/** The text between the first `open` and the next `close` in the body (malloc'd), or NULL
 * when either is missing. */
char *body_between(const struct resp *r, const char *open, const char *close);

#endif
