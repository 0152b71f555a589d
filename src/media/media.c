/*
 * media.c: the photo library's ways in and out that are not pixels: names and URLs (pure
 * functions), media_add's bookkeeping (digest, the row and the uploaded bytes in one
 * transaction), and the library's list, uses, update and delete.
 */
#include "media/media.h"
#include "media/media_int.h"

#include <stdio.h>
#include <string.h>

#define MEDIA_PREFIX "/content/images/"
/* a width in a URL: digits only, no leading zero, at most five of them */
#define MEDIA_URL_WIDTH_DIGITS 5

static const int media_widths_all[MEDIA_WIDTHS_MAX] = MEDIA_WIDTHS;

size_t media_widths(const struct media_item *m, int out[MEDIA_WIDTHS_MAX])
{
    size_t n = 0;
    for (size_t i = 0; i < MEDIA_WIDTHS_MAX; i++)
        if (media_widths_all[i] < m->width)
            out[n++] = media_widths_all[i];
    if (!n)
        out[n++] = m->width > 0 ? m->width : media_widths_all[0];
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
