/*
 * The reader's pages: build a view model from the store, render it with the theme.
 */
#include "site/site_int.h"

#include "app.h"
#include "http/http.h"
#include "store/store.h"

#include <string.h>

#define TEASER_EXCERPT_CHARS 200
#define POST_EXCERPT_CHARS 300

/* ---- view models from content values --------------------------------------------- */

static struct view_tag *view_tag_new(const struct content_tag *t, struct arena *a)
{
    struct view_tag *v = arena_calloc(a, 1, sizeof(*v));
    v->name = t->name;
    v->slug = t->slug;
    v->description = t->description;
    v->url = arena_cat3(a, "/tag/", t->slug, "/");
    return v;
}

/* Up to two initials, for an avatar placeholder: "News Desk" → "ND". */
static struct str initials(struct str name, struct arena *a)
{
    char out[16];
    size_t n = 0, words = 0;
    for (size_t i = 0; i < name.len && words < 2;) {
        while (i < name.len && name.ptr[i] == ' ')
            i++;
        if (i >= name.len)
            break;
        uint32_t cp;
        size_t len = utf8_decode(name.ptr + i, name.len - i, &cp);
        if (!len)
            break;
        memcpy(out + n, name.ptr + i, len);
        n += len;
        words++;
        while (i < name.len && name.ptr[i] != ' ')
            i++;
    }
    return arena_str(a, (struct str){out, n});
}

static void fill_author(struct view_author *v, const struct content_author *u,
                        const struct site *site, struct arena *a)
{
    v->name = u->name;
    v->slug = u->slug;
    v->bio = u->bio;
    v->avatar = u->avatar; /* the page's photos are sized later (photos.c) */
    v->website = u->website;
    v->location = u->location;
    v->initials = initials(u->name, a);
    v->url = arena_cat3(a, "/author/", u->slug, "/");
    v->contact_url = arena_cat3(a, "/tips/?about=", u->slug, "");
    struct str mail = u->email.len ? u->email : site->settings.contact_email;
    if (mail.len)
        v->mail_url = arena_cat3(a, "mailto:", mail, "?subject=Feedback%20or%20news%20tip");
}

static struct view_author *view_author_new(const struct content_author *u, const struct site *site,
                                           struct arena *a)
{
    struct view_author *v = arena_calloc(a, 1, sizeof(*v));
    fill_author(v, u, site, a);
    return v;
}

static void fill_dates(int64_t t, struct str *iso, struct str *human, struct str *hm,
                       struct arena *a)
{
    struct time_local l;
    time_fmt_local(t, &l);
    *iso = arena_str(a, str_from(l.iso));
    *human = arena_str(a, str_from(l.date));
    *hm = arena_str(a, str_from(l.clock));
}

/* "3 December 2026, 18:05" in the site's zone, and its ISO form for <time datetime>. */
static void fill_when(int64_t t, struct str *iso, struct str *human, struct arena *a)
{
    struct time_local l;
    time_fmt_local(t, &l);
    *iso = arena_str(a, str_from(l.iso));
    *human = str_from(arena_printf(a, "%s, %s", l.date, l.clock));
}

/* The note's non-blank lines, each a paragraph: it is plain text, escaped when printed. */
static struct view_para *paragraphs(struct str s, struct arena *a, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < s.len; i++)
        cap += s.ptr[i] == '\n';
    struct view_para *v = arena_calloc(a, cap, sizeof(*v));
    *n = 0;
    while (s.len) {
        const char *nl = memchr(s.ptr, '\n', s.len);
        size_t len = nl ? (size_t)(nl - s.ptr) : s.len;
        struct str line = str_trim((struct str){s.ptr, len});
        if (line.len)
            v[(*n)++].text = line;
        s.ptr += len + (nl ? 1 : 0);
        s.len -= len + (nl ? 1 : 0);
    }
    return v;
}

static struct str post_url(struct str slug, struct arena *a)
{
    return arena_cat3(a, "/", slug, "/");
}

/* What the theme prints over a headline: the label set, else "Breaking" while breaking. */
static struct str label_of(const struct content_post *p)
{
    if (p->label == CONTENT_LABEL_LIVE)
        return STR_LIT("Live");
    if (p->label == CONTENT_LABEL_BREAKING || p->breaking)
        return STR_LIT("Breaking");
    return STR_NULL;
}

