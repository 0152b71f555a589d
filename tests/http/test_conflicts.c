/*
 * Nothing typed is ever lost, through the server's doors: edit conflicts refused with
 * both texts kept, autosave of drafts and of live posts, autosave racing a publish, a
 * save after the session ended carried through the login form, `next` kept on this
 * site, oversized autosaves, presence and the session's JSON.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff ana, ben, aut;

static void newsroom_staff(struct srv *s)
{
    cr_assert_eq(staff_add(s, "ana@example.org", "Ana Reporter", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "ben@example.org", "Ben Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "aut@example.org", "Aut Author", "author", PW), 0);
}

HTTP_SUITE(http_conflicts, srv, 120, .posts = 3, .before_start = newsroom_staff);

static void login_all(void)
{
    cr_assert_eq(staff_login(&srv, "ana@example.org", PW, &ana), 303);
    cr_assert_eq(staff_login(&srv, "ben@example.org", PW, &ben), 303);
    cr_assert_eq(staff_login(&srv, "aut@example.org", PW, &aut), 303);
}

static char *text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *text(const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return db_query(&srv, sql);
}

/* A post's row and its body: "SELECT markdown FROM posts p" BODY, id */
#define BODY " JOIN post_bodies b ON b.post_id = p.id WHERE p.id = %ld"

static long version_of(long id)
{
    return db_countf(&srv, "SELECT version FROM posts WHERE id = %ld", id);
}

/* POSTs the editor's form for post id ("new": 0) to `what` ("" or "autosave/"). */
static void send(const struct staff *st, long id, const char *what, const char *title,
                 const char *body, const char *action, long version, struct resp *r)
{
    char *t = form_enc(title), *b = form_enc(body);
    size_t len = strlen(t) + strlen(b) + 256;
    char *form = malloc(len), path[96];
    snprintf(form, len, "title=%s&markdown=%s&action=%s", t, b, action);
    if (version >= 0)
        snprintf(form + strlen(form), len - strlen(form), "&version=%ld", version);
    if (id)
        snprintf(path, sizeof(path), "/admin/posts/%ld/%s", id, what);
    else
        snprintf(path, sizeof(path), "/admin/posts/new/%s", what);
    staff_post(&srv, st, path, form, r);
    free(t), free(b), free(form);
}

static long create(const struct staff *st, const char *title, const char *body, const char *action)
{
    struct resp r;
    send(st, 0, "", title, body, action, -1, &r);
    cr_assert_eq(r.status, 303, "create: %d", r.status);
    long id = post_id_of(&r);
    resp_free(&r);
    return id;
}

static char *get_body(const char *path)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_assert_eq(r.status, 200, "%s: %d", path, r.status);
    char *b = malloc(r.body_len + 1);
    memcpy(b, r.body, r.body_len);
    b[r.body_len] = '\0';
    resp_free(&r);
    return b;
}

/* ---- conflicts ------------------------------------------------------------------------- */

