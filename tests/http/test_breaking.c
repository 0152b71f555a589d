/*
 * Breaking news, labels and pinned stories as readers and the newsroom see them: the
 * banner on every page the moment a post is marked (cached pages included), gone at its
 * expiry with no request in between, labels over headlines, pinned posts first while
 * newer ones are published (no post repeated or skipped across pages and Show More),
 * and the refusals: breaking news on a draft, an expiry in the past, a pin on an
 * unpublished post, through the editor and through post files.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff editor;

/* A small site: three posts a page, two sections, an editor. */
static void desk_site(struct srv *s)
{
    char *err = NULL;
    cr_assert_eq(
        run_newsdesk(NULL, &err, "settings", "set", "--db", s->db, "posts_per_page", "3", NULL), 0,
        "%s", err);
    free(err);
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    srv_add_post(s, "storm.md",
                 "---\ntitle: Storm closes the ring road\nslug: storm\ntags: [World]\n"
                 "published_at: 2026-01-02T08:00:00Z\n---\nRoads are shut.\n");
    srv_add_post(s, "bridge.md",
                 "---\ntitle: Bridge repairs finish early\nslug: bridge\ntags: [City]\n"
                 "published_at: 2026-01-02T09:00:00Z\n---\nTraffic flows again.\n");
}

HTTP_SUITE(http_breaking, srv, 120, .before_start = desk_site);

static long id_of(const char *slug)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT id FROM posts WHERE slug = '%s'", slug);
    return db_countf(&srv, "%s", sql);
}

/* GET path: the status, with r kept for the caller to read and free. */
static int get(const char *path, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    return r->status;
}

static bool banner_links(const char *path, const char *href)
{
    struct resp r;
    cr_assert_lt(get(path, &r), 500, "%s", path);
    char *banner = body_between(&r, "class=\"breaking-banner\"", "</section>");
    char link[160];
    snprintf(link, sizeof(link), "href=\"%s\"", href);
    bool has = banner && strstr(banner, link);
    free(banner);
    resp_free(&r);
    return has;
}

static bool has_banner(const char *path)
{
    struct resp r;
    cr_assert_lt(get(path, &r), 500, "%s", path);
    bool has = body_has(&r, "breaking-banner");
    resp_free(&r);
    return has;
}

/* Every reader page the banner must be on. */
static const char *const pages[] = {
    "/",       "/tag/world/", "/tag/city/", "/author/news-desk/", "/bridge/",
    "/storm/", "/tips/",      "/page/2/",   "/no-such-page/",
};

/* Each page twice: the second answer comes from the cache. */
static void warm_cache(void)
{
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
        struct resp r;
        get(pages[i], &r);
        resp_free(&r);
        get(pages[i], &r);
        resp_free(&r);
    }
    struct resp r;
    get("/", &r);
    char *x = resp_header(&r, "x-cache");
    cr_assert(x && strcmp(x, "HIT") == 0, "the home page is cached: %s", x ? x : "(none)");
    free(x);
    resp_free(&r);
}

/* The editor's form of a post as it is, with more fields; returns the status. */
static int edit(long id, const char *title, const char *tags, const char *more, const char *action,
                struct resp *r)
{
    char *t = form_enc(title), *g = form_enc(tags);
    char form[4096];
    snprintf(form, sizeof(form), "title=%s&markdown=Body.&tags=%s&authors=news-desk&action=%s%s", t,
             g, action, more);
    free(t);
    free(g);
    staff_save(&srv, &editor, id, form, r);
    return r->status;
}

Test(http_breaking, banner_on_every_page_at_once_and_gone_when_unmarked)
{
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    warm_cache();
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        cr_assert_not(has_banner(pages[i]), "no banner before marking: %s", pages[i]);
    long storm = id_of("storm");
    struct resp r;
    cr_assert_eq(edit(storm, "Storm closes the ring road", "World", "&breaking=1", "update", &r),
                 303, "%.300s", r.body);
    resp_free(&r);
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        cr_expect(banner_links(pages[i], "/storm/"), "the banner links to the story: %s", pages[i]);
    /* the banner is a labelled region, and the teaser says Breaking */
    get("/", &r);
    cr_expect(body_has(&r, "<section class=\"breaking-banner\" aria-label=\"Breaking news\">"));
    cr_expect(body_has(&r, "<span class=\"label\">Breaking</span>"));
    resp_free(&r);
    /* the editor shows it marked: a save that does not name it again would unmark it */
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", storm);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "name=\"breaking\" value=\"1\" checked"));
    resp_free(&r);
    /* unmarked: gone from every page at once */
    warm_cache();
    cr_assert_eq(edit(storm, "Storm closes the ring road", "World", "", "update", &r), 303);
    resp_free(&r);
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        cr_expect_not(has_banner(pages[i]), "no banner after unmarking: %s", pages[i]);
}

