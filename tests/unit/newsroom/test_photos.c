/*
 * Photos of the library in posts (newsroom/posts.c on a real database): a post saved
 * with one of our photos gets its figure from the library, and a change in the library
 * (caption, credit, decorative) reaches the post without a new save.
 */
#include "newsroom/newsroom.h"

#include "media/media.h"
#include "store/store.h"
#include "support.h"

#include <criterion/criterion.h>
#include <string.h>

static struct test_db db;
static struct arena a;
static struct err err;

static void setup(void)
{
    test_db_open(&db);
    arena_init(&a);
    err = (struct err){ERR_OK, ""};
}

static void teardown(void)
{
    arena_release(&a);
    test_db_close(&db);
}

TestSuite(newsroom_photos, .init = setup, .fini = teardown, .timeout = 30);

#define KEY "0123456789abcdef"

static void add_photo(void)
{
    struct media_item m = {
        .key = KEY,
        .name = STR_LIT("harbour"),
        .filename = STR_LIT("harbour.jpg"),
        .source = MEDIA_JPEG,
        .format = MEDIA_JPEG,
        .width = 3000,
        .height = 2000,
        .formats = 1u << MEDIA_JPEG | 1u << MEDIA_WEBP,
        .alt = STR_LIT("Boats at dawn"),
        .caption = STR_LIT("The harbour on Monday"),
        .credit = STR_LIT("Photo: Ana"),
        .ready = true,
        .created_at = 1,
    };
    int64_t id;
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK, "%s", err.msg);
    enum err_code rc = store_media_insert(db.st, &m, "ab" KEY KEY KEY "cdef0123456789", &id, &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_OK, "%s", err.msg);
}

static int64_t add_post(const char *md, const char *feature)
{
    struct content_draft d = {.title = STR_LIT("Harbour fire"),
                              .markdown = str_from(md),
                              .feature_image = str_from(feature),
                              .status = CONTENT_PUBLISHED};
    const struct newsroom_opts o = {.may_create_tags = true};
    int64_t id = 0;
    struct str slug;
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK, "%s", err.msg);
    enum err_code rc = newsroom_post_add(db.st, &d, &o, &a, &id, &slug, &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_OK, "%s", err.msg);
    return id;
}

static struct content_post get(int64_t id)
{
    struct content_post p;
    cr_assert_eq(store_post_by_id(db.st, id, &a, &p, &err), ERR_OK, "%s", err.msg);
    return p;
}

Test(newsroom_photos, a_saved_post_shows_the_library_photo_as_a_figure)
{
    add_photo();
    int64_t id = add_post("Words.\n\n![](/content/images/" KEY "/harbour.jpg)\n\n"
                          "![a](https://elsewhere.example/a.jpg)",
                          "");
    struct content_post p = get(id);
    cr_expect(strstr(p.html.ptr, "<figure class=\"photo\"><picture><source type=\"image/webp\""),
              "%s", p.html.ptr);
    cr_expect(strstr(p.html.ptr, "alt=\"Boats at dawn\" fetchpriority=\"high\""),
              "no feature image: the first photo leads: %s", p.html.ptr);
    cr_expect(strstr(p.html.ptr, "<figcaption>The harbour on Monday <span class=\"credit\">"
                                 "Photo: Ana</span></figcaption>"),
              "%s", p.html.ptr);
    cr_expect(strstr(p.html.ptr, "<img loading=\"lazy\" decoding=\"async\" "
                                 "src=\"https://elsewhere.example/a.jpg\""),
              "%s", p.html.ptr);
    int64_t with_feature =
        add_post("![](/content/images/" KEY "/harbour.jpg)", "/content/images/" KEY "/harbour.jpg");
    p = get(with_feature);
    cr_expect(strstr(p.html.ptr, "loading=\"lazy\"") && !strstr(p.html.ptr, "fetchpriority"),
              "the feature image leads: %s", p.html.ptr);
}

Test(newsroom_photos, a_library_edit_reaches_the_posts_that_show_the_photo)
{
    add_photo();
    int64_t id = add_post("![](/content/images/" KEY "/harbour.jpg)", "");
    int64_t other = add_post("No photo here.", "");
    struct content_post before = get(id), other_before = get(other);
    const struct media_meta meta = {
        .decorative = true, .caption = STR_LIT("Smoke & fire"), .credit = STR_LIT("Photo: Bo")};
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK, "%s", err.msg);
    enum err_code rc = store_media_update(db.st, STR_LIT(KEY), &meta, &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(newsroom_photo_changed(db.st, STR_LIT(KEY), STR_NULL, &a, &err), ERR_OK, "%s",
                 err.msg);
    struct content_post after = get(id);
    cr_expect(strstr(after.html.ptr, "<figcaption>Smoke &amp; fire <span class=\"credit\">Photo: "
                                     "Bo</span></figcaption>"),
              "%s", after.html.ptr);
    cr_expect(strstr(after.html.ptr, " alt=\"\" "), "decorative now: %s", after.html.ptr);
    cr_expect(!strstr(after.html.ptr, "Monday"), "%s", after.html.ptr);
    cr_expect_eq(after.updated_at, before.updated_at, "not a correction of the story");
    cr_expect_str_eq(get(other).html.ptr, other_before.html.ptr);
}
