/*
 * The store's photo tables (store/media.c) and the work queue (worker.c): an upload
 * becomes a bare original and every rendition, once, whatever the number of threads; a
 * restart finishes what was left; an upload that cannot be decoded leaves nothing.
 */
#include "photo.h"
#include "store/store.h"

#include <pthread.h>
#include <unistd.h>

static struct test_db db;
static struct arena a;

static void setup(void)
{
    photo_dir_make();
    test_db_open(&db);
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
    test_db_close(&db);
    photo_dir_remove();
}

TestSuite(media_worker, .init = setup, .fini = teardown);

/* A photo row as media_add leaves it: not ready, the uploaded bytes stored as 'upload'. */
static int64_t add_upload(struct store *st, const char *key, const void *bytes, size_t len,
                          const char *alt, const char *filename)
{
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(media_probe(bytes, len, 0, 0, &p, &err), ERR_OK, "%s", err.msg);
    struct media_item m = {.name = str_from(filename),
                           .filename = str_from(filename),
                           .source = p.format,
                           .format = p.alpha ? MEDIA_PNG : MEDIA_JPEG,
                           .width = p.width,
                           .height = p.height,
                           .alt = str_from(alt),
                           .removed = str_from(p.removed),
                           .created_at = 1000};
    snprintf(m.key, sizeof(m.key), "%s", key);
    char sha[65];
    snprintf(sha, sizeof(sha), "%s%s%s%s", key, key, key, key);
    int64_t id = 0;
    cr_assert_eq(store_tx_begin(st, &err), ERR_OK);
    enum err_code rc = store_media_insert(st, &m, sha, &id, &err);
    if (!rc)
        rc = store_media_file_put(st, id, "upload", media_mime(p.format), p.width, p.height, bytes,
                                  len, &err);
    cr_assert_eq(store_tx_end(st, rc, &err), ERR_OK, "%s", err.msg);
    return id;
}

static bool has_file(struct store *st, int64_t id, const char *variant)
{
    struct store_media_file f;
    enum err_code rc = store_media_file_get(st, id, variant, &a, &f, NULL);
    free(f.data);
    return rc == ERR_OK;
}

/* How many changes name this photo's dependency key. */
static int changes_of(struct store *st, const char *key)
{
    struct store_change *ch;
    size_t n;
    bool complete;
    cr_assert_eq(store_changes_since(st, 0, 1000, &a, &ch, &n, &complete, NULL), ERR_OK);
    char dep[64];
    snprintf(dep, sizeof(dep), "media:%s", key);
    int count = 0;
    for (size_t i = 0; i < n; i++)
        count += strstr(ch[i].deps.ptr, dep) != NULL;
    return count;
}

/* Fails if the database file or its write-ahead log still holds text (a deleted upload's). */
static void assert_gone_from_disk(const char *text)
{
    static const char *const suffixes[] = {"", "-wal"};
    for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
        char path[160];
        snprintf(path, sizeof(path), "%s%s", db.path, suffixes[i]);
        if (access(path, F_OK) != 0)
            continue;
        size_t len;
        char *bytes = test_read_file(path, &len);
        cr_assert_null(memmem(bytes, len, text, strlen(text)), "%s still holds %s", path, text);
        free(bytes);
    }
}

#define KEY1 "0123456789abcdef"
#define KEY2 "fedcba9876543210"

