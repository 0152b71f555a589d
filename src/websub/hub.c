/*
 * The hub's thread: verification of intent and content distribution (WebSub 5.3, 7), all
 * through one libcurl multi handle, so a callback that hangs holds one of
 * WEBSUB_RUNNING_MAX slots until its timeout and nothing else.
 *
 * One loop, woken by a handler (curl_multi_wakeup) or every POLL_MS:
 *   1. verifications queued by handlers join the queue;
 *   2. when the change stamp moved, the change log says which feeds changed (their deps:
 *      "list", "tag:3", "author:5"; "*" and "settings" mean all of them);
 *   3. coalesce_ms after the first such change, each changed topic with subscribers is
 *      rendered once and, when its bytes differ from what it last sent, queued for each of
 *      its subscribers; a delivery already waiting for the same subscriber takes the new
 *      bytes instead of a second place in the queue;
 *   4. due jobs start, up to WEBSUB_RUNNING_MAX, WEBSUB_RUNNING_PER_HOST per host;
 *   5. finished transfers are judged: a verification stores or ends its subscription, a
 *      delivery that failed is queued again after retry_ms, 2 retry_ms, 4 retry_ms...
 *      until WEBSUB_ATTEMPTS tries, then dropped with a log line.
 * Rejected: a thread per transfer (a flood of hanging callbacks is a flood of threads) and
 * curl's easy interface in one thread (one hanging callback would stall every delivery).
 */
#include "websub/websub_int.h"

#include "app.h"
#include "auth/auth.h"
#include "site/site.h"
#include "store/store.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 100
#define PURGE_EVERY_MS (60 * 1000)
#define CHANGES_BATCH 256
#define DIRTY_MAX 256         /* distinct deps gathered; past it, every topic */
#define TOPICS_PER_FLUSH 4096 /* topics rendered per flush */
#define USER_AGENT "Newsdesk-WebSub/" BASE_VERSION

/* A rendered feed, shared by the deliveries that send it. The hub's thread alone. */
struct websub_body {
    int refs;
    char *bytes;
    size_t len;
    const char *content_type; /* static */
};

struct websub_job {
    struct websub_job *next;
    struct websub *hub;
    bool verify;    /* else a delivery */
    bool subscribe; /* a verification's mode */
    char *topic, *callback, *host, *dep, *secret;
    int64_t lease;
    char challenge[AUTH_TOKEN_LEN + 1];
    struct websub_body *body;
    int attempt; /* deliveries: tries made */
    int64_t due; /* monotonic ms before which it waits */
    CURL *easy;  /* while running */
    struct curl_slist *headers;
    char *url;
    struct buf answer; /* capped at WEBSUB_ANSWER_MAX */
    bool cut;          /* the answer went past the cap */
    bool blocked;      /* the address guard refused a connection */
};

