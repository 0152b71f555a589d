/*
 * The table: shards of hash chains with an LRU list each, freshness by change sequence,
 * single-flight misses.
 */
#include "cache/cache.h"
#include "cache/cache_int.h"

#include "purge/purge.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A miss waits at most this long for another thread's rendering before rendering itself. */
#define CACHE_WAIT_MS 5000

uint64_t cache_hash(const char *p, size_t n)
{
    /* FNV-1a: keys are short URLs; the spread is plenty for 64 x 1024 buckets */
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/*
 * The ETag's hash: eight bytes a step (a page is ~12 KB; FNV's byte loop was a sixth of
 * a miss's cost in the cache). Not cryptographic: an ETag only has to change when the
 * body does, and a 64-bit mix of every word of it does.
 */
static uint64_t body_hash(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    uint64_t tail = 0;
    memcpy(&tail, p + i, n - i);
    h = (h ^ tail) * 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
}

static uint32_t dep_slot(struct str key)
{
    return (uint32_t)(cache_hash(key.ptr, key.len) % CACHE_DEP_SLOTS);
}

struct cache *cache_new(const struct cache_config *cfg)
{
    struct cache *c = xcalloc(1, sizeof(*c));
    c->cfg = *cfg;
    c->shard_budget = cfg->budget / CACHE_SHARDS;
    atomic_store(&c->seq, cfg->seq);
    if (cfg->stamp)
        atomic_store(&c->stamp_seen, atomic_load(cfg->stamp));
    pthread_mutex_init(&c->sync_mu, NULL);
    for (size_t i = 0; i < CACHE_SHARDS; i++) {
        struct cache_shard *s = &c->shards[i];
        pthread_rwlock_init(&s->lock, NULL);
        pthread_mutex_init(&s->wait_mu, NULL);
        pthread_cond_init(&s->cv, NULL);
        s->lru.lru_next = s->lru.lru_prev = &s->lru;
        s->protect.lru_next = s->protect.lru_prev = &s->protect;
    }
    return c;
}

static void entry_free(struct cache_entry *e)
{
    atomic_fetch_add(&e->cache->freed, atomic_load(&e->bytes));
    for (size_t i = 0; i < VARIANT__COUNT; i++)
        free(e->v[i].data);
    free(e->key);
    free(e->content_type);
    free(e->surrogate_key);
    free(e->cache_tag);
    free(e);
}

void cache_entry_release(void *p)
{
    struct cache_entry *e = p;
    if (atomic_fetch_sub(&e->refs, 1) == 1)
        entry_free(e);
}

void cache_free(struct cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < CACHE_SHARDS; i++) {
        struct cache_shard *s = &c->shards[i];
        struct cache_entry *heads[] = {&s->lru, &s->protect};
        for (size_t h = 0; h < 2; h++) {
            struct cache_entry *e = heads[h]->lru_next;
            while (e != heads[h]) {
                struct cache_entry *next = e->lru_next;
                cache_entry_release(e);
                e = next;
            }
        }
        pthread_rwlock_destroy(&s->lock);
        pthread_mutex_destroy(&s->wait_mu);
        pthread_cond_destroy(&s->cv);
    }
    pthread_mutex_destroy(&c->sync_mu);
    free(c);
}

uint64_t cache_seq(const struct cache *c)
{
    return atomic_load(&c->seq);
}

static void raise_to(_Atomic uint64_t *a, uint64_t v)
{
    uint64_t cur = atomic_load(a);
    while (cur < v && !atomic_compare_exchange_weak(a, &cur, v))
        ;
}

void cache_invalidate(struct cache *c, const struct str *deps, size_t n, uint64_t seq)
{
    /* dependencies first, then the sequence: a rendering that read the old sequence is stale */
    for (size_t i = 0; i < n; i++)
        raise_to(&c->dep_seq[dep_slot(deps[i])], seq);
    raise_to(&c->seq, seq);
}

