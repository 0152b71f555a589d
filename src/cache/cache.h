/*
 * cache: complete responses to anonymous GETs, kept in memory and served without the
 * database or the template engine; invalidated by what changed; one render per key when
 * many miss at once.
 *
 * An entry is the whole response: status, content type, the identity body, its gzip and
 * brotli variants (compressed once, on first demand), a strong ETag per variant, and
 * Last-Modified. Serving picks the variant from Accept-Encoding and answers conditional
 * requests (If-None-Match, then If-Modified-Since) with 304.
 *
 * Freshness: every change the store logs has a sequence number and names dependency keys
 * ("post:12", "list", "tag:3"). An entry remembers the change sequence it was rendered
 * after and the keys its response shows. It is fresh while no change after that sequence
 * touched any of its keys. Before each lookup, cache_serve() compares the shared change
 * stamp with the last one it handled and, when it moved, runs the sync callback (which
 * reads the change log and calls cache_invalidate) under a mutex, so no request that
 * starts after a write has returned is answered from before it.
 *
 * Threads: entries live in shards, each with its own lock held for a lookup and a
 * reference count increment, so there is no global lock on the hit path. An entry is
 * freed when evicted and no response still sends it. Bounded by a byte budget, with
 * least-recently-used eviction per shard.
 *
 * This module knows our struct request and struct response (it serves and stores HTTP
 * responses) but nothing of h2o, SQLite or pages.
 */
#ifndef CACHE_H
#define CACHE_H

#include "base/base.h"

#include <stdatomic.h>

struct request;
struct response;
struct cache;

/*
 * Brings the cache up to date with the change log: called with the worker that hit a
 * moved stamp, under the cache's sync lock. It calls cache_invalidate() for each change
 * and cache_invalidate_all() when the log cannot say what changed.
 */
typedef void (*cache_sync_fn)(void *ctx, void *worker, struct cache *c);

struct cache_config {
    size_t budget;                 /* bytes for entries (bodies, variants, keys) */
    const _Atomic uint64_t *stamp; /* the store's change stamp; NULL: never changes */
    cache_sync_fn sync;
    void *sync_ctx;
    uint64_t seq; /* the change sequence the data is at, at start */
    /* sent with cached responses whose handler chose none (static text) */
    const char *cache_control;
};

/** Creates a cache. Caller frees with cache_free() after every worker has stopped. */
struct cache *cache_new(const struct cache_config *cfg);
void cache_free(struct cache *c);

/** The change sequence everything cached so far is known to be fresh at. */
uint64_t cache_seq(const struct cache *c);
/** Change seq touched the data named by deps (keys as in struct response deps). */
void cache_invalidate(struct cache *c, const struct str *deps, size_t n, uint64_t seq);
/** Change seq may have touched anything. */
void cache_invalidate_all(struct cache *c, uint64_t seq);
/**
 * Everything cached, and everything being rendered now, is stale: what changed is not
 * in the data but in how it is shown (a theme loaded again). Safe while others serve.
 */
void cache_flush(struct cache *c);

/*
 * Keys: the caller's choice, the request target in a canonical form (cache_serve's key
 * must outlive the request). What a miss owes the cache: render, then cache_store().
 */
struct cache_ticket {
    uint64_t hash;
    struct str key;       /* as passed to cache_serve */
    uint64_t start_seq;   /* changes after this one make the rendering stale */
    uint64_t start_flush; /* as must a cache_flush() after this count */
    bool owner;           /* this request renders the key for everyone waiting */
};

/**
 * Answers req from the cache under key when it holds a fresh entry: fills res (a 200 or a 304,
 * borrowing the entry's bytes until the response is sent) and returns true. Otherwise
 * returns false and fills *t: the caller renders into res and calls cache_store(). When
 * another thread is already rendering the same key, waits for it (or serves the previous
 * version while it renders) instead of rendering again.
 */
bool cache_serve(struct cache *c, struct str key, const struct request *req, struct response *res,
                 struct cache_ticket *t);
/**
 * Stores the response rendered for t when it is a 200 without overflowing deps, then
 * rewrites res to be served from the stored entry (variant, ETag, 304 as requested). Wakes
 * every request waiting for this key. Always call it after a false cache_serve().
 */
void cache_store(struct cache *c, struct cache_ticket *t, const struct request *req,
                 struct response *res);

struct cache_stats {
    uint64_t hits, misses, stores, evictions, stale_served, waits;
    size_t entries, bytes;
};

void cache_stats(const struct cache *c, struct cache_stats *out);
/** Appends the counters in Prometheus' text format. */
enum err_code cache_metrics_write(const struct cache *c, struct buf *out);

#endif
