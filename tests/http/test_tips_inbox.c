/*
 * The tips inbox over real HTTP: a tip sent from an article names it, the header counts
 * the unread, a reader's photo loses its GPS before an editor sees it and never reaches
 * readers or the library, oversized and fake photos store nothing, a tip becomes a
 * draft without its sender's address, tips are assigned and filtered, and the reader's
 * e-mail appears in no log.
 */
#include "harness.h"
#include "photos.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PW "correct horse battery"
#define READER_EMAIL "zq-reader-7731@example.net"
#define READER_NAME "Zoltan Quill"

static struct srv srv;
static struct staff editor, admin;

static void desk(struct srv *s)
{
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "admin@example.org", "Ada Admin", "administrator", PW), 0);
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
    srv_add_post(s, "fire.md",
                 "---\ntitle: Harbour fire\nauthors: [news-desk]\n---\nA warehouse burned.\n");
    srv_add_post(s, "plan.md", "---\ntitle: Secret plan\nstatus: draft\n---\nNot yet.\n");
}

/* Each test starts the server itself, with an access log it can read afterwards. */
HTTP_SUITE(http_tips_inbox, srv, 180, .before_start = desk, .prepare_only = true);

static void start(void)
{
    char log[SRV_PATH_MAX];
    snprintf(log, sizeof(log), "%s/access.log", srv.dir);
    const char *const args[] = {"--access-log", log, NULL};
    srv_start_args(&srv, args);
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    cr_assert_eq(staff_login(&srv, "admin@example.org", PW, &admin), 303);
}

/* ---- sending tips as a browser does: multipart/form-data with the site's Origin ---- */

struct part {
    const char *name;
    const char *value;    /* a text field; NULL for a file */
    const char *filename; /* a file: its name, and its bytes in data */
    const char *data;
    size_t len;
};

static void append(char **b, size_t *n, size_t *cap, const void *p, size_t len)
{
    while (*n + len + 1 > *cap) {
        *cap = *cap ? *cap * 2 : 4096;
        *b = realloc(*b, *cap);
    }
    memcpy(*b + *n, p, len);
    *n += len;
}

/* POSTs the parts to /tips/; r gets the answer. */
static void send_tip(const struct part *parts, size_t nparts, struct resp *r)
{
    char *body = NULL, head[512];
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < nparts; i++) {
        int h =
            parts[i].value
                ? snprintf(head, sizeof(head),
                           "--TIPBOUNDARY\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n",
                           parts[i].name)
                : snprintf(head, sizeof(head),
                           "--TIPBOUNDARY\r\nContent-Disposition: form-data; name=\"%s\"; "
                           "filename=\"%s\"\r\nContent-Type: image/jpeg\r\n\r\n",
                           parts[i].name, parts[i].filename);
        append(&body, &n, &cap, head, (size_t)h);
        if (parts[i].value)
            append(&body, &n, &cap, parts[i].value, strlen(parts[i].value));
        else
            append(&body, &n, &cap, parts[i].data, parts[i].len);
        append(&body, &n, &cap, "\r\n", 2);
    }
    append(&body, &n, &cap, "--TIPBOUNDARY--\r\n", 17);
    int h = snprintf(head, sizeof(head),
                     "POST /tips/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: http://127.0.0.1:%d\r\n"
                     "Content-Type: multipart/form-data; boundary=TIPBOUNDARY\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                     srv.port, srv.port, n);
    char *req = malloc((size_t)h + n);
    memcpy(req, head, (size_t)h);
    memcpy(req + h, body, n);
    http_raw(&srv, req, (size_t)h + n, r);
    free(req);
    free(body);
}

/* A tip with text only (and the article's slug when post is not NULL); its status. */
static int tip(const char *message, const char *post)
{
    struct part p[] = {{"message", message, NULL, NULL, 0},
                       {"email", READER_EMAIL, NULL, NULL, 0},
                       {"name", READER_NAME, NULL, NULL, 0},
                       {"post", post ? post : "", NULL, NULL, 0}};
    struct resp r;
    send_tip(p, 4, &r);
    int s = r.status;
    resp_free(&r);
    return s;
}

/* A JPEG from a phone that says where it was taken. */
static char *gps_photo(size_t *len)
{
    char path[SRV_PATH_MAX];
    photo_make(&srv, "phone.jpg", 800, 600, path);
    free(sh_out("exiftool -q -overwrite_original -GPSLatitude=50.4501 -GPSLatitudeRef=N "
                "-GPSLongitude=30.5234 -GPSLongitudeRef=E -SerialNumber=CAM123456 '%s'",
                path));
    char *check = sh_out("exiftool -s -s -s -GPSLatitude '%s'", path);
    cr_assert(strstr(check, "50"), "exiftool did not write the test photo's position");
    free(check);
    return file_slurp(path, len);
}

