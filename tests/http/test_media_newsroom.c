/*
 * Photos in the newsroom, through the real doors: the media library page (newest first,
 * thumbnails with their size, alt text, who added each, where each is used), its search,
 * a photo's page (changing alt, decorative, caption and credit; deleting an unused photo,
 * refusing a used one with where it is used), who may do which (a contributor uploads and
 * changes their own; editors and administrators anyone's), CSRF on every change, the
 * pickers' JSON look-up, the feature image's caption saved with the post, and the site's
 * logo and icon settings.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff admin, editor, author, contrib;

static void newsroom_staff(struct srv *s)
{
    cr_assert_eq(staff_add(s, "admin@example.org", "Ada Admin", "administrator", PW), 0);
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
    cr_assert_eq(staff_add(s, "author@example.org", "Aut Author", "author", PW), 0);
    cr_assert_eq(staff_add(s, "contrib@example.org", "Cal Contributor", "contributor", PW), 0);
}

HTTP_SUITE(http_media_newsroom, srv, 180, .posts = 0, .before_start = newsroom_staff);

static void login_all(void)
{
    cr_assert_eq(staff_login(&srv, "admin@example.org", PW, &admin), 303);
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &editor), 303);
    cr_assert_eq(staff_login(&srv, "author@example.org", PW, &author), 303);
    cr_assert_eq(staff_login(&srv, "contrib@example.org", PW, &contrib), 303);
}

/* A PNG of w × h made with the vips CLI: distinct sizes make distinct photos. */
static char *photo(int w, int h, size_t *len)
{
    char path[SRV_PATH_MAX], cmd[SRV_PATH_MAX + 64];
    snprintf(path, sizeof(path), "%s/photo-%dx%d.png", srv.dir, w, h);
    snprintf(cmd, sizeof(cmd), "vips black '%s' %d %d --bands 3", path, w, h);
    cr_assert_eq(system(cmd), 0, "vips black failed");
    return file_slurp(path, len);
}

/*
 * POST /admin/media/ as st (multipart, as the library's form or media.js sends it);
 * json: with Accept: application/json. csrf false leaves the token out.
 */
static void upload(const struct staff *st, const char *filename, int w, int h, const char *alt,
                   bool json, bool csrf, struct resp *r)
{
    size_t plen;
    char *png = photo(w, h, &plen);
    const char *b = "----newsdesk-test-boundary";
    size_t cap = plen + 4096;
    char *body = malloc(cap);
    int n = snprintf(body, cap,
                     "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n%s\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nA caption\r\n"
                     "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                     "Content-Type: image/png\r\n\r\n",
                     b, csrf ? st->csrf : "", b, alt, b, b, filename);
    memcpy(body + n, png, plen);
    size_t blen = (size_t)n + plen;
    blen += (size_t)snprintf(body + blen, cap - blen, "\r\n--%s--\r\n", b);
    char *req = malloc(blen + 1024);
    int hn = snprintf(req, 1024,
                      "POST /admin/media/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                      "Origin: http://127.0.0.1:%d\r\nCookie: nd_session=%s\r\n%s"
                      "Content-Type: multipart/form-data; boundary=%s\r\n"
                      "Content-Length: %zu\r\n\r\n",
                      srv.port, srv.port, st->session, json ? "Accept: application/json\r\n" : "",
                      b, blen);
    memcpy(req + hn, body, blen);
    http_raw(&srv, req, (size_t)hn + blen, r);
    free(req);
    free(body);
    free(png);
}

/* The URL of the photo add() made last, from the upload's JSON answer. */
static char last_url[256];

/* Uploads and returns the new photo's key (malloc'd), asserting 201. */
static char *add(const struct staff *st, const char *filename, int w, int h, const char *alt)
{
    struct resp r;
    upload(st, filename, w, h, alt, true, true, &r);
    cr_assert_eq(r.status, 201, "upload: %d %s", r.status, r.body);
    char *key = body_between(&r, "\"key\":\"", "\"");
    cr_assert(key && strlen(key) == 16, "no key in %s", r.body);
    char *url = body_between(&r, "\"url\":\"", "\"");
    cr_assert(url && strstr(url, key), "no url in %s", r.body);
    /* a path, or an absolute URL: keep the path (what the editor inserts either way) */
    const char *path = strstr(url, "/content/images/");
    snprintf(last_url, sizeof(last_url), "%s", path ? path : url);
    free(url);
    resp_free(&r);
    return key;
}

