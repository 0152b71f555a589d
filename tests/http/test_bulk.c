/*
 * The post list: search in titles and bodies, filters that stay in the URL across pages,
 * and bulk actions (publish, unpublish, delete, add a tag) with their confirmation page,
 * each post's permission, the skipped ones named with a reason, and refusals of bad ids.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff editor, author, author2, contrib;

/* Staff of each role, and drafts of theirs with words to search for. */
static void desk(struct srv *s)
{
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "author2@example.org", "Bea Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "contrib@example.org", "Cal Contributor", "contributor", PW), 0);
    static const char *const posts[][3] = {
        {"Harbour cranes", "aut-author", "The zephyrquux cranes rose 100% overnight."},
        {"Tram timetable", "aut-author", "Trams run every 1000 seconds_or so."},
        {"Bea market report", "bea-author", "Stalls open at nine."},
        {"Cal first draft", "cal-contributor", "A draft about ZEPHYRQUUX weather."},
    };
    for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
        char name[32], text[512];
        snprintf(name, sizeof(name), "d%zu.md", i);
        snprintf(text, sizeof(text), "---\ntitle: %s\nauthors: [%s]\nstatus: draft\n---\n%s\n",
                 posts[i][0], posts[i][1], posts[i][2]);
        srv_add_post(s, name, text);
    }
    free(db_query(s, "INSERT INTO tags(slug, name, created_at) VALUES ('harbour', 'Harbour', 0)"));
}

HTTP_SUITE(http_bulk, srv, 120, .posts = 60, .before_start = desk);

static void login_all(void)
{
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    cr_assert_eq(staff_login(&srv, "author2@example.org", PW, &author2), 303);
    cr_assert_eq(staff_login(&srv, "contrib@example.org", PW, &contrib), 303);
}

static char *sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *sql(const char *fmt, ...)
{
    char q[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof(q), fmt, ap);
    va_end(ap);
    return db_query(&srv, q);
}

/* The id of the post titled title, as text (caller frees). */
static char *id_of(const char *title)
{
    return sql("SELECT id FROM posts WHERE title = '%s'", title);
}

static char *status_of(const char *title)
{
    return sql("SELECT status FROM posts WHERE title = '%s'", title);
}

static void expect_status(const char *title, const char *want)
{
    char *v = status_of(title);
    cr_expect_str_eq(v, want, "%s", title);
    free(v);
}

/* The list as st with query q; whether it shows each needle. */
static bool list_has(const struct staff *st, const char *q, const char *needle)
{
    struct resp r;
    staff_get(&srv, st, q, &r);
    cr_expect_eq(r.status, 200, "%s", q);
    bool has = body_has(&r, needle);
    resp_free(&r);
    return has;
}

Test(http_bulk, search_matches_bodies_and_takes_punctuation_as_text)
{
    login_all();
    cr_expect(list_has(&editor, "/admin/?q=zephyrquux", "Harbour cranes"), "a word of the body");
    cr_expect(list_has(&editor, "/admin/?q=zephyrquux", "Cal first draft"), "in any case");
    cr_expect(!list_has(&editor, "/admin/?q=zephyrquux", "Tram timetable"));
    cr_expect(list_has(&editor, "/admin/?q=timetable", "Tram timetable"), "titles still match");
    /* % and _ were LIKE's wildcards: now they separate words */
    cr_expect(list_has(&editor, "/admin/?q=100%25+rose", "Harbour cranes"));
    cr_expect(!list_has(&editor, "/admin/?q=100%25+rose", "Tram timetable"));
    cr_expect(list_has(&editor, "/admin/?q=seconds_or", "Tram timetable"));
    cr_expect(!list_has(&editor, "/admin/?q=seconds_or", "Harbour cranes"));
    cr_expect(list_has(&editor, "/admin/", "<label for=\"q\">Search</label>"));
}

Test(http_bulk, filters_stay_in_every_link_of_the_list)
{
    login_all();
    struct resp r;
    staff_get(&srv, &editor, "/admin/?q=reports&status=published&author=&tag=", &r);
    cr_assert_eq(r.status, 200);
    cr_expect(body_has(&r, "href=\"/admin/?q=reports&amp;status=published&amp;author=&amp;tag=&amp;"
                           "page=2\">Older posts"),
              "the next page keeps the words and the filters");
    cr_expect(body_has(&r,
                       "name=\"back\" value=\"/admin/?q=reports&amp;status=published&amp;author="
                       "&amp;tag=\""),
              "the bulk form carries the list's URL");
    resp_free(&r);
    staff_get(&srv, &editor, "/admin/?q=reports&status=published&page=2", &r);
    cr_expect(
        body_has(&r, "href=\"/admin/?q=reports&amp;status=published&amp;page=1\">Newer posts"));
    cr_expect(body_has(&r, "value=\"/admin/?q=reports&amp;status=published&amp;page=2\""));
    resp_free(&r);
}

