/*
 * The Ghost reader against the real export in ../shared/import-fixtures (Ghost 5.130.6):
 * every table it hands on, counted and spot-checked through a sink that collects, and the
 * inputs it must refuse with a clear message (cut short, not JSON, not Ghost, a version
 * it does not read, a huge row).
 */
#include "import/import_int.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE "../shared/import-fixtures/ghost-export.json" /* from the project root */

struct collect {
    int posts, pages, html, lexical, mobiledoc, users, tags, internal, post_tags, post_authors;
    int metas, roles, site, published, drafts, scheduled;
    char roles_seen[512];
    char site_title[128], site_url[128], version[32];
    int64_t owner_order_sum;
    struct import_post feature; /* the post with a feature image: its fields, copied */
    char feature_slug[128], feature_image[256], feature_alt[128];
    int64_t tram_breaking_order; /* sort_order of #breaking on the tram post (-1: none) */
    char tram_id[32], breaking_id[32];
    int64_t progress_calls;
    uint64_t progress_last, progress_total;
    int stop_after; /* > 0: fail the post callback after this many */
};

static void copy(char *dst, size_t n, struct str s)
{
    snprintf(dst, n, "%.*s", (int)s.len, s.ptr);
}

static enum err_code c_site(void *ctx, const struct import_site *s, struct err *err)
{
    (void)err;
    struct collect *c = ctx;
    c->site++;
    copy(c->site_title, sizeof(c->site_title), s->title);
    copy(c->site_url, sizeof(c->site_url), s->url);
    copy(c->version, sizeof(c->version), s->version);
    return ERR_OK;
}

static enum err_code c_user(void *ctx, const struct import_user *u, struct err *err)
{
    (void)err;
    struct collect *c = ctx;
    c->users++;
    cr_expect(u->id.len && u->slug.len && u->name.len);
    cr_expect(u->ghost_id.len == 24 || str_eq_cstr(u->id, "1"), "%.*s", (int)u->id.len, u->id.ptr);
    return ERR_OK;
}

static enum err_code c_tag(void *ctx, const struct import_tag *t, struct err *err)
{
    (void)err;
    struct collect *c = ctx;
    c->tags++;
    c->internal += t->internal;
    if (str_eq_cstr(t->slug, "hash-breaking")) {
        cr_expect(t->internal);
        copy(c->breaking_id, sizeof(c->breaking_id), t->id);
    }
    return ERR_OK;
}

static enum err_code c_post(void *ctx, const struct import_post *p, struct err *err)
{
    struct collect *c = ctx;
    if (c->stop_after && c->posts + c->pages >= c->stop_after)
        return err_set(err, ERR_INVALID, "stopped by the test");
    p->page ? c->pages++ : c->posts++;
    c->html += p->body_kind == IMPORT_BODY_HTML;
    c->published += p->status == CONTENT_PUBLISHED;
    c->drafts += p->status == CONTENT_DRAFT;
    c->scheduled += p->status == CONTENT_SCHEDULED;
    cr_expect(p->created_at > 1700000000, "created_at %lld", (long long)p->created_at);
    cr_expect(p->uuid.len == 36);
    cr_expect(p->status != CONTENT_DRAFT || p->published_at == 0);
    if (p->feature_image.len) {
        copy(c->feature_slug, sizeof(c->feature_slug), p->slug);
        copy(c->feature_image, sizeof(c->feature_image), p->feature_image);
    }
    if (str_eq_cstr(p->slug, "tram-line-5-suspended-after-power-cut"))
        copy(c->tram_id, sizeof(c->tram_id), p->id);
    if (str_eq_cstr(p->slug, "scheduled-new-metro-timetable-takes-effect"))
        cr_expect_eq(p->published_at, 1893996000, "2030-01-07 06:00:00 UTC");
    return ERR_OK;
}

static enum err_code c_post_tag(void *ctx, struct str post, struct str tag, int64_t order,
                                struct err *err)
{
    (void)err;
    struct collect *c = ctx;
    c->post_tags++;
    if (str_eq_cstr(post, c->tram_id) && str_eq_cstr(tag, c->breaking_id))
        c->tram_breaking_order = order;
    return ERR_OK;
}