static char *url_of(const char *key)
{
    cr_assert(strstr(last_url, key), "url_of the photo added last");
    return strdup(last_url);
}

static char *media_field(const char *key, const char *col)
{
    char sql[160];
    snprintf(sql, sizeof(sql), "SELECT %s FROM media WHERE key = '%s'", col, key);
    return db_query(&srv, sql);
}

static bool media_exists(const char *key)
{
    char *n = media_field(key, "count(*)");
    bool yes = atoi(n) > 0;
    free(n);
    return yes;
}

/* POST a photo's edit form as st; returns the status. */
static int edit(const struct staff *st, const char *key, const char *form)
{
    char path[64];
    snprintf(path, sizeof(path), "/admin/media/%s/", key);
    struct resp r;
    staff_post(&srv, st, path, form, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

static int delete_as(const struct staff *st, const char *key, struct resp *r)
{
    char path[80];
    snprintf(path, sizeof(path), "/admin/media/%s/delete/", key);
    staff_post(&srv, st, path, "", r);
    return r->status;
}

/* A published post by st whose body shows url; returns its id. */
static long post_with(const struct staff *st, const char *title, const char *url)
{
    char md[512], form[2048];
    snprintf(md, sizeof(md), "Words.\n\n![The harbour](%s \"Boats\")\n", url);
    char *t = form_enc(title), *m = form_enc(md);
    snprintf(form, sizeof(form), "title=%s&markdown=%s&action=publish", t, m);
    free(t);
    free(m);
    struct resp r;
    staff_post(&srv, st, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "post: %d %s", r.status, r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    return id;
}

Test(http_media_newsroom, the_library_lists_photos_newest_first_with_what_staff_need)
{
    login_all();
    char *a = add(&editor, "harbour-at-dawn.png", 64, 48, "Harbour at dawn");
    char *b = add(&contrib, "market.png", 40, 30, "Market square at noon");
    struct resp r;
    staff_get(&srv, &author, "/admin/media/", &r);
    cr_assert_eq(r.status, 200);
    const char *ha = strstr(r.body, "Harbour at dawn"), *mb = strstr(r.body, "Market square");
    cr_assert(ha && mb, "both photos listed");
    cr_expect(mb < ha, "newest first");
    cr_expect(body_has(&r, "loading=\"lazy\""));
    cr_expect(body_has(&r, "width=\"64\" height=\"48\""), "thumbnail with its size");
    cr_expect(body_has(&r, "64 × 48"), "dimensions shown");
    cr_expect(body_has(&r, "Eda Editor") && body_has(&r, "Cal Contributor"), "who added each");
    cr_expect(body_has(&r, "Not used"));
    cr_expect(body_has(&r, "enctype=\"multipart/form-data\""), "an upload form without script");
    cr_expect(body_has(&r, "href=\"/admin/media/\" aria-current=\"page\""), "in the navigation");
    char thumb[64];
    snprintf(thumb, sizeof(thumb), "/%s/", a);
    cr_expect(body_has(&r, thumb));
    resp_free(&r);
    free(a);
    free(b);
}

Test(http_media_newsroom, search_by_alt_text_and_file_name)
{
    login_all();
    free(add(&editor, "harbour-at-dawn.png", 64, 48, "Boats at first light"));
    free(add(&editor, "market.png", 40, 30, "Market square at noon"));
    struct resp r;
    staff_get(&srv, &editor, "/admin/media/?q=boats", &r);
    cr_expect(body_has(&r, "Boats at first light"));
    cr_expect(!body_has(&r, "Market square"));
    resp_free(&r);
    staff_get(&srv, &editor, "/admin/media/?q=harbour", &r);
    cr_expect(body_has(&r, "Boats at first light"), "found by file name");
    cr_expect(!body_has(&r, "Market square"));
    resp_free(&r);
    staff_get(&srv, &editor, "/admin/media/?q=nothing-like-this", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "No photo matches"));
    resp_free(&r);
}

Test(http_media_newsroom, pages_by_cursor)
{
    login_all();
    for (int i = 0; i < 32; i++) {
        char alt[32];
        snprintf(alt, sizeof(alt), "Photo number %02d", i);
        free(add(&editor, "many.png", 20 + i, 20, alt));
    }
    struct resp r;
    staff_get(&srv, &editor, "/admin/media/", &r);
    cr_expect(body_has(&r, "Photo number 31"));
    cr_expect(!body_has(&r, "Photo number 01"), "30 a page");
    char *more = body_between(&r, "<a href=\"/admin/media/?q=&amp;before=", "\"");
    cr_assert(more, "a link to older photos");
    resp_free(&r);
    char path[96];
    snprintf(path, sizeof(path), "/admin/media/?q=&before=%s", more);
    free(more);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "Photo number 01") && body_has(&r, "Photo number 00"));
    cr_expect(!body_has(&r, "Photo number 31"));
    resp_free(&r);
}

