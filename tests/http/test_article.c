/*
 * The article as readers of a news site expect it (issue 15, point 3) and settings a
 * person can use (point 6): the byline with avatars under the headline, the standfirst,
 * share links, the site's name once on the home page, the navigation from the settings,
 * the brand colour with its contrast checked, and a new time zone shown without a restart.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TITLE "The Daily Desk" /* the demo's */
#define PW "a long and private passphrase"
#define STANDFIRST "Borrowing costs climb for the third time this year, and shops brace for it."

static struct srv srv;
static struct staff admin;
static char key[27];

static void story_and_admin(struct srv *s)
{
    cr_assert_eq(staff_add(s, "ada@example.org", "Ada Admin", "administrator", PW), 0);
    srv_add_post(s, "share.md",
                 "---\n"
                 "title: Rates rise & markets fall: what’s next?\n"
                 "slug: share-test\n"
                 "excerpt: " STANDFIRST "\n"
                 "tags: [News Feed]\n"
                 "authors: [news-desk, ada-admin]\n"
                 "published_at: 2026-11-20T10:15:00Z\n"
                 "---\n"
                 "The central bank raised its rate by a quarter point on Friday.\n");
    srv_content_key(s, key);
}

HTTP_SUITE(http_article, srv, 120, .posts = 3, .before_start = story_and_admin);

static void get(const char *path, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    cr_assert_eq(r->status, 200, "GET %s: %d", path, r->status);
}

/* How often needle occurs in the body between open and close. */
static size_t count_between(const struct resp *r, const char *open, const char *close,
                            const char *needle)
{
    char *part = body_between(r, open, close);
    size_t n = 0;
    for (const char *p = part; p && (p = strstr(p, needle)); p += strlen(needle))
        n++;
    free(part);
    return n;
}

/* Where needle first is in the body, or -1. */
static long at(const struct resp *r, const char *needle)
{
    const char *p = strstr(r->body, needle);
    return p ? p - r->body : -1;
}

/* Polls path until its body has needle (a CLI change reaches the server within a second). */
static bool eventually_has(const char *path, const char *needle)
{
    for (int i = 0; i < 50; i++) {
        struct resp r;
        http_req(&srv, "GET", path, &r);
        bool has = r.status == 200 && body_has(&r, needle);
        resp_free(&r);
        if (has)
            return true;
        usleep(100 * 1000);
    }
    return false;
}

/* Every setting as the settings page posts it, with extra ("&key=value...") after. */
static void post_settings(const char *extra, struct resp *r)
{
    char form[4096];
    snprintf(form, sizeof(form),
             "title=Newsdesk&description=News&url=http%%3A%%2F%%2F127.0.0.1%%3A8080&language=en"
             "&posts_per_page=15&contact_email=&logo=&icon=%s",
             extra);
    staff_post(&srv, &admin, "/admin/settings/", form, r);
}

static void login(void)
{
    cr_assert_eq(staff_login(&srv, "ada@example.org", PW, &admin), 303);
}

Test(http_article, byline_with_avatars_and_the_time_under_the_headline)
{
    struct resp r;
    get("/share-test/", &r);
    long h1 = at(&r, "<h1 class=\"post-title\">"), byline = at(&r, "<p class=\"byline\">");
    long when = at(&r, "<time datetime=\"2026-11-20T10:15:00+00:00\">");
    long body = at(&r, "<div class=\"post-body\">");
    cr_assert(h1 > 0 && byline > h1 && when > byline && body > when,
              "headline, byline, time, body in that order: %ld %ld %ld %ld", h1, byline, when,
              body);
    char *b = body_between(&r, "<p class=\"byline\">", "</p>");
    cr_assert(b);
    /* the desk with its avatar, the reporter with initials, each linking to their page */
    cr_expect(strstr(b, "href=\"/author/news-desk/\""), "%s", b);
    cr_expect(strstr(b, "<img class=\"byline-avatar\" src=\"/assets/avatars/desk.svg"), "%s", b);
    cr_expect(strstr(b, "href=\"/author/ada-admin/\""), "%s", b);
    cr_expect(strstr(b, "aria-hidden=\"true\">AA</span>"), "%s", b);
    cr_expect(strstr(b, "News Desk</span></a> and <a"), "two names joined by 'and': %s", b);
    free(b);
    /* the author cards at the foot stay */
    cr_expect_eq(body_count(&r, "class=\"author-card\""), 2);
    resp_free(&r);
}