/* What a topic last sent: a digest of its bytes, so an unchanged feed is not sent again. */
struct websub_topic {
    struct websub_topic *next;
    char *topic;
    unsigned char digest[32];
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void body_unref(struct websub_body *b)
{
    if (b && --b->refs == 0) {
        free(b->bytes);
        free(b);
    }
}

static void job_free(struct websub_job *j)
{
    if (!j)
        return;
    if (j->easy) {
        curl_multi_remove_handle(j->hub->multi, j->easy);
        curl_easy_cleanup(j->easy);
    }
    curl_slist_free_all(j->headers);
    free(j->url);
    buf_release(&j->answer);
    body_unref(j->body);
    free(j->topic);
    free(j->callback);
    free(j->host);
    free(j->dep);
    free(j->secret);
    free(j);
}

static struct websub_job *job_new(struct websub *hub, struct str topic, struct str callback,
                                  struct str host, struct str secret)
{
    struct websub_job *j = xcalloc(1, sizeof(*j));
    j->hub = hub;
    j->topic = xstrndup(topic.ptr, topic.len);
    j->callback = xstrndup(callback.ptr, callback.len);
    j->host = xstrndup(host.ptr, host.len);
    j->secret = xstrndup(secret.ptr ? secret.ptr : "", secret.len);
    buf_init(&j->answer, WEBSUB_ANSWER_MAX);
    return j;
}

/* ---- handing over verifications (any thread) -------------------------------------- */

enum err_code websub_verify_queue(struct websub *hub, const struct websub_request *r,
                                  struct str dep, struct err *err)
{
    struct websub_job *j = job_new(hub, r->topic, r->callback, r->host, r->secret);
    j->verify = true;
    j->subscribe = r->mode == WEBSUB_SUBSCRIBE;
    j->lease = r->lease_seconds;
    j->dep = xstrndup(dep.ptr ? dep.ptr : "", dep.len);
    auth_token_new(j->challenge);
    enum err_code rc = ERR_OK;
    pthread_mutex_lock(&hub->mu);
    size_t same = 0;
    for (size_t i = 0; i < hub->npending; i++)
        same += strcmp(hub->pending_hosts[i], j->host) == 0;
    if (hub->stop || hub->npending >= WEBSUB_PENDING_MAX) {
        rc = err_set(err, ERR_BUSY, "the hub has too many subscriptions to verify: try later");
    } else if (same >= WEBSUB_PENDING_PER_HOST) {
        rc = err_set(err, ERR_LIMIT,
                     "too many subscriptions to '%s' are waiting for verification: try later",
                     j->host);
    } else {
        hub->pending_hosts[hub->npending++] = xstrdup(j->host);
        j->next = hub->incoming;
        hub->incoming = j;
    }
    pthread_mutex_unlock(&hub->mu);
    if (rc)
        job_free(j);
    else
        curl_multi_wakeup(hub->multi);
    return rc;
}

/* A verification is done: its host no longer counts against the caps. */
static void pending_release(struct websub *hub, const char *host)
{
    pthread_mutex_lock(&hub->mu);
    for (size_t i = 0; i < hub->npending; i++) {
        if (strcmp(hub->pending_hosts[i], host) != 0)
            continue;
        free(hub->pending_hosts[i]);
        hub->pending_hosts[i] = hub->pending_hosts[--hub->npending];
        break;
    }
    pthread_mutex_unlock(&hub->mu);
}

/* ---- the queue ------------------------------------------------------------------- */

static void queue_push(struct websub *hub, struct websub_job *j)
{
    struct websub_job **pp = &hub->queue;
    while (*pp)
        pp = &(*pp)->next;
    j->next = NULL;
    *pp = j;
    hub->nqueue++;
}

/* Takes what handlers handed over; true when the hub is to stop. */
static bool take_incoming(struct websub *hub)
{
    pthread_mutex_lock(&hub->mu);
    struct websub_job *in = hub->incoming;
    hub->incoming = NULL;
    bool stop = hub->stop;
    pthread_mutex_unlock(&hub->mu);
    while (in) {
        struct websub_job *next = in->next;
        queue_push(hub, in);
        in = next;
    }
    return stop;
}

/* The waiting delivery of topic to callback, if any. */
static struct websub_job *queued_delivery(struct websub *hub, const char *topic,
                                          const char *callback)
{
    for (struct websub_job *j = hub->queue; j; j = j->next)
        if (!j->verify && !strcmp(j->topic, topic) && !strcmp(j->callback, callback))
            return j;
    return NULL;
}

/* Queues body for one subscriber: a delivery already waiting takes it instead. */
static void deliver_to(struct websub *hub, const struct store_websub_sub *s,
                       struct websub_body *body)
{
    char *topic = xstrndup(s->topic.ptr, s->topic.len);
    char *callback = xstrndup(s->callback.ptr, s->callback.len);
    struct websub_job *j = queued_delivery(hub, topic, callback);
    free(topic);
    free(callback);
    body->refs++;
    if (j) {
        body_unref(j->body);
        j->body = body;
        return;
    }
    if (hub->nqueue >= WEBSUB_QUEUE_MAX) {
        log_warn("websub: delivery queue full (%d): dropped the update of %.*s for %.*s",
                 WEBSUB_QUEUE_MAX, (int)s->topic.len, s->topic.ptr, (int)s->callback.len,
                 s->callback.ptr);
        atomic_fetch_add(&hub->count.dropped, 1);
        body_unref(body);
        return;
    }
    j = job_new(hub, s->topic, s->callback, s->host, s->secret);
    j->body = body;
    queue_push(hub, j);
}

/* ---- following the change log ----------------------------------------------------- */

static void mark_dirty(struct websub *hub, struct str dep)
{
    for (size_t i = 0; i < hub->ndirty; i++)
        if (str_eq_cstr(dep, hub->dirty[i]))
            return;
    if (hub->ndirty == DIRTY_MAX) {
        hub->dirty_all = true;
        return;
    }
    hub->dirty = xrealloc(hub->dirty, (hub->ndirty + 1) * sizeof(*hub->dirty));
    hub->dirty[hub->ndirty++] = xstrndup(dep.ptr, dep.len);
}

/* One change's deps ("post:12 list tag:3 author:5"): the feeds they name are dirty. */
static void mark_deps(struct websub *hub, struct str deps)
{
    while (deps.len) {
        const char *sp = memchr(deps.ptr, ' ', deps.len);
        struct str d = {deps.ptr, sp ? (size_t)(sp - deps.ptr) : deps.len};
        deps.ptr += d.len + (sp ? 1 : 0);
        deps.len -= d.len + (sp ? 1 : 0);
        if (str_eq_cstr(d, "*") || str_eq_cstr(d, "settings"))
            hub->dirty_all = true;
        else if (str_eq_cstr(d, "list") || str_starts_with(d, "tag:") ||
                 str_starts_with(d, "author:"))
            mark_dirty(hub, d);
    }
}

static void follow_changes(struct websub *hub, int64_t now)
{
    uint64_t stamp = atomic_load(store_stamp(hub->rd));
    if (stamp == hub->stamp_seen)
        return;
    hub->stamp_seen = stamp;
    struct arena a;
    arena_init(&a);
    size_t n;
    do {
        struct store_change *ch;
        bool complete;
        struct err err = {0};
        if (store_changes_since(hub->rd, hub->seq, CHANGES_BATCH, &a, &ch, &n, &complete, &err)) {
            log_error("websub: cannot read the change log: %s", err.msg);
            hub->dirty_all = true;
            break;
        }
        hub->dirty_all |= !complete && n;
        for (size_t i = 0; i < n; i++)
            mark_deps(hub, ch[i].deps);
        if (n)
            hub->seq = ch[n - 1].seq;
    } while (n == CHANGES_BATCH);
    arena_release(&a);
    if ((hub->ndirty || hub->dirty_all) && !hub->dirty_since)
        hub->dirty_since = now;
}

/* True, recording digest, when topic's bytes differ from what it last sent. */
static bool topic_changed(struct websub *hub, struct str topic, const unsigned char *digest)
{
    struct websub_topic *t = hub->topics;
    while (t && !str_eq_cstr(topic, t->topic))
        t = t->next;
    if (t && memcmp(t->digest, digest, sizeof(t->digest)) == 0)
        return false;
    if (!t) {
        t = xcalloc(1, sizeof(*t));
        t->topic = xstrndup(topic.ptr, topic.len);
        t->next = hub->topics;
        hub->topics = t;
    }
    memcpy(t->digest, digest, sizeof(t->digest));
    return true;
}

/* Renders topic and queues it for its subscribers, unless it sent these bytes already. */
static void distribute(struct websub *hub, struct str topic)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct str url = site_settings_of(hub->app->site)->url;
    struct site_feed f;
    if (topic.len <= url.len || memcmp(topic.ptr, url.ptr, url.len) != 0) {
        log_warn("websub: %.*s is no longer under the site's address; not delivered",
                 (int)topic.len, topic.ptr);
        goto out;
    }
    struct str path = {topic.ptr + url.len, topic.len - url.len};
    if (site_feed_render(hub->app, hub->rd, path, &a, &f, &err)) {
        log_warn("websub: cannot render %.*s: %s", (int)topic.len, topic.ptr, err.msg);
        goto out;
    }
    unsigned char digest[32];
    auth_token_hash(f.body, digest);
    if (!topic_changed(hub, topic, digest))
        goto out;
    struct store_websub_sub *subs;
    size_t n;
    if (store_websub_subscribers(hub->rd, topic, time_now(), WEBSUB_SUBS_PER_TOPIC, &a, &subs, &n,
                                 &err)) {
        log_error("websub: %s", err.msg);
        goto out;
    }
    struct websub_body *body = xcalloc(1, sizeof(*body));
    body->refs = 1;
    body->bytes = xmalloc(f.body.len ? f.body.len : 1);
    memcpy(body->bytes, f.body.ptr, f.body.len);
    body->len = f.body.len;
    body->content_type = f.content_type;
    for (size_t i = 0; i < n; i++)
        deliver_to(hub, &subs[i], body);
    body_unref(body);
out:
    arena_release(&a);
}

