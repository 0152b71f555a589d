/*
 * The live hub: the ring of recent changes, each worker's clients, and the fan-out
 * between them (live.h).
 */
#include "live/live.h"

#include "http/http.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLIENT_BUCKETS 256 /* per worker, by stream */
#define ADDRESS_BUCKETS 1024
#define ADDRESS_MAX 64 /* "ffff:...:ffff" and then some */
#define RETRY_MS 5000  /* how long a browser waits before it reconnects */
/* the backlog's memory: 1,024 ordinary changes take a few MB, bulk edits far more */
#define RING_BYTES_MAX (64u * 1024 * 1024)

/* One stream's events of a change: contiguous frames, the id after the last. */
struct live_run {
    char stream[LIVE_STREAM_MAX];
    size_t stream_len;
    uint64_t hash;
    struct str bytes;
};

/* A change as clients get it; immutable once in the ring, freed by its last holder. */
struct live_entry {
    uint64_t seq;
    _Atomic unsigned refs;
    bool reload; /* every client, whatever its stream */
    size_t nruns;
    struct live_run *runs;
    struct buf bytes;
};

struct live_client {
    struct live_worker *w;
    struct http_stream *s; /* NULL until the head is on its way */
    struct live_client *next, **pprev;
    uint64_t seen; /* changes up to here have been written (or were before it came) */
    uint64_t hash;
    size_t stream_len;
    char stream[LIVE_STREAM_MAX];
    char address[ADDRESS_MAX];
    struct http_stream_spec spec;
};

struct live_worker {
    struct live *lv;
    struct http_waker *waker;
    unsigned index;
    uint64_t cursor; /* the last change written to this worker's clients */
    uint64_t beat;
    struct live_client *buckets[CLIENT_BUCKETS];
    struct live_entry **batch; /* backlog slots, for the entries of one wake */
};

struct address_count {
    struct address_count *next;
    size_t n;
    char address[ADDRESS_MAX];
};

struct live {
    struct live_config cfg;
    pthread_mutex_t mu;
    struct live_entry **ring; /* cfg.backlog slots; the oldest at ring_at */
    size_t ring_at, ring_n;
    size_t ring_bytes; /* what the entries in it hold: at most RING_BYTES_MAX */
    uint64_t head;     /* the newest change seen */
    uint64_t covered;  /* every change after this one is in the ring (or had no events) */
    _Atomic uint64_t beat;
    _Atomic size_t clients;
    _Atomic uint64_t opened, dropped, refused, reloads; /* for /metrics */
    struct live_worker **workers;
    struct address_count *addresses[ADDRESS_BUCKETS];
};

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h;
}

static void entry_release(struct live_entry *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1) {
        buf_release(&e->bytes);
        free(e->runs);
        free(e);
    }
}

struct live *live_new(const struct live_config *cfg)
{
    struct live *lv = xcalloc(1, sizeof(*lv));
    lv->cfg = *cfg;
    if (!lv->cfg.backlog)
        lv->cfg.backlog = LIVE_BACKLOG_DEFAULT;
    if (!lv->cfg.queue_max)
        lv->cfg.queue_max = LIVE_QUEUE_DEFAULT;
    pthread_mutex_init(&lv->mu, NULL);
    lv->ring = xcalloc(lv->cfg.backlog, sizeof(*lv->ring));
    lv->head = lv->covered = cfg->start < cfg->head ? cfg->start : cfg->head;
    lv->workers = xcalloc(cfg->workers ? cfg->workers : 1, sizeof(*lv->workers));
    return lv;
}

void live_free(struct live *lv)
{
    if (!lv)
        return;
    for (size_t i = 0; i < lv->ring_n; i++)
        entry_release(lv->ring[(lv->ring_at + i) % lv->cfg.backlog]);
    for (size_t i = 0; i < ADDRESS_BUCKETS; i++)
        while (lv->addresses[i]) {
            struct address_count *a = lv->addresses[i];
            lv->addresses[i] = a->next;
            free(a);
        }
    pthread_mutex_destroy(&lv->mu);
    free(lv->ring);
    free(lv->workers);
    free(lv);
}

