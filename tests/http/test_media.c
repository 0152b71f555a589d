/*
 * Photos over HTTP: the upload (POST /admin/media/), what is served under
 * /content/images/ (headers, ranges, canonical paths, no metadata), the bad inputs of
 * issue 13 each refused with nothing half-stored, 50 uploads at once, and the CLI.
 *
 * The test photo is made here: noise from `vips`, then exiftool writes a GPS position, a
 * camera serial number, an embedded thumbnail and Orientation 6 (turn 90° clockwise) into
 * it, as a phone would.
 */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <zlib.h>

#define PW "correct horse battery"

static struct srv srv;

static void accounts(struct srv *s)
{
    cr_assert_eq(staff_add(s, "con@example.org", "Cai Contributor", "contributor", PW), 0);
}

HTTP_SUITE(http_media, srv, 180, .before_start = accounts);

/* A phone-like JPEG w × h (before turning) at name in the server's folder; its path. */
static const char *phone_photo(const char *name, int w, int h, char path[SRV_PATH_MAX])
{
    snprintf(path, SRV_PATH_MAX, "%s/%s", srv.dir, name);
    free(sh_out("vips gaussnoise %s %d %d && vips gaussnoise %s.thumb.jpg 160 120 && "
                "exiftool -q -overwrite_original -GPSLatitude=50.45 -GPSLatitudeRef=N "
                "-GPSLongitude=30.52 -GPSLongitudeRef=E -SerialNumber=CAM123456 -Orientation#=6 "
                "'-ThumbnailImage<=%s.thumb.jpg' %s",
                path, w, h, path, path, path));
    char *check = sh_out("exiftool -s -s -s -SerialNumber %s", path);
    cr_assert_str_eq(check, "CAM123456", "exiftool did not write the test photo");
    free(check);
    return path;
}

static struct staff login(void)
{
    struct staff st;
    cr_assert_eq(staff_login(&srv, "con@example.org", PW, &st), 303);
    return st;
}

/* A refusal expected before the body is sent: no more than 5 s of waiting for it. */
static void read_soon(int fd, struct resp *r)
{
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    http_read_response(fd, r);
}

/* One multipart field. */
static size_t field(char *out, const char *name, const char *value)
{
    return (size_t)sprintf(
        out, "--BOUNDARY\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n", name,
        value);
}

struct upload {
    const char *alt; /* NULL: no alt field */
    bool decorative;
    const char *filename;     /* NULL: "photo.jpg"; sent raw, so it may hold anything */
    const char *content_type; /* NULL: the multipart type */
    const char *origin;       /* NULL: this site */
    bool no_file;
    bool json;
    bool logged_out;
    bool csrf_field; /* the token as the form's csrf field rather than X-CSRF-Token */
};

/* POST /admin/media/ with data as the file part; the request as a browser's script sends it. */
static void upload(const struct staff *st, const void *data, size_t len, const struct upload *u,
                   struct resp *r)
{
    char *body = malloc(len + 8192), *req = malloc(len + 16384);
    size_t n = 0;
    if (u->csrf_field)
        n += field(body + n, "csrf", st->csrf);
    if (u->alt)
        n += field(body + n, "alt", u->alt);
    if (u->decorative)
        n += field(body + n, "decorative", "1");
    n += field(body + n, "caption", "The harbour at dawn");
    if (!u->no_file) {
        n += (size_t)sprintf(body + n,
                             "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; "
                             "filename=\"%s\"\r\nContent-Type: image/jpeg\r\n\r\n",
                             u->filename ? u->filename : "photo.jpg");
        memcpy(body + n, data, len);
        n += len;
        n += (size_t)sprintf(body + n, "\r\n");
    }
    n += (size_t)sprintf(body + n, "--BOUNDARY--\r\n");
    char origin[128];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    char token[128] = "";
    if (!u->csrf_field)
        snprintf(token, sizeof(token), "X-CSRF-Token: %s\r\n", st->csrf);
    int h =
        sprintf(req,
                "POST /admin/media/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                "Origin: %s\r\nCookie: nd_session=%s\r\n%s%s"
                "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n",
                srv.port, u->origin ? u->origin : origin, u->logged_out ? "" : st->session, token,
                u->json ? "Accept: application/json\r\n" : "",
                u->content_type ? u->content_type : "multipart/form-data; boundary=BOUNDARY", n);
    memcpy(req + h, body, n);
    http_raw(&srv, req, (size_t)h + n, r);
    free(body);
    free(req);
}

