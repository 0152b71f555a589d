/*
 * Photos: the media row of each upload and its files (the upload until it is stripped,
 * the original, the renditions). Writes readers can see log "media:{key}", so cached
 * pages and images that show the photo are made again.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_read_media(const struct store_q *q, struct arena *a, void *row)
{
    struct media_item *m = row;
    memset(m, 0, sizeof(*m));
    m->id = store_col_i64(q, 0);
    struct str key = store_col_str(q, 1, a);
    snprintf(m->key, sizeof(m->key), "%.*s", (int)key.len, key.ptr);
    m->name = store_col_str(q, 2, a);
    m->filename = store_col_str(q, 3, a);
    m->source = (enum media_format)store_col_i64(q, 4);
    m->format = (enum media_format)store_col_i64(q, 5);
    m->width = (int)store_col_i64(q, 6);
    m->height = (int)store_col_i64(q, 7);
    m->bytes = store_col_i64(q, 8);
    m->formats = (unsigned)store_col_i64(q, 9);
    m->alt = store_col_str(q, 10, a);
    m->decorative = store_col_bool(q, 11);
    m->caption = store_col_str(q, 12, a);
    m->credit = store_col_str(q, 13, a);
    m->removed = store_col_str(q, 14, a);
    m->ready = store_col_bool(q, 15);
    m->created_at = store_col_i64(q, 16);
    m->created_by = store_col_i64(q, 17);
    m->updated_at = store_col_i64(q, 18);
    m->private = store_col_bool(q, 19);
}

static enum err_code log_media(struct store *st, const char *key, struct err *err)
{
    char deps[32 + MEDIA_KEY_LEN];
    snprintf(deps, sizeof(deps), "media:%s", key);
    return store_change_log(st, deps, err);
}

enum err_code store_media_insert(struct store *st, const struct media_item *m, const char *sha256,
                                 int64_t *id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_INSERT, &q, err);
    store_bind_text(&q, 1, m->key);
    store_bind_text(&q, 2, sha256);
    store_bind_str(&q, 3, m->name);
    store_bind_str(&q, 4, m->filename);
    store_bind_i64(&q, 5, m->source);
    store_bind_i64(&q, 6, m->format);
    store_bind_i64(&q, 7, m->width);
    store_bind_i64(&q, 8, m->height);
    store_bind_i64(&q, 9, m->bytes);
    store_bind_i64(&q, 10, m->formats);
    store_bind_str(&q, 11, m->alt);
    store_bind_i64(&q, 12, m->decorative);
    store_bind_str(&q, 13, m->caption);
    store_bind_str(&q, 14, m->credit);
    store_bind_str(&q, 15, m->removed);
    store_bind_i64(&q, 16, m->ready);
    store_bind_i64(&q, 17, m->created_at);
    store_bind_i64(&q, 18, m->created_by);
    store_bind_i64(&q, 19, m->private);
    enum err_code rc = store_q_insert(&q, id, "cannot save photo", err);
    return rc ? rc : log_media(st, m->key, err);
}

static enum err_code media_by(struct store *st, enum store_stmt stmt, struct str v, struct arena *a,
                              struct media_item *out, struct err *err)
{
    struct store_q q;
    store_q_open(st, stmt, &q, err);
    store_bind_str(&q, 1, v);
    return store_q_row(&q, STORE_ROW_FN(store_read_media), a, out, "photo", err);
}

enum err_code store_media_by_key(struct store *st, struct str key, struct arena *a,
                                 struct media_item *out, struct err *err)
{
    return media_by(st, STMT_MEDIA_BY_KEY, key, a, out, err);
}

enum err_code store_media_by_sha256(struct store *st, const char *sha256, struct arena *a,
                                    struct media_item *out, struct err *err)
{
    return media_by(st, STMT_MEDIA_BY_SHA256, str_from(sha256), a, out, err);
}

enum err_code store_media_list(struct store *st, struct str q, int64_t before, size_t limit,
                               struct arena *a, struct media_item **out, size_t *n, struct err *err)
{
    struct store_q sq;
    store_q_open(st, STMT_MEDIA_LIST, &sq, err);
    store_bind_i64(&sq, 1, before);
    store_bind_text(&sq, 2, q.len ? store_like(q, true, true, a).ptr : NULL);
    store_bind_i64(&sq, 3, (int64_t)limit);
    void *v;
    enum err_code rc = store_q_rows(&sq, sizeof(struct media_item), limit,
                                    STORE_ROW_FN(store_read_media), a, &v, n, err);
    *out = v;
    return rc;
}

/* Runs a write of one photo named by key; ERR_NOTFOUND when it changed nothing. */
static enum err_code write_by_key(struct store_q *q, struct str key, const char *what,
                                  struct err *err)
{
    int64_t changed = 0;
    enum err_code rc = store_q_exec(q, &changed, what, err);
    if (!rc && changed == 0)
        return err_set(err, ERR_NOTFOUND, "no such photo");
    char k[MEDIA_KEY_LEN + 1];
    snprintf(k, sizeof(k), "%.*s", (int)key.len, key.ptr);
    return rc ? rc : log_media(q->st, k, err);
}

