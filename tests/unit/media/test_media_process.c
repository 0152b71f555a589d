/*
 * The photo engine (process.c, sniff.c): what is accepted, what is refused and how fast,
 * and that nothing the camera wrote survives in the original or any rendition.
 */
#include "photo.h"

#include <math.h>
#include <time.h>
#include <vips/vips.h>
#include <zlib.h>

static void setup(void)
{
    photo_dir_make();
}

static void teardown(void)
{
    photo_dir_remove();
}

TestSuite(media_process, .init = setup, .fini = teardown);

static enum err_code probe(const void *p, size_t len, struct media_probe *out, struct err *err)
{
    return media_probe(p, len, 0, 0, out, err);
}

Test(media_process, sniffs_by_magic_bytes_alone)
{
    cr_assert_eq(media_sniff("\xFF\xD8\xFF\xE0", 4), MEDIA_JPEG);
    cr_assert_eq(media_sniff("\x89PNG\r\n\x1A\n", 8), MEDIA_PNG);
    cr_assert_eq(media_sniff("GIF89a", 6), MEDIA_GIF);
    cr_assert_eq(media_sniff("GIF87a", 6), MEDIA_GIF);
    cr_assert_eq(media_sniff("RIFF\0\0\0\0WEBPVP8 ", 16), MEDIA_WEBP);
    cr_assert_eq(media_sniff("\0\0\0\x1C"
                             "ftypavif\0\0\0\0mif1miaf",
                             28),
                 MEDIA_AVIF);
    cr_assert_eq(media_sniff("\0\0\0\x18"
                             "ftypheic\0\0\0\0mif1heic",
                             24),
                 MEDIA_HEIC);
    cr_assert_eq(media_sniff("\0\0\0\x18"
                             "ftypmp42\0\0\0\0isommp42",
                             24),
                 MEDIA_NONE);
    cr_assert_eq(media_sniff("<svg xmlns='http://www.w3.org/2000/svg'/>", 41), MEDIA_NONE);
    cr_assert_eq(media_sniff("PK\x03\x04", 4), MEDIA_NONE);
    cr_assert_eq(media_sniff("\xFF\xD8", 2), MEDIA_NONE);
    cr_assert_eq(media_sniff("", 0), MEDIA_NONE);
    cr_assert_str_eq(media_mime(MEDIA_WEBP), "image/webp");
    cr_assert_str_eq(media_ext(MEDIA_JPEG), "jpg");
    cr_assert_str_eq(media_ext(MEDIA_NONE), "");
}

Test(media_process, probe_says_what_stripping_removes_and_the_upright_size)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(probe(jpg, len, &p, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(p.format, MEDIA_JPEG);
    cr_assert_eq(p.width, 400, "upright width %d", p.width);
    cr_assert_eq(p.height, 600);
    cr_assert_not(p.alpha);
    cr_assert_not(p.animated);
    static const char *const words[] = {
        "location", "date taken", "camera serial number", "camera make and model", "thumbnail",
        "XMP",      "IPTC"};
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        cr_assert(strstr(p.removed, words[i]), "removed lacks %s: %s", words[i], p.removed);
    free(jpg);
}

/* Every rendition media_make_renditions hands out, written down for the checks. */
struct seen {
    int n;
    int widths[64];
    enum media_format formats[64];
    int w[64], h[64];
    unsigned fmts;
};

static enum err_code keep(void *ctx, int width, enum media_format format,
                          const struct media_blob *b, struct err *err)
{
    (void)err;
    struct seen *s = ctx;
    cr_assert_lt(s->n, 64);
    cr_assert_eq(media_sniff(b->data, b->len), format, "rendition w%d is not %s", width,
                 media_ext(format));
    char what[64];
    snprintf(what, sizeof(what), "the rendition w%d.%s", width, media_ext(format));
    assert_bare(b->data, b->len, what);
    VipsImage *img = vips_image_new_from_buffer(b->data, b->len, "", NULL);
    cr_assert_not_null(img, "%s does not decode", what);
    cr_assert_eq(vips_image_get_width(img), b->width);
    g_object_unref(img);
    s->widths[s->n] = width;
    s->formats[s->n] = format;
    s->w[s->n] = b->width;
    s->h[s->n] = b->height;
    s->fmts |= 1u << format;
    s->n++;
    return ERR_OK;
}

Test(media_process, original_and_every_rendition_carry_nothing_and_stand_upright)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    struct media_blob orig;
    struct err err = {0};
    cr_assert_eq(media_make_original(jpg, len, MEDIA_JPEG, false, &orig, &err), ERR_OK, "%s",
                 err.msg);
    cr_assert_eq(media_sniff(orig.data, orig.len), MEDIA_JPEG);
    cr_assert_eq(orig.width, 400);
    cr_assert_eq(orig.height, 600);
    assert_bare(orig.data, orig.len, "the original");
    /* upright, and the pixels turned too: the stored original has no orientation left */
    char *json = exif_json(orig.data, orig.len);
    cr_assert(strstr(json, "\"File:ImageWidth\": 400") && strstr(json, "\"File:ImageHeight\": 600"),
              "%s", json);
    cr_assert_null(strstr(json, "Orientation"));
    free(json);

    struct seen s = {0};
    unsigned fmts = media_rendition_formats();
    cr_assert(MEDIA_HAS(fmts, MEDIA_WEBP));
    cr_assert_eq(media_make_renditions(orig.data, orig.len, MEDIA_JPEG, fmts, keep, &s, &err),
                 ERR_OK, "%s", err.msg);
    /* 400 wide: w320 in every format (never upscaled), then the social one at its own width */
    int per_width = 1 + (int)MEDIA_HAS(fmts, MEDIA_WEBP) + (int)MEDIA_HAS(fmts, MEDIA_AVIF);
    cr_assert_eq(s.n, per_width + 1);
    for (int i = 0; i < per_width; i++) {
        cr_assert_eq(s.widths[i], 320);
        cr_assert_eq(s.w[i], 320);
        cr_assert_eq(s.h[i], 480, "w320 is %d high", s.h[i]);
    }
    cr_assert_eq(s.widths[s.n - 1], MEDIA_SOCIAL_WIDTH, "the social rendition comes last");
    cr_assert_eq(s.formats[s.n - 1], MEDIA_JPEG);
    cr_assert_eq(s.w[s.n - 1], 400, "never upscaled");
    media_blob_free(&orig);
    free(jpg);
}