void cache_invalidate_all(struct cache *c, uint64_t seq)
{
    raise_to(&c->all_seq, seq);
    raise_to(&c->seq, seq);
}

void cache_flush(struct cache *c)
{
    atomic_fetch_add(&c->flushes, 1);
}

static bool fresh(const struct cache *c, const struct cache_entry *e)
{
    if (e->seq < atomic_load(&c->all_seq) || e->flush != atomic_load(&c->flushes))
        return false;
    for (size_t i = 0; i < e->ndeps; i++)
        if (atomic_load(&c->dep_seq[e->deps[i]]) > e->seq)
            return false;
    return true;
}

/* When the shared stamp moved, let the sync callback catch up, once for all threads. */
static void sync_changes(struct cache *c, void *worker)
{
    if (!c->cfg.stamp)
        return;
    uint64_t s = atomic_load(c->cfg.stamp);
    if (s == atomic_load(&c->stamp_seen))
        return;
    pthread_mutex_lock(&c->sync_mu);
    if (s != atomic_load(&c->stamp_seen)) {
        c->cfg.sync(c->cfg.sync_ctx, worker, c);
        atomic_store(&c->stamp_seen, s);
    }
    pthread_mutex_unlock(&c->sync_mu);
}

/* ---- shards ---------------------------------------------------------------------- */

static struct cache_shard *shard_of(struct cache *c, uint64_t h)
{
    return &c->shards[h % CACHE_SHARDS];
}

static struct cache_entry **bucket_of(struct cache_shard *s, uint64_t h)
{
    return &s->buckets[(h / CACHE_SHARDS) % CACHE_BUCKETS];
}

static bool same_key(uint64_t h, struct str key, uint64_t h2, const char *k2, size_t n2)
{
    return h == h2 && key.len == n2 && memcmp(key.ptr, k2, n2) == 0;
}

static struct cache_entry *find(struct cache_shard *s, uint64_t h, struct str key)
{
    for (struct cache_entry *e = *bucket_of(s, h); e; e = e->hnext)
        if (same_key(h, key, e->hash, e->key, e->keylen))
            return e;
    return NULL;
}

static void lru_unlink(struct cache_entry *e)
{
    e->lru_prev->lru_next = e->lru_next;
    e->lru_next->lru_prev = e->lru_prev;
}

static void list_push(struct cache_entry *head, struct cache_entry *e)
{
    e->lru_next = head->lru_next;
    e->lru_prev = head;
    head->lru_next->lru_prev = e;
    head->lru_next = e;
}

/* Protected may hold most of a shard, not all: room stays for newcomers to prove themselves. */
#define PROTECTED_SHARE 0.8

/*
 * Protected's least recent entry that has not been hit since eviction last looked
 * (second chance: a hit on the read-locked fast path only sets `referenced`, it cannot
 * reorder the list). NULL when the list is empty.
 */
static struct cache_entry *protected_victim(struct cache_shard *s)
{
    for (size_t tries = s->entries + 1; tries > 0; tries--) {
        struct cache_entry *e = s->protect.lru_prev;
        if (e == &s->protect)
            return NULL;
        if (!atomic_exchange(&e->referenced, false))
            return e;
        lru_unlink(e);
        list_push(&s->protect, e);
    }
    return s->protect.lru_prev != &s->protect ? s->protect.lru_prev : NULL;
}

/* A hit under the write lock: promote from probation, demoting protected's coldest while over. */
static void lru_touch(struct cache *c, struct cache_shard *s, struct cache_entry *e)
{
    lru_unlink(e);
    if (!e->hot) {
        e->hot = true;
        s->protected_bytes += e->charged;
    }
    list_push(&s->protect, e);
    atomic_store(&e->referenced, false);
    size_t cap = (size_t)((double)c->shard_budget * PROTECTED_SHARE);
    while (s->protected_bytes > cap) {
        struct cache_entry *old = protected_victim(s);
        if (!old || old == e)
            break;
        lru_unlink(old);
        old->hot = false;
        s->protected_bytes -= old->charged;
        list_push(&s->lru, old);
    }
}