enum err_code store_media_update(struct store *st, struct str key, const struct media_meta *meta,
                                 struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_UPDATE, &q, err);
    store_bind_str(&q, 1, key);
    store_bind_str(&q, 2, meta->alt);
    store_bind_i64(&q, 3, meta->decorative);
    store_bind_str(&q, 4, meta->caption);
    store_bind_str(&q, 5, meta->credit);
    store_bind_i64(&q, 6, time_now());
    return write_by_key(&q, key, "cannot save photo", err);
}

enum err_code store_media_publish(struct store *st, struct str key, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_PUBLISH, &q, err);
    store_bind_str(&q, 1, key);
    store_bind_i64(&q, 2, time_now());
    return write_by_key(&q, key, "cannot add the photo to the library", err);
}

enum err_code store_media_delete(struct store *st, struct str key, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_DELETE, &q, err);
    store_bind_str(&q, 1, key);
    return write_by_key(&q, key, "cannot delete photo", err);
}

static void read_use(const struct store_q *q, struct arena *a, void *row)
{
    struct media_use *u = row;
    u->kind = store_col_str(q, 0, a).ptr;
    u->id = store_col_i64(q, 1);
    u->title = store_col_str(q, 2, a);
    u->url = (struct str){"", 0};
}

enum err_code store_media_uses(struct store *st, struct str key, size_t max, struct arena *a,
                               struct media_use **out, size_t *n, struct err *err)
{
    /* "/{key}/": every URL of ours names the key as a whole path segment */
    struct str seg = arena_cat3(a, "/", key, "/");
    struct store_q q;
    store_q_open(st, STMT_MEDIA_USES, &q, err);
    store_bind_text(&q, 1, store_like(seg, true, true, a).ptr);
    store_bind_i64(&q, 2, (int64_t)max);
    void *v;
    enum err_code rc =
        store_q_rows(&q, sizeof(struct media_use), max, STORE_ROW_FN(read_use), a, &v, n, err);
    *out = v;
    return rc;
}

enum err_code store_media_set_ready(struct store *st, int64_t id, int64_t bytes, unsigned formats,
                                    struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_READY, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_i64(&q, 2, bytes);
    store_bind_i64(&q, 3, formats);
    store_bind_i64(&q, 4, time_now());
    struct arena a;
    arena_init(&a);
    struct str key = STR_NULL;
    enum err_code rc = store_q_row(&q, &store_row_str, &a, &key, "photo", err);
    if (!rc)
        rc = log_media(st, key.ptr, err);
    arena_release(&a);
    return rc;
}

enum err_code store_media_pending(struct store *st, size_t max, struct arena *a, struct str **keys,
                                  size_t *n, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_PENDING, &q, err);
    store_bind_text(&q, 1, STORE_MEDIA_LAST_VARIANT);
    store_bind_i64(&q, 2, (int64_t)max);
    void *v;
    enum err_code rc = store_q_rows(&q, sizeof(struct str), max, &store_row_str, a, &v, n, err);
    *keys = v;
    return rc;
}

enum err_code store_media_file_put(struct store *st, int64_t id, const char *variant,
                                   const char *mime, int width, int height, const void *data,
                                   size_t len, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_FILE_PUT, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_text(&q, 2, variant);
    store_bind_text(&q, 3, mime);
    store_bind_i64(&q, 4, width);
    store_bind_i64(&q, 5, height);
    store_bind_blob(&q, 6, data, len);
    return store_q_exec(&q, NULL, "cannot save photo file", err);
}

static void read_file(const struct store_q *q, struct arena *a, void *row)
{
    struct store_media_file *f = row;
    f->mime = store_col_str(q, 0, a);
    f->width = store_col_i64(q, 1);
    f->height = store_col_i64(q, 2);
    f->data = store_col_blob(q, 3, &f->len);
}

enum err_code store_media_file_get(struct store *st, int64_t id, const char *variant,
                                   struct arena *a, struct store_media_file *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct store_q q;
    store_q_open(st, STMT_MEDIA_FILE_GET, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_text(&q, 2, variant);
    enum err_code rc = store_q_row(&q, STORE_ROW_FN(read_file), a, out, "photo file", err);
    if (rc) {
        free(out->data);
        out->data = NULL;
        out->len = 0;
    }
    return rc;
}

enum err_code store_media_upload_drop(struct store *st, int64_t id, struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_MEDIA_FILE_DROP, &q, err);
    store_bind_i64(&q, 1, id);
    store_bind_text(&q, 2, "upload");
    return store_q_exec(&q, NULL, "cannot drop the uploaded bytes", err);
}
