/*
 * The operator's endpoints. /metrics: counters for monitoring, in Prometheus' text format.
 * Only clients on the same machine see it, and only directly: a request that came through
 * a proxy (which would make every reader look local) carries a forwarding header and gets
 * the ordinary 404, like everyone else. /healthz and /readyz answer anyone (a load
 * balancer's probe), say nothing secret, and are never cached.
 */
#include "site/site_int.h"

#include "app.h"
#include "cache/cache.h"
#include "http/http.h"
#include "live/live.h"
#include "store/store.h"
#include "websub/websub.h"

#include <string.h>

enum err_code site_metrics(struct app *app, const struct request *req, struct response *res,
                           struct err *err)
{
    (void)err;
    if (!req->loopback || http_request_header(req, "x-forwarded-for").ptr ||
        http_request_header(req, "forwarded").ptr || http_request_header(req, "x-real-ip").ptr)
        return ERR_NOTFOUND;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    enum err_code rc = http_metrics_write(&res->body);
    if (!rc && app->cache)
        rc = cache_metrics_write(app->cache, &res->body);
    if (!rc)
        rc = live_metrics_write(app->live, &res->body);
    if (!rc)
        rc = websub_metrics_write(app->websub, &res->body);
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
