/*
 * Page boundaries in memory. /page/N/ of a feed with 100,000 posts is an OFFSET of up to
 * 100,000 index entries in SQLite (about 70 ns each here: 0.5 ms for /page/500/, more
 * than the rest of the request; 176 ms for /page/1000/'s first render at a million).
 * Instead each list (the feed, a tag's, an author's) keeps the feed order as
 * (published_at, id, lastmod) keys, built on first use with one index scan; a deep page
 * then starts from a cursor, which SQLite answers with one index seek.
 *
 * A change that names its posts ("post:12 list tag:3") is patched in on the list's next
 * use: the post's old key is dropped and its current one (one indexed read) put in its
 * place. The keys are kept oldest first, so a new post is an append and an edit of a recent
 * one a short search and memmove from the end. A list is scanned again only when a change names no
 * post (a tag's rename, a bulk change) or more than FEED_PENDING_MAX pile up between uses, so a
 * publish at a million posts costs a deep page or a sitemap a millisecond, not a rescan.
 *
 * The whole feed's keys also carry each post's newest change: the sitemap index's lastmod
 * per file of posts is a walk of this array instead of a window over every post.
 *
 * One mutex guards the lists: a lookup holds it for an array read and the patches due.
 */
#include "site/site_int.h"

#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#define W STORE_FEED_KEY_WIDTH
#define FEED_PENDING_MAX 64

struct feed_list {
    struct feed_list *next;
    int64_t tag_id;
    int64_t author_id;
    bool dirty;    /* scan the list again on its next use */
    int64_t *keys; /* n keys of W, oldest first (a publish appends); room for cap */
    size_t n, cap;
    int64_t pending[FEED_PENDING_MAX]; /* posts changed since the last use */
    size_t npending;
};

void site_feed_index_init(struct site *site)
{
    pthread_mutex_init(&site->feed_mu, NULL);
    site->feed_lists = NULL;
}

void site_feed_index_release(struct site *site)
{
    struct feed_list *l = site->feed_lists;
    while (l) {
        struct feed_list *next = l->next;
        free(l->keys);
        free(l);
        l = next;
    }
    site->feed_lists = NULL;
    pthread_mutex_destroy(&site->feed_mu);
}

static struct feed_list *list_for(struct site *site, int64_t tag_id, int64_t author_id)
{
    for (struct feed_list *l = site->feed_lists; l; l = l->next)
        if (l->tag_id == tag_id && l->author_id == author_id)
            return l;
    struct feed_list *l = xcalloc(1, sizeof(*l));
    l->tag_id = tag_id;
    l->author_id = author_id;
    l->dirty = true;
    l->next = site->feed_lists;
    site->feed_lists = l;
    return l;
}

/* The first index whose key is newer than (published_at, id): where that key goes. */
static size_t insertion_point(const struct feed_list *l, int64_t published_at, int64_t id)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const int64_t *k = &l->keys[W * mid];
        bool older = k[0] < published_at || (k[0] == published_at && k[1] < id);
        if (older)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The key at position (newest first) of l. */
static const int64_t *key_at(const struct feed_list *l, size_t position)
{
    return &l->keys[W * (l->n - 1 - position)];
}

/* Post id's key as the store has it now, in place of the one the list had (if any). */
static enum err_code patch(struct feed_list *l, struct store *st, int64_t id, struct err *err)
{
    int64_t key[W];
    bool found;
    struct store_filter f = {.tag_id = l->tag_id, .author_id = l->author_id};
    enum err_code rc = store_feed_key(st, &f, id, key, &found, err);
    if (rc)
        return rc;
    /* from the newest: the posts a newsroom changes are mostly recent */
    for (size_t i = l->n; i-- > 0;) {
        if (l->keys[W * i + 1] != id)
            continue;
        memmove(&l->keys[W * i], &l->keys[W * (i + 1)], (l->n - i - 1) * W * sizeof(int64_t));
        l->n--;
        break;
    }
    if (!found)
        return ERR_OK;
    if (l->n == l->cap) {
        l->cap = l->cap + l->cap / 64 + 256;
        l->keys = xrealloc(l->keys, l->cap * W * sizeof(int64_t));
    }
    size_t at = insertion_point(l, key[0], key[1]);
    memmove(&l->keys[W * (at + 1)], &l->keys[W * at], (l->n - at) * W * sizeof(int64_t));
    memcpy(&l->keys[W * at], key, sizeof(key));
    l->n++;
    return ERR_OK;
}

