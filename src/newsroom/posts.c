/*
 * Drafts into posts: the part of writing that the command line and the editor share.
 */
#include "newsroom/newsroom.h"

#include "media/media.h"

#include "store/store.h"

#include <string.h>

enum err_code newsroom_ensure_desk(struct store *st, int64_t *id, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct content_author au;
    enum err_code rc = store_author_by_slug(st, STR_LIT("news-desk"), &a, &au, err);
    if (rc == ERR_OK)
        *id = au.id;
    else if (rc == ERR_NOTFOUND) {
        struct content_author desk = {
            .slug = STR_LIT("news-desk"),
            .name = STR_LIT("News Desk"),
            .bio = STR_LIT("The newsroom's desk: short reports as events happen, checked and "
                           "updated through the day."),
            .avatar = STR_LIT("/assets/avatars/desk.svg"),
        };
        rc = store_author_insert(st, &desk, true, id, err);
    }
    arena_release(&a);
    return rc;
}

/* Tag ids in order, created when missing (if allowed); two names with one slug count once. */
static enum err_code resolve_tags(struct store *st, const struct content_draft *d,
                                  const struct newsroom_opts *o, struct arena *a, int64_t *ids,
                                  size_t *n, struct err *err)
{
    *n = 0;
    for (size_t i = 0; i < d->ntags; i++) {
        struct str name = str_trim(d->tags[i]);
        struct str slug = content_tag_slugify(name, a);
        if (!slug.len)
            return err_set(err, ERR_INVALID, "tag '%.*s' has no letters or digits for a slug",
                           (int)name.len, name.ptr);
        int64_t id = 0;
        enum err_code rc = store_tag_find(st, slug, &id, err);
        if (rc == ERR_NOTFOUND && !o->may_create_tags)
            return err_set(err, ERR_FORBIDDEN,
                           "there is no tag '%.*s', and your role cannot "
                           "create tags: ask an editor",
                           (int)name.len, name.ptr);
        if (rc == ERR_NOTFOUND)
            rc = store_tag_ensure(st, name, slug, &id, err);
        if (rc)
            return rc;
        bool dup = false;
        for (size_t j = 0; j < *n; j++)
            dup = dup || ids[j] == id;
        if (!dup)
            ids[(*n)++] = id;
    }
    return ERR_OK;
}

static enum err_code resolve_authors(struct store *st, const struct content_draft *d,
                                     const struct newsroom_opts *o, struct arena *a, int64_t *ids,
                                     size_t *n, struct err *err)
{
    *n = d->nauthors;
    if (d->nauthors == 0) {
        *n = 1;
        if (o->default_author) {
            ids[0] = o->default_author;
            return ERR_OK;
        }
        return newsroom_ensure_desk(st, &ids[0], err);
    }
    for (size_t i = 0; i < d->nauthors; i++) {
        struct content_author au;
        enum err_code rc = store_author_by_slug(st, d->authors[i], a, &au, err);
        if (rc == ERR_NOTFOUND)
            return err_set(err, ERR_INVALID, "unknown author '%.*s'", (int)d->authors[i].len,
                           d->authors[i].ptr);
        if (rc)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (ids[j] == au.id)
                return err_set(err, ERR_INVALID, "author '%.*s' is named twice",
                               (int)d->authors[i].len, d->authors[i].ptr);
        ids[i] = au.id;
    }
    return ERR_OK;
}

static enum err_code choose_slug(struct store *st, const struct content_draft *d, struct arena *a,
                                 struct str *slug, struct err *err)
{
    if (d->slug.len) {
        if (!content_slug_valid(d->slug))
            return err_set(err, ERR_INVALID,
                           "slug '%.*s' may hold only a-z, 0-9 and single "
                           "hyphens",
                           (int)d->slug.len, d->slug.ptr);
        if (content_slug_reserved(d->slug))
            return err_set(err, ERR_INVALID, "slug '%.*s' is reserved for the site's own pages",
                           (int)d->slug.len, d->slug.ptr);
        struct str got;
        enum err_code rc = store_slug_unique(st, STORE_SLUG_POST, d->slug, a, &got, err);
        if (!rc && !str_eq(got, d->slug))
            return err_set(err, ERR_CONFLICT, "slug '%.*s' is already used by another post",
                           (int)d->slug.len, d->slug.ptr);
        *slug = got;
        return rc;
    }
    struct str base = content_slugify(d->title, a);
    if (!base.len)
        base = STR_LIT("post");
    if (content_slug_reserved(base))
        base = str_from(arena_printf(a, "%.*s-post", (int)base.len, base.ptr));
    return store_slug_unique(st, STORE_SLUG_POST, base, a, slug, err);
}