/* Takes e out of the table; it is freed when the last response sending it ends. */
static void unlink_entry(struct cache *c, struct cache_shard *s, struct cache_entry *e)
{
    struct cache_entry **pp = bucket_of(s, e->hash);
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(e);
    e->linked = false;
    size_t bytes = atomic_load(&e->bytes);
    if (e->hot)
        s->protected_bytes -= e->charged;
    s->bytes -= e->charged;
    s->entries--;
    atomic_fetch_sub(&c->total_entries, 1);
    atomic_fetch_sub(&c->total_bytes, bytes);
    cache_entry_release(e);
}

static bool inflight_has(const struct cache_shard *s, uint64_t h, struct str key)
{
    for (const struct cache_inflight *f = s->inflight; f; f = f->next)
        if (same_key(h, key, f->hash, f->key, f->keylen))
            return true;
    return false;
}

static void inflight_add(struct cache_shard *s, uint64_t h, struct str key)
{
    struct cache_inflight *f = xcalloc(1, sizeof(*f));
    f->hash = h;
    f->key = xstrndup(key.ptr, key.len);
    f->keylen = key.len;
    f->next = s->inflight;
    s->inflight = f;
}

static void inflight_remove(struct cache_shard *s, uint64_t h, struct str key)
{
    for (struct cache_inflight **pp = &s->inflight; *pp; pp = &(*pp)->next) {
        struct cache_inflight *f = *pp;
        if (!same_key(h, key, f->hash, f->key, f->keylen))
            continue;
        *pp = f->next;
        free(f->key);
        free(f);
        return;
    }
}

