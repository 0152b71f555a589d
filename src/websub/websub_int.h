/*
 * Shared by websub/'s own files: the hub's state, and how a handler hands it a
 * verification to do.
 */
#ifndef WEBSUB_INT_H
#define WEBSUB_INT_H

#include "websub/websub.h"

#include <pthread.h>
#include <stdatomic.h>

struct auth_limiter;
struct store;
struct websub_job;
struct websub_topic;

/* The hub's counters, for /metrics. */
struct websub_counters {
    _Atomic uint64_t confirmed;  /* verifications the subscriber confirmed */
    _Atomic uint64_t unverified; /* verifications that failed: no 2xx, wrong challenge */
    _Atomic uint64_t delivered;  /* deliveries answered 2xx */
    _Atomic uint64_t retried;    /* failed tries that will be tried again */
    _Atomic uint64_t dropped;    /* deliveries given up: tries used up, or the queue full */
    _Atomic uint64_t gone;       /* subscriptions ended by a 410 from the callback */
    _Atomic uint64_t blocked;    /* connections refused: an internal address */
};

struct websub {
    struct app *app;
    struct websub_config cfg;
    pthread_t thread;
    struct auth_limiter *per_address; /* subscription requests per client address */

    /* guarded by mu: what handlers hand over, and what the caps count */
    pthread_mutex_t mu;
    bool stop;
    struct websub_job *incoming;             /* verifications queued by handlers */
    char *pending_hosts[WEBSUB_PENDING_MAX]; /* the host of each verification not yet done */
    size_t npending;

    /* the hub's thread alone */
    void *multi; /* CURLM * */
    struct store *rd, *wr;
    struct websub_job *queue; /* waiting to run: new, or a retry not yet due */
    size_t nqueue;
    struct websub_job *running;
    size_t nrunning;
    int64_t seq;         /* the change log read so far */
    uint64_t stamp_seen; /* the change stamp at that read */
    /* what changed since the last render: deps ("list", "tag:3"), or everything */
    char **dirty;
    size_t ndirty;
    bool dirty_all;
    int64_t dirty_since;         /* monotonic ms of the first change not rendered; 0: none */
    int64_t next_purge;          /* monotonic ms */
    struct websub_topic *topics; /* the digest of what each topic last sent */

    struct websub_counters count;
};

/**
 * Queues the verification of r (copied) for the hub's thread: ERR_BUSY past
 * WEBSUB_PENDING_MAX, ERR_LIMIT past WEBSUB_PENDING_PER_HOST for r's host. dep is the
 * change-log key the topic follows. Thread-safe.
 */
enum err_code websub_verify_queue(struct websub *hub, const struct websub_request *r,
                                  struct str dep, struct err *err);

#endif