/* The value of "name": in a JSON answer, as text (malloc'd); NULL when absent. */
static char *json_value(const struct resp *r, const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "\"%s\":", name);
    const char *p = r->body ? strstr(r->body, key) : NULL;
    if (!p)
        return NULL;
    p += strlen(key);
    bool quoted = *p == '"';
    p += quoted;
    size_t n = quoted ? strcspn(p, "\"") : strcspn(p, ",}");
    return strndup(p, n);
}

static long rows(const char *table)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    char *v = db_query(&srv, sql);
    long n = atol(v);
    free(v);
    return n;
}

/* A JSON upload of the file at path that must succeed; the answer's url (malloc'd). */
static char *upload_ok(const struct staff *st, const char *path, int want_status)
{
    size_t len;
    char *data = file_slurp(path, &len);
    struct resp r;
    upload(st, data, len, &(struct upload){.alt = "A harbour at dawn", .json = true}, &r);
    cr_assert_eq(r.status, want_status, "upload: %d %s", r.status, r.body);
    char *url = json_value(&r, "url");
    cr_assert(url);
    resp_free(&r);
    free(data);
    return url;
}

/* Responses the cache has stored since the server started (/metrics, to loopback). */
static long cache_stores(void)
{
    struct resp r;
    http_req(&srv, "GET", "/metrics", &r);
    cr_assert_eq(r.status, 200);
    const char *p = strstr(r.body, "\nnewsdesk_cache_stores_total{cache=\"pages\"} ");
    long n = p ? atol(p + strlen("\nnewsdesk_cache_stores_total{cache=\"pages\"} ")) : -1;
    resp_free(&r);
    return n;
}

/* GET with extra header lines. */
static void get_with(const char *path, const char *headers, struct resp *r)
{
    char req[2048];
    int n = snprintf(req, sizeof(req),
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sConnection: close\r\n\r\n", path,
                     srv.port, headers);
    http_raw(&srv, req, (size_t)n, r);
}

/*
 * What exiftool finds of the camera's secrets in a served file ("" when none): position,
 * serial number, thumbnail, and any orientation (the pixels themselves are turned).
 */
static char *secrets(const struct resp *r, const char *name)
{
    char path[SRV_PATH_MAX];
    srv_save(&srv, r, name, path);
    return sh_out("exiftool -s -s -s -GPSLatitude -GPSLongitude -GPSPosition -SerialNumber "
                  "-InternalSerialNumber -ThumbnailImage -PreviewImage -Orientation %s",
                  path);
}

static void expect_header(const struct resp *r, const char *name, const char *want)
{
    char *v = resp_header(r, name);
    cr_expect(v && strstr(v, want), "%s: '%s', want '%s'", name, v ? v : "(none)", want);
    free(v);
}