Test(http_conflicts, a_stale_save_is_refused_naming_who_saved_and_both_texts_are_kept)
{
    login_all();
    long id = create(&ana, "Council vote", "First draft.", "save");
    long opened = version_of(id); /* both open the post now */
    struct resp r;
    send(&ana, id, "", "Council vote", "Ana's words.", "save", opened, &r);
    cr_assert_eq(r.status, 303, "the first save goes through");
    resp_free(&r);

    send(&ben, id, "", "Council vote", "Ben's words.", "save", opened, &r);
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, "Ana Reporter saved this post at "), "names the other editor");
    cr_expect(body_has(&r, ", after you opened it."));
    cr_expect(body_has(&r, "Ben&#39;s words.") || body_has(&r, "Ben's words."),
              "the form keeps the refused text");
    cr_expect(body_has(&r, "Save mine over theirs"));
    char *compare = body_after(&r, "<a href=\"/admin/revisions/", "/");
    cr_assert(compare, "the alert links to the comparison");
    resp_free(&r);

    char *md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "Ana's words.", "the live post is unchanged");
    free(md);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'conflict'"
                  " AND markdown = 'Ben''s words.'",
                  id),
        1, "the refused text is a revision");
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions r JOIN users u ON u.id = r.user_id"
                  " WHERE r.post_id = %ld AND r.action = 'conflict' AND u.name = 'Ben Editor'",
                  id),
        1, "by the refused editor");

    char path[96];
    snprintf(path, sizeof(path), "/admin/revisions/%s/", compare);
    staff_get(&srv, &ben, path, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "Theirs: the post now") && body_has(&r, "Yours: this revision"));
    char *theirs = body_between(&r, "id=\"theirs\">", "</pre>");
    char *yours = body_between(&r, "id=\"yours\">", "</pre>");
    cr_expect(theirs && strstr(theirs, "Ana&#39;s words."), "theirs: %s", theirs);
    cr_expect(yours && strstr(yours, "Ben&#39;s words."), "yours: %s", yours);
    cr_expect(body_has(&r, "<ins><span class=\"visually-hidden\">[added: </span>Ana<"),
              "and the word diff");
    free(theirs), free(yours), free(compare);
    resp_free(&r);

    /* a plain resubmit of the same stale form is still refused; "mine over theirs" is not */
    send(&ben, id, "", "Council vote", "Ben's words.", "save", opened, &r);
    cr_expect_eq(r.status, 409, "never a silent overwrite");
    resp_free(&r);
    char form[256];
    snprintf(form, sizeof(form),
             "title=Council+vote&markdown=Ben%%27s+words.&version=%ld&action=mine"
             "&mine_action=save&theirs_version=%ld",
             opened, version_of(id));
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_post(&srv, &ben, path, form, &r);
    cr_expect_eq(r.status, 303, "a deliberate overwrite goes through");
    resp_free(&r);
    md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "Ben's words.");
    free(md);
}

Test(http_conflicts, a_save_without_a_version_is_refused_for_every_action)
{
    login_all();
    long id = create(&ana, "Budget", "Draft.", "save");
    const char *actions[] = {"save", "publish", "schedule", "unpublish"};
    for (size_t i = 0; i < sizeof(actions) / sizeof(*actions); i++) {
        struct resp r;
        send(&ana, id, "", "Budget", "Overwritten?", actions[i], -1, &r);
        cr_expect_eq(r.status, 409, "%s without a version: %d", actions[i], r.status);
        resp_free(&r);
    }
    long pub = create(&ana, "Budget live", "Live.", "publish");
    struct resp r;
    send(&ana, pub, "", "Budget live", "Changed?", "update", version_of(pub) - 1, &r);
    cr_expect_eq(r.status, 409, "update against an older version");
    resp_free(&r);
    char *md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "Draft.");
    free(md);
    md = text("SELECT markdown FROM posts p" BODY, pub);
    cr_expect_str_eq(md, "Live.");
    free(md);
}

Test(http_conflicts, a_change_from_outside_the_editor_is_a_conflict_too)
{
    login_all();
    long id = create(&ana, "Road closed", "The road is closed.", "publish");
    long v = version_of(id);
    char file[SRV_PATH_MAX], *err = NULL;
    srv_write(&srv, "road.md", "---\ntitle: Road closed\n---\nThe road reopened (CLI).\n", file);
    sleep(1); /* who changed it is told by time, in seconds */
    cr_assert_eq(
        run_newsdesk(NULL, &err, "post", "update", "--db", srv.db, "road-closed", file, NULL), 0,
        "%s", err);
    free(err);
    cr_expect_gt(version_of(id), v, "any change of the row moves the version");
    struct resp r;
    send(&ana, id, "", "Road closed", "Ana's correction.", "update", v, &r);
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, "This post was changed at "), "nobody is named for the CLI's change");
    resp_free(&r);
    char *md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "The road reopened (CLI).");
    free(md);
}

/* ---- autosave -------------------------------------------------------------------------- */

