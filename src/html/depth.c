/*
 * A bound on nesting before gumbo sees the bytes.
 *
 * gumbo follows the HTML5 tree builder, which checks "in scope" by walking the stack of
 * open elements and reconstructs the active formatting elements at each new element, so
 * its time grows with depth × elements: measured here (-O2), 32,000 nested <div>s take
 * 3.2 s and 32,000 of "<div><span><b>" 49 s, where a 4 MiB post could nest 800,000.
 * Browsers cap the depth instead (Blink attaches elements past 512 levels to the 512th).
 *
 * This pass is a light model of the tree builder: start and end tags found by a scan
 * (comments, raw text of script and style skipped), a stack of open element names,
 * end tags popping to their element, void and self-closing-by-sibling elements (p, li,
 * td, ...) not counted. A start tag that would open more than HTML_NEST_MAX elements, or
 * more than HTML_FORMAT_MAX formatting elements at once (b, i, a, ...: gumbo keeps those
 * in its list of active formatting elements even after their parent closes), is cut out
 * of the bytes. The model can be wrong about a document; it only decides which tags
 * parse, never what is safe: whatever it leaves still goes through gumbo and the
 * allowlist, and a cut tag's text stays as text.
 */
#include "html/html_int.h"

#include <string.h>
#include <strings.h>

#define HTML_NEST_MAX 256
#define HTML_FORMAT_MAX 64

struct model {
    GumboTag stack[HTML_NEST_MAX];
    size_t depth;
    size_t formatting;
};

static bool is_void_or_sibling(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_P:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_RB:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_RTC:
    case GUMBO_TAG_COLGROUP:
        return true;
    default:
        return false;
    }
}

static bool is_formatting(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
        return true;
    default:
        return false;
    }
}

static bool is_raw_text(GumboTag t)
{
    return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_TEXTAREA ||
           t == GUMBO_TAG_TITLE || t == GUMBO_TAG_XMP || t == GUMBO_TAG_IFRAME ||
           t == GUMBO_TAG_NOEMBED || t == GUMBO_TAG_NOFRAMES || t == GUMBO_TAG_NOSCRIPT;
}

size_t html_tag_end(const char *p, size_t n, size_t i)
{
    char q = 0;
    for (i++; i < n; i++) {
        char c = p[i];
        if (q) {
            q = c == q ? 0 : q;
        } else if (c == '"' || c == '\'') {
            q = (p[i - 1] == '=' || p[i - 1] == ' ') ? c : 0;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return n;
}

/* Past the raw text of t that starts at i: at its "</name", or the end. */
static size_t raw_text_end(const char *p, size_t n, size_t i, GumboTag t)
{
    const char *name = gumbo_normalized_tagname(t);
    size_t len = strlen(name);
    for (; i + 2 + len <= n; i++) {
        const char *lt = memchr(p + i, '<', n - i);
        if (!lt)
            return n;
        i = (size_t)(lt - p);
        if (i + 2 + len <= n && p[i + 1] == '/' && strncasecmp(p + i + 2, name, len) == 0)
            return i;
    }
    return n;
}

static void end_tag(struct model *m, GumboTag t)
{
    for (size_t i = m->depth; i-- > 0;) {
        if (m->stack[i] != t)
            continue;
        m->depth = i;
        break;
    }
    if (is_formatting(t) && m->formatting)
        m->formatting--;
}

/* Whether the start tag t may open: false when it would nest past the bounds. */
static bool start_tag(struct model *m, GumboTag t)
{
    if (is_void_or_sibling(t))
        return true;
    if (m->depth == HTML_NEST_MAX || (is_formatting(t) && m->formatting == HTML_FORMAT_MAX))
        return false;
    m->stack[m->depth++] = t;
    m->formatting += is_formatting(t);
    return true;
}

static size_t name_len(const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && p[k] != ' ' && p[k] != '>' && p[k] != '/' && p[k] != '\t' && p[k] != '\n' &&
           p[k] != '\r' && p[k] != '\f')
        k++;
    return k;
}

struct cut {
    struct buf b;
    size_t from; /* input copied up to here */
    size_t cuts;
};

static void cut_tag(struct cut *c, struct str in, size_t at, size_t end)
{
    if (!c->b.max)
        buf_init(&c->b, in.len);
    buf_append(&c->b, in.ptr + c->from, at - c->from);
    c->from = end;
    c->cuts++;
}

/* One tag or comment at in.ptr[i] == '<': returns where the scan goes on. */
static size_t scan_tag(struct model *m, struct cut *c, struct str in, size_t i)
{
    const char *p = in.ptr;
    size_t n = in.len;
    if (i + 3 < n && memcmp(p + i, "<!--", 4) == 0) {
        const char *e = memmem(p + i + 4, n - i - 4, "-->", 3);
        return e ? (size_t)(e - p) + 3 : n;
    }
    bool end = i + 1 < n && p[i + 1] == '/';
    size_t s = i + 1 + end;
    if (s >= n || !((p[s] | 0x20) >= 'a' && (p[s] | 0x20) <= 'z'))
        return i + 1;
    size_t len = name_len(p + s, n - s), close = html_tag_end(p, n, s);
    GumboTag t = gumbo_tagn_enum(p + s, (unsigned)len);
    if (end) {
        end_tag(m, t);
        return close;
    }
    if (!start_tag(m, t)) {
        cut_tag(c, in, i, close);
        return close;
    }
    return is_raw_text(t) ? raw_text_end(p, n, close, t) : close;
}

struct str html_nest_guard(struct str in, struct arena *a, size_t *cuts)
{
    struct model m = {.depth = 0};
    struct cut c = {.from = 0};
    for (size_t i = 0; i < in.len;) {
        const char *lt = memchr(in.ptr + i, '<', in.len - i);
        if (!lt)
            break;
        i = scan_tag(&m, &c, in, (size_t)(lt - in.ptr));
    }
    *cuts = c.cuts;
    if (!c.cuts)
        return in;
    buf_append(&c.b, in.ptr + c.from, in.len - c.from);
    struct str out = arena_str(a, buf_str(&c.b));
    buf_release(&c.b);
    return out;
}
