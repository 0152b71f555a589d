/*
 * What an upload is, from its first bytes: the name and the Content-Type it came with
 * are the sender's word and never consulted. Only six formats are recognised; SVG (a
 * document that can carry script), HTML, ZIP and everything else are MEDIA_NONE.
 */
#include "media/media_int.h"

#include <string.h>

static bool starts(const unsigned char *p, size_t len, size_t at, const char *magic)
{
    size_t n = strlen(magic);
    return len >= at + n && memcmp(p + at, magic, n) == 0;
}

/*
 * ISO-BMFF (AVIF, HEIC): a first box "ftyp" whose major or compatible brands name the
 * format. AVIF's brands win when a file names both (libheif reads either).
 */
static enum media_format sniff_ftyp(const unsigned char *p, size_t len)
{
    if (len < 16 || !starts(p, len, 4, "ftyp"))
        return MEDIA_NONE;
    size_t box = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    if (box < 16 || box > len || box > 4096)
        box = len < 4096 ? len : 4096;
    bool heic = false;
    for (size_t at = 8; at + 4 <= box; at += 4) {
        if (at == 12)
            continue; /* the minor version, not a brand */
        const unsigned char *b = p + at;
        if (!memcmp(b, "avif", 4) || !memcmp(b, "avis", 4))
            return MEDIA_AVIF;
        if (!memcmp(b, "heic", 4) || !memcmp(b, "heix", 4) || !memcmp(b, "mif1", 4))
            heic = true;
    }
    return heic ? MEDIA_HEIC : MEDIA_NONE;
}

enum media_format media_sniff(const void *bytes, size_t len)
{
    const unsigned char *p = bytes;
    if (!p)
        return MEDIA_NONE;
    if (starts(p, len, 0, "\xFF\xD8\xFF"))
        return MEDIA_JPEG;
    if (starts(p, len, 0, "\x89PNG\r\n\x1A\n"))
        return MEDIA_PNG;
    if (starts(p, len, 0, "GIF87a") || starts(p, len, 0, "GIF89a"))
        return MEDIA_GIF;
    if (starts(p, len, 0, "RIFF") && starts(p, len, 8, "WEBP"))
        return MEDIA_WEBP;
    return sniff_ftyp(p, len);
}

static const char *const mimes[] = {
    [MEDIA_NONE] = "",           [MEDIA_JPEG] = "image/jpeg", [MEDIA_PNG] = "image/png",
    [MEDIA_WEBP] = "image/webp", [MEDIA_GIF] = "image/gif",   [MEDIA_AVIF] = "image/avif",
    [MEDIA_HEIC] = "image/heic",
};

static const char *const exts[] = {
    [MEDIA_NONE] = "",   [MEDIA_JPEG] = "jpg",  [MEDIA_PNG] = "png",   [MEDIA_WEBP] = "webp",
    [MEDIA_GIF] = "gif", [MEDIA_AVIF] = "avif", [MEDIA_HEIC] = "heic",
};

const char *media_mime(enum media_format f)
{
    return (unsigned)f < ARRAY_LEN(mimes) ? mimes[f] : "";
}

const char *media_ext(enum media_format f)
{
    return (unsigned)f < ARRAY_LEN(exts) ? exts[f] : "";
}
