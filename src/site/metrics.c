/*
 * /metrics: counters for the operator's monitoring, in Prometheus' text format. Only
 * clients on the same machine see it (a scraper beside the server, or behind a proxy
 * that does not forward it); everyone else gets the ordinary 404.
 */
#include "site/site_int.h"

#include "app.h"
#include "cache/cache.h"
#include "http/http.h"

enum err_code site_metrics(struct app *app, const struct request *req, struct response *res)
{
    if (!req->loopback)
        return ERR_NOTFOUND;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    enum err_code rc = http_metrics_write(&res->body);
    if (!rc && app->cache)
        rc = cache_metrics_write(app->cache, &res->body);
    return rc;
}