struct live_worker *live_worker_new(struct live *lv, unsigned index, struct http_waker *waker)
{
    struct live_worker *w = xcalloc(1, sizeof(*w));
    w->lv = lv;
    w->waker = waker;
    w->index = index;
    w->batch = xcalloc(lv->cfg.backlog, sizeof(*w->batch));
    pthread_mutex_lock(&lv->mu);
    w->cursor = lv->head;
    if (index < (lv->cfg.workers ? lv->cfg.workers : 1))
        lv->workers[index] = w;
    pthread_mutex_unlock(&lv->mu);
    w->beat = atomic_load(&lv->beat);
    return w;
}

/* Called once the worker's streams have all ended (the server closes them first). */
void live_worker_free(struct live_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lv->mu);
    if (w->index < (w->lv->cfg.workers ? w->lv->cfg.workers : 1))
        w->lv->workers[w->index] = NULL;
    pthread_mutex_unlock(&w->lv->mu);
    free(w->batch);
    free(w);
}

size_t live_clients(const struct live *lv)
{
    return atomic_load(&lv->clients);
}

bool live_parse_id(struct str s, uint64_t *out)
{
    if (s.len == 0 || s.len > 18)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s.ptr[i] - '0');
    }
    *out = v;
    return true;
}

/* ---- per-address limits ---------------------------------------------------------------- */

/* Counts one more stream from address; false when it already has per_address of them. */
static bool address_take(struct live *lv, const char *address)
{
    if (!lv->cfg.per_address)
        return true;
    size_t b = hash_bytes(address, strlen(address)) % ADDRESS_BUCKETS;
    bool ok = true;
    pthread_mutex_lock(&lv->mu);
    struct address_count *a = lv->addresses[b];
    while (a && strcmp(a->address, address) != 0)
        a = a->next;
    if (!a) {
        a = xcalloc(1, sizeof(*a));
        snprintf(a->address, sizeof(a->address), "%s", address);
        a->next = lv->addresses[b];
        lv->addresses[b] = a;
    }
    if (a->n >= lv->cfg.per_address)
        ok = false;
    else
        a->n++;
    pthread_mutex_unlock(&lv->mu);
    return ok;
}

static void address_give(struct live *lv, const char *address)
{
    if (!lv->cfg.per_address)
        return;
    size_t b = hash_bytes(address, strlen(address)) % ADDRESS_BUCKETS;
    pthread_mutex_lock(&lv->mu);
    struct address_count **pp = &lv->addresses[b];
    while (*pp && strcmp((*pp)->address, address) != 0)
        pp = &(*pp)->next;
    if (*pp && --(*pp)->n == 0) {
        struct address_count *a = *pp;
        *pp = a->next;
        free(a);
    }
    pthread_mutex_unlock(&lv->mu);
}

/* ---- the producer ---------------------------------------------------------------------- */

static int item_cmp(const void *a, const void *b)
{
    const struct live_item *x = *(const struct live_item *const *)a;
    const struct live_item *y = *(const struct live_item *const *)b;
    size_t n = x->stream.len < y->stream.len ? x->stream.len : y->stream.len;
    int c = memcmp(x->stream.ptr, y->stream.ptr, n);
    if (!c && x->stream.len != y->stream.len)
        c = x->stream.len < y->stream.len ? -1 : 1;
    return c ? c : (x < y ? -1 : x > y); /* stable: the producer's order within a stream */
}

/*
 * The change's events grouped by stream, each group's frames contiguous with "id: seq"
 * on the last, so one write gives a client the whole change.
 */