static struct timespec deadline_in(int ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_sec += ms / 1000;
    t.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* The common case, read-locked: a fresh entry that has been hit before. */
static struct cache_entry *hit_fast(struct cache *c, struct cache_shard *s, uint64_t h,
                                    struct str key)
{
    pthread_rwlock_rdlock(&s->lock);
    struct cache_entry *e = find(s, h, key);
    bool ok = e && e->hot && fresh(c, e);
    if (ok) {
        atomic_fetch_add(&e->refs, 1);
        atomic_store_explicit(&e->referenced, true, memory_order_relaxed);
    }
    pthread_rwlock_unlock(&s->lock);
    return ok ? e : NULL;
}

/* Sleeps until the shard stores something (or the deadline); s->lock is held on entry and exit. */
static bool wait_store(struct cache_shard *s, const struct timespec *until)
{
    pthread_mutex_lock(&s->wait_mu);
    uint64_t gen = s->gen;
    pthread_rwlock_unlock(&s->lock);
    int rc = 0;
    while (s->gen == gen && rc == 0)
        rc = pthread_cond_timedwait(&s->cv, &s->wait_mu, until);
    pthread_mutex_unlock(&s->wait_mu);
    pthread_rwlock_wrlock(&s->lock);
    return rc == 0;
}

bool cache_serve(struct cache *c, struct str key, const struct request *req, struct response *res,
                 struct cache_ticket *t)
{
    sync_changes(c, req->worker);
    uint64_t h = cache_hash(key.ptr, key.len);
    struct cache_shard *s = shard_of(c, h);
    struct cache_entry *e = hit_fast(c, s, h, key);
    if (e) {
        atomic_fetch_add(&c->hits, 1);
        cache_entry_serve(e, req, res, "HIT");
        return true;
    }
    struct timespec until = deadline_in(CACHE_WAIT_MS);
    bool waited = false;
    pthread_rwlock_wrlock(&s->lock);
    for (;;) {
        e = find(s, h, key);
        if (e && fresh(c, e)) {
            atomic_fetch_add(&e->refs, 1);
            lru_touch(c, s, e);
            pthread_rwlock_unlock(&s->lock);
            atomic_fetch_add(&c->hits, 1);
            cache_entry_serve(e, req, res, "HIT");
            return true;
        }
        /*
         * Someone renders this key: wait for it rather than render it again (never serve
         * the previous version: a write that has returned must be visible). A rendering
         * that takes longer than CACHE_WAIT_MS is given up on and rendered here too.
         */
        if (!inflight_has(s, h, key))
            break;
        if (!waited)
            atomic_fetch_add(&c->waits, 1);
        waited = true;
        if (!wait_store(s, &until))
            break;
    }
    bool owner = !inflight_has(s, h, key);
    if (owner)
        inflight_add(s, h, key);
    pthread_rwlock_unlock(&s->lock);
    atomic_fetch_add(&c->misses, 1);
    *t = (struct cache_ticket){h,     key,           atomic_load(&c->seq), atomic_load(&c->flushes),
                               owner, time_mono_ns()};
    return false;
}

/* ---- storing --------------------------------------------------------------------- */

static bool is_compressible(const char *type)
{
    static const char *const prefixes[] = {"text/",
                                           "application/json",
                                           "application/rss+xml",
                                           "application/atom+xml",
                                           "application/feed+json",
                                           "application/xml",
                                           "image/svg+xml",
                                           "application/javascript"};
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++)
        if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

/*
 * The keys a shared cache in front is purged by (purge.h): Surrogate-Key space-separated,
 * Cache-Tag comma-separated, each key once, and PURGE_KEY_ALL. Made once per entry, so a
 * hit formats nothing. Past PURGE_HEADER_MAX (it cannot be with HTTP_DEPS_MAX keys of
 * ours), PURGE_KEY_ALL alone.
 */
static void keys_headers(struct cache_entry *e, const struct response *res)
{
    struct buf b;
    buf_init(&b, PURGE_HEADER_MAX);
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < res->ndeps && !rc; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen = seen || str_eq(res->deps[i], res->deps[j]);
        if (seen || str_eq_cstr(res->deps[i], PURGE_KEY_ALL))
            continue;
        rc = purge_key_write(res->deps[i], &b);
        if (!rc)
            rc = buf_putc(&b, ' ');
    }
    if (!rc)
        rc = buf_puts(&b, PURGE_KEY_ALL);
    if (rc) {
        buf_reset(&b);
        buf_puts(&b, PURGE_KEY_ALL);
    }
    e->surrogate_key = buf_detach(&b, NULL);
    e->cache_tag = xstrdup(e->surrogate_key);
    for (char *p = e->cache_tag; *p; p++)
        *p = *p == ' ' ? ',' : *p;
    buf_release(&b);
}

static struct cache_entry *entry_new(struct cache *c, const struct cache_ticket *t,
                                     struct response *res)
{
    struct cache_entry *e = xcalloc(1, sizeof(*e));
    atomic_store(&e->refs, 1); /* the table's reference */
    e->cache = c;
    e->hash = t->hash;
    e->key = xstrndup(t->key.ptr, t->key.len);
    e->keylen = t->key.len;
    e->seq = t->start_seq;
    e->flush = t->start_flush;
    e->ndeps = res->ndeps;
    for (size_t i = 0; i < res->ndeps; i++)
        e->deps[i] = dep_slot(res->deps[i]);
    const char *type = res->content_type ? res->content_type : "application/octet-stream";
    e->content_type = xstrdup(type);
    e->cache_control = res->cache_control ? res->cache_control : c->cfg.cache_control;
    e->compressible = is_compressible(type);
    keys_headers(e, res);
    int64_t now = time_now();
    e->last_modified =
        res->last_modified > 0 && res->last_modified < now ? res->last_modified : now;
    time_fmt_http(e->last_modified, e->last_modified_str);
    struct cache_variant *id = &e->v[VARIANT_IDENTITY];
    /*
     * The rendered bytes move without a copy, trimmed to their length: a body grows by
     * doubling, and the half it never used would be held as long as the entry, uncounted.
     */
    id->data = buf_detach(&res->body, &id->len);
    id->data = xrealloc(id->data, id->len ? id->len : 1);
    snprintf(id->etag, sizeof(id->etag), "\"%016llx\"",
             (unsigned long long)body_hash(id->data, id->len));
    atomic_store(&id->state, VARIANT_READY);
    atomic_store(&e->bytes, sizeof(*e) + e->keylen + id->len + 2 * strlen(e->surrogate_key));
    /*
     * The shard is charged up front for the variants the entry may grow (made later,
     * outside the shard's lock): gzip and brotli of a page are each about a quarter of it.
     */
    e->charged = atomic_load(&e->bytes) + (e->compressible ? id->len / 2 : 0);
    return e;
}

