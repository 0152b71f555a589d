/*
 * Rate limits: per key, the times of the last max_events events in a ring. A key is
 * blocked while its oldest remembered event is younger than the window. Keys live in a
 * fixed table (linear probing on a hash); a full table forgets its least recently used
 * key, so a flood of addresses costs a bounded amount of memory and can only make us
 * forget, never grow.
 */
#include "auth/auth.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 128
#define EVENTS_MAX 64

struct slot {
    char key[KEY_MAX];
    size_t keylen;
    int64_t last_used;
    /* a shared limiter's refusal, remembered here (shared_take): until memo_until this key
     * is refused without asking the store, and frees at free_at */
    int64_t memo_until, free_at;
    unsigned count; /* events in the ring, at most max_events */
    unsigned head;  /* where the next event goes */
    int64_t at[];   /* max_events of them: the limiter's stride */
};

struct auth_limiter {
    pthread_mutex_t mu;
    unsigned max_events;
    int64_t window;
    size_t cap;
    size_t stride; /* bytes per slot, its events included */
    char *slots;
    /* auth_limiter_share: the events live there instead, and slots is unused */
    const struct auth_limit_store *shared;
    const char *name;
};

void auth_limiter_share(struct auth_limiter *l, const char *name, const struct auth_limit_store *s)
{
    l->shared = s;
    l->name = name;
}

/*
 * How long a shared limiter remembers a refusal from its store. A key refused there
 * (a login flood against one account, from one address) is then refused here without
 * a write transaction on the database, which every server's editors share: a flood
 * costs the database one take per key per server every SHARED_MEMO_S seconds, not one
 * per request. Short, because another server may clear the key meanwhile (a login that
 * succeeded there, an administrator's unlock), which this one learns only at its next
 * take.
 */
#define SHARED_MEMO_S 5

static struct slot *find(struct auth_limiter *l, struct str key, bool create, int64_t now);

/* A shared limiter's take (count) or look; *retry_after may be NULL. */
static unsigned shared_take(struct auth_limiter *l, struct str key, int64_t now, bool count,
                            int64_t *retry_after)
{
    pthread_mutex_lock(&l->mu);
    const struct slot *memo = find(l, key, false, now);
    int64_t until = memo ? memo->memo_until : 0, free_at = memo ? memo->free_at : 0;
    pthread_mutex_unlock(&l->mu);
    if (now < until) {
        if (retry_after)
            *retry_after = free_at > now ? free_at - now : 1;
        return 0;
    }
    int64_t wait = 0;
    unsigned used =
        l->shared->take(l->shared->ctx, l->name, key, l->max_events, l->window, now, count, &wait);
    if (!used && wait > 0) {
        pthread_mutex_lock(&l->mu);
        struct slot *s = find(l, key, true, now);
        s->free_at = now + wait;
        s->memo_until = now + (wait < SHARED_MEMO_S ? wait : SHARED_MEMO_S);
        pthread_mutex_unlock(&l->mu);
    }
    if (retry_after)
        *retry_after = wait;
    return used;
}

/* Forgets a shared limiter's refusal of key: the store's events changed (give back, clear). */
static void shared_forget(struct auth_limiter *l, struct str key)
{
    pthread_mutex_lock(&l->mu);
    struct slot *s = find(l, key, false, 0);
    if (s)
        s->memo_until = 0;
    pthread_mutex_unlock(&l->mu);
}

struct auth_limiter *auth_limiter_new(unsigned max_events, int64_t window_seconds, size_t capacity)
{
    struct auth_limiter *l = xcalloc(1, sizeof(*l));
    pthread_mutex_init(&l->mu, NULL);
    l->max_events = max_events < 1 ? 1 : max_events > EVENTS_MAX ? EVENTS_MAX : max_events;
    l->window = window_seconds;
    l->cap = capacity < 16 ? 16 : capacity;
    l->stride = sizeof(struct slot) + l->max_events * sizeof(int64_t);
    l->slots = xcalloc(l->cap, l->stride);
    return l;
}

void auth_limiter_free(struct auth_limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->mu);
    free(l->slots);
    free(l);
}

static uint64_t hash(struct str k)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < k.len; i++)
        h = (h ^ (unsigned char)k.ptr[i]) * 1099511628211ull;
    return h;
}