Test(http_media, upload_then_every_size_is_served_bare_and_upright)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("phone.jpg", 1600, 1200, path);
    size_t len;
    char *data = file_slurp(path, &len);
    struct resp r;
    upload(&st, data, len, &(struct upload){.alt = "A harbour at dawn", .json = true}, &r);
    cr_assert_eq(r.status, 201, "%s", r.body);
    char *url = json_value(&r, "url"), *w = json_value(&r, "width"), *h = json_value(&r, "height");
    char *removed = json_value(&r, "removed"), *key = json_value(&r, "key");
    cr_expect_str_eq(w, "1200", "turned upright: 1200 wide");
    cr_expect_str_eq(h, "1600");
    cr_expect(strstr(removed, "location") && strstr(removed, "serial"), "removed: %s", removed);
    cr_expect(strstr(r.body, "\"existed\":false"));
    cr_expect(strstr(url, "/content/images/") == url && strstr(url, "/photo.jpg"), "%s", url);
    resp_free(&r);

    http_req(&srv, "GET", url, &r);
    cr_assert_eq(r.status, 200);
    expect_header(&r, "content-type", "image/jpeg");
    expect_header(&r, "cache-control", "public, max-age=31536000, immutable");
    expect_header(&r, "etag", "\"");
    expect_header(&r, "last-modified", "GMT");
    expect_header(&r, "x-content-type-options", "nosniff");
    expect_header(&r, "content-security-policy", "default-src 'none'");
    expect_header(&r, "accept-ranges", "bytes");
    char *etag = resp_header(&r, "etag");
    cr_expect(etag && strncmp(etag, "W/", 2) != 0, "a strong ETag");
    char *left = secrets(&r, "served.jpg");
    cr_expect_str_eq(left, "", "the original still carries: %s", left);
    char *dims = sh_out("vipsheader -f width %s/served.jpg; vipsheader -f height %s/served.jpg",
                        srv.dir, srv.dir);
    cr_expect_str_eq(dims, "1200\n1600", "upright: %s", dims);
    free(dims);
    free(left);
    resp_free(&r);

    /* every rendition, in each format, bare too */
    static const char *const sizes[] = {"w320", "w640", "w960", "w1200"};
    static const char *const formats[] = {"", "format/webp/"};
    for (size_t i = 0; i < 4; i++)
        for (size_t f = 0; f < 2; f++) {
            if (i == 3 && f == 1)
                continue; /* the social width is made in the fallback format alone */
            char p[256];
            snprintf(p, sizeof(p), "/content/images/size/%s/%s%s/photo.jpg", sizes[i], formats[f],
                     key);
            http_req(&srv, "GET", p, &r);
            cr_expect_eq(r.status, 200, "%s: %d", p, r.status);
            expect_header(&r, "content-type", f ? "image/webp" : "image/jpeg");
            left = secrets(&r, "rendition");
            cr_expect_str_eq(left, "", "%s still carries: %s", p, left);
            free(left);
            resp_free(&r);
        }
    /* the uploaded bytes are never served, whatever the path */
    char p[256];
    snprintf(p, sizeof(p), "/content/images/size/upload/%s/photo.jpg", key);
    http_req(&srv, "GET", p, &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    char *uploads = db_query(&srv, "SELECT count(*) FROM media_files WHERE variant = 'upload'");
    cr_expect_str_eq(uploads, "0", "the upload's bytes are dropped once the original exists");
    free(uploads);
    free(etag);
    free(url);
    free(w);
    free(h);
    free(removed);
    free(key);
    free(data);
}

/*
 * Requests for a rendition the background has not made yet, eight at once: each waits
 * for the one making of it (media_work, then the cache's single render per key) and all
 * get the same bytes.
 */
Test(http_media, a_rendition_asked_for_before_it_exists_is_made_once_for_all)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("early.jpg", 2000, 1500, path);
    char *url = upload_ok(&st, path, 201);
    char p[256];
    snprintf(p, sizeof(p), "/content/images/size/w1280/format/webp/%s",
             url + strlen("/content/images/"));
    enum { N = 8 };
    int fds[N];
    for (int i = 0; i < N; i++) {
        char req[512];
        int n = snprintf(req, sizeof(req),
                         "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", p,
                         srv.port);
        fds[i] = http_open(&srv);
        http_send_all(fds[i], req, (size_t)n);
    }
    struct resp first = {0};
    for (int i = 0; i < N; i++) {
        struct resp r;
        http_read_response(fds[i], &r);
        cr_expect_eq(r.status, 200, "request %d: %d", i, r.status);
        if (i == 0)
            first = r;
        else {
            cr_expect(r.body_len == first.body_len && !memcmp(r.body, first.body, r.body_len),
                      "request %d got other bytes", i);
            resp_free(&r);
        }
    }
    resp_free(&first);
    free(url);
}

Test(http_media, the_same_file_twice_is_stored_once)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("twice.jpg", 400, 300, path);
    char *a = upload_ok(&st, path, 201), *b = upload_ok(&st, path, 200);
    cr_expect_str_eq(a, b);
    cr_expect_eq(rows("media"), 1);
    free(a);
    free(b);
}