Test(http_media_newsroom, an_upload_without_script_says_what_was_removed)
{
    login_all();
    struct resp r;
    upload(&author, "plain.png", 33, 22, "A plain form upload", false, true, &r);
    cr_assert_eq(r.status, 303, "%d %s", r.status, r.body);
    char *loc = resp_header(&r, "location");
    cr_assert(loc && strstr(loc, "/admin/media/?added="), "%s", loc ? loc : "(none)");
    resp_free(&r);
    staff_get(&srv, &author, loc, &r);
    cr_expect(body_has(&r, "role=\"status\">Photo added."), "%s", r.body);
    resp_free(&r);
    free(loc);
}

Test(http_media_newsroom, editing_alt_caption_credit_and_decorative)
{
    login_all();
    char *k = add(&editor, "edit-me.png", 50, 50, "Old alt");
    cr_expect_eq(edit(&editor, k, "alt=New+alt&caption=The+new+caption&credit=Photo%3A+Ana"), 303);
    char *alt = media_field(k, "alt"), *cap = media_field(k, "caption"),
         *cred = media_field(k, "credit");
    cr_expect_str_eq(alt, "New alt");
    cr_expect_str_eq(cap, "The new caption");
    cr_expect_str_eq(cred, "Photo: Ana");
    free(alt);
    free(cap);
    free(cred);
    struct resp r;
    char path[64];
    snprintf(path, sizeof(path), "/admin/media/%s/?saved=1", k);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "value=\"New alt\""));
    cr_expect(body_has(&r, "Changes saved."));
    resp_free(&r);

    /* no alt and not decorative: refused, unchanged */
    snprintf(path, sizeof(path), "/admin/media/%s/", k);
    staff_post(&srv, &editor, path, "alt=&caption=Changed", &r);
    cr_expect_eq(r.status, 400);
    cr_expect(body_has(&r, "role=\"alert\""));
    resp_free(&r);
    cap = media_field(k, "caption");
    cr_expect_str_eq(cap, "The new caption", "nothing changed by a refused edit");
    free(cap);

    /* decorative: no alt needed */
    cr_expect_eq(edit(&editor, k, "alt=&decorative=1"), 303);
    char *deco = media_field(k, "decorative");
    cr_expect_str_eq(deco, "1");
    free(deco);
    free(k);
}

