/*
 * The operator's endpoints. /metrics: counters for monitoring, in Prometheus' text format.
 * Clients on the same machine see it, directly: a request that came through a proxy
 * (which would make every reader look local) carries a forwarding header and is not
 * direct. With serve --metrics-token, a request that sends the token as a bearer
 * credential is answered from anywhere, through a proxy too; direct loopback needs no
 * token, as before (whoever runs code on the machine can read the database anyway).
 * Everyone else gets the ordinary 404: /metrics is not advertised. /healthz and /readyz
 * answer anyone (a load balancer's probe), say nothing secret, and are never cached.
 */
#include "site/site_int.h"

#include "app.h"
#include "auth/auth.h"
#include "cache/cache.h"
#include "http/http.h"
#include "live/live.h"
#include "newsroom/newsroom.h"
#include "store/store.h"
#include "purge/purge.h"
#include "websub/websub.h"

#include <string.h>

static bool direct_loopback(const struct request *req)
{
    return req->loopback && !http_request_header(req, "x-forwarded-for").ptr &&
           !http_request_header(req, "forwarded").ptr && !http_request_header(req, "x-real-ip").ptr;
}

/*
 * "Authorization: Bearer <token>" with the token serve was given (RFC 6750 2.1; the
 * scheme's name in any case, RFC 9110 11.1). Both are hashed before the comparison, so
 * its time says nothing of where they differ, nor of the token's length.
 */
static bool bearer_ok(const struct app *app, const struct request *req)
{
    const char *token = atomic_load(&app->metrics_token);
    struct str h = http_request_header(req, "authorization");
    if (!token || !h.ptr || h.len < 7 || !str_case_eq((struct str){h.ptr, 7}, "bearer "))
        return false;
    struct str given = str_trim((struct str){h.ptr + 7, h.len - 7});
    unsigned char a[32], b[32];
    auth_token_hash(given, a);
    auth_token_hash(str_from(token), b);
    return auth_secret_eq((struct str){(const char *)a, sizeof(a)},
                          (struct str){(const char *)b, sizeof(b)});
}

enum err_code site_metrics(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    (void)err;
    if (!direct_loopback(req) && !bearer_ok(app, req))
        return ERR_NOTFOUND;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    const struct cache *caches[] = {app->cache, app->search_cache};
    static const char *const names[] = {"pages", "search"};
    enum err_code rc = http_metrics_write(req, &res->body);
    if (!rc)
        rc = cache_metrics_write(caches, names, ARRAY_LEN(caches), &res->body);
    if (!rc)
        rc = store_metrics_write(&res->body);
    if (!rc)
        rc = newsroom_scheduler_metrics_write(app->scheduler, &res->body);
    if (!rc)
        rc = live_metrics_write(app->live, &res->body);
    if (!rc)
        rc = websub_metrics_write(app->websub, &res->body);
    if (!rc)
        rc = purge_metrics_write(app->purge, &res->body);
    return rc;
}

/* A short plain-text answer that no cache keeps. */
static enum err_code plain_answer(struct response *res, int status, const char *text,
                                  const char *more)
{
    res->status = status;
    res->content_type = "text/plain; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    enum err_code rc = buf_append(&res->body, text, strlen(text));
    if (!rc && more)
        rc = buf_append(&res->body, more, strlen(more));
    return rc ? rc : buf_append(&res->body, "\n", 1);
}

enum err_code site_healthz(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    (void)app, (void)req, (void)err;
    return plain_answer(res, 200, "ok", NULL);
}

enum err_code site_readyz(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    (void)app, (void)err;
    struct err why = {0};
    if (store_ready(app_store(req), &why))
        return plain_answer(res, 503, "not ready: ", why.msg);
    return plain_answer(res, 200, "ready", NULL);
}
