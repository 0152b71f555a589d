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

struct srv {
    char dir[256]; /* temporary folder holding the database */
    char db[320];
    pid_t pid;
    int port;
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
/** SIGTERM, then checks the server exited 0. */
void srv_stop(struct srv *s);
/** Removes the temporary folder. */
void srv_cleanup(struct srv *s);

/** Runs newsdesk with args (NULL-terminated); returns its exit status; output captured. */
int run_newsdesk(char **out, char **errout, const char *arg, ...);

/** A new connection to the server (for tests that hold many open at once). */
int http_open(const struct srv *s);
void http_send_all(int fd, const char *req, size_t len);
/** Reads until the server closes fd, parses, and closes fd. */
void http_read_response(int fd, struct resp *r);
/** Sends raw bytes on a new connection and reads the whole response (server closes). */
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

#endif