Test(http_media_newsroom, changes_need_the_csrf_token)
{
    login_all();
    char *k = add(&editor, "csrf.png", 30, 31, "Kept alt");
    char path[80], cookie[128];
    snprintf(path, sizeof(path), "/admin/media/%s/", k);
    snprintf(cookie, sizeof(cookie), "Cookie: nd_session=%s\r\n", editor.session);
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    struct resp r;
    form_post(&srv, path, origin, cookie, "alt=Changed", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    snprintf(path, sizeof(path), "/admin/media/%s/delete/", k);
    form_post(&srv, path, origin, cookie, "", &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    char *alt = media_field(k, "alt");
    cr_expect_str_eq(alt, "Kept alt");
    free(alt);
    cr_expect(media_exists(k));
    /* and the upload */
    upload(&editor, "no-token.png", 29, 29, "No token", true, false, &r);
    cr_expect_eq(r.status, 403);
    resp_free(&r);
    char *n = db_query(&srv, "SELECT count(*) FROM media WHERE alt = 'No token'");
    cr_expect_str_eq(n, "0");
    free(n);
    free(k);
}

Test(http_media_newsroom, a_used_photo_is_not_deleted_and_says_where)
{
    login_all();
    char *k = add(&editor, "used.png", 70, 40, "Used photo");
    char *url = url_of(k);
    post_with(&editor, "Harbour fire", url);
    struct resp r;
    cr_expect_eq(delete_as(&editor, k, &r), 409);
    cr_expect(body_has(&r, "Harbour fire"), "the refusal names where: %s", r.body);
    cr_expect(body_has(&r, "role=\"alert\""));
    resp_free(&r);
    cr_expect(media_exists(k), "still there");
    char path[64];
    snprintf(path, sizeof(path), "/admin/media/%s/", k);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "Harbour fire"), "the photo's page lists its uses");
    resp_free(&r);
    staff_get(&srv, &editor, "/admin/media/", &r);
    cr_expect(body_has(&r, "Used in:"));
    resp_free(&r);

    char *u = add(&editor, "unused.png", 71, 40, "Unused photo");
    cr_expect_eq(delete_as(&editor, u, &r), 303);
    resp_free(&r);
    cr_expect(!media_exists(u), "an unused photo is deleted");
    char sql[128];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM audit WHERE action = 'delete photo'"
             " AND target = 'media:%s'",
             u);
    char *logged = db_query(&srv, sql);
    cr_expect_str_eq(logged, "1", "the deletion is in the audit log");
    free(logged);
    staff_get(&srv, &editor, "/admin/media/?deleted=1", &r);
    cr_expect(body_has(&r, "Photo deleted."));
    resp_free(&r);
    free(url);
    free(k);
    free(u);
}

Test(http_media_newsroom, who_may_change_and_delete_whose_photos)
{
    login_all();
    char *mine = add(&contrib, "contrib.png", 45, 45, "By the contributor");
    char *theirs = add(&editor, "editors.png", 46, 45, "By the editor");
    /* a contributor uploads (above), and changes their own photo ... */
    cr_expect_eq(edit(&contrib, mine, "alt=Changed+by+its+uploader"), 303);
    /* ... but not another's; neither does an author */
    cr_expect_eq(edit(&contrib, theirs, "alt=Vandal"), 403);
    cr_expect_eq(edit(&author, theirs, "alt=Vandal"), 403);
    struct resp r;
    cr_expect_eq(delete_as(&contrib, theirs, &r), 403);
    resp_free(&r);
    cr_expect_eq(delete_as(&author, theirs, &r), 403);
    resp_free(&r);
    char *alt = media_field(theirs, "alt");
    cr_expect_str_eq(alt, "By the editor");
    free(alt);
    cr_expect(media_exists(theirs));
    /* the page shows no edit form to them */
    char path[64];
    snprintf(path, sizeof(path), "/admin/media/%s/", theirs);
    staff_get(&srv, &author, path, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(!body_has(&r, "id=\"media-edit\""));
    resp_free(&r);
    /* editors and administrators look after everyone's */
    cr_expect_eq(edit(&editor, mine, "alt=Tidied+by+the+editor"), 303);
    cr_expect_eq(delete_as(&admin, theirs, &r), 303);
    resp_free(&r);
    cr_expect(!media_exists(theirs));
    /* nobody signed in: nothing */
    http_req(&srv, "GET", "/admin/media/", &r);
    cr_expect(r.status == 303 || r.status == 401, "%d", r.status);
    resp_free(&r);
    free(mine);
    free(theirs);
}

Test(http_media_newsroom, the_pickers_json_lists_recent_photos)
{
    login_all();
    char *k = add(&author, "picker.png", 80, 60, "Picked <b>photo</b>");
    struct resp r;
    staff_get(&srv, &contrib, "/admin/api/media/?q=picked", &r);
    cr_assert_eq(r.status, 200);
    char *ct = resp_header(&r, "content-type");
    cr_expect(ct && strstr(ct, "application/json"));
    free(ct);
    cr_expect(body_has(&r, k));
    cr_expect(body_has(&r, "\"width\":80"));
    cr_expect(body_has(&r, "\\u003cb\\u003e"), "script-safe JSON: %s", r.body);
    resp_free(&r);
    http_req(&srv, "GET", "/admin/api/media/", &r);
    cr_expect(r.status != 200, "staff only");
    resp_free(&r);
    free(k);
}

Test(http_media_newsroom, the_feature_image_caption_is_saved_with_the_post)
{
    login_all();
    char *k = add(&editor, "feature.png", 90, 60, "Feature");
    char *url = url_of(k), *u = form_enc(url);
    char form[1024];
    snprintf(form, sizeof(form),
             "title=Featured&markdown=Body&action=save&feature_image=%s"
             "&feature_image_alt=The+harbour&feature_image_caption=Boats+leave+at+dawn",
             u);
    struct resp r;
    staff_post(&srv, &editor, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "%d %s", r.status, r.body);
    long id = post_id_of(&r);
    resp_free(&r);
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT feature_image_caption FROM posts WHERE id = %ld", id);
    char *cap = db_query(&srv, sql);
    cr_expect_str_eq(cap, "Boats leave at dawn");
    free(cap);
    char path[64];
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "value=\"Boats leave at dawn\""));
    cr_expect(body_has(&r, "data-media-field"));
    resp_free(&r);
    /* and the library says where it is used */
    snprintf(path, sizeof(path), "/admin/media/%s/", k);
    staff_get(&srv, &editor, path, &r);
    cr_expect(body_has(&r, "feature image"));
    resp_free(&r);
    free(url);
    free(u);
    free(k);
}

