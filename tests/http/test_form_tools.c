/*
 * The editor's form tools through the real server: the pickers' look-ups (matches,
 * limits, escaping, no login e-mail), the refusal of a tag nobody confirmed (and the
 * confirmed one created), bylines that are nobody's, the word count the preview
 * answers with against the site's "N min read", and preview links for drafts: the page,
 * its headers, and the tampered, expired, deleted and published cases.
 */
#include "staff.h"

#include "auth/auth.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff editor, author, contrib;

static void newsroom(struct srv *s)
{
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "contrib@example.org", "Cal Contributor", "contributor", PW), 0);
    srv_add_post(s, "tags.md",
                 "---\ntitle: Tag seed\ntags: [Politics, Tom & Jerry <b>, Zed 01, Zed 02, Zed 03, "
                 "Zed 04, Zed 05, Zed 06, Zed 07, Zed 08, Zed 09, Zed 10, Zed 11, Zed 12, Zed 13, "
                 "Zed 14, Zed 15, Zed 16, Zed 17, Zed 18, Zed 19, Zed 20, Zed 21, Zed 22]\n---\n"
                 "Seed.\n");
}

HTTP_SUITE(http_form_tools, srv, 120, .posts = 3, .before_start = newsroom);

static void login_all(void)
{
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    cr_assert_eq(staff_login(&srv, "contrib@example.org", PW, &contrib), 303);
}

static long count(const char *sql)
{
    char *v = db_query(&srv, sql);
    long n = atol(v);
    free(v);
    return n;
}

/* POSTs the editor's form (fields already encoded after title and markdown). */
static void save_new(const struct staff *st, const char *title, const char *body, const char *more,
                     struct resp *r)
{
    char *t = form_enc(title), *b = form_enc(body);
    char form[16384];
    snprintf(form, sizeof(form), "title=%s&markdown=%s&%s", t, b, more);
    free(t);
    free(b);
    staff_post(&srv, st, "/admin/posts/new/", form, r);
}

/* ---- the pickers' look-ups ------------------------------------------------------------ */

Test(http_form_tools, tag_lookup_matches_limits_and_escapes)
{
    login_all();
    struct resp r;
    staff_get(&srv, &editor, "/admin/api/tags/?q=pol", &r);
    cr_assert_eq(r.status, 200);
    char *ct = resp_header(&r, "content-type"), *cc = resp_header(&r, "cache-control");
    cr_expect(ct && strstr(ct, "application/json"), "%s", ct);
    cr_expect(cc && strstr(cc, "no-store"), "%s", cc);
    cr_expect(body_has(&r, "{\"name\":\"Politics\",\"slug\":\"politics\"}"), "%s", r.body);
    cr_expect(!body_has(&r, "Zed"), "only matches: %s", r.body);
    free(ct), free(cc), resp_free(&r);

    staff_get(&srv, &editor, "/admin/api/tags/?q=jerry", &r);
    cr_expect(body_has(&r, "Tom \\u0026 Jerry \\u003cb\\u003e"), "escaped for any page: %s",
              r.body);
    cr_expect(!body_has(&r, "<b>"), "%s", r.body);
    resp_free(&r);

    staff_get(&srv, &editor, "/admin/api/tags/?q=zed", &r);
    cr_expect_eq(body_count(&r, "\"slug\":"), 20, "at most 20: %s", r.body);
    resp_free(&r);

    staff_get(&srv, &editor, "/admin/api/tags/?q=50%25_", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "{\"items\":[]}"), "LIKE's wildcards are literal: %s", r.body);
    resp_free(&r);

    http_req(&srv, "GET", "/admin/api/tags/?q=pol", &r);
    cr_expect_neq(r.status, 200, "strangers get no answer");
    cr_expect(!body_has(&r, "Politics"));
    resp_free(&r);
}

Test(http_form_tools, staff_lookup_names_bylines_without_login_emails)
{
    login_all();
    struct resp r;
    staff_get(&srv, &contrib, "/admin/api/staff/?q=ed", &r);
    cr_assert_eq(r.status, 200);
    cr_expect(body_has(&r, "\"name\":\"Eda Editor\""), "%s", r.body);
    cr_expect(body_has(&r, "\"role\":\"editor\""), "%s", r.body);
    resp_free(&r);
    staff_get(&srv, &contrib, "/admin/api/staff/?q=", &r);
    cr_expect(body_has(&r, "Aut Author") && body_has(&r, "Cal Contributor"), "%s", r.body);
    cr_expect(!body_has(&r, "@example.org") && !body_has(&r, "email"), "no e-mail: %s", r.body);
    resp_free(&r);
    staff_get(&srv, &contrib, "/admin/api/staff/?q=example.org", &r);
    cr_expect(body_has(&r, "{\"items\":[]}"), "e-mails are not searched either: %s", r.body);
    resp_free(&r);
}

