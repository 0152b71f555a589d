/*
 * serve.c: GET /content/images/... The path names a photo, a width and a format; what is
 * sent is the rendition nearest at or above that width (made now when it is not made
 * yet, once whatever the concurrency), with the headers of something that never changes.
 *
 * Canonical paths only: a path that names a rendition by another width ("/size/w600/",
 * Ghost's sizes) or another file name is answered with a 301 to the canonical one
 * (media_path's). The response cache is keyed by the request path before any handler
 * runs, so this is what keeps a flood of distinct widths from filling it with copies of
 * the same bytes: only canonical paths of stored photos are ever answered with a 200.
 */
#include "media/media.h"
#include "media/media_int.h"

#include "http/http.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEDIA_CACHE_CONTROL "public, max-age=31536000, immutable"

/* The rendition served for a requested width: the nearest at or above, else the widest. */
static int width_for(const struct media_item *m, int want, enum media_format f)
{
    if (!want)
        return 0;
    if (want == MEDIA_SOCIAL_WIDTH && f == m->format)
        return MEDIA_SOCIAL_WIDTH;
    int w[MEDIA_WIDTHS_MAX];
    size_t n = media_widths(m, w);
    for (size_t i = 0; i < n; i++)
        if (w[i] >= want)
            return w[i];
    return w[n - 1];
}

/* The store's name of a file: "orig", "w640" (fallback format), "w640.webp". */
static void variant_name(const struct media_item *m, int width, enum media_format f, char *out,
                         size_t size)
{
    if (!width)
        snprintf(out, size, "orig");
    else if (f == m->format)
        snprintf(out, size, "w%d", width);
    else
        snprintf(out, size, "w%d.%s", width, media_ext(f));
}

/* The file, made first when it is not made yet. out->data is malloc'd. */
static enum err_code load(struct media *m, struct store *st, const struct media_item *item,
                          const char *variant, struct arena *a, struct store_media_file *out,
                          struct err *err)
{
    enum err_code rc =
        item->ready ? store_media_file_get(st, item->id, variant, a, out, NULL) : ERR_NOTFOUND;
    if (rc != ERR_NOTFOUND)
        return rc;
    rc = media_work(m, st, str_from(item->key), err);
    if (rc)
        return rc;
    return store_media_file_get(st, item->id, variant, a, out, err);
}

/* The bytes into res->body (what the cache keeps); past its cap, sent from the heap. */
static void fill(struct response *res, struct store_media_file *f)
{
    if (buf_append(&res->body, f->data, f->len) == ERR_OK) {
        free(f->data);
        return;
    }
    buf_reset(&res->body);
    res->body_ref = (struct str){f->data, f->len};
    res->body_release = free;
    res->body_release_arg = f->data;
}

/* The bytes of item's rendition (width, f) into res, made first when not made yet. */
static enum err_code send_file(struct media *m, struct store *st, const struct media_item *item,
                               int width, enum media_format f, struct arena *a,
                               struct response *res, struct err *err)
{
    char variant[32];
    variant_name(item, width, f, variant, sizeof(variant));
    struct store_media_file file;
    enum err_code rc = load(m, st, item, variant, a, &file, err);
    /* pixels that cannot be decoded: the work removed the photo (worker.c) */
    if (rc == ERR_NOTFOUND || rc == ERR_INVALID || rc == ERR_UNSUPPORTED)
        return err_set(err, ERR_NOTFOUND, "no such image");
    if (rc)
        return rc;
    res->content_type = arena_strndup(a, file.mime.ptr, file.mime.len);
    fill(res, &file);
    return ERR_OK;
}

enum err_code media_serve(struct media *m, struct store *st, struct str path, struct arena *a,
                          struct response *res, struct str *canon, struct err *err)
{
    struct media_ref ref;
    struct media_item item;
    *canon = STR_NULL;
    /* a reader's photo sent with a tip is as if it did not exist (media_meta.private) */
    if (!media_parse_url(path, STR_NULL, &ref) ||
        media_get(st, str_from(ref.key), a, &item, NULL) != ERR_OK || item.private)
        return err_set(err, ERR_NOTFOUND, "no such image");
    enum media_format f = ref.format == MEDIA_NONE ? item.format : ref.format;
    if (!MEDIA_HAS(item.formats, f) || (f != item.format && !ref.width))
        return err_set(err, ERR_NOTFOUND, "no such image");
    int width = width_for(&item, ref.width, f);
    *canon = media_path(&item, width, f, a);
    if (!str_eq(*canon, path)) {
        http_response_redirect(res, 301, *canon);
        http_response_header(res, "cache-control", STR_LIT(MEDIA_CACHE_CONTROL));
        return ERR_OK;
    }
    enum err_code rc = send_file(m, st, &item, width, f, a, res, err);
    if (rc)
        return rc;
    res->cache_control = MEDIA_CACHE_CONTROL;
    res->last_modified = item.created_at;
    http_response_dep(res, "media:%s", item.key);
    return ERR_OK;
}

enum err_code media_serve_staff(struct media *m, struct store *st, const struct media_item *item,
                                int width, struct arena *a, struct response *res, struct err *err)
{
    int w = width > 0 ? media_width_at_least(item, width) : 0;
    enum err_code rc = send_file(m, st, item, w, item->format, a, res, err);
    if (!rc)
        res->cache_control = "private, no-store";
    return rc;
}