/* The topics the gathered changes touched, each distributed once. */
static void flush(struct websub *hub)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    int64_t now = time_now();
    size_t ndeps = hub->dirty_all ? 1 : hub->ndirty;
    for (size_t i = 0; i < ndeps; i++) {
        struct str *topics;
        size_t n;
        struct str dep = hub->dirty_all ? STR_NULL : str_from(hub->dirty[i]);
        if (store_websub_topics(hub->rd, dep, now, TOPICS_PER_FLUSH, &a, &topics, &n, &err)) {
            log_error("websub: %s", err.msg);
            break;
        }
        for (size_t k = 0; k < n; k++)
            distribute(hub, topics[k]);
    }
    for (size_t i = 0; i < hub->ndirty; i++)
        free(hub->dirty[i]);
    hub->ndirty = 0;
    hub->dirty_all = false;
    hub->dirty_since = 0;
    arena_release(&a);
}

/* ---- writes ---------------------------------------------------------------------- */

/* One write of the hub's own connection, in its own transaction. */
static enum err_code write_sub(struct websub *hub, const struct websub_job *j, bool put,
                               struct err *err)
{
    enum err_code rc = store_tx_begin(hub->wr, err);
    if (rc)
        return rc;
    if (put) {
        struct store_websub_sub s = {
            .topic = str_from(j->topic),
            .callback = str_from(j->callback),
            .host = str_from(j->host),
            .dep = str_from(j->dep),
            .secret = str_from(j->secret),
            .lease_seconds = j->lease,
            .expires_at = time_now() + j->lease,
        };
        rc = store_websub_put(hub->wr, &s, time_now(), err);
    } else {
        rc = store_websub_drop(hub->wr, str_from(j->topic), str_from(j->callback), NULL, err);
    }
    return store_tx_end(hub->wr, rc, err);
}