static void fill_teaser(struct view_teaser *v, const struct content_post *p,
                        const struct site *site, struct arena *a)
{
    v->id = p->id;
    v->title = p->title;
    v->url = post_url(p->slug, a);
    v->excerpt = content_excerpt(p->custom_excerpt, p->plaintext, TEASER_EXCERPT_CHARS, a);
    fill_dates(p->published_at, &v->date_iso, &v->date_human, &v->time_human, a);
    /* as Ghost's primary_tag: the first tag, when it is not internal */
    v->section = p->ntags && !p->tags[0].internal ? view_tag_new(&p->tags[0], a) : NULL;
    v->author = p->nauthors ? view_author_new(&p->authors[0], site, a) : NULL;
    v->featured = p->featured;
    v->label = label_of(p);
}

static struct view_post *view_post_new(const struct content_post *p, const struct site *site,
                                       struct store *st, struct response *res)
{
    struct arena *a = res->arena;
    struct view_post *v = arena_calloc(a, 1, sizeof(*v));
    char label[32];
    v->title = p->title;
    v->url = post_url(p->slug, a);
    v->html = p->html;
    v->excerpt = content_excerpt(p->custom_excerpt, p->plaintext, POST_EXCERPT_CHARS, a);
    v->standfirst = str_trim(p->custom_excerpt);
    fill_dates(p->published_at, &v->date_iso, &v->date_human, &v->time_human, a);
    /*
     * "Updated" is revised_at, which a substantive update of a published story sets and a
     * minor edit (a typo) leaves; updated_at moves with any change, so it would mark a
     * story updated for a comma.
     */
    v->updated = p->revised_at > 0;
    /* dateModified and article:modified_time agree with it: publication until revised */
    fill_when(v->updated ? p->revised_at : p->published_at, &v->updated_iso, &v->updated_human, a);
    v->correction = p->correction;
    if (p->correction.len) {
        v->correction_paras = paragraphs(p->correction, a, &v->ncorrection_paras);
        fill_when(p->corrected_at ? p->corrected_at : p->updated_at, &v->corrected_iso,
                  &v->corrected_human, a);
    }
    v->reading_time = str_from(arena_strdup(
        a, content_reading_label(content_reading_minutes(p->html, p->feature_image.len ? 1 : 0),
                                 label)));
    v->feature_image = p->feature_image;
    v->feature_image_alt = p->feature_image_alt;
    v->feature_image_caption = p->feature_image_caption;
    v->feature = site_photos_feature(st, site, p, res);
    /* internal tags (Ghost's "#tags") are the newsroom's, never shown to readers */
    struct view_tag *tags = arena_calloc(a, p->ntags ? p->ntags : 1, sizeof(*tags));
    for (size_t i = 0; i < p->ntags; i++)
        if (!p->tags[i].internal)
            tags[v->ntags++] = *view_tag_new(&p->tags[i], a);
    v->tags = tags;
    v->section = p->ntags && !p->tags[0].internal ? &tags[0] : NULL;
    struct view_author *authors = arena_calloc(a, p->nauthors ? p->nauthors : 1, sizeof(*authors));
    for (size_t i = 0; i < p->nauthors; i++) {
        fill_author(&authors[i], &p->authors[i], site, a);
        /* a tip from the article says which one (site/tips.c checks it) */
        authors[i].contact_url =
            str_from(arena_printf(a, "%.*s&post=%.*s", (int)authors[i].contact_url.len,
                                  authors[i].contact_url.ptr, (int)p->slug.len, p->slug.ptr));
        authors[i].avatar = site_photos_avatar(st, site, authors[i].avatar, res);
        /* "By A", "By A and B", "By A, B and C" */
        authors[i].joiner = i == 0                 ? STR_LIT("")
                            : i + 1 == p->nauthors ? STR_LIT(" and ")
                                                   : STR_LIT(", ");
    }
    v->authors = authors;
    v->nauthors = p->nauthors;
    v->author = p->nauthors ? &authors[0] : NULL;
    v->label = label_of(p);
    return v;
}

/*
 * Plain links to share an article: each network's own share address with the canonical
 * URL and title in its query. Nothing is loaded from those sites until a reader clicks.
 */