static long last_tip(void)
{
    return db_countf(&srv, "SELECT coalesce(max(id), 0) FROM tips");
}

static bool page_has(const struct staff *st, const char *path, const char *needle)
{
    struct resp r;
    staff_get(&srv, st, path, &r);
    cr_expect_eq(r.status, 200, "GET %s: %d", path, r.status);
    bool has = body_has(&r, needle);
    resp_free(&r);
    return has;
}

static int action(const struct staff *st, long id, const char *form)
{
    char path[64];
    snprintf(path, sizeof(path), "/admin/tips/%ld/", id);
    struct resp r;
    staff_post(&srv, st, path, form, &r);
    int s = r.status;
    resp_free(&r);
    return s;
}

/* ---- the tests ------------------------------------------------------------------------ */

Test(http_tips_inbox, a_tip_from_an_article_names_it_and_the_header_counts_the_unread)
{
    start();
    struct resp r;
    /* the article's author card carries the article to the form */
    http_req(&srv, "GET", "/harbour-fire/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "/tips/?about=news-desk&amp;post=harbour-fire"));
    resp_free(&r);
    http_req(&srv, "GET", "/tips/?about=news-desk&post=harbour-fire", &r);
    cr_expect(body_has(&r, "About the article <a href=\"/harbour-fire/\">Harbour fire</a>"));
    cr_expect(body_has(&r, "name=\"post\" value=\"harbour-fire\""));
    resp_free(&r);

    cr_expect(!page_has(&editor, "/admin/", "unread tip"), "no tips: no count");
    cr_expect_eq(tip("The fire started at noon.", "harbour-fire"), 303);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM tips WHERE post_id IS NOT NULL"
                                 " AND page = '/harbour-fire/'"),
                 1);
    cr_expect(page_has(&editor, "/admin/", "Tips <span aria-hidden=\"true\">(1)</span>"));
    cr_expect(page_has(&editor, "/admin/", "1 unread tip<"));
    /* never trusted blindly: a draft's slug or no post at all is not stored */
    cr_expect_eq(tip("About the plan.", "secret-plan"), 303);
    cr_expect_eq(tip("About nothing.", "no-such-post"), 303);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM tips WHERE post_id IS NULL AND page = ''"),
                 2);
    cr_expect(page_has(&editor, "/admin/media/", "3 unread tips"));

    long first = db_countf(&srv, "SELECT min(id) FROM tips");
    cr_expect(page_has(&editor, "/admin/tips/",
                       "Sent from: <a href=\"/harbour-fire/\">Harbour fire</a>"));
    char edit[64];
    snprintf(edit, sizeof(edit), "(<a href=\"/admin/posts/%ld/\">edit",
             db_countf(&srv, "SELECT id FROM posts WHERE slug = 'harbour-fire'"));
    cr_expect(page_has(&editor, "/admin/tips/", edit), "and to the article's editor");
    char path[64];
    snprintf(path, sizeof(path), "/admin/tips/%ld/", first);
    cr_expect(page_has(&editor, path, "<a href=\"/harbour-fire/\">Harbour fire</a>"));
    cr_expect(page_has(&editor, "/admin/", "2 unread tips"), "opening a tip reads it");
    cr_expect_eq(action(&editor, first, "action=unread"), 303);
    cr_expect(page_has(&editor, "/admin/", "3 unread tips"), "marked as unread");
    /* an author does not read tips, nor sees their count */
    struct staff author;
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    cr_expect(!page_has(&author, "/admin/", "unread tip"));
    staff_get(&srv, &author, path, &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
}