static void purge(struct websub *hub)
{
    struct err err = {0};
    int64_t n = 0;
    enum err_code rc = store_tx_begin(hub->wr, &err);
    if (!rc)
        rc = store_tx_end(hub->wr, store_websub_purge(hub->wr, time_now(), &n, &err), &err);
    if (rc)
        log_error("websub: %s", err.msg);
    else if (n)
        log_info("websub: %lld expired subscription%s removed", (long long)n, n == 1 ? "" : "s");
}

/* ---- transfers ------------------------------------------------------------------- */

/*
 * Every connection libcurl opens comes here with the address it resolved: the one place
 * the address guard cannot be talked around (a name that resolved to a public address at
 * subscription time and to 127.0.0.1 now is refused now).
 */
static curl_socket_t open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
    struct websub_job *j = arg;
    if (purpose != CURLSOCKTYPE_IPCXN)
        return CURL_SOCKET_BAD;
    if (!j->hub->cfg.allow_private && !websub_address_public(&addr->addr)) {
        j->blocked = true;
        atomic_fetch_add(&j->hub->count.blocked, 1);
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

static size_t on_answer(char *p, size_t size, size_t n, void *arg)
{
    struct websub_job *j = arg;
    if (buf_append(&j->answer, p, size * n)) {
        j->cut = true;
        return 0; /* past the cap: libcurl ends the transfer */
    }
    return size * n;
}

/* hub.mode, hub.topic, hub.challenge and (subscribe) hub.lease_seconds after the callback. */
static char *verify_url(const struct websub_job *j)
{
    char *topic = curl_easy_escape(j->easy, j->topic, 0);
    struct buf b;
    buf_init(&b, WEBSUB_CALLBACK_MAX + 4 * WEBSUB_TOPIC_MAX + 256);
    enum err_code rc =
        buf_printf(&b, "%s%chub.mode=%s&hub.topic=%s&hub.challenge=%s", j->callback,
                   strchr(j->callback, '?') ? '&' : '?', j->subscribe ? "subscribe" : "unsubscribe",
                   topic ? topic : "", j->challenge);
    if (!rc && j->subscribe)
        rc = buf_printf(&b, "&hub.lease_seconds=%lld", (long long)j->lease);
    curl_free(topic);
    char *url = rc ? NULL : buf_detach(&b, NULL);
    buf_release(&b);
    return url;
}

static struct curl_slist *add_header(struct curl_slist *list, const char *fmt, ...)
    BASE_PRINTF(2, 3);

static struct curl_slist *add_header(struct curl_slist *list, const char *fmt, ...)
{
    struct buf b;
    buf_init(&b, 2 * WEBSUB_TOPIC_MAX + 256);
    va_list ap;
    va_start(ap, fmt);
    enum err_code rc = buf_vprintf(&b, fmt, ap);
    va_end(ap);
    struct curl_slist *l = rc ? list : curl_slist_append(list, buf_str(&b).ptr);
    buf_release(&b);
    return l ? l : list;
}

/* A delivery's request (WebSub 7): the feed with its type, its links and its signature. */
static void delivery_setup(struct websub_job *j)
{
    struct str url = site_settings_of(j->hub->app->site)->url;
    j->headers = add_header(NULL, "Content-Type: %s", j->body->content_type);
    j->headers =
        add_header(j->headers, "Link: <%.*s" SITE_HUB_PATH ">; rel=\"hub\", <%s>; rel=\"self\"",
                   (int)url.len, url.ptr, j->topic);
    if (j->secret[0]) {
        char sig[65];
        auth_hmac_sha256_hex(str_from(j->secret), (struct str){j->body->bytes, j->body->len}, sig);
        j->headers = add_header(j->headers, "X-Hub-Signature: sha256=%s", sig);
    }
    j->headers = add_header(j->headers, "Expect:"); /* no 100-continue round trip */
    curl_easy_setopt(j->easy, CURLOPT_URL, j->callback);
    curl_easy_setopt(j->easy, CURLOPT_POSTFIELDS, j->body->bytes);
    curl_easy_setopt(j->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)j->body->len);
    curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->headers);
}