static struct live_entry *entry_new(uint64_t seq, const struct live_item *items, size_t n)
{
    struct live_entry *e = xcalloc(1, sizeof(*e));
    e->seq = seq;
    atomic_init(&e->refs, 1);
    buf_init(&e->bytes, 64 * 1024 * 1024); /* far past any change: the producer caps them */
    const struct live_item **sorted = xcalloc(n ? n : 1, sizeof(*sorted));
    for (size_t i = 0; i < n; i++)
        sorted[i] = &items[i];
    qsort(sorted, n, sizeof(*sorted), item_cmp);
    e->runs = xcalloc(n ? n : 1, sizeof(*e->runs));
    size_t *starts = xcalloc(n ? n : 1, sizeof(*starts));
    for (size_t i = 0; i < n; i++) {
        const struct live_item *it = sorted[i];
        if (it->stream.len >= LIVE_STREAM_MAX)
            continue;
        const struct live_run *prev = e->nruns ? &e->runs[e->nruns - 1] : NULL;
        bool first = !prev || !str_eq((struct str){prev->stream, prev->stream_len}, it->stream);
        if (first) {
            struct live_run *r = &e->runs[e->nruns];
            memcpy(r->stream, it->stream.ptr, it->stream.len);
            r->stream_len = it->stream.len;
            r->hash = hash_bytes(r->stream, r->stream_len);
            starts[e->nruns++] = e->bytes.len;
        }
        buf_printf(&e->bytes, "event: %s\ndata: %.*s\n", it->event, (int)it->data.len,
                   it->data.ptr);
        bool last = i + 1 == n || !str_eq(sorted[i + 1]->stream, it->stream);
        if (last)
            buf_printf(&e->bytes, "id: %llu\n\n", (unsigned long long)seq);
        else
            buf_puts(&e->bytes, "\n");
    }
    for (size_t r = 0; r < e->nruns; r++) {
        size_t end = r + 1 < e->nruns ? starts[r + 1] : e->bytes.len;
        e->runs[r].bytes = (struct str){e->bytes.ptr + starts[r], end - starts[r]};
    }
    free(starts);
    free(sorted);
    return e;
}

/* Wakes every worker that has started and not stopped; under lv->mu. */
static void wake_all(struct live *lv)
{
    for (unsigned i = 0; i < (lv->cfg.workers ? lv->cfg.workers : 1); i++)
        if (lv->workers[i])
            http_wake(lv->workers[i]->waker);
}

/* Adds e to the ring (the oldest leave when it is full) and wakes every worker. */
static void ring_push(struct live *lv, struct live_entry *e)
{
    pthread_mutex_lock(&lv->mu);
    if (e->seq <= lv->head) { /* already seen: the producer started again from the log */
        pthread_mutex_unlock(&lv->mu);
        entry_release(e);
        return;
    }
    struct live_entry *evicted[8];
    size_t nevicted = 0;
    while (lv->ring_n &&
           (lv->ring_n == lv->cfg.backlog || lv->ring_bytes + e->bytes.len > RING_BYTES_MAX) &&
           nevicted < ARRAY_LEN(evicted)) {
        struct live_entry *old = lv->ring[lv->ring_at];
        lv->covered = old->seq;
        lv->ring_bytes -= old->bytes.len;
        lv->ring_at = (lv->ring_at + 1) % lv->cfg.backlog;
        lv->ring_n--;
        evicted[nevicted++] = old;
    }
    lv->ring[(lv->ring_at + lv->ring_n) % lv->cfg.backlog] = e;
    lv->ring_n++;
    lv->ring_bytes += e->bytes.len;
    lv->head = e->seq;
    wake_all(lv);
    pthread_mutex_unlock(&lv->mu);
    for (size_t i = 0; i < nevicted; i++)
        entry_release(evicted[i]);
}

void live_publish(struct live *lv, uint64_t seq, const struct live_item *items, size_t n)
{
    if (n == 0) { /* nothing for any page: the ring need not hold it */
        pthread_mutex_lock(&lv->mu);
        if (seq > lv->head)
            lv->head = seq;
        pthread_mutex_unlock(&lv->mu);
        return;
    }
    ring_push(lv, entry_new(seq, items, n));
}

void live_reload(struct live *lv, uint64_t seq)
{
    atomic_fetch_add(&lv->reloads, 1);
    struct live_entry *e = entry_new(seq, NULL, 0);
    e->reload = true;
    buf_printf(&e->bytes, "event: reload\ndata: {}\nid: %llu\n\n", (unsigned long long)seq);
    ring_push(lv, e);
}

void live_heartbeat(struct live *lv)
{
    atomic_fetch_add(&lv->beat, 1);
    pthread_mutex_lock(&lv->mu);
    wake_all(lv);
    pthread_mutex_unlock(&lv->mu);
}

/* ---- a worker's clients ------------------------------------------------------------------- */

static struct live_client **bucket_of(struct live_worker *w, uint64_t hash)
{
    return &w->buckets[hash % CLIENT_BUCKETS];
}

static void client_opened(void *arg, struct http_stream *s)
{
    struct live_client *c = arg;
    c->s = s;
    struct live_client **b = bucket_of(c->w, c->hash);
    c->next = *b;
    if (*b)
        (*b)->pprev = &c->next;
    c->pprev = b;
    *b = c;
}