Test(http_tips_inbox, a_readers_photo_loses_its_gps_and_never_reaches_readers)
{
    start();
    size_t len;
    char *jpeg = gps_photo(&len);
    struct part p[] = {{"message", "Smoke over the harbour, photo attached.", NULL, NULL, 0},
                       {"photo", NULL, "IMG_0042.jpg", jpeg, len}};
    struct resp r;
    send_tip(p, 2, &r);
    cr_expect_eq(r.status, 303);
    resp_free(&r);
    free(jpeg);
    long id = last_tip();
    cr_assert_eq(db_countf(&srv, "SELECT count(*) FROM tip_photos WHERE tip_id = %ld", id), 1);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM media WHERE private = 1"), 1);
    char *key = db_query(&srv, "SELECT key FROM media");
    char *name = db_query(&srv, "SELECT name FROM media");

    /* what the editor downloads has no position and no serial number */
    char path[256];
    snprintf(path, sizeof(path), "/admin/tips/%ld/photos/%s/", id, key);
    cr_expect(page_has(&editor, "/admin/tips/", "Tip #"));
    snprintf(path, sizeof(path), "/admin/tips/%ld/", id);
    cr_expect(page_has(&editor, path, "location"), "the editor is told what was removed");
    snprintf(path, sizeof(path), "/admin/tips/%ld/photos/%s/", id, key);
    staff_get(&srv, &editor, path, &r);
    cr_assert_eq(r.status, 200, "%s: %d %.*s", path, r.status, (int)r.body_len, r.body);
    char *cc = resp_header(&r, "cache-control");
    cr_expect(cc && strstr(cc, "private"), "cache-control: %s", cc ? cc : "(none)");
    free(cc);
    char saved[SRV_PATH_MAX];
    srv_save(&srv, &r, "downloaded.jpg", saved);
    resp_free(&r);
    char *left = sh_out("exiftool -s -s -s -GPSLatitude -GPSLongitude -GPSPosition -SerialNumber "
                        "'%s'",
                        saved);
    cr_expect_str_eq(left, "", "left in the editor's download: %s", left);
    free(left);
    char *size = sh_out("vipsheader -f width '%s'", saved);
    cr_expect_str_eq(size, "800");
    free(size);

    /* readers: 404 at every URL of it; a reader without a session is sent to log in */
    char url[256];
    snprintf(url, sizeof(url), "/content/images/%s/%s.jpg", key, name);
    http_req(&srv, "GET", url, &r);
    cr_expect_eq(r.status, 404, "%s: %d", url, r.status);
    resp_free(&r);
    snprintf(url, sizeof(url), "/content/images/size/w320/%s/%s.jpg", key, name);
    http_req(&srv, "GET", url, &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    http_req(&srv, "GET", path, &r);
    cr_expect(r.status == 303 || r.status == 302 || r.status == 401, "%d", r.status);
    cr_expect(r.body_len < 2000, "no photo without a session");
    resp_free(&r);
    /* not in the library, nor its picker's JSON */
    cr_expect(!page_has(&editor, "/admin/media/", key));
    cr_expect(!page_has(&editor, "/admin/api/media/", key));

    /* added to the library: listed, and served to readers */
    char form[128];
    snprintf(form, sizeof(form), "action=library&key=%s", key);
    cr_expect_eq(action(&editor, id, form), 303);
    cr_expect(page_has(&editor, "/admin/media/", key));
    snprintf(url, sizeof(url), "/content/images/%s/%s.jpg", key, name);
    http_req(&srv, "GET", url, &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    free(key);
    free(name);
}

Test(http_tips_inbox, a_huge_photo_or_a_fake_one_is_refused_and_nothing_stored)
{
    start();
    /* 30 MB: over the 10 MB a photo may be, within what the form's body may carry */
    size_t big = 30u * 1000 * 1000;
    char *huge = malloc(big);
    memset(huge, 0x5a, big);
    memcpy(huge, "\xff\xd8\xff\xe0", 4);
    struct part p[] = {{"message", "Huge photo of the fire", NULL, NULL, 0},
                       {"email", READER_EMAIL, NULL, NULL, 0},
                       {"photo", NULL, "huge.jpg", huge, big}};
    struct resp r;
    send_tip(p, 3, &r);
    cr_expect_eq(r.status, 413);
    cr_expect(body_has(&r, "10 MB at most"), "a clear message");
    cr_expect(body_has(&r, "Huge photo of the fire</textarea>"), "the reader's text is kept");
    cr_expect(body_has(&r, "value=\"" READER_EMAIL "\""));
    resp_free(&r);
    free(huge);

    /* a document named .jpg */
    const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n";
    struct part q[] = {{"message", "Not a photo at all", NULL, NULL, 0},
                       {"photo", NULL, "scan.jpg", pdf, sizeof(pdf) - 1}};
    send_tip(q, 2, &r);
    cr_expect_eq(r.status, 422);
    cr_expect(body_has(&r, "is not a photo we can take"));
    cr_expect(body_has(&r, "Not a photo at all</textarea>"));
    resp_free(&r);

    /* four photos: one too many; the good ones are not kept either */
    size_t len;
    char *jpeg = gps_photo(&len);
    struct part four[] = {{"message", "Four photos", NULL, NULL, 0},
                          {"photo", NULL, "a.jpg", jpeg, len},
                          {"photo", NULL, "b.jpg", jpeg, len},
                          {"photo", NULL, "c.jpg", jpeg, len},
                          {"photo", NULL, "d.jpg", jpeg, len}};
    send_tip(four, 5, &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "up to 3 photos"));
    resp_free(&r);
    /* a good photo after a bad one: the whole tip is refused, the good one not kept */
    struct part mixed[] = {{"message", "Mixed", NULL, NULL, 0},
                           {"photo", NULL, "good.jpg", jpeg, len},
                           {"photo", NULL, "scan.jpg", pdf, sizeof(pdf) - 1}};
    send_tip(mixed, 3, &r);
    cr_expect_eq(r.status, 422);
    resp_free(&r);
    free(jpeg);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM tips"), 0);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM media"), 0);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM media_files"), 0);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM tip_photos"), 0);
}