/* The slot of key, or NULL; with create, a new one (evicting the least recently used). */
static struct slot *find(struct auth_limiter *l, struct str key, bool create, int64_t now)
{
    if (key.len > KEY_MAX)
        key.len = KEY_MAX;
    size_t start = hash(key) % l->cap;
    struct slot *oldest = NULL;
    /* look a bounded distance: a miss past it takes the oldest slot seen */
    for (size_t i = 0; i < 64 && i < l->cap; i++) {
        struct slot *s = (struct slot *)(l->slots + (start + i) % l->cap * l->stride);
        if (s->keylen == key.len && s->keylen && memcmp(s->key, key.ptr, key.len) == 0)
            return s;
        if (!s->keylen) {
            if (!create)
                return NULL;
            oldest = s;
            break;
        }
        if (!oldest || s->last_used < oldest->last_used)
            oldest = s;
    }
    if (!create)
        return NULL;
    memset(oldest, 0, l->stride);
    memcpy(oldest->key, key.ptr, key.len);
    oldest->keylen = key.len;
    oldest->last_used = now;
    return oldest;
}

/* The oldest of the last max_events events of s, when there are that many. */
static int64_t oldest_event(const struct auth_limiter *l, const struct slot *s)
{
    return s->at[s->head % l->max_events];
}

/* Whether s has used up its events in the window ending now; *retry_after as documented. */
static bool full(const struct auth_limiter *l, const struct slot *s, int64_t now,
                 int64_t *retry_after)
{
    if (!s || s->count < l->max_events || now - oldest_event(l, s) >= l->window)
        return false;
    if (retry_after)
        *retry_after = l->window - (now - oldest_event(l, s));
    return true;
}

static void record(struct auth_limiter *l, struct slot *s, int64_t now)
{
    s->at[s->head] = now;
    s->head = (s->head + 1) % l->max_events;
    if (s->count < l->max_events)
        s->count++;
    s->last_used = now;
}

/* Events of s younger than the window. */
static unsigned in_window(const struct auth_limiter *l, const struct slot *s, int64_t now)
{
    unsigned n = 0;
    for (unsigned i = 0; i < s->count; i++)
        n += now - s->at[(s->head + l->max_events - 1 - i) % l->max_events] < l->window;
    return n;
}

bool auth_limiter_blocked(struct auth_limiter *l, struct str key, int64_t now, int64_t *retry_after)
{
    if (l->shared)
        return shared_take(l, key, now, false, retry_after) == 0;
    pthread_mutex_lock(&l->mu);
    bool blocked = full(l, find(l, key, false, now), now, retry_after);
    pthread_mutex_unlock(&l->mu);
    return blocked;
}

void auth_limiter_hit(struct auth_limiter *l, struct str key, int64_t now)
{
    if (l->shared) {
        shared_take(l, key, now, true, NULL);
        return;
    }
    pthread_mutex_lock(&l->mu);
    record(l, find(l, key, true, now), now);
    pthread_mutex_unlock(&l->mu);
}

/*
 * Check and count under one lock: checking with auth_limiter_blocked and counting later
 * with auth_limiter_hit let eight concurrent logins through where one was left (21 tries
 * where 20 were allowed), because all eight checked before any counted.
 */
unsigned auth_limiter_take(struct auth_limiter *l, struct str key, int64_t now,
                           int64_t *retry_after)
{
    if (l->shared)
        return shared_take(l, key, now, true, retry_after);
    pthread_mutex_lock(&l->mu);
    struct slot *s = find(l, key, true, now);
    unsigned used = 0;
    if (!full(l, s, now, retry_after)) {
        record(l, s, now);
        used = in_window(l, s, now);
    }
    pthread_mutex_unlock(&l->mu);
    return used;
}

/*
 * Forgets the newest event, which under concurrency may be another taker's rather than
 * ours: the count is what matters, and keeping the older time can only let the key go
 * free a little sooner, never later.
 */
void auth_limiter_give_back(struct auth_limiter *l, struct str key)
{
    if (l->shared) {
        shared_forget(l, key);
        l->shared->give_back(l->shared->ctx, l->name, key);
        return;
    }
    pthread_mutex_lock(&l->mu);
    struct slot *s = find(l, key, false, 0);
    if (s && s->count) {
        s->head = (s->head + l->max_events - 1) % l->max_events;
        s->count--;
    }
    pthread_mutex_unlock(&l->mu);
}

void auth_limiter_clear(struct auth_limiter *l, struct str key)
{
    if (l->shared) {
        shared_forget(l, key);
        l->shared->clear(l->shared->ctx, l->name, key);
        return;
    }
    pthread_mutex_lock(&l->mu);
    struct slot *s = find(l, key, false, 0);
    if (s) {
        s->count = 0;
        s->head = 0;
    }
    pthread_mutex_unlock(&l->mu);
}
