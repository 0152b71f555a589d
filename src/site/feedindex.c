/*
 * Page boundaries in memory. /page/N/ of a feed with 100,000 posts is an OFFSET of up to
 * 100,000 index entries in SQLite (about 70 ns each here: 0.5 ms for /page/500/, more
 * than the rest of the request). Instead each list (the feed, a tag's, an author's) keeps
 * the feed order as (published_at, id) pairs, built on first use with one index scan and
 * rebuilt after a change that touched it; a deep page then starts from a cursor, which
 * SQLite answers with one index seek.
 *
 * One mutex guards the lists: a lookup holds it for an array read, a rebuild for one
 * scan (tens of milliseconds at 100,000 posts, once per change to that list).
 */
#include "site/site_int.h"

#include "store/store.h"

#include <stdlib.h>
#include <string.h>

struct feed_list {
    struct feed_list *next;
    int64_t tag_id;
    int64_t author_id;
    bool dirty;
    int64_t *keys; /* (published_at, id) pairs, newest first */
    size_t n;
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

static struct feed_list *list_for(struct site *site, const struct store_filter *f)
{
    for (struct feed_list *l = site->feed_lists; l; l = l->next)
        if (l->tag_id == f->tag_id && l->author_id == f->author_id)
            return l;
    struct feed_list *l = xcalloc(1, sizeof(*l));
    l->tag_id = f->tag_id;
    l->author_id = f->author_id;
    l->dirty = true;
    l->next = site->feed_lists;
    site->feed_lists = l;
    return l;
}

enum err_code site_feed_cursor(struct site *site, struct store *st, const struct store_filter *f,
                               int64_t position, struct store_cursor *out, struct err *err)
{
    enum err_code rc = ERR_OK;
    pthread_mutex_lock(&site->feed_mu);
    struct feed_list *l = list_for(site, f);
    if (l->dirty) {
        int64_t *keys;
        size_t n;
        struct store_filter all = {.tag_id = f->tag_id, .author_id = f->author_id};
        rc = store_feed_keys(st, &all, &keys, &n, err);
        if (!rc) {
            free(l->keys);
            l->keys = keys;
            l->n = n;
            l->dirty = false;
        }
    }
    if (!rc && (position < 0 || (uint64_t)position >= l->n))
        rc = err_set(err, ERR_NOTFOUND, "past the end of the feed");
    if (!rc)
        *out = (struct store_cursor){l->keys[2 * position], l->keys[2 * position + 1]};
    pthread_mutex_unlock(&site->feed_mu);
    return rc;
}

void site_feed_changed(struct site *site, struct str dep)
{
    int64_t id = 0;
    bool all = str_eq_cstr(dep, "list");
    bool tag =
        str_starts_with(dep, "tag:") && str_to_i64((struct str){dep.ptr + 4, dep.len - 4}, &id);
    bool author =
        str_starts_with(dep, "author:") && str_to_i64((struct str){dep.ptr + 7, dep.len - 7}, &id);
    if (!all && !tag && !author)
        return;
    pthread_mutex_lock(&site->feed_mu);
    for (struct feed_list *l = site->feed_lists; l; l = l->next) {
        if ((all && !l->tag_id && !l->author_id) || (tag && l->tag_id == id) ||
            (author && l->author_id == id))
            l->dirty = true;
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