static const struct view_share *view_share_new(struct str canonical, struct str title,
                                               struct arena *a)
{
    struct view_share *v = arena_calloc(a, 1, sizeof(*v));
    const char *u = arena_url_encode(a, canonical).ptr, *t = arena_url_encode(a, title).ptr;
    v->url = canonical;
    v->x = str_from(arena_printf(a, "https://x.com/intent/post?url=%s&text=%s", u, t));
    v->facebook = str_from(arena_printf(a, "https://www.facebook.com/sharer/sharer.php?u=%s", u));
    v->linkedin =
        str_from(arena_printf(a, "https://www.linkedin.com/sharing/share-offsite/?url=%s", u));
    v->telegram = str_from(arena_printf(a, "https://t.me/share/url?url=%s&text=%s", u, t));
    v->whatsapp = str_from(arena_printf(a, "https://wa.me/?text=%s%%20%s", t, u));
    v->email = str_from(arena_printf(a, "mailto:?subject=%s&body=%s", t, u));
    return v;
}

/* ---- pages ----------------------------------------------------------------------- */

/* Last-Modified: the newest publication or correction among what the page shows. */
static void shows(struct response *res, const struct content_post *p)
{
    int64_t t = p->updated_at > p->published_at ? p->updated_at : p->published_at;
    if (t > res->last_modified)
        res->last_modified = t;
}

/* A link names the page at path: the same path, or the site's own address of it. */
static bool names_page(const struct site *site, struct str url, const char *path)
{
    struct str base = site->settings.url;
    if (url.len > base.len && memcmp(url.ptr, base.ptr, base.len) == 0 && url.ptr[base.len] == '/')
        url = (struct str){url.ptr + base.len, url.len - base.len};
    return str_eq_cstr(url, path);
}

static void page_nav(struct view_page *page, const struct site *site, struct arena *a,
                     const char *path)
{
    struct view_nav *nav = arena_calloc(a, site->nnav ? site->nnav : 1, sizeof(*nav));
    for (size_t i = 0; i < site->nnav; i++)
        nav[i] = (struct view_nav){site->nav[i].label, site->nav[i].url,
                                   names_page(site, site->nav[i].url, path)};
    page->nav = nav;
    page->nnav = site->nnav;
}

/*
 * The most breaking news the banner links to: two stories at once is already a busy
 * day, and a third line would push the page itself below a phone's first screen.
 */
#define BREAKING_MAX 2

/*
 * The banner: published breaking news, newest first. Its cost is one walk of a partial
 * index of a handful of rows, paid only when a page is rendered (the cache serves the
 * rest); marking, unmarking and expiry log "*", so no cached page keeps an old banner.
 * A page rendered without a connection (an error before routing) has none.
 */
static const struct view_breaking *breaking_of(const struct request *req)
{
    struct content_post *posts;
    size_t n = 0;
    struct err err = {0};
    if (!req->worker ||
        store_breaking_now(app_store(req), BREAKING_MAX, req->arena, &posts, &n, &err) || !n)
        return NULL;
    struct view_banner *items = arena_calloc(req->arena, n, sizeof(*items));
    for (size_t i = 0; i < n; i++)
        items[i] = (struct view_banner){posts[i].title, post_url(posts[i].slug, req->arena),
                                        label_of(&posts[i])};
    struct view_breaking *b = arena_calloc(req->arena, 1, sizeof(*b));
    *b = (struct view_breaking){items, n};
    return b;
}

void site_page_init(struct view_page *page, const struct site *site, const struct request *req,
                    const char *path)
{
    struct arena *a = req->arena;
    memset(page, 0, sizeof(*page));
    page->site = &site->view;
    page->title = site->settings.title;
    page->description = site->settings.description;
    page->canonical = str_from(
        arena_printf(a, "%.*s%s", (int)site->settings.url.len, site->settings.url.ptr, path));
    page->css_url = site_asset_url(site, "style.css", a);
    page->js_url = site_asset_url(site, "app.js", a);
    page->feeds_base = STR_LIT("/");
    page->og_type = STR_LIT("website");
    page->feeds_title = site->settings.title;
    page_nav(page, site, a, path);
    char iso[32];
    time_fmt_iso_utc(time_now(), iso);
    int64_t year = 0;
    str_to_i64((struct str){iso, 4}, &year);
    page->year = year;
    page->breaking = breaking_of(req);
}

enum err_code site_render(const struct site *site, enum site_tpl tpl, const struct view_page *page,
                          struct response *res)
{
    res->content_type = "text/html; charset=utf-8";
    buf_reset(&res->body);
    return render_tpl_exec(render_theme_tpl(site->theme, tpl), page, &res->body);
}

