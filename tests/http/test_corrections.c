/*
 * Corrections and updates as a newsroom publishes them, through the real doors: the
 * editor's correction note on the article (with its date and time of day in the site's
 * zone), in the RSS item (read by a real feed reader), the Atom entry, the JSON Feed item
 * and the JSON-LD; "Updated" with its time after an update and not after a minor edit;
 * a correction note too long refused by the editor, a post file and the Admin API with
 * nothing changed; restoring and unpublishing asking first; and the revision page's
 * word diff of every field.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"
#define NOTE "Correction: an earlier version of this story misstated the <b>bridge</b>'s length."

static struct srv srv;
static struct staff ed;

/* A newsroom in Kyiv's time zone (+02:00 in winter) with an editor. */
static void kyiv_editor(struct srv *s)
{
    char *err = NULL;
    cr_assert_eq(
        run_newsdesk(NULL, &err, "settings", "set", "--db", s->db, "timezone", "Europe/Kyiv", NULL),
        0, "%s", err);
    free(err);
    cr_assert_eq(staff_add(s, "ed@example.org", "Eda Editor", "editor", PW), 0);
}

HTTP_SUITE(http_corrections, srv, 180, .posts = 2, .before_start = kyiv_editor);

static void login(void)
{
    cr_assert_eq(staff_login(&srv, "ed@example.org", PW, &ed), 303);
}

/* A query's first value, as text (malloc'd) or as a number. */
#define text(...) db_queryf(&srv, __VA_ARGS__)
#define num(...) num_of(text(__VA_ARGS__))
static long num_of(char *v)
{
    long n = atol(v);
    free(v);
    return n;
}

/* The editor's form with these fields (each already encoded), saved as `action`. */
static void save(long id, const char *fields, const char *action, struct resp *r)
{
    char *form = malloc(strlen(fields) + 128);
    sprintf(form, "%s&action=%s", fields, action);
    if (id)
        staff_save(&srv, &ed, id, form, r);
    else
        staff_post(&srv, &ed, "/admin/posts/new/", form, r);
    free(form);
}