/*
 * Evicted entries' memory, handed back to the system once an eighth of the budget (at
 * least 1 MiB) has been freed. Without it glibc keeps freed pages in each thread's arena,
 * and under a churn of distinct URLs the process held twice its budget and more.
 */
static void give_back(struct cache *c)
{
    size_t step = c->cfg.budget / 8 > (1u << 20) ? c->cfg.budget / 8 : (1u << 20);
    size_t freed = atomic_load(&c->freed);
    if (freed < step || !atomic_compare_exchange_strong(&c->freed, &freed, 0))
        return;
    malloc_trim(0);
}

static void evict(struct cache *c, struct cache_shard *s)
{
    while (s->bytes > c->shard_budget) {
        struct cache_entry *victim =
            s->lru.lru_prev != &s->lru ? s->lru.lru_prev : protected_victim(s);
        if (!victim)
            break;
        unlink_entry(c, s, victim);
        atomic_fetch_add(&c->evictions, 1);
    }
}

void cache_store(struct cache *c, struct cache_ticket *t, const struct request *req,
                 struct response *res)
{
    hist_add(&c->render, time_mono_ns() - t->missed_ns);
    struct cache_shard *s = shard_of(c, t->hash);
    bool keep = res->status == 200 && !res->deps_overflow && !res->body_ref.ptr;
    struct cache_entry *e = keep ? entry_new(c, t, res) : NULL, *stale = NULL;
    pthread_rwlock_wrlock(&s->lock);
    if (t->owner)
        inflight_remove(s, t->hash, t->key);
    /*
     * stale-if-error, for our own cache as RFC 5861 has it for others: a rendering that
     * failed because the database is unreachable (503) is answered with the entry it
     * would have replaced, however stale. A reader gets the page as it last was rather
     * than an error while the database is away; a write still fails (it is not cached).
     */
    if (!e && res->status == 503 && (stale = find(s, t->hash, t->key)))
        atomic_fetch_add(&stale->refs, 1);
    if (e) {
        struct cache_entry *old = find(s, t->hash, t->key);
        if (old)
            unlink_entry(c, s, old);
        struct cache_entry **b = bucket_of(s, e->hash);
        e->hnext = *b;
        *b = e;
        list_push(&s->lru, e);
        e->linked = true;
        size_t bytes = atomic_load(&e->bytes);
        s->bytes += e->charged;
        s->entries++;
        atomic_fetch_add(&c->total_entries, 1);
        atomic_fetch_add(&c->total_bytes, bytes);
        atomic_fetch_add(&e->refs, 1); /* this response's */
        evict(c, s);
        atomic_fetch_add(&c->stores, 1);
    }
    pthread_rwlock_unlock(&s->lock);
    pthread_mutex_lock(&s->wait_mu);
    s->gen++;
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->wait_mu);
    give_back(c);
    if (e)
        cache_entry_serve(e, req, res, "MISS");
    if (stale) {
        atomic_fetch_add(&c->stale_served, 1);
        cache_entry_serve(stale, req, res, "STALE");
    }
}

