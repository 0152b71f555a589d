/*
 * The library's functions over a real database (media.c): media_add without a background
 * thread makes everything before it returns and stores the same bytes once; the uploader's
 * words are checked; a used photo cannot be deleted, and the refusal says where it is used.
 */
#include "photo.h"
#include "store/store.h"

static struct test_db db;
static struct arena a;
static struct media *m;

static void setup(void)
{
    photo_dir_make();
    test_db_open(&db);
    arena_init(&a);
    struct media_config cfg = {.db_path = db.path};
    struct err err = {0};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
}

static void teardown(void)
{
    media_free(m);
    arena_release(&a);
    test_db_close(&db);
    photo_dir_remove();
}

TestSuite(media_library, .init = setup, .fini = teardown);

static char *a_photo(size_t *len)
{
    return phone_jpeg(len);
}

static enum err_code add(const void *bytes, size_t len, const char *alt, bool decorative,
                         struct media_item *out, bool *existed, struct err *err)
{
    struct media_meta meta = {.alt = str_from(alt),
                              .decorative = decorative,
                              .caption = STR_LIT(""),
                              .credit = STR_LIT(""),
                              .filename = STR_LIT("Harbour at Dawn.JPG")};
    return media_add(m, db.st, bytes, len, &meta, 0, &a, out, existed, err);
}

Test(media_library, add_makes_everything_and_stores_the_same_bytes_once)
{
    size_t len;
    char *bytes = a_photo(&len);
    struct media_item item, again;
    bool existed = true;
    struct err err = {0};
    cr_assert_eq(add(bytes, len, "  Boats  ", false, &item, &existed, &err), ERR_OK, "%s", err.msg);
    cr_expect(!existed);
    cr_expect(item.ready, "made before it returns");
    cr_expect(str_eq_cstr(item.name, "harbour-at-dawn"));
    cr_expect(str_eq_cstr(item.alt, "Boats"), "trimmed");
    cr_expect(strstr(item.removed.ptr, "location"), "%s", item.removed.ptr);
    cr_expect_eq(item.created_by, 0, "the CLI: nobody");
    cr_expect(item.width == 400 && item.height == 600, "upright: %dx%d", item.width, item.height);
    struct store_media_file f;
    cr_assert_eq(store_media_file_get(db.st, item.id, "orig", &a, &f, NULL), ERR_OK);
    assert_bare(f.data, f.len, "the original");
    free(f.data);
    cr_assert_eq(add(bytes, len, "Other words", false, &again, &existed, &err), ERR_OK);
    cr_expect(existed);
    cr_expect_str_eq(again.key, item.key);
    cr_expect(str_eq_cstr(again.alt, "Boats"), "the stored words are kept");
    struct media_item *list;
    size_t n;
    struct media_list_query q = {.q = STR_LIT("boats"), .limit = 10};
    cr_assert_eq(media_list(db.st, &q, &a, &list, &n, NULL), ERR_OK);
    cr_expect_eq(n, 1);
    struct media_item got;
    cr_expect(media_lookup(db.st, media_path(&item, 640, MEDIA_WEBP, &a), STR_NULL, &a, &got));
    cr_expect(!media_lookup(db.st, STR_LIT("/content/images/0000000000000000/x.jpg"), STR_NULL, &a,
                            &got));
    free(bytes);
}

Test(media_library, the_uploaders_words_are_checked)
{
    size_t len;
    char *bytes = a_photo(&len);
    struct media_item item;
    bool existed;
    struct err err = {0};
    cr_expect_eq(add(bytes, len, "   ", false, &item, &existed, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "alt text"), "%s", err.msg);
    cr_expect_eq(add(bytes, len, "a\x01b", false, &item, &existed, NULL), ERR_INVALID);
    cr_expect_eq(add(bytes, len, "\xff\xfe", false, &item, &existed, NULL), ERR_INVALID);
    char *longer = test_repeat("a", MEDIA_ALT_MAX + 1);
    cr_expect_eq(add(bytes, len, longer, false, &item, &existed, NULL), ERR_INVALID);
    free(longer);
    struct media_item *list;
    size_t n;
    struct media_list_query q = {.limit = 10};
    cr_assert_eq(media_list(db.st, &q, &a, &list, &n, NULL), ERR_OK);
    cr_expect_eq(n, 0, "nothing stored");
    cr_assert_eq(add(bytes, len, "", true, &item, &existed, &err), ERR_OK, "%s", err.msg);
    cr_expect(item.decorative && !item.alt.len);
    struct media_meta meta = {
        .alt = STR_LIT("Now described"), .caption = STR_LIT("c"), .credit = STR_LIT("Photo: Ana")};
    cr_expect_eq(media_update(db.st, str_from(item.key), &meta, NULL), ERR_OK);
    cr_expect_eq(media_get(db.st, str_from(item.key), &a, &item, NULL), ERR_OK);
    cr_expect(str_eq_cstr(item.alt, "Now described") && !item.decorative);
    cr_expect_eq(media_update(db.st, STR_LIT("../../etc"), &meta, NULL), ERR_NOTFOUND);
    free(bytes);
}

Test(media_library, a_used_photo_is_not_deleted)
{
    size_t len;
    char *bytes = a_photo(&len);
    struct media_item item;
    bool existed;
    struct err err = {0};
    cr_assert_eq(add(bytes, len, "Boats", false, &item, &existed, &err), ERR_OK);
    struct str url = media_path(&item, 0, MEDIA_NONE, &a);
    cr_assert_eq(store_tx_begin(db.st, NULL), ERR_OK);
    cr_assert_eq(store_tx_end(db.st, store_setting_set(db.st, "logo", url, NULL), NULL), ERR_OK);
    struct media_use *uses;
    size_t n;
    cr_assert_eq(media_uses(db.st, str_from(item.key), &a, &uses, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1);
    cr_expect(str_eq_cstr(uses[0].url, "/admin/settings/"));
    cr_expect_eq(media_delete(db.st, str_from(item.key), &err), ERR_CONFLICT);
    cr_expect(strstr(err.msg, "used in “Site logo”"), "%s", err.msg);
    cr_expect_eq(media_get(db.st, str_from(item.key), &a, &item, NULL), ERR_OK, "still there");
    cr_assert_eq(store_tx_begin(db.st, NULL), ERR_OK);
    cr_assert_eq(store_tx_end(db.st, store_setting_set(db.st, "logo", STR_LIT(""), NULL), NULL),
                 ERR_OK);
    cr_expect_eq(media_delete(db.st, str_from(item.key), &err), ERR_OK, "%s", err.msg);
    cr_expect_eq(media_get(db.st, str_from(item.key), &a, &item, NULL), ERR_NOTFOUND);
    cr_expect_eq(media_delete(db.st, str_from(item.key), NULL), ERR_NOTFOUND);
    free(bytes);
}
