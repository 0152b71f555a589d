#include "cli/cli_int.h"

#include "newsroom/newsroom.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk post add --db FILE POST.md...\n"
    "       newsdesk post update --db FILE SLUG POST.md\n\n"
    "Adds posts from Markdown files: a front-matter block between two '---' lines, then\n"
    "the body in Markdown. Every key the front matter may hold (any other is refused):\n\n"
    "  title                  the headline, up to 300 bytes (required)\n"
    "  slug                   a-z, 0-9 and single hyphens (default: from the title)\n"
    "  tags                   tag names, [a, b] or '- a' lines; the first is the section;\n"
    "                         a name starting with '#' is an internal tag, never shown\n"
    "  authors                author slugs, in byline order (default: news-desk)\n"
    "  published_at           ISO 8601 with a zone, e.g. 2026-11-26T08:15:00+02:00\n"
    "                         (default: now; required for status scheduled)\n"
    "  custom_excerpt         the summary lists and feeds show, up to 300 characters\n"
    "  excerpt                the same field under a shorter name (give one of the two)\n"
    "  feature_image          an http(s) URL or a site path (/media/KEY/...)\n"
    "  feature_image_alt      the image's text alternative, up to 300 bytes\n"
    "  feature_image_caption  its caption, up to 2,000 bytes\n"
    "  status                 published, draft or scheduled (default: published)\n"
    "  featured               true or false (default: false)\n"
    "  breaking               true or false: a banner on every page links to the post\n"
    "                         until it is unmarked (published posts only)\n"
    "  breaking_until         ISO 8601 with a zone, in the future: breaking news until\n"
    "                         then (implies breaking: true); the banner goes by itself\n"
    "  label                  breaking, live or none: printed over the headline\n"
    "  pinned                 home, section, 'home, section' or false: first on the home\n"
    "                         feed and/or its section (its first tag) while newer posts\n"
    "                         go out; published posts only; a pinned post is featured\n"
    "  type                   post, or page: an About or Contact page served at /slug/,\n"
    "                         never in lists or feeds\n\n"
    "Values are plain or quoted (\"...\" with \\\" and \\\\, or '...' with '' for a\n"
    "quote); a line starting with '#' is a comment. Example:\n\n"
    "  ---\n"
    "  title: \"Kyiv metro extends night service: what changes\"\n"
    "  slug: kyiv-metro-night\n"
    "  tags: [News Feed, Transport, '#breaking']\n"
    "  authors: [news-desk, olena-k]\n"
    "  published_at: 2026-11-26T08:15:00+02:00\n"
    "  custom_excerpt: Trains run until 2 a.m. from Friday.\n"
    "  feature_image: /media/ab12cd34/metro.jpg\n"
    "  feature_image_alt: A train at Khreshchatyk station\n"
    "  feature_image_caption: Photo by the desk\n"
    "  status: published\n"
    "  featured: false\n"
    "  type: post\n"
    "  ---\n"
    "  The body, in **Markdown**.\n\n"
    "Breaking news until a time still to come, labelled Live, first on the home page:\n\n"
    "  ---\n"
    "  title: \"Dam breach: evacuations under way downstream\"\n"
    "  tags: [News Feed]\n"
    "  breaking_until: 2026-12-03T18:00:00+02:00\n"
    "  label: live\n"
    "  pinned: home\n"
    "  ---\n"
    "  Residents of three villages are being moved to schools in the town.\n\n"
    "Unpublishing a post (status: draft) unmarks and unpins it.\n\n"
    "Each file is added in its own transaction: a file with an error adds nothing.\n"
    "update replaces the post at SLUG with the file (a correction): its id and feed ids\n"
    "stay, its updated time becomes now, and readers see the change at once.\n\n"
    "  --db FILE   the database\n"
    "  -h, --help  show this help\n";

#define POST_FILE_MAX (CONTENT_MARKDOWN_MAX + 64 * 1024)

/* Adds d, or with update_slug, puts it in place of that post; inside a transaction. */
static enum err_code write_post(struct store *st, const struct content_draft *d,
                                const char *update_slug, struct arena *a, int64_t *id,
                                struct str *slug, struct err *err)
{
    /* the command line is the owner's: it may create tags */
    struct newsroom_opts opts = {.may_create_tags = true};
    if (!update_slug)
        return newsroom_post_add(st, d, &opts, a, id, slug, err);
    int64_t published_at;
    enum err_code rc = store_post_find(st, str_from(update_slug), id, &published_at, err);
    return rc ? rc : newsroom_post_update(st, *id, d, &opts, a, slug, err);
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
        rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, write_post(st, &d, update_slug, &a, &id, &slug, &err), &err);
    if (!rc)
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