Test(http_article, the_custom_excerpt_is_the_standfirst_once)
{
    struct resp r;
    get("/share-test/", &r);
    long h1 = at(&r, "<h1 class=\"post-title\">"), sf = at(&r, "<p class=\"standfirst\">");
    cr_expect(sf > h1 && sf < at(&r, "<p class=\"byline\">"), "under the headline: %ld %ld", h1,
              sf);
    cr_expect(body_has(&r, "<p class=\"standfirst\">" STANDFIRST "</p>"));
    cr_expect_eq(count_between(&r, "<main", "</main>", STANDFIRST), 1,
                 "the standfirst is not repeated in the article");
    resp_free(&r);
    /* a story without a custom excerpt has no standfirst */
    http_req(&srv, "GET", "/", &r);
    char *first = body_attr(&r, "class=\"teaser-title\"><a href");
    resp_free(&r);
    if (first && strcmp(first, "/share-test/") != 0) {
        get(first, &r);
        cr_expect(!body_has(&r, "class=\"standfirst\""));
        resp_free(&r);
    }
    free(first);
}

Test(http_article, share_links_carry_the_address_and_title_encoded)
{
    struct resp r;
    get("/share-test/", &r);
    const char *u = "http%3A%2F%2F127.0.0.1%3A8080%2Fshare-test%2F";
    const char *t = "Rates%20rise%20%26%20markets%20fall%3A%20what%E2%80%99s%20next%3F";
    char want[6][512];
    snprintf(want[0], 512, "href=\"https://x.com/intent/post?url=%s&amp;text=%s\"", u, t);
    snprintf(want[1], 512, "href=\"https://www.facebook.com/sharer/sharer.php?u=%s\"", u);
    snprintf(want[2], 512, "href=\"https://www.linkedin.com/sharing/share-offsite/?url=%s\"", u);
    snprintf(want[3], 512, "href=\"https://t.me/share/url?url=%s&amp;text=%s\"", u, t);
    snprintf(want[4], 512, "href=\"https://wa.me/?text=%s%%20%s\"", t, u);
    snprintf(want[5], 512, "href=\"mailto:?subject=%s&amp;body=%s\"", t, u);
    for (int i = 0; i < 6; i++)
        cr_expect(body_has(&r, want[i]), "no %s", want[i]);
    cr_expect_eq(count_between(&r, "<section class=\"share\"", "</section>", "rel=\"noopener\""),
                 6);
    /* Copy link: hidden until the script shows it, with the canonical address */
    cr_expect(body_has(&r,
                       "<li class=\"share-copy-item\" hidden><button type=\"button\" "
                       "class=\"share-copy\" data-copy=\"http://127.0.0.1:8080/share-test/\">"));
    cr_expect(body_has(&r, "class=\"share-status visually-hidden\" role=\"status\""));
    /* nothing is loaded from the networks: every script is ours */
    cr_expect_eq(body_count(&r, "<script src=\"http"), 0);
    cr_expect_eq(body_count(&r, "<iframe"), 0);
    resp_free(&r);
}

Test(http_article, the_sites_name_is_the_one_heading_of_the_home_page)
{
    struct resp r;
    get("/", &r);
    cr_expect_eq(body_count(&r, "<h1"), 1);
    char *h1 = body_between(&r, "<h1", "</h1>");
    cr_assert(h1);
    cr_expect(strstr(h1, "class=\"brand\" href=\"/\" aria-current=\"page\">" TITLE "</a>"), "%s",
              h1);
    free(h1);
    cr_expect_eq(count_between(&r, "<header class=\"masthead\">", "</main>", ">" TITLE "<"), 1,
                 "the name once at the top of the page");
    resp_free(&r);
    /* elsewhere the brand is a link and the page has its own heading */
    get("/share-test/", &r);
    cr_expect_eq(body_count(&r, "<h1"), 1);
    cr_expect(body_has(&r, "<a class=\"brand\" href=\"/\">" TITLE "</a>"));
    resp_free(&r);
}