/* "2026-12-03T18:00:05Z", seconds from now. */
static void utc_in(int seconds, char out[32])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int post_update(const char *slug, const char *text, char **err)
{
    char path[SRV_PATH_MAX];
    srv_write(&srv, "update.md", text, path);
    return run_newsdesk(NULL, err, "post", "update", "--db", srv.db, slug, path, NULL);
}

/* The story stored again by its post file, with more front matter (fields). */
static void update_storm(const char *fields)
{
    char text[512], *err = NULL;
    snprintf(text, sizeof(text),
             "---\ntitle: Storm closes the ring road\ntags: [World]\n%s"
             "published_at: 2026-01-02T08:00:00Z\n---\nRoads are shut.\n",
             fields);
    cr_assert_eq(post_update("storm", text, &err), 0, "%s: %s", fields, err);
    free(err);
}

/* The story marked breaking until seconds from now (until), with more fields. */
static void storm_breaking_for(int seconds, const char *more, char until[32])
{
    char fields[256];
    utc_in(seconds, until);
    snprintf(fields, sizeof(fields), "breaking_until: %s\n%s", until, more);
    update_storm(fields);
}

Test(http_breaking, gone_at_its_expiry_without_a_request_in_between)
{
    /*
     * Long enough for a busy machine to mark it and warm every page before it ends (the
     * post file goes through the CLI); the wait then runs to just past its end.
     */
    enum { LASTS = 12 };
    char until[32];
    time_t marked = time(NULL);
    storm_breaking_for(LASTS, "", until);
    warm_cache();
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        cr_assert(banner_links(pages[i], "/storm/"), "marked until %s: %s", until, pages[i]);
    warm_cache(); /* every page cached with its banner */
    time_t left = marked + LASTS - time(NULL);
    cr_assert_gt(left, 0, "the pages took longer than %d s to warm: nothing left to test", LASTS);
    sleep((unsigned)left + 2); /* nobody asks for anything while it expires */
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        cr_expect_not(has_banner(pages[i]), "expired, and no stale copy: %s", pages[i]);
    cr_expect_eq(db_countf(&srv, "SELECT breaking FROM posts WHERE slug = 'storm'"), 0);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM audit WHERE action = 'unmark-breaking'"), 1,
                 "the scheduler's expiry is in the audit log");
}

/* The slugs of the teasers of a list page or batch, in order: "/a/ /b/ ". */
static void teasers_of(const char *path, char *out, size_t max)
{
    struct resp r;
    cr_assert_eq(get(path, &r), 200, "%s", path);
    out[0] = '\0';
    const char *p = r.body;
    while ((p = strstr(p, "class=\"teaser-title\"><a href=\"")) != NULL) {
        p += strlen("class=\"teaser-title\"><a href=\"");
        const char *end = strchr(p, '"');
        size_t len = strlen(out), n = (size_t)(end - p);
        cr_assert_lt(len + n + 2, max, "too many teasers on %s", path);
        memcpy(out + len, p, n);
        out[len + n] = ' ';
        out[len + n + 1] = '\0';
    }
    resp_free(&r);
}

/* The Show More address of a list page (its data-more), malloc'd, or NULL. */
static char *more_of(const char *path)
{
    struct resp r;
    get(path, &r);
    char *more = body_has(&r, "data-more=") ? body_attr(&r, "data-more") : NULL;
    resp_free(&r);
    if (!more)
        return NULL;
    /* &amp; in the attribute */
    char *w = more;
    for (const char *s = more; *s; s++) {
        *w++ = *s;
        if (strncmp(s, "&amp;", 5) == 0)
            s += 4;
    }
    *w = '\0';
    return more;
}