Test(http_media_newsroom, the_sites_logo_and_icon)
{
    login_all();
    char *k = add(&admin, "logo.png", 120, 40, "Newsdesk");
    char *url = url_of(k), *u = form_enc(url);
    struct resp r;
    staff_get(&srv, &admin, "/admin/settings/", &r);
    cr_assert_eq(r.status, 200);
    cr_expect(body_has(&r, "name=\"logo\"") && body_has(&r, "name=\"icon\""));
    cr_expect(body_has(&r, "media.js"));
    /* every setting is posted back: take the form's values, change logo */
    resp_free(&r);
    char form[2048];
    snprintf(form, sizeof(form),
             "title=Newsdesk&description=News&url=http%%3A%%2F%%2F127.0.0.1%%3A8080&language=en"
             "&timezone=UTC&posts_per_page=15&contact_email=&logo=%s&icon=",
             u);
    staff_post(&srv, &admin, "/admin/settings/", form, &r);
    cr_expect_eq(r.status, 303, "%d %s", r.status, r.body);
    resp_free(&r);
    char *v = db_query(&srv, "SELECT value FROM settings WHERE key = 'logo'");
    cr_expect_str_eq(v, url);
    free(v);
    /* a script address is refused */
    snprintf(form, sizeof(form),
             "title=Newsdesk&description=News&url=http%%3A%%2F%%2F127.0.0.1%%3A8080&language=en"
             "&timezone=UTC&posts_per_page=15&contact_email=&logo=%s&icon=javascript%%3Aalert(1)",
             u);
    staff_post(&srv, &admin, "/admin/settings/", form, &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    v = db_query(&srv, "SELECT count(*) FROM settings WHERE key = 'icon'");
    cr_expect_str_eq(v, "0");
    free(v);
    /* the logo in use is not deleted */
    cr_expect_eq(delete_as(&admin, k, &r), 409);
    cr_expect(body_has(&r, "Site logo"), "%s", r.body);
    resp_free(&r);
    free(url);
    free(u);
    free(k);
}

Test(http_media_newsroom, an_avatar_uploaded_on_the_profile)
{
    login_all();
    char *k = add(&author, "me.png", 60, 60, "Aut Author");
    char *url = url_of(k), *u = form_enc(url);
    struct resp r;
    staff_get(&srv, &author, "/admin/session/", &r);
    resp_free(&r);
    char *id = db_query(&srv, "SELECT id FROM users WHERE name = 'Aut Author'");
    char path[64], form[1024];
    snprintf(path, sizeof(path), "/admin/staff/%s/", id);
    staff_get(&srv, &author, path, &r);
    cr_expect(body_has(&r, "data-media-field=\"avatar\""));
    resp_free(&r);
    snprintf(form, sizeof(form),
             "name=Aut+Author&slug=aut-author&bio=&avatar=%s&website=&email=author%%40example.org"
             "&contact_email=",
             u);
    staff_post(&srv, &author, path, form, &r);
    cr_expect(body_has(&r, "Profile saved."), "%d %s", r.status, r.body);
    resp_free(&r);
    char *v = db_query(&srv, "SELECT avatar FROM users WHERE name = 'Aut Author'");
    cr_expect_str_eq(v, url);
    free(v);
    cr_expect_eq(delete_as(&author, k, &r), 409, "an avatar in use stays");
    resp_free(&r);

    /* a desk added on the staff page with its avatar; a script address is refused */
    staff_get(&srv, &editor, "/admin/staff/", &r);
    cr_expect(body_has(&r, "data-media-field=\"avatar\""));
    resp_free(&r);
    snprintf(form, sizeof(form), "name=Photo+Desk&role=desk&avatar=%s", u);
    staff_post(&srv, &editor, "/admin/staff/", form, &r);
    cr_expect_eq(r.status, 303, "%d %s", r.status, r.body);
    resp_free(&r);
    v = db_query(&srv, "SELECT avatar FROM users WHERE name = 'Photo Desk'");
    cr_expect_str_eq(v, url);
    free(v);
    staff_post(&srv, &editor, "/admin/staff/", "name=Bad+Desk&role=desk&avatar=javascript%3Ax", &r);
    cr_expect_eq(r.status, 400);
    resp_free(&r);
    v = db_query(&srv, "SELECT count(*) FROM users WHERE name = 'Bad Desk'");
    cr_expect_str_eq(v, "0");
    free(v);
    free(id);
    free(url);
    free(u);
    free(k);
}

Test(http_media_newsroom, an_unknown_or_malformed_key_is_not_found)
{
    login_all();
    const char *paths[] = {"/admin/media/0123456789abcdef/", "/admin/media/..%2f..%2fetc/",
                           "/admin/media/ZZZZ/"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct resp r;
        staff_get(&srv, &editor, paths[i], &r);
        /* 404, or the HTTP layer's 400 for an encoded slash */
        cr_expect(r.status == 404 || (i == 1 && r.status == 400), "%s: %d", paths[i], r.status);
        resp_free(&r);
    }
    struct resp r;
    cr_expect_eq(delete_as(&editor, "0123456789abcdef", &r), 404);
    resp_free(&r);
    cr_expect_eq(edit(&editor, "0123456789abcdef", "alt=x"), 404);
}

Test(http_media_newsroom, a_library_edit_reaches_the_posts_that_show_the_photo)
{
    login_all();
    char *k = add(&editor, "river.png", 64, 40, "The river");
    char md[sizeof(last_url) + 32], form[1024];
    snprintf(md, sizeof(md), "Words.\n\n![](%s)\n", last_url);
    char *m = form_enc(md);
    snprintf(form, sizeof(form), "title=River+rises&markdown=%s&action=publish", m);
    free(m);
    struct resp r;
    staff_post(&srv, &editor, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "%d %s", r.status, r.body);
    resp_free(&r);
    cr_expect_eq(edit(&editor, k, "alt=The+river+in+flood&caption=Water+at+the+bridge"), 303);
    http_req(&srv, "GET", "/river-rises/", &r);
    cr_expect_eq(r.status, 200);
    cr_expect(body_has(&r, "The river in flood"), "the new alt text on the article");
    cr_expect(body_has(&r, "Water at the bridge"), "the new caption on the article");
    resp_free(&r);
    free(k);
}
