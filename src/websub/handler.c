/*
 * POST SITE_HUB_PATH: a subscriber's request (WebSub 5.1). Everything that can be judged
 * without the callback is judged here, so a bad request is a 4xx with its reason rather
 * than a 202 followed by silence; the rest (does the callback want it?) is the
 * verification the hub's thread does after the 202 (WebSub 5.2, 5.3).
 */
#include "websub/websub_int.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
#include "site/site.h"
#include "store/store.h"

#include <string.h>

/*
 * The topic must be one of our feeds, exactly as its rel=self names it; *dep is the
 * change-log key it follows. An unsubscription needs only our address: a feed whose tag
 * was since deleted can still be left.
 */
static enum err_code topic_check(struct app *app, const struct request *req,
                                 const struct websub_request *r, struct str *dep, struct err *err)
{
    struct str url = site_settings_of(app->site)->url;
    struct str t = r->topic;
    *dep = STR_LIT("");
    if (t.len <= url.len || memcmp(t.ptr, url.ptr, url.len) != 0 || t.ptr[url.len] != '/')
        return err_set(err, ERR_INVALID,
                       "hub.topic must be the URL of one of this site's feeds (%.*s/rss/, "
                       "/atom/, /feed.json, or those of a tag or an author), as its "
                       "rel=\"self\" link gives it",
                       (int)url.len, url.ptr);
    if (r->mode == WEBSUB_UNSUBSCRIBE)
        return ERR_OK;
    struct site_feed f;
    struct err why = {0};
    struct str path = {t.ptr + url.len, t.len - url.len};
    enum err_code rc = site_feed_render(app, app_store(req), path, req->arena, &f, &why);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_INVALID, "hub.topic is not a feed of this site: %s", why.msg);
    if (rc)
        return err_set(err, rc, "%s", why.msg);
    *dep = f.dep;
    return ERR_OK;
}

/* The caps on live subscriptions: per callback host, per topic and in all. */
static enum err_code caps(const struct request *req, const struct websub_request *r,
                          struct err *err)
{
    int64_t by_host, by_topic, total;
    enum err_code rc = store_websub_counts(app_store(req), r->host, r->topic, time_now(), &by_host,
                                           &by_topic, &total, err);
    if (rc)
        return rc;
    if (by_host >= WEBSUB_SUBS_PER_HOST)
        return err_set(err, ERR_LIMIT,
                       "callbacks on '%.*s' have %d subscriptions, the most "
                       "one host may have",
                       (int)r->host.len, r->host.ptr, WEBSUB_SUBS_PER_HOST);
    if (by_topic >= WEBSUB_SUBS_PER_TOPIC)
        return err_set(err, ERR_LIMIT, "this feed has the most subscribers the hub takes");
    if (total >= WEBSUB_SUBS_MAX)
        return err_set(err, ERR_BUSY, "the hub has the most subscriptions it takes");
    return ERR_OK;
}

enum err_code websub_hub_post(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    struct websub *hub = app->websub;
    if (!hub)
        return err_set(err, ERR_BUSY, "the WebSub hub is not running");
    int64_t retry = 0;
    struct str address = http_client_address(req, &app->proxies);
    if (!auth_limiter_take(hub->per_address, address, time_now(), &retry))
        return err_set(err, ERR_LIMIT,
                       "too many subscription requests from your address: try again in %lld "
                       "seconds",
                       (long long)retry);
    struct websub_request r;
    struct str dep;
    enum err_code rc = websub_request_parse(req, hub->cfg.allow_private, &r, err);
    if (!rc)
        rc = topic_check(app, req, &r, &dep, err);
    if (!rc && r.mode == WEBSUB_SUBSCRIBE)
        rc = caps(req, &r, err);
    if (!rc)
        rc = websub_verify_queue(hub, &r, dep, err);
    if (rc)
        return rc;
    res->status = 202; /* WebSub 5.1.1: accepted, verification follows */
    res->content_type = "text/plain; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    return buf_printf(&res->body,
                      "accepted: the hub will verify this %s with a GET of hub.callback\n",
                      r.mode == WEBSUB_SUBSCRIBE ? "subscription" : "unsubscription");
}
