/*
 * A fast path for the HTML most bodies are: well-formed fragments of a few common tags, as
 * Ghost renders and editors save them. gumbo takes about 100 µs for a 3 KB body on this
 * machine (it runs the whole HTML5 tokenizer and tree builder, a state per character);
 * the 100,000 posts of an archive would spend 10 s there. This parser builds the same
 * tree gumbo would, in gumbo's node structures, for input where the HTML5 algorithm has
 * nothing to repair, and declines everything else, which then goes to gumbo:
 *
 * - tags only from the set below (no tables, whose rows gumbo moves into a tbody; no
 *   script, style, iframe or textarea, whose content is raw text), lower case; attributes
 *   quoted, unquoted or bare; comments that close with "-->";
 * - every end tag closes the element open last (no misnesting to repair); a p is never
 *   open when a block starts (HTML5 would close it), an li sits right in a ul or ol, a
 *   link is never inside a link, a heading never inside a heading;
 * - character references only &amp; &lt; &gt; &quot; &apos; &#39; &nbsp; and numeric ones
 *   for code points gumbo keeps as they are; a '&' before a letter, digit or '#' that is
 *   none of these declines (HTML5 decodes "&copy" without its ';');
 * - no NUL, no CR (gumbo normalises CR LF), valid UTF-8 (checked before).
 * Elements left open at the end are closed there, as gumbo does. The fuzz target checks
 * that whatever this parser accepts converts exactly as gumbo's tree does.
 */
#include "html/html_int.h"

#include <string.h>

#define FAST_DEPTH 128

struct fast {
    struct arena *a;
    const char *p;
    size_t n, i;
    GumboNode *stack[FAST_DEPTH];
    size_t depth;
    struct buf text; /* decoded text of the current run */
};

static bool fast_tag_ok(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
    case GUMBO_TAG_S:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_A:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_U:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_KBD:
        return true;
    default:
        return false;
    }
}

static bool is_void(GumboTag t)
{
    return t == GUMBO_TAG_BR || t == GUMBO_TAG_HR || t == GUMBO_TAG_IMG;
}

/* Start tags that close an open p in HTML5 ("in body": address, article, ... ul). */
static bool closes_p(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
        return true;
    default:
        return false;
    }
}

static bool is_heading(GumboTag t)
{
    return t >= GUMBO_TAG_H1 && t <= GUMBO_TAG_H6;
}

static bool open_has(const struct fast *f, bool (*pred)(GumboTag))
{
    for (size_t i = 1; i < f->depth; i++) {
        if (pred(f->stack[i]->v.element.tag))
            return true;
    }
    return false;
}

static bool is_p(GumboTag t)
{
    return t == GUMBO_TAG_P;
}

static bool is_a(GumboTag t)
{
    return t == GUMBO_TAG_A;
}

static void vec_push(struct arena *a, GumboVector *v, void *x)
{
    if (v->length == v->capacity) {
        unsigned cap = v->capacity ? 2 * v->capacity : 4;
        void **d = arena_alloc(a, cap * sizeof(*d));
        if (v->length)
            memcpy(d, v->data, v->length * sizeof(*d));
        v->data = d;
        v->capacity = cap;
    }
    v->data[v->length++] = x;
}

static void append(struct fast *f, GumboNode *n)
{
    GumboNode *parent = f->stack[f->depth - 1];
    n->parent = parent;
    n->index_within_parent = parent->v.element.children.length;
    vec_push(f->a, &parent->v.element.children, n);
}

/* &...; at p[at] == '&' decoded into f->text; false for what is left to gumbo. */
static bool entity(struct fast *f, size_t at, size_t *len)
{
    static const struct {
        const char *name, *text;
    } named[] = {{"amp;", "&"},   {"lt;", "<"},   {"gt;", ">"},
                 {"quot;", "\""}, {"apos;", "'"}, {"nbsp;", "\xc2\xa0"}};
    const char *p = f->p + at + 1;
    size_t rest = f->n - at - 1;
    for (size_t k = 0; k < ARRAY_LEN(named); k++) {
        size_t l = strlen(named[k].name);
        if (rest >= l && memcmp(p, named[k].name, l) == 0) {
            buf_puts(&f->text, named[k].text);
            *len = l + 1;
            return true;
        }
    }
    if (!rest || p[0] != '#')
        return false;
    bool hex = rest > 1 && (p[1] == 'x' || p[1] == 'X');
    size_t j = 1 + hex;
    uint32_t cp = 0;
    for (; j < rest && j < 10; j++) {
        char c = p[j];
        int d = c >= '0' && c <= '9'                            ? c - '0'
                : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                : -1;
        if (d < 0)
            break;
        cp = cp * (hex ? 16 : 10) + (uint32_t)d;
    }
    /* gumbo maps 0, C1 controls, surrogates and > U+10FFFF: those are its to do */
    if (j == 1 + (size_t)hex || j >= rest || p[j] != ';' || cp == 0 || cp > 0x10ffff ||
        (cp >= 0x80 && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20)
        return false;
    char u[4];
    buf_append(&f->text, u, utf8_encode(cp, u));
    *len = j + 2;
    return true;
}

static bool only_space(struct str s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\f')
            return false;
    }
    return true;
}