Test(http_conflicts, autosave_of_a_draft_saves_it_bumps_the_version_and_keeps_one_revision)
{
    login_all();
    long id = create(&ana, "Harbour", "One.", "save");
    long v = version_of(id);
    struct resp r;
    send(&ana, id, "autosave/", "Harbour", "One. Two.", "save", v, &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char *ct = resp_header(&r, "content-type");
    cr_expect(ct && strstr(ct, "application/json"));
    free(ct);
    char *nv = body_after(&r, "\"version\":", ",}");
    cr_assert(nv);
    cr_expect_gt(atol(nv), v, "the version moves on");
    cr_expect_eq(atol(nv), version_of(id));
    cr_expect(body_has(&r, "\"saved_at\":\"") && body_has(&r, "\"pending\":false"));
    resp_free(&r);
    send(&ana, id, "autosave/", "Harbour", "One. Two. Three.", "save", atol(nv), &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    free(nv);
    char *md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "One. Two. Three.", "the draft itself is saved");
    free(md);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'autosave'", id),
        1, "one autosave revision, replaced in place");
    /* a save with the autosaved version goes through */
    send(&ana, id, "", "Harbour", "Final.", "save", version_of(id), &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
}

Test(http_conflicts, autosave_of_a_new_post_creates_the_draft_once_it_has_words)
{
    login_all();
    long before = db_countf(&srv, "SELECT count(*) FROM posts");
    struct resp r;
    send(&aut, 0, "autosave/", "", "   ", "save", -1, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "\"saved\":false"));
    resp_free(&r);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM posts"), before, "nothing made");
    send(&aut, 0, "autosave/", "", "Only a body so far.", "save", -1, &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char *id = body_after(&r, "\"id\":", ",");
    cr_assert(id);
    char url[64];
    snprintf(url, sizeof(url), "\"url\":\"/admin/posts/%s/\"", id);
    cr_expect(body_has(&r, url));
    resp_free(&r);
    char *st = text("SELECT status || ' ' || title FROM posts WHERE id = %ld", atol(id));
    cr_expect_str_eq(st, "draft Untitled");
    free(st);
    free(id);
}

Test(http_conflicts, autosave_of_a_published_post_never_changes_what_readers_see)
{
    login_all();
    long id = create(&aut, "Bridge open", "The bridge is open.", "publish");
    char *before = get_body("/bridge-open/");
    long v = version_of(id);
    struct resp r;
    send(&aut, id, "autosave/", "Bridge open", "The bridge is CLOSED again.", "update", v, &r);
    cr_assert_eq(r.status, 200, "%s", r.body);
    cr_expect(body_has(&r, "\"pending\":true"));
    resp_free(&r);
    send(&aut, id, "autosave/", "Bridge open", "The bridge is closed again.", "update", v, &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    char *after = get_body("/bridge-open/");
    cr_expect_str_eq(after, before, "the public page is byte-identical");
    free(before), free(after);
    cr_expect_eq(version_of(id), v, "the post's row is untouched");
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'autosave'"
                  " AND markdown = 'The bridge is closed again.'",
                  id),
        1, "one pending revision, replaced in place");

    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_get(&srv, &aut, path, &r);
    cr_expect(body_has(&r, "You have unsaved changes from "), "offered back on reopening");
    char *rev = body_after(&r, "?restore=", "\"");
    cr_assert(rev);
    resp_free(&r);
    staff_get(&srv, &ben, path, &r);
    cr_expect(!body_has(&r, "You have unsaved changes from "), "only to its own author");
    resp_free(&r);
    char restore[128];
    snprintf(restore, sizeof(restore), "/admin/posts/%ld/?restore=%s", id, rev);
    staff_get(&srv, &aut, restore, &r);
    cr_expect(body_has(&r, "The bridge is closed again.</textarea>"), "restore fills the form");
    resp_free(&r);
    char *live = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(live, "The bridge is open.", "not the live post");
    free(live), free(rev);

    /* an update publishes it, and the pending text is gone */
    send(&aut, id, "", "Bridge open", "The bridge is closed again.", "update", v, &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'autosave'", id),
        0);
}

