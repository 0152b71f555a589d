/*
 * An article's photos from the library (site_int.h): what media_photo_fill gives, in the
 * view the theme prints, and the page's image for Open Graph, Twitter and JSON-LD.
 * A URL that is not one of ours stays exactly as it was written.
 */
#include "site/site_int.h"

#include "content/content.h"
#include "http/http.h"
#include "media/media.h"
#include "store/store.h"

/* An avatar is a 64-96 px circle: twice that for sharp screens, the nearest rendition. */
#define PHOTOS_AVATAR_WIDTH 192

/* The photo behind url when it is ours; the page then changes when the photo does. */
static bool lookup(struct store *st, const struct site *site, struct str url, struct response *res,
                   struct media_item *m)
{
    if (!url.len || !media_lookup(st, url, site->settings.url, res->arena, m) || m->width <= 0 ||
        m->height <= 0)
        return false;
    http_response_dep(res, "media:%s", m->key);
    return true;
}

static struct view_picture *picture_new(const struct media_item *m, struct str alt,
                                        struct str caption, struct arena *a)
{
    struct content_photo ph;
    media_photo_fill(m, a, &ph);
    struct view_picture *v = arena_calloc(a, 1, sizeof(*v));
    v->src = ph.src;
    v->srcset = ph.srcset;
    v->srcset_webp = ph.srcset_webp;
    v->srcset_avif = ph.srcset_avif;
    v->sizes = STR_LIT(CONTENT_PHOTO_SIZES);
    v->width = ph.width;
    v->height = ph.height;
    v->alt = ph.decorative ? STR_LIT("") : alt.len ? alt : ph.alt;
    v->caption = caption.len ? caption : ph.caption;
    v->credit = ph.credit;
    v->has_caption = v->caption.len || v->credit.len;
    return v;
}

/* The social rendition: MEDIA_SOCIAL_WIDTH wide, or the photo's own width when narrower. */
static void social(const struct media_item *m, const struct site *site, struct view_page *page,
                   struct arena *a)
{
    int w = m->width < MEDIA_SOCIAL_WIDTH ? m->width : MEDIA_SOCIAL_WIDTH;
    page->image = site_absolute(site, media_path(m, MEDIA_SOCIAL_WIDTH, MEDIA_NONE, a), a);
    page->image_width = w;
    page->image_type = str_from(media_mime(m->format));
    page->image_height = ((int64_t)m->height * w + m->width / 2) / m->width;
    if (page->image_height < 1)
        page->image_height = 1;
}

void site_photos_page_image(struct store *st, const struct site *site, struct str url,
                            struct str alt, struct view_page *page, struct response *res)
{
    struct arena *a = res->arena;
    struct media_item m;
    page->image = STR_NULL;
    page->image_width = page->image_height = 0;
    page->image_type = STR_NULL;
    page->image_alt = alt;
    if (!url.len)
        return;
    if (!lookup(st, site, url, res, &m)) {
        page->image = site_absolute(site, url, a);
        return;
    }
    social(&m, site, page, a);
    page->image_alt = m.decorative ? STR_LIT("") : alt.len ? alt : m.alt;
}

/* A logo is shown 2.5rem (40 px) high: twice that for sharp screens, as wide as it goes. */
#define PHOTOS_LOGO_HEIGHT 80
/* A favicon and a home-screen icon: 180 px (Apple's) is the largest asked for. */
#define PHOTOS_ICON_WIDTH 180

void site_settings_images(struct store *st, struct str logo, struct str icon, struct arena *a,
                          struct site_settings *out)
{
    struct media_item m;
    out->logo = logo;
    out->logo_width = out->logo_height = 0;
    if (logo.len && media_lookup(st, logo, out->url, a, &m) && m.width > 0 && m.height > 0) {
        int want = (int)(((int64_t)PHOTOS_LOGO_HEIGHT * m.width + m.height - 1) / m.height);
        out->logo = media_path(&m, media_width_at_least(&m, want), MEDIA_NONE, a);
        out->logo_width = m.width;
        out->logo_height = m.height;
    }
    out->icon = icon;
    out->icon_type = STR_NULL;
    if (icon.len && media_lookup(st, icon, out->url, a, &m) && m.width > 0 && m.height > 0) {
        out->icon = media_path(&m, media_width_at_least(&m, PHOTOS_ICON_WIDTH), MEDIA_NONE, a);
        out->icon_type = str_from(media_mime(m.format));
    }
}

struct str site_photos_avatar(struct store *st, const struct site *site, struct str url,
                              struct response *res)
{
    struct media_item m;
    if (!lookup(st, site, url, res, &m))
        return url;
    return media_path(&m, media_width_at_least(&m, PHOTOS_AVATAR_WIDTH), MEDIA_NONE, res->arena);
}

const struct view_picture *site_photos_feature(struct store *st, const struct site *site,
                                               const struct content_post *post,
                                               struct response *res)
{
    struct media_item m;
    if (!lookup(st, site, post->feature_image, res, &m))
        return NULL;
    return picture_new(&m, post->feature_image_alt, post->feature_image_caption, res->arena);
}