/* (from, to) decoded into f->text (emptied first); false for what gumbo must decode. */
static bool decode(struct fast *f, size_t from, size_t to)
{
    buf_reset(&f->text);
    size_t i = from;
    while (i < to) {
        const char *amp = memchr(f->p + i, '&', to - i);
        size_t j = amp ? (size_t)(amp - f->p) : to;
        buf_append(&f->text, f->p + i, j - i);
        if (j == to)
            break;
        size_t len;
        char next = j + 1 < to ? f->p[j + 1] : ' ';
        bool word = ((next | 0x20) >= 'a' && (next | 0x20) <= 'z') || next == '#' ||
                    (next >= '0' && next <= '9');
        if (!entity(f, j, &len) || j + len > to) {
            if (word)
                return false;
            buf_putc(&f->text, '&');
            len = 1;
        }
        i = j + len;
    }
    return true;
}

/* The text up to the next '<' as a node (entities decoded). */
static bool text_run(struct fast *f)
{
    size_t from = f->i;
    const char *lt = memchr(f->p + f->i, '<', f->n - f->i);
    f->i = lt ? (size_t)(lt - f->p) : f->n;
    if (memchr(f->p + from, '\0', f->i - from) || memchr(f->p + from, '\r', f->i - from) ||
        !decode(f, from, f->i))
        return false;
    if (!f->text.len)
        return true;
    GumboNode *n = arena_calloc(f->a, 1, sizeof(*n));
    struct str t = buf_str(&f->text);
    n->type = only_space(t) ? GUMBO_NODE_WHITESPACE : GUMBO_NODE_TEXT;
    n->v.text.text = arena_strndup(f->a, t.ptr, t.len);
    append(f, n);
    return true;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
}

static bool space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\f';
}

/* An attribute value, quoted or not, decoded into a NUL-terminated copy. */
static bool attr_value(struct fast *f, const char **out)
{
    char q = f->i < f->n ? f->p[f->i] : 0;
    if (q == '"' || q == '\'') {
        const char *e = memchr(f->p + f->i + 1, q, f->n - f->i - 1);
        if (!e)
            return false;
        size_t from = f->i + 1, to = (size_t)(e - f->p);
        if (memchr(f->p + from, '\0', to - from) || memchr(f->p + from, '\r', to - from) ||
            !decode(f, from, to))
            return false;
        *out = arena_strndup(f->a, f->text.ptr ? f->text.ptr : "", f->text.len);
        f->i = to + 1;
        return true;
    }
    size_t from = f->i;
    while (f->i < f->n && !space(f->p[f->i]) && f->p[f->i] != '>') {
        if (strchr("\"'=<`&\r", f->p[f->i]) || !f->p[f->i])
            return false;
        f->i++;
    }
    if (f->i == from)
        return false;
    *out = arena_strndup(f->a, f->p + from, f->i - from);
    return true;
}

static bool attribute(struct fast *f, GumboNode *n)
{
    size_t from = f->i;
    while (f->i < f->n && name_char(f->p[f->i]))
        f->i++;
    if (f->i == from)
        return false;
    GumboAttribute *at = arena_calloc(f->a, 1, sizeof(*at));
    at->name = arena_strndup(f->a, f->p + from, f->i - from);
    at->value = "";
    if (f->i < f->n && f->p[f->i] == '=') {
        f->i++;
        if (!attr_value(f, &at->value))
            return false;
    }
    if (f->i < f->n && !space(f->p[f->i]) && f->p[f->i] != '>' && f->p[f->i] != '/')
        return false;
    if (!gumbo_get_attribute(&n->v.element.attributes, at->name))
        vec_push(f->a, &n->v.element.attributes, at); /* the first of a name wins */
    return true;
}

