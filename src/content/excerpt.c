/*
 * Teasers. The limit counts code points of the text itself; the "…" appended to a cut
 * text comes on top of it, so a card sized for max_chars characters plus an ellipsis
 * never overflows. Invalid UTF-8 (which the plain text from content_markdown_render
 * never holds) comes out as U+FFFD, one character per bad byte.
 */
#include "content/content.h"

#include <string.h>

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct excerpt {
    char *out;
    size_t len;
    size_t chars;
    size_t last_space; /* len before the last space written, 0 if none */
    bool pending_space;
    bool cut;
};

/*
 * Adds one non-space character after any pending space; false when it does not fit,
 * after moving the end back to a word boundary.
 */
static bool excerpt_put(struct excerpt *e, uint32_t cp, size_t max_chars)
{
    if (e->pending_space) {
        if (e->chars == max_chars) {
            e->cut = true; /* the limit falls on a word boundary */
            return false;
        }
        e->last_space = e->len;
        e->out[e->len++] = ' ';
        e->chars++;
        e->pending_space = false;
    }
    if (e->chars == max_chars) {
        e->cut = true;
        if (e->last_space)
            e->len = e->last_space; /* a single word longer than the limit is cut inside */
        return false;
    }
    if (cp < 0x80) {
        e->out[e->len++] = (char)cp;
    } else {
        char enc[4];
        size_t n = utf8_encode(cp, enc);
        memcpy(e->out + e->len, enc, n);
        e->len += n;
    }
    e->chars++;
    return true;
}

static struct str excerpt_cut(struct str text, size_t max_chars, struct arena *a)
{
    /* every character takes at most 4 bytes, and there are no more characters than bytes */
    size_t limit = max_chars < text.len ? max_chars : text.len;
    struct excerpt e = {arena_alloc(a, 4 * limit + 4), 0, 0, 0, false, false};
    size_t i = 0;
    while (i < text.len) {
        /* ASCII without a call: teasers of 15 posts per page run through here */
        uint32_t cp = (unsigned char)text.ptr[i];
        size_t n = cp < 0x80 ? 1 : utf8_decode(text.ptr + i, text.len - i, &cp);
        i += n ? n : 1;
        if (is_space_cp(cp)) {
            e.pending_space = e.chars > 0;
            continue;
        }
        if (!excerpt_put(&e, cp, limit))
            break;
    }
    if (e.cut) {
        /* "said so.…" reads as a typo: the ellipsis replaces trailing punctuation */
        while (e.len && strchr(".,;:!?-", e.out[e.len - 1]))
            e.len--;
    }
    if (e.cut && e.len) {
        memcpy(e.out + e.len, "\xE2\x80\xA6", 3);
        e.len += 3;
    }
    e.out[e.len] = '\0';
    return (struct str){e.out, e.len};
}

struct str content_excerpt(struct str custom_excerpt, struct str plaintext, size_t max_chars,
                           struct arena *a)
{
    struct str custom = custom_excerpt.ptr ? str_trim(custom_excerpt) : STR_LIT("");
    if (custom.len)
        return arena_str(a, custom);
    if (!plaintext.ptr || max_chars == 0)
        return arena_str(a, STR_LIT(""));
    return excerpt_cut(plaintext, max_chars, a);
}