/* Where "Show More" continues after the last of posts. */
static struct str more_url(const struct content_post *last, const char *filter_key,
                           struct str filter_val, int64_t exclude, struct arena *a)
{
    char *url = arena_printf(a, "/more/?before=%lld.%lld", (long long)last->published_at,
                             (long long)last->id);
    if (filter_key)
        url = arena_printf(a, "%s&%s=%.*s", url, filter_key, (int)filter_val.len, filter_val.ptr);
    if (exclude)
        url = arena_printf(a, "%s&exclude=%lld", url, (long long)exclude);
    return str_from(url);
}

void site_teaser_fill(struct view_teaser *v, const struct content_post *p, const struct site *site,
                      struct response *res)
{
    fill_teaser(v, p, site, res->arena);
    shows(res, p);
}

enum err_code site_live_teaser(const struct site *site, const struct content_post *p, bool pinned,
                               struct arena *a, struct str *date_iso, struct buf *out)
{
    struct view_teaser v = {0};
    fill_teaser(&v, p, site, a);
    v.pinned = pinned;
    *date_iso = v.date_iso;
    struct view_feed feed = {.teasers = &v, .nteasers = 1};
    struct view_page page = {0};
    page.feed = &feed;
    return render_tpl_exec(render_theme_tpl(site->theme, SITE_TPL_LIVE), &page, out);
}

static struct view_teaser *teasers_new(const struct content_post *posts, size_t n,
                                       const struct site *site, struct response *res)
{
    struct view_teaser *v = arena_calloc(res->arena, n ? n : 1, sizeof(*v));
    for (size_t i = 0; i < n; i++) {
        fill_teaser(&v[i], &posts[i], site, res->arena);
        shows(res, &posts[i]);
    }
    return v;
}

/* What a list page shows: a filter, its base path, and how Show More names it. */
struct list_spec {
    struct store_filter filter;
    const char *base;     /* "/", "/tag/x/", "/author/x/" */
    const char *more_key; /* NULL, "tag", "author" */
    struct str more_val;
    struct str heading;
    /* where a pinned post leads this list: CONTENT_PIN_HOME, CONTENT_PIN_SECTION, or 0 */
    unsigned pin;
    /* the feed position of filter.exclude_id when known ({0, 0}: not known) */
    struct store_cursor left_out;
};

/* "/page/N/" → N; "" (first page) → 1; anything else → 0. */
static int64_t page_number(const struct request *req)
{
    struct str n = http_request_param(req, "n");
    int64_t v;
    if (n.len == 0)
        return 1;
    if (n.ptr[0] == '0' || !str_to_i64(n, &v) || v < 1)
        return 0;
    return v;
}

/*
 * limit posts from offset on. Deep offsets start from the in-memory page boundaries
 * (feedindex.c) when the cache keeps them fresh; shallow ones are cheap in SQLite.
 */
#define FEED_INDEX_MIN_OFFSET 300

/* Whether a comes before b in the feed (newer), or is b. */
static bool newer_or_same(const struct store_cursor *a, const struct store_cursor *b)
{
    return a->published_at > b->published_at ||
           (a->published_at == b->published_at && a->id >= b->id);
}

/*
 * With a post left out whose position is known (a pinned one), the index still serves:
 * the post before offset in the list without it is one further on in the whole list
 * when the left-out post comes before it.
 */
static enum err_code list_from(struct app *app, const struct request *req,
                               const struct list_spec *spec, int64_t offset, int64_t limit,
                               struct content_post **posts, size_t *n, struct err *err)
{
    const struct store_filter *f = &spec->filter;
    bool known = !f->exclude_id || spec->left_out.id == f->exclude_id;
    if (offset < FEED_INDEX_MIN_OFFSET || !app->cache || !known)
        return store_posts_list(app_store(req), f, offset, limit, req->arena, posts, n, err);
    struct store_cursor c;
    enum err_code rc = site_feed_cursor(app->site, app_store(req), f, offset - 1, &c, err);
    if (!rc && f->exclude_id && newer_or_same(&spec->left_out, &c))
        rc = site_feed_cursor(app->site, app_store(req), f, offset, &c, err);
    if (rc)
        return rc;
    return store_posts_after(app_store(req), f, &c, limit, req->arena, posts, n, err);
}

/*
 * One page of a list. One row more than shown says whether another page follows, so the
 * hot path never counts the feed (a count of 100,000 rows costs more than the page).
 */
