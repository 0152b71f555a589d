/*
 * Live updates of the open feed pages: the thread that follows the change log and tells
 * the hub (live.h) what each change means for each stream, and the streams' handlers.
 *
 * The thread sleeps on the change stamp (store_stamp_wait), so a write from any process
 * (the editor, the CLI, an import, the scheduler, the Admin API) wakes it at once. For
 * each post a change names it reads the post and asks the store whether each list holds
 * it (store_feed_key: the lists' own definition), then gives every stream that shows it
 * a "publish" or "update" event with the teaser as the feed prints it, and every stream
 * the change names that no longer shows it a "remove".
 *
 * "publish" or "update": a post seen in a list before is an update, one seen out of
 * every list a publish; one never seen since start is a publish when its publication
 * time is recent (LIVE_FRESH_S), else an update (an edit of an older story). The page
 * decides what to show by what it holds, so a wrong guess costs nothing but the word.
 */
#include "site/site_int.h"

#include "app.h"
#include "json/json.h"
#include "live/live.h"
#include "store/store.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define LIVE_BATCH 256
#define LIVE_POSTS_MAX 64    /* posts of one change told item by item; more: reload */
#define LIVE_STREAMS_MAX 64  /* tags and authors of one change */
#define LIVE_WAIT_MS 250     /* the longest sleep: how soon a stop is noticed */
#define LIVE_HEARTBEAT_S 15  /* a comment to idle streams, under proxies' 30-60 s cut */
#define LIVE_FRESH_S 120     /* a post first seen this soon after its publication is new */
#define KNOWN_MAX (1u << 16) /* posts whose place the thread remembers */

/* Post id → in the feed when last seen (1) or not (0): open addressing, cleared when full. */
struct known {
    int64_t ids[KNOWN_MAX];
    unsigned char live[KNOWN_MAX];
    size_t n;
};

struct site_live {
    struct app *app;
    struct live *lv;
    struct store *st;
    pthread_t thread;
    atomic_bool stop;
    int64_t seq; /* the last change handed to the hub */
    struct known known;
};

static size_t known_slot(const struct known *k, int64_t id)
{
    size_t i = (size_t)((uint64_t)id * 11400714819323198485ull >> 48) & (KNOWN_MAX - 1);
    while (k->ids[i] && k->ids[i] != id)
        i = (i + 1) & (KNOWN_MAX - 1);
    return i;
}

/* -1 never seen, 0 out of the feed, 1 in it. */
static int known_get(const struct known *k, int64_t id)
{
    size_t i = known_slot(k, id);
    return k->ids[i] ? k->live[i] : -1;
}

static void known_set(struct known *k, int64_t id, bool live)
{
    if (k->n >= KNOWN_MAX / 2) { /* forget: a guess by date is right nearly always */
        memset(k->ids, 0, sizeof(k->ids));
        k->n = 0;
    }
    size_t i = known_slot(k, id);
    if (!k->ids[i]) {
        k->ids[i] = id;
        k->n++;
    }
    k->live[i] = live;
}

/* What one change names: posts, tags and authors, and whether it names everything. */
struct named {
    int64_t posts[LIVE_POSTS_MAX];
    size_t nposts;
    bool too_many;
    char streams[LIVE_STREAMS_MAX][LIVE_STREAM_MAX]; /* "tag:3", "author:5" */
    size_t nstreams;
};

static void name_stream(struct named *nm, struct str s)
{
    for (size_t i = 0; i < nm->nstreams; i++)
        if (str_eq_cstr(s, nm->streams[i]))
            return;
    if (nm->nstreams == LIVE_STREAMS_MAX || s.len >= LIVE_STREAM_MAX) {
        nm->too_many = true;
        return;
    }
    memcpy(nm->streams[nm->nstreams], s.ptr, s.len);
    nm->streams[nm->nstreams++][s.len] = '\0';
}

static void read_deps(struct str deps, struct named *nm)
{
    size_t i = 0;
    while (i < deps.len) {
        while (i < deps.len && deps.ptr[i] == ' ')
            i++;
        size_t start = i;
        while (i < deps.len && deps.ptr[i] != ' ')
            i++;
        struct str d = {deps.ptr + start, i - start};
        int64_t id;
        if (str_starts_with(d, "post:") && str_to_i64((struct str){d.ptr + 5, d.len - 5}, &id) &&
            id > 0) {
            bool seen = false;
            for (size_t j = 0; j < nm->nposts; j++)
                seen = seen || nm->posts[j] == id;
            if (seen)
                continue;
            if (nm->nposts == LIVE_POSTS_MAX)
                nm->too_many = true;
            else
                nm->posts[nm->nposts++] = id;
        } else if (str_starts_with(d, "tag:") || str_starts_with(d, "author:")) {
            name_stream(nm, d);
        }
    }
}

/* The events of one change, built in an arena. */
struct items {
    struct live_item *v;
    size_t n, cap;
    struct arena *a;
};

