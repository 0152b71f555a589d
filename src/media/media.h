/*
 * media: photos. One way in (media_add: the newsroom's upload, the Admin API, the
 * importers and `newsdesk media add` all call it), one way out (media_serve), and the
 * values the pages need to write <picture>/srcset markup.
 *
 * What is stored: nothing the uploader's camera wrote. The uploaded bytes are sniffed
 * (never trusted by name or Content-Type), their header checked against the size and
 * pixel limits before any pixel is decoded, then decoded once, turned upright (EXIF
 * orientation), converted to sRGB and encoded again without any metadata: no EXIF (GPS,
 * dates, camera and lens serial numbers, maker notes), XMP, IPTC or embedded thumbnail.
 * That re-encoded image is "the original" every URL serves; the uploaded bytes are kept
 * only until it exists (SQLite's secure_delete zeroes them when they go). A site setting
 * (media_keep_rights) keeps the copyright and artist fields alone.
 *
 * Names: a photo is known by the first 16 hex digits of the SHA-256 of the uploaded bytes
 * (its key), so the same file uploaded twice is stored once. URLs follow Ghost's shapes,
 * so themes and clients written for Ghost keep working:
 *
 *   /content/images/{key}/{name}.{ext}                        the original (sRGB, upright)
 *   /content/images/size/w{W}/{key}/{name}.{ext}              width W, same format
 *   /content/images/size/w{W}/format/{webp|avif}/{key}/{name}.{ext}
 *
 * {name} is the uploaded file's name made a slug ("harbour-at-dawn"); {ext} is "jpg"
 * (opaque images) or "png" (images with transparency). Any W resolves to the nearest
 * rendition at or above it (the largest when none is), so Ghost's /size/w600/ works.
 *
 * Renditions: every width of MEDIA_WIDTHS narrower than the original (never upscaled;
 * an image narrower than the smallest gets one rendition at its own width), each in
 * AVIF (when this libvips can write it), WebP and the fallback format; plus
 * MEDIA_SOCIAL_WIDTH in the fallback format alone, for Open Graph. They are made off the
 * request thread, once each: in the background right after the upload, or on first
 * request by whichever thread asks first while others wait for it.
 *
 * Storage: inside the database (tables media and media_files), so one backup holds the
 * whole site and servers sharing a database share the photos.
 *
 * Thread-safety: struct media is shared by all threads; every function taking it is
 * thread-safe. Functions taking a struct store use it as store.h says.
 */
#ifndef MEDIA_H
#define MEDIA_H

#include "base/base.h"

struct store;
struct request;
struct response;

/* The widths of srcset renditions, smallest first. */
#define MEDIA_WIDTHS                                                                               \
    {                                                                                              \
        320, 640, 960, 1280, 1920, 2400                                                            \
    }
#define MEDIA_WIDTHS_MAX 6
/* Open Graph and Twitter cards: 1200 px wide, fallback format */
#define MEDIA_SOCIAL_WIDTH 1200

#define MEDIA_BYTES_MAX_DEFAULT (25u * 1024 * 1024)
/* 100 megapixels: a 24 MP phone photo, a 60 MP camera, a wide panorama; not a bomb */
#define MEDIA_PIXELS_MAX_DEFAULT (100u * 1000 * 1000)
#define MEDIA_KEY_LEN 16
#define MEDIA_ALT_MAX 1000
#define MEDIA_CAPTION_MAX 2000
#define MEDIA_CREDIT_MAX 300

enum media_format {
    MEDIA_NONE = 0,
    MEDIA_JPEG,
    MEDIA_PNG,
    MEDIA_WEBP,
    MEDIA_GIF,
    MEDIA_AVIF,
    MEDIA_HEIC,
};

/* Formats a photo has renditions in, as bits (1u << enum media_format). */
#define MEDIA_HAS(fmts, f) (((fmts) >> (f)) & 1u)

/** What the bytes are, from their first bytes alone; MEDIA_NONE when none we accept. */
enum media_format media_sniff(const void *bytes, size_t len);
/** "image/jpeg", ...; "" for MEDIA_NONE. */
const char *media_mime(enum media_format f);
/** "jpg", "png", "webp", "gif", "avif", "heic". */
const char *media_ext(enum media_format f);