/* Each of page 1, 2, 3 of base: no teaser twice across them, the pinned one first. */
static void pinned_first(const char *base, const char *first, size_t total)
{
    char p1[2048], p2[2048], p3[2048], all[8192] = "", path[128];
    teasers_of(base, p1, sizeof(p1));
    snprintf(path, sizeof(path), "%spage/2/", base);
    teasers_of(path, p2, sizeof(p2));
    snprintf(path, sizeof(path), "%spage/3/", base);
    struct resp r;
    if (get(path, &r) == 200)
        teasers_of(path, p3, sizeof(p3));
    else
        p3[0] = '\0';
    resp_free(&r);
    cr_assert(strncmp(p1, first, strlen(first)) == 0, "%s starts with %s: %s", base, first, p1);
    snprintf(all, sizeof(all), "%s%s%s", p1, p2, p3);
    size_t n = 0;
    for (char *s = all; (s = strchr(s, ' ')) != NULL; s++)
        n++;
    cr_expect_eq(n, total, "%s: every post once across the pages: %s", base, all);
    for (char *s = all; *s;) {
        char *sp = strchr(s, ' ');
        *sp = '\0';
        char *again = strstr(sp + 1, s);
        cr_expect(!again || again[-1] != ' ' || again[strlen(s)] != ' ', "%s twice in %s", s, base);
        *sp = ' ';
        s = sp + 1;
    }
    /* Show More from the first page continues where it stopped, as page 2 does */
    char *more = more_of(base), batch[2048];
    cr_assert(more, "%s has Show More", base);
    teasers_of(more, batch, sizeof(batch));
    cr_expect_str_eq(batch, p2, "%s: Show More gives page 2's posts", base);
    free(more);
}

Test(http_breaking, a_pinned_post_stays_first_while_newer_ones_are_published)
{
    update_storm("pinned: home, section\n");
    cr_expect_eq(db_countf(&srv, "SELECT featured FROM posts WHERE slug = 'storm'"), 1,
                 "a pinned post is featured");
    /* as Ghost's clients read it, with no field of ours added */
    char key[27], api[160];
    srv_content_key(&srv, key);
    snprintf(api, sizeof(api), "/ghost/api/content/posts/slug/storm/?key=%s", key);
    struct resp r;
    cr_assert_eq(get(api, &r), 200);
    cr_expect(body_has(&r, "\"featured\":true"), "%.300s", r.body);
    cr_expect_not(body_has(&r, "pinned"));
    cr_expect_not(body_has(&r, "breaking"));
    resp_free(&r);
    warm_cache();
    for (int i = 0; i < 5; i++) {
        char name[32], text[256];
        snprintf(name, sizeof(name), "new%d.md", i);
        snprintf(text, sizeof(text),
                 "---\ntitle: Newer report %d\nslug: newer-%d\ntags: [World]\n---\nMore.\n", i, i);
        srv_add_post(&srv, name, text);
        char first[2048];
        teasers_of("/", first, sizeof(first));
        cr_expect(strncmp(first, "/storm/ ", 8) == 0, "still first after %d newer: %s", i + 1,
                  first);
    }
    pinned_first("/", "/storm/ ", 7);
    pinned_first("/tag/world/", "/storm/ ", 6);
    /* not pinned on a section that is not its own, nor on its byline's page */
    char city[2048];
    teasers_of("/tag/city/", city, sizeof(city));
    cr_expect_str_eq(city, "/bridge/ ");
    char author[2048];
    teasers_of("/author/news-desk/", author, sizeof(author));
    cr_expect(strncmp(author, "/newer-4/ ", 10) == 0, "newest first by its byline: %s", author);
    /* unpinned: back in its place */
    update_storm("");
    char home[2048];
    teasers_of("/", home, sizeof(home));
    cr_expect(strncmp(home, "/newer-4/ ", 10) == 0, "unpinned: %s", home);
}

Test(http_breaking, labels_over_headlines)
{
    srv_add_post(&srv, "live.md",
                 "---\ntitle: Election night results\nslug: results\ntags: [World]\nlabel: live\n"
                 "---\nCounting.\n");
    struct resp r;
    get("/", &r);
    char *teaser = body_between(&r, "href=\"/tag/world/\">World</a>", "</h3>");
    cr_expect(teaser && strstr(teaser, "<span class=\"label\">Live</span>"), "%s",
              teaser ? teaser : "(none)");
    free(teaser);
    cr_expect_not(body_has(&r, "breaking-banner"), "a label is not breaking news");
    resp_free(&r);
    get("/results/", &r);
    char *header = body_between(&r, "<header class=\"post-header\">", "</h1>");
    cr_expect(header && strstr(header, "<span class=\"label\">Live</span>"), "%s",
              header ? header : "(none)");
    free(header);
    resp_free(&r);
    get("/storm/", &r);
    header = body_between(&r, "<header class=\"post-header\">", "</h1>");
    cr_expect(header && !strstr(header, "class=\"label\""), "no label when none is set: %s",
              header ? header : "(none)");
    free(header);
    resp_free(&r);
}

