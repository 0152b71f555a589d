/*
 * The parts of HTTP handling that need no socket: decoding and checking request targets,
 * matching route patterns, building responses. Kept apart from server.c so that they
 * can be unit-tested and fuzzed without libh2o.
 */
#include "http/http.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Percent-decodes s into a's memory; '+' becomes a space when plus is set (query strings).
 * Rejects malformed escapes, NUL (raw or escaped) and invalid UTF-8.
 */
static enum err_code pct_decode(struct str s, bool plus, struct arena *a, struct str *out,
                                struct err *err)
{
    char *d = arena_alloc(a, s.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '%') {
            int hi = i + 2 < s.len ? str_hex_digit(s.ptr[i + 1]) : -1;
            int lo = hi >= 0 ? str_hex_digit(s.ptr[i + 2]) : -1;
            if (lo < 0)
                return err_set(err, ERR_INVALID, "bad percent-encoding at byte %zu", i);
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus) {
            c = ' ';
        }
        if (c == '\0')
            return err_set(err, ERR_INVALID, "NUL byte in request target");
        d[n++] = c;
    }
    d[n] = '\0';
    if (!utf8_valid(d, n))
        return err_set(err, ERR_INVALID, "request target is not valid UTF-8");
    *out = (struct str){d, n};
    return ERR_OK;
}

static bool is_dot_segment(const char *p, size_t n)
{
    return (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.');
}

enum err_code http_path_decode(struct str raw, struct arena *a, struct str *out, struct err *err)
{
    if (raw.len == 0 || raw.ptr[0] != '/')
        return err_set(err, ERR_INVALID, "request path must start with '/'");
    enum err_code rc = pct_decode(raw, false, a, out, err);
    if (rc)
        return rc;
    /* checked after decoding, so "%2e%2e" is caught as well as ".." */
    const char *p = out->ptr;
    size_t start = 1;
    for (size_t i = 1; i <= out->len; i++) {
        if (i < out->len && p[i] != '/')
            continue;
        if (is_dot_segment(p + start, i - start))
            return err_set(err, ERR_INVALID, "'.' or '..' segment in request path");
        start = i + 1;
    }
    return ERR_OK;
}

bool http_query_decode(struct str s, struct arena *a, struct str *out)
{
    return pct_decode(s, true, a, out, NULL) == ERR_OK;
}

struct str http_request_header(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->nheaders; i++)
        if (str_eq_cstr(req->headers[i].name, name))
            return req->headers[i].value;
    return STR_NULL;
}

struct str http_request_param(const struct request *req, const char *name)
{
    for (size_t i = 0; i < req->nparams; i++)
        if (str_eq_cstr(req->params[i].name, name))
            return req->params[i].value;
    return (struct str){"", 0};
}

/* The first "name=value" of an application/x-www-form-urlencoded string, decoded. */
static enum err_code urlencoded_get(struct str q, const char *name, struct arena *a,
                                    struct str *out)
{
    size_t nlen = strlen(name);
    while (q.len) {
        const char *amp = memchr(q.ptr, '&', q.len);
        size_t plen = amp ? (size_t)(amp - q.ptr) : q.len;
        struct str pair = {q.ptr, plen};
        const char *eq = memchr(pair.ptr, '=', pair.len);
        struct str key = {pair.ptr, eq ? (size_t)(eq - pair.ptr) : pair.len};
        if (key.len == nlen && memcmp(key.ptr, name, nlen) == 0) {
            struct str val = eq ? (struct str){eq + 1, pair.len - key.len - 1} : STR_LIT("");
            return http_query_decode(val, a, out) ? ERR_OK : ERR_INVALID;
        }
        q.ptr += plen + (amp ? 1 : 0);
        q.len -= plen + (amp ? 1 : 0);
    }
    return ERR_NOTFOUND;
}

enum err_code http_request_query(const struct request *req, const char *name, struct str *out)
{
    return urlencoded_get(req->query, name, req->arena, out);
}

enum err_code http_request_query_opt(const struct request *req, const char *name, struct str *out,
                                     bool *present, struct err *err)
{
    *out = STR_NULL;
    enum err_code rc = http_request_query(req, name, out);
    *present = rc == ERR_OK;
    if (rc == ERR_INVALID)
        return err_set(err, ERR_INVALID, "cannot read the '%s' parameter: bad encoding", name);
    return ERR_OK;
}

bool http_request_is_form(const struct request *req)
{
    struct str ct = http_request_header(req, "content-type");
    return ct.len >= 33 && strncasecmp(ct.ptr, "application/x-www-form-urlencoded", 33) == 0 &&
           (ct.len == 33 || ct.ptr[33] == ';' || ct.ptr[33] == ' ');
}

/* A field of a multipart body: a part that is not a file, as text. */
static enum err_code multipart_field(const struct request *req, const char *name, struct str *out)
{
    struct http_multipart m;
    if (http_multipart_parse(http_request_header(req, "content-type"), req->body, req->arena, &m,
                             NULL))
        return ERR_NOTFOUND;
    return http_multipart_field(&m, name, out);
}

