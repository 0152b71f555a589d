/*
 * What readers and machines see of photos, on the real server with photos made in the
 * test and taken in by `newsdesk media add`: the article's feature image and body
 * figures, Open Graph, Twitter and JSON-LD, the three feeds (checked by xmllint and
 * jing), the Content API, and the URLs all of them print, each loaded.
 */
#include "harness.h"
#include "photos.h"
#include "staff.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct srv srv;
static struct photo_story story;
static char origin[64];
static char listen_at[64];
static const char *serve_args[] = {"--listen", listen_at, "--site-url", origin, NULL};

/*
 * The site's URL must be the server's own, so the absolute URLs of og:image, the feeds
 * and the Content API load from it: a free port is chosen here, before the server starts.
 */
static void pick_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
              getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    int port = ntohs(a.sin_port);
    close(fd);
    snprintf(listen_at, sizeof(listen_at), "127.0.0.1:%d", port);
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", port);
}

static char logo[PHOTO_URL_MAX], icon[PHOTO_URL_MAX];

/*
 * The site's logo (wide) and icon (square), set as the newsroom's settings page sets them;
 * the icon is the News Desk's avatar too.
 */
static void logo_and_icon(struct srv *s)
{
    char path[SRV_PATH_MAX], cmd[4096];
    photo_make(s, "logo.jpg", 1200, 300, path);
    photo_add(s, path, "The Daily Desk", NULL, NULL, logo);
    photo_make(s, "icon.jpg", 512, 512, path);
    photo_add(s, path, "The Daily Desk", NULL, NULL, icon);
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' \"INSERT OR REPLACE INTO settings(key, value) VALUES ('logo', '%s'), "
             "('icon', '%s'); UPDATE users SET avatar = '%s' WHERE slug = 'news-desk'\"",
             s->db, logo, icon, icon);
    cr_assert_eq(system(cmd), 0);
}

#define PW "a long and private passphrase"

static void before(struct srv *s)
{
    pick_port();
    photo_story_add(s, &story);
    logo_and_icon(s);
    cr_assert_eq(staff_add(s, "editor@example.org", "Eda Editor", "editor", PW), 0);
}

HTTP_SUITE(http_media_pages, srv, 240, .posts = 3, .before_start = before,
           .serve_args = serve_args);

/* GET path (an absolute URL of the site is cut to its path): 200 and an image type. */
static void expect_image(const char *url, const char *type)
{
    const char *path = strncmp(url, origin, strlen(origin)) == 0 ? url + strlen(origin) : url;
    cr_assert_eq(path[0], '/', "not a URL of the site: %s", url);
    struct resp r;
    http_req(&srv, "GET", path, &r);
    char *ct = resp_header(&r, "content-type");
    cr_expect_eq(r.status, 200, "%s", path);
    cr_expect(ct && strncmp(ct, type, strlen(type)) == 0, "%s: %s", path, ct ? ct : "none");
    cr_expect_gt(r.body_len, 100, "%s", path);
    free(ct);
    resp_free(&r);
}

/* The value of the meta element named (name= or property=) key, malloc'd. */
static char *meta(const struct resp *r, const char *key)
{
    char open[128];
    snprintf(open, sizeof(open), "\"%s\" content=\"", key);
    return body_between(r, open, "\"");
}

static void get(const char *path, struct resp *r)
{
    http_req(&srv, "GET", path, r);
    cr_assert_eq(r->status, 200, "%s", path);
}

/* Every <img ...> tag of the body, each checked by fn. */
static size_t each_img(const char *html, void (*fn)(const char *tag, size_t n))
{
    size_t n = 0;
    for (const char *p = html; (p = strstr(p, "<img ")); p++) {
        const char *end = strchr(p, '>');
        cr_assert(end);
        char *tag = strndup(p, (size_t)(end - p + 1));
        fn(tag, n++);
        free(tag);
    }
    return n;
}

static void sized(const char *tag, size_t n)
{
    (void)n;
    cr_expect(strstr(tag, " width=\"") && strstr(tag, " height=\""), "no size: %s", tag);
}

