/*
 * media.c: the photo library's ways in and out that are not pixels: names and URLs (pure
 * functions), media_add's bookkeeping (digest, the row and the uploaded bytes in one
 * transaction), and the library's list, uses, update and delete.
 */
#include "media/media.h"
#include "media/media_int.h"

#include "auth/auth.h"
#include "content/content.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

#define MEDIA_PREFIX "/content/images/"
/* a width in a URL: digits only, no leading zero, at most five of them */
#define MEDIA_URL_WIDTH_DIGITS 5
#define MEDIA_NAME_MAX 80  /* the slug of a file name, in URLs */
#define MEDIA_USES_MAX 100 /* uses listed; a delete is refused at the first */

static const int media_widths_all[MEDIA_WIDTHS_MAX] = MEDIA_WIDTHS;

/*
 * The standard widths below the photo's own, then its own width when the widest of them
 * falls short of it by more than a fifth: a 480 px photo gets 320 and 480, not a 320
 * stretched to fill the column; a 1000 px one gets 320, 640 and 960 (960 is near enough).
 * A photo wider than the widest standard width stops there.
 */
size_t media_widths(const struct media_item *m, int out[MEDIA_WIDTHS_MAX])
{
    size_t n = 0;
    for (size_t i = 0; i < MEDIA_WIDTHS_MAX; i++)
        if (media_widths_all[i] < m->width)
            out[n++] = media_widths_all[i];
    if (n == MEDIA_WIDTHS_MAX)
        return n;
    if (!n)
        out[n++] = m->width > 0 ? m->width : media_widths_all[0];
    else if ((int64_t)m->width * 4 > (int64_t)out[n - 1] * 5)
        out[n++] = m->width;
    return n;
}

/*
 * The extensions URLs use: the original's ("jpg" or "png") after the name, a rendition's
 * other format in its "format/" segment (Ghost's shapes).
 */
static const char *url_ext(enum media_format f)
{
    switch (f) {
    case MEDIA_PNG:
        return "png";
    case MEDIA_WEBP:
        return "webp";
    case MEDIA_AVIF:
        return "avif";
    default:
        return "jpg";
    }
}

struct str media_path(const struct media_item *m, int width, enum media_format format,
                      struct arena *a)
{
    const char *name = m->name.len ? "" : "image";
    const char *ext = url_ext(m->format);
    if (!width)
        return str_from(arena_printf(a, MEDIA_PREFIX "%s/%.*s%s.%s", m->key, (int)m->name.len,
                                     m->name.ptr, name, ext));
    if (format == MEDIA_NONE || format == m->format)
        return str_from(arena_printf(a, MEDIA_PREFIX "size/w%d/%s/%.*s%s.%s", width, m->key,
                                     (int)m->name.len, m->name.ptr, name, ext));
    return str_from(arena_printf(a, MEDIA_PREFIX "size/w%d/format/%s/%s/%.*s%s.%s", width,
                                 url_ext(format), m->key, (int)m->name.len, m->name.ptr, name,
                                 ext));
}

/* ---- URLs ------------------------------------------------------------------------- */

/* Takes the next segment of *rest (up to '/' or the end) off it. */
static struct str next_segment(struct str *rest, bool *last)
{
    const char *slash = memchr(rest->ptr, '/', rest->len);
    size_t n = slash ? (size_t)(slash - rest->ptr) : rest->len;
    struct str seg = {rest->ptr, n};
    *last = !slash;
    rest->ptr += slash ? n + 1 : n;
    rest->len -= slash ? n + 1 : n;
    return seg;
}

static bool is_key(struct str s)
{
    if (s.len != MEDIA_KEY_LEN)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!((s.ptr[i] >= '0' && s.ptr[i] <= '9') || (s.ptr[i] >= 'a' && s.ptr[i] <= 'f')))
            return false;
    return true;
}

/* "w640": digits only, no leading zero. */
static bool parse_width(struct str s, int *out)
{
    if (s.len < 2 || s.len > 1 + MEDIA_URL_WIDTH_DIGITS || s.ptr[0] != 'w' || s.ptr[1] == '0')
        return false;
    int w = 0;
    for (size_t i = 1; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9')
            return false;
        w = w * 10 + (s.ptr[i] - '0');
    }
    *out = w;
    return true;
}