/* What the uploader says about a photo. Empty strings where nothing was given. */
struct media_meta {
    struct str alt;      /* required unless decorative */
    bool decorative;     /* an explicit choice: alt="" on every page */
    struct str caption;  /* plain text */
    struct str credit;   /* "Photo: Ana Reporter / Newsdesk" */
    struct str filename; /* as uploaded; only its slug is kept */
    /*
     * The alt text comes later, from the post that shows the photo (Ghost's Admin API
     * upload has no alt; a post names it in feature_image_alt): an empty alt is allowed,
     * and the library lists the photo as one without alt text, as any other.
     */
    bool alt_later;
    /*
     * A reader's photo sent with a tip: stripped like any other, but never listed in the
     * library, never served under /content/images/ (media_serve answers 404), shown to
     * staff only through media_serve_staff, until an editor adds it to the library.
     */
    bool private;
};

/* A stored photo. Strings live in the arena passed to the call that filled it. */
struct media_item {
    int64_t id;
    char key[MEDIA_KEY_LEN + 1];
    struct str name;          /* slug of the file name: "harbour-at-dawn" */
    struct str filename;      /* as uploaded, for the library's search */
    enum media_format source; /* what was uploaded */
    enum media_format format; /* the original's and fallback renditions': JPEG or PNG */
    int width, height;        /* upright: after orientation */
    int64_t bytes;            /* the stored original's size */
    unsigned formats;         /* MEDIA_HAS bits: renditions exist or will in these */
    struct str alt;
    bool decorative;
    struct str caption;
    struct str credit;
    /*
     * What was removed, for the editor: comma-separated words from "location",
     * "date taken", "camera serial number", "camera make and model", "maker notes",
     * "thumbnail", "XMP", "IPTC", "comments"; empty when the file carried none.
     */
    struct str removed;
    bool ready; /* the stripped original exists (renditions may still be in the making) */
    int64_t created_at;
    int64_t created_by; /* users.id; 0 for the CLI or an import */
    int64_t updated_at;
    bool private; /* media_meta's: a reader's photo, staff's eyes only */
};

/* Where a photo is used, for the library and for refusing a delete. */
struct media_use {
    const char *kind; /* "post", "feature image", "avatar", "logo", "icon" */
    int64_t id;       /* post or user id; 0 for a setting */
    struct str title; /* the post's title, the person's name, the setting's label */
    struct str url;   /* the newsroom page where it is used */
};

struct media_config {
    size_t bytes_max;    /* 0: MEDIA_BYTES_MAX_DEFAULT */
    uint64_t pixels_max; /* 0: MEDIA_PIXELS_MAX_DEFAULT */
    const char *db_path; /* the background worker opens its own write connection */
    bool background;     /* start the rendition thread (serve); false: make on demand */
};

struct media;

/**
 * Starts the media module: libvips (loaders other than the six formats above are
 * blocked, its operation cache is off) and, with cfg->background, the thread that makes
 * renditions. Call once per process. Caller frees with media_free() after every user has
 * stopped.
 */
enum err_code media_new(const struct media_config *cfg, struct media **out, struct err *err);
void media_free(struct media *m);
/** The configuration media_new was given, with defaults filled in (the upload's limit). */
const struct media_config *media_config_of(const struct media *m);

/**
 * Takes a photo in: sniffs, checks the limits from the header (a decompression bomb is
 * refused without decoding it), notes what metadata it carries (item->removed), stores
 * the uploaded bytes and queues the work: the stripped original, then the renditions.
 * With a background thread (serve) it returns as soon as the bytes are committed; the
 * uploaded bytes are never served, and a request for the photo before the original is
 * made waits for it. Without one (the CLI, the importers) the original and every
 * rendition are made before it returns.
 * Errors: ERR_TOOBIG (bytes or pixels over the limit), ERR_UNSUPPORTED (not one of the
 * six formats, SVG), ERR_INVALID (zero bytes, truncated or corrupt, alt missing without
 * decorative, a field over its limit). Nothing is stored on error. The same bytes
 * uploaded again return the stored item with *existed set (its alt, caption and credit
 * unchanged); a private photo uploaded again without meta->private joins the library.
 * Runs its own transaction on st (the writer). Thread-safe.
 */
enum err_code media_add(struct media *m, struct store *st, const void *bytes, size_t len,
                        const struct media_meta *meta, int64_t user_id, struct arena *a,
                        struct media_item *out, bool *existed, struct err *err);

/**
 * The checks media_add makes before it stores anything (the bytes are one of the six
 * formats, their header within the size and pixel limits), with its errors; stores
 * nothing. For a form that takes several photos: all are checked before any is kept.
 */
enum err_code media_check(const struct media *m, const void *bytes, size_t len, struct err *err);

/** The photo named by key (16 hex digits); ERR_NOTFOUND when none. */
enum err_code media_get(struct store *st, struct str key, struct arena *a, struct media_item *out,
                        struct err *err);

/* A URL of ours, taken apart. */
struct media_ref {
    char key[MEDIA_KEY_LEN + 1];
    int width;                /* 0: the original */
    enum media_format format; /* MEDIA_NONE: the fallback format */
};