static enum err_code fill_feed(struct app *app, const struct request *req, struct response *res,
                               const struct list_spec *spec, int64_t pageno, struct view_feed *feed,
                               struct err *err)
{
    const struct site *site = app->site;
    int64_t per = site->settings.posts_per_page;
    struct content_post *posts;
    size_t n;
    enum err_code rc = list_from(app, req, spec, (pageno - 1) * per, per + 1, &posts, &n, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_NOTFOUND, "there is no page %lld", (long long)pageno);
    if (rc)
        return rc;
    if (n == 0 && pageno > 1)
        return err_set(err, ERR_NOTFOUND, "there is no page %lld", (long long)pageno);
    feed->has_more = (int64_t)n > per;
    if (feed->has_more)
        n = (size_t)per;
    feed->heading = spec->heading;
    feed->page = pageno;
    feed->teasers = teasers_new(posts, n, site, res);
    feed->nteasers = n;
    if (feed->has_more) {
        feed->more_url = more_url(&posts[n - 1], spec->more_key, spec->more_val,
                                  spec->filter.exclude_id, req->arena);
        feed->next_url =
            str_from(arena_printf(req->arena, "%spage/%lld/", spec->base, (long long)pageno + 1));
    }
    if (pageno == 2)
        feed->prev_url = str_from(spec->base);
    else if (pageno > 2)
        feed->prev_url =
            str_from(arena_printf(req->arena, "%spage/%lld/", spec->base, (long long)pageno - 1));
    return ERR_OK;
}

/*
 * The post pinned first on spec's list, if any: left out of the list's every page and
 * batch (so never shown twice, and Show More and page 2 go on where page 1 stopped),
 * and put before the first page's teasers. One walk of the partial index posts_pinned.
 */
static enum err_code pin_first(const struct request *req, struct list_spec *spec,
                               struct content_post *pinned, bool *found, struct err *err)
{
    *found = false;
    if (!spec->pin)
        return ERR_OK;
    enum err_code rc = store_pinned_first(
        app_store(req), spec->pin, spec->pin == CONTENT_PIN_SECTION ? spec->filter.tag_id : 0,
        req->arena, pinned, err);
    if (rc == ERR_NOTFOUND)
        return ERR_OK;
    if (rc)
        return rc;
    *found = true;
    spec->filter.exclude_id = pinned->id;
    spec->left_out = (struct store_cursor){pinned->published_at, pinned->id};
    return ERR_OK;
}

/* The feed's teasers with the pinned post's first. */
static void put_first(struct view_feed *feed, const struct content_post *pinned,
                      const struct site *site, struct response *res)
{
    struct view_teaser *v = arena_calloc(res->arena, feed->nteasers + 1, sizeof(*v));
    fill_teaser(&v[0], pinned, site, res->arena);
    v[0].pinned = true;
    shows(res, pinned);
    memcpy(v + 1, feed->teasers, feed->nteasers * sizeof(*v));
    feed->teasers = v;
    feed->nteasers++;
}

/*
 * A first page's feed takes live updates from base + "live/", from the change log's head
 * read before anything on the page: whatever changes after it reaches the page through
 * the stream (at worst twice, which the page's script takes as one).
 */
static void live_mark(struct app *app, const struct request *req, const char *base,
                      struct view_feed *feed)
{
    int64_t head;
    struct err ignored = {0};
    if (!app->live || store_changes_head(app_store(req), &head, &ignored))
        return; /* the page without live updates: as it is without JavaScript */
    feed->live_url = str_from(arena_printf(req->arena, "%slive/", base));
    feed->live_since = head;
}

static enum err_code list_page(struct app *app, const struct request *req, struct response *res,
                               const struct list_spec *spec_in, struct view_page *page,
                               struct err *err)
{
    struct list_spec pinned_spec = *spec_in, *spec = &pinned_spec;
    struct content_post pinned;
    bool has_pin;
    int64_t pageno = page_number(req);
    /* a page past any real feed (10^15 posts) is refused before its offset can overflow */
    if (pageno == 0 || pageno > 1000000000000000LL / app->site->settings.posts_per_page)
        return ERR_NOTFOUND;
    if (pageno == 1 && http_request_param(req, "n").len) {
        http_response_redirect(res, 301, str_from(spec->base));
        return ERR_OK;
    }
    struct view_feed *feed = arena_calloc(req->arena, 1, sizeof(*feed));
    if (pageno == 1)
        live_mark(app, req, spec->base, feed);
    enum err_code rc = pin_first(req, spec, &pinned, &has_pin, err);
    if (!rc)
        rc = fill_feed(app, req, res, spec, pageno, feed, err);
    if (rc)
        return rc;
    if (has_pin && pageno == 1)
        put_first(feed, &pinned, app->site, res);
    page->feed = feed;
    if (pageno > 1) {
        page->title = str_from(arena_printf(req->arena, "%.*s (page %lld)", (int)page->title.len,
                                            page->title.ptr, (long long)pageno));
        page->canonical =
            str_from(arena_printf(req->arena, "%.*s%spage/%lld/", (int)app->site->settings.url.len,
                                  app->site->settings.url.ptr, spec->base, (long long)pageno));
    }
    return site_render(app->site, SITE_TPL_INDEX, page, res);
}

