/*
 * websub: the site's own WebSub hub (W3C Recommendation 2018-01-23), so feed readers are
 * told of new items instead of polling. The site's feeds name it (site/feeds.c, routes.c).
 *
 * Subscribing (WebSub 5): POST SITE_HUB_PATH, form-encoded hub.mode, hub.topic,
 * hub.callback, hub.lease_seconds, hub.secret. A request that can be checked at once is
 * checked at once (4xx with a message); one that passes is answered 202 and its intent
 * verified later by the hub's thread: a GET of the callback with hub.challenge, confirmed
 * only by a 2xx whose body is exactly the challenge. Only then is the subscription stored
 * (or, for unsubscribe, removed). Topics are the site's own feeds alone.
 *
 * Distribution (WebSub 7): the hub's thread follows the store's change log through its
 * own read connection, collects the feeds a change touched for coalesce_ms (many
 * publishes in a second are one delivery), renders each in-process, and POSTs it to every
 * live subscriber whose copy differs from it, signed with X-Hub-Signature when the
 * subscriber gave a secret. A failed delivery is retried with doubling delays, then
 * dropped with a log line; a 410 from the callback ends the subscription.
 *
 * Outbound requests are a server-side request forgery risk (OWASP SSRF): callbacks are
 * http(s) URLs without userinfo and of bounded length; every address the client actually
 * connects to is checked (after DNS, so rebinding cannot slip past) and loopback, private,
 * link-local, CGNAT, multicast, reserved and unspecified ones are refused unless the hub
 * was started with allow_private; no redirect is followed; answers are read up to
 * WEBSUB_ANSWER_MAX; every request has a connect and a total timeout. This module is the
 * only one that includes curl.h.
 *
 * Threads: websub_start() starts one thread that does all verification and delivery
 * (libcurl's multi interface: many transfers at once, none blocking another); handlers on
 * any worker thread only queue a verification, under the hub's lock. Nothing here ever
 * blocks a reader's request or a writer's transaction.
 */
#ifndef WEBSUB_H
#define WEBSUB_H

#include "base/base.h"

struct app;
struct request;
struct response;
struct sockaddr;
struct websub;

/* ---- limits ---------------------------------------------------------------------- */

#define WEBSUB_BODY_MAX 8192           /* a subscription request's form */
#define WEBSUB_CALLBACK_MAX 2048       /* bytes of hub.callback */
#define WEBSUB_TOPIC_MAX 2048          /* bytes of hub.topic */
#define WEBSUB_SECRET_MAX 199          /* WebSub 5.1: "MUST be less than 200 bytes" */
#define WEBSUB_LEASE_DEFAULT 864000    /* 10 days, when hub.lease_seconds is absent */
#define WEBSUB_LEASE_MIN 3600          /* shorter asks are raised to it (WebSub 5.1 lets */
#define WEBSUB_LEASE_MAX (30 * 86400)  /* the hub choose); longer ones lowered to this */
#define WEBSUB_PENDING_MAX 256         /* verifications waiting or running, in all */
#define WEBSUB_PENDING_PER_HOST 8      /* ... for callbacks on one host */
#define WEBSUB_SUBS_PER_HOST 256       /* live subscriptions with callbacks on one host */
#define WEBSUB_SUBS_PER_TOPIC 10000    /* live subscriptions of one feed */
#define WEBSUB_SUBS_MAX 100000         /* live subscriptions in all */
#define WEBSUB_QUEUE_MAX 4096          /* deliveries waiting (first try or a retry) */
#define WEBSUB_RUNNING_MAX 16          /* requests in flight at once */
#define WEBSUB_RUNNING_PER_HOST 2      /* ... to one callback host */
#define WEBSUB_ATTEMPTS 5              /* tries of one delivery before it is dropped */
#define WEBSUB_ANSWER_MAX 4096         /* bytes of a callback's answer read */
#define WEBSUB_REQUESTS_PER_ADDRESS 30 /* subscription requests per client address */
#define WEBSUB_REQUESTS_WINDOW 60      /* ... in this many seconds; then 429 */

/* ---- checking a subscription request (request.c) --------------------------------- */

enum websub_mode { WEBSUB_SUBSCRIBE, WEBSUB_UNSUBSCRIBE };