/* The options every transfer has: the guards of websub.h. */
static bool transfer_setup(struct websub_job *j)
{
    const struct websub_config *c = &j->hub->cfg;
    CURL *e = j->easy;
    long connect = c->timeout_ms / 2 < WEBSUB_CONNECT_MS_MAX ? (long)(c->timeout_ms / 2)
                                                             : WEBSUB_CONNECT_MS_MAX;
    bool ok = curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
              curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") == CURLE_OK;
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROXY, ""); /* never an environment's proxy: the guard
                                             * would check the proxy, not the callback */
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect > 0 ? connect : 1L);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)WEBSUB_ANSWER_MAX);
    curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, j);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_answer);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    return ok;
}

/* Starts j's transfer; false (j untouched but for its handle) when libcurl cannot. */
static bool start(struct websub *hub, struct websub_job *j)
{
    j->easy = curl_easy_init();
    if (!j->easy)
        return false;
    buf_reset(&j->answer);
    j->cut = j->blocked = false;
    bool ok = transfer_setup(j);
    if (ok && j->verify) {
        j->url = verify_url(j);
        ok = j->url && curl_easy_setopt(j->easy, CURLOPT_URL, j->url) == CURLE_OK;
        curl_easy_setopt(j->easy, CURLOPT_HTTPGET, 1L);
    } else if (ok) {
        delivery_setup(j);
    }
    if (ok && curl_multi_add_handle(hub->multi, j->easy) == CURLM_OK)
        return true;
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    return false;
}