Test(http_breaking, the_editor_shows_the_fields_and_a_conflict_keeps_them)
{
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    char until[32];
    storm_breaking_for(7200, "label: live\npinned: section\n", until);
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id_of("storm"));
    struct resp r;
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "name=\"breaking\" value=\"1\" checked"));
    char *value = body_between(&r, "id=\"breaking_until\" name=\"breaking_until\"", ">");
    cr_expect(value && strstr(value, "value=\"20"), "the end time, in the site's zone: %s",
              value ? value : "(none)");
    free(value);
    cr_expect(body_has(&r, "value=\"live\" selected"));
    cr_expect(body_has(&r, "name=\"pin_section\" value=\"1\" checked"));
    cr_expect(body_has(&r, "name=\"pin_home\" value=\"1\">"), "not pinned on the home page");
    resp_free(&r);
    /* a save read at an older version: the conflict page keeps what the form said */
    staff_post(&srv, &editor, path,
               "title=Storm&markdown=Roads.&tags=World&authors=news-desk&action=update&version=1"
               "&breaking=1&label=breaking&pin_home=1",
               &r);
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, "name=\"breaking\" value=\"1\" checked"));
    cr_expect(body_has(&r, "value=\"breaking\" selected"));
    cr_expect(body_has(&r, "name=\"pin_home\" value=\"1\" checked"));
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT pinned FROM posts WHERE slug = 'storm'"), 2,
                 "nothing saved");
}

/* ---- what is refused ------------------------------------------------------------------ */

Test(http_breaking, the_editor_refuses_what_would_point_readers_at_nothing)
{
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    long posts = db_countf(&srv, "SELECT count(*) FROM posts");
    struct {
        const char *fields, *says;
    } drafts[] = {
        {"&breaking=1", "only a published post can be breaking news"},
        {"&pin_home=1", "only a published post can be pinned"},
        {"&pin_section=1", "only a published post can be pinned"},
        {"&breaking_until=2030-01-01T10:00", "tick Breaking news to set when it ends"},
        {"&label=urgent", "choose a label from the list"},
    };
    for (size_t i = 0; i < sizeof(drafts) / sizeof(drafts[0]); i++) {
        char form[512];
        snprintf(form, sizeof(form), "title=Draft+story&markdown=Body.&action=save%s",
                 drafts[i].fields);
        struct resp r;
        staff_post(&srv, &editor, "/admin/posts/new/", form, &r);
        cr_expect_eq(r.status, 400, "%s", drafts[i].fields);
        cr_expect(body_has(&r, drafts[i].says), "%s: %.400s", drafts[i].fields, r.body);
        /* the form comes back with what was typed */
        cr_expect(body_has(&r, "value=\"Draft story\""));
        resp_free(&r);
    }
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM posts"), posts, "no draft was made");
    /* a scheduled post is not published either */
    struct resp r;
    staff_post(&srv, &editor, "/admin/posts/new/",
               "title=Later&markdown=Body.&action=schedule&publish_at=2099-01-01T10:00&breaking=1",
               &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "only a published post can be breaking news"));
    resp_free(&r);
    /* an expiry in the past, on a published post: refused, the post unchanged */
    long storm = id_of("storm");
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT version FROM posts WHERE id = %ld", storm);
    long version = db_countf(&srv, "%s", sql);
    cr_expect_eq(edit(storm, "Storm closes the ring road", "World",
                      "&breaking=1&breaking_until=2020-01-01T10:00", "update", &r),
                 400);
    cr_expect(body_has(&r, "the time breaking news ends has passed"), "%.400s", r.body);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "%s", sql), version, "nothing changed");
    cr_expect_not(has_banner("/"));
}

Test(http_breaking, unpublishing_takes_it_off_the_banner_and_the_pins)
{
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    long storm = id_of("storm");
    struct resp r;
    cr_assert_eq(edit(storm, "Storm closes the ring road", "World",
                      "&breaking=1&pin_home=1&label=breaking", "update", &r),
                 303);
    resp_free(&r);
    cr_assert(banner_links("/bridge/", "/storm/"));
    warm_cache();
    /* unpublishing asks first: until the desk says yes, the story stays up and breaking */
    cr_assert_eq(edit(storm, "Storm closes the ring road", "World", "&breaking=1&pin_home=1",
                      "unpublish", &r),
                 200, "%.300s", r.body);
    resp_free(&r);
    cr_expect(banner_links("/bridge/", "/storm/"), "not unpublished before the confirmation");
    /* the form still says breaking and pinned: unpublishing clears them anyway */
    cr_assert_eq(edit(storm, "Storm closes the ring road", "World",
                      "&breaking=1&pin_home=1&confirm=yes", "unpublish", &r),
                 303, "%.300s", r.body);
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT breaking + pinned FROM posts WHERE slug = 'storm'"), 0);
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        cr_expect_not(has_banner(pages[i]), "%s", pages[i]);
    /* published again: not breaking until someone marks it again */
    cr_assert_eq(edit(storm, "Storm closes the ring road", "World", "", "publish", &r), 303);
    resp_free(&r);
    cr_expect_not(has_banner("/"));
}