enum err_code http_form_get(const struct request *req, const char *name, struct str *out)
{
    if (http_request_is_multipart(req))
        return multipart_field(req, name, out);
    if (!http_request_is_form(req))
        return ERR_NOTFOUND;
    return urlencoded_get(req->body, name, req->arena, out);
}

struct str http_request_cookie(const struct request *req, const char *name)
{
    size_t nlen = strlen(name);
    for (size_t i = 0; i < req->nheaders; i++) {
        if (!str_eq_cstr(req->headers[i].name, "cookie"))
            continue;
        struct str c = req->headers[i].value;
        while (c.len) {
            const char *semi = memchr(c.ptr, ';', c.len);
            struct str part = str_trim((struct str){c.ptr, semi ? (size_t)(semi - c.ptr) : c.len});
            if (part.len > nlen && part.ptr[nlen] == '=' && memcmp(part.ptr, name, nlen) == 0)
                return (struct str){part.ptr + nlen + 1, part.len - nlen - 1};
            size_t step = semi ? (size_t)(semi - c.ptr) + 1 : c.len;
            c.ptr += step;
            c.len -= step;
        }
    }
    return STR_NULL;
}

static bool kept(struct str key, const char *const *keep)
{
    for (size_t i = 0; keep && keep[i]; i++)
        if (str_eq_cstr(key, keep[i]))
            return true;
    return false;
}

struct str http_query_keep(const struct request *req, const char *const *keep)
{
    struct str q = req->query;
    char *out = arena_alloc(req->arena, q.len + 1);
    size_t n = 0;
    while (q.len) {
        const char *amp = memchr(q.ptr, '&', q.len);
        size_t plen = amp ? (size_t)(amp - q.ptr) : q.len;
        const char *eq = memchr(q.ptr, '=', plen);
        struct str key = {q.ptr, eq ? (size_t)(eq - q.ptr) : plen};
        if (key.len && kept(key, keep)) {
            if (n)
                out[n++] = '&';
            memcpy(out + n, q.ptr, plen);
            n += plen;
        }
        q.ptr += plen + (amp ? 1 : 0);
        q.len -= plen + (amp ? 1 : 0);
    }
    out[n] = '\0';
    return (struct str){out, n};
}

/*
 * One pattern segment against one path segment: a literal, or "prefix{name}suffix"
 * capturing the non-empty middle ("{slug}", "sitemap-posts-{n}.xml").
 */
static bool match_segment(struct str pat, struct str seg, struct request *req)
{
    const char *open = memchr(pat.ptr, '{', pat.len);
    const char *close = open ? memchr(open, '}', pat.len - (size_t)(open - pat.ptr)) : NULL;
    if (!close)
        return str_eq(pat, seg);
    struct str pre = {pat.ptr, (size_t)(open - pat.ptr)};
    struct str post = {close + 1, pat.len - (size_t)(close + 1 - pat.ptr)};
    if (seg.len <= pre.len + post.len || req->nparams == HTTP_PARAMS_MAX ||
        memcmp(seg.ptr, pre.ptr, pre.len) != 0 ||
        memcmp(seg.ptr + seg.len - post.len, post.ptr, post.len) != 0)
        return false;
    struct str name = {open + 1, (size_t)(close - open - 1)};
    struct str value = {seg.ptr + pre.len, seg.len - pre.len - post.len};
    req->params[req->nparams++] = (struct http_param){name, value};
    return true;
}

static struct str next_segment(struct str *s)
{
    const char *slash = memchr(s->ptr, '/', s->len);
    size_t n = slash ? (size_t)(slash - s->ptr) : s->len;
    struct str seg = {s->ptr, n};
    s->ptr += n + (slash ? 1 : 0);
    s->len -= n + (slash ? 1 : 0);
    return seg;
}

bool http_route_match(const char *pattern, struct str path, struct request *req)
{
    struct str pat = str_from(pattern);
    req->nparams = 0;
    if (!pat.len || pat.ptr[0] != '/' || !path.len || path.ptr[0] != '/')
        return false;
    pat.ptr++, pat.len--;
    path.ptr++, path.len--;
    while (pat.len) {
        if (str_starts_with(pat, "{*") && pat.ptr[pat.len - 1] == '}') {
            if (req->nparams == HTTP_PARAMS_MAX)
                return false;
            req->params[req->nparams++] = (struct http_param){{pat.ptr + 2, pat.len - 3}, path};
            return true;
        }
        bool pat_slash = memchr(pat.ptr, '/', pat.len) != NULL;
        bool path_slash = path.len && memchr(path.ptr, '/', path.len) != NULL;
        if (pat_slash != path_slash)
            return false;
        struct str ps = next_segment(&pat);
        struct str ss = next_segment(&path);
        if (!match_segment(ps, ss, req))
            return false;
    }
    if (path.len == 0)
        return true;
    req->nparams = 0;
    return false;
}

/* ---- responses ------------------------------------------------------------------- */

void http_response_init(struct response *res, struct arena *a, size_t body_max)
{
    memset(res, 0, sizeof(*res));
    res->status = 200;
    res->arena = a;
    buf_init(&res->body, body_max);
}

