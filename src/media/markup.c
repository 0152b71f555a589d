/*
 * markup.c: a stored photo as pages print it. The Markdown renderer (content/) knows
 * nothing of the library; it asks media_photo_find, and writes what media_photo_fill
 * gives. The theme's feature image uses the same values, so a photo looks the same
 * wherever it appears.
 */
#include "media/media.h"

#include "content/content.h"

#include <string.h>

/* The fallback src: sharp on a laptop, never the multi-megabyte original. */
#define MARKUP_SRC_WIDTH 1280

int media_width_at_least(const struct media_item *m, int width)
{
    int w[MEDIA_WIDTHS_MAX];
    size_t n = media_widths(m, w);
    for (size_t i = 0; i < n; i++)
        if (w[i] >= width)
            return w[i];
    return w[n - 1];
}

/* "URL 320w, URL 640w, ..." for format (MEDIA_NONE: the fallback), in a. */
static struct str srcset(const struct media_item *m, const int *w, size_t n,
                         enum media_format format, struct arena *a)
{
    struct buf b;
    buf_init(&b, 16 * 1024);
    for (size_t i = 0; i < n; i++) {
        struct str path = media_path(m, w[i], format, a);
        if (buf_printf(&b, "%s%.*s %dw", i ? ", " : "", (int)path.len, path.ptr, w[i]))
            break; /* cannot happen: six paths of a bounded name */
    }
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

void media_photo_fill(const struct media_item *m, struct arena *a, struct content_photo *out)
{
    int w[MEDIA_WIDTHS_MAX];
    size_t n = media_widths(m, w);
    int src = w[0];
    for (size_t i = 0; i < n; i++)
        if (w[i] <= MARKUP_SRC_WIDTH)
            src = w[i];
    *out = (struct content_photo){
        .width = m->width,
        .height = m->height,
        .src = media_path(m, src, MEDIA_NONE, a),
        .srcset = srcset(m, w, n, MEDIA_NONE, a),
        .alt = m->alt,
        .decorative = m->decorative,
        .caption = m->caption,
        .credit = m->credit,
    };
    if (MEDIA_HAS(m->formats, MEDIA_WEBP) && m->format != MEDIA_WEBP)
        out->srcset_webp = srcset(m, w, n, MEDIA_WEBP, a);
    if (MEDIA_HAS(m->formats, MEDIA_AVIF))
        out->srcset_avif = srcset(m, w, n, MEDIA_AVIF, a);
}

struct str media_html_absolute(struct str html, struct str site_url, struct arena *a)
{
    static const char prefix[] = "/content/images/";
    const size_t plen = sizeof(prefix) - 1;
    size_t n = 0;
    for (const char *p = html.ptr;
         p && (p = memmem(p, html.len - (size_t)(p - html.ptr), prefix, plen)); p += plen)
        n++;
    if (!n || !site_url.len)
        return html;
    char *out = arena_alloc(a, html.len + n * site_url.len + 1);
    size_t k = 0;
    const char *p = html.ptr, *end = html.ptr + html.len;
    for (const char *q; (q = memmem(p, (size_t)(end - p), prefix, plen)); p = q + plen) {
        bool starts =
            q > html.ptr && (q[-1] == '"' || (q - html.ptr >= 2 && q[-1] == ' ' && q[-2] == ','));
        memcpy(out + k, p, (size_t)(q - p));
        k += (size_t)(q - p);
        if (starts) {
            memcpy(out + k, site_url.ptr, site_url.len);
            k += site_url.len;
        }
        memcpy(out + k, prefix, plen);
        k += plen;
    }
    memcpy(out + k, p, (size_t)(end - p));
    k += (size_t)(end - p);
    out[k] = '\0';
    return (struct str){out, k};
}

bool media_photo_find(void *ctx, struct str url, struct arena *a, struct content_photo *out)
{
    const struct media_finder *f = ctx;
    struct media_item m;
    if (!f || !f->st || !media_lookup(f->st, url, f->site_url, a, &m) || m.width <= 0 ||
        m.height <= 0)
        return false;
    media_photo_fill(&m, a, out);
    return true;
}
