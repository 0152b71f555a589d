#include "cli/cli_int.h"

#include "routes.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk post add --db FILE POST.md...\n"
    "       newsdesk post update --db FILE SLUG POST.md\n\n"
    "Adds posts from Markdown files with a front-matter block:\n\n"
    "  ---\n"
    "  title: Kyiv metro extends night service      (required)\n"
    "  slug: kyiv-metro-night                       (default: from the title)\n"
    "  tags: [News Feed, Transport]                 (the first is the section)\n"
    "  authors: [news-desk]                         (author slugs; default news-desk)\n"
    "  published_at: 2026-11-26T08:15:00+02:00      (default: now)\n"
    "  excerpt: A short summary for lists and feeds\n"
    "  feature_image: /content/images/metro.jpg\n"
    "  status: published                            (published, draft or scheduled)\n"
    "  featured: false\n"
    "  type: post                                   (or page: an About or Contact page,\n"
    "                                               served at /slug/, never in lists)\n"
    "  ---\n"
    "  The body, in Markdown.\n\n"
    "Each file is added in its own transaction: a file with an error adds nothing.\n"
    "update replaces the post at SLUG with the file (a correction): its id and feed ids\n"
    "stay, its updated time becomes now, and readers see the change at once.\n\n"
    "  --db FILE   the database\n"
    "  -h, --help  show this help\n";

#define POST_FILE_MAX (CONTENT_MARKDOWN_MAX + 64 * 1024)