/* POSTs a bulk form as st (form without csrf). */
static int bulk(const struct staff *st, const char *form, struct resp *r)
{
    staff_post(&srv, st, "/admin/posts/bulk/", form, r);
    return r->status;
}

Test(http_bulk, publish_asks_first_then_publishes_both_and_returns_to_the_list)
{
    login_all();
    char *a = id_of("Harbour cranes"), *b = id_of("Tram timetable"), form[512];
    snprintf(form, sizeof(form),
             "action=publish&ids=%s&ids=%s&back=%%2Fadmin%%2F%%3Fstatus%%3Ddraft"
             "%%26q%%3Dr",
             a, b);
    struct resp r;
    cr_expect_eq(bulk(&editor, form, &r), 200);
    cr_expect(body_has(&r, "Publish these 2 posts?"), "%s", r.body);
    cr_expect(body_has(&r, "Harbour cranes") && body_has(&r, "Tram timetable"));
    cr_expect(body_has(&r, ">Cancel</a>") && body_has(&r, "Publish 2 posts</button>"));
    resp_free(&r);
    expect_status("Harbour cranes", "draft");
    cr_expect(strlen(form) + 10 < sizeof(form));
    strcat(form, "&confirm=1");
    cr_expect_eq(bulk(&editor, form, &r), 303);
    char *loc = resp_header(&r, "location");
    cr_expect_str_eq(loc, "/admin/?status=draft&q=r", "back to the very list");
    free(loc);
    resp_free(&r);
    expect_status("Harbour cranes", "published");
    expect_status("Tram timetable", "published");
    char *n = db_query(&srv, "SELECT count(*) FROM audit WHERE action = 'publish'");
    cr_expect_str_eq(n, "2", "an audit line per post");
    free(n);
    n = db_query(&srv, "SELECT count(*) FROM revisions WHERE action = 'publish'");
    cr_expect_str_eq(n, "2");
    free(n);
    http_req(&srv, "GET", "/", &r);
    cr_expect(body_has(&r, "Harbour cranes") && body_has(&r, "Tram timetable"),
              "both on the home page at once");
    resp_free(&r);
    free(a);
    free(b);
}

Test(http_bulk, unpublish_tag_and_delete_each_do_what_they_say)
{
    login_all();
    char *pub = db_query(&srv, "SELECT group_concat('ids=' || id, '&') FROM (SELECT id FROM"
                               " posts WHERE status = 'published' ORDER BY id LIMIT 2) AS x");
    char *before = db_query(&srv, "SELECT count(*) FROM posts WHERE status = 'published'");
    char *tag = db_query(&srv, "SELECT id FROM tags WHERE slug = 'harbour'");
    char *a = id_of("Harbour cranes"), *b = id_of("Tram timetable"), form[512];
    struct resp r;
    snprintf(form, sizeof(form), "action=unpublish&%s&confirm=1&back=%%2Fadmin%%2F", pub);
    cr_expect_eq(bulk(&editor, form, &r), 303);
    resp_free(&r);
    char *n = db_query(&srv, "SELECT count(*) FROM audit WHERE action = 'unpublish'");
    cr_expect_str_eq(n, "2");
    free(n);
    n = db_query(&srv, "SELECT count(*) FROM posts WHERE status = 'published'");
    cr_expect_eq(atol(n), atol(before) - 2, "both are drafts again");
    free(n);
    free(before);
    snprintf(form, sizeof(form), "action=tag&add_tag=%s&ids=%s&ids=%s&confirm=1", tag, a, b);
    cr_expect_eq(bulk(&editor, form, &r), 303);
    resp_free(&r);
    n = sql("SELECT count(*) FROM post_tags WHERE tag_id = %s", tag);
    cr_expect_str_eq(n, "2", "both tagged");
    free(n);
    /* delete: the tick is needed, then both are gone */
    snprintf(form, sizeof(form), "action=delete&ids=%s&ids=%s&confirm=1", a, b);
    cr_expect_eq(bulk(&editor, form, &r), 400);
    cr_expect(body_has(&r, "Yes, delete these posts for good"));
    resp_free(&r);
    n = sql("SELECT count(*) FROM posts WHERE id = %s", a);
    cr_expect_str_eq(n, "1", "nothing deleted without the tick");
    free(n);
    strcat(form, "&sure=yes");
    cr_expect_eq(bulk(&editor, form, &r), 303);
    resp_free(&r);
    n = db_query(&srv, "SELECT count(*) FROM posts"
                       " WHERE title IN ('Harbour cranes', 'Tram timetable')");
    cr_expect_str_eq(n, "0");
    free(n);
    n = db_query(&srv, "SELECT count(*) FROM audit WHERE action = 'delete'");
    cr_expect_str_eq(n, "2");
    free(n);
    free(pub);
    free(tag);
    free(a);
    free(b);
}

