/*
 * live: the open feed pages, told of each change as it happens (server-sent events).
 *
 * One producer (site/live.c follows the change log) hands the hub each change as a list
 * of items: which stream ("site", "tag:3", "author:5"), which event ("publish", "update",
 * "remove") and its data (JSON). The hub keeps the last `backlog` changes in a ring and
 * wakes every worker thread once; each worker then writes what is new to its own clients.
 * So a change is fanned out once per worker, never once per client by the writer, and no
 * thread or buffer is spent on an idle client (http_stream).
 *
 * Event ids are the change log's sequence numbers, the same in every process and after a
 * restart. A client that reconnects with Last-Event-ID (or ?since=, the page's own change
 * when it was rendered) gets the changes after it from the ring, each once; when the ring
 * no longer reaches back that far it gets one "reload" event instead. A change's events
 * to one stream go out in one write, the id on the last, so a reconnect never splits one.
 *
 * Threads: live_publish, live_advance, live_reload and live_heartbeat from the producer;
 * live_attach and live_worker_wake on a worker's thread (each worker has its own clients
 * and touches no other's); the ring and the per-address counts behind one mutex, held
 * only to copy pointers.
 */
#ifndef LIVE_H
#define LIVE_H

#include "base/base.h"

struct http_waker;
struct request;
struct response;
struct live;
struct live_worker;

struct live_config {
    unsigned workers;   /* the server's worker threads */
    size_t backlog;     /* changes kept for clients that reconnect */
    size_t per_address; /* open streams per client address (0: no limit) */
    size_t queue_max;   /* bytes a client may fall behind before it is dropped */
    uint64_t head;      /* the change log's head at start: where a new client begins */
    uint64_t start;     /* the ring begins after this change (at most head): the producer
                         * starts here, so clients of before a restart can still catch up */
};

#define LIVE_BACKLOG_DEFAULT 1024
#define LIVE_PER_ADDRESS_DEFAULT 16
#define LIVE_QUEUE_DEFAULT (256 * 1024)
#define LIVE_STREAM_MAX 40 /* "author:9223372036854775807" and room */

/** A new hub; free with live_free() once every worker has stopped. */
struct live *live_new(const struct live_config *cfg);
void live_free(struct live *lv);

/** Worker index's part of the hub; waker wakes its thread (http_wake). */
struct live_worker *live_worker_new(struct live *lv, unsigned index, struct http_waker *waker);
void live_worker_free(struct live_worker *w);
/**
 * On the worker's thread, after a wake: writes every change its clients have not seen,
 * and a heartbeat when one is due (dropping clients found gone).
 */
void live_worker_wake(struct live_worker *w);

/* ---- the producer ------------------------------------------------------------------ */

struct live_item {
    struct str stream; /* "site", "tag:3", "author:5" */
    const char *event; /* "publish", "update", "remove" */
    struct str data;   /* one line of JSON */
};

/** Change seq's items (any order; n may be 0) join the ring and go out to every worker. */
void live_publish(struct live *lv, uint64_t seq, const struct live_item *items, size_t n);
/** Every client is to reload the page: the change at seq cannot be told item by item. */
void live_reload(struct live *lv, uint64_t seq);
/** Every worker writes a comment to each of its clients, so proxies keep idle streams. */
void live_heartbeat(struct live *lv);

/** Clients connected now, over every worker (for metrics and tests). */
size_t live_clients(const struct live *lv);
/**
 * Appends the hub's figures in Prometheus' text format (nothing when lv is NULL): clients
 * now; streams opened, refused by the per-address limit and dropped for not reading;
 * reloads sent.
 */
enum err_code live_metrics_write(const struct live *lv, struct buf *out);

/* ---- a request ----------------------------------------------------------------------- */

/**
 * Answers req with the stream `stream` (LIVE_STREAM_MAX at most): a client from address
 * over the per-address limit is ERR_LIMIT; a Last-Event-ID that is not a change number is
 * ERR_INVALID. since (when has_since) is where the page left off; Last-Event-ID wins
 * over it. On ERR_OK res is a stream (text/event-stream) with whatever was missed.
 */
enum err_code live_attach(struct live_worker *w, const struct request *req, struct str stream,
                          struct str address, bool has_since, uint64_t since, struct response *res,
                          struct err *err);

/** Reads a change number (Last-Event-ID, ?since=): digits only, at most 18 of them. */
bool live_parse_id(struct str s, uint64_t *out);

#endif