/* Tag ids in order, created when missing; two names with one slug count once. */
static enum err_code resolve_tags(struct store *st, const struct content_draft *d,
                                  struct arena *a, int64_t *ids, size_t *n, struct err *err)
{
    *n = 0;
    for (size_t i = 0; i < d->ntags; i++) {
        struct str slug = content_slugify(d->tags[i], a);
        if (!slug.len)
            return err_set(err, ERR_INVALID, "tag '%.*s' has no letters or digits for a slug",
                           (int)d->tags[i].len, d->tags[i].ptr);
        int64_t id;
        enum err_code rc = store_tag_ensure(st, str_trim(d->tags[i]), slug, &id, err);
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
                                     struct arena *a, int64_t *ids, size_t *n, struct err *err)
{
    *n = d->nauthors;
    if (d->nauthors == 0) {
        *n = 1;
        return cli_ensure_desk(st, &ids[0], err);
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

static enum err_code choose_slug(struct store *st, const struct content_draft *d,
                                 struct arena *a, struct str *slug, struct err *err)
{
    if (d->slug.len) {
        if (!content_slug_valid(d->slug))
            return err_set(err, ERR_INVALID, "slug '%.*s' may hold only a-z, 0-9 and single "
                           "hyphens", (int)d->slug.len, d->slug.ptr);
        if (routes_slug_reserved(d->slug))
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
    if (routes_slug_reserved(base))
        base = str_from(arena_printf(a, "%.*s-post", (int)base.len, base.ptr));
    return store_slug_unique(st, STORE_SLUG_POST, base, a, slug, err);
}

/* The parts of a stored post that come from the file: body, tags, authors, fields. */
static enum err_code prepare(struct store *st, const struct content_draft *d, struct arena *a,
                             struct store_new_post *p, struct err *err)
{
    memset(p, 0, sizeof(*p));
    enum err_code rc = content_markdown_render(d->markdown, a, &p->html, &p->plaintext, err);
    if (rc)
        return rc;
    int64_t *tag_ids = arena_calloc(a, d->ntags + 1, sizeof(int64_t));
    int64_t *author_ids = arena_calloc(a, d->nauthors + 1, sizeof(int64_t));
    rc = resolve_tags(st, d, a, tag_ids, &p->ntags, err);
    if (!rc)
        rc = resolve_authors(st, d, a, author_ids, &p->nauthors, err);
    p->title = str_trim(d->title);
    p->markdown = d->markdown;
    p->custom_excerpt = d->custom_excerpt;
    p->feature_image = d->feature_image;
    p->status = d->status;
    p->featured = d->featured;
    p->page = d->page;
    p->tag_ids = tag_ids;
    p->author_ids = author_ids;
    return rc;
}

enum err_code cli_post_add_draft(struct store *st, const struct content_draft *d, struct arena *a,
                               int64_t *id, struct str *slug, struct err *err)
{
    struct store_new_post p;
    enum err_code rc = prepare(st, d, a, &p, err);
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
    p.published_at = d->has_published_at ? d->published_at
                                        : (d->status == CONTENT_DRAFT ? 0 : now);
    return store_post_insert(st, &p, id, err);
}

/*
 * A correction: the post named by slug takes the file's contents. Its id and uuid stay
 * (feeds and APIs know it by them), updated_at becomes now, published_at stays unless the
 * file sets one, and the slug changes only if the file asks for another.
 */
static enum err_code update_draft(struct store *st, struct str slug, const struct content_draft *d,
                                  struct arena *a, int64_t *id, struct str *out_slug,
                                  struct err *err)
{
    int64_t published_at;
    enum err_code rc = store_post_find(st, slug, id, &published_at, err);
    struct store_new_post p;
    if (!rc)
        rc = prepare(st, d, a, &p, err);
    *out_slug = slug;
    if (!rc && d->slug.len && !str_eq(d->slug, slug))
        rc = choose_slug(st, d, a, out_slug, err);
    if (rc)
        return rc;
    int64_t now = time_now();
    p.slug = *out_slug;
    p.updated_at = now;
    p.published_at = d->has_published_at ? d->published_at : published_at;
    if (!p.published_at && d->status != CONTENT_DRAFT)
        p.published_at = now;
    return store_post_update(st, *id, &p, err);
}

/* Adds the post in path, or with update_slug, replaces that post with it. */
static int add_file(struct store *st, const char *path, const char *update_slug)
{
    struct buf file;
    struct err err = {0};
    struct arena a;
    arena_init(&a);
    struct content_draft d;
    int64_t id = 0;
    struct str slug = STR_NULL;
    enum err_code rc = cli_read_file(path, POST_FILE_MAX, &file, &err);
    if (!rc)
        rc = content_draft_parse(buf_str(&file), &a, &d, &err);
    if (!rc && d.status == CONTENT_SCHEDULED && !d.has_published_at)
        rc = err_set(&err, ERR_INVALID, "status scheduled needs a published_at time");
    if (!rc)
        rc = store_begin(st, &err);
    if (!rc && update_slug)
        rc = update_draft(st, str_from(update_slug), &d, &a, &id, &slug, &err);
    else if (!rc)
        rc = cli_post_add_draft(st, &d, &a, &id, &slug, &err);
    if (!rc)
        rc = store_commit(st, &err);
    if (rc)
        store_rollback(st);
    else
        printf("%s post %lld /%.*s/ (%s)\n", update_slug ? "updated" : "added", (long long)id,
               (int)slug.len, slug.ptr, content_status_name(d.status));
    buf_release(&file);
    arena_release(&a);
    return rc ? cli_fail("%s: %s", path, err.msg) : CLI_OK;
}

int cli_post(int argc, char **argv)
{
    const char *db = NULL;
    int status = cli_db_options(argc, argv, usage, &db);
    if (status >= 0)
        return status;
    bool add = optind + 2 <= argc && strcmp(argv[optind], "add") == 0;
    bool update = optind + 3 == argc && strcmp(argv[optind], "update") == 0;
    if (!add && !update)
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(db, STORE_WRITE, &st))
        return CLI_FAIL;
    status = CLI_OK;
    if (update)
        status = add_file(st, argv[optind + 2], argv[optind + 1]);
    for (int i = optind + 1; add && i < argc; i++)
        if (add_file(st, argv[i], NULL) != CLI_OK)
            status = CLI_FAIL;
    store_close(st);
    return status;
}