Test(http_media, ghost_sizes_resolve_to_the_nearest_rendition)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("sizes.jpg", 1600, 1200, path);
    char *url = upload_ok(&st, path, 201);
    char want[256], p[256];
    const char *key = url + strlen("/content/images/");
    snprintf(p, sizeof(p), "/content/images/size/w600/%s", key);
    snprintf(want, sizeof(want), "/content/images/size/w640/%s", key);
    struct resp r;
    http_req(&srv, "GET", p, &r);
    cr_expect_eq(r.status, 301);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && !strcmp(loc, want), "w600 → %s", loc ? loc : "(none)");
    free(loc);
    resp_free(&r);
    http_req(&srv, "GET", want, &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    /* wider than any rendition: the widest; distinct widths never make new cache entries */
    long stores = cache_stores();
    cr_expect_gt(stores, 0, "the w640 rendition above was stored");
    for (int w = 2000; w < 2010; w++) {
        snprintf(p, sizeof(p), "/content/images/size/w%d/%s", w, key);
        http_req(&srv, "GET", p, &r);
        cr_expect_eq(r.status, 301);
        loc = resp_header(&r, "location");
        cr_expect(loc && strstr(loc, "/size/w960/"), "w%d → %s", w, loc ? loc : "(none)");
        free(loc);
        resp_free(&r);
    }
    cr_expect_eq(cache_stores(), stores, "a flood of widths stored responses in the cache");
    /* a wrong name, a bad key, a bad width, a format there is none of: nothing */
    static const char *const bad[] = {"", "size/w0/", "size/wx/", "size/w640/format/gif/"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "/content/images/%s%s", bad[i], key);
        http_req(&srv, "GET", p, &r);
        cr_expect_eq(r.status, i ? 404 : 200, "%s: %d", p, r.status);
        resp_free(&r);
    }
    snprintf(p, sizeof(p), "/content/images/0123456789abcdef/sizes.jpg");
    http_req(&srv, "GET", p, &r);
    cr_expect_eq(r.status, 404);
    resp_free(&r);
    snprintf(p, sizeof(p), "/content/images/%.16s/other-name.jpg", key);
    http_req(&srv, "GET", p, &r);
    cr_expect_eq(r.status, 301, "another name: the canonical one");
    resp_free(&r);
    free(url);
}

Test(http_media, ranges_and_revalidation)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("range.jpg", 800, 600, path);
    char *url = upload_ok(&st, path, 201);
    struct resp full, r;
    http_req(&srv, "GET", url, &full);
    cr_assert_eq(full.status, 200);
    size_t n = full.body_len;
    char *etag = resp_header(&full, "etag");
    char h[256];

    get_with(url, "Range: bytes=0-99\r\n", &r);
    cr_expect_eq(r.status, 206);
    cr_expect_eq(r.body_len, 100);
    cr_expect(!memcmp(r.body, full.body, 100));
    snprintf(h, sizeof(h), "bytes 0-99/%zu", n);
    expect_header(&r, "content-range", h);
    resp_free(&r);

    get_with(url, "Range: bytes=-10\r\n", &r);
    cr_expect_eq(r.status, 206);
    cr_expect_eq(r.body_len, 10);
    cr_expect(!memcmp(r.body, full.body + n - 10, 10));
    resp_free(&r);

    snprintf(h, sizeof(h), "Range: bytes=%zu-\r\n", n - 5);
    get_with(url, h, &r);
    cr_expect_eq(r.status, 206);
    cr_expect_eq(r.body_len, 5);
    resp_free(&r);

    snprintf(h, sizeof(h), "Range: bytes=%zu-\r\n", n);
    get_with(url, h, &r);
    cr_expect_eq(r.status, 416);
    snprintf(h, sizeof(h), "bytes */%zu", n);
    expect_header(&r, "content-range", h);
    resp_free(&r);

    /* If-Range: a range of the representation the client has, else all of it */
    snprintf(h, sizeof(h), "Range: bytes=0-9\r\nIf-Range: %s\r\n", etag);
    get_with(url, h, &r);
    cr_expect_eq(r.status, 206);
    resp_free(&r);
    get_with(url, "Range: bytes=0-9\r\nIf-Range: \"0000000000000000\"\r\n", &r);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(r.body_len, n);
    resp_free(&r);
    /* several ranges: the whole photo, as RFC 9110 allows */
    get_with(url, "Range: bytes=0-9,20-29\r\n", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);

    snprintf(h, sizeof(h), "If-None-Match: %s\r\n", etag);
    get_with(url, h, &r);
    cr_expect_eq(r.status, 304);
    cr_expect_eq(r.body_len, 0);
    resp_free(&r);
    /* never compressed */
    get_with(url, "Accept-Encoding: gzip, br\r\n", &r);
    char *ce = resp_header(&r, "content-encoding");
    cr_expect(!ce, "an image sent with Content-Encoding %s", ce);
    free(ce);
    resp_free(&r);
    free(etag);
    free(url);
    resp_free(&full);
}