static void item_add(struct items *it, const char *stream, const char *event, struct str data)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 16;
        struct live_item *v = arena_calloc(it->a, cap, sizeof(*v));
        if (it->n)
            memcpy(v, it->v, it->n * sizeof(*v));
        it->v = v;
        it->cap = cap;
    }
    it->v[it->n++] = (struct live_item){str_from(arena_strdup(it->a, stream)), event, data};
}

/* Whether list f shows post id (the store's own definition of the list). */
static bool in_list(struct store *st, const struct store_filter *f, int64_t id)
{
    int64_t key[STORE_FEED_KEY_WIDTH];
    bool found = false;
    struct err err = {0};
    if (store_feed_key(st, f, id, key, &found, &err))
        log_warn("live: cannot tell whether post %lld is listed: %s", (long long)id, err.msg);
    return found;
}

/* {"id":12,"published_at":"...","html":"<li ...>"} or, without html, {"id":12}. */
static struct str event_data(const struct site *site, const struct content_post *p, bool pinned,
                             bool with_teaser, struct arena *a)
{
    struct json *o = json_obj_new();
    json_obj_set_int(o, "id", p ? p->id : 0);
    struct buf html, out;
    buf_init(&html, 256 * 1024);
    buf_init(&out, 512 * 1024);
    struct str date_iso;
    if (with_teaser && site_live_teaser(site, p, pinned, a, &date_iso, &html) == ERR_OK) {
        json_obj_set_str(o, "published_at", date_iso);
        json_obj_set_str(o, "html", (struct str){html.ptr ? html.ptr : "", html.len});
    }
    struct err err = {0};
    json_write(o, 0, &out, &err);
    json_free(o);
    struct str s = str_from(arena_strndup(a, out.ptr ? out.ptr : "{}", out.ptr ? out.len : 2));
    buf_release(&html);
    buf_release(&out);
    return s;
}

static struct str remove_data(int64_t id, struct arena *a)
{
    return str_from(arena_printf(a, "{\"id\":%lld}", (long long)id));
}

/* The events post id's change makes, for every stream that shows it or named it. */
static void post_events(struct site_live *sl, const struct site *site, int64_t id,
                        const struct named *nm, struct items *it)
{
    struct content_post p;
    struct err err = {0};
    struct store *st = sl->st;
    enum err_code rc = store_post_by_id(st, id, it->a, &p, &err);
    if (rc && rc != ERR_NOTFOUND)
        log_warn("live: cannot read post %lld: %s", (long long)id, err.msg);
    const struct store_filter all = {0};
    bool listed = !rc && p.status == CONTENT_PUBLISHED && !p.page && in_list(st, &all, id);
    int was = known_get(&sl->known, id);
    known_set(&sl->known, id, listed);
    struct str gone = remove_data(id, it->a);
    if (!listed) {
        item_add(it, "site", "remove", gone);
        for (size_t i = 0; i < nm->nstreams; i++)
            item_add(it, nm->streams[i], "remove", gone);
        return;
    }
    const char *event = was == 1                                      ? "update"
                        : was == 0                                    ? "publish"
                        : p.published_at >= time_now() - LIVE_FRESH_S ? "publish"
                                                                      : "update";
    struct str data = event_data(site, &p, false, true, it->a);
    item_add(it, "site", event,
             p.pinned & CONTENT_PIN_HOME ? event_data(site, &p, true, true, it->a) : data);
    /* the streams that show it now, then those the change named that no longer do */
    const char *shown[2 * LIVE_STREAMS_MAX];
    size_t nshown = 0;
    for (size_t i = 0; i < p.ntags && nshown < LIVE_STREAMS_MAX; i++) {
        struct store_filter f = {.tag_id = p.tags[i].id};
        if (!in_list(st, &f, id))
            continue;
        const char *s = arena_printf(it->a, "tag:%lld", (long long)p.tags[i].id);
        bool pin = i == 0 && (p.pinned & CONTENT_PIN_SECTION);
        item_add(it, s, event, pin ? event_data(site, &p, true, true, it->a) : data);
        shown[nshown++] = s;
    }
    for (size_t i = 0; i < p.nauthors && nshown < 2 * LIVE_STREAMS_MAX; i++) {
        struct store_filter f = {.author_id = p.authors[i].id};
        if (!in_list(st, &f, id))
            continue;
        const char *s = arena_printf(it->a, "author:%lld", (long long)p.authors[i].id);
        item_add(it, s, event, data);
        shown[nshown++] = s;
    }
    for (size_t i = 0; i < nm->nstreams; i++) {
        bool still = false;
        for (size_t j = 0; j < nshown && !still; j++)
            still = strcmp(shown[j], nm->streams[i]) == 0;
        if (!still)
            item_add(it, nm->streams[i], "remove", gone);
    }
}

