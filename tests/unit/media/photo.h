/*
 * The media suites' photos, made in each test: images drawn with the vips command, metadata
 * written with exiftool (Debian's libimage-exiftool-perl), and exiftool's JSON read back
 * through a pipe to check what a file carries. Included by one test file each.
 */
#ifndef TEST_MEDIA_PHOTO_H
#define TEST_MEDIA_PHOTO_H

#include "media/media_int.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char photo_dir[64];

static void photo_dir_make(void)
{
    snprintf(photo_dir, sizeof(photo_dir), "/tmp/ndmedia-XXXXXX");
    cr_assert(mkdtemp(photo_dir), "cannot make a directory under /tmp");
}

static void photo_dir_remove(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", photo_dir);
    cr_assert(system(cmd) == 0);
}

/* Runs a shell command made from fmt in the photo directory; the test fails if it does. */
static void sh(const char *fmt, ...) BASE_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    int n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", photo_dir);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
    va_end(ap);
    cr_assert(system(cmd) == 0, "command failed: %s", cmd);
}

/* The bytes of a file of the photo directory. Caller frees. */
static char *photo_read(const char *name, size_t *len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", photo_dir, name);
    return test_read_file(path, len);
}

static void photo_write(const char *name, const void *p, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", photo_dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f && fwrite(p, 1, len, f) == len && fclose(f) == 0, "cannot write %s", path);
}

/*
 * A 600 × 400 JPEG stored sideways (EXIF Orientation 6: upright it is 400 × 600) that
 * carries what a phone writes: GPS position, date taken, camera make, model and serial
 * number, a maker note's worth of EXIF, an embedded thumbnail, XMP and IPTC, plus the
 * copyright and artist fields. Caller frees.
 */
static char *phone_jpeg(size_t *len)
{
    sh("vips xyz xy.v 600 400 && vips extract_band xy.v x.v 0 && vips extract_band xy.v y.v 1"
       " && vips bandjoin 'x.v y.v x.v' c.v && vips cast c.v u.v uchar"
       " && vips copy u.v phone.jpg[Q=90] && vips thumbnail phone.jpg thumb.jpg 160");
    sh("exiftool -q -overwrite_original -n -Orientation=6 -Make=Examplephone -Model='EP 12'"
       " -SerialNumber=SN-4242-77 -LensSerialNumber=LS-99 -DateTimeOriginal='2026:03:01 04:05:06'"
       " -GPSLatitude=50.4501 -GPSLatitudeRef=N -GPSLongitude=30.5234 -GPSLongitudeRef=E"
       " -Copyright='Ana Reporter' -Artist='Ana R.' -XMP-dc:Creator=Ana -IPTC:City=Kyiv"
       " '-ThumbnailImage<=thumb.jpg' phone.jpg");
    return photo_read("phone.jpg", len);
}

/* exiftool's JSON of the bytes (every group, duplicates too). Caller frees. */
static char *exif_json(const void *p, size_t len)
{
    photo_write("check.bin", p, len);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "exiftool -j -a -G1 '%s/check.bin'", photo_dir);
    FILE *f = popen(cmd, "r");
    cr_assert(f, "cannot run exiftool");
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    for (size_t r; (r = fread(out + n, 1, cap - n - 1, f)) > 0;) {
        n += r;
        if (n + 1 == cap)
            out = realloc(out, cap *= 2);
    }
    out[n] = '\0';
    cr_assert_eq(pclose(f), 0, "exiftool failed");
    return out;
}

/* Fails the test if the bytes carry any of what a phone writes about where and with what. */
static void assert_bare(const void *p, size_t len, const char *what)
{
    char *json = exif_json(p, len);
    static const char *const traces[] = {
        "GPS",           "Serial",    "Examplephone", "EP 12",     "DateTimeOriginal",
        "2026:03",       "Thumbnail", "\"Make\"",     "\"Model\"", "XMP",
        "IPTC",          "Ana",       "Kyiv",         "IFD1",      "IFD0",
        "ExifByteOrder", "Warning",
    };
    for (size_t i = 0; i < sizeof(traces) / sizeof(traces[0]); i++)
        cr_assert_null(strstr(json, traces[i]), "%s still carries %s:\n%s", what, traces[i], json);
    free(json);
}

#endif