Test(http_tips_inbox, turn_into_a_draft_quotes_the_tip_without_its_sender)
{
    start();
    cr_expect_eq(tip("Ferry fares rise in March.\nThe notice is on the pier.", "harbour-fire"),
                 303);
    long id = last_tip();
    char path[64];
    snprintf(path, sizeof(path), "/admin/tips/%ld/", id);
    struct resp r;
    staff_post(&srv, &editor, path, "action=draft", &r);
    cr_assert_eq(r.status, 303);
    long post = post_id_of(&r);
    resp_free(&r);
    cr_assert_gt(post, 0, "the editor lands on the new draft");
    cr_expect_eq(db_countf(&srv, "SELECT draft_id FROM tips WHERE id = %ld", id), post);
    cr_expect_eq(
        db_countf(&srv, "SELECT count(*) FROM posts WHERE id = %ld AND status = 'draft'", post), 1);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT markdown FROM post_bodies WHERE post_id = %ld", post);
    char *md = db_query(&srv, sql);
    cr_expect(strstr(md, "> Ferry fares rise in March."), "quoted: %s", md);
    free(md);
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM post_bodies WHERE post_id = %ld"
                  " AND markdown LIKE '%%> The notice is on the pier.%%'"
                  " AND markdown LIKE '%%tip #%ld%%' AND markdown LIKE '%%/harbour-fire/%%'",
                  post, id),
        1);
    cr_expect_eq(db_countf(&srv,
                           "SELECT count(*) FROM post_bodies WHERE post_id = %ld"
                           " AND (markdown LIKE '%%" READER_EMAIL "%%'"
                           " OR markdown LIKE '%%" READER_NAME "%%')",
                           post),
                 0, "the reader's address stays in the tip");
    cr_expect_eq(
        db_countf(&srv,
                  "SELECT count(*) FROM posts WHERE id = %ld AND title LIKE '%%" READER_NAME "%%'",
                  post),
        0);
    /* linked both ways */
    cr_expect(page_has(&editor, path, "Draft made"));
    char editor_path[64], link[64];
    snprintf(editor_path, sizeof(editor_path), "/admin/posts/%ld/", post);
    cr_expect(page_has(&editor, path, editor_path));
    snprintf(link, sizeof(link), "<a href=\"/admin/tips/%ld/\">From reader tip #%ld</a>", id, id);
    cr_expect(page_has(&editor, editor_path, link));
    cr_expect(page_has(&editor, "/admin/tips/", "Draft made"));
    /* audit-logged, once: a second draft of the same tip is refused */
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM audit WHERE action = 'draft from tip'"), 1);
    cr_expect_eq(action(&editor, id, "action=draft"), 409);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM posts WHERE status = 'draft'"), 2);
}