/* ---- new tags only when confirmed ------------------------------------------------------ */

Test(http_form_tools, an_unknown_tag_is_refused_with_the_text_kept)
{
    login_all();
    long posts = count("SELECT count(*) FROM posts");
    struct resp r;
    save_new(&editor, "Vote count", "Every word **kept**.", "tags=Polotics&action=save", &r);
    cr_assert_eq(r.status, 400, "%s", r.head);
    cr_expect(body_has(&r, "“Polotics” is not a tag yet. Did you mean “Politics”? Tick to "
                           "create it."),
              "%s", r.body);
    cr_expect(body_has(&r, "name=\"new_tags\" value=\"Polotics\""), "a checkbox to confirm it");
    cr_expect(body_has(&r, "value=\"Vote count\""), "the title is kept");
    cr_expect(body_has(&r, "Every word **kept**."), "the body is kept");
    cr_expect(body_has(&r, "name=\"tags\" type=\"text\" value=\"Polotics\""), "the tags are kept");
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM tags WHERE slug = 'polotics'"), 0, "no tag made");
    cr_expect_eq(count("SELECT count(*) FROM posts"), posts, "no post made");

    /* a confirmed one is made, a second unconfirmed one still stops the save */
    save_new(&editor, "Vote count", "x", "tags=Polotics%2C+Elections&new_tags=Polotics&action=save",
             &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "“Elections” is not a tag yet.") && !body_has(&r, "“Polotics” is not"),
              "%s", r.body);
    cr_expect(body_has(&r, "value=\"Polotics\" checked"), "the confirmation is kept");
    resp_free(&r);
    save_new(&editor, "Vote count", "x",
             "tags=Polotics%2C+Elections&new_tags=Polotics&new_tags=Elections&action=save", &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE "
             "pt.post_id = %ld AND t.slug IN ('polotics', 'elections')",
             id);
    cr_expect_eq(count(sql), 2, "both confirmed tags made and given");
}

Test(http_form_tools, existing_tags_need_no_confirmation_and_contributors_cannot_create)
{
    login_all();
    struct resp r;
    save_new(&editor, "Known tags", "x", "tags=politics%2C+Zed+01&action=save", &r);
    cr_expect_eq(r.status, 303, "names match tags by slug: %s", r.body);
    resp_free(&r);
    save_new(&contrib, "New tag", "x", "tags=Gossip&new_tags=Gossip&action=save", &r);
    cr_expect_eq(r.status, 403);
    cr_expect(body_has(&r, "“Gossip” is not a tag yet. Your role cannot create tags"), "%s",
              r.body);
    cr_expect(!body_has(&r, "name=\"new_tags\""), "no checkbox for a role that cannot");
    resp_free(&r);
    cr_expect_eq(count("SELECT count(*) FROM tags WHERE slug = 'gossip'"), 0);
}

Test(http_form_tools, a_byline_that_is_nobodys_is_refused_clearly)
{
    login_all();
    struct resp r;
    save_new(&editor, "Bylines", "x", "authors=eda-editr&action=save", &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "“eda-editr” is nobody&#39;s byline. Did you mean “eda-editor” (Eda "
                           "Editor)?") ||
                  body_has(&r, "“eda-editr” is nobody&#x27;s byline. Did you mean “eda-editor”"),
              "%s", body_after(&r, "role=\"alert\">", "<"));
    cr_expect(body_has(&r, "value=\"eda-editr\""), "the authors are kept");
    resp_free(&r);
}

/* ---- word count ------------------------------------------------------------------------- */

/* A body of n words, an image when image is set. */
static char *words(int n, bool image)
{
    char *s = malloc((size_t)n * 8 + 64);
    size_t k = 0;
    for (int i = 0; i < n; i++)
        k += (size_t)sprintf(s + k, "word%d ", i % 10);
    if (image)
        k += (size_t)sprintf(s + k, "\n\n![a](https://example.org/a.png)\n");
    s[k] = '\0';
    return s;
}

static void preview_counts(const char *md, long *w, long *m)
{
    char *b = form_enc(md);
    char *form = malloc(strlen(b) + 32);
    sprintf(form, "markdown=%s", b);
    struct resp r;
    staff_post(&srv, &editor, "/admin/preview/", form, &r);
    cr_assert_eq(r.status, 200);
    char *hw = resp_header(&r, "x-word-count"), *hm = resp_header(&r, "x-reading-minutes");
    cr_assert(hw && hm, "%s", r.head);
    *w = atol(hw);
    *m = atol(hm);
    free(hw), free(hm), free(b), free(form), resp_free(&r);
}