/*
 * The desk's flags of d, as the newsroom allows them: breaking news and pins point
 * readers at a post, so only a published post (not a page) may have them, and an expiry
 * must still be ahead. Refused with what to do instead; nothing is stored.
 */
static enum err_code desk_check(const struct content_draft *d, struct err *err)
{
    bool published = d->status == CONTENT_PUBLISHED;
    if (d->page && (d->breaking || d->pinned))
        return err_set(err, ERR_INVALID,
                       "a page cannot be breaking news or pinned: only a post can");
    if (d->breaking && !published)
        return err_set(err, ERR_INVALID,
                       "only a published post can be breaking news: publish it as breaking "
                       "news, or unmark it");
    if (d->breaking && d->breaking_until && d->breaking_until <= time_now())
        return err_set(err, ERR_INVALID,
                       "the time breaking news ends has passed: choose a later one, or none "
                       "to keep it until it is unmarked");
    if (d->pinned && !published)
        return err_set(err, ERR_INVALID,
                       "only a published post can be pinned: publish it pinned, or unpin it");
    return ERR_OK;
}

/* The parts of a stored post that come from the draft: body, tags, authors, fields. */
static enum err_code prepare(struct store *st, const struct content_draft *d,
                             const struct newsroom_opts *o, struct arena *a,
                             struct store_new_post *p, struct err *err)
{
    memset(p, 0, sizeof(*p));
    enum err_code rc = desk_check(d, err);
    if (rc)
        return rc;
    /* photos of the library get their sizes and renditions; see newsroom_posts_rerender */
    struct media_finder finder = {st, o->site_url};
    struct content_photos photos = {media_photo_find, &finder, !d->feature_image.len};
    rc = content_markdown_render(d->markdown, &photos, a, &p->html, &p->plaintext, err);
    if (rc)
        return rc;
    int64_t *tag_ids = arena_calloc(a, d->ntags + 1, sizeof(int64_t));
    int64_t *author_ids = arena_calloc(a, d->nauthors + 1, sizeof(int64_t));
    rc = resolve_tags(st, d, o, a, tag_ids, &p->ntags, err);
    if (!rc)
        rc = resolve_authors(st, d, o, a, author_ids, &p->nauthors, err);
    p->title = str_trim(d->title);
    p->markdown = d->markdown;
    p->custom_excerpt = d->custom_excerpt;
    p->feature_image = d->feature_image;
    p->feature_image_alt = d->feature_image_alt;
    p->feature_image_caption = d->feature_image_caption;
    p->status = d->status;
    /* a pinned post is the featured one (Ghost's flag, which feeds and the API carry) */
    p->featured = d->featured || d->pinned;
    p->page = d->page;
    p->breaking = d->breaking;
    p->breaking_until = d->breaking ? d->breaking_until : 0;
    p->label = d->label;
    p->pinned = d->pinned;
    p->correction = str_trim(d->correction);
    p->tag_ids = tag_ids;
    p->author_ids = author_ids;
    return rc;
}

enum err_code newsroom_post_add(struct store *st, const struct content_draft *d,
                                const struct newsroom_opts *o, struct arena *a, int64_t *id,
                                struct str *slug, struct err *err)
{
    struct store_new_post p;
    enum err_code rc = prepare(st, d, o, a, &p, err);
    if (!rc)
        rc = choose_slug(st, d, a, slug, err);
    if (rc)
        return rc;
    /*
     * A post filed with a past date (an import, a late report) was last changed then, not
     * now: otherwise every one of them would read "Updated" today.
     */
    int64_t now = time_now();
    if (d->has_published_at && d->published_at < now)
        now = d->published_at;
    p.slug = *slug;
    p.created_at = p.updated_at = now;
    p.corrected_at = p.correction.len ? now : 0;
    p.published_at = d->has_published_at ? d->published_at : (d->status == CONTENT_DRAFT ? 0 : now);
    rc = store_post_insert(st, &p, id, err);
    if (!rc && d->status == CONTENT_PUBLISHED)
        store_note_published(st); /* /metrics, once the caller commits */
    return rc;
}