Test(http_conflicts, a_pending_autosave_can_be_discarded_by_its_author_only)
{
    login_all();
    long id = create(&ana, "Tram works", "Line 3 closed.", "publish");
    struct resp r;
    send(&ana, id, "autosave/", "Tram works", "Line 3 closed until May.", "update", version_of(id),
         &r);
    cr_assert_eq(r.status, 200);
    resp_free(&r);
    send(&ben, id, "autosave/", "Tram works", "Ben's pending.", "update", version_of(id), &r);
    cr_assert_eq(r.status, 200);
    resp_free(&r);
    char path[96];
    snprintf(path, sizeof(path), "/admin/posts/%ld/autosave/discard/", id);
    staff_post(&srv, &ana, path, "x=1", &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions r JOIN users u ON u.id = r.user_id"
                  " WHERE r.post_id = %ld AND r.action = 'autosave' AND u.name = 'Ana Reporter'",
                  id),
        0, "Ana's pending text is gone");
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'autosave'"
                  " AND markdown = 'Ben''s pending.'",
                  id),
        1, "Ben's is not");
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_get(&srv, &ana, path, &r);
    cr_expect(!body_has(&r, "You have unsaved changes from "), "no offer after discarding");
    resp_free(&r);
}

Test(http_conflicts, autosave_racing_a_publish_is_refused)
{
    login_all();
    long id = create(&ana, "Storm", "Winds.", "save");
    long v = version_of(id);
    struct resp r;
    send(&ana, id, "", "Storm", "Winds of 30 m/s.", "publish", v, &r); /* tab one publishes */
    cr_assert_eq(r.status, 303);
    resp_free(&r);
    send(&ana, id, "autosave/", "Storm", "Winds (old tab).", "save", v, &r); /* tab two */
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, "\"error\":\"") && body_has(&r, "\"by\":\"you, in another tab\"") &&
              body_has(&r, "\"at\":\""));
    resp_free(&r);
    send(&ben, id, "autosave/", "Storm", "Winds (Ben).", "save", v, &r);
    cr_expect_eq(r.status, 409);
    cr_expect(body_has(&r, "\"by\":\"Ana Reporter\""), "another editor is named");
    resp_free(&r);
    char *live = text("SELECT status || ' ' || markdown FROM posts p" BODY, id);
    cr_expect_str_eq(live, "published Winds of 30 m/s.");
    free(live);
}

Test(http_conflicts, a_ten_megabyte_autosave_is_refused_and_changes_nothing)
{
    login_all();
    long id = create(&ana, "Long read", "Short.", "save");
    long v = version_of(id);
    size_t big = 10 * 1024 * 1024;
    char *form = malloc(big + 128);
    int n = snprintf(form, 128, "version=%ld&title=Long+read&markdown=", v);
    memset(form + n, 'x', big);
    form[n + big] = '\0';
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/autosave/", id);
    struct resp r;
    staff_post(&srv, &ana, path, form, &r);
    free(form);
    cr_expect_eq(r.status, 413);
    resp_free(&r);
    cr_expect_eq(version_of(id), v);
    char *md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "Short.");
    free(md);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'autosave'", id),
        0);
}

/* ---- a session that ended while writing -------------------------------------------------- */

/* The value of Set-Cookie name=... in r (malloc'd), or NULL. */
static char *set_cookie(const struct resp *r, const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "set-cookie: %s=", name);
    const char *p = strcasestr(r->head, key);
    if (!p)
        return NULL;
    p += strlen(key);
    return strndup(p, strcspn(p, ";\r\n"));
}

