/* Shared by cache/'s own files only. */
#ifndef CACHE_INT_H
#define CACHE_INT_H

#include "cache/cache.h"

#include "http/http.h"

#include <pthread.h>

#define CACHE_SHARDS 64
#define CACHE_BUCKETS 1024 /* per shard */
#define CACHE_DEP_SLOTS 8192

enum cache_variant_kind { VARIANT_IDENTITY, VARIANT_GZIP, VARIANT_BR, VARIANT__COUNT };
enum cache_variant_state { VARIANT_NONE, VARIANT_BUSY, VARIANT_READY, VARIANT_USELESS };

struct cache_variant {
    _Atomic int state;
    char *data;
    size_t len;
    char etag[40];
};

struct cache_entry {
    _Atomic int refs;
    struct cache *cache;
    struct cache_entry *hnext;
    struct cache_entry *lru_prev, *lru_next;
    uint64_t hash;
    char *key;
    size_t keylen;
    uint64_t seq;
    uint64_t flush; /* the cache's flushes when its rendering began */
    uint32_t deps[HTTP_DEPS_MAX];
    size_t ndeps;
    char *content_type;
    const char *cache_control; /* static text chosen by the handler, or the default */
    char *surrogate_key;       /* its keys for shared caches in front (purge.h) */
    char *cache_tag;           /* the same, comma-separated */
    bool compressible;
    int64_t last_modified;
    char last_modified_str[40];
    struct cache_variant v[VARIANT__COUNT];
    _Atomic size_t bytes; /* what it holds now: variants are added when first made */
    size_t charged;       /* what its shard counts: fixed when stored (see entry_new) */
    bool linked;
    bool hot;                /* on the protected list: hit at least once since it was stored */
    _Atomic bool referenced; /* hit since eviction last looked (second chance) */
};

struct cache_inflight {
    struct cache_inflight *next;
    uint64_t hash;
    char *key;
    size_t keylen;
};

/*
 * Locks: a hit on a protected entry takes only the read side of `lock`, so readers on
 * different threads never wait for each other (or for one that was preempted holding
 * it); stores, promotions and evictions take the write side. Misses waiting for another
 * thread's rendering sleep on `cv` under `wait_mu`, woken when `gen` moves.
 */
struct cache_shard {
    pthread_rwlock_t lock;
    pthread_mutex_t wait_mu;
    pthread_cond_t cv;
    uint64_t gen;
    struct cache_entry *buckets[CACHE_BUCKETS];
    /*
     * Segmented LRU: new entries wait on probation; a hit promotes one to protected.
     * Eviction takes probation's least recent first, so a flood of one-off URLs (a
     * crawler, random cursors) cycles through probation and never pushes out the pages
     * readers keep asking for. Sentinels: x.lru_next is the most recent.
     */
    struct cache_entry lru;     /* probation */
    struct cache_entry protect; /* protected */
    size_t protected_bytes;
    struct cache_inflight *inflight;
    size_t bytes;
    size_t entries;
};

struct cache {
    struct cache_config cfg;
    size_t shard_budget;
    _Atomic uint64_t seq;     /* changes handled so far */
    _Atomic uint64_t all_seq; /* entries older than this are stale */
    _Atomic uint64_t flushes; /* cache_flush calls: an entry of an earlier one is stale */
    _Atomic uint64_t stamp_seen;
    pthread_mutex_t sync_mu;
    _Atomic uint64_t dep_seq[CACHE_DEP_SLOTS];
    struct cache_shard shards[CACHE_SHARDS];
    _Atomic uint64_t hits, misses, stores, evictions, waits, stale_served;
    struct hist render;   /* a miss's rendering: cache_serve's miss to cache_store */
    _Atomic size_t freed; /* bytes of entries freed since the last give-back (cache.c) */
    _Atomic size_t total_bytes, total_entries;
};

uint64_t cache_hash(const char *p, size_t n);
void cache_entry_release(void *entry);

/* serve.c: e as the response to req; how says whence in X-Cache (HIT, MISS, STALE) */
void cache_entry_serve(struct cache_entry *e, const struct request *req, struct response *res,
                       const char *how);
/* compress.c: fills v from identity; false when not worth it */
bool cache_compress(const struct cache_variant *identity, enum cache_variant_kind kind,
                    struct cache_variant *v);

#endif