Test(media_worker, an_upload_becomes_a_bare_original_and_every_rendition)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    int64_t id = add_upload(db.st, KEY1, jpg, len, "A street", "street.jpg");
    struct media *m;
    struct err err = {0};
    struct media_config cfg = {0};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(media_work(m, db.st, STR_LIT(KEY1), &err), ERR_OK, "%s", err.msg);

    struct media_item it;
    cr_assert_eq(store_media_by_key(db.st, STR_LIT(KEY1), &a, &it, NULL), ERR_OK);
    cr_assert(it.ready);
    cr_assert(MEDIA_HAS(it.formats, MEDIA_WEBP) && MEDIA_HAS(it.formats, MEDIA_JPEG));
    cr_assert_not(has_file(db.st, id, "upload"), "the uploaded bytes are gone");
    struct store_media_file f;
    cr_assert_eq(store_media_file_get(db.st, id, "orig", &a, &f, NULL), ERR_OK);
    cr_assert_eq(f.width, 400);
    cr_assert_eq(f.height, 600);
    cr_assert_eq((int64_t)f.len, it.bytes);
    assert_bare(f.data, f.len, "the stored original");
    free(f.data);
    static const char *const variants[] = {"w320", "w320.webp", "w1200"};
    for (size_t i = 0; i < ARRAY_LEN(variants); i++) {
        cr_assert_eq(store_media_file_get(db.st, id, variants[i], &a, &f, NULL), ERR_OK, "%s",
                     variants[i]);
        assert_bare(f.data, f.len, variants[i]);
        free(f.data);
    }
    if (MEDIA_HAS(it.formats, MEDIA_AVIF))
        cr_assert(has_file(db.st, id, "w320.avif"));
    assert_gone_from_disk("SN-4242-77");
    /* nothing left to do: a second call changes nothing */
    int before = changes_of(db.st, KEY1);
    cr_assert_eq(before, 2, "inserted, then ready");
    cr_assert_eq(media_work(m, db.st, STR_LIT(KEY1), &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(changes_of(db.st, KEY1), before);
    struct str *keys;
    size_t n;
    cr_assert_eq(store_media_pending(db.st, 10, &a, &keys, &n, NULL), ERR_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(media_work(m, db.st, STR_LIT(KEY2), &err), ERR_NOTFOUND);
    media_free(m);
    free(jpg);
}

struct racer {
    struct media *m;
    struct store *st;
    enum err_code rc;
};

static void *race(void *arg)
{
    struct racer *r = arg;
    struct err err = {0};
    r->rc = media_work(r->m, r->st, STR_LIT(KEY1), &err);
    return NULL;
}

Test(media_worker, many_threads_asking_work_the_photo_once)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    add_upload(db.st, KEY1, jpg, len, "A street", "street.jpg");
    struct media *m;
    struct err err = {0};
    struct media_config cfg = {0};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
    store_share(db.st); /* as the server's writer: every use inside a transaction */
    enum { N = 6 };
    pthread_t t[N];
    struct racer r[N];
    for (int i = 0; i < N; i++) {
        r[i] = (struct racer){m, db.st, ERR_INTERNAL};
        cr_assert_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(r[i].rc, ERR_OK);
    }
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK);
    int ready = changes_of(db.st, KEY1);
    store_tx_end(db.st, ERR_OK, &err);
    cr_assert_eq(ready, 2, "the original was made %d times", ready - 1);
    media_free(m);
    free(jpg);
}

Test(media_worker, readers_waiting_on_the_background_thread_share_one_job)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    add_upload(db.st, KEY1, jpg, len, "A street", "street.jpg");
    struct media *m;
    struct err err = {0};
    struct media_config cfg = {.db_path = db.path, .background = true};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
    enum { N = 6 };
    pthread_t t[N];
    struct racer r[N];
    for (int i = 0; i < N; i++) {
        r[i] = (struct racer){m, NULL, ERR_INTERNAL}; /* the thread's store does the work */
        cr_assert_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        cr_assert_eq(r[i].rc, ERR_OK);
    }
    cr_assert_eq(changes_of(db.st, KEY1), 2, "the original was made more than once");
    media_free(m);
    free(jpg);
}

Test(media_worker, a_restart_finishes_what_was_left_in_the_background)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    int64_t id = add_upload(db.st, KEY1, jpg, len, "A street", "street.jpg");
    struct media *m;
    struct err err = {0};
    struct media_config cfg = {.db_path = db.path, .background = true};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
    cr_assert_str_eq(media_config_of(m)->db_path, db.path);
    cr_assert_eq(media_config_of(m)->pixels_max, MEDIA_PIXELS_MAX_DEFAULT);
    /* nobody asks: the thread resumes it on its own */
    for (int i = 0; i < 300 && !has_file(db.st, id, STORE_MEDIA_LAST_VARIANT); i++)
        usleep(100 * 1000);
    cr_assert(has_file(db.st, id, STORE_MEDIA_LAST_VARIANT), "not finished in 30 s");
    /* and one asked for goes through the thread and waits for it */
    add_upload(db.st, KEY2, jpg, len / 2 + 1, "Cut short", "cut.jpg");
    cr_assert_eq(media_work(m, db.st, STR_LIT(KEY2), &err), ERR_INVALID);
    media_free(m);
    free(jpg);
}

Test(media_worker, an_upload_that_cannot_be_decoded_leaves_nothing)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    add_upload(db.st, KEY2, jpg, len / 2, "Cut short", "cut.jpg");
    struct media *m;
    struct err err = {0};
    struct media_config cfg = {0};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(media_work(m, db.st, STR_LIT(KEY2), &err), ERR_INVALID);
    struct media_item it;
    cr_assert_eq(store_media_by_key(db.st, STR_LIT(KEY2), &a, &it, NULL), ERR_NOTFOUND);
    media_free(m);
    free(jpg);
}