Test(http_tips_inbox, tips_are_assigned_and_filtered)
{
    start();
    cr_expect_eq(tip("First: bridge closed.", NULL), 303);
    long first = last_tip();
    cr_expect_eq(tip("Second: school flooded.", NULL), 303);
    long second = last_tip();
    long eda = db_countf(&srv, "SELECT id FROM users WHERE email = 'editor@example.org'");
    long aut = db_countf(&srv, "SELECT id FROM users WHERE email = 'author@example.org'");
    char path[64], form[64];
    snprintf(path, sizeof(path), "/admin/tips/%ld/", first);
    cr_expect(page_has(&editor, path, ">Eda Editor</option>"), "editors in the select");
    cr_expect(!page_has(&editor, path, ">Aut Author</option>"), "authors are not");
    snprintf(form, sizeof(form), "action=assign&assigned_to=%ld", eda);
    cr_expect_eq(action(&editor, first, form), 303);
    cr_expect_eq(db_countf(&srv, "SELECT assigned_to FROM tips WHERE id = %ld", first), eda);
    snprintf(form, sizeof(form), "action=assign&assigned_to=%ld", aut);
    cr_expect_eq(action(&editor, first, form), 400, "tips go to editors only");
    cr_expect_eq(db_countf(&srv, "SELECT assigned_to FROM tips WHERE id = %ld", first), eda);
    /* without the CSRF token: refused */
    struct resp r;
    char cookie[128];
    snprintf(cookie, sizeof(cookie), "Cookie: nd_session=%s\r\n", editor.session);
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    form_post(&srv, path, origin, cookie, "action=assign&assigned_to=0", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);

    cr_expect(page_has(&editor, "/admin/tips/?whose=mine", "First: bridge closed."));
    cr_expect(!page_has(&editor, "/admin/tips/?whose=mine", "Second: school flooded."));
    cr_expect(!page_has(&admin, "/admin/tips/?whose=mine", "First: bridge closed."));
    cr_expect(page_has(&editor, "/admin/tips/?whose=unassigned", "Second: school flooded."));
    cr_expect(!page_has(&editor, "/admin/tips/?whose=unassigned", "First: bridge closed."));
    cr_expect(page_has(&editor, "/admin/tips/", "assigned to Eda Editor"));
    /* states: the first was opened (read) and is then handled */
    cr_expect(page_has(&editor, "/admin/tips/?state=unread", "Second: school flooded."));
    cr_expect(!page_has(&editor, "/admin/tips/?state=unread", "First: bridge closed."));
    cr_expect_eq(action(&editor, first, "action=handled"), 303);
    cr_expect(page_has(&editor, "/admin/tips/?state=handled", "First: bridge closed."));
    cr_expect(!page_has(&editor, "/admin/tips/?state=open", "First: bridge closed."));
    cr_expect(
        page_has(&editor, "/admin/tips/?state=open&whose=unassigned", "Second: school flooded."));
    snprintf(form, sizeof(form), "action=assign&assigned_to=0");
    cr_expect_eq(action(&editor, first, form), 303);
    cr_expect_eq(db_countf(&srv, "SELECT count(*) FROM tips WHERE assigned_to IS NULL"), 2);
    (void)second;
}

/* Every place the server writes: its log, the access log, the audit log. */
static void expect_nowhere(const char *secret)
{
    char *hits = sh_out("grep -r -i -l -F '%s' '%s/server.log' '%s/access.log' 2>/dev/null", secret,
                        srv.dir, srv.dir);
    cr_expect_str_eq(hits, "", "'%s' found in %s", secret, hits);
    free(hits);
    cr_expect_eq(db_countf(&srv,
                           "SELECT count(*) FROM audit WHERE lower(target || ' ' || detail)"
                           " LIKE '%%' || lower('%s') || '%%'",
                           secret),
                 0, "'%s' in the audit log", secret);
}

Test(http_tips_inbox, the_readers_address_appears_in_no_log)
{
    start();
    cr_expect_eq(tip("Write back to me about the ferry.", "harbour-fire"), 303);
    long id = last_tip();
    char path[64];
    snprintf(path, sizeof(path), "/admin/tips/%ld/", id);
    cr_expect(page_has(&editor, path, READER_EMAIL), "the editor sees the reply address");
    cr_expect(page_has(&editor, "/admin/tips/", READER_EMAIL));
    long eda = db_countf(&srv, "SELECT id FROM users WHERE email = 'editor@example.org'");
    char form[64];
    snprintf(form, sizeof(form), "action=assign&assigned_to=%ld", eda);
    cr_expect_eq(action(&editor, id, form), 303);
    cr_expect_eq(action(&editor, id, "action=draft"), 303);
    cr_expect_eq(action(&editor, id, "action=handled"), 303);
    /* refused tips too: a bad link, a fake photo */
    struct part bad[] = {{"message", "Again", NULL, NULL, 0},
                         {"email", READER_EMAIL, NULL, NULL, 0},
                         {"name", READER_NAME, NULL, NULL, 0},
                         {"link", "javascript:alert(1)", NULL, NULL, 0}};
    struct resp r;
    send_tip(bad, 4, &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    struct part fake[] = {{"message", "Again", NULL, NULL, 0},
                          {"email", READER_EMAIL, NULL, NULL, 0},
                          {"photo", NULL, READER_EMAIL ".jpg", "not a photo", 11}};
    send_tip(fake, 3, &r);
    cr_expect_eq(r.status, 422);
    resp_free(&r);
    cr_expect_eq(action(&editor, id, "action=delete"), 303);
    srv_stop(&srv);
    char *lines = sh_out("wc -l < '%s/access.log'", srv.dir);
    cr_expect_gt(atol(lines), 5, "the access log was written");
    free(lines);
    expect_nowhere(READER_EMAIL);
    expect_nowhere(READER_NAME);
}