Test(http_conflicts, a_save_after_the_session_ended_is_kept_through_the_login)
{
    login_all();
    long id = create(&aut, "Night bus", "Before.", "save");
    long v = version_of(id);
    free(db_query(&srv, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users"
                        " WHERE email = 'aut@example.org')"));
    struct resp r;
    send(&aut, id, "", "Night bus", "Typed while the session ended.", "save", v, &r);
    cr_assert_eq(r.status, 401);
    cr_expect(body_has(&r, "Your session has ended"));
    char next[64];
    snprintf(next, sizeof(next), "name=\"next\" value=\"/admin/posts/%ld/\"", id);
    cr_expect(body_has(&r, next), "next goes back to the editor");
    cr_expect(body_has(&r, "name=\"markdown\" value=\"Typed while the session ended.\""),
              "the text is carried");
    cr_expect(body_has(&r, "name=\"carried\" value=\"1\""));
    char *login = set_cookie(&r, "nd_login");
    char *token = body_after(&r, "name=\"csrf\" value=\"", "\"");
    cr_assert(login && token);
    resp_free(&r);
    cr_expect_eq(
        db_countf(&srv, "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'expired'",
                  id),
        0, "nothing stored before the password is verified");

    char origin[64], extra[256], body[1024];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(extra, sizeof(extra), "Cookie: nd_login=%s\r\n", login);
#define LOGIN_FORM                                                                                 \
    "csrf=%s&next=%%2Fadmin%%2Fposts%%2F%ld%%2F&carried=1&title=Night+bus"                         \
    "&markdown=Typed+while+the+session+ended.&version=%ld&email=aut%%40example.org&password=%s"
    snprintf(body, sizeof(body), LOGIN_FORM, token, id, v, "wrong");
    form_post(&srv, "/admin/login/", origin, extra, body, &r);
    cr_expect_eq(r.status, 401);
    cr_expect(body_has(&r, "name=\"markdown\" value=\"Typed while the session ended.\""),
              "a wrong password keeps carrying the text");
    resp_free(&r);
    char *pw = form_enc(PW);
    snprintf(body, sizeof(body), LOGIN_FORM, token, id, v, pw);
    free(pw);
    form_post(&srv, "/admin/login/", origin, extra, body, &r);
    cr_expect_eq(r.status, 303);
    char *loc = resp_header(&r, "location");
    char want[64];
    snprintf(want, sizeof(want), "/admin/posts/%ld/?kept=", id);
    cr_expect(loc && strncmp(loc, want, strlen(want)) == 0, "to the editor: %s", loc);
    struct staff again = {0};
    char *session = set_cookie(&r, "nd_session");
    cr_assert(session);
    snprintf(again.session, sizeof(again.session), "%s", session);
    resp_free(&r);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM revisions WHERE post_id = %ld AND action = 'expired'"
                  " AND markdown = 'Typed while the session ended.'",
                  id),
        1, "kept as an 'expired' revision");
    char *md = text("SELECT markdown FROM posts p" BODY, id);
    cr_expect_str_eq(md, "Before.", "not saved over the post");
    free(md);
    staff_get(&srv, &again, loc, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "was kept: <a href=\"/admin/revisions/"), "the notice links to it");
    char *restore = body_after(&r, "/ <a href=\"", "\"");
    cr_assert(restore);
    resp_free(&r);
    /* the link's &amp; is the page's; the path itself has a plain & */
    char *amp = strstr(restore, "&amp;");
    if (amp)
        memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
    staff_get(&srv, &again, restore, &r);
    cr_expect(body_has(&r, "Typed while the session ended.</textarea>"), "restore: text back");
    resp_free(&r);
    free(login), free(token), free(loc), free(session), free(restore);
}

Test(http_conflicts, another_site_cannot_fill_the_login_form_with_its_text)
{
    struct resp r;
    form_post(&srv, "/admin/posts/new/", "https://evil.example", "Cookie: nd_session=gone\r\n",
              "title=Planted&markdown=Planted+text", &r);
    cr_expect_eq(r.status, 401);
    cr_expect(!body_has(&r, "Planted"), "nothing of it is carried");
    cr_expect(!body_has(&r, "name=\"carried\""));
    resp_free(&r);
}