/*
 * A post taken off the site (unpublished, or back to a draft) loses the breaking news and
 * pins it had rather than being refused them: no banner may link to a page readers cannot
 * open. Those d asks for anew are left for desk_check to refuse.
 */
static const struct content_draft *
unflagged(const struct content_post *old, const struct content_draft *d, struct content_draft *copy)
{
    if (old->status != CONTENT_PUBLISHED || d->status == CONTENT_PUBLISHED)
        return d;
    *copy = *d;
    copy->breaking = d->breaking && !old->breaking;
    copy->breaking_until = copy->breaking ? d->breaking_until : 0;
    copy->pinned = d->pinned & ~old->pinned;
    return copy;
}

enum err_code newsroom_post_update(struct store *st, int64_t id, const struct content_draft *d,
                                   const struct newsroom_opts *o, struct arena *a, struct str *slug,
                                   struct err *err)
{
    struct content_post old;
    enum err_code rc = store_post_by_id(st, id, a, &old, err);
    struct store_new_post p;
    struct content_draft copy;
    if (!rc)
        d = unflagged(&old, d, &copy);
    if (!rc)
        rc = prepare(st, d, o, a, &p, err);
    if (rc)
        return rc;
    *slug = old.slug;
    if (d->slug.len && !str_eq(d->slug, old.slug))
        rc = choose_slug(st, d, a, slug, err);
    if (rc)
        return rc;
    int64_t now = time_now();
    p.slug = *slug;
    p.updated_at = now;
    p.published_at = d->has_published_at ? d->published_at : old.published_at;
    if (!p.published_at && d->status != CONTENT_DRAFT)
        p.published_at = now;
    /* readers see "Updated" for a change to a live story, unless it was a minor edit */
    bool live = old.status == CONTENT_PUBLISHED && d->status == CONTENT_PUBLISHED;
    p.revised_at = live && !d->minor ? now : old.revised_at;
    /* the correction's time is when its words last changed */
    p.corrected_at = !p.correction.len                      ? 0
                     : str_eq(p.correction, old.correction) ? old.corrected_at
                                                            : now;
    rc = store_post_update(st, id, &p, err);
    if (!rc && old.status != CONTENT_PUBLISHED && d->status == CONTENT_PUBLISHED)
        store_note_published(st);
    return rc;
}

void newsroom_draft_of(const struct content_post *p, struct arena *a, struct content_draft *d)
{
    *d = (struct content_draft){
        .title = p->title,
        .slug = p->slug,
        .custom_excerpt = p->custom_excerpt,
        .feature_image = p->feature_image,
        .feature_image_alt = p->feature_image_alt,
        .feature_image_caption = p->feature_image_caption,
        .markdown = p->markdown,
        .ntags = p->ntags,
        .nauthors = p->nauthors,
        .has_published_at = p->published_at != 0,
        .published_at = p->published_at,
        .status = p->status,
        .featured = p->featured,
        .page = p->page,
        .breaking = p->breaking,
        .breaking_until = p->breaking_until,
        .label = p->label,
        .pinned = p->pinned,
        .correction = p->correction,
        .minor = true, /* a change of status or a tag is not an update of the story */
    };
    d->tags = arena_calloc(a, p->ntags + 1, sizeof(struct str));
    for (size_t i = 0; i < p->ntags; i++)
        d->tags[i] = p->tags[i].name;
    d->authors = arena_calloc(a, p->nauthors + 1, sizeof(struct str));
    for (size_t i = 0; i < p->nauthors; i++)
        d->authors[i] = p->authors[i].slug;
}

enum err_code newsroom_post_set_status(struct store *st, int64_t id, enum content_status to,
                                       struct arena *a, struct str *slug, struct err *err)
{
    struct content_post p;
    enum err_code rc = store_post_by_id(st, id, a, &p, err);
    if (rc)
        return rc;
    struct content_draft d;
    newsroom_draft_of(&p, a, &d);
    d.status = to;
    if (to == CONTENT_PUBLISHED && p.status != CONTENT_PUBLISHED) {
        /* published now, not at a time once scheduled */
        d.has_published_at = true;
        d.published_at = time_now();
    }
    const struct newsroom_opts o = {.may_create_tags = false};
    return newsroom_post_update(st, id, &d, &o, a, slug, err);
}