/* "harbour-at-dawn.jpg": letters, digits, '-', '_' and '.', an extension, no "..". */
static bool is_file_name(struct str s)
{
    if (!s.len || s.len > 255 || s.ptr[0] == '.' || memmem(s.ptr, s.len, "..", 2))
        return false;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    const char *dot = memrchr(s.ptr, '.', s.len);
    return dot && dot + 1 < s.ptr + s.len;
}

static enum media_format format_named(struct str s)
{
    if (str_eq_cstr(s, url_ext(MEDIA_WEBP)))
        return MEDIA_WEBP;
    if (str_eq_cstr(s, url_ext(MEDIA_AVIF)))
        return MEDIA_AVIF;
    return MEDIA_NONE;
}

/* The path after /content/images/: [size/w{W}/[format/{f}/]]{key}/{name}.{ext} */
static bool parse_rest(struct str rest, struct media_ref *out)
{
    bool last = false;
    struct str seg = next_segment(&rest, &last);
    if (!last && str_eq_cstr(seg, "size")) {
        if (last || !parse_width(next_segment(&rest, &last), &out->width) || last)
            return false;
        seg = next_segment(&rest, &last);
        if (!last && str_eq_cstr(seg, "format")) {
            out->format = format_named(next_segment(&rest, &last));
            if (out->format == MEDIA_NONE || last)
                return false;
            seg = next_segment(&rest, &last);
        }
    }
    if (last || !is_key(seg))
        return false;
    memcpy(out->key, seg.ptr, MEDIA_KEY_LEN);
    out->key[MEDIA_KEY_LEN] = '\0';
    return is_file_name(next_segment(&rest, &last)) && last;
}

/* url without site_url's origin when it starts with it; url itself when it is a path. */
static bool strip_origin(struct str url, struct str site_url, struct str *path)
{
    if (url.len && url.ptr[0] == '/') {
        *path = url;
        return !(url.len > 1 && url.ptr[1] == '/'); /* "//host/..." is another site */
    }
    while (site_url.len && site_url.ptr[site_url.len - 1] == '/')
        site_url.len--;
    if (!site_url.len || url.len <= site_url.len || memcmp(url.ptr, site_url.ptr, site_url.len))
        return false;
    *path = (struct str){url.ptr + site_url.len, url.len - site_url.len};
    return path->ptr[0] == '/';
}

bool media_parse_url(struct str url, struct str site_url, struct media_ref *out)
{
    struct str path;
    struct media_ref ref = {.width = 0, .format = MEDIA_NONE};
    if (!url.ptr || memchr(url.ptr, '\0', url.len) || !strip_origin(url, site_url, &path))
        return false;
    if (!str_starts_with(path, MEDIA_PREFIX))
        return false;
    struct str rest = {path.ptr + strlen(MEDIA_PREFIX), path.len - strlen(MEDIA_PREFIX)};
    if (!parse_rest(rest, &ref))
        return false;
    *out = ref;
    return true;
}

/* ---- what the uploader says -------------------------------------------------------- */

/* Text a person typed: UTF-8, no control characters but line breaks where allowed. */
static enum err_code check_text(struct str s, const char *what, size_t max, bool lines,
                                struct err *err)
{
    if (s.len > max)
        return err_set(err, ERR_INVALID, "%s is longer than %zu bytes", what, max);
    if (!utf8_valid(s.ptr, s.len))
        return err_set(err, ERR_INVALID, "%s is not valid UTF-8", what);
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if ((c < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) || c == 0x7f)
            return err_set(err, ERR_INVALID, "%s holds a control character", what);
    }
    return ERR_OK;
}

static enum err_code check_meta(const struct media_meta *meta, struct err *err)
{
    enum err_code rc = check_text(meta->alt, "alt text", MEDIA_ALT_MAX, false, err);
    if (!rc)
        rc = check_text(meta->caption, "caption", MEDIA_CAPTION_MAX, true, err);
    if (!rc)
        rc = check_text(meta->credit, "credit", MEDIA_CREDIT_MAX, false, err);
    if (rc)
        return rc;
    if (!meta->decorative && !meta->alt_later && !str_trim(meta->alt).len)
        return err_set(err, ERR_INVALID,
                       "alt text is required: describe the photo, or mark it decorative");
    return ERR_OK;
}

/* What is stored of the meta: trimmed; a decorative photo's alt is "" everywhere. */
static struct media_meta meta_kept(const struct media_meta *meta)
{
    struct media_meta k = *meta;
    k.alt = k.decorative ? STR_LIT("") : str_trim(k.alt);
    k.caption = str_trim(k.caption);
    k.credit = str_trim(k.credit);
    return k;
}

