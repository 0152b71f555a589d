/*
 * The template lexer: literal text, then one tag, with mustache's standalone-line rule
 * applied so that a line holding only a block tag leaves no trace in the output.
 */
#include "render/render_int.h"

#include <string.h>

void render_lex_init(struct render_lexer *lx, struct str src, const char *file)
{
    /* an empty slice may carry a NULL ptr; pointer arithmetic on NULL is undefined */
    lx->src = src.ptr ? src : (struct str){"", 0};
    lx->file = file;
    lx->pos = 0;
    lx->line = 1;
}

static int count_lines(const char *p, size_t n)
{
    int k = 0;
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        k++;
        p = nl + 1;
    }
    return k;
}

/*
 * Names go into error messages and from there into logs: show a bounded prefix and
 * never a control byte, so a broken theme file cannot forge log lines.
 */
static const char *name_show(struct str name, char out[48])
{
    size_t n = name.len < 40 ? name.len : 40;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name.ptr[i];
        out[i] = ch >= 0x20 && ch < 0x7f ? (char)ch : '?';
    }
    memcpy(out + n, name.len > n ? "..." : "", name.len > n ? 4 : 1);
    return out;
}

static bool is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-';
}

/* Dotted identifiers: segments of [A-Za-z0-9_-], none empty. */
static bool is_path(struct str s)
{
    bool seg_empty = true;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '.' && !seg_empty) {
            seg_empty = true;
            continue;
        }
        if (!is_name_char(s.ptr[i]))
            return false;
        seg_empty = false;
    }
    return !seg_empty;
}

/*
 * Partial names are looked up by the caller's callback, which applies its own rules
 * (the theme loader allows only [A-Za-z0-9_-]); here only printable, non-blank ASCII.
 */
static bool is_partial_name(struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] <= ' ' || s.ptr[i] >= 0x7f)
            return false;
    }
    return true;
}

static enum err_code check_name(const struct render_lexer *lx, const struct render_tag *tag,
                                struct err *err)
{
    char shown[48];
    if (!tag->name.len)
        return err_set(err, ERR_INVALID, "%s:%d: empty tag", lx->file, tag->line);
    if (tag->name.len > RENDER_NAME_MAX)
        return err_set(err, ERR_INVALID, "%s:%d: name '%s' too long (over %d bytes)", lx->file,
                       tag->line, name_show(tag->name, shown), RENDER_NAME_MAX);
    bool ok = tag->kind == RENDER_TAG_PARTIAL ? is_partial_name(tag->name) : is_path(tag->name);
    if (!ok)
        return err_set(err, ERR_INVALID, "%s:%d: bad characters in name '%s'", lx->file, tag->line,
                       name_show(tag->name, shown));
    return ERR_OK;
}

/* Strips the sigil off body and says what kind of tag it makes. */
static enum render_tag_kind sigil_kind(struct str *body)
{
    static const char sigils[] = "#^/>!&";
    static const enum render_tag_kind kinds[] = {
        RENDER_TAG_SECTION, RENDER_TAG_INVERTED, RENDER_TAG_CLOSE,
        RENDER_TAG_PARTIAL, RENDER_TAG_COMMENT,  RENDER_TAG_RAW,
    };
    const char *s = body->len ? memchr(sigils, body->ptr[0], sizeof(sigils) - 1) : NULL;
    if (!s)
        return RENDER_TAG_VAR;
    *body = str_trim((struct str){body->ptr + 1, body->len - 1});
    return kinds[s - sigils];
}

/* Reads the tag opening at start; *end is set just past its closing braces. */
static enum err_code scan_tag(const struct render_lexer *lx, size_t start, struct render_tag *tag,
                              size_t *end, struct err *err)
{
    const char *s = lx->src.ptr;
    size_t len = lx->src.len;
    bool triple = start + 2 < len && s[start + 2] == '{';
    size_t delim = triple ? 3 : 2;
    const char *closer = triple ? "}}}" : "}}";
    size_t from = start + delim;
    const char *close = memmem(s + from, len - from, closer, delim);
    if (!close)
        return err_set(err, ERR_INVALID, "%s:%d: unterminated tag", lx->file, tag->line);
    struct str body = str_trim((struct str){s + from, (size_t)(close - s) - from});
    *end = (size_t)(close - s) + delim;
    tag->kind = triple ? RENDER_TAG_RAW : sigil_kind(&body);
    tag->name = body;
    if (tag->kind == RENDER_TAG_COMMENT) {
        tag->name = (struct str){"", 0};
        return ERR_OK;
    }
    return check_name(lx, tag, err);
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t';
}

static bool can_stand_alone(enum render_tag_kind kind)
{
    return kind == RENDER_TAG_SECTION || kind == RENDER_TAG_INVERTED || kind == RENDER_TAG_CLOSE ||
           kind == RENDER_TAG_PARTIAL || kind == RENDER_TAG_COMMENT;
}

/*
 * Mustache's standalone rule: when only blanks surround the tag on its line, the line
 * goes, from its first byte through its newline ("\n" or "\r\n"). The text before the
 * tag starts either at a line start or just after another tag, so a line start found
 * inside it means no other tag shares the line.
 */
static void standalone(struct str src, size_t text_start, size_t tag_start, size_t *text_end,
                       size_t *next)
{
    size_t ls = tag_start;
    while (ls > text_start && is_blank(src.ptr[ls - 1]))
        ls--;
    if (ls > 0 && src.ptr[ls - 1] != '\n')
        return;
    size_t e = *next;
    while (e < src.len && is_blank(src.ptr[e]))
        e++;
    if (e + 1 < src.len && src.ptr[e] == '\r' && src.ptr[e + 1] == '\n')
        e++;
    if (e < src.len && src.ptr[e] != '\n')
        return;
    *text_end = ls;
    *next = e < src.len ? e + 1 : e;
}

enum err_code render_lex_next(struct render_lexer *lx, struct str *text, struct render_tag *tag,
                              struct err *err)
{
    const char *s = lx->src.ptr;
    size_t len = lx->src.len, pos = lx->pos;
    const char *open = memmem(s + pos, len - pos, "{{", 2);
    if (!open) {
        *text = (struct str){s + pos, len - pos};
        tag->kind = RENDER_TAG_EOF;
        tag->name = (struct str){"", 0};
        tag->line = lx->line + count_lines(s + pos, len - pos);
        lx->pos = len;
        return ERR_OK;
    }
    size_t start = (size_t)(open - s), end = start;
    tag->line = lx->line + count_lines(s + pos, start - pos);
    enum err_code rc = scan_tag(lx, start, tag, &end, err);
    if (rc)
        return rc;
    size_t text_end = start;
    if (can_stand_alone(tag->kind))
        standalone(lx->src, pos, start, &text_end, &end);
    *text = (struct str){s + pos, text_end - pos};
    lx->line = tag->line + count_lines(s + start, end - start);
    lx->pos = end;
    return ERR_OK;
}