Test(http_media_pages, the_feature_photo_leads_and_body_photos_are_figures)
{
    struct resp r;
    get("/photo-story/", &r);
    char *feature = body_between(&r, "<figure class=\"feature\">", "</figure>");
    cr_assert(feature, "no feature figure");
    cr_expect(strstr(feature, "<source type=\"image/webp\" srcset=\""), "%s", feature);
    cr_expect(strstr(feature, "width=\"3000\" height=\"2000\" alt=\"Fishing boats in the harbour "
                              "before the fire\" fetchpriority=\"high\""),
              "%s", feature);
    cr_expect(!strstr(feature, "loading="), "the LCP image is never lazy: %s", feature);
    cr_expect(strstr(feature, "<figcaption>The harbour at dawn, hours before the fire <span "
                              "class=\"credit\">Photo: Ana Reporter / Newsdesk</span>"),
              "%s", feature);
    char *body = body_between(&r, "<div class=\"post-body\">", "</div>");
    cr_assert(body);
    cr_expect_eq(body_count(&r, "<figure class=\"photo\"><picture>"), 3);
    cr_expect(strstr(body, "<figcaption>Smoke over the pier at noon <span class=\"credit\">Photo: "
                           "Bo Stringer</span>"),
              "the Markdown title is the caption: %s", body);
    cr_expect(strstr(body, "<figcaption>Firefighters on the pier at noon <span"),
              "the library's caption: %s", body);
    cr_expect(strstr(body, "width=\"1600\" height=\"1200\""), "%s", body);
    cr_expect(strstr(body, "width=\"2000\" height=\"3000\""), "portrait: %s", body);
    cr_expect(strstr(body, "alt=\"\" loading=\"lazy\""), "the decorative photo: %s", body);
    cr_expect_eq(each_img(body, sized), 3);
    cr_expect_eq(body_count(&r, "loading=\"lazy\""), 3 + 1, "body photos and the avatar");
    cr_expect_eq(body_count(&r, "fetchpriority=\"high\""), 1);
    cr_expect(each_img(r.body, sized) >= 4);
    char *reading = body_between(&r, "<span class=\"reading-time\">", "<");
    cr_expect_str_eq(reading, "1 min read", "words plus four images, the feature one counted");
    free(reading);
    free(feature);
    free(body);
    resp_free(&r);
}

Test(http_media_pages, the_logo_and_icon_are_small_renditions_with_their_size)
{
    struct resp r;
    get("/", &r);
    char key[17], want[PHOTO_URL_MAX + 64];
    photo_key(logo, key);
    snprintf(want, sizeof(want),
             "<a class=\"brand\" href=\"/\" aria-current=\"page\"><img class=\"logo\" "
             "src=\"/content/images/size/w320/%s/logo.jpg\" alt=\"",
             key);
    cr_expect(body_has(&r, want), "no %s", want);
    cr_expect(body_has(&r, "width=\"1200\" height=\"300\">"), "the logo's size");
    photo_key(icon, key);
    snprintf(want, sizeof(want),
             "<link rel=\"icon\" href=\"/content/images/size/w320/%s/icon.jpg\" "
             "type=\"image/jpeg\">",
             key);
    cr_expect(body_has(&r, want), "no %s", want);
    cr_expect(!body_has(&r, "favicon.svg"), "the theme's icon gives way");
    resp_free(&r);
    get("/photo-story/", &r);
    snprintf(want, sizeof(want),
             "<img class=\"avatar\" src=\"/content/images/size/w320/%s/icon.jpg\" alt=\"\" "
             "width=\"64\" height=\"64\" loading=\"lazy\"",
             key);
    cr_expect(body_has(&r, want), "the byline's avatar, small: no %s", want);
    char *src = body_between(&r, "<img class=\"logo\" src=\"", "\"");
    expect_image(src, "image/jpeg");
    free(src);
    resp_free(&r);
}

Test(http_media_pages, every_url_the_article_prints_loads)
{
    struct resp r;
    get("/photo-story/", &r);
    char *srcset = body_between(&r, "<source type=\"image/webp\" srcset=\"", "\"");
    cr_assert(srcset);
    for (char *save = NULL, *u = strtok_r(srcset, ",", &save); u; u = strtok_r(NULL, ",", &save)) {
        while (*u == ' ')
            u++;
        *strchr(u, ' ') = '\0';
        expect_image(u, "image/webp");
    }
    char *src = body_between(&r, "class=\"feature-photo\" src=\"", "\"");
    cr_assert(src);
    cr_expect(strstr(src, "/size/w1280/"), "%s", src);
    expect_image(src, "image/jpeg");
    char *avif = body_between(&r, "<source type=\"image/avif\" srcset=\"", " ");
    if (avif) /* where Debian's libvips writes AVIF */
        expect_image(avif, "image/avif");
    free(avif);
    free(src);
    free(srcset);
    resp_free(&r);
}