/* A PNG chunk: length, type and data (typed: 4 + len bytes), CRC. */
static size_t chunk(unsigned char *out, const unsigned char *typed, size_t len)
{
    out[0] = (unsigned char)(len >> 24);
    out[1] = (unsigned char)(len >> 16);
    out[2] = (unsigned char)(len >> 8);
    out[3] = (unsigned char)len;
    memcpy(out + 4, typed, 4 + len);
    uLong crc = crc32(0, typed, (uInt)(4 + len));
    unsigned char *c = out + 8 + len;
    c[0] = (unsigned char)(crc >> 24);
    c[1] = (unsigned char)(crc >> 16);
    c[2] = (unsigned char)(crc >> 8);
    c[3] = (unsigned char)crc;
    return 12 + len;
}

/* A PNG saying 50,000 × 50,000 pixels in a few hundred bytes: a decompression bomb. */
static size_t png_bomb(unsigned char *out)
{
    static const unsigned char sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const unsigned char ihdr[17] = {'I', 'H',  'D',  'R', 0, 0, 0xc3, 0x50, 0,
                                           0,   0xc3, 0x50, 8,   0, 0, 0,    0};
    /* the first rows' pixels, all zero: a zlib stream of a few dozen bytes */
    unsigned char rows[4096] = {0}, idat[4 + 512] = {'I', 'D', 'A', 'T'};
    uLongf zlen = sizeof(idat) - 4;
    compress(idat + 4, &zlen, rows, sizeof(rows));
    memcpy(out, sig, 8);
    size_t n = 8;
    n += chunk(out + n, ihdr, 13);
    n += chunk(out + n, idat, zlen);
    n += chunk(out + n, (const unsigned char *)"IEND", 0);
    return n;
}

struct bad_case {
    const char *what;
    const void *data;
    size_t len;
    struct upload u;
    int status;
};

Test(http_media, bad_input_is_refused_and_nothing_is_stored)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("good.jpg", 400, 300, path);
    size_t jlen;
    char *jpeg = file_slurp(path, &jlen);
    unsigned char bomb[1024];
    size_t blen = png_bomb(bomb);
    static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script>"
                              "</svg>";
    static const char html[] = "<!DOCTYPE html><html><body>hi</body></html>";
    static const char text[] = "just some words, not a photo\n";
    struct upload ok = {.alt = "alt", .json = true};
    struct upload urlenc = ok, nofile = ok, noalt = ok;
    urlenc.content_type = "application/x-www-form-urlencoded";
    nofile.no_file = true;
    noalt.alt = NULL;
    const struct bad_case cases[] = {
        {"zero bytes", "", 0, ok, 400},
        {"text", text, sizeof(text) - 1, ok, 415},
        {"SVG", svg, sizeof(svg) - 1, ok, 415},
        {"HTML named .jpg", html, sizeof(html) - 1, ok, 415},
        {"a header cut short", jpeg, 40, ok, 400},
        {"a decompression bomb", bomb, blen, ok, 413},
        {"a wrong Content-Type", jpeg, jlen, urlenc, 415},
        {"no file", jpeg, jlen, nofile, 400},
        {"no alt text", jpeg, jlen, noalt, 400},
    };
    long media = rows("media"), files = rows("media_files");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct resp r;
        upload(&st, cases[i].data, cases[i].len, &cases[i].u, &r);
        cr_expect_eq(r.status, cases[i].status, "%s: %d %s", cases[i].what, r.status, r.body);
        char *msg = json_value(&r, "message"), *type = json_value(&r, "type");
        cr_expect(msg && *msg && type && strstr(type, "Error"), "%s: no JSON error (%s)",
                  cases[i].what, r.body);
        free(msg);
        free(type);
        resp_free(&r);
    }
    cr_expect_eq(rows("media"), media, "a refused upload left a row");
    cr_expect_eq(rows("media_files"), files, "a refused upload left a file");
    free(jpeg);
}

/*
 * A sound header over pixels cut short: refused while the uploader waits, with a message,
 * and nothing stored (not accepted and then removed behind their back).
 */