enum err_code site_home(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    struct view_page page;
    site_page_init(&page, app->site, req, "/");
    page.is_home = true;
    page.jsonld = site_jsonld_website(app->site, req->arena);
    http_response_dep(res, "list");
    struct list_spec spec = {
        .base = "/", .heading = STR_LIT("Latest news"), .pin = CONTENT_PIN_HOME};
    return list_page(app, req, res, &spec, &page, err);
}

enum err_code site_public_tag(struct store *st, struct str slug, struct arena *a,
                              struct content_tag *out, struct err *err)
{
    enum err_code rc = store_tag_by_slug(st, slug, a, out, err);
    if (!rc && out->internal)
        return err_set(err, ERR_NOTFOUND, "no tag '%.*s'", (int)slug.len, slug.ptr);
    return rc;
}

enum err_code site_tag(struct app *app, const struct request *req, struct response *res,
                       struct err *err)
{
    struct content_tag tag;
    struct str slug = http_request_param(req, "slug");
    enum err_code rc = site_public_tag(app_store(req), slug, req->arena, &tag, err);
    if (rc)
        return rc;
    http_response_dep(res, "tag:%lld", (long long)tag.id);
    char *base = arena_printf(req->arena, "/tag/%.*s/", (int)slug.len, slug.ptr);
    struct view_page page;
    site_page_init(&page, app->site, req, base);
    page.tag = view_tag_new(&tag, req->arena);
    page.feeds_base = str_from(base);
    page.jsonld = site_jsonld_collection(app->site, page.tag, page.canonical, req->arena);
    page.title =
        str_from(arena_printf(req->arena, "%.*s – %.*s", (int)tag.name.len, tag.name.ptr,
                              (int)app->site->settings.title.len, app->site->settings.title.ptr));
    page.feeds_title = page.title;
    if (tag.description.len)
        page.description = tag.description;
    struct list_spec spec = {.filter = {.tag_id = tag.id},
                             .base = base,
                             .more_key = "tag",
                             .more_val = slug,
                             .heading = tag.name,
                             .pin = CONTENT_PIN_SECTION};
    return list_page(app, req, res, &spec, &page, err);
}

enum err_code site_author(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    struct content_author au;
    struct str slug = http_request_param(req, "slug");
    enum err_code rc = store_author_by_slug(app_store(req), slug, req->arena, &au, err);
    if (rc)
        return rc;
    http_response_dep(res, "author:%lld", (long long)au.id);
    char *base = arena_printf(req->arena, "/author/%.*s/", (int)slug.len, slug.ptr);
    struct view_page page;
    site_page_init(&page, app->site, req, base);
    struct view_author *author = view_author_new(&au, app->site, req->arena);
    author->avatar = site_photos_avatar(app_store(req), app->site, au.avatar, res);
    page.author = author;
    page.feeds_base = str_from(base);
    page.og_type = STR_LIT("profile");
    site_photos_page_image(app_store(req), app->site, au.avatar, au.name, &page, res);
    page.jsonld = site_jsonld_author(app->site, page.author, au.desk, page.canonical, req->arena);
    page.title =
        str_from(arena_printf(req->arena, "%.*s – %.*s", (int)au.name.len, au.name.ptr,
                              (int)app->site->settings.title.len, app->site->settings.title.ptr));
    page.feeds_title = page.title;
    if (au.bio.len)
        page.description = au.bio;
    struct list_spec spec = {.filter = {.author_id = au.id},
                             .base = base,
                             .more_key = "author",
                             .more_val = slug,
                             .heading = STR_LIT("Latest")};
    return list_page(app, req, res, &spec, &page, err);
}

/*
 * What a post's meta fields (Ghost's posts_meta) put in place of its own: the document
 * title and description, the canonical address, and the social cards, as Ghost's
 * {{ghost_head}} does. Called after the page's own are set.
 */
