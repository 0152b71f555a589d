/*
 * The markup of a photo of the site's own library: srcset in every format it has, sizes
 * for the body column, width and height so the page keeps its shape while it loads, and
 * the caption and credit under it. The URLs come from the caller (content_photos); this
 * file only writes them, escaped.
 */
#include "content/content_int.h"

static enum err_code put_attr(struct buf *b, const char *name, struct str value)
{
    enum err_code rc = buf_printf(b, " %s=\"", name);
    if (!rc)
        rc = buf_append_html(b, value.ptr, value.len);
    return rc ? rc : buf_putc(b, '"');
}

static enum err_code put_source(struct buf *b, const char *type, struct str srcset)
{
    if (!srcset.len)
        return ERR_OK;
    enum err_code rc = buf_printf(b, "<source type=\"%s\"", type);
    if (!rc)
        rc = put_attr(b, "srcset", srcset);
    if (!rc)
        rc = put_attr(b, "sizes", STR_LIT(CONTENT_PHOTO_SIZES));
    return rc ? rc : buf_putc(b, '>');
}

/*
 * The <img>. It starts with width, never with src: markdown.c makes every other image
 * lazy by finding cmark's `<img src="`, and must not touch this one.
 */
static enum err_code put_img(const struct content_photo *p, struct str alt, struct str title,
                             unsigned flags, struct buf *b)
{
    enum err_code rc = buf_printf(b, "<img width=\"%d\" height=\"%d\"", p->width, p->height);
    if (!rc)
        rc = put_attr(b, "src", p->src);
    if (!rc && p->srcset.len)
        rc = put_attr(b, "srcset", p->srcset);
    if (!rc && p->srcset.len)
        rc = put_attr(b, "sizes", STR_LIT(CONTENT_PHOTO_SIZES));
    if (!rc)
        rc = put_attr(b, "alt", p->decorative ? STR_LIT("") : alt.len ? alt : p->alt);
    if (!rc && title.len && !(flags & CONTENT_PHOTO_FIGURE))
        rc = put_attr(b, "title", title);
    if (!rc)
        rc = buf_puts(b, flags & CONTENT_PHOTO_LEAD ? " fetchpriority=\"high\" decoding=\"async\">"
                                                    : " loading=\"lazy\" decoding=\"async\">");
    return rc;
}

static enum err_code put_caption(const struct content_photo *p, struct str title, struct buf *b)
{
    struct str caption = title.len ? title : p->caption;
    if (!caption.len && !p->credit.len)
        return ERR_OK;
    enum err_code rc = buf_puts(b, "<figcaption>");
    if (!rc)
        rc = buf_append_html(b, caption.ptr, caption.len);
    if (!rc && p->credit.len)
        rc = buf_puts(b, caption.len ? " <span class=\"credit\">" : "<span class=\"credit\">");
    if (!rc && p->credit.len)
        rc = buf_append_html(b, p->credit.ptr, p->credit.len);
    if (!rc && p->credit.len)
        rc = buf_puts(b, "</span>");
    return rc ? rc : buf_puts(b, "</figcaption>");
}

enum err_code content_photo_html(const struct content_photo *p, struct str alt, struct str title,
                                 unsigned flags, struct buf *b)
{
    if (!(flags & CONTENT_PHOTO_FIGURE))
        return put_img(p, alt, title, flags, b);
    enum err_code rc = buf_puts(b, "<figure class=\"photo\"><picture>");
    if (!rc)
        rc = put_source(b, "image/avif", p->srcset_avif);
    if (!rc)
        rc = put_source(b, "image/webp", p->srcset_webp);
    if (!rc)
        rc = put_img(p, alt, title, flags, b);
    if (!rc)
        rc = buf_puts(b, "</picture>");
    if (!rc)
        rc = put_caption(p, title, b);
    return rc ? rc : buf_puts(b, "</figure>");
}