/* A subscription request as checked; slices into the request's arena. */
struct websub_request {
    enum websub_mode mode;
    struct str topic;
    struct str callback;
    struct str host;       /* the callback's host, lowercase, IPv6 without brackets */
    struct str secret;     /* empty: deliveries unsigned */
    int64_t lease_seconds; /* clamped to WEBSUB_LEASE_MIN..MAX (unsubscribe: 0) */
};

/**
 * Reads and checks the form fields of a subscription request (the topic's meaning is the
 * caller's: whether it is one of our feeds). ERR_INVALID with a message naming the field
 * for a missing or unknown hub.mode, a missing topic or callback, a callback that is not
 * an absolute http(s) URL, has userinfo or a fragment, or is over WEBSUB_CALLBACK_MAX, a
 * callback naming a loopback, private or otherwise internal address (or "localhost")
 * unless allow_private, a secret of WEBSUB_SECRET_MAX bytes or more, and a lease that is
 * not a whole number. A lease out of bounds is clamped. ERR_UNSUPPORTED when the body is
 * not a form. Results live in req->arena. Thread-safe.
 */
enum err_code websub_request_parse(const struct request *req, bool allow_private,
                                   struct websub_request *out, struct err *err);
/**
 * Checks callback as websub_request_parse does and gives its host (lowercase, no
 * brackets) in *host, living in a.
 */
enum err_code websub_callback_check(struct str callback, bool allow_private, struct arena *a,
                                    struct str *host, struct err *err);
/**
 * True when sa (AF_INET or AF_INET6) is an address on the public internet: not loopback,
 * private (RFC 1918, fc00::/7), link-local, CGNAT (100.64.0.0/10), multicast, broadcast,
 * unspecified, reserved or documentation ranges, nor an IPv4-mapped, -compatible, NAT64
 * or 6to4 form of one of those.
 */
bool websub_address_public(const struct sockaddr *sa);
/** As websub_address_public, for a literal address in text ("10.0.0.1", "::1"); false
 * when text is not an address. */
bool websub_literal_public(struct str text);

/* ---- the hub (hub.c) ------------------------------------------------------------- */

struct websub_config {
    const char *db_path;
    bool allow_private;  /* serve --websub-allow-private: callbacks on internal addresses */
    int64_t retry_ms;    /* the first retry's delay, doubling each time (default 120000) */
    int64_t timeout_ms;  /* a whole request (default 10000); connecting, at most 5000 */
    int64_t coalesce_ms; /* changes gathered before the feeds are rendered (default 1000) */
};

#define WEBSUB_RETRY_MS_DEFAULT 120000 /* 5 tries over 30 minutes: 2, 4, 8, 16 */
#define WEBSUB_TIMEOUT_MS_DEFAULT 10000
#define WEBSUB_CONNECT_MS_MAX 5000
#define WEBSUB_COALESCE_MS_DEFAULT 1000

/**
 * Starts the hub's thread with its own read and write connections to cfg->db_path. It
 * renders feeds with app's site (read atomically: settings may be reloaded) and follows
 * the change log from its head now. Caller stops it with websub_stop() before app's site
 * is freed. ERR_INVALID, ERR_IO (the database), ERR_INTERNAL (libcurl, the thread).
 */
enum err_code websub_start(struct app *app, const struct websub_config *cfg, struct websub **out,
                           struct err *err);
/** Stops the thread (transfers in flight are abandoned) and frees hub; NULL does nothing. */
void websub_stop(struct websub *hub);

/**
 * POST SITE_HUB_PATH (a route_handler_fn): checks the request, the topic (one of our
 * feeds), the per-address rate and the caps, queues the verification and answers 202.
 * ERR_INVALID (a bad field, a topic not ours), ERR_LIMIT (too many requests from the
 * address, too many subscriptions or verifications for the callback's host or the topic),
 * ERR_BUSY (the hub is full or not running).
 */
enum err_code websub_hub_post(struct app *app, const struct request *req, struct response *res,
                              struct err *err);

/** Appends the hub's counters (Prometheus text); hub may be NULL (nothing appended). */
enum err_code websub_metrics_write(struct websub *hub, struct buf *out);

#endif