static void one_change(struct site_live *sl, const struct store_change *ch)
{
    struct arena a;
    arena_init(&a);
    struct named *nm = arena_calloc(&a, 1, sizeof(*nm));
    read_deps(ch->deps, nm);
    if (nm->too_many) { /* a bulk change: the page is better read again */
        live_reload(sl->lv, (uint64_t)ch->seq);
    } else {
        const struct site *site = atomic_load(&sl->app->site);
        struct items it = {.a = &a};
        for (size_t i = 0; i < nm->nposts; i++)
            post_events(sl, site, nm->posts[i], nm, &it);
        live_publish(sl->lv, (uint64_t)ch->seq, it.v, it.n);
    }
    arena_release(&a);
}

/* Hands the hub every change after sl->seq. */
static void catch_up(struct site_live *sl)
{
    struct arena a;
    arena_init(&a);
    for (;;) {
        struct store_change *changes;
        size_t n;
        bool complete;
        struct err err = {0};
        if (store_changes_since(sl->st, sl->seq, LIVE_BATCH, &a, &changes, &n, &complete, &err)) {
            log_error("live: cannot read the change log: %s", err.msg);
            break;
        }
        if (!complete && n) /* the log was trimmed past us: what changed is unknown */
            live_reload(sl->lv, (uint64_t)changes[0].seq - 1);
        for (size_t i = 0; i < n && !atomic_load(&sl->stop); i++) {
            one_change(sl, &changes[i]);
            sl->seq = changes[i].seq;
        }
        arena_release(&a);
        if (n < LIVE_BATCH || atomic_load(&sl->stop))
            break;
    }
    arena_release(&a);
}

static void *live_thread(void *arg)
{
    struct site_live *sl = arg;
    const _Atomic uint64_t *stamp = store_stamp(sl->st);
    uint64_t seen = atomic_load(stamp);
    int64_t beat = time_now();
    catch_up(sl);
    while (!atomic_load(&sl->stop)) {
        store_stamp_wait(sl->st, seen, LIVE_WAIT_MS);
        uint64_t now_stamp = atomic_load(stamp);
        if (now_stamp != seen) {
            seen = now_stamp;
            catch_up(sl);
        }
        if (time_now() - beat >= LIVE_HEARTBEAT_S) {
            beat = time_now();
            live_heartbeat(sl->lv);
        }
    }
    return NULL;
}

enum err_code site_live_start(struct app *app, struct live *lv, int64_t from,
                              struct site_live **out, struct err *err)
{
    struct site_live *sl = xcalloc(1, sizeof(*sl));
    sl->app = app;
    sl->lv = lv;
    sl->seq = from;
    enum err_code rc = store_open(app->db_path, STORE_READ, &sl->st, err);
    if (rc) {
        free(sl);
        return rc;
    }
    if (base_thread_start(&sl->thread, live_thread, sl) != 0) {
        store_close(sl->st);
        free(sl);
        return err_set(err, ERR_INTERNAL, "cannot start the live updates' thread");
    }
    *out = sl;
    return ERR_OK;
}

void site_live_stop(struct site_live *sl)
{
    if (!sl)
        return;
    atomic_store(&sl->stop, true);
    pthread_join(sl->thread, NULL);
    store_close(sl->st);
    free(sl);
}

/* ---- the streams ------------------------------------------------------------------------ */

static enum err_code attach(struct app *app, const struct request *req, struct response *res,
                            const char *stream, struct err *err)
{
    struct live_worker *w = ((struct worker *)req->worker)->live;
    if (!app->live || !w)
        return err_set(err, ERR_NOTFOUND, "live updates are off on this server");
    struct str since_s;
    bool has_since;
    uint64_t since = 0;
    enum err_code rc = http_request_query_opt(req, "since", &since_s, &has_since, err);
    if (rc)
        return rc;
    if (has_since && !live_parse_id(since_s, &since))
        return err_set(err, ERR_INVALID, "since must be a change number, as the page gives it");
    return live_attach(w, req, str_from(stream), http_client_address(req, &app->proxies), has_since,
                       since, res, err);
}

enum err_code site_live(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    return attach(app, req, res, "site", err);
}

enum err_code site_live_tag(struct app *app, const struct request *req, struct response *res,
                            struct err *err)
{
    struct content_tag tag;
    enum err_code rc =
        store_tag_by_slug(app_store(req), http_request_param(req, "slug"), req->arena, &tag, err);
    if (rc)
        return rc;
    return attach(app, req, res, arena_printf(req->arena, "tag:%lld", (long long)tag.id), err);
}

enum err_code site_live_author(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct content_author author;
    enum err_code rc = store_author_by_slug(app_store(req), http_request_param(req, "slug"),
                                            req->arena, &author, err);
    if (rc)
        return rc;
    return attach(app, req, res, arena_printf(req->arena, "author:%lld", (long long)author.id),
                  err);
}