static void client_closed(void *arg)
{
    struct live_client *c = arg;
    if (c->pprev) {
        *c->pprev = c->next;
        if (c->next)
            c->next->pprev = c->pprev;
    }
    address_give(c->w->lv, c->address);
    atomic_fetch_sub(&c->w->lv->clients, 1);
    free(c);
}

/* What an entry holds for a stream, or an empty slice. */
static struct str entry_for(const struct live_entry *e, const char *stream, size_t len,
                            uint64_t hash)
{
    if (e->reload)
        return (struct str){e->bytes.ptr, e->bytes.len};
    for (size_t i = 0; i < e->nruns; i++)
        if (e->runs[i].hash == hash && e->runs[i].stream_len == len &&
            memcmp(e->runs[i].stream, stream, len) == 0)
            return e->runs[i].bytes;
    return STR_LIT("");
}

static const char RELOAD_FRAME[] = "event: reload\ndata: {}\n\n";

/*
 * Writes entries (oldest first) to each client that has not seen them. A client that saw
 * nothing after `covered` (this worker fell behind the whole ring) is told to reload.
 */
static void fan_out(struct live_worker *w, struct live_entry **es, size_t n, uint64_t covered)
{
    for (size_t b = 0; b < CLIENT_BUCKETS; b++) {
        struct live_client *c = w->buckets[b], *next;
        for (; c; c = next) {
            next = c->next;
            if (c->seen < covered) {
                c->seen = covered;
                if (!http_stream_write(c->s, RELOAD_FRAME, sizeof(RELOAD_FRAME) - 1))
                    continue;
            }
            for (size_t i = 0; i < n; i++) {
                if (es[i]->seq <= c->seen)
                    continue;
                struct str bytes = entry_for(es[i], c->stream, c->stream_len, c->hash);
                c->seen = es[i]->seq;
                if (bytes.len && !http_stream_write(c->s, bytes.ptr, bytes.len)) {
                    atomic_fetch_add(&w->lv->dropped, 1);
                    break; /* dropped: c is gone */
                }
            }
        }
    }
}

static void heartbeat(struct live_worker *w)
{
    static const char beat[] = ":\n\n";
    for (size_t b = 0; b < CLIENT_BUCKETS; b++) {
        struct live_client *c = w->buckets[b], *next;
        for (; c; c = next) {
            next = c->next;
            if (http_stream_alive(c->s) && !http_stream_write(c->s, beat, sizeof(beat) - 1))
                atomic_fetch_add(&w->lv->dropped, 1);
        }
    }
}

/*
 * A burst (an import, a bulk unpublish) goes out a slice at a time, the loop turning
 * between slices: h2o hands each client's bytes to the kernel only then, so a client that
 * reads at once never has more than a slice waiting in its queue (queue_max would drop
 * even a fast reader that was given a whole burst in one go).
 */
void live_worker_wake(struct live_worker *w)
{
    struct live *lv = w->lv;
    size_t n = 0, take = 0, bytes = 0;
    pthread_mutex_lock(&lv->mu);
    for (size_t i = 0; i < lv->ring_n; i++) {
        struct live_entry *e = lv->ring[(lv->ring_at + i) % lv->cfg.backlog];
        if (e->seq <= w->cursor)
            continue;
        atomic_fetch_add(&e->refs, 1);
        w->batch[n++] = e;
    }
    uint64_t covered = lv->covered, head = lv->head;
    pthread_mutex_unlock(&lv->mu);
    while (take < n && (take == 0 || bytes + w->batch[take]->bytes.len <= lv->cfg.queue_max / 4))
        bytes += w->batch[take++]->bytes.len;
    if (take)
        fan_out(w, w->batch, take, covered);
    w->cursor = take < n ? w->batch[take - 1]->seq : (head > w->cursor ? head : w->cursor);
    for (size_t i = 0; i < n; i++)
        entry_release(w->batch[i]);
    if (take < n)
        http_wake(w->waker); /* the rest on the next turn of the loop */
    uint64_t beat = atomic_load(&lv->beat);
    if (beat != w->beat) {
        w->beat = beat;
        heartbeat(w);
    }
}

/* ---- a request -------------------------------------------------------------------------- */

/*
 * What a client that last saw `from` missed, appended to out, under the hub's lock:
 * the ring's entries for its stream after from, or a reload when the ring no longer
 * reaches back to it. Returns the change the client is then at.
 */