static size_t running_to(const struct websub *hub, const char *host)
{
    size_t n = 0;
    for (const struct websub_job *j = hub->running; j; j = j->next)
        n += strcmp(j->host, host) == 0;
    return n;
}

static void start_due(struct websub *hub, int64_t now)
{
    struct websub_job **pp = &hub->queue;
    while (*pp && hub->nrunning < WEBSUB_RUNNING_MAX) {
        struct websub_job *j = *pp;
        if (j->due > now || running_to(hub, j->host) >= WEBSUB_RUNNING_PER_HOST) {
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        hub->nqueue--;
        if (!start(hub, j)) {
            log_error("websub: cannot start a request to %s", j->callback);
            if (j->verify)
                pending_release(hub, j->host);
            job_free(j);
            continue;
        }
        j->next = hub->running;
        hub->running = j;
        hub->nrunning++;
    }
}

/* Why a transfer failed, for the log. */
static const char *failure(const struct websub_job *j, CURLcode res, long status, char *tmp,
                           size_t n)
{
    if (j->blocked)
        return "its address is loopback, private or internal (see --websub-allow-private)";
    if (res != CURLE_OK && !(res == CURLE_WRITE_ERROR && j->cut))
        return curl_easy_strerror(res);
    snprintf(tmp, n, "it answered %ld", status);
    return tmp;
}

/* A verification ended: only a 2xx whose body is exactly the challenge confirms it. */
static void verified(struct websub *hub, struct websub_job *j, CURLcode res, long status)
{
    struct str got = buf_str(&j->answer);
    const char *mode = j->subscribe ? "subscription" : "unsubscription";
    char tmp[64];
    const char *why = NULL;
    if (res != CURLE_OK || status < 200 || status > 299)
        why = failure(j, res, status, tmp, sizeof(tmp));
    else if (!str_eq_cstr(got, j->challenge))
        why = "its answer was not the challenge";
    struct err err = {0};
    if (!why && write_sub(hub, j, j->subscribe, &err))
        why = err.msg;
    if (why) {
        atomic_fetch_add(&hub->count.unverified, 1);
        log_info("websub: %s of %s to %s not verified: %s", mode, j->callback, j->topic, why);
    } else {
        atomic_fetch_add(&hub->count.confirmed, 1);
        log_info("websub: %s of %s to %s verified", mode, j->callback, j->topic);
    }
    pending_release(hub, j->host);
    job_free(j);
}

/* A delivery ended: done, the subscription gone (410), retried later, or given up. */
static void delivered(struct websub *hub, struct websub_job *j, CURLcode res, long status)
{
    bool ok =
        (res == CURLE_OK || (res == CURLE_WRITE_ERROR && j->cut)) && status >= 200 && status <= 299;
    if (ok) {
        atomic_fetch_add(&hub->count.delivered, 1);
        job_free(j);
        return;
    }
    if (res == CURLE_OK && status == 410) { /* WebSub 7: Gone ends the subscription */
        struct err err = {0};
        if (write_sub(hub, j, false, &err))
            log_error("websub: %s", err.msg);
        atomic_fetch_add(&hub->count.gone, 1);
        log_info("websub: %s answered 410 Gone: its subscription to %s ended", j->callback,
                 j->topic);
        job_free(j);
        return;
    }
    char tmp[64];
    const char *why = failure(j, res, status, tmp, sizeof(tmp));
    j->attempt++;
    if (j->attempt >= WEBSUB_ATTEMPTS || queued_delivery(hub, j->topic, j->callback)) {
        if (j->attempt >= WEBSUB_ATTEMPTS) {
            atomic_fetch_add(&hub->count.dropped, 1);
            log_warn("websub: gave up delivering %s to %s after %d tries: %s", j->topic,
                     j->callback, j->attempt, why);
        }
        job_free(j); /* or a newer update of the same feed waits for it: that one goes */
        return;
    }
    atomic_fetch_add(&hub->count.retried, 1);
    j->due = now_ms() + (hub->cfg.retry_ms << (j->attempt - 1));
    queue_push(hub, j);
}

static void finish_done(struct websub *hub)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(hub->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *e = m->easy_handle;
        CURLcode res = m->data.result; /* m is not to be read after the handle goes */
        struct websub_job *j = NULL;
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        curl_multi_remove_handle(hub->multi, e);
        curl_easy_cleanup(e);
        j->easy = NULL;
        curl_slist_free_all(j->headers);
        j->headers = NULL;
        free(j->url);
        j->url = NULL;
        struct websub_job **pp = &hub->running;
        while (*pp != j)
            pp = &(*pp)->next;
        *pp = j->next;
        hub->nrunning--;
        if (j->verify)
            verified(hub, j, res, status);
        else
            delivered(hub, j, res, status);
    }
}

