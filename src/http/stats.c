/*
 * The server's counters for /metrics: requests by route class and status, their
 * durations, and connections. Each worker thread counts into its own struct, so the
 * request path pays a few plain stores and no contended cache line (a shared atomic
 * counter would be one locked add per request, bounced between cores); /metrics sums
 * the workers' structs when it is asked, which is rare. Errors by code are counted
 * process-wide in request.c (http_response_count) and written here too.
 */
#include "http/http.h"
#include "http/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what a status is counted under; the last slot is "other" */
static const int status_codes[HTTP_STATUS_SLOTS - 1] = {
    200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403,
    404, 405, 409, 410, 413, 414, 415, 416, 422, 429, 431, 500, 503};

static size_t status_slot(int status)
{
    for (size_t i = 0; i < ARRAY_LEN(status_codes); i++)
        if (status_codes[i] == status)
            return i;
    return HTTP_STATUS_SLOTS - 1;
}

void http_stats_init(struct http_stats *s, const char *const *classes, unsigned n)
{
    memset(s, 0, sizeof(*s));
    s->classes = classes;
    while (classes && classes[s->nclasses] && s->nclasses < HTTP_ROUTE_CLASSES_MAX)
        s->nclasses++;
    s->workers = xcalloc(n ? n : 1, sizeof(*s->workers));
    s->nworkers = n;
}

void http_stats_release(struct http_stats *s)
{
    free(s->workers);
    s->workers = NULL;
}

/* One writer (see hist_add_own): a load and a store. */
static void own_inc(_Atomic uint64_t *p)
{
    atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + 1,
                          memory_order_release);
}

void http_stats_request(struct http_worker_stats *w, int status, unsigned route_class, uint64_t ns)
{
    if (route_class >= HTTP_ROUTE_CLASSES_MAX)
        route_class = 0;
    own_inc(&w->requests[route_class][status_slot(status)]);
    hist_add_own(&w->duration[route_class], ns);
}

void http_stats_connection(struct http_worker_stats *w, bool open)
{
    own_inc(open ? &w->accepted : &w->closed);
}

/* ---- the text format ------------------------------------------------------------------ */

static const char *class_name(const struct http_stats *s, size_t c)
{
    return s->nclasses ? s->classes[c] : "all";
}

/*
 * A label value as the text format wants it (backslash, double quote and newline
 * escaped), into dst of size n; the class names are ours and short, but a name that
 * needs escaping must not break the exposition.
 */
static const char *label_value(const char *v, char *dst, size_t n)
{
    size_t j = 0;
    for (; *v && j + 3 < n; v++) {
        if (*v == '\\' || *v == '"' || *v == '\n')
            dst[j++] = '\\';
        dst[j++] = *v == '\n' ? 'n' : *v;
    }
    dst[j] = '\0';
    return dst;
}

static enum err_code write_errors(struct buf *out)
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

/* Requests by class and status: the pairs seen so far (a series appears at its first). */
static enum err_code write_requests(const struct http_stats *s, struct buf *out)
{
    enum err_code rc = buf_puts(
        out, "# HELP newsdesk_http_requests_total Requests answered, by the kind of route and "
             "the status sent.\n"
             "# TYPE newsdesk_http_requests_total counter\n");
    size_t nclasses = s->nclasses ? s->nclasses : 1;
    for (size_t c = 0; !rc && c < nclasses; c++) {
        for (size_t k = 0; !rc && k < HTTP_STATUS_SLOTS; k++) {
            uint64_t n = 0;
            for (unsigned w = 0; w < s->nworkers; w++)
                n += atomic_load_explicit(&s->workers[w].requests[c][k], memory_order_relaxed);
            if (!n)
                continue;
            char status[16], name[64];
            if (k < ARRAY_LEN(status_codes))
                snprintf(status, sizeof(status), "%d", status_codes[k]);
            else
                snprintf(status, sizeof(status), "other");
            rc = buf_printf(out, "newsdesk_http_requests_total{route=\"%s\",status=\"%s\"} %llu\n",
                            label_value(class_name(s, c), name, sizeof(name)), status,
                            (unsigned long long)n);
        }
    }
    return rc;
}

/* The duration histogram of each class that has answered a request. */
static enum err_code write_durations(const struct http_stats *s, struct buf *out)
{
    enum err_code rc = buf_puts(
        out, "# HELP newsdesk_http_request_duration_seconds Time from a request's arrival at "
             "the server to its response handed to the connection, by the kind of route.\n"
             "# TYPE newsdesk_http_request_duration_seconds histogram\n");
    size_t nclasses = s->nclasses ? s->nclasses : 1;
    for (size_t c = 0; !rc && c < nclasses; c++) {
        uint64_t counts[HIST_BUCKETS] = {0}, sum = 0, total = 0;
        for (unsigned w = 0; w < s->nworkers; w++)
            hist_gather(&s->workers[w].duration[c], counts, &sum);
        for (size_t i = 0; i < HIST_BUCKETS; i++)
            total += counts[i];
        if (!total)
            continue;
        char name[64], labels[80];
        snprintf(labels, sizeof(labels), "route=\"%s\"",
                 label_value(class_name(s, c), name, sizeof(name)));
        rc = hist_write(out, "newsdesk_http_request_duration_seconds", labels, counts, sum);
    }
    return rc;
}

/*
 * Closed counts are read before accepted ones, with acquire: each worker accepted a
 * connection before closing it, so the difference is never negative.
 */
static enum err_code write_connections(const struct http_stats *s, struct buf *out)
{
    uint64_t closed = 0, accepted = 0;
    for (unsigned w = 0; w < s->nworkers; w++)
        closed += atomic_load_explicit(&s->workers[w].closed, memory_order_acquire);
    for (unsigned w = 0; w < s->nworkers; w++)
        accepted += atomic_load_explicit(&s->workers[w].accepted, memory_order_acquire);
    return buf_printf(out,
                      "# HELP newsdesk_http_connections_open HTTP connections open now.\n"
                      "# TYPE newsdesk_http_connections_open gauge\n"
                      "newsdesk_http_connections_open %llu\n"
                      "# HELP newsdesk_http_connections_accepted_total HTTP connections "
                      "accepted since start.\n"
                      "# TYPE newsdesk_http_connections_accepted_total counter\n"
                      "newsdesk_http_connections_accepted_total %llu\n",
                      (unsigned long long)(accepted - closed), (unsigned long long)accepted);
}

enum err_code http_metrics_write(const struct request *req, struct buf *out)
{
    enum err_code rc = write_errors(out);
    const struct http_stats *s = req ? req->stats : NULL;
    if (!rc && s)
        rc = write_requests(s, out);
    if (!rc && s)
        rc = write_durations(s, out);
    if (!rc && s)
        rc = write_connections(s, out);
    return rc;
}