Test(http_article, navigation_from_the_setting_marks_the_current_section)
{
    struct resp r;
    /* the default: the one section the theme always had */
    get("/tag/news-feed/", &r);
    cr_expect(body_has(&r, "<li><a href=\"/tag/news-feed/\" aria-current=\"page\">News "
                           "Feed</a></li>"));
    resp_free(&r);
    char *err = NULL;
    cr_assert_eq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "navigation",
                              "[{\"label\":\"Home\",\"url\":\"/\"},{\"label\":\"News\",\"url\":"
                              "\"/tag/news-feed/\"},{\"label\":\"About us\",\"url\":"
                              "\"https://example.org/about?x=1&y=2\"}]",
                              NULL),
                 0, "%s", err);
    free(err);
    cr_assert(eventually_has("/tag/news-feed/", ">About us</a>"));
    get("/tag/news-feed/", &r);
    cr_expect(body_has(&r, "<li><a href=\"/\">Home</a></li>"));
    cr_expect(body_has(&r, "<li><a href=\"/tag/news-feed/\" aria-current=\"page\">News</a></li>"));
    cr_expect(body_has(&r, "<li><a href=\"https://example.org/about?x=1&amp;y=2\">About "
                           "us</a></li>"));
    cr_expect_eq(body_count(&r, "aria-current=\"page\""), 1);
    resp_free(&r);
    get("/", &r);
    cr_expect(body_has(&r, "<li><a href=\"/\" aria-current=\"page\">Home</a></li>"));
    resp_free(&r);
    http_req(&srv, "GET", "/no-such-story/", &r); /* an error page is none of the menu's pages */
    cr_expect_eq(r.status, 404);
    cr_expect(body_has(&r, "<li><a href=\"/\">Home</a></li>"), "%s", r.body);
    cr_expect_eq(body_count(&r, "aria-current=\"page\""), 0);
    resp_free(&r);
    /* the Content API lists it as Ghost does */
    char path[128];
    snprintf(path, sizeof(path), "/ghost/api/content/settings/?key=%s", key);
    get(path, &r);
    cr_expect(body_has(&r, "\"navigation\":[{\"label\":\"Home\",\"url\":\"/\"},{\"label\":"
                           "\"News\",\"url\":\"/tag/news-feed/\"}"),
              "%s", r.body);
    resp_free(&r);
    /* bad ones are refused with what is wrong */
    cr_expect_neq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "navigation",
                               "[{\"label\":\"X\",\"url\":\"javascript:alert(1)\"}]", NULL),
                  0);
    cr_expect(err && strstr(err, "navigation link 'X' needs an address"), "%s", err);
    free(err);
    cr_expect_neq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "navigation",
                               "{\"label\":\"X\"}", NULL),
                  0);
    cr_expect(err && strstr(err, "JSON array"), "%s", err);
    free(err);
}

Test(http_article, navigation_as_rows_on_the_settings_page)
{
    login();
    struct resp r;
    staff_get(&srv, &admin, "/admin/settings/", &r);
    cr_expect(body_has(&r, "<legend>Navigation</legend>"));
    cr_expect(body_has(&r, "<label for=\"nav_label_0\">Label 1</label>"));
    cr_expect(body_has(&r, "name=\"nav_url_0\" type=\"text\" value=\"/tag/news-feed/\""));
    cr_expect(body_has(&r, "name=\"nav_label_3\""), "three empty rows for new links");
    resp_free(&r);
    post_settings(
        "&timezone=UTC&accent_color=&nav_rows=1&nav_label_0=World&nav_url_0=%2Ftag%2Fworld%2F"
        "&nav_label_1=&nav_url_1=&nav_label_2=Sport&nav_url_2=%2Ftag%2Fsport%2F",
        &r);
    cr_expect_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    get("/", &r);
    long world = at(&r, "<li><a href=\"/tag/world/\">World</a></li>");
    long sport = at(&r, "<li><a href=\"/tag/sport/\">Sport</a></li>");
    cr_expect(world > 0 && sport > world, "the rows in order: %ld %ld", world, sport);
    cr_expect_eq(count_between(&r, "<nav aria-label=\"Sections\">", "</nav>", "<li>"), 2,
                 "the empty row dropped");
    resp_free(&r);
    /* a row with a label and no address is refused, and the form shows it again */
    post_settings("&timezone=UTC&accent_color=&nav_rows=1&nav_label_0=World&nav_url_0=", &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "navigation link &#39;World&#39; needs an address") ||
                  body_has(&r, "navigation link &#x27;World&#x27; needs an address"),
              "%s", r.body);
    cr_expect(body_has(&r, "name=\"nav_label_0\" type=\"text\" value=\"World\""));
    resp_free(&r);
    char *v = db_query(&srv, "SELECT value FROM settings WHERE key = 'navigation'");
    cr_expect_str_eq(v, "[{\"label\":\"World\",\"url\":\"/tag/world/\"},{\"label\":\"Sport\","
                        "\"url\":\"/tag/sport/\"}]");
    free(v);
}

/* The theme's stylesheet as the home page links it. */
static void stylesheet(struct resp *r)
{
    struct resp home;
    get("/", &home);
    char *css = body_between(&home, "<link rel=\"stylesheet\" href=\"", "\"");
    resp_free(&home);
    cr_assert(css);
    get(css, r);
    free(css);
}