/* ---- taking a photo in ------------------------------------------------------------- */

static void sha256_hex(const void *bytes, size_t len, char hex[65])
{
    unsigned char d[32];
    auth_token_hash((struct str){bytes, len}, d);
    for (size_t i = 0; i < sizeof(d); i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* "Harbour at Dawn.JPG" → "harbour-at-dawn"; "" when nothing usable remains. */
static struct str name_of(struct str filename, struct arena *a)
{
    const char *dot = filename.len ? memrchr(filename.ptr, '.', filename.len) : NULL;
    struct str stem = dot && dot > filename.ptr
                          ? (struct str){filename.ptr, (size_t)(dot - filename.ptr)}
                          : filename;
    struct str slug = content_slugify(stem, a);
    return slug.len > MEDIA_NAME_MAX ? (struct str){slug.ptr, MEDIA_NAME_MAX} : slug;
}

/* The row media_add inserts for a probed upload. */
static void item_new(const struct media_probe *p, const struct media_meta *meta, const char *sha,
                     int64_t user_id, struct arena *a, struct media_item *m)
{
    struct media_meta k = meta_kept(meta);
    memset(m, 0, sizeof(*m));
    memcpy(m->key, sha, MEDIA_KEY_LEN);
    m->name = name_of(meta->filename, a);
    while (m->name.len && m->name.ptr[m->name.len - 1] == '-')
        m->name.len--;
    m->filename = utf8_valid(meta->filename.ptr, meta->filename.len) && meta->filename.len <= 255
                      ? meta->filename
                      : STR_LIT("");
    m->source = p->format;
    m->format = p->alpha ? MEDIA_PNG : MEDIA_JPEG;
    m->width = p->width;
    m->height = p->height;
    m->formats = media_rendition_formats() | (1u << m->format);
    m->alt = k.alt;
    m->decorative = k.decorative;
    m->caption = k.caption;
    m->credit = k.credit;
    m->removed = arena_str(a, str_from(p->removed));
    m->created_at = m->updated_at = time_now();
    m->created_by = user_id;
    m->private = meta->private;
}

/*
 * In one transaction: the same bytes already stored, or a new row with the upload. A
 * reader's photo (private) that the newsroom uploads too is the library's from then on;
 * a public photo a reader sends stays public: its bytes were never the reader's secret.
 */
static enum err_code store_upload(struct store *st, const void *bytes, size_t len, const char *sha,
                                  struct media_item *m, struct arena *a, bool *existed,
                                  struct err *err)
{
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    bool private = m->private;
    rc = store_media_by_sha256(st, sha, a, m, err);
    *existed = rc == ERR_OK;
    if (*existed && m->private && !private) {
        rc = store_media_publish(st, str_from(m->key), err);
        m->private = false;
    }
    if (rc == ERR_NOTFOUND)
        rc = store_media_insert(st, m, sha, &m->id, err);
    if (!rc && !*existed)
        rc = store_media_file_put(st, m->id, "upload", media_mime(m->source), m->width, m->height,
                                  bytes, len, err);
    return store_tx_end(st, rc, err);
}

/* The photo as the store has it now (the writer reads inside a transaction). */
static enum err_code reread(struct store *st, struct media_item *m, struct arena *a,
                            struct err *err)
{
    enum err_code rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_media_by_key(st, str_from(m->key), a, m, err);
    return store_tx_end(st, rc, err);
}

/*
 * Without a background thread: everything made now. A photo whose pixels cannot be
 * decoded is removed by the work itself (worker.c), so nothing of it stays.
 */
static enum err_code work_now(struct media *m, struct store *st, struct media_item *item,
                              struct arena *a, struct err *err)
{
    enum err_code rc = media_work(m, st, str_from(item->key), err);
    return rc ? rc : reread(st, item, a, err);
}

/* The bytes' format and size from their header, within the limits m was started with. */
static enum err_code probe_of(const struct media *m, const void *bytes, size_t len,
                              struct media_probe *out, struct err *err)
{
    const struct media_config *cfg = media_config_of(m);
    return media_probe(bytes, len, cfg->bytes_max, cfg->pixels_max, out, err);
}

enum err_code media_check(const struct media *m, const void *bytes, size_t len, struct err *err)
{
    struct media_probe probe;
    return probe_of(m, bytes, len, &probe, err);
}

enum err_code media_add(struct media *m, struct store *st, const void *bytes, size_t len,
                        const struct media_meta *meta, int64_t user_id, struct arena *a,
                        struct media_item *out, bool *existed, struct err *err)
{
    const struct media_config *cfg = media_config_of(m);
    struct media_probe probe;
    *existed = false;
    enum err_code rc = check_meta(meta, err);
    if (!rc)
        rc = probe_of(m, bytes, len, &probe, err);
    if (rc)
        return rc;
    char sha[65];
    sha256_hex(bytes, len, sha);
    item_new(&probe, meta, sha, user_id, a, out);
    rc = store_upload(st, bytes, len, sha, out, a, existed, err);
    if (rc || (*existed && out->ready))
        return rc;
    if (cfg->background) {
        media_enqueue(m, str_from(out->key));
        return ERR_OK;
    }
    return work_now(m, st, out, a, err);
}

/* ---- reading ----------------------------------------------------------------------- */

enum err_code media_get(struct store *st, struct str key, struct arena *a, struct media_item *out,
                        struct err *err)
{
    if (!is_key(key))
        return err_set(err, ERR_NOTFOUND, "no such photo");
    return store_media_by_key(st, key, a, out, err);
}

bool media_lookup(struct store *st, struct str url, struct str site_url, struct arena *a,
                  struct media_item *out)
{
    struct media_ref ref;
    return media_parse_url(url, site_url, &ref) &&
           media_get(st, str_from(ref.key), a, out, NULL) == ERR_OK && !out->private;
}

enum err_code media_list(struct store *st, const struct media_list_query *q, struct arena *a,
                         struct media_item **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    if (q->limit < 1 || q->limit > 100)
        return err_set(err, ERR_INVALID, "a page lists 1 to 100 photos");
    enum err_code rc = check_text(q->q, "the search", MEDIA_ALT_MAX, false, err);
    if (rc)
        return rc;
    return store_media_list(st, str_trim(q->q), q->before, q->limit, a, out, n, err);
}

/* The newsroom page where a use is edited. */
static struct str use_url(const struct media_use *u, struct arena *a)
{
    if (!strcmp(u->kind, "avatar"))
        return str_from(arena_printf(a, "/admin/staff/%lld/", (long long)u->id));
    if (u->id)
        return str_from(arena_printf(a, "/admin/posts/%lld/", (long long)u->id));
    return STR_LIT("/admin/settings/");
}

enum err_code media_uses(struct store *st, struct str key, struct arena *a, struct media_use **out,
                         size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    if (!is_key(key))
        return err_set(err, ERR_NOTFOUND, "no such photo");
    enum err_code rc = store_media_uses(st, key, MEDIA_USES_MAX, a, out, n, err);
    for (size_t i = 0; !rc && i < *n; i++)
        (*out)[i].url = use_url(&(*out)[i], a);
    return rc;
}

/* ---- changing ---------------------------------------------------------------------- */

enum err_code media_update(struct store *st, struct str key, const struct media_meta *meta,
                           struct err *err)
{
    if (!is_key(key))
        return err_set(err, ERR_NOTFOUND, "no such photo");
    enum err_code rc = check_meta(meta, err);
    if (rc)
        return rc;
    struct media_meta k = meta_kept(meta);
    rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_media_update(st, key, &k, err);
    return store_tx_end(st, rc, err);
}

/* "used in “Harbour fire” and 2 more" */
static enum err_code refuse_used(const struct media_use *u, size_t n, struct err *err)
{
    if (n == 1)
        return err_set(err, ERR_CONFLICT, "this photo is used in “%.*s”: remove it there first",
                       (int)u->title.len, u->title.ptr);
    return err_set(err, ERR_CONFLICT,
                   "this photo is used in “%.*s” and %zu more%s: remove it there first",
                   (int)u->title.len, u->title.ptr, n - 1, n == MEDIA_USES_MAX ? "+" : "");
}

enum err_code media_delete(struct store *st, struct str key, struct err *err)
{
    if (!is_key(key))
        return err_set(err, ERR_NOTFOUND, "no such photo");
    struct arena a;
    arena_init(&a);
    struct media_use *uses;
    size_t n = 0;
    enum err_code rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_media_uses(st, key, MEDIA_USES_MAX, &a, &uses, &n, err);
    if (!rc && n)
        rc = refuse_used(uses, n, err);
    if (!rc)
        rc = store_media_delete(st, key, err);
    rc = store_tx_end(st, rc, err);
    arena_release(&a);
    return rc;
}