/* Whether a start tag t may open here without HTML5 repairing the tree. */
static bool start_ok(const struct fast *f, GumboTag t)
{
    GumboTag top = f->stack[f->depth - 1]->v.element.tag;
    if (f->depth == FAST_DEPTH)
        return false;
    if (closes_p(t) && open_has(f, is_p))
        return false;
    if (t == GUMBO_TAG_LI)
        return top == GUMBO_TAG_UL || top == GUMBO_TAG_OL;
    if (is_heading(t) && open_has(f, is_heading))
        return false;
    if (t == GUMBO_TAG_A && open_has(f, is_a))
        return false;
    return true;
}

static bool start_tag(struct fast *f)
{
    size_t from = ++f->i;
    while (f->i < f->n && name_char(f->p[f->i]))
        f->i++;
    GumboTag t = gumbo_tagn_enum(f->p + from, (unsigned)(f->i - from));
    if (!fast_tag_ok(t) || !start_ok(f, t))
        return false;
    GumboNode *n = arena_calloc(f->a, 1, sizeof(*n));
    n->type = GUMBO_NODE_ELEMENT;
    n->v.element.tag = t;
    n->v.element.tag_namespace = GUMBO_NAMESPACE_HTML;
    for (;;) {
        while (f->i < f->n && space(f->p[f->i]))
            f->i++;
        if (f->i >= f->n)
            return false;
        if (f->p[f->i] == '>')
            break;
        if (f->p[f->i] == '/' && f->i + 1 < f->n && f->p[f->i + 1] == '>' && is_void(t)) {
            f->i++;
            break;
        }
        if (!attribute(f, n))
            return false;
    }
    f->i++;
    append(f, n);
    if (!is_void(t))
        f->stack[f->depth++] = n;
    if (t == GUMBO_TAG_PRE && f->i < f->n && f->p[f->i] == '\n')
        f->i++; /* HTML5 drops a new line right after <pre> */
    return true;
}

static bool end_tag(struct fast *f)
{
    f->i += 2;
    size_t from = f->i;
    while (f->i < f->n && name_char(f->p[f->i]))
        f->i++;
    GumboTag t = gumbo_tagn_enum(f->p + from, (unsigned)(f->i - from));
    if (f->i >= f->n || f->p[f->i] != '>' || f->depth < 2 ||
        f->stack[f->depth - 1]->v.element.tag != t)
        return false;
    f->i++;
    f->depth--;
    return true;
}

static bool comment(struct fast *f)
{
    const char *body = f->p + f->i + 4;
    size_t rest = f->n - f->i - 4;
    if (rest && (body[0] == '>' || (body[0] == '-' && rest > 1 && body[1] == '>')))
        return false;
    const char *e = memmem(body, rest, "-->", 3);
    if (!e || memmem(body, (size_t)(e - body), "--!", 3) || memchr(body, '\0', (size_t)(e - body)))
        return false;
    f->i = (size_t)(e - f->p) + 3;
    return true;
}

static bool markup(struct fast *f)
{
    const char *p = f->p + f->i;
    size_t rest = f->n - f->i;
    if (rest >= 4 && memcmp(p, "<!--", 4) == 0)
        return comment(f);
    if (rest >= 2 && p[1] == '/')
        return end_tag(f);
    if (rest >= 2 && p[1] >= 'a' && p[1] <= 'z')
        return start_tag(f);
    return false;
}

const GumboNode *html_fast_parse(struct str html, struct arena *a)
{
    struct fast f = {.a = a, .p = html.ptr, .n = html.len};
    buf_init(&f.text, HTML_INPUT_MAX);
    GumboNode *root = arena_calloc(a, 1, sizeof(*root));
    root->type = GUMBO_NODE_ELEMENT;
    root->v.element.tag = GUMBO_TAG_HTML;
    root->v.element.tag_namespace = GUMBO_NAMESPACE_HTML;
    f.stack[f.depth++] = root;
    bool ok = true;
    while (ok && f.i < f.n)
        ok = f.p[f.i] == '<' ? markup(&f) : text_run(&f);
    buf_release(&f.text);
    return ok ? root : NULL;
}