Test(http_form_tools, the_word_count_matches_the_sites_reading_time)
{
    login_all();
    static const struct {
        int n;
        bool image;
    } cases[] = {{5, false}, {700, false}, {1000, true}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *md = words(cases[i].n, cases[i].image);
        long w, m;
        preview_counts(md, &w, &m);
        cr_expect_eq(w, cases[i].n, "words of case %zu", i);
        char title[64], path[128], *b = form_enc(md);
        snprintf(title, sizeof(title), "Reading time %zu", i);
        char *form = malloc(strlen(b) + 128);
        sprintf(form, "title=Reading+time+%zu&markdown=%s&action=publish", i, b);
        struct resp r;
        staff_post(&srv, &editor, "/admin/posts/new/", form, &r);
        cr_assert_eq(r.status, 303, "%s", r.body);
        resp_free(&r);
        snprintf(path, sizeof(path), "/reading-time-%zu/", i);
        http_req(&srv, "GET", path, &r);
        char *label = body_after(&r, "<span class=\"reading-time\">", "<");
        char want[32];
        snprintf(want, sizeof(want), "%ld min read", m < 1 ? 1 : m);
        cr_expect(label && strcmp(label, want) == 0, "site says '%s', the editor %s", label, want);
        free(label), free(b), free(form), free(md), resp_free(&r);
    }
}

Test(http_form_tools, the_form_shows_the_count_when_it_opens)
{
    login_all();
    char *md = words(312, false), *b = form_enc(md);
    char *form = malloc(strlen(b) + 64);
    sprintf(form, "title=Counted&markdown=%s&action=save", b);
    struct resp r;
    staff_post(&srv, &editor, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303);
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", post_id_of(&r));
    resp_free(&r);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "aria-live=\"polite\">312 words · 1 min read</p>"), "%s",
              body_after(&r, "id=\"word-count\"", "<"));
    free(md), free(b), free(form), resp_free(&r);
}

/* ---- preview links ---------------------------------------------------------------------- */