Test(media_process, renditions_of_a_wide_photo_cover_every_width_below_it)
{
    sh("vips gaussnoise n.v 2000 1000 --mean 128 --sigma 50 && vips cast n.v u.v uchar"
       " && vips copy u.v wide.png");
    size_t len;
    char *png = photo_read("wide.png", &len);
    struct media_blob orig;
    struct err err = {0};
    cr_assert_eq(media_make_original(png, len, MEDIA_JPEG, false, &orig, &err), ERR_OK, "%s",
                 err.msg);
    struct seen s = {0};
    cr_assert_eq(
        media_make_renditions(orig.data, orig.len, MEDIA_JPEG, 1u << MEDIA_WEBP, keep, &s, &err),
        ERR_OK, "%s", err.msg);
    /* 1920, 1280, 960, 640, 320 in WebP and JPEG, then the social 1200 */
    static const int want[] = {1920, 1280, 960, 640, 320};
    cr_assert_eq(s.n, 11);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(s.widths[2 * i], want[i]);
        cr_assert_eq(s.formats[2 * i], MEDIA_WEBP);
        cr_assert_eq(s.formats[2 * i + 1], MEDIA_JPEG);
        cr_assert_eq(s.w[2 * i], want[i]);
        cr_assert_eq(s.h[2 * i], want[i] / 2);
    }
    cr_assert_eq(s.w[10], 1200);
    cr_assert_eq(s.h[10], 600);
    media_blob_free(&orig);
    free(png);
}

Test(media_process, keep_rights_keeps_copyright_and_artist_alone)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    struct media_blob orig;
    struct err err = {0};
    cr_assert_eq(media_make_original(jpg, len, MEDIA_JPEG, true, &orig, &err), ERR_OK, "%s",
                 err.msg);
    char *json = exif_json(orig.data, orig.len);
    cr_assert(strstr(json, "\"IFD0:Copyright\": \"Ana Reporter\""), "%s", json);
    cr_assert(strstr(json, "\"IFD0:Artist\": \"Ana R.\""), "%s", json);
    static const char *const gone[] = {"GPS",       "Serial", "Examplephone", "DateTimeOriginal",
                                       "Thumbnail", "XMP",    "IPTC",         "Kyiv",
                                       "IFD1"};
    for (size_t i = 0; i < ARRAY_LEN(gone); i++)
        cr_assert_null(strstr(json, gone[i]), "kept %s:\n%s", gone[i], json);
    free(json);
    media_blob_free(&orig);
    free(jpg);
}