Test(http_bulk, posts_one_may_not_touch_are_skipped_with_the_reason)
{
    login_all();
    char *own = id_of("Harbour cranes"), *other = id_of("Bea market report");
    char *cal = id_of("Cal first draft"), form[512];
    struct resp r;
    snprintf(form, sizeof(form), "action=publish&ids=%s&ids=%s", own, other);
    cr_expect_eq(bulk(&author, form, &r), 200);
    cr_expect(body_has(&r, "Publish this 1 post?"), "%s", r.body);
    cr_expect(body_has(&r, "Skipped") && body_has(&r, "authors can edit only their own posts"));
    resp_free(&r);
    strcat(form, "&confirm=1");
    cr_expect_eq(bulk(&author, form, &r), 200, "the result names what was skipped");
    cr_expect(body_has(&r, "Publish: 1 post done"));
    cr_expect(body_has(&r, "authors can edit only their own posts"));
    resp_free(&r);
    expect_status("Harbour cranes", "published");
    expect_status("Bea market report", "draft");
    /* a contributor publishes nothing, even their own */
    snprintf(form, sizeof(form), "action=publish&ids=%s&confirm=1", cal);
    cr_expect_eq(bulk(&contrib, form, &r), 200);
    cr_expect(body_has(&r, "nothing to do") && body_has(&r, "contributors cannot publish"));
    resp_free(&r);
    expect_status("Cal first draft", "draft");
    /* an author deletes only their own */
    snprintf(form, sizeof(form), "action=delete&ids=%s&confirm=1&sure=yes", other);
    cr_expect_eq(bulk(&author, form, &r), 200);
    cr_expect(body_has(&r, "only an editor, or the post&#39;s own author") ||
                  body_has(&r, "only an editor, or the post&#x27;s own author") ||
                  body_has(&r, "only an editor, or the post's own author"),
              "%s", r.body);
    resp_free(&r);
    expect_status("Bea market report", "draft");
    free(own);
    free(other);
    free(cal);
}

Test(http_bulk, bad_ids_actions_and_tags_are_refused_and_change_nothing)
{
    login_all();
    char *a = id_of("Harbour cranes");
    struct resp r;
    static const char *const bad[][2] = {
        {"action=publish&ids=abc&confirm=1", "abc&#39; is not a post id"},
        {"action=publish&ids=-4&confirm=1", "is not a post id"},
        {"action=publish&ids=99999999&confirm=1", "there is no post 99999999"},
        {"action=publish&confirm=1", "tick at least one post"},
        {"action=launch&ids=1&confirm=1", "choose an action"},
        {"action=tag&add_tag=987654&ids=1&confirm=1", "choose an existing tag"},
        {"action=tag&ids=1&confirm=1", "choose the tag to add"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        cr_expect_eq(bulk(&editor, bad[i][0], &r), 400, "%s", bad[i][0]);
        cr_expect(body_has(&r, bad[i][1]), "%s: %s", bad[i][0], bad[i][1]);
        resp_free(&r);
    }
    char form[4096];
    snprintf(form, sizeof(form), "action=publish&ids=%s&ids=%s&confirm=1", a, a);
    cr_expect_eq(bulk(&editor, form, &r), 400);
    cr_expect(body_has(&r, "is named twice"));
    resp_free(&r);
    size_t n = (size_t)snprintf(form, sizeof(form), "action=publish&confirm=1");
    for (int i = 1; i <= 201; i++)
        n += (size_t)snprintf(form + n, sizeof(form) - n, "&ids=%d", i);
    cr_expect_eq(bulk(&editor, form, &r), 400);
    cr_expect(body_has(&r, "at most 200 posts"));
    resp_free(&r);
    expect_status("Harbour cranes", "draft");
    /* a back that leaves the newsroom goes to the list instead */
    snprintf(form, sizeof(form),
             "action=publish&ids=%s&confirm=1&back=https%%3A%%2F%%2Fevil.example%%2F", a);
    cr_expect_eq(bulk(&editor, form, &r), 303);
    char *loc = resp_header(&r, "location");
    cr_expect_str_eq(loc, "/admin/");
    free(loc);
    resp_free(&r);
    free(a);
}
