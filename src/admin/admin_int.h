/* Shared by admin/'s own files only. */
#ifndef ADMIN_INT_H
#define ADMIN_INT_H

#include "admin/admin.h"

#include "app.h"
#include "http/http.h"
#include "store/store.h"

/*
 * HTML with escaping by default: h(b, fmt, ...) understands %s (a C string, escaped),
 * %S (a struct str, escaped), %R (a C string written as is: our own markup only),
 * %H (a struct str of trusted HTML: sanitised Markdown), %d (long long) and %%.
 */
void h(struct buf *b, const char *fmt, ...);

/* The page around a view: head, navigation for the session's role, main. */
void admin_page_begin(struct buf *b, const struct admin_session *s, const char *title,
                      const char *active);
void admin_page_end(struct buf *b);
/* A notice at the top of a page: kind "error" or "ok". */
void admin_notice(struct buf *b, const char *kind, const char *msg);
/* <input type=hidden name=csrf>. */
void admin_csrf_field(struct buf *b, const struct admin_session *s);
/* Sends b as the response with status, never cached, never framed. */
enum err_code admin_send(struct response *res, int status, struct buf *b);
/* 303 See Other to location. */
enum err_code admin_redirect(struct response *res, const char *location);

/* A form field, trimmed of surrounding white space ("" when absent). */
struct str admin_field(const struct request *req, const char *name);
/* A form field as is (bodies keep their spaces). */
struct str admin_field_raw(const struct request *req, const char *name);
/* The ?page= of a paged list (1 when absent or not a page number). */
int64_t admin_query_page(const struct request *req);
/* The route's {id} as a positive number, or 0. */
int64_t admin_param_id(const struct request *req);

/* The write connection, in a transaction, for the caller alone until admin_write_end. */
struct store *admin_write_begin(struct app *app, struct err *err);
/* Commits when rc is ERR_OK (rc becomes the commit's result), else rolls back. */
enum err_code admin_write_end(struct app *app, enum err_code rc, struct err *err);

/* The session of a request that the route table let through. */
static inline const struct admin_session *admin_session_of(const struct request *req)
{
    return req->session;
}

/* Local date and time for lists: "26 Nov 2026, 10:15". */
const char *admin_when(int64_t t, char out[64]);

#endif