Test(media_process, transparency_keeps_png)
{
    sh("vips black b.v 300 200 --bands 3 && vips linear b.v l.v 1 90 && vips cast l.v c.v uchar"
       " && vips bandjoin_const c.v a.v 128 && vips copy a.v alpha.png");
    size_t len;
    char *png = photo_read("alpha.png", &len);
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(probe(png, len, &p, &err), ERR_OK, "%s", err.msg);
    cr_assert(p.alpha);
    struct media_blob orig;
    cr_assert_eq(media_make_original(png, len, MEDIA_PNG, false, &orig, &err), ERR_OK, "%s",
                 err.msg);
    cr_assert_eq(media_sniff(orig.data, orig.len), MEDIA_PNG);
    media_blob_free(&orig);
    free(png);
}

/* A PNG chunk: length, type, data, CRC. */
static size_t png_chunk(unsigned char *out, const char *type, const void *data, uint32_t n)
{
    unsigned char *p = out;
    *p++ = (unsigned char)(n >> 24), *p++ = (unsigned char)(n >> 16);
    *p++ = (unsigned char)(n >> 8), *p++ = (unsigned char)n;
    memcpy(p, type, 4);
    memcpy(p + 4, data, n);
    uint32_t crc = (uint32_t)crc32(0, p, n + 4);
    p += 4 + n;
    *p++ = (unsigned char)(crc >> 24), *p++ = (unsigned char)(crc >> 16);
    *p++ = (unsigned char)(crc >> 8), *p++ = (unsigned char)crc;
    return (size_t)(p - out);
}

Test(media_process, the_bomb_is_refused_from_its_header)
{
    /* 50,000 × 50,000 grey pixels declared in a file of a few kilobytes */
    static unsigned char png[8192];
    memcpy(png, "\x89PNG\r\n\x1A\n", 8);
    size_t n = 8;
    const unsigned char ihdr[13] = {0, 0, 0xC3, 0x50, 0, 0, 0xC3, 0x50, 8, 0, 0, 0, 0};
    n += png_chunk(png + n, "IHDR", ihdr, 13);
    static unsigned char rows[50001 * 4], z[4096];
    uLongf zn = sizeof(z);
    cr_assert_eq(compress2(z, &zn, rows, sizeof(rows), 9), Z_OK);
    n += png_chunk(png + n, "IDAT", z, (uint32_t)zn);
    n += png_chunk(png + n, "IEND", "", 0);
    cr_assert_lt(n, 8192);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(probe(png, n, &p, &err), ERR_TOOBIG, "%s", err.msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_assert(strstr(err.msg, "50000 × 50000"), "%s", err.msg);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_assert_lt(s, 2.0, "the header took %.2f s", s); /* bounded, not a benchmark */
    /* a lower limit refuses what the default lets in */
    size_t len;
    char *jpg = phone_jpeg(&len);
    cr_assert_eq(media_probe(jpg, len, 0, 400 * 600 - 1, &p, &err), ERR_TOOBIG);
    cr_assert_eq(media_probe(jpg, len, len - 1, 0, &p, &err), ERR_TOOBIG);
    cr_assert_eq(media_probe(jpg, len, len, 400 * 600, &p, &err), ERR_OK, "%s", err.msg);
    free(jpg);
}

Test(media_process, empty_html_svg_and_zip_are_refused_with_a_reason)
{
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(probe("", 0, &p, &err), ERR_INVALID);
    cr_assert(strstr(err.msg, "empty"), "%s", err.msg);
    const char *html = "<!doctype html><html><script>alert(1)</script>";
    cr_assert_eq(probe(html, strlen(html), &p, &err), ERR_UNSUPPORTED);
    cr_assert(strstr(err.msg, "JPEG, PNG"), "%s", err.msg);
    const char *svg = "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'>"
                      "<script>alert(1)</script></svg>";
    cr_assert_eq(probe(svg, strlen(svg), &p, &err), ERR_UNSUPPORTED);
    cr_assert(strstr(err.msg, "SVG"), "%s", err.msg);
    cr_assert_eq(probe("PK\x03\x04\x14\0\0\0", 8, &p, &err), ERR_UNSUPPORTED);
    struct media_blob b;
    cr_assert_eq(media_make_original(svg, strlen(svg), MEDIA_PNG, false, &b, &err),
                 ERR_UNSUPPORTED);
}

Test(media_process, no_loader_but_the_six_can_be_reached)
{
    cr_assert(media_rendition_formats()); /* starts libvips as the module does */
    const char *svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>";
    VipsImage *img = vips_image_new_from_buffer(svg, strlen(svg), "", NULL);
    cr_assert_null(img, "an SVG was loaded");
    const char *pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                      "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\n"
                      "trailer<</Root 1 0 R>>\n%%EOF\n";
    img = vips_image_new_from_buffer(pdf, strlen(pdf), "", NULL);
    cr_assert_null(img, "a PDF was loaded");
    /* asked for by name, they refuse too */
    VipsImage *out = NULL;
    cr_assert(vips_svgload_buffer((void *)svg, strlen(svg), &out, NULL) != 0);
    cr_assert(vips_pdfload_buffer((void *)pdf, strlen(pdf), &out, NULL) != 0);
    vips_error_clear();
}

Test(media_process, truncated_and_corrupt_jpegs_are_refused)
{
    sh("vips gaussnoise n.v 800 600 --mean 128 --sigma 60 && vips cast n.v u.v uchar"
       " && vips copy u.v noise.jpg[Q=90]");
    size_t len;
    char *jpg = photo_read("noise.jpg", &len);
    struct media_blob b;
    struct err err = {0};
    cr_assert_eq(media_make_original(jpg, len / 2, MEDIA_JPEG, false, &b, &err), ERR_INVALID);
    cr_assert(strstr(err.msg, "damaged"), "%s", err.msg);
    struct media_probe p;
    cr_assert_eq(probe(jpg, 100, &p, &err), ERR_INVALID, "%s", err.msg);
    memset(jpg + 2, 0, 600); /* the tables overwritten */
    cr_assert_neq(media_make_original(jpg, len, MEDIA_JPEG, false, &b, &err), ERR_OK);
    free(jpg);
}

Test(media_process, a_jpeg_that_is_also_a_zip_loses_the_zip)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    const char zip[] = "PK\x03\x04\x14\0\0\0\0\0secret-documents.txt PK\x05\x06";
    char *both = malloc(len + sizeof(zip));
    memcpy(both, jpg, len);
    memcpy(both + len, zip, sizeof(zip));
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(probe(both, len + sizeof(zip), &p, &err), ERR_OK, "%s", err.msg);
    struct media_blob b;
    cr_assert_eq(media_make_original(both, len + sizeof(zip), MEDIA_JPEG, false, &b, &err), ERR_OK,
                 "%s", err.msg);
    cr_assert_null(memmem(b.data, b.len, "PK\x03\x04", 4));
    cr_assert_null(memmem(b.data, b.len, "secret-documents", 16));
    media_blob_free(&b);
    free(both);
    free(jpg);
}