Test(http_media_pages, open_graph_twitter_and_json_ld_name_the_1200px_image)
{
    struct resp r;
    get("/photo-story/", &r);
    char *og = meta(&r, "og:image"), *tw = meta(&r, "twitter:image");
    char want[PHOTO_URL_MAX + 64];
    char key[17];
    photo_key(story.feature, key);
    snprintf(want, sizeof(want), "%s/content/images/size/w1200/%s/harbour-at-dawn.jpg", origin,
             key);
    cr_expect_str_eq(og, want);
    cr_expect_str_eq(tw, want);
    char *w = meta(&r, "og:image:width"), *h = meta(&r, "og:image:height");
    char *alt = meta(&r, "og:image:alt"), *card = meta(&r, "twitter:card");
    cr_expect_str_eq(w, "1200");
    cr_expect_str_eq(h, "800");
    cr_expect_str_eq(alt, "Fishing boats in the harbour before the fire");
    cr_expect_str_eq(card, "summary_large_image");
    cr_expect(body_has(&r, "<meta name=\"robots\" content=\"max-image-preview:large\">"));
    char *ld = body_between(&r, "<script type=\"application/ld+json\">", "</script>");
    json_error_t e;
    json_t *j = json_loads(ld, 0, &e), *img = json_object_get(j, "image");
    cr_assert(j, "%s", e.text);
    cr_expect_str_eq(json_string_value(json_object_get(img, "@type")), "ImageObject");
    cr_expect_str_eq(json_string_value(json_object_get(img, "url")), want);
    cr_expect_eq(json_integer_value(json_object_get(img, "width")), 1200);
    cr_expect_eq(json_integer_value(json_object_get(img, "height")), 800);
    json_decref(j);
    expect_image(og, "image/jpeg");
    struct resp pic;
    http_req(&srv, "GET", og + strlen(origin), &pic);
    char file[SRV_PATH_MAX], cmd[SRV_PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "test \"$(vipsheader -f width '%s')\" = 1200",
             srv_save(&srv, &pic, "og.jpg", file));
    cr_expect_eq(system(cmd), 0, "the social image is 1200 px wide");
    resp_free(&pic);
    free(og), free(tw), free(w), free(h), free(alt), free(card), free(ld);
    resp_free(&r);
}

Test(http_media_pages, feeds_carry_the_feature_image_and_absolute_photo_urls)
{
    char key[17], want[PHOTO_URL_MAX + 64], file[SRV_PATH_MAX];
    photo_key(story.feature, key);
    snprintf(want, sizeof(want), "%s/content/images/size/w1200/%s/harbour-at-dawn.jpg", origin,
             key);
    struct resp r;
    get("/rss/", &r);
    cr_expect(body_has(&r, "xmlns:media=\"http://search.yahoo.com/mrss/\""));
    char tag[PHOTO_URL_MAX + 256];
    snprintf(tag, sizeof(tag),
             "<media:content medium=\"image\" url=\"%s\" type=\"image/jpeg\" width=\"1200\" "
             "height=\"800\">",
             want);
    cr_expect(body_has(&r, tag), "no %s", tag);
    char abs[128];
    snprintf(abs, sizeof(abs), "srcset=&quot;%s/content/images/size/w320/", origin);
    cr_expect(body_has(&r, abs), "body photos absolute in content:encoded");
    cr_expect_eq(xml_check(NULL, srv_save(&srv, &r, "photos.rss", file)), 0, "RSS not well-formed");
    resp_free(&r);
    get("/atom/", &r);
    snprintf(tag, sizeof(tag), "<link rel=\"enclosure\" type=\"image/jpeg\" href=\"%s\"/>", want);
    cr_expect(body_has(&r, tag), "no %s", tag);
    cr_expect_eq(xml_check("atom-rfc4287.rnc", srv_save(&srv, &r, "photos.atom", file)), 0,
                 "not valid Atom");
    resp_free(&r);
    get("/feed.json", &r);
    json_error_t e;
    json_t *j = json_loadb(r.body, r.body_len, 0, &e);
    cr_assert(j, "%s", e.text);
    json_t *item = json_array_get(json_object_get(j, "items"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(item, "image")), want);
    json_decref(j);
    resp_free(&r);
    expect_image(want, "image/jpeg");
    cr_expect_eq(node_run("tests/js/feeds.mjs '%s/' 'Fire on the harbour pier' '%s'", origin, want),
                 0, "real feed readers did not find the feature image (above)");
}

