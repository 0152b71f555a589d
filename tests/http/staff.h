/*
 * Test helpers for the newsroom: staff accounts made with the real CLI, logins through
 * the real form, and form POSTs that carry what a browser sends (session cookie, CSRF
 * token, Origin) unless a test leaves something out on purpose.
 */
#ifndef TEST_STAFF_H
#define TEST_STAFF_H

#include "harness.h"

struct staff {
    char session[64]; /* the nd_session cookie's value */
    char csrf[64];
};

/**
 * `newsdesk user add` with the password on standard input; returns the exit status. The
 * login e-mail of an account it made is recorded on s (srv_login_add): no public response
 * may show it.
 */
int staff_add(struct srv *s, const char *email, const char *name, const char *role,
              const char *password);
/** Logs in through /admin/login/; returns the POST's status (303 on success). */
int staff_login(const struct srv *s, const char *email, const char *password, struct staff *out);
/** As staff_login, with more header lines on the POST ("X-Forwarded-For: ...\r\n"; may be NULL). */
int staff_login_with(const struct srv *s, const char *email, const char *password,
                     const char *headers, struct staff *out);
/** GET path with the staff member's session cookie. */
void staff_get(const struct srv *s, const struct staff *st, const char *path, struct resp *r);
/** POST form (already encoded; "csrf=..." is prepended) as the staff member. */
void staff_post(const struct srv *s, const struct staff *st, const char *path, const char *form,
                struct resp *r);
/** A new post titled title (section "News Feed", a line of text) published through s's
 * editor as st; the POST's status (303 when it was published). */
int staff_publish(const struct srv *s, const struct staff *st, const char *title);
/**
 * POST form to the editor of post id as the staff member, read at the post's current
 * version (as a browser's form is: "version=N" is appended).
 */
void staff_save(const struct srv *s, const struct staff *st, long id, const char *form,
                struct resp *r);
/**
 * POST with full control: extra is raw header lines ("Cookie: ...\r\n"), NULL for none;
 * origin NULL sends no Origin header.
 */
void form_post(const struct srv *s, const char *path, const char *origin, const char *extra,
               const char *body, struct resp *r);
/** x-www-form-urlencoded form of s (malloc'd). */
char *form_enc(const char *s);
/** Runs SQL on the test database with the sqlite3 shell (psql for a PostgreSQL one);
 * returns its first output line. */
char *db_query(const struct srv *s, const char *sql);
/** As db_query, with the SQL printf makes of fmt. */
char *db_queryf(const struct srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The number the query answers (its first column), from a format: "SELECT count(*) ...". */
long db_countf(const struct srv *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** The id in a "Location: /admin/posts/ID/..." of r, or 0. */
long post_id_of(const struct resp *r);

#endif