static long draft(const struct staff *st, const char *title)
{
    char *t = form_enc(title);
    char form[512];
    snprintf(form, sizeof(form), "title=%s&markdown=Secret+%%2A%%2Aplans%%2A%%2A.&action=save", t);
    free(t);
    struct resp r;
    staff_post(&srv, st, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    return id;
}

/* Shares post id as st: the token from the redirect (malloc'd), or NULL with *status. */
static char *share(const struct staff *st, long id, int *status)
{
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/share/", id);
    struct resp r;
    staff_post(&srv, st, path, "", &r);
    *status = r.status;
    char *loc = resp_header(&r, "location");
    resp_free(&r);
    char *at = loc ? strstr(loc, "preview_link=") : NULL;
    char *token = at ? strndup(at + 13, strcspn(at + 13, "#&")) : NULL;
    free(loc);
    return token;
}

static void get_preview(const char *token, struct resp *r)
{
    char path[256];
    snprintf(path, sizeof(path), "/preview/%s/", token);
    http_req(&srv, "GET", path, r);
}

static void expect_private(const struct resp *r)
{
    char *cc = resp_header(r, "cache-control"), *robots = resp_header(r, "x-robots-tag");
    cr_expect(cc && strcmp(cc, "no-store") == 0, "cache-control %s", cc);
    cr_expect(robots && strcmp(robots, "noindex, nofollow") == 0, "x-robots-tag %s", robots);
    free(cc), free(robots);
}

/* The database's preview key, to sign tokens the server must judge. */
static void preview_key(unsigned char key[32])
{
    char *hex = db_query(&srv, "SELECT hex(value) FROM secrets WHERE name = 'preview'");
    cr_assert_eq(strlen(hex), 64, "%s", hex);
    for (int i = 0; i < 32; i++)
        sscanf(hex + 2 * i, "%2hhx", &key[i]);
    free(hex);
}

Test(http_form_tools, a_draft_shared_by_link_reads_like_the_article_but_noindex)
{
    login_all();
    long id = draft(&author, "Budget leak");
    int status;
    char *token = share(&author, id, &status);
    cr_assert_eq(status, 303);
    cr_assert(token);
    struct resp r;
    char path[256];
    snprintf(path, sizeof(path), "/admin/posts/%ld/?preview_link=%s", id, token);
    staff_get(&srv, &author, path, &r);
    char link[256];
    snprintf(link, sizeof(link), "href=\"/preview/%s/\" target=\"_blank\"", token);
    cr_expect(body_has(&r, link), "the editor shows the link");
    cr_expect(body_has(&r, "until "), "with its expiry");
    resp_free(&r);

    get_preview(token, &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    expect_private(&r);
    cr_expect(body_has(&r, "<meta name=\"robots\" content=\"noindex, nofollow\">"));
    cr_expect(body_has(&r, "Preview — not published."));
    cr_expect(body_has(&r, "<h1 class=\"post-title\">Budget leak</h1>"), "the article template");
    cr_expect(body_has(&r, "Secret <strong>plans</strong>."));
    resp_free(&r);

    /* the current text: a save after sharing shows at the same link */
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_post(&srv, &author, path, "title=Budget+leak&markdown=Revised.&action=save", &r);
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    get_preview(token, &r);
    cr_expect(body_has(&r, "<p>Revised.</p>"), "the post as it is now");
    resp_free(&r);

    /* published: the link goes to the article */
    staff_post(&srv, &editor, path, "title=Budget+leak&markdown=Revised.&action=publish", &r);
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    get_preview(token, &r);
    cr_expect_eq(r.status, 302);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strcmp(loc, "/budget-leak/") == 0, "%s", loc);
    free(loc), free(token), resp_free(&r);
}

Test(http_form_tools, a_scheduled_post_can_be_previewed_until_it_is_out)
{
    login_all();
    struct resp r;
    staff_post(
        &srv, &editor, "/admin/posts/new/",
        "title=Embargoed&markdown=Out+at+nine.&publish_at=2030-01-01T09%3A00&action=schedule", &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    int status;
    char *token = share(&editor, id, &status);
    cr_assert(token);
    get_preview(token, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "Out at nine.") && body_has(&r, "Preview — not published."));
    cr_expect(body_has(&r, "datetime=\"2030-01-01"), "dated when it will be out");
    expect_private(&r);
    resp_free(&r);
    http_req(&srv, "GET", "/embargoed/", &r);
    cr_expect_eq(r.status, 404, "and still not on the site");
    free(token), resp_free(&r);
}

Test(http_form_tools, tampered_expired_and_deleted_links)
{
    login_all();
    long id = draft(&editor, "Short lived");
    int status;
    char *token = share(&editor, id, &status);
    cr_assert(token);
    struct resp r;

    char *bad = strdup(token);
    bad[strlen(bad) - 2] = bad[strlen(bad) - 2] == 'A' ? 'B' : 'A';
    get_preview(bad, &r);
    cr_expect_eq(r.status, 404);
    cr_expect(body_has(&r, "This preview link is not valid."), "the theme's page says why");
    cr_expect(!body_has(&r, "Short lived"));
    expect_private(&r);
    resp_free(&r);
    get_preview("1.99999999999.garbage", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);

    unsigned char key[32];
    preview_key(key);
    char old[AUTH_PREVIEW_TOKEN_MAX];
    auth_preview_sign((struct str){(const char *)key, 32}, id, (int64_t)time(NULL) - 10, old);
    get_preview(old, &r);
    cr_expect_eq(r.status, 410);
    cr_expect(body_has(&r, "This preview link has expired: ask the newsroom for a new one."));
    expect_private(&r);
    resp_free(&r);

    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/delete/", id);
    staff_post(&srv, &editor, path, "confirm=yes", &r);
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    get_preview(token, &r);
    cr_expect_eq(r.status, 404);
    cr_expect(body_has(&r, "This preview link is not valid"));
    free(bad), free(token), resp_free(&r);
}

Test(http_form_tools, sharing_needs_write_rights_and_a_draft)
{
    login_all();
    long id = draft(&author, "Mine");
    int status;
    char *token = share(&contrib, id, &status);
    cr_expect_eq(status, 403, "a contributor cannot share another's post");
    cr_expect(!token);
    struct resp r;
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/share/", id);
    form_post(&srv, path, NULL, NULL, "", &r);
    cr_expect_neq(r.status, 303, "no session, no link");
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_post(&srv, &editor, path, "title=Mine&markdown=x&action=publish", &r);
    resp_free(&r);
    token = share(&editor, id, &status);
    cr_expect_eq(status, 400, "a published post has its address");
    free(token);
    cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'share'"), 0);
    long d = draft(&editor, "Shared");
    token = share(&editor, d, &status);
    cr_expect_eq(status, 303);
    cr_expect_eq(count("SELECT count(*) FROM audit WHERE action = 'share'"), 1, "audited");
    free(token);
}