Test(http_media_pages, the_content_api_gives_absolute_urls_that_load)
{
    char key[27];
    srv_content_key(&srv, key);
    char path[256];
    snprintf(path, sizeof(path),
             "/ghost/api/content/posts/slug/photo-story/?key=%s&include=authors", key);
    struct resp r;
    get(path, &r);
    json_error_t e;
    json_t *j = json_loadb(r.body, r.body_len, 0, &e);
    cr_assert(j, "%s", e.text);
    json_t *p = json_array_get(json_object_get(j, "posts"), 0);
    const char *fi = json_string_value(json_object_get(p, "feature_image"));
    char want[PHOTO_URL_MAX + 64];
    snprintf(want, sizeof(want), "%s%s", origin, story.feature);
    cr_expect_str_eq(fi, want);
    cr_expect_str_eq(json_string_value(json_object_get(p, "feature_image_alt")),
                     "Fishing boats in the harbour before the fire");
    cr_expect_str_eq(json_string_value(json_object_get(p, "feature_image_caption")),
                     "The harbour at dawn, hours before the fire");
    const char *html = json_string_value(json_object_get(p, "html"));
    char abs[128];
    snprintf(abs, sizeof(abs), "src=\"%s/content/images/size/", origin);
    cr_expect(html && strstr(html, abs), "photo URLs in html are absolute: %s", html);
    expect_image(fi, "image/jpeg");
    const char *avatar = json_string_value(
        json_object_get(json_array_get(json_object_get(p, "authors"), 0), "profile_image"));
    snprintf(want, sizeof(want), "%s%s", origin, icon);
    cr_expect_str_eq(avatar, want);
    expect_image(avatar, "image/jpeg");
    json_decref(j);
    resp_free(&r);
    snprintf(path, sizeof(path), "/ghost/api/content/settings/?key=%s", key);
    get(path, &r);
    j = json_loadb(r.body, r.body_len, 0, &e);
    cr_assert(j, "%s", e.text);
    json_t *s = json_object_get(j, "settings");
    const char *lg = json_string_value(json_object_get(s, "logo"));
    const char *ic = json_string_value(json_object_get(s, "icon"));
    cr_assert(lg && ic, "settings carry the logo and icon: %.*s", (int)r.body_len, r.body);
    cr_expect(strncmp(lg, origin, strlen(origin)) == 0, "absolute: %s", lg);
    expect_image(lg, "image/jpeg");
    expect_image(ic, "image/jpeg");
    json_decref(j);
    resp_free(&r);
    cr_expect_eq(node_run("tests/js/content-api.mjs '%s' '%s' photo-story", origin, key), 0,
                 "@tryghost/content-api: the photos' URLs (see above)");
}

/*
 * The newsroom's way in: a photo named by the site's absolute URL is ours too; the live
 * preview shows the figure the site will; without a feature image the first photo leads.
 */
Test(http_media_pages, the_editor_publishes_photos_as_the_site_shows_them)
{
    struct staff ed;
    cr_assert_eq(staff_login(&srv, "editor@example.org", PW, &ed), 303);
    char md[2048], form[8192];
    snprintf(md, sizeof(md), "Words first.\n\n![On the quay](%s%s)\n\n![Again](%s)\n", origin,
             story.body[1], story.body[0]);
    char *m = form_enc(md);
    snprintf(form, sizeof(form), "markdown=%s", m);
    struct resp r;
    staff_post(&srv, &ed, "/admin/preview/", form, &r);
    cr_expect_eq(r.status, 200);
    cr_expect_eq(body_count(&r, "<figure class=\"photo\"><picture>"), 2, "%s", r.body);
    resp_free(&r);
    snprintf(form, sizeof(form), "title=Quay+photos&markdown=%s&tags=&action=publish", m);
    free(m);
    staff_post(&srv, &ed, "/admin/posts/new/", form, &r);
    cr_assert_eq(r.status, 303, "%s", r.body);
    resp_free(&r);
    get("/quay-photos/", &r);
    cr_expect_eq(body_count(&r, "<figure class=\"photo\"><picture>"), 2);
    cr_expect(body_has(&r, "alt=\"On the quay\" fetchpriority=\"high\" decoding=\"async\">"),
              "no feature image: the first photo leads");
    cr_expect(body_has(&r, "alt=\"Again\" loading=\"lazy\""));
    cr_expect(!body_has(&r, "<figure class=\"feature\">"));
    resp_free(&r);
}