/* ---- the thread ------------------------------------------------------------------ */

static void *run(void *arg)
{
    struct websub *hub = arg;
    while (!take_incoming(hub)) {
        int64_t now = now_ms();
        follow_changes(hub, now);
        if (hub->dirty_since && now - hub->dirty_since >= hub->cfg.coalesce_ms)
            flush(hub);
        if (now >= hub->next_purge) {
            purge(hub);
            hub->next_purge = now + PURGE_EVERY_MS;
        }
        start_due(hub, now_ms());
        int active;
        curl_multi_perform(hub->multi, &active);
        finish_done(hub);
        curl_multi_poll(hub->multi, NULL, 0, POLL_MS, NULL);
    }
    return NULL;
}

static void free_list(struct websub *hub, struct websub_job *j, bool verifications)
{
    while (j) {
        struct websub_job *next = j->next;
        if (verifications && j->verify)
            pending_release(hub, j->host);
        job_free(j);
        j = next;
    }
}

static void hub_free(struct websub *hub)
{
    free_list(hub, hub->incoming, true);
    free_list(hub, hub->queue, true);
    free_list(hub, hub->running, true);
    for (size_t i = 0; i < hub->ndirty; i++)
        free(hub->dirty[i]);
    free(hub->dirty);
    while (hub->topics) {
        struct websub_topic *t = hub->topics;
        hub->topics = t->next;
        free(t->topic);
        free(t);
    }
    for (size_t i = 0; i < hub->npending; i++)
        free(hub->pending_hosts[i]);
    if (hub->multi)
        curl_multi_cleanup(hub->multi);
    store_close(hub->rd);
    store_close(hub->wr);
    auth_limiter_free(hub->per_address);
    pthread_mutex_destroy(&hub->mu);
    free(hub);
    curl_global_cleanup();
}