Test(http_article, the_brand_colour_is_applied_and_a_colour_without_contrast_refused)
{
    char *err = NULL;
    cr_assert_eq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "accent_color",
                              "#1A5FB4", NULL),
                 0, "%s", err);
    free(err);
    struct resp r;
    for (int i = 0; i < 50; i++) {
        stylesheet(&r);
        if (body_has(&r, "--accent: #1A5FB4;"))
            break;
        resp_free(&r);
        usleep(100 * 1000);
    }
    cr_assert(body_has(&r, "@media screen and (prefers-color-scheme: light) { :root { --accent: "
                           "#1A5FB4; } }"));
    resp_free(&r);
    char path[128];
    snprintf(path, sizeof(path), "/ghost/api/content/settings/?key=%s", key);
    get(path, &r);
    cr_expect(body_has(&r, "\"accent_color\":\"#1A5FB4\""), "%s", r.body);
    resp_free(&r);
    /* yellow on white: 1.07:1, refused by the command line... */
    cr_expect_neq(run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "accent_color",
                               "#ffff00", NULL),
                  0);
    cr_expect(err && strstr(err, "contrast of 1.07:1") && strstr(err, "at least 4.5:1"), "%s", err);
    free(err);
    /* ...and by the settings page, which says the same and changes nothing */
    login();
    post_settings("&timezone=UTC&accent_color=%23777777", &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "contrast of 4.47:1") && body_has(&r, "at least 4.5:1"), "%s", r.body);
    resp_free(&r);
    char *v = db_query(&srv, "SELECT value FROM settings WHERE key = 'accent_color'");
    cr_expect_str_eq(v, "#1A5FB4");
    free(v);
    cr_expect_neq(
        run_newsdesk(NULL, &err, "settings", "set", "--db", srv.db, "accent_color", "red", NULL),
        0);
    cr_expect(err && strstr(err, "#RRGGBB"), "%s", err);
    free(err);
    /* the settings page shows the colour with its contrast */
    staff_get(&srv, &admin, "/admin/settings/", &r);
    cr_expect(body_has(&r, "type=\"color\""));
    cr_expect(body_has(&r, "Contrast with white: 6.28:1, enough (4.5:1 needed)."), "%s", r.body);
    resp_free(&r);
}

Test(http_article, a_new_time_zone_shows_at_once)
{
    struct resp r;
    get("/share-test/", &r);
    cr_expect(body_has(&r, "<time datetime=\"2026-11-20T10:15:00+00:00\">20 November 2026, "
                           "10:15</time>"));
    resp_free(&r);
    login();
    post_settings("&timezone=Europe%2FKyiv&accent_color=", &r);
    cr_expect_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    get("/share-test/", &r);
    cr_expect(body_has(&r, "<time datetime=\"2026-11-20T12:15:00+02:00\">20 November 2026, "
                           "12:15</time>"),
              "the article's time in Kyiv, without a restart");
    resp_free(&r);
    /* the command line's change too */
    cr_assert_eq(run_newsdesk(NULL, NULL, "settings", "set", "--db", srv.db, "timezone",
                              "America/New_York", NULL),
                 0);
    cr_expect(eventually_has("/share-test/", "<time datetime=\"2026-11-20T05:15:00-05:00\">"));
    /* an unknown zone is refused, and the page offers the system's */
    post_settings("&timezone=Mars%2FOlympus_Mons&accent_color=", &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "unknown time zone"), "%s", r.body);
    resp_free(&r);
    staff_get(&srv, &admin, "/admin/settings/", &r);
    cr_expect(body_has(&r, "<select id=\"timezone\" name=\"timezone\""));
    cr_expect(body_has(&r, "<option selected>America/New_York</option>"));
    cr_expect(body_has(&r, "<option>Europe/Kyiv</option>"));
    cr_expect(body_has(&r, "<option>UTC</option>"));
    resp_free(&r);
}

Test(http_article, every_setting_has_a_label_and_help)
{
    login();
    struct resp r;
    staff_get(&srv, &admin, "/admin/settings/", &r);
    cr_assert_eq(r.status, 200);
    const char *labelled[] = {"title",    "description",    "url",           "language",
                              "timezone", "posts_per_page", "contact_email", "logo",
                              "icon",     "accent_color"};
    for (size_t i = 0; i < sizeof(labelled) / sizeof(labelled[0]); i++) {
        char want[128];
        snprintf(want, sizeof(want), "<label for=\"%s\">", labelled[i]);
        cr_expect(body_has(&r, want), "no label for %s", labelled[i]);
        snprintf(want, sizeof(want), "aria-describedby=\"%s-help", labelled[i]);
        cr_expect(body_has(&r, want), "no help for %s", labelled[i]);
    }
    cr_expect(body_has(&r, "<label for=\"timezone\">Time zone</label>"));
    cr_expect(body_has(&r, "<label for=\"accent_color\">Brand colour</label>"));
    cr_expect(body_has(&r, "<legend>Logo</legend>"));
    resp_free(&r);
}