static enum err_code c_post_author(void *ctx, struct str post, struct str user, int64_t order,
                                   struct err *err)
{
    (void)err;
    (void)post;
    struct collect *c = ctx;
    c->post_authors++;
    if (str_eq_cstr(user, "1"))
        c->owner_order_sum += order + 1;
    return ERR_OK;
}

static enum err_code c_post_meta(void *ctx, const struct import_post_meta *m, struct err *err)
{
    (void)err;
    struct collect *c = ctx;
    c->metas++;
    if (m->feature_image_alt.len)
        copy(c->feature_alt, sizeof(c->feature_alt), m->feature_image_alt);
    return ERR_OK;
}

static enum err_code c_role(void *ctx, struct str user, struct str role, struct err *err)
{
    (void)err;
    struct collect *c = ctx;
    c->roles++;
    size_t len = strlen(c->roles_seen);
    snprintf(c->roles_seen + len, sizeof(c->roles_seen) - len, "%.*s=%.*s;", (int)user.len,
             user.ptr, (int)role.len, role.ptr);
    return ERR_OK;
}

static void c_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct collect *c = ctx;
    cr_expect(done > c->progress_last);
    c->progress_calls++;
    c->progress_last = done;
    c->progress_total = total;
}

static struct import_sink sink_of(struct collect *c)
{
    c->tram_breaking_order = -1;
    return (struct import_sink){
        .ctx = c,
        .site = c_site,
        .user = c_user,
        .tag = c_tag,
        .post = c_post,
        .post_tag = c_post_tag,
        .post_author = c_post_author,
        .post_meta = c_post_meta,
        .progress = c_progress,
        .user_role = c_role,
    };
}

Test(import_ghost, reads_every_table_of_a_real_export)
{
    struct collect c = {0};
    struct import_sink sink = sink_of(&c);
    struct err err = {0};
    cr_assert_eq(import_read_ghost(FIXTURE, &sink, &err), ERR_OK, "%s", err.msg);
    cr_expect_eq(c.posts, 47);
    cr_expect_eq(c.pages, 1);
    cr_expect_eq(c.html, 48, "every row has Ghost's rendered html");
    cr_expect_eq(c.published, 46);
    cr_expect_eq(c.drafts, 1);
    cr_expect_eq(c.scheduled, 1);
    cr_expect_eq(c.tags, 10);
    cr_expect_eq(c.internal, 1);
    cr_expect_eq(c.users, 4);
    cr_expect_eq(c.post_tags, 108);
    cr_expect_eq(c.post_authors, 51);
    cr_expect_eq(c.metas, 1);
    cr_expect_eq(c.owner_order_sum, 0, "the owner has no posts");
    cr_expect_eq(c.tram_breaking_order, 0, "#breaking is the tram post's first tag");
    cr_expect_eq(c.site, 1);
    cr_expect_str_eq(c.site_title, "Newsdesk Diff");
    cr_expect_str_eq(c.site_url, "__GHOST_URL__");
    cr_expect_str_eq(c.version, "5.130.6");
    cr_expect_str_eq(c.feature_slug, "evening-light-returns-to-the-dnipro-embankment");
    cr_expect_str_eq(c.feature_image, "__GHOST_URL__/content/images/2026/11/dnipro-evening.png");
    cr_expect_str_eq(c.feature_alt, "The Dnipro embankment at dusk, lamps just lit");
    cr_expect_eq(c.roles, 4, "%s", c.roles_seen);
    cr_expect(strstr(c.roles_seen, "1=Owner;"), "%s", c.roles_seen);
    cr_expect(c.progress_calls >= 1 && c.progress_last == c.progress_total);
}

/* ---- rewritten copies of the fixture ---------------------------------------------- */