/* Brings l up to date with the store: the pending patches, or a scan when it is dirty. */
static enum err_code refresh(struct feed_list *l, struct store *st, struct err *err)
{
    enum err_code rc = ERR_OK;
    while (!l->dirty && l->npending && !rc)
        rc = patch(l, st, l->pending[--l->npending], err);
    if (rc) {
        l->dirty = true; /* half patched: scan it all next time */
        return rc;
    }
    if (!l->dirty)
        return ERR_OK;
    int64_t *keys;
    size_t n;
    struct store_filter all = {.tag_id = l->tag_id, .author_id = l->author_id};
    rc = store_feed_keys(st, &all, &keys, &n, err);
    if (rc)
        return rc;
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) { /* oldest first */
        int64_t t[W];
        memcpy(t, &keys[W * i], sizeof(t));
        memcpy(&keys[W * i], &keys[W * j], sizeof(t));
        memcpy(&keys[W * j], t, sizeof(t));
    }
    free(l->keys);
    /* room for the posts of a busy day: a patch then never copies the array to grow it */
    l->cap = n + n / 64 + 256;
    l->keys = xrealloc(keys, l->cap * W * sizeof(int64_t));
    l->n = n;
    l->dirty = false;
    l->npending = 0;
    return ERR_OK;
}

enum err_code site_feed_cursor(struct site *site, struct store *st, const struct store_filter *f,
                               int64_t position, struct store_cursor *out, struct err *err)
{
    pthread_mutex_lock(&site->feed_mu);
    struct feed_list *l = list_for(site, f->tag_id, f->author_id);
    enum err_code rc = refresh(l, st, err);
    if (!rc && (position < 0 || (uint64_t)position >= l->n))
        rc = err_set(err, ERR_NOTFOUND, "past the end of the feed");
    if (!rc)
        *out =
            (struct store_cursor){key_at(l, (size_t)position)[0], key_at(l, (size_t)position)[1]};
    pthread_mutex_unlock(&site->feed_mu);
    return rc;
}

enum err_code site_feed_slices(struct site *site, struct store *st, int64_t per_file,
                               struct arena *a, int64_t **lastmods, size_t *n, struct err *err)
{
    pthread_mutex_lock(&site->feed_mu);
    struct feed_list *l = list_for(site, 0, 0);
    enum err_code rc = refresh(l, st, err);
    if (!rc) {
        size_t per = per_file > 0 ? (size_t)per_file : 1;
        size_t files = (l->n + per - 1) / per;
        int64_t *mods = arena_calloc(a, files ? files : 1, sizeof(*mods));
        for (size_t p = 0; p < l->n; p++) {
            int64_t m = key_at(l, p)[2];
            mods[p / per] = m > mods[p / per] ? m : mods[p / per];
        }
        *lastmods = mods;
        *n = files;
    }
    pthread_mutex_unlock(&site->feed_mu);
    return rc;
}

/* Marks the list for post (0: no post named, so a scan) to be brought up to date. */
static void note(struct feed_list *l, const int64_t *posts, size_t nposts)
{
    if (l->dirty)
        return;
    if (nposts == 0 || l->npending + nposts > FEED_PENDING_MAX) {
        l->dirty = true;
        return;
    }
    memcpy(&l->pending[l->npending], posts, nposts * sizeof(*posts));
    l->npending += nposts;
}

static bool dep_id(struct str dep, const char *prefix, int64_t *id)
{
    size_t len = strlen(prefix);
    return str_starts_with(dep, prefix) &&
           str_to_i64((struct str){dep.ptr + len, dep.len - len}, id);
}

void site_feed_changed(struct site *site, const struct str *deps, size_t nd)
{
    int64_t posts[FEED_PENDING_MAX];
    size_t nposts = 0;
    bool many = false;
    for (size_t i = 0; i < nd; i++) {
        int64_t id;
        if (dep_id(deps[i], "post:", &id)) {
            if (nposts < FEED_PENDING_MAX)
                posts[nposts++] = id;
            else
                many = true;
        }
    }
    if (many)
        nposts = 0; /* more posts than a list keeps pending: scan again */
    pthread_mutex_lock(&site->feed_mu);
    for (size_t i = 0; i < nd; i++) {
        int64_t id;
        bool all = str_eq_cstr(deps[i], "list");
        bool tag = dep_id(deps[i], "tag:", &id);
        bool author = !tag && dep_id(deps[i], "author:", &id);
        for (struct feed_list *l = site->feed_lists; l; l = l->next) {
            if ((all && !l->tag_id && !l->author_id) || (tag && l->tag_id == id) ||
                (author && l->author_id == id))
                note(l, posts, nposts);
        }
    }
    pthread_mutex_unlock(&site->feed_mu);
}

void site_feed_changed_all(struct site *site)
{
    pthread_mutex_lock(&site->feed_mu);
    for (struct feed_list *l = site->feed_lists; l; l = l->next)
        l->dirty = true;
    pthread_mutex_unlock(&site->feed_mu);
}