void http_response_release(struct response *res)
{
    buf_release(&res->body);
    if (res->body_release)
        res->body_release(res->body_release_arg);
    res->body_release = NULL;
}

void http_response_header(struct response *res, const char *name, struct str value)
{
    if (res->nheaders == HTTP_RES_HEADERS_MAX) {
        log_error("response header '%s' dropped: too many headers", name);
        return;
    }
    struct http_header *h = &res->headers[res->nheaders++];
    h->name = arena_str(res->arena, str_from(name));
    /* a header value never carries CR or LF: they would split the response */
    char *v = arena_strndup(res->arena, value.ptr, value.len);
    for (size_t i = 0; i < value.len; i++)
        if (v[i] == '\r' || v[i] == '\n')
            v[i] = ' ';
    h->value = (struct str){v, value.len};
}

void http_response_header_ref(struct response *res, struct str name, struct str value)
{
    if (res->nheaders == HTTP_RES_HEADERS_MAX) {
        log_error("response header '%.*s' dropped: too many headers", (int)name.len, name.ptr);
        return;
    }
    res->headers[res->nheaders++] = (struct http_header){name, value};
}

void http_response_dep(struct response *res, const char *fmt, ...)
{
    if (res->ndeps == HTTP_DEPS_MAX) {
        res->deps_overflow = true;
        return;
    }
    char key[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(key, sizeof(key), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(key)) {
        res->deps_overflow = true;
        return;
    }
    res->deps[res->ndeps++] = arena_str(res->arena, (struct str){key, (size_t)n});
}

void http_response_redirect(struct response *res, int status, struct str location)
{
    res->status = status;
    res->content_type = "text/plain; charset=utf-8";
    buf_reset(&res->body);
    http_response_header(res, "location", location);
    buf_puts(&res->body, "moved\n");
}

static _Atomic uint64_t err_counts[ERR__COUNT];

/* The code a status stands for, when a page chose its status without http_send_err. */
static enum err_code code_of_status(int status)
{
    for (int c = ERR_OK + 1; c < ERR__COUNT; c++)
        if (err_http_status((enum err_code)c) == status)
            return (enum err_code)c;
    return status >= 500 ? ERR_INTERNAL : ERR_INVALID;
}

void http_response_count(const struct response *res)
{
    if (res->status < 400)
        return;
    enum err_code code = res->err_code ? res->err_code : code_of_status(res->status);
    atomic_fetch_add(&err_counts[code], 1);
}

uint64_t http_err_count(enum err_code code)
{
    return (unsigned)code < ERR__COUNT ? atomic_load(&err_counts[code]) : 0;
}

enum err_code http_metrics_write(struct buf *out)
{
    enum err_code rc =
        buf_puts(out, "# HELP newsdesk_http_errors_total Error responses by status.\n"
                      "# TYPE newsdesk_http_errors_total counter\n");
    for (int c = ERR_OK + 1; !rc && c < ERR__COUNT; c++)
        rc = buf_printf(out, "newsdesk_http_errors_total{code=\"%s\",status=\"%d\"} %llu\n",
                        err_name((enum err_code)c), err_http_status((enum err_code)c),
                        (unsigned long long)http_err_count((enum err_code)c));
    return rc;
}

void http_send_err(const struct request *req, struct response *res, enum err_code code,
                   const char *msg)
{
    if ((unsigned)code >= ERR__COUNT || code == ERR_OK)
        code = ERR_INTERNAL;
    int status = err_http_status(code);
    if (status >= 500) {
        log_error("%.*s: %s", (int)req->log_path.len, req->log_path.ptr,
                  msg && *msg ? msg : err_default_msg(code));
        msg = err_default_msg(code);
    }
    if (!msg || !*msg)
        msg = err_default_msg(code);
    /* a Retry-After the handler set for this refusal (how long a limit lasts) is kept */
    struct str retry = STR_NULL;
    for (size_t i = 0; i < res->nheaders; i++)
        if (code == ERR_LIMIT && str_eq_cstr(res->headers[i].name, "retry-after"))
            retry = res->headers[i].value;
    res->nheaders = 0;
    if (retry.ptr)
        http_response_header_ref(res, STR_LIT("retry-after"), retry);
    buf_reset(&res->body);
    if (res->body_release)
        res->body_release(res->body_release_arg);
    res->body_release = NULL;
    res->body_ref = STR_NULL;
    res->status = status;
    res->err_code = code;
    /* busy is a moment's state (a lock held, a fault): the client may try again soon */
    if (code == ERR_BUSY)
        http_response_header(res, "retry-after", STR_LIT("1"));
    if (res->error_page && res->error_page(res->error_ctx, req, res, code, msg) == ERR_OK) {
        if (res->status == 200) /* a renderer that did not choose (a login redirect does) */
            res->status = status;
        return;
    }
    buf_reset(&res->body);
    res->content_type = "text/plain; charset=utf-8";
    buf_printf(&res->body, "%d %s\n", status, msg);
}