static char *fixture(size_t *len)
{
    FILE *f = fopen(FIXTURE, "rb");
    cr_assert(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    char *p = malloc(*len + 1);
    cr_assert_eq(fread(p, 1, *len, f), *len);
    p[*len] = '\0';
    fclose(f);
    return p;
}

static void write_tmp(char path[64], const char *p, size_t n)
{
    strcpy(path, "/tmp/ndtest-ghost-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, p, n), (ssize_t)n);
    close(fd);
}

static enum err_code read_bytes(const char *p, size_t n, struct err *err, struct collect *c)
{
    char path[64];
    write_tmp(path, p, n);
    struct import_sink sink = sink_of(c);
    enum err_code rc = import_read_ghost(path, &sink, err);
    unlink(path);
    return rc;
}

/* The fixture with its first `from` replaced by `to`. */
static enum err_code read_replaced(const char *from, const char *to, struct err *err)
{
    size_t n;
    char *p = fixture(&n);
    char *at = strstr(p, from);
    cr_assert(at, "'%s' is in the fixture", from);
    size_t fl = strlen(from), tl = strlen(to);
    char *q = malloc(n - fl + tl + 1);
    size_t head = (size_t)(at - p);
    memcpy(q, p, head);
    memcpy(q + head, to, tl);
    memcpy(q + head + tl, at + fl, n - head - fl);
    struct collect c = {0};
    enum err_code rc = read_bytes(q, n - fl + tl, err, &c);
    free(p);
    free(q);
    return rc;
}

Test(import_ghost, a_file_cut_short_is_refused_with_its_offset)
{
    size_t n;
    char *p = fixture(&n);
    const size_t cuts[] = {1, 10, 100, 5000, n / 2, n - 2, n - 1};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        struct err err = {0};
        struct collect c = {0};
        cr_expect_eq(read_bytes(p, cuts[i], &err, &c), ERR_INVALID, "cut at %zu", cuts[i]);
        cr_expect(strstr(err.msg, "ends early") || strstr(err.msg, "byte"), "cut at %zu: %s",
                  cuts[i], err.msg);
    }
    free(p);
}

Test(import_ghost, not_json_and_not_ghost_are_refused)
{
    static const char *const bad[] = {
        "<?xml version=\"1.0\"?><rss></rss>",
        "{\"db\": [ {\"meta\": {\"version\": \"5.1.0\"}, \"data\": {\"posts\": [ {,} ]}} ]}",
        "[1, 2, 3]",
        "{\"posts\": []}",
        "{\"db\": [ {\"data\": {\"posts\": []}} ]}",
        "\"db\"",
        "",
        "{\"db\": [ {\"meta\": {\"version\": \"5.1.0\"}, \"data\": {\"posts\": 7}} ]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err err = {0};
        struct collect c = {0};
        enum err_code rc = read_bytes(bad[i], strlen(bad[i]), &err, &c);
        cr_expect_eq(rc, ERR_INVALID, "%s: %d %s", bad[i], rc, err.msg);
        cr_expect(err.msg[0], "a message for '%s'", bad[i]);
    }
    struct err err = {0};
    struct collect c = {0};
    const char *bad_json = "{\"db\": [ ]] }";
    read_bytes(bad_json, strlen(bad_json), &err, &c);
    cr_expect(strstr(err.msg, "at byte"), "%s", err.msg);
}

Test(import_ghost, versions_other_than_4_to_6_are_unsupported)
{
    struct err err = {0};
    cr_expect_eq(read_replaced("\"version\":\"5.130.6\"", "\"version\":\"2.38.0\"", &err),
                 ERR_UNSUPPORTED);
    cr_expect(strstr(err.msg, "2.38.0") && strstr(err.msg, "4.x to 6.x"), "%s", err.msg);
    cr_expect_eq(read_replaced("\"version\":\"5.130.6\"", "\"version\":\"7.0.0\"", &err),
                 ERR_UNSUPPORTED);
    cr_expect_eq(read_replaced("\"version\":\"5.130.6\"", "\"version\":\"4.48.9\"", &err), ERR_OK,
                 "%s", err.msg);
    cr_expect_eq(read_replaced("\"version\":\"5.130.6\"", "\"version\":\"6.3.0\"", &err), ERR_OK,
                 "%s", err.msg);
}

Test(import_ghost, iso_dates_and_missing_fields)
{
    struct err err = {0};
    cr_expect_eq(read_replaced("\"published_at\":\"2024-10-05 17:45:00\"",
                               "\"published_at\":\"2024-10-05T17:45:00.000Z\"", &err),
                 ERR_OK, "%s", err.msg);
    cr_expect_eq(read_replaced("\"published_at\":\"2024-10-05 17:45:00\"",
                               "\"published_at\":\"yesterday\"", &err),
                 ERR_INVALID);
    cr_expect(strstr(err.msg, "posts row") && strstr(err.msg, "not a date"), "%s", err.msg);
    cr_expect_eq(read_replaced("\"slug\":\"evening-light-returns-to-the-dnipro-embankment\"",
                               "\"slug\":null", &err),
                 ERR_INVALID);
    cr_expect(strstr(err.msg, "has no slug"), "%s", err.msg);
    cr_expect_eq(read_replaced("\"status\":\"draft\"", "\"status\":\"deleted\"", &err),
                 ERR_INVALID);
}

Test(import_ghost, lexical_only_rows_are_read_as_lexical)
{
    /* the fixture with every html column null: the reader takes lexical (or mobiledoc) */
    size_t n;
    char *p = fixture(&n);
    for (char *at = p; (at = strstr(at, "\"html\":\"")) != NULL;) {
        char *end = at + 8;
        while (*end && !(*end == '"' && end[-1] != '\\'))
            end++;
        memcpy(at, "\"html\":null", 11);
        memset(at + 11, ' ', (size_t)(end + 1 - (at + 11)));
        at = end + 1;
    }
    struct collect c = {0};
    struct import_sink sink = sink_of(&c);
    char path[64];
    write_tmp(path, p, n);
    struct err err = {0};
    cr_expect_eq(import_read_ghost(path, &sink, &err), ERR_OK, "%s", err.msg);
    unlink(path);
    cr_expect_eq(c.html, 0);
    cr_expect_eq(c.posts + c.pages, 48);
    free(p);
}

Test(import_ghost, a_huge_row_is_refused)
{
    size_t big = 65u * 1024 * 1024;
    const char *head =
        "{\"db\":[{\"meta\":{\"version\":\"5.1.0\"},\"data\":{\"posts\":[{\"html\":\"";
    const char *tail = "\"}]}}]}";
    char *p = malloc(strlen(head) + big + strlen(tail));
    memcpy(p, head, strlen(head));
    memset(p + strlen(head), 'a', big);
    memcpy(p + strlen(head) + big, tail, strlen(tail));
    struct err err = {0};
    struct collect c = {0};
    cr_expect_eq(read_bytes(p, strlen(head) + big + strlen(tail), &err, &c), ERR_TOOBIG);
    cr_expect(strstr(err.msg, "larger than 64 MB"), "%s", err.msg);
    free(p);
}

Test(import_ghost, deep_nesting_is_refused)
{
    /* inside a row, where a nested value would be skipped: the depth limit still holds */
    const char *head = "{\"db\":[{\"meta\":{\"version\":\"5.1.0\"},\"data\":{\"posts\":[{\"x\":";
    char *p = malloc(200000);
    memcpy(p, head, strlen(head));
    memset(p + strlen(head), '[', 200000 - strlen(head));
    struct err err = {0};
    struct collect c = {0};
    cr_expect_eq(read_bytes(p, 200000, &err, &c), ERR_INVALID);
    cr_expect(strstr(err.msg, "nested deeper"), "%s", err.msg);
    free(p);
}

Test(import_ghost, a_sink_error_stops_the_read)
{
    struct collect c = {.stop_after = 3};
    struct import_sink sink = sink_of(&c);
    c.stop_after = 3;
    struct err err = {0};
    cr_expect_eq(import_read_ghost(FIXTURE, &sink, &err), ERR_INVALID);
    cr_expect_str_eq(err.msg, "stopped by the test");
    cr_expect_eq(c.posts + c.pages, 3);
}

Test(import_ghost, a_missing_file_says_so)
{
    struct collect c = {0};
    struct import_sink sink = sink_of(&c);
    struct err err = {0};
    cr_expect_eq(import_read_ghost("/nonexistent/export.json", &sink, &err), ERR_NOTFOUND);
    cr_expect(strstr(err.msg, "/nonexistent/export.json"), "%s", err.msg);
}