Test(http_breaking, post_files_are_refused_the_same_and_change_nothing)
{
    long posts = db_countf(&srv, "SELECT count(*) FROM posts");
    char past[32], text[512];
    utc_in(-60, past);
    struct {
        const char *fields, *says;
    } bad[] = {
        {"status: draft\nbreaking: true\n", "only a published post can be breaking news"},
        {"status: draft\npinned: home\n", "only a published post can be pinned"},
        {"status: scheduled\npublished_at: 2099-01-01T10:00:00Z\npinned: section\n",
         "only a published post can be pinned"},
        {NULL, "the time breaking news ends has passed"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char fields[160];
        if (bad[i].fields)
            snprintf(fields, sizeof(fields), "%s", bad[i].fields);
        else
            snprintf(fields, sizeof(fields), "breaking_until: %s\n", past);
        snprintf(text, sizeof(text), "---\ntitle: Refused %zu\n%s---\nBody.\n", i, fields);
        char path[SRV_PATH_MAX], *err = NULL;
        srv_write(&srv, "bad.md", text, path);
        cr_expect_neq(run_newsdesk(NULL, &err, "post", "add", "--db", srv.db, path, NULL), 0, "%s",
                      fields);
        cr_expect(err && strstr(err, bad[i].says), "%s: %s", fields, err ? err : "");
        free(err);
        /* the same on an update of a published post */
        err = NULL;
        cr_expect_neq(post_update("storm", text, &err), 0, "%s", fields);
        free(err);
    }
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM posts"), posts);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM posts WHERE slug = 'storm' AND title = "
                                 "'Storm closes the ring road'"),
                 1, "the post is as it was");
    /* and the help shows how */
    char *out = NULL;
    run_newsdesk(&out, NULL, "post", "--help", NULL);
    cr_expect(out && strstr(out, "breaking_until") && strstr(out, "pinned"), "%s", out ? out : "");
    free(out);
}

/* ---- deep pages with a pinned post ---------------------------------------------------- */

/* A long feed whose 101st post is pinned to the home page, set before the server starts. */
static void long_feed_pinned(struct srv *s)
{
    free(db_query(s, "UPDATE posts SET pinned = 1, featured = 1 WHERE id = (SELECT id FROM "
                     "posts WHERE status = 'published' AND type = 'post' "
                     "ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET 100)"));
}

HTTP_SUITE(http_breaking_deep, srv, 120, .posts = 340, .before_start = long_feed_pinned);

/* What page n of the home page must list: the feed without the pinned post. */
static void expected_page(int n, char *out, size_t max)
{
    char sql[400];
    snprintf(sql, sizeof(sql),
             "SELECT group_concat('/' || slug || '/', ' ') || ' ' FROM (SELECT slug FROM posts "
             "WHERE status = 'published' AND type = 'post' AND pinned = 0 "
             "ORDER BY published_at DESC, id DESC LIMIT 15 OFFSET %d)",
             (n - 1) * 15);
    char *v = db_query(&srv, sql);
    snprintf(out, max, "%s", v);
    free(v);
}

Test(http_breaking_deep, deep_pages_from_the_feed_index_skip_the_pinned_post_once)
{
    char *pinned = db_query(&srv, "SELECT '/' || slug || '/ ' FROM posts WHERE pinned = 1");
    char got[4096], want[4096];
    teasers_of("/", got, sizeof(got));
    cr_expect(strncmp(got, pinned, strlen(pinned)) == 0, "pinned first: %s", got);
    /* pages 21 and 22 start past the 300th post: the in-memory index answers them */
    for (int n = 2; n <= 23; n += n == 2 ? 18 : 1) {
        char path[32];
        snprintf(path, sizeof(path), "/page/%d/", n);
        teasers_of(path, got, sizeof(got));
        expected_page(n, want, sizeof(want));
        cr_expect_str_eq(got, want, "%s", path);
        cr_expect_null(strstr(got, pinned), "%s", path);
    }
    free(pinned);
}