static void apply_meta(struct app *app, const struct request *req, struct response *res,
                       const struct content_post *post, struct view_page *page)
{
    const struct content_meta *m = &post->meta;
    const struct site *site = app->site;
    if (m->meta_title.len)
        page->title = m->meta_title;
    if (m->meta_description.len)
        page->description = m->meta_description;
    if (m->canonical_url.len)
        page->canonical = m->canonical_url;
    if (m->og_image.len)
        site_photos_page_image(app_store(req), site, m->og_image, STR_NULL, page, res);
    if (m->twitter_image.len)
        page->twitter_image = site_absolute(site, m->twitter_image, req->arena);
    page->og_title = m->og_title;
    page->og_description = m->og_description;
    page->twitter_title = m->twitter_title;
    page->twitter_description = m->twitter_description;
}

/* A page (About, Contact): its own template, no byline, no feed under it. */
static enum err_code static_page(struct app *app, const struct request *req, struct response *res,
                                 const struct content_post *post, struct view_page *page)
{
    http_response_dep(res, "post:%lld", (long long)post->id);
    shows(res, post);
    page->post = view_post_new(post, app->site, app_store(req), res);
    page->title =
        str_from(arena_printf(req->arena, "%.*s – %.*s", (int)post->title.len, post->title.ptr,
                              (int)app->site->settings.title.len, app->site->settings.title.ptr));
    page->description = page->post->excerpt;
    site_photos_page_image(app_store(req), app->site, post->feature_image, post->feature_image_alt,
                           page, res);
    apply_meta(app, req, res, post, page);
    return site_render(app->site, SITE_TPL_PAGE, page, res);
}

/*
 * The one way an article is shown, published (site_post) or previewed (preview.c): page
 * comes from site_page_init, with whatever the caller marked on it (page->preview).
 */
enum err_code site_article(struct app *app, const struct request *req, struct response *res,
                           const struct content_post *post, struct view_page *page, struct err *err)
{
    if (post->page)
        return static_page(app, req, res, post, page);
    /* the article, its sections and bylines, and the latest items listed under it */
    http_response_dep(res, "post:%lld", (long long)post->id);
    http_response_dep(res, "list");
    for (size_t i = 0; i < post->ntags && i < 6; i++)
        http_response_dep(res, "tag:%lld", (long long)post->tags[i].id);
    for (size_t i = 0; i < post->nauthors && i < 6; i++)
        http_response_dep(res, "author:%lld", (long long)post->authors[i].id);
    shows(res, post);
    struct view_post *vp = view_post_new(post, app->site, app_store(req), res);
    page->post = vp;
    page->title =
        str_from(arena_printf(req->arena, "%.*s – %.*s", (int)post->title.len, post->title.ptr,
                              (int)app->site->settings.title.len, app->site->settings.title.ptr));
    page->description = page->post->excerpt;
    page->og_type = STR_LIT("article");
    site_photos_page_image(app_store(req), app->site, post->feature_image, post->feature_image_alt,
                           page, res);
    apply_meta(app, req, res, post, page);
    vp->share = view_share_new(page->canonical, post->title, req->arena); /* after meta's */
    page->jsonld = site_jsonld_article(app->site, page, req->arena);
    struct list_spec spec = {
        .filter = {.exclude_id = post->id}, .base = "/", .heading = STR_LIT("Latest news")};
    struct view_feed *feed = arena_calloc(req->arena, 1, sizeof(*feed));
    live_mark(app, req, "/", feed);
    feed->live_exclude = post->id;
    enum err_code rc = fill_feed(app, req, res, &spec, 1, feed, err);
    if (rc)
        return rc;
    page->feed = feed;
    return site_render(app->site, SITE_TPL_POST, page, res);
}

enum err_code site_post(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    struct content_post post;
    struct str slug = http_request_param(req, "slug");
    enum err_code rc = store_post_by_slug(app_store(req), slug, req->arena, &post, err);
    if (rc)
        return rc;
    struct view_page page;
    site_page_init(&page, app->site, req, post_url(post.slug, req->arena).ptr);
    return site_article(app, req, res, &post, &page, err);
}

/* "1732600000.1234" → a cursor; anything else is refused. */
static bool parse_cursor(struct str s, struct store_cursor *c)
{
    const char *dot = memchr(s.ptr, '.', s.len);
    if (!dot)
        return false;
    struct str a = {s.ptr, (size_t)(dot - s.ptr)};
    struct str b = {dot + 1, s.len - a.len - 1};
    return str_to_i64(a, &c->published_at) && str_to_i64(b, &c->id) && c->published_at >= 0 &&
           c->id > 0;
}

