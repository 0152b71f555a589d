/*
 * Reading time as Ghost computes it, so that "N min read" matches what a Ghost theme
 * shows for the same HTML (@tryghost/helpers: utils/count-words.js, count-images.js,
 * reading-minutes.js):
 *
 *   words:   html.replace(/<(.|\n)*?>/g, ' ') then, per match of
 *            /[a-zA-ZÀ-ÿ0-9_\u0392-\u03c9\u0410-\u04F9]+|
 *             [\u4E00-\u9FFF\u3400-\u4dbf\uf900-\ufaff\u3040-\u309f\uac00-\ud7af]+/g,
 *            1, or the match's length when its first code unit is >= 0x4E00
 *   images:  matches of /<img(.|\n)*?>/g
 *   seconds: words / (275 / 60), plus max(i, 3) for i = 12, 11, ... per image
 *   minutes: Math.round(seconds / 60)
 *
 * JavaScript's '.' matches anything but \n, \r, U+2028 and U+2029; "(.|\n)" adds \n
 * back, so a tag cannot span \r, U+2028 or U+2029. The regexes work on UTF-16 code
 * units, but every range above lies in the BMP, so code points give the same counts.
 * Entities are not decoded: "&amp;" holds the word "amp", as it does for Ghost. Ghost's
 * helper also counts the post's feature image; callers that want that add it themselves.
 */
#include "content/content.h"

#include <stdio.h>
#include <string.h>

/*
 * The '>' that ends a tag opened before `from`, found without rescanning: the next '>'
 * and the next line terminator JavaScript's '.' refuses are cached and only move forward,
 * so a scan with non-decreasing `from` stays linear even on "<<<<<<".
 */
struct tag_scan {
    const char *p;
    size_t n;
    size_t gt;  /* next '>' at or after the last `from`, or n */
    size_t bar; /* next \r, U+2028 or U+2029 at or after the last `from`, or n */
};

static size_t find_gt(const struct tag_scan *s, size_t from)
{
    const char *q = memchr(s->p + from, '>', s->n - from);
    return q ? (size_t)(q - s->p) : s->n;
}

static size_t find_barrier(const struct tag_scan *s, size_t from)
{
    for (size_t i = from; i < s->n; i++) {
        unsigned char c = (unsigned char)s->p[i];
        if (c == '\r')
            return i;
        if (c == 0xE2 && i + 2 < s->n && (unsigned char)s->p[i + 1] == 0x80 &&
            ((unsigned char)s->p[i + 2] == 0xA8 || (unsigned char)s->p[i + 2] == 0xA9))
            return i;
    }
    return s->n;
}

static void tag_scan_init(struct tag_scan *s, struct str html)
{
    s->p = html.ptr;
    s->n = html.len;
    s->gt = find_gt(s, 0);
    s->bar = find_barrier(s, 0);
}

/* Whether a tag whose '<' ends just before `from` closes; *end is its '>'. */
static bool tag_closes(struct tag_scan *s, size_t from, size_t *end)
{
    if (from >= s->n)
        return false;
    if (s->gt < from)
        s->gt = find_gt(s, from);
    if (s->bar < from)
        s->bar = find_barrier(s, from);
    if (s->gt == s->n || s->bar < s->gt)
        return false;
    *end = s->gt;
    return true;
}

enum word_class { WORD_NONE, WORD_ALNUM, WORD_CJK };

static enum word_class classify(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
        (c >= 0xC0 && c <= 0xFF) || (c >= 0x392 && c <= 0x3C9) || (c >= 0x410 && c <= 0x4F9))
        return WORD_ALNUM;
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
        (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x309F) ||
        (c >= 0xAC00 && c <= 0xD7AF))
        return WORD_CJK;
    return WORD_NONE;
}

size_t content_word_count(struct str html)
{
    if (!html.ptr)
        return 0;
    struct tag_scan ts;
    tag_scan_init(&ts, html);
    size_t count = 0, i = 0, end;
    enum word_class run = WORD_NONE;
    bool per_char = false; /* this CJK run counts each character */
    while (i < html.len) {
        if (html.ptr[i] == '<' && tag_closes(&ts, i + 1, &end)) {
            run = WORD_NONE; /* the tag became a space */
            i = end + 1;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(html.ptr + i, html.len - i, &cp);
        i += len ? len : 1;
        enum word_class c = classify(cp);
        if (c != run && c != WORD_NONE) {
            per_char = c == WORD_CJK && cp >= 0x4E00;
            count += per_char ? 0 : 1;
        }
        if (c == WORD_CJK && per_char)
            count++;
        run = c;
    }
    return count;
}

size_t content_image_count(struct str html)
{
    if (!html.ptr)
        return 0;
    struct tag_scan ts;
    tag_scan_init(&ts, html);
    size_t count = 0, i = 0, end;
    while (i + 4 <= html.len) {
        const char *q = memmem(html.ptr + i, html.len - i, "<img", 4);
        if (!q)
            break;
        size_t at = (size_t)(q - html.ptr);
        if (tag_closes(&ts, at + 4, &end)) {
            count++;
            i = end + 1;
        } else {
            i = at + 1;
        }
    }
    return count;
}

/*
 * Math.round() for the non-negative values we have: the nearest integer, halves up.
 * x - trunc(x) is exact for doubles below 2^52, so there is no floor(x + 0.5) error.
 */
static int js_round(double x)
{
    if (!(x < 2147483647.0))
        return 2147483647;
    double t = (double)(int64_t)x;
    return (int)(x - t >= 0.5 ? t + 1 : t);
}

int content_reading_minutes(struct str html, size_t extra_images)
{
    /* the same IEEE operations, in the same order, as reading-minutes.js */
    const double words_per_second = 275.0 / 60.0;
    double seconds = (double)content_word_count(html) / words_per_second;
    int64_t images = (int64_t)content_image_count(html) + (int64_t)extra_images;
    for (int64_t i = 12; i > 12 - images; i--)
        seconds += (double)(i > 3 ? i : 3);
    return js_round(seconds / 60.0);
}

const char *content_reading_label(int minutes, char out[32])
{
    if (minutes <= 1)
        snprintf(out, 32, "1 min read");
    else
        snprintf(out, 32, "%d min read", minutes);
    return out;
}