Test(http_media, pixels_cut_short_are_refused)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("cut.jpg", 800, 600, path);
    size_t len;
    char *jpeg = file_slurp(path, &len);
    struct resp r;
    upload(&st, jpeg, len / 2, &(struct upload){.alt = "x", .json = true}, &r);
    cr_expect_eq(r.status, 400, "%d %s", r.status, r.body);
    cr_expect(strstr(r.body, "cut short"), "%s", r.body);
    resp_free(&r);
    cr_expect_eq(rows("media"), 0);
    cr_expect_eq(rows("media_files"), 0);
    free(jpeg);
}

Test(http_media, file_names_and_polyglots)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("poly.jpg", 400, 300, path);
    size_t len;
    char *jpeg = file_slurp(path, &len);
    /* a JPEG with a ZIP after it: stored as the photo alone */
    static const char zip[] = "PK\x03\x04\x14\x00\x00\x00\x08\x00secret.txt";
    char *poly = malloc(len + sizeof(zip));
    memcpy(poly, jpeg, len);
    memcpy(poly + len, zip, sizeof(zip) - 1);
    struct resp r;
    upload(&st, poly, len + sizeof(zip) - 1,
           &(struct upload){.alt = "x", .json = true, .filename = "../../etc/Harbour Dawn.jpg"},
           &r);
    cr_assert_eq(r.status, 201, "%s", r.body);
    char *url = json_value(&r, "url");
    cr_expect(strstr(url, "/harbour-dawn.jpg"), "the name's slug alone: %s", url);
    resp_free(&r);
    http_req(&srv, "GET", url, &r);
    cr_expect_eq(r.status, 200);
    cr_expect(!memmem(r.body, r.body_len, "PK\x03\x04", 4), "the ZIP was served");
    resp_free(&r);
    /* a NUL in the file name: the form is refused */
    long media = rows("media");
    char nul[] = "x\x01y.jpg";
    nul[1] = '\0';
    char *req = malloc(len + 4096);
    int h =
        sprintf(req, "--BOUNDARY\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nx\r\n"
                     "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"");
    memcpy(req + h, nul, 5);
    h += 5;
    h += sprintf(req + h, "\"\r\n\r\n");
    memcpy(req + h, jpeg + 1, len - 1); /* other bytes than the first upload's */
    h += (int)len - 1;
    h += sprintf(req + h, "\r\n--BOUNDARY--\r\n");
    char head[1024];
    int hn = sprintf(head,
                     "POST /admin/media/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                     "Origin: http://127.0.0.1:%d\r\nCookie: nd_session=%s\r\nX-CSRF-Token: %s\r\n"
                     "Accept: application/json\r\n"
                     "Content-Type: multipart/form-data; boundary=BOUNDARY\r\n"
                     "Content-Length: %d\r\n\r\n",
                     srv.port, srv.port, st.session, st.csrf, h);
    char *all = malloc((size_t)(hn + h));
    memcpy(all, head, (size_t)hn);
    memcpy(all + hn, req, (size_t)h);
    http_raw(&srv, all, (size_t)(hn + h), &r);
    cr_expect_eq(r.status, 400, "%s", r.body);
    resp_free(&r);
    cr_expect_eq(rows("media"), media);
    free(all);
    free(req);
    free(url);
    free(poly);
    free(jpeg);
}

Test(http_media, only_staff_from_this_site_may_upload)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("who.jpg", 300, 200, path);
    size_t len;
    char *jpeg = file_slurp(path, &len);
    struct resp r;
    upload(&st, jpeg, len, &(struct upload){.alt = "x", .json = true, .logged_out = true}, &r);
    cr_expect_eq(r.status, 401, "logged out: %d", r.status);
    cr_expect(r.body && strstr(r.body, "\"errors\""), "%s", r.body);
    resp_free(&r);
    upload(&st, jpeg, len,
           &(struct upload){.alt = "x", .json = true, .origin = "https://evil.example"}, &r);
    cr_expect_eq(r.status, 403, "foreign Origin: %d", r.status);
    resp_free(&r);
    cr_expect_eq(rows("media"), 0);
    /* a form's csrf field must be right too */
    struct staff wrong = st;
    snprintf(wrong.csrf, sizeof(wrong.csrf), "not-the-token");
    upload(&wrong, jpeg, len, &(struct upload){.alt = "x", .csrf_field = true}, &r);
    cr_expect_eq(r.status, 403, "a wrong csrf field: %d", r.status);
    resp_free(&r);
    cr_expect_eq(rows("media"), 0);
    /* a browser's form without script (the token as a field): a 303 to the library */
    upload(&st, jpeg, len, &(struct upload){.alt = "x", .csrf_field = true}, &r);
    cr_expect_eq(r.status, 303);
    char *loc = resp_header(&r, "location");
    cr_expect(loc && strstr(loc, "/admin/media/?added="), "%s", loc ? loc : "(none)");
    free(loc);
    resp_free(&r);
    free(jpeg);
}