void cache_stats(const struct cache *c, struct cache_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->hits = atomic_load(&c->hits);
    out->misses = atomic_load(&c->misses);
    out->stores = atomic_load(&c->stores);
    out->evictions = atomic_load(&c->evictions);
    out->waits = atomic_load(&c->waits);
    out->stale_served = atomic_load(&c->stale_served);
    out->bytes = atomic_load(&c->total_bytes);
    out->entries = atomic_load(&c->total_entries);
}

/* The caches' counters, one family at a time (the text format wants a family's samples together).
 */
struct family {
    const char *name, *type, *help;
    size_t offset; /* of the value in struct cache_stats */
    bool is_size;  /* a size_t, else a uint64_t */
};

static const struct family families[] = {
    {"newsdesk_cache_hits_total", "counter", "Responses served from the cache.",
     offsetof(struct cache_stats, hits), false},
    {"newsdesk_cache_misses_total", "counter", "Requests that rendered their response.",
     offsetof(struct cache_stats, misses), false},
    {"newsdesk_cache_stores_total", "counter", "Responses stored.",
     offsetof(struct cache_stats, stores), false},
    {"newsdesk_cache_waits_total", "counter", "Misses that waited for another's rendering.",
     offsetof(struct cache_stats, waits), false},
    {"newsdesk_cache_evictions_total", "counter", "Entries evicted for the budget.",
     offsetof(struct cache_stats, evictions), false},
    {"newsdesk_cache_stale_served_total", "counter",
     "Stale entries served because rendering afresh failed with the database unreachable.",
     offsetof(struct cache_stats, stale_served), false},
    {"newsdesk_cache_entries", "gauge", "Entries held now.", offsetof(struct cache_stats, entries),
     true},
    {"newsdesk_cache_bytes", "gauge", "Bytes the entries hold now (bodies, keys, variants).",
     offsetof(struct cache_stats, bytes), true},
};

static unsigned long long stat_of(const struct cache_stats *st, const struct family *f)
{
    const char *p = (const char *)st + f->offset;
    return f->is_size ? (unsigned long long)*(const size_t *)(const void *)p
                      : (unsigned long long)*(const uint64_t *)(const void *)p;
}

static enum err_code write_render(const struct cache *const *caches, const char *const *names,
                                  size_t n, struct buf *out)
{
    enum err_code rc =
        buf_puts(out, "# HELP newsdesk_cache_render_seconds Time spent rendering a response "
                      "the cache did not hold (a miss), from the miss to its storing.\n"
                      "# TYPE newsdesk_cache_render_seconds histogram\n");
    for (size_t i = 0; !rc && i < n; i++) {
        if (!caches[i])
            continue;
        uint64_t counts[HIST_BUCKETS] = {0}, sum = 0;
        hist_gather(&caches[i]->render, counts, &sum);
        char labels[80];
        snprintf(labels, sizeof(labels), "cache=\"%s\"", names[i]);
        rc = hist_write(out, "newsdesk_cache_render_seconds", labels, counts, sum);
    }
    return rc;
}

enum err_code cache_metrics_write(const struct cache *const *caches, const char *const *names,
                                  size_t n, struct buf *out)
{
    struct cache_stats st[8];
    if (n > ARRAY_LEN(st))
        n = ARRAY_LEN(st);
    for (size_t i = 0; i < n; i++)
        if (caches[i])
            cache_stats(caches[i], &st[i]);
    enum err_code rc = ERR_OK;
    for (size_t f = 0; !rc && f < ARRAY_LEN(families); f++) {
        const struct family *fam = &families[f];
        rc = buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", fam->name, fam->help, fam->name,
                        fam->type);
        for (size_t i = 0; !rc && i < n; i++)
            if (caches[i])
                rc = buf_printf(out, "%s{cache=\"%s\"} %llu\n", fam->name, names[i],
                                stat_of(&st[i], fam));
    }
    return rc ? rc : write_render(caches, names, n, out);
}