/* Publishes a post through the editor; its id. */
static long publish(const char *fields)
{
    struct resp r;
    save(0, fields, "publish", &r);
    cr_assert_eq(r.status, 303, "%d: %.*s", r.status, (int)r.body_len, r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    return id;
}

/* The notice the page after a redirect shows. */
static bool redirect_says(const struct resp *r, const char *notice)
{
    char *loc = resp_header(r, "location");
    cr_assert(loc, "no redirect (%d)", r->status);
    struct resp page;
    staff_get(&srv, &ed, loc, &page);
    bool says = body_has(&page, notice);
    if (!says)
        fprintf(stderr, "%s does not say '%s'\n", loc, notice);
    resp_free(&page);
    free(loc);
    return says;
}

static void get(const char *path, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    cr_assert_eq(r->status, 200, "%s: %d", path, r->status);
}

/* "2026-12-03T19:51:00+02:00" and "3 December 2026, 19:51" agree, in the site's zone. */
static void expect_local_time(const char *iso, const char *human, const char *what)
{
    cr_assert(iso && human, "%s: no time", what);
    cr_expect(strlen(iso) >= 25 && strcmp(iso + strlen(iso) - 6, "+02:00") == 0,
              "%s: not in Kyiv's zone: %s", what, iso);
    char clock[8];
    snprintf(clock, sizeof(clock), ", %.5s", iso + 11);
    cr_expect(strstr(human, clock), "%s: '%s' does not show the time of day %s", what, human,
              clock + 2);
}

/* ---- the correction, everywhere readers meet the story -------------------------------- */

Test(http_corrections, a_correction_shows_on_the_article_in_the_feeds_and_in_json_ld)
{
    login();
    long id = publish("title=Bridge+reopens&markdown=The+bridge+is+400+m+long.&tags=News+Feed");
    char *note = form_enc(NOTE), fields[1024];
    snprintf(fields, sizeof(fields),
             "title=Bridge+reopens&markdown=The+bridge+is+450+m+long.&tags=News+Feed"
             "&correction=%s",
             note);
    free(note);
    struct resp r;
    save(id, fields, "update", &r);
    cr_assert_eq(r.status, 303, "%.*s", (int)r.body_len, r.body);
    cr_expect(redirect_says(&r, "Updated: readers see it now."));
    resp_free(&r);

    /* the article: an aside with the escaped note and when it was written */
    get("/bridge-reopens/", &r);
    char *aside = body_between(&r, "<aside class=\"correction\"", "</aside>");
    cr_assert(aside, "no correction on the article");
    cr_expect(strstr(aside, "misstated the &lt;b&gt;bridge&lt;/b&gt;&#39;s length."), "%s", aside);
    char *iso = body_between(&r, "class=\"correction-when\">Corrected <time datetime=\"", "\"");
    char *human =
        body_between(&r, "class=\"correction-when\">Corrected <time datetime=\"", "</time>");
    expect_local_time(iso, human ? strchr(human, '>') : NULL, "the correction");
    free(aside), free(iso), free(human);

    /* JSON-LD: dateModified is the update, and the note a CorrectionComment */
    char *ld = body_between(&r, "<script type=\"application/ld+json\">", "</script>");
    cr_assert(ld);
    json_error_t e;
    json_t *j = json_loads(ld, 0, &e);
    cr_assert(j, "%s: %s", e.text, ld);
    json_t *c = json_object_get(j, "correction");
    cr_expect_str_eq(json_string_value(json_object_get(c, "@type")), "CorrectionComment");
    cr_expect(strstr(json_string_value(json_object_get(c, "text")), "<b>bridge</b>"));
    cr_expect(json_is_string(json_object_get(c, "datePublished")));
    const char *modified = json_string_value(json_object_get(j, "dateModified"));
    const char *published = json_string_value(json_object_get(j, "datePublished"));
    cr_expect(modified && published && strcmp(modified, published) >= 0, "%s < %s", modified,
              published);
    json_decref(j);
    free(ld);
    resp_free(&r);

    /* the feeds: RSS (description and content), Atom, JSON Feed */
    get("/rss/", &r);
    cr_expect(body_has(&r, "&lt;strong&gt;Corrected "), "a marked paragraph in the item");
    cr_expect(body_has(&r, "misstated the &amp;lt;b&amp;gt;bridge"),
              "escaped twice: text in HTML in XML");
    resp_free(&r);
    get("/atom/", &r);
    cr_expect(body_has(&r, "&lt;strong&gt;Corrected "));
    resp_free(&r);
    get("/feed.json", &r);
    json_t *feed = json_loadb(r.body, r.body_len, 0, &e);
    cr_assert(feed, "%s", e.text);
    bool found = false;
    json_t *item;
    size_t i;
    json_array_foreach(json_object_get(feed, "items"), i, item)
    {
        const char *html = json_string_value(json_object_get(item, "content_html"));
        if (strcmp(json_string_value(json_object_get(item, "title")), "Bridge reopens") == 0)
            found = html && strstr(html, "<strong>Corrected ") &&
                    strstr(html, "misstated the &lt;b&gt;bridge&lt;/b&gt;");
    }
    cr_expect(found, "the JSON Feed item carries the note");
    json_decref(feed);
    resp_free(&r);
    cr_expect_eq(node_run("tests/js/correction.mjs 'http://127.0.0.1:%d/' 'Bridge reopens' "
                          "'an earlier version of this story misstated'",
                          srv.port),
                 0, "a real feed reader shows the correction (see above)");
}

/* ---- "Updated", and the minor edit that is not one ------------------------------------ */

Test(http_corrections, updated_shows_its_time_of_day_but_not_after_a_minor_edit)
{
    login();
    long id = publish("title=Ferry+timetable&markdown=Boats+sail+at+noon.&tags=News+Feed");
    struct resp r;
    get("/ferry-timetable/", &r);
    cr_expect(!body_has(&r, "class=\"updated\""), "a new story is not updated");
    resp_free(&r);

    save(id, "title=Ferry+timetable&markdown=Boats+sail+at+nono.&tags=News+Feed&minor=1", "update",
         &r);
    cr_assert_eq(r.status, 303);
    cr_expect(
        redirect_says(&r, "Updated (minor edit): readers see it now, not marked as updated."));
    resp_free(&r);
    get("/ferry-timetable/", &r);
    cr_expect(body_has(&r, "at nono."), "the minor edit is on the site");
    cr_expect(!body_has(&r, "class=\"updated\""), "but not marked updated");
    resp_free(&r);
    cr_expect_eq(num("SELECT count(*) FROM posts WHERE id = %ld AND revised_at IS NULL", id), 1);
    cr_expect_eq(
        num("SELECT minor FROM revisions WHERE post_id = %ld ORDER BY id DESC LIMIT 1", id), 1,
        "the revision says it was a minor edit");

    save(id, "title=Ferry+timetable&markdown=Boats+sail+at+one.&tags=News+Feed", "update", &r);
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    get("/ferry-timetable/", &r);
    char *iso = body_between(&r, "class=\"updated\">· Updated <time datetime=\"", "\"");
    char *human = body_between(&r, "class=\"updated\">· Updated <time datetime=\"", "</time>");
    expect_local_time(iso, human ? strchr(human, '>') : NULL, "Updated");
    free(iso), free(human);
    resp_free(&r);
    /* the feeds' entry dates follow the update readers were told of */
    get("/atom/", &r);
    cr_expect(body_has(&r, "Ferry timetable"));
    resp_free(&r);
}

/* ---- a correction note too long ------------------------------------------------------- */

/* 50 KB of "x": far past CONTENT_CORRECTION_MAX. */
static char *fifty_kb(void)
{
    char *s = malloc(50 * 1024 + 1);
    memset(s, 'x', 50 * 1024);
    s[50 * 1024] = '\0';
    return s;
}

Test(http_corrections, a_50_kb_correction_is_refused_by_every_door_and_changes_nothing)
{
    login();
    long id = publish("title=Budget+vote&markdown=The+council+votes+today.&tags=News+Feed");
    long version = num("SELECT version FROM posts WHERE id = %ld", id);
    long revisions = num("SELECT count(*) FROM revisions WHERE post_id = %ld", id);
    char *big = fifty_kb();

    /* the editor: the form again with the reason, the post as it was */
    char *fields = malloc(strlen(big) + 256);
    sprintf(fields, "title=Budget+vote&markdown=Changed.&tags=News+Feed&correction=%s", big);
    struct resp r;
    save(id, fields, "update", &r);
    cr_expect_eq(r.status, 413);
    cr_expect(body_has(&r, "the correction note is longer than 2000 bytes"), "%.*s", 300, r.body);
    cr_expect(body_has(&r, "Changed."), "the editor's text is still in the form");
    resp_free(&r);
    free(fields);
    cr_expect_eq(num("SELECT version FROM posts WHERE id = %ld", id), version);
    cr_expect_eq(num("SELECT count(*) FROM revisions WHERE post_id = %ld", id), revisions);
    get("/budget-vote/", &r);
    cr_expect(body_has(&r, "The council votes today.") && !body_has(&r, "class=\"correction\""));
    resp_free(&r);

    /* a post file */
    size_t len = strlen(big) + 256;
    char *file = malloc(len);
    snprintf(file, len, "---\ntitle: Long note\ncorrection: %s\n---\nBody.\n", big);
    char path[SRV_PATH_MAX], *err = NULL;
    srv_write(&srv, "long.md", file, path);
    free(file);
    cr_expect_neq(run_newsdesk(NULL, &err, "post", "add", "--db", srv.db, path, NULL), 0);
    cr_expect(err && strstr(err, "correction is longer than 2000 bytes"), "%s", err);
    free(err);
    cr_expect_eq(num("SELECT count(*) FROM posts WHERE title = 'Long note'"), 0);

    /* the Admin API (with the editor's session, as the browser sends it) */
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    size_t cap = strlen(big) + 1024;
    char *req = malloc(cap + 1024);
    int body_len =
        snprintf(req, cap, "{\"posts\":[{\"title\":\"API note\",\"correction\":\"%s\"}]}", big);
    char *body = strdup(req);
    int n = snprintf(req, cap + 1024,
                     "POST /ghost/api/admin/posts/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Connection: close\r\nCookie: nd_session=%s\r\nOrigin: %s\r\n"
                     "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                     srv.port, ed.session, origin, body_len, body);
    http_raw(&srv, req, (size_t)n, &r);
    cr_expect_eq(r.status, 422, "%.*s", (int)r.body_len, r.body);
    cr_expect(body_has(&r, "correction"), "%.*s", (int)r.body_len, r.body);
    resp_free(&r);
    free(req), free(body), free(big);
    cr_expect_eq(num("SELECT count(*) FROM posts WHERE title = 'API note'"), 0);
}

/* ---- asking first --------------------------------------------------------------------- */

Test(http_corrections, unpublishing_asks_first_and_says_what_happened)
{
    login();
    long id = publish("title=Storm+warning&markdown=Winds+of+20+m%2Fs.&tags=News+Feed");
    struct resp r;
    save(id, "title=Storm+warning&markdown=Winds+of+20+m%2Fs.&tags=News+Feed", "unpublish", &r);
    cr_expect_eq(r.status, 200, "a question, not a change");
    cr_expect(body_has(&r, "Unpublish it? Readers will no longer see it"));
    cr_expect(body_has(&r, "name=\"confirm\" value=\"yes\""));
    cr_expect(body_has(&r, ">Yes, unpublish</button>"));
    resp_free(&r);
    get("/storm-warning/", &r);
    resp_free(&r);

    save(id, "title=Storm+warning&markdown=Winds+of+20+m%2Fs.&tags=News+Feed&confirm=yes",
         "unpublish", &r);
    cr_expect_eq(r.status, 303);
    cr_expect(redirect_says(&r, "Unpublished: readers no longer see it."));
    resp_free(&r);
    http_req(&srv, "GET", "/storm-warning/", &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);

    /* and deleting says so too */
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/delete/", id);
    staff_post(&srv, &ed, path, "confirm=yes", &r);
    cr_expect_eq(r.status, 303);
    cr_expect(redirect_says(&r, "Deleted: the post is gone"));
    resp_free(&r);
}

/* ---- revisions: every field, word by word, and restored whole --------------------------- */

#define V1                                                                                         \
    "title=Council+backs+the+budget&excerpt=A+narrow+vote.&tags=News+Feed%2C+Local"                \
    "&feature_image=https%3A%2F%2Fimg.example%2Fa.jpg&feature_image_alt=The+council+hall"          \
    "&feature_image_caption=Tuesday&correction=&markdown=The+vote+was+9+to+8.%0A%0AIt+passed."
#define V2                                                                                         \
    "title=Council+rejects+the+budget&excerpt=A+close+vote.&tags=News+Feed%2C+Politics"            \
    "&feature_image=https%3A%2F%2Fimg.example%2Fb.jpg&feature_image_alt=The+council+hall"          \
    "&feature_image_caption=Wednesday&correction=Correction%3A+it+was+rejected."                   \
    "&markdown=The+vote+was+8+to+9.%0A%0AIt+failed."

/* The <dd> after <dt>name</dt> on the page (malloc'd). */
static char *field_of(const struct resp *r, const char *name)
{
    char open[96];
    snprintf(open, sizeof(open), "<dt>%s</dt>\n<dd>", name);
    char *dd = body_between(r, open, "</dd>");
    cr_assert(dd, "no field %s", name);
    return dd;
}

static void expect_change(const struct resp *r, const char *name, const char *removed,
                          const char *added)
{
    char *dd = field_of(r, name);
    char del[160], ins[160];
    snprintf(del, sizeof(del), "<del><span class=\"visually-hidden\">[removed: </span>%s<",
             removed);
    snprintf(ins, sizeof(ins), "<ins><span class=\"visually-hidden\">[added: </span>%s<", added);
    cr_expect(strstr(dd, del) && strstr(dd, ins), "%s: %s", name, dd);
    free(dd);
}

Test(http_corrections, the_revision_diff_marks_changed_words_in_every_field)
{
    login();
    long id = publish(V1 "&new_tags=Local");
    struct resp r;
    save(id, V2 "&new_tags=Politics", "update", &r);
    cr_assert_eq(r.status, 303, "%.*s", (int)r.body_len, r.body);
    resp_free(&r);
    long first = num("SELECT min(id) FROM revisions WHERE post_id = %ld", id);
    char path[64];
    snprintf(path, sizeof(path), "/admin/revisions/%ld/", first);
    staff_get(&srv, &ed, path, &r);
    cr_assert_eq(r.status, 200);
    expect_change(&r, "Title", "backs", "rejects");
    expect_change(&r, "Excerpt", "narrow", "close");
    expect_change(&r, "Tags", "Local", "Politics");
    expect_change(&r, "Feature image", "a", "b");
    expect_change(&r, "Feature image&#39;s caption", "Tuesday", "Wednesday");
    char *dd = field_of(&r, "Feature image&#39;s alt text");
    cr_expect(strstr(dd, "(unchanged)"), "%s", dd);
    free(dd);
    dd = field_of(&r, "Correction note");
    cr_expect(strstr(dd, "[added: </span>Correction: it was rejected.<"), "%s", dd);
    free(dd);
    dd = field_of(&r, "Body");
    cr_expect(strstr(dd, "[removed: </span>9<") && strstr(dd, "[added: </span>8<") &&
                  strstr(dd, "[removed: </span>passed<") && strstr(dd, "[added: </span>failed<"),
              "%s", dd);
    free(dd);
    resp_free(&r);

    /* restoring asks first, then brings back every recorded field */
    snprintf(path, sizeof(path), "/admin/revisions/%ld/restore/", first);
    staff_post(&srv, &ed, path, "x=1", &r);
    cr_expect_eq(r.status, 200, "a question, not a change");
    cr_expect(body_has(&r, "Restore this revision? Its fields replace the current ones and "
                           "readers see it at once."));
    cr_expect(body_has(&r, ">Yes, restore it</button>"));
    resp_free(&r);
    get("/council-backs-the-budget/", &r);
    resp_free(&r);
    staff_post(&srv, &ed, path, "confirm=yes", &r);
    cr_expect_eq(r.status, 303);
    cr_expect(redirect_says(&r, "Revision restored: readers see it now."));
    resp_free(&r);
    get("/council-backs-the-budget/", &r); /* the slug stays */
    cr_expect(body_has(&r, "Council backs the budget") && body_has(&r, "It passed."));
    cr_expect(!body_has(&r, "class=\"correction\""), "the correction went with the revision");
    resp_free(&r);
    char *v = db_query(&srv, "SELECT custom_excerpt || '|' || feature_image_caption FROM posts"
                             " WHERE slug = 'council-backs-the-budget'");
    cr_expect_str_eq(v, "A narrow vote.|Tuesday");
    free(v);
    cr_expect_eq(num("SELECT count(*) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id"
                     " WHERE pt.post_id = %ld AND t.name = 'Local'",
                     id),
                 1, "its tags are back");

    /* a revision from before the fields were kept: "not recorded", never a false change */
    char sql[256];
    snprintf(sql, sizeof(sql),
             "INSERT INTO revisions(post_id, created_at, action, title, markdown)"
             " VALUES (%ld, 1, 'save', 'Old', 'Old body.') RETURNING id;",
             id);
    char *old = db_query(&srv, sql);
    snprintf(path, sizeof(path), "/admin/revisions/%s/", old);
    free(old);
    staff_get(&srv, &ed, path, &r);
    cr_assert_eq(r.status, 200);
    dd = field_of(&r, "Excerpt");
    cr_expect(strstr(dd, "not recorded") && !strstr(dd, "<del>"), "%s", dd);
    free(dd);
    resp_free(&r);
}

/* ---- no save path drops a correction ------------------------------------------------- */

static char *set_cookie(const struct resp *r, const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "set-cookie: %s=", name);
    const char *p = strcasestr(r->head, key);
    return p ? strndup(p + strlen(key), strcspn(p + strlen(key), ";\r\n")) : NULL;
}

Test(http_corrections, the_conflict_page_autosave_and_an_expired_session_keep_the_correction)
{
    login();
    long id = publish("title=Night+bus&markdown=Before.&tags=News+Feed");
    long v = num("SELECT version FROM posts WHERE id = %ld", id);
    char form[256], path[64];
    struct resp r;

    /* a refused save: the form comes back with the note, kept in the 'conflict' revision */
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    snprintf(form, sizeof(form),
             "title=Night+bus&markdown=Mine.&correction=Fix+one&action=update&version=%ld", v - 1);
    staff_post(&srv, &ed, path, form, &r);
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, ">Fix one</textarea>"), "the note stays in the form");
    resp_free(&r);
    char *c = text("SELECT correction FROM revisions WHERE post_id = %ld"
                   " AND action = 'conflict'",
                   id);
    cr_expect_str_eq(c, "Fix one");
    free(c);

    /* an autosave of the live post: a pending revision with the note, back in the form */
    snprintf(path, sizeof(path), "/admin/posts/%ld/autosave/", id);
    snprintf(form, sizeof(form),
             "title=Night+bus&markdown=Pending.&correction=Fix+two&action=update&version=%ld", v);
    staff_post(&srv, &ed, path, form, &r);
    cr_expect_eq(r.status, 200, "%.*s", (int)r.body_len, r.body);
    resp_free(&r);
    long pending = num("SELECT id FROM revisions WHERE post_id = %ld AND action = 'autosave'"
                       " AND correction = 'Fix two'",
                       id);
    cr_assert_neq(pending, 0, "the pending revision keeps the note");
    snprintf(path, sizeof(path), "/admin/posts/%ld/?restore=%ld", id, pending);
    staff_get(&srv, &ed, path, &r);
    cr_expect(body_has(&r, ">Fix two</textarea>"), "restored into the form with its note");
    resp_free(&r);

    /* a save after the session ended: carried through the login form, kept as 'expired' */
    free(db_query(&srv, "DELETE FROM sessions"));
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    snprintf(form, sizeof(form),
             "title=Night+bus&markdown=Late.&correction=Fix+three&action=update&version=%ld", v);
    staff_post(&srv, &ed, path, form, &r);
    cr_assert_eq(r.status, 401);
    cr_expect(body_has(&r, "name=\"correction\" value=\"Fix three\""), "the note is carried");
    char *login_cookie = set_cookie(&r, "nd_login");
    char *token = body_after(&r, "name=\"csrf\" value=\"", "\"");
    cr_assert(login_cookie && token);
    resp_free(&r);
    char origin[64], extra[256], body[512], *pw = form_enc(PW);
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(extra, sizeof(extra), "Cookie: nd_login=%s\r\n", login_cookie);
    snprintf(body, sizeof(body),
             "csrf=%s&next=%%2Fadmin%%2Fposts%%2F%ld%%2F&carried=1&title=Night+bus"
             "&markdown=Late.&correction=Fix+three&version=%ld&email=ed%%40example.org"
             "&password=%s",
             token, id, v, pw);
    form_post(&srv, "/admin/login/", origin, extra, body, &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    free(pw), free(login_cookie), free(token);
    c = text("SELECT correction FROM revisions WHERE post_id = %ld AND action = 'expired'", id);
    cr_expect_str_eq(c, "Fix three");
    free(c);
    cr_expect_eq(num("SELECT count(*) FROM posts WHERE id = %ld AND correction = ''", id), 1,
                 "none of them changed the post");
}