/* Content-Length over the limit: 413 at once, before a byte of the body is sent. */
Test(http_media, an_upload_over_the_limit_is_refused_before_its_body)
{
    struct staff st = login();
    int fd = http_open(&srv);
    char head[1024];
    int n = snprintf(head, sizeof(head),
                     "POST /admin/media/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Origin: http://127.0.0.1:%d\r\nCookie: nd_session=%s\r\n"
                     "X-CSRF-Token: %s\r\nContent-Type: multipart/form-data; boundary=B\r\n"
                     "Content-Length: %d\r\n\r\n",
                     srv.port, srv.port, st.session, st.csrf, 26 * 1024 * 1024 + 64 * 1024 + 1);
    http_send_all(fd, head, (size_t)n);
    struct resp r;
    read_soon(fd, &r);
    cr_expect_eq(r.status, 413);
    resp_free(&r);
    cr_expect_eq(rows("media"), 0);
}

/* A POST of `length` bytes to path, of which only the headers are sent; the answer's status. */
static int refused_before_the_body(const char *path, long length)
{
    int fd = http_open(&srv);
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %ld\r\n\r\nmessage=",
                     path, srv.port, length);
    http_send_all(fd, head, (size_t)n);
    struct resp r;
    read_soon(fd, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

/*
 * The upload's limit is megabytes, but every other route keeps its own, also checked
 * before the body is read: a tip's action (4 KiB) refuses a 64 KiB body at once, and the
 * tips form, which takes three photos of 10 MB, a body past them.
 */
Test(http_media, other_routes_keep_their_small_limits)
{
    cr_expect_eq(refused_before_the_body("/admin/tips/1/", 64 * 1024), 413);
    cr_expect_eq(refused_before_the_body("/tips/", 40L * 1024 * 1024), 413);
}

/* 50 uploads on 50 connections at once: every one answered, pages served meanwhile. */
Test(http_media, fifty_uploads_at_once)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("many.jpg", 320, 240, path);
    size_t len;
    char *jpeg = file_slurp(path, &len);
    enum { N = 50 };
    int fds[N];
    char *body = malloc(len + 4096);
    for (int i = 0; i < N; i++) {
        /* distinct bytes after the image's end: distinct photos */
        int n = sprintf(body,
                        "--B\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nno %d\r\n"
                        "--B\r\nContent-Disposition: form-data; name=\"file\"; "
                        "filename=\"many-%d.jpg\"\r\n\r\n",
                        i, i);
        memcpy(body + n, jpeg, len);
        n += (int)len;
        n += sprintf(body + n, "%04d\r\n--B--\r\n", i);
        char head[1024];
        int hn =
            sprintf(head,
                    "POST /admin/media/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                    "Origin: http://127.0.0.1:%d\r\nCookie: nd_session=%s\r\n"
                    "X-CSRF-Token: %s\r\nAccept: application/json\r\n"
                    "Content-Type: multipart/form-data; boundary=B\r\n"
                    "Content-Length: %d\r\n\r\n",
                    srv.port, srv.port, st.session, st.csrf, n);
        fds[i] = http_open(&srv);
        http_send_all(fds[i], head, (size_t)hn);
        http_send_all(fds[i], body, (size_t)n);
    }
    struct resp r;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    http_req(&srv, "GET", "/", &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_eq(r.status, 200, "a page while 50 uploads are under way: %d", r.status);
    resp_free(&r);
    /* a figure for the record, never a limit: timings belong to make bench */
    fprintf(stderr, "fifty uploads: the home page took %.0f ms meanwhile\n",
            (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    int created = 0;
    for (int i = 0; i < N; i++) {
        http_read_response(fds[i], &r);
        cr_expect_eq(r.status, 201, "upload %d: %d %s", i, r.status, r.body);
        created += r.status == 201;
        resp_free(&r);
    }
    cr_expect_eq(created, N);
    cr_expect_eq(rows("media"), N);
    free(body);
    free(jpeg);
}

Test(http_media, cli_adds_lists_and_refuses_to_delete_a_used_photo)
{
    char path[SRV_PATH_MAX];
    phone_photo("cli.jpg", 800, 600, path);
    char *out = NULL, *err = NULL;
    int rc = run_newsdesk(&out, &err, "media", "add", "--db", srv.db, path, "--alt",
                          "A harbour at dawn", "--credit", "Photo: Ana", NULL);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(out, "/content/images/") == out, "prints the URL: %s", out);
    cr_expect(strstr(err, "location") && strstr(err, "camera serial number"), "%s", err);
    char url[256];
    snprintf(url, sizeof(url), "%.*s", (int)strcspn(out, "\n"), out);
    free(out);
    free(err);
    rc = run_newsdesk(&out, &err, "media", "add", "--db", srv.db, path, NULL);
    cr_expect_neq(rc, 0, "alt text is required");
    cr_expect(strstr(err, "alt text"), "%s", err);
    free(out);
    free(err);
    rc = run_newsdesk(&out, &err, "media", "list", "--db", srv.db, "--q", "harbour", NULL);
    cr_expect_eq(rc, 0);
    cr_expect(strstr(out, url) && strstr(out, "A harbour at dawn"), "%s", out);
    free(out);
    free(err);

    char post[512];
    snprintf(post, sizeof(post), "---\ntitle: Harbour fire\n---\nSmoke.\n\n![The fire](%s)\n", url);
    srv_add_post(&srv, "fire.md", post);
    rc = run_newsdesk(&out, &err, "media", "rm", "--db", srv.db, url, NULL);
    cr_expect_neq(rc, 0, "a used photo was deleted");
    cr_expect(strstr(err, "Harbour fire"), "says where: %s", err);
    free(out);
    free(err);
    cr_expect_eq(rows("media"), 1);
    /* an unused one goes, with its files */
    phone_photo("unused.jpg", 300, 200, path);
    rc = run_newsdesk(&out, &err, "media", "add", "--db", srv.db, path, "--decorative", NULL);
    cr_assert_eq(rc, 0, "%s", err);
    char key[17];
    snprintf(key, sizeof(key), "%s", out + strlen("/content/images/"));
    free(out);
    free(err);
    rc = run_newsdesk(&out, &err, "media", "rm", "--db", srv.db, key, NULL);
    cr_expect_eq(rc, 0, "%s", err);
    free(out);
    free(err);
    cr_expect_eq(rows("media"), 1);
    char *left = db_query(&srv, "SELECT count(*) FROM media_files WHERE media_id NOT IN "
                                "(SELECT id FROM media)");
    cr_expect_str_eq(left, "0");
    free(left);
}

/* ---- a site with a smaller photo limit (serve --media-max-bytes) ----------------------- */

static const char *const small_limit[] = {"--media-max-bytes", "50000", NULL};
HTTP_SUITE(http_media_limit, srv, 120, .before_start = accounts, .serve_args = small_limit);

Test(http_media_limit, the_limit_is_the_sites)
{
    struct staff st = login();
    char path[SRV_PATH_MAX];
    phone_photo("small.jpg", 120, 90, path);
    size_t len;
    char *jpeg = file_slurp(path, &len);
    cr_assert_lt(len, 40000);
    char *padded = calloc(1, 140000);
    memcpy(padded, jpeg, len);
    struct resp r;
    upload(&st, padded, len, &(struct upload){.alt = "x", .json = true}, &r);
    cr_expect_eq(r.status, 201, "under the limit: %d %s", r.status, r.body);
    resp_free(&r);
    /* over the photo limit, within the form's: read, then refused by media_add */
    padded[len] = 1; /* other bytes: not the photo stored above */
    upload(&st, padded, 60000, &(struct upload){.alt = "x", .json = true}, &r);
    cr_expect_eq(r.status, 413, "60,000 bytes: %d %s", r.status, r.body);
    resp_free(&r);
    /* over the form's limit too: refused from Content-Length */
    upload(&st, padded, 130000, &(struct upload){.alt = "x", .json = true}, &r);
    cr_expect_eq(r.status, 413, "130,000 bytes: %d", r.status);
    resp_free(&r);
    cr_expect_eq(rows("media"), 1);
    free(padded);
    free(jpeg);
}