Test(media_process, an_animated_gif_keeps_its_first_frame)
{
    /* 1 × 1, two frames: red, then blue; looping */
    static const unsigned char gif[] = {
        'G',  'I',  'F', '8',  '9',  'a',  1,   0,   1,    0,   0x80, 0,   0, /* screen, 2 colours
                                                                               */
        0xFF, 0,    0,   0,    0,    0xFF,                                    /* red, blue */
        0x21, 0xFF, 11,  'N',  'E',  'T',  'S', 'C', 'A',  'P', 'E',  '2', '.',  '0',  3, 1,
        0,    0,    0,   0x21, 0xF9, 4,    0,   10,  0,    0,   0, /* 0.1 s */
        0x2C, 0,    0,   0,    0,    1,    0,   1,   0,    0,   2,    2,   0x44, 0x01, 0, /* index 0
                                                                                           */
        0x21, 0xF9, 4,   0,    10,   0,    0,   0,   0x2C, 0,   0,    0,   0,    1,    0, 1,
        0,    0,    2,   2,    0x4C, 0x01, 0, /* index 1 */
        0x3B,
    };
    struct media_probe p;
    struct err err = {0};
    cr_assert_eq(probe(gif, sizeof(gif), &p, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(p.format, MEDIA_GIF);
    cr_assert(p.animated);
    cr_assert_eq(p.width, 1);
    cr_assert_eq(p.height, 1);
    struct media_blob b;
    cr_assert_eq(media_make_original(gif, sizeof(gif), MEDIA_PNG, false, &b, &err), ERR_OK, "%s",
                 err.msg);
    cr_assert_eq(b.height, 1, "one frame, not %d rows", b.height);
    VipsImage *img = vips_image_new_from_buffer(b.data, b.len, "", NULL);
    cr_assert_not_null(img);
    double *px = NULL;
    int n = 0;
    cr_assert_eq(vips_getpoint(img, &px, &n, 0, 0, NULL), 0);
    cr_assert(n >= 3 && px[0] > 200 && px[2] < 50, "the first frame is red: %g %g %g", px[0], px[1],
              px[2]);
    g_free(px);
    g_object_unref(img);
    media_blob_free(&b);
}

Test(media_process, avif_heic_and_png_exif_are_read_and_stripped)
{
    sh("vips xyz xy.v 320 240 && vips extract_band xy.v x.v 0 && vips bandjoin 'x.v x.v x.v' c.v"
       " && vips cast c.v u.v uchar && vips heifsave u.v p.avif --compression av1"
       " && vips heifsave u.v p.heic --compression hevc && vips copy u.v p.png");
    /* what a phone writes, in each container's own place for EXIF (PNG: its eXIf chunk) */
    sh("exiftool -q -overwrite_original -GPSLatitude=50.4501 -GPSLatitudeRef=N"
       " -SerialNumber=SN-4242-77 -Make=Examplephone p.avif p.heic p.png");
    static const char *const files[] = {"p.avif", "p.heic", "p.png"};
    static const enum media_format want[] = {MEDIA_AVIF, MEDIA_HEIC, MEDIA_PNG};
    for (int i = 0; i < 3; i++) {
        size_t len;
        char *bytes = photo_read(files[i], &len);
        struct media_probe p;
        struct err err = {0};
        cr_assert_eq(probe(bytes, len, &p, &err), ERR_OK, "%s: %s", files[i], err.msg);
        cr_assert_eq(p.format, want[i], "%s sniffed as %d", files[i], p.format);
        cr_assert_eq(p.width, 320);
        cr_assert(strstr(p.removed, "location") && strstr(p.removed, "camera serial number"),
                  "%s: removed says %s", files[i], p.removed);
        struct media_blob b;
        cr_assert_eq(media_make_original(bytes, len, MEDIA_JPEG, false, &b, &err), ERR_OK, "%s: %s",
                     files[i], err.msg);
        cr_assert_eq(b.width, 320);
        cr_assert_eq(b.height, 240);
        assert_bare(b.data, b.len, files[i]);
        media_blob_free(&b);
        free(bytes);
    }
}

static enum err_code drop(void *ctx, int width, enum media_format format,
                          const struct media_blob *b, struct err *err)
{
    (void)ctx, (void)width, (void)format, (void)b, (void)err;
    return ERR_OK;
}

Test(media_process, libvips_gives_back_every_buffer)
{
    size_t len;
    char *jpg = phone_jpeg(&len);
    cr_assert(media_rendition_formats());
    size_t mem0 = vips_tracked_get_mem();
    int allocs0 = vips_tracked_get_allocs();
    for (int i = 0; i < 2; i++) {
        struct media_blob b;
        struct err err = {0};
        cr_assert_eq(media_make_original(jpg, len, MEDIA_JPEG, false, &b, &err), ERR_OK, "%s",
                     err.msg);
        cr_assert_eq(media_make_renditions(b.data, b.len, MEDIA_JPEG, media_rendition_formats(),
                                           drop, NULL, &err),
                     ERR_OK, "%s", err.msg);
        media_blob_free(&b);
        cr_assert_eq(media_make_original(jpg, len / 2, MEDIA_JPEG, false, &b, &err), ERR_INVALID);
    }
    cr_assert_eq(vips_tracked_get_allocs(), allocs0, "libvips holds %d buffers more",
                 vips_tracked_get_allocs() - allocs0);
    cr_assert_eq(vips_tracked_get_mem(), mem0, "libvips holds %zu bytes more",
                 vips_tracked_get_mem() - mem0);
    free(jpg);
}

Test(media_process, an_embedded_profile_is_applied_then_dropped)
{
    /* sRGB (200, 30, 30) stored as Display P3 numbers with the P3 profile embedded */
    sh("vips black k.v 64 48 --bands 3 && vips linear k.v l.v 1 '200 30 30'"
       " && vips cast l.v u.v uchar && vips icc_transform u.v p3.jpg[Q=95] p3 --input-profile "
       "srgb");
    size_t len;
    char *jpg = photo_read("p3.jpg", &len);
    struct media_blob b;
    struct err err = {0};
    cr_assert_eq(media_make_original(jpg, len, MEDIA_JPEG, false, &b, &err), ERR_OK, "%s", err.msg);
    char *json = exif_json(b.data, b.len);
    cr_assert_null(strstr(json, "ICC"), "the profile stayed:\n%s", json);
    free(json);
    VipsImage *img = vips_image_new_from_buffer(b.data, b.len, "", NULL);
    cr_assert_not_null(img);
    double *px = NULL;
    int n = 0;
    cr_assert_eq(vips_getpoint(img, &px, &n, 10, 10, NULL), 0);
    cr_assert(n == 3 && fabs(px[0] - 200) < 8 && fabs(px[1] - 30) < 8 && fabs(px[2] - 30) < 8,
              "sRGB (200, 30, 30) came out as (%g, %g, %g)", px[0], px[1], px[2]);
    g_free(px);
    g_object_unref(img);
    media_blob_free(&b);
    free(jpg);
}