/* A query parameter: absent is fine (*present false), badly encoded is refused. */
/* Reads the filter of a /more/ request: tag=, author=, exclude=. */
static enum err_code more_filter(const struct request *req, struct list_spec *spec, struct err *err)
{
    struct str tag, author, exclude;
    bool has_tag, has_author, has_exclude;
    enum err_code rc = http_request_query_opt(req, "tag", &tag, &has_tag, err);
    if (!rc)
        rc = http_request_query_opt(req, "author", &author, &has_author, err);
    if (!rc)
        rc = http_request_query_opt(req, "exclude", &exclude, &has_exclude, err);
    if (rc)
        return rc;
    if (has_tag) {
        struct content_tag t = {0};
        rc = site_public_tag(app_store(req), tag, req->arena, &t, err);
        spec->filter.tag_id = t.id;
        spec->more_key = "tag";
        spec->more_val = tag;
    } else if (has_author) {
        struct content_author au = {0};
        rc = store_author_by_slug(app_store(req), author, req->arena, &au, err);
        spec->filter.author_id = au.id;
        spec->more_key = "author";
        spec->more_val = author;
    }
    if (rc)
        return rc;
    if (has_exclude &&
        (!str_to_i64(exclude, &spec->filter.exclude_id) || spec->filter.exclude_id < 0))
        return err_set(err, ERR_INVALID, "exclude must be a post id");
    return ERR_OK;
}

enum err_code site_more(struct app *app, const struct request *req, struct response *res,
                        struct err *err)
{
    struct list_spec spec = {0};
    struct store_cursor cursor, *cp = NULL;
    struct str before;
    bool has_before;
    enum err_code rc = http_request_query_opt(req, "before", &before, &has_before, err);
    if (rc)
        return rc;
    if (has_before) {
        if (!parse_cursor(before, &cursor))
            return err_set(err, ERR_INVALID, "bad cursor");
        cp = &cursor;
    }
    rc = more_filter(req, &spec, err);
    if (rc)
        return rc;
    if (spec.filter.tag_id)
        http_response_dep(res, "tag:%lld", (long long)spec.filter.tag_id);
    else if (spec.filter.author_id)
        http_response_dep(res, "author:%lld", (long long)spec.filter.author_id);
    else
        http_response_dep(res, "list");
    int64_t per = app->site->settings.posts_per_page;
    struct content_post *posts;
    size_t n;
    /* one more than shown tells whether another batch follows */
    rc = store_posts_after(app_store(req), &spec.filter, cp, per + 1, req->arena, &posts, &n, err);
    if (rc)
        return rc;
    struct view_feed *feed = arena_calloc(req->arena, 1, sizeof(*feed));
    feed->has_more = (int64_t)n > per;
    feed->nteasers = feed->has_more ? (size_t)per : n;
    feed->teasers = teasers_new(posts, feed->nteasers, app->site, res);
    if (feed->has_more)
        feed->more_url = more_url(&posts[feed->nteasers - 1], spec.more_key, spec.more_val,
                                  spec.filter.exclude_id, req->arena);
    struct view_page page;
    site_page_init(&page, app->site, req, "/");
    page.feed = feed;
    return site_render(app->site, SITE_TPL_MORE, &page, res);
}

enum err_code site_error_page(void *ctx, const struct request *req, struct response *res,
                              enum err_code code, const char *msg)
{
    struct app *app = ctx;
    if (!app || !app->site)
        return ERR_INTERNAL;
    struct view_error *e = arena_calloc(req->arena, 1, sizeof(*e));
    e->status = err_http_status(code);
    e->heading = code == ERR_NOTFOUND ? STR_LIT("Page not found") : str_from(err_default_msg(code));
    e->message = code == ERR_NOTFOUND
                     ? STR_LIT("The page you asked for is not here. It may have moved, or the "
                               "address may be mistyped.")
                     : str_from(arena_strdup(req->arena, msg));
    struct view_page page;
    site_page_init(&page, app->site, req, "/");
    page_nav(&page, app->site, req->arena, ""); /* it is none of the menu's pages */
    page.error = e;
    page.title = str_from(arena_printf(
        req->arena, "%s – %.*s", code == ERR_NOTFOUND ? "Page not found" : err_default_msg(code),
        (int)app->site->settings.title.len, app->site->settings.title.ptr));
    return site_render(app->site, SITE_TPL_ERROR, &page, res);
}
