/*
 * The photo engine: libvips, and the only file that includes vips.h.
 *
 * Every loader but the six formats' buffer loaders is blocked (ImageMagick, PDF, SVG,
 * TIFF and the rest cannot be reached, whatever the bytes), and the sniffed format picks
 * its loader by name. A header is read with sequential access, which decodes no pixel,
 * so the limits are checked before anything is decoded. Decoding fails on truncated or
 * corrupt data rather than filling the missing rows with grey.
 *
 * The original: decoded once, turned upright, converted to sRGB (an embedded ICC profile
 * is applied, then dropped) and encoded again with no metadata at all: JPEG, or PNG for
 * images with transparency. An animated GIF or WebP keeps its first frame alone.
 *
 * Renditions: the original is decoded once, at the largest width needed (a JPEG is
 * shrunk while it is decoded), kept in memory, and every width is resized from it with
 * Lanczos (never upscaled), then encoded in each format.
 */
#include "media/media_int.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <vips/vips.h>

/* ---- quality settings (docs/benchmarks.md "Photos" for what they cost) ------------- */

#define ORIG_JPEG_Q 88
#define JPEG_Q 82
#define WEBP_Q 78
#define WEBP_EFFORT 0 /* 0..6: 2 cost 0.5 s more CPU per 24 MP photo, files no smaller */
#define AVIF_Q 52     /* AVIF's scale: 52 looks like JPEG's 80 at half the bytes */
#define AVIF_EFFORT 0 /* 0..9: at 2400 px, 0.12 s of CPU; 2: 0.42 s; 4: 2.7 s */
#define PNG_COMPRESSION 6

/* ---- libvips, once per process ------------------------------------------------------ */

static pthread_once_t vips_once = PTHREAD_ONCE_INIT;
static bool vips_ok;
static unsigned rendition_formats;

/*
 * Blocks every loader, then lets the six formats' buffer loaders through. By class name:
 * libvips 8.14 unblocks nothing when given a nickname ("jpegload_buffer").
 */
static void block_loaders(void)
{
    static const char *const allowed[] = {
        "VipsForeignLoadJpegBuffer",  "VipsForeignLoadPngBuffer",  "VipsForeignLoadWebpBuffer",
        "VipsForeignLoadNsgifBuffer", "VipsForeignLoadHeifBuffer",
    };
    vips_block_untrusted_set(TRUE);
    vips_operation_block_set("VipsForeignLoad", TRUE);
    for (size_t i = 0; i < ARRAY_LEN(allowed); i++)
        vips_operation_block_set(allowed[i], FALSE);
}

static bool can_write_avif(void)
{
    VipsImage *img = NULL;
    if (vips_black(&img, 16, 16, "bands", 3, NULL))
        return false;
    VipsImage *rgb = NULL;
    void *buf = NULL;
    size_t len = 0;
    bool ok = !vips_cast_uchar(img, &rgb, NULL) &&
              !vips_heifsave_buffer(rgb, &buf, &len, "compression",
                                    VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "effort", AVIF_EFFORT, NULL);
    g_free(buf);
    if (rgb)
        g_object_unref(rgb);
    g_object_unref(img);
    vips_error_clear();
    return ok;
}

static void vips_start_blocked(void)
{
    if (VIPS_INIT("newsdesk")) {
        log_error("media: libvips did not start: %s", vips_error_buffer());
        return;
    }
    /* nothing is kept between operations: each photo is made once */
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    /* one photo at a time per worker; the server's threads need the other core */
    vips_concurrency_set(1);
    block_loaders();
    rendition_formats = 1u << MEDIA_WEBP;
    if (can_write_avif())
        rendition_formats |= 1u << MEDIA_AVIF;
    vips_ok = true;
}

/*
 * Once per process, on first use. Every signal is blocked while libvips starts, so the
 * threads it starts now never take a signal meant for the thread that waits for them.
 */
static void vips_start(void)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    vips_start_blocked();
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Starts libvips once; false (with err) when it could not start. */
static bool vips_ready(struct err *err)
{
    pthread_once(&vips_once, vips_start);
    if (!vips_ok)
        err_set(err, ERR_INTERNAL, "the image library did not start");
    return vips_ok;
}