enum err_code newsroom_post_add_tag(struct store *st, int64_t id, struct str tag, struct arena *a,
                                    struct str *slug, struct err *err)
{
    struct content_post p;
    enum err_code rc = store_post_by_id(st, id, a, &p, err);
    if (rc)
        return rc;
    struct content_draft d;
    newsroom_draft_of(&p, a, &d);
    d.tags[d.ntags++] = tag; /* resolve_tags counts a tag named twice once */
    const struct newsroom_opts o = {.may_create_tags = false};
    return newsroom_post_update(st, id, &d, &o, a, slug, err);
}

/* The most posts one photo's change renders again in one go; more stay as they were. */
#define PHOTO_POSTS_MAX 1000

/*
 * Post id rendered again with the library and the renderer as they are now; its Markdown
 * is unchanged. *changed (may be NULL) says whether its body was rewritten.
 */
static enum err_code rerender(struct store *st, int64_t id, struct str site_url, struct arena *a,
                              bool *changed, struct err *err)
{
    struct content_post p;
    enum err_code rc = store_post_by_id(st, id, a, &p, err);
    if (rc)
        return rc;
    struct media_finder finder = {st, site_url};
    struct content_photos photos = {media_photo_find, &finder, !p.feature_image.len};
    struct str html, text;
    rc = content_markdown_render(p.markdown, &photos, a, &html, &text, err);
    if (rc || (str_eq(html, p.html) && str_eq(text, p.plaintext)))
        return rc;
    if (changed)
        *changed = true;
    return store_post_body_set(st, id, p.markdown, html, text, p.status == CONTENT_PUBLISHED, err);
}

enum err_code newsroom_photo_changed(struct store *st, struct str key, struct str site_url,
                                     struct arena *a, struct err *err)
{
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    struct media_use *uses = NULL;
    size_t n = 0;
    rc = store_media_uses(st, key, PHOTO_POSTS_MAX, a, &uses, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        if (strcmp(uses[i].kind, "post") == 0)
            rc = rerender(st, uses[i].id, site_url, a, NULL, err);
    }
    return store_tx_end(st, rc, err);
}

#define UPGRADE_BATCH 100

/* One batch of the upgrade: the posts after *after, in one transaction. */
static enum err_code upgrade_batch(struct store *st, struct str site_url, int64_t *after, size_t *n,
                                   size_t *done, struct err *err)
{
    struct arena a;
    arena_init(&a);
    int64_t *ids = NULL;
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        goto out;
    rc = store_post_ids_after(st, *after, UPGRADE_BATCH, &a, &ids, n, err);
    for (size_t i = 0; !rc && i < *n; i++) {
        bool changed = false;
        rc = rerender(st, ids[i], site_url, &a, &changed, err);
        *done += changed;
        *after = ids[i];
    }
    rc = store_tx_end(st, rc, err);
out:
    arena_release(&a);
    return rc;
}

enum err_code newsroom_plaintext_fresh(struct store *st, struct err *err)
{
    struct arena a;
    arena_init(&a);
    int64_t *ids = NULL;
    size_t n = 0;
    enum err_code rc = store_post_ids_after(st, 0, 1, &a, &ids, &n, err);
    if (!rc && n == 0)
        rc = store_setting_set(st, "plaintext_format", STR_LIT(NEWSROOM_PLAINTEXT_FORMAT), err);
    arena_release(&a);
    return rc;
}

enum err_code newsroom_plaintext_upgrade(struct store *st, struct str site_url, size_t *done,
                                         struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct str format = STR_NULL;
    enum err_code rc = store_setting_get(st, "plaintext_format", &a, &format, err);
    bool current = !rc && str_eq_cstr(format, NEWSROOM_PLAINTEXT_FORMAT);
    arena_release(&a);
    *done = 0;
    if (current || (rc && rc != ERR_NOTFOUND))
        return current ? ERR_OK : rc;
    int64_t after = 0;
    size_t n = UPGRADE_BATCH;
    for (rc = ERR_OK; !rc && n == UPGRADE_BATCH;)
        rc = upgrade_batch(st, site_url, &after, &n, done, err);
    if (!rc)
        rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_tx_end(
            st, store_setting_set(st, "plaintext_format", STR_LIT(NEWSROOM_PLAINTEXT_FORMAT), err),
            err);
    return rc;
}