/**
 * Recognises url as one of our image URLs (a path, or an absolute URL whose origin is
 * site_url) and fills *out. False for anything else.
 */
bool media_parse_url(struct str url, struct str site_url, struct media_ref *out);
/**
 * The photo behind url when it is one of ours (media_parse_url + media_get). False for
 * another URL, an unknown key or any error (the caller then shows the URL as it is).
 */
bool media_lookup(struct store *st, struct str url, struct str site_url, struct arena *a,
                  struct media_item *out);

/** The widths of m's srcset renditions, smallest first; returns how many (1..MAX). */
size_t media_widths(const struct media_item *m, int out[MEDIA_WIDTHS_MAX]);
/**
 * The path of m at width (0: the original; otherwise one of media_widths or
 * MEDIA_SOCIAL_WIDTH) in format (MEDIA_NONE: the fallback), e.g.
 * "/content/images/size/w640/format/webp/0123456789abcdef/harbour.jpg". In a.
 */
struct str media_path(const struct media_item *m, int width, enum media_format format,
                      struct arena *a);

/**
 * Answers GET/HEAD of /content/images/...: finds the rendition (making it now if it is
 * not made yet, once whatever the concurrency), and fills res with its bytes, its type,
 * `Cache-Control: public, max-age=31536000, immutable` and deps "media:{key}". *canon is
 * the canonical path of the rendition (media_path's). A path that is not canonical
 * (/size/w600/ for /size/w640/, another file name) is answered with a 301 to *canon, so
 * the response cache, keyed by the request path, holds one entry per rendition.
 * ERR_NOTFOUND for an unknown key, a malformed path, a private photo (a reader's, sent
 * with a tip), or a photo that cannot be decoded.
 */
enum err_code media_serve(struct media *m, struct store *st, struct str path, struct arena *a,
                          struct response *res, struct str *canon, struct err *err);
/**
 * The newsroom's view of item, private or not: the stripped original (width 0) or the
 * rendition media_width_at_least(item, width) in the fallback format, made now when it is
 * not made yet; sent `Cache-Control: private, no-store` (the caller checked the session).
 * Errors as media_serve's.
 */
enum err_code media_serve_staff(struct media *m, struct store *st, const struct media_item *item,
                                int width, struct arena *a, struct response *res, struct err *err);

/* ---- the library: listing, editing, deleting ---------------------------------------- */

struct media_list_query {
    struct str q;   /* words in alt text or file name; empty: all */
    int64_t before; /* id to continue from (newest first); 0: the newest */
    size_t limit;   /* 1..100 */
};

enum err_code media_list(struct store *st, const struct media_list_query *q, struct arena *a,
                         struct media_item **out, size_t *n, struct err *err);
/** Every place the photo is used; n may be 0. */
enum err_code media_uses(struct store *st, struct str key, struct arena *a, struct media_use **out,
                         size_t *n, struct err *err);
/** Changes alt, decorative, caption and credit (filename ignored). Own transaction. */
enum err_code media_update(struct store *st, struct str key, const struct media_meta *meta,
                           struct err *err);
/**
 * Deletes an unused photo with all its renditions. ERR_CONFLICT when it is used (the
 * message names where: "used in “Harbour fire” and 2 more"). Own transaction.
 */
enum err_code media_delete(struct store *st, struct str key, struct err *err);

/* ---- what pages print (markup.c) ------------------------------------------------------ */

struct content_photo;

/**
 * The values the Markdown renderer and the theme write for m (struct content_photo,
 * content.h): srcsets of every format m has renditions in, a fallback src of at most
 * 1280 px, its size, alt text, caption and credit. URLs are paths; strings live in a.
 */
void media_photo_fill(const struct media_item *m, struct arena *a, struct content_photo *out);

/* The library as content_markdown_render's photo finder (content_photos.ctx). */
struct media_finder {
    struct store *st;
    struct str site_url; /* absolute URLs under it count as ours too; may be empty */
};

/** A content_photo_fn: url is ours and known (media_lookup) → *out filled; else false. */
bool media_photo_find(void *ctx, struct str url, struct arena *a, struct content_photo *out);

/**
 * html (rendered by content_markdown_render) with the paths of our photos in src and
 * srcset made absolute under site_url, for readers that see the HTML away from the site:
 * feeds and the Content API. Only a path that starts an attribute value or follows ", "
 * in one is touched. In a; html itself when it holds none.
 */
struct str media_html_absolute(struct str html, struct str site_url, struct arena *a);

/** The width of m's rendition closest to width from above (the largest when none is). */
int media_width_at_least(const struct media_item *m, int width);

#endif
