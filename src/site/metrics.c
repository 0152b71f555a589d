/*
 * /metrics: counters for the operator's monitoring, in Prometheus' text format. Only
 * clients on the same machine see it, and only directly: a request that came through a
 * proxy (which would make every reader look local) carries a forwarding header and gets
 * the ordinary 404, like everyone else.
 */
#include "site/site_int.h"

#include "app.h"
#include "cache/cache.h"
#include "http/http.h"
#include "live/live.h"
#include "websub/websub.h"

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