/* The configuration with defaults for what cfg leaves at 0. */
static struct websub_config with_defaults(const struct websub_config *cfg)
{
    struct websub_config c = *cfg;
    if (c.retry_ms <= 0)
        c.retry_ms = WEBSUB_RETRY_MS_DEFAULT;
    if (c.timeout_ms <= 0)
        c.timeout_ms = WEBSUB_TIMEOUT_MS_DEFAULT;
    if (c.coalesce_ms <= 0)
        c.coalesce_ms = WEBSUB_COALESCE_MS_DEFAULT;
    return c;
}

enum err_code websub_start(struct app *app, const struct websub_config *cfg, struct websub **out,
                           struct err *err)
{
    *out = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return err_set(err, ERR_INTERNAL, "cannot initialise libcurl");
    struct websub *hub = xcalloc(1, sizeof(*hub));
    hub->app = app;
    hub->cfg = with_defaults(cfg);
    pthread_mutex_init(&hub->mu, NULL);
    hub->per_address = auth_limiter_new(WEBSUB_REQUESTS_PER_ADDRESS, WEBSUB_REQUESTS_WINDOW, 4096);
    int64_t head = 0;
    enum err_code rc = store_open(cfg->db_path, STORE_READ, &hub->rd, err);
    if (!rc)
        rc = store_open(cfg->db_path, STORE_WRITE, &hub->wr, err);
    if (!rc) {
        hub->stamp_seen = atomic_load(store_stamp(hub->rd));
        rc = store_changes_head(hub->rd, &head, err);
    }
    hub->seq = head;
    hub->multi = rc ? NULL : curl_multi_init();
    if (!rc && !hub->multi)
        rc = err_set(err, ERR_INTERNAL, "cannot start libcurl's multi interface");
    if (!rc && base_thread_start(&hub->thread, run, hub) != 0)
        rc = err_set(err, ERR_INTERNAL, "cannot start the WebSub hub's thread");
    if (rc) {
        hub_free(hub);
        return rc;
    }
    *out = hub;
    return ERR_OK;
}

void websub_stop(struct websub *hub)
{
    if (!hub)
        return;
    pthread_mutex_lock(&hub->mu);
    hub->stop = true;
    pthread_mutex_unlock(&hub->mu);
    curl_multi_wakeup(hub->multi);
    pthread_join(hub->thread, NULL);
    hub_free(hub);
}

enum err_code websub_metrics_write(struct websub *hub, struct buf *out)
{
    if (!hub)
        return ERR_OK;
    const struct websub_counters *c = &hub->count;
    return buf_printf(
        out,
        "# HELP newsdesk_websub_verifications_total Subscription requests verified with "
        "their callback: confirmed or failed.\n"
        "# TYPE newsdesk_websub_verifications_total counter\n"
        "newsdesk_websub_verifications_total{result=\"confirmed\"} %llu\n"
        "newsdesk_websub_verifications_total{result=\"failed\"} %llu\n"
        "# HELP newsdesk_websub_deliveries_total Content distributions to subscribers, by "
        "result.\n"
        "# TYPE newsdesk_websub_deliveries_total counter\n"
        "newsdesk_websub_deliveries_total{result=\"delivered\"} %llu\n"
        "newsdesk_websub_deliveries_total{result=\"retried\"} %llu\n"
        "newsdesk_websub_deliveries_total{result=\"dropped\"} %llu\n"
        "newsdesk_websub_deliveries_total{result=\"gone\"} %llu\n"
        "# HELP newsdesk_websub_blocked_connections_total Connections to callbacks refused by "
        "the address guard.\n"
        "# TYPE newsdesk_websub_blocked_connections_total counter\n"
        "newsdesk_websub_blocked_connections_total %llu\n",
        (unsigned long long)atomic_load(&c->confirmed),
        (unsigned long long)atomic_load(&c->unverified),
        (unsigned long long)atomic_load(&c->delivered),
        (unsigned long long)atomic_load(&c->retried), (unsigned long long)atomic_load(&c->dropped),
        (unsigned long long)atomic_load(&c->gone), (unsigned long long)atomic_load(&c->blocked));
}