static uint64_t replay(struct live *lv, const struct live_client *c, bool resume, uint64_t from,
                       struct buf *out)
{
    /* while the producer catches up after a start, a new client begins at the log's head */
    uint64_t at = lv->head > lv->cfg.head ? lv->head : lv->cfg.head;
    if (!resume)
        return at;
    if (from < lv->covered) {
        buf_puts(out, RELOAD_FRAME);
        return lv->head;
    }
    for (size_t i = 0; i < lv->ring_n; i++) {
        const struct live_entry *e = lv->ring[(lv->ring_at + i) % lv->cfg.backlog];
        if (e->seq <= from)
            continue;
        struct str bytes = entry_for(e, c->stream, c->stream_len, c->hash);
        buf_append(out, bytes.ptr, bytes.len);
    }
    /* what the ring gave it; a page newer than the ring waits for its own changes */
    return from > lv->head ? from : lv->head;
}

enum err_code live_attach(struct live_worker *w, const struct request *req, struct str stream,
                          struct str address, bool has_since, uint64_t since, struct response *res,
                          struct err *err)
{
    struct live *lv = w->lv;
    struct str last = http_request_header(req, "last-event-id");
    uint64_t from = since;
    bool resume = has_since;
    if (last.ptr) {
        if (!live_parse_id(str_trim(last), &from))
            return err_set(err, ERR_INVALID,
                           "Last-Event-ID must be the id of an event this server sent");
        resume = true;
    }
    if (stream.len >= LIVE_STREAM_MAX || address.len >= ADDRESS_MAX)
        return err_set(err, ERR_INVALID, "no such live stream");
    struct live_client *c = xcalloc(1, sizeof(*c));
    memcpy(c->stream, stream.ptr, stream.len);
    c->stream_len = stream.len;
    c->hash = hash_bytes(c->stream, c->stream_len);
    memcpy(c->address, address.ptr, address.len);
    if (!address_take(lv, c->address)) {
        atomic_fetch_add(&lv->refused, 1);
        free(c);
        http_response_header(res, "retry-after", STR_LIT("30"));
        return err_set(err, ERR_LIMIT, "too many live connections from your address (%zu)",
                       lv->cfg.per_address);
    }
    atomic_fetch_add(&lv->clients, 1);
    atomic_fetch_add(&lv->opened, 1);
    c->w = w;
    c->spec = (struct http_stream_spec){
        .opened = client_opened,
        .closed = client_closed,
        .arg = c,
        .queue_max = lv->cfg.queue_max,
        .sndbuf = (int)(lv->cfg.queue_max < 65536 ? lv->cfg.queue_max : 65536)};
    res->content_type = "text/event-stream";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    http_response_header(res, "x-accel-buffering", STR_LIT("no")); /* nginx: pass it on at once */
    buf_printf(&res->body, "retry: %d\n\n", RETRY_MS);
    pthread_mutex_lock(&lv->mu);
    c->seen = replay(lv, c, resume, from, &res->body);
    pthread_mutex_unlock(&lv->mu);
    res->stream = &c->spec;
    return ERR_OK;
}

enum err_code live_metrics_write(const struct live *lv, struct buf *out)
{
    if (!lv)
        return ERR_OK;
    return buf_printf(out,
                      "# HELP newsdesk_live_clients Live update streams open now.\n"
                      "# TYPE newsdesk_live_clients gauge\n"
                      "newsdesk_live_clients %zu\n"
                      "# HELP newsdesk_live_streams_total Live update streams asked for: "
                      "opened, refused (a limit), dropped (a client too slow).\n"
                      "# TYPE newsdesk_live_streams_total counter\n"
                      "newsdesk_live_streams_total{result=\"opened\"} %llu\n"
                      "newsdesk_live_streams_total{result=\"refused\"} %llu\n"
                      "newsdesk_live_streams_total{result=\"dropped_slow\"} %llu\n"
                      "# HELP newsdesk_live_reloads_total Streams told to reload their page "
                      "(they fell too far behind).\n"
                      "# TYPE newsdesk_live_reloads_total counter\n"
                      "newsdesk_live_reloads_total %llu\n",
                      atomic_load(&lv->clients), (unsigned long long)atomic_load(&lv->opened),
                      (unsigned long long)atomic_load(&lv->refused),
                      (unsigned long long)atomic_load(&lv->dropped),
                      (unsigned long long)atomic_load(&lv->reloads));
}