Test(media_worker, keep_rights_comes_from_the_setting)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    int64_t id = add_upload(db.st, KEY1, jpg, len, "A street", "street.jpg");
    struct err err = {0};
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK);
    cr_assert_eq(store_tx_end(db.st,
                              store_setting_set(db.st, "media_keep_rights", STR_LIT("true"), &err),
                              &err),
                 ERR_OK);
    struct media *m;
    struct media_config cfg = {0};
    cr_assert_eq(media_new(&cfg, &m, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(media_work(m, db.st, STR_LIT(KEY1), &err), ERR_OK, "%s", err.msg);
    struct store_media_file f;
    cr_assert_eq(store_media_file_get(db.st, id, "orig", &a, &f, NULL), ERR_OK);
    char *json = exif_json(f.data, f.len);
    cr_assert(strstr(json, "Ana Reporter"), "%s", json);
    cr_assert_null(strstr(json, "GPS"), "%s", json);
    free(json);
    free(f.data);
    media_free(m);
    free(jpg);
}

/* ---- the store's photo functions ------------------------------------------------------ */

Test(media_worker, list_searches_alt_and_file_name_newest_first)
{
    sh("vips black b.v 40 30 --bands 3 && vips copy b.v s.png");
    size_t len;
    char *png = photo_read("s.png", &len);
    add_upload(db.st, KEY1, png, len, "Harbour at 50% dawn", "harbour.png");
    int64_t second = add_upload(db.st, KEY2, png, len, "Market", "stall_1.png");
    struct media_item *items;
    size_t n;
    cr_assert_eq(store_media_list(db.st, STR_NULL, 0, 10, &a, &items, &n, NULL), ERR_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(items[0].key, KEY2);
    cr_assert_eq(items[0].width, 40);
    cr_assert_str_eq(items[0].alt.ptr, "Market");
    cr_assert_eq(store_media_list(db.st, STR_NULL, second, 10, &a, &items, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(items[0].key, KEY1);
    cr_assert_eq(store_media_list(db.st, STR_LIT("50%"), 0, 10, &a, &items, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(items[0].key, KEY1);
    cr_assert_eq(store_media_list(db.st, STR_LIT("l_1"), 0, 10, &a, &items, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1, "_ is no wildcard");
    cr_assert_eq(store_media_list(db.st, STR_LIT("5_%"), 0, 10, &a, &items, &n, NULL), ERR_OK);
    cr_assert_eq(n, 0);
    free(png);
}

Test(media_worker, update_delete_and_uses)
{
    sh("vips black b.v 40 30 --bands 3 && vips copy b.v s.png");
    size_t len;
    char *png = photo_read("s.png", &len);
    int64_t id = add_upload(db.st, KEY1, png, len, "Harbour", "harbour.png");
    struct err err = {0};
    struct media_meta meta = {
        .alt = STR_LIT("New alt"), .caption = STR_LIT("Cap"), .credit = STR_LIT("Photo: Ana")};
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK);
    enum err_code rc = store_media_update(db.st, STR_LIT(KEY1), &meta, &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_OK, "%s", err.msg);
    struct media_item it;
    cr_assert_eq(store_media_by_key(db.st, STR_LIT(KEY1), &a, &it, NULL), ERR_OK);
    cr_assert_str_eq(it.alt.ptr, "New alt");
    cr_assert_str_eq(it.credit.ptr, "Photo: Ana");
    cr_assert_eq(changes_of(db.st, KEY1), 2);

    /* used: as a logo, and by a staff member's avatar */
    char url[96];
    snprintf(url, sizeof(url), "/content/images/size/w320/%s/harbour.png", KEY1);
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK);
    rc = store_setting_set(db.st, "logo", str_from(url), &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_OK);
    struct media_use *uses;
    size_t n;
    cr_assert_eq(store_media_uses(db.st, STR_LIT(KEY1), 10, &a, &uses, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(uses[0].kind, "logo");
    cr_assert_str_eq(uses[0].title.ptr, "Site logo");
    cr_assert_eq(store_media_uses(db.st, STR_LIT(KEY2), 10, &a, &uses, &n, NULL), ERR_OK);
    cr_assert_eq(n, 0);

    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK);
    rc = store_media_delete(db.st, STR_LIT(KEY1), &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_OK, "%s", err.msg);
    cr_assert_not(has_file(db.st, id, "upload"), "the files went with the photo");
    cr_assert_eq(store_media_by_key(db.st, STR_LIT(KEY1), &a, &it, NULL), ERR_NOTFOUND);
    cr_assert_eq(store_tx_begin(db.st, &err), ERR_OK);
    rc = store_media_delete(db.st, STR_LIT(KEY1), &err);
    cr_assert_eq(store_tx_end(db.st, rc, &err), ERR_NOTFOUND);
    free(png);
}