Test(http_conflicts, a_new_post_written_after_the_session_ended_becomes_a_draft)
{
    login_all();
    free(db_query(&srv, "DELETE FROM sessions WHERE user_id = (SELECT id FROM users"
                        " WHERE email = 'ben@example.org')"));
    struct resp r;
    send(&ben, 0, "", "Late scoop", "Written offline.", "publish", -1, &r);
    cr_assert_eq(r.status, 401);
    char *login = set_cookie(&r, "nd_login");
    char *token = body_after(&r, "name=\"csrf\" value=\"", "\"");
    resp_free(&r);
    char origin[64], extra[256], body[1024], *pw = form_enc(PW);
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    snprintf(extra, sizeof(extra), "Cookie: nd_login=%s\r\n", login);
    snprintf(body, sizeof(body),
             "csrf=%s&next=%%2Fadmin%%2Fposts%%2Fnew%%2F&carried=1&title=Late+scoop"
             "&markdown=Written+offline.&email=ben%%40example.org&password=%s",
             token, pw);
    form_post(&srv, "/admin/login/", origin, extra, body, &r);
    cr_expect_eq(r.status, 303);
    long id = post_id_of(&r);
    cr_assert_gt(id, 0);
    resp_free(&r);
    char *st = text("SELECT status || ' ' || title || ' ' || markdown FROM posts p" BODY, id);
    cr_expect_str_eq(st, "draft Late scoop Written offline.", "a draft, never published");
    free(st), free(login), free(token), free(pw);
}

Test(http_conflicts, next_stays_on_this_site)
{
    login_all();
    const char *bad[] = {"https://evil.example/admin/", "//evil.example/admin/",
                         "/admin//evil.example", "/\\evil.example", "javascript:alert(1)"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        char *enc = form_enc(bad[i]), path[256];
        snprintf(path, sizeof(path), "/admin/login/?next=%s", enc);
        free(enc);
        struct resp r;
        staff_get(&srv, &ana, path, &r);
        cr_expect_eq(r.status, 303);
        char *loc = resp_header(&r, "location");
        cr_expect(loc && strcmp(loc, "/admin/") == 0, "%s → %s", bad[i], loc);
        free(loc);
        resp_free(&r);
    }
    struct resp r;
    staff_get(&srv, &ana, "/admin/login/?next=%2Fadmin%2Fposts%2F1%2F", &r);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strcmp(loc, "/admin/posts/1/") == 0, "a path of ours is kept: %s", loc);
    free(loc);
    resp_free(&r);
}

/* ---- presence and the session's JSON ------------------------------------------------------ */

Test(http_conflicts, presence_names_others_but_never_the_same_person_twice)
{
    login_all();
    long id = create(&ana, "Election night", "Results.", "save");
    char path[96];
    snprintf(path, sizeof(path), "/admin/posts/%ld/editing/", id);
    struct resp r;
    staff_post(&srv, &ana, path, "x=1", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "\"others\":\"\""), "alone: %s", r.body);
    resp_free(&r);
    struct staff ana2;
    cr_assert_eq(staff_login(&srv, "ana@example.org", PW, &ana2), 303); /* another tab/device */
    staff_post(&srv, &ana2, path, "x=1", &r);
    cr_expect(body_has(&r, "\"others\":\"\""), "two tabs of one person are not someone else");
    resp_free(&r);
    staff_post(&srv, &ben, path, "x=1", &r);
    cr_expect(body_has(&r, "\"others\":\"Ana Reporter is also editing this post\""), "%s", r.body);
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_get(&srv, &ana, path, &r);
    cr_expect(body_has(&r, "Ben Editor is also editing this post"), "shown when the page opens");
    resp_free(&r);
    free(db_query(&srv, "UPDATE editing SET seen_at = seen_at - 120"));
    staff_post(&srv, &ben, "/admin/posts/1/editing/", "x=1", &r);
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/posts/%ld/editing/", id);
    staff_post(&srv, &ana, path, "x=1", &r);
    cr_expect(body_has(&r, "\"others\":\"\""), "gone after a minute: %s", r.body);
    resp_free(&r);
}

Test(http_conflicts, the_session_json_gives_a_fresh_token_or_401)
{
    login_all();
    struct resp r;
    staff_get(&srv, &ana, "/admin/session/", &r);
    cr_expect_eq(r.status, 200);
    char want[128];
    snprintf(want, sizeof(want), "\"csrf\":\"%s\"", ana.csrf);
    cr_expect(body_has(&r, want) && body_has(&r, "\"user\":\"Ana Reporter\""));
    resp_free(&r);
    http_req(&srv, "GET", "/admin/session/", &r);
    cr_expect_eq(r.status, 401);
    cr_expect(!body_has(&r, "csrf"));
    resp_free(&r);
}