unsigned media_rendition_formats(void)
{
    pthread_once(&vips_once, vips_start);
    return rendition_formats;
}

void media_blob_free(struct media_blob *b)
{
    if (!b)
        return;
    g_free(b->data);
    memset(b, 0, sizeof(*b));
}

/* The message libvips left, in the log (never shown: it may name internals), then cleared. */
static enum err_code vips_failed(struct err *err, enum err_code code, const char *msg)
{
    log_info("media: %s: %s", msg, vips_error_buffer());
    vips_error_clear();
    return err_set(err, code, "%s", msg);
}

/* ---- loading ------------------------------------------------------------------------ */

/* The image in bytes as format f, lazily: pixels are decoded when they are asked for. */
static VipsImage *load(const void *bytes, size_t len, enum media_format f, VipsAccess access)
{
    VipsImage *img = NULL;
    void *b = (void *)bytes; /* libvips reads, never writes, a load buffer */
    switch (f) {
    case MEDIA_JPEG:
        vips_jpegload_buffer(b, len, &img, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case MEDIA_PNG:
        vips_pngload_buffer(b, len, &img, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case MEDIA_WEBP:
        vips_webpload_buffer(b, len, &img, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case MEDIA_GIF:
        vips_gifload_buffer(b, len, &img, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case MEDIA_AVIF:
    case MEDIA_HEIC:
        vips_heifload_buffer(b, len, &img, "access", access, "fail_on", VIPS_FAIL_ON_ERROR, NULL);
        break;
    case MEDIA_NONE:
        break;
    }
    return img;
}

/* ---- probing ------------------------------------------------------------------------ */

/* A metadata field of the header and the word the editor shows for it. */
struct removed_field {
    const char *prefix; /* a field name, or the start of one */
    const char *word;
};

static const struct removed_field removed_fields[] = {
    {"exif-ifd3-", "location"}, /* the GPS IFD */
    {"exif-ifd2-DateTimeOriginal", "date taken"},
    {"exif-ifd2-DateTimeDigitized", "date taken"},
    {"exif-ifd2-BodySerialNumber", "camera serial number"},
    {"exif-ifd2-LensSerialNumber", "camera serial number"},
    {"exif-ifd2-CameraOwnerName", "camera serial number"},
    {"exif-ifd0-Make", "camera make and model"},
    {"exif-ifd0-Model", "camera make and model"},
    {"exif-ifd2-LensModel", "camera make and model"},
    {"exif-ifd2-MakerNote", "maker notes"},
    {"exif-ifd1-", "thumbnail"}, /* IFD1 describes the embedded thumbnail */
    {"exif-thumbnail", "thumbnail"},
    {"xmp-data", "XMP"},
    {"iptc-data", "IPTC"},
    {"jpeg-comment", "comments"},
    {"gif-comment", "comments"},
    {"png-comment-", "comments"},
};

/* Appends word to the comma-separated list in out unless it is there already. */
static void removed_add(char *out, size_t size, const char *word)
{
    size_t n = strlen(out), w = strlen(word);
    for (const char *p = out; (p = strstr(p, word)) != NULL; p += w)
        if ((p == out || p[-1] == ' ') && (p[w] == ',' || p[w] == '\0'))
            return;
    if (n + w + 3 <= size)
        snprintf(out + n, size - n, "%s%s", n ? ", " : "", word);
}

/* What stripping takes away, in the order of removed_fields. */
static void removed_of(VipsImage *img, char *out, size_t size)
{
    out[0] = '\0';
    gchar **fields = vips_image_get_fields(img);
    for (size_t i = 0; i < ARRAY_LEN(removed_fields); i++) {
        const char *prefix = removed_fields[i].prefix;
        for (gchar **f = fields; *f; f++)
            if (strncmp(*f, prefix, strlen(prefix)) == 0) {
                removed_add(out, size, removed_fields[i].word);
                break;
            }
    }
    g_strfreev(fields);
}

/* The message for bytes that are none of the six formats: SVG gets its own. */
static enum err_code unsupported(const void *bytes, size_t len, struct err *err)
{
    size_t n = len < 1024 ? len : 1024;
    if (memmem(bytes, n, "<svg", 4) || memmem(bytes, n, "<SVG", 4))
        return err_set(err, ERR_UNSUPPORTED,
                       "SVG images are not accepted (they can carry scripts): "
                       "upload a PNG of it instead");
    return err_set(err, ERR_UNSUPPORTED,
                   "this file is not a photo Newsdesk accepts: "
                   "upload a JPEG, PNG, WebP, GIF, AVIF or HEIC image");
}

/* Width and height upright: EXIF orientations 5..8 turn the image a quarter. */
static void upright_size(VipsImage *img, int *w, int *h)
{
    int o = vips_image_get_orientation(img);
    bool turned = o >= 5 && o <= 8;
    *w = turned ? vips_image_get_height(img) : vips_image_get_width(img);
    *h = turned ? vips_image_get_width(img) : vips_image_get_height(img);
}

/*
 * Whether every pixel decodes: a sound header over data cut short is refused while the
 * uploader waits, rather than accepted and then gone. JPEG and WebP decode at an eighth
 * of their size (their codecs scale while decoding, still reading every byte); the
 * others decode whole, row by row, so memory stays a few rows whatever the size.
 */
static bool pixels_decode(const void *bytes, size_t len, enum media_format f)
{
    VipsImage *img = NULL;
    void *b = (void *)bytes;
    if (f == MEDIA_JPEG)
        vips_jpegload_buffer(b, len, &img, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                             VIPS_FAIL_ON_ERROR, "shrink", 8, NULL);
    else if (f == MEDIA_WEBP)
        vips_webpload_buffer(b, len, &img, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                             VIPS_FAIL_ON_ERROR, "scale", 0.125, NULL);
    else
        img = load(bytes, len, f, VIPS_ACCESS_SEQUENTIAL);
    if (!img)
        return false;
    double avg;
    int rc = vips_avg(img, &avg, NULL);
    g_object_unref(img);
    return rc == 0;
}

enum err_code media_probe(const void *bytes, size_t len, size_t bytes_max, uint64_t pixels_max,
                          struct media_probe *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (len == 0)
        return err_set(err, ERR_INVALID, "the file is empty");
    bytes_max = bytes_max ? bytes_max : MEDIA_BYTES_MAX_DEFAULT;
    pixels_max = pixels_max ? pixels_max : MEDIA_PIXELS_MAX_DEFAULT;
    if (len > bytes_max)
        return err_set(err, ERR_TOOBIG, "the file is larger than the limit of %zu MB",
                       bytes_max / (1024 * 1024));
    enum media_format f = media_sniff(bytes, len);
    if (f == MEDIA_NONE)
        return unsupported(bytes, len, err);
    if (!vips_ready(err))
        return err->code;
    VipsImage *img = load(bytes, len, f, VIPS_ACCESS_SEQUENTIAL);
    if (!img)
        return vips_failed(err, ERR_INVALID, "the image is damaged and cannot be read");
    uint64_t px = (uint64_t)vips_image_get_width(img) * (uint64_t)vips_image_get_height(img);
    if (px > pixels_max) {
        err_set(err, ERR_TOOBIG, "the image is %d × %d pixels, over the limit of %llu megapixels",
                vips_image_get_width(img), vips_image_get_height(img),
                (unsigned long long)(pixels_max / 1000000));
        g_object_unref(img);
        return ERR_TOOBIG;
    }
    out->format = f;
    upright_size(img, &out->width, &out->height);
    out->alpha = vips_image_hasalpha(img);
    out->animated = vips_image_get_n_pages(img) > 1;
    removed_of(img, out->removed, sizeof(out->removed));
    g_object_unref(img);
    if (!pixels_decode(bytes, len, f))
        return vips_failed(err, ERR_INVALID,
                           "the image is cut short or damaged and cannot be read");
    return ERR_OK;
}

/* ---- the original ------------------------------------------------------------------- */

/* Upright and sRGB (8 bits per band); every step's input is released as it goes. */
static VipsImage *upright_srgb(VipsImage *in)
{
    VipsImage *rot = NULL, *srgb = NULL;
    if (vips_autorot(in, &rot, NULL))
        return NULL;
    int rc;
    if (vips_image_get_typeof(rot, VIPS_META_ICC_NAME))
        rc = vips_icc_transform(rot, &srgb, "srgb", "embedded", TRUE, "intent",
                                VIPS_INTENT_PERCEPTUAL, "depth", 8, NULL);
    else
        rc = vips_colourspace(rot, &srgb, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(rot);
    if (rc)
        return NULL;
    VipsImage *u8 = NULL;
    rc = vips_cast_uchar(srgb, &u8, NULL);
    g_object_unref(srgb);
    return rc ? NULL : u8;
}

/*
 * An EXIF text field as libvips shows it ("Ana (Photographer) - [None] (ASCII, 24
 * components, 24 bytes)": libexif's reading of the copyright) set back to the text alone,
 * so that writing it again stores "Ana", not that whole reading.
 */
static void plain_exif_text(VipsImage *img, const char *field)
{
    const char *v = NULL;
    if (vips_image_get_string(img, field, &v) || !v)
        return;
    const char *cut = strstr(v, " (");
    char text[512];
    snprintf(text, sizeof(text), "%.*s (ASCII)", (int)(cut ? cut - v : (ptrdiff_t)strlen(v)), v);
    vips_image_set_string(img, field, text);
}

/*
 * A copy of img that carries no metadata, or with keep_rights the EXIF copyright and
 * artist alone: libvips 8.14 builds a new EXIF block from the exif-ifd0-* fields when
 * the image has no exif-data, so only those two are written (with what libvips adds to
 * any EXIF it writes: orientation 1, resolution, EXIF version, colour space and the
 * pixel dimensions; nothing about where, when or with what).
 */
static VipsImage *bare(VipsImage *img, bool keep_rights)
{
    VipsImage *copy = NULL;
    if (vips_copy(img, &copy, NULL))
        return NULL;
    gchar **fields = vips_image_get_fields(copy);
    for (gchar **f = fields; *f; f++) {
        bool keep =
            keep_rights && (!strcmp(*f, "exif-ifd0-Copyright") || !strcmp(*f, "exif-ifd0-Artist"));
        if (keep)
            plain_exif_text(copy, *f);
        else if (!g_str_has_prefix(*f, "vips-") && strchr(*f, '-'))
            vips_image_remove(copy, *f);
    }
    g_strfreev(fields);
    vips_image_remove(copy, VIPS_META_ORIENTATION);
    return copy;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v, p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16), p[3] = (unsigned char)(v >> 24);
}

/*
 * libvips 8.14's WebP writer adds an EXIF chunk (an Orientation tag) even when told to
 * strip: the RIFF chunks EXIF, XMP and ICCP are dropped here, in place, and the extended
 * header's flags for them cleared, so a WebP carries pixels alone like the other formats.
 */
static void webp_drop_metadata(struct media_blob *b)
{
    unsigned char *p = b->data;
    if (b->len < 12 || memcmp(p, "RIFF", 4) || memcmp(p + 8, "WEBP", 4))
        return;
    size_t in = 12, out = 12;
    while (in + 8 <= b->len) {
        size_t n = le32(p + in + 4), whole = 8 + n + (n & 1);
        if (whole > b->len - in)
            return; /* malformed: left as libvips wrote it */
        bool meta =
            !memcmp(p + in, "EXIF", 4) || !memcmp(p + in, "XMP ", 4) || !memcmp(p + in, "ICCP", 4);
        if (!memcmp(p + in, "VP8X", 4) && n >= 1)
            p[in + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04); /* ICC, EXIF, XMP */
        if (!meta) {
            memmove(p + out, p + in, whole);
            out += whole;
        }
        in += whole;
    }
    b->len = out;
    put_le32(p + 4, (uint32_t)(out - 8));
}

/* WebP without metadata: libvips's, then its leftover chunks dropped. */
static int webp_save(VipsImage *img, struct media_blob *out)
{
    int rc = vips_webpsave_buffer(img, &out->data, &out->len, "Q", WEBP_Q, "effort", WEBP_EFFORT,
                                  "strip", TRUE, NULL);
    if (!rc)
        webp_drop_metadata(out);
    return rc;
}

/* Encodes img as format with no metadata (strip: libvips writes none) unless keep. */
static int save(VipsImage *img, enum media_format f, int q, bool keep, struct media_blob *out)
{
    gboolean strip = !keep;
    switch (f) {
    case MEDIA_JPEG: {
        VipsImage *flat = NULL;
        int rc =
            vips_image_hasalpha(img) ? vips_flatten(img, &flat, NULL) : vips_copy(img, &flat, NULL);
        rc = rc ? rc
                : vips_jpegsave_buffer(flat, &out->data, &out->len, "Q", q, "optimize_coding", TRUE,
                                       "strip", strip, NULL);
        if (flat)
            g_object_unref(flat);
        return rc;
    }
    case MEDIA_PNG:
        return vips_pngsave_buffer(img, &out->data, &out->len, "compression", PNG_COMPRESSION,
                                   "strip", strip, NULL);
    case MEDIA_WEBP:
        return webp_save(img, out);
    case MEDIA_AVIF:
        return vips_heifsave_buffer(img, &out->data, &out->len, "compression",
                                    VIPS_FOREIGN_HEIF_COMPRESSION_AV1, "Q", AVIF_Q, "effort",
                                    AVIF_EFFORT, "strip", TRUE, NULL);
    default:
        return -1;
    }
}

/*
 * The upload decoded for its original: streamed in strips (sequential access, a few MB)
 * unless it must be turned, which needs the whole image in memory (72 MB for 24 MP).
 */
static VipsImage *load_for_original(const void *bytes, size_t len, enum media_format f)
{
    VipsImage *img = load(bytes, len, f, VIPS_ACCESS_SEQUENTIAL);
    if (img && vips_image_get_orientation(img) > 1) {
        g_object_unref(img);
        img = load(bytes, len, f, VIPS_ACCESS_RANDOM);
    }
    return img;
}

enum err_code media_make_original(const void *bytes, size_t len, enum media_format format,
                                  bool keep_rights, struct media_blob *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (format != MEDIA_JPEG && format != MEDIA_PNG)
        return err_set(err, ERR_INTERNAL, "an original is a JPEG or a PNG");
    enum media_format f = media_sniff(bytes, len);
    if (f == MEDIA_NONE)
        return unsupported(bytes, len, err);
    if (!vips_ready(err))
        return err->code;
    VipsImage *img = load_for_original(bytes, len, f);
    VipsImage *srgb = img ? upright_srgb(img) : NULL;
    VipsImage *clean = srgb ? bare(srgb, keep_rights) : NULL;
    int rc = clean ? save(clean, format, ORIG_JPEG_Q, keep_rights, out) : -1;
    if (!rc) {
        out->width = vips_image_get_width(clean);
        out->height = vips_image_get_height(clean);
    }
    if (clean)
        g_object_unref(clean);
    if (srgb)
        g_object_unref(srgb);
    if (img)
        g_object_unref(img);
    if (rc) {
        media_blob_free(out);
        return vips_failed(err, ERR_INVALID,
                           "the image is damaged or cut short and cannot be read");
    }
    return ERR_OK;
}

/* ---- renditions --------------------------------------------------------------------- */

/* The original decoded at width w (shrunk while decoding where the format can), in memory. */
static VipsImage *decode_at(const void *orig, size_t len, int w)
{
    VipsImage *thumb = NULL;
    if (vips_thumbnail_buffer((void *)orig, len, &thumb, w, "height", VIPS_MAX_COORD, "size",
                              VIPS_SIZE_DOWN, "no_rotate", TRUE, NULL))
        return NULL;
    VipsImage *mem = vips_image_copy_memory(thumb);
    g_object_unref(thumb);
    return mem;
}

/* base resized to width w (w <= base's width); a new reference to base when equal. */
static VipsImage *resized(VipsImage *base, int w)
{
    int bw = vips_image_get_width(base);
    if (w >= bw) {
        g_object_ref(base);
        return base;
    }
    VipsImage *out = NULL;
    if (vips_resize(base, &out, (double)w / bw, "kernel", VIPS_KERNEL_LANCZOS3, NULL))
        return NULL;
    return out;
}

struct run {
    VipsImage *base; /* the original at the largest width needed, in memory */
    VipsImage *prev; /* the last width made, in memory: the next is resized from it */
    media_emit_fn emit;
    void *ctx;
};

/* from resized to width w once, in memory: every format encodes the same pixels */
static VipsImage *resized_in_memory(VipsImage *from, int w)
{
    VipsImage *img = resized(from, w);
    if (!img)
        return NULL;
    VipsImage *mem = vips_image_copy_memory(img);
    g_object_unref(img);
    return mem;
}

/* Encodes width w (resized from src) in each format of fmts (bits), handing each to emit. */
static enum err_code make_width(struct run *r, VipsImage *src, int w, int nominal, unsigned fmts,
                                struct err *err)
{
    VipsImage *img = resized_in_memory(src, w);
    if (!img)
        return vips_failed(err, ERR_INTERNAL, "a rendition could not be made");
    enum err_code rc = ERR_OK;
    static const enum media_format order[] = {MEDIA_AVIF, MEDIA_WEBP, MEDIA_JPEG, MEDIA_PNG};
    for (size_t i = 0; i < ARRAY_LEN(order) && !rc; i++) {
        if (!MEDIA_HAS(fmts, order[i]))
            continue;
        struct media_blob b = {0};
        if (save(img, order[i], JPEG_Q, false, &b)) {
            rc = vips_failed(err, ERR_INTERNAL, "a rendition could not be encoded");
            break;
        }
        b.width = vips_image_get_width(img);
        b.height = vips_image_get_height(img);
        rc = r->emit(r->ctx, nominal, order[i], &b, err);
        media_blob_free(&b);
    }
    if (r->prev)
        g_object_unref(r->prev);
    r->prev = img;
    return rc;
}

/* The widths of an original w pixels wide, as media_widths says. */
static size_t widths_of(int w, int h, int out[MEDIA_WIDTHS_MAX])
{
    struct media_item m = {.width = w, .height = h};
    return media_widths(&m, out);
}

enum err_code media_make_renditions(const void *orig, size_t len, enum media_format fallback,
                                    unsigned formats, media_emit_fn emit, void *ctx,
                                    struct err *err)
{
    if (!vips_ready(err))
        return err->code;
    VipsImage *head = load(orig, len, media_sniff(orig, len), VIPS_ACCESS_SEQUENTIAL);
    if (!head)
        return vips_failed(err, ERR_INVALID, "the stored original cannot be read");
    int ow = vips_image_get_width(head), oh = vips_image_get_height(head);
    g_object_unref(head);
    int ws[MEDIA_WIDTHS_MAX];
    size_t n = widths_of(ow, oh, ws);
    int social = ow < MEDIA_SOCIAL_WIDTH ? ow : MEDIA_SOCIAL_WIDTH;
    int top = ws[n - 1] > social ? ws[n - 1] : social;
    struct run r = {decode_at(orig, len, top), NULL, emit, ctx};
    if (!r.base)
        return vips_failed(err, ERR_INVALID, "the stored original cannot be decoded");
    unsigned fmts = (formats & ~((1u << MEDIA_JPEG) | (1u << MEDIA_PNG))) | 1u << fallback;
    enum err_code rc = ERR_OK;
    /* widest first, each from the one before: a smaller source for each resize */
    for (size_t i = n; i-- > 0 && !rc;)
        rc = make_width(&r, r.prev ? r.prev : r.base, ws[i], ws[i], fmts, err);
    /* last: a photo without its social rendition still needs work (store_media_pending) */
    if (!rc)
        rc = make_width(&r, r.base, social, MEDIA_SOCIAL_WIDTH, 1u << fallback, err);
    if (r.prev)
        g_object_unref(r.prev);
    g_object_unref(r.base);
    return rc;
}
