/*
 * Ghost's plain text of a body (html.h): what Ghost 5 stores in posts.plaintext, made by
 * @tryghost/html-to-plaintext's "excerpt" settings over html-to-text: no wrapping, new
 * lines in text kept, images, figure captions and rules left out, links as their text,
 * headings not upper-cased, quotes as plain blocks (no "> ").
 *
 * html-to-text separates blocks by line breaks: each block asks for some before it
 * (leading) and after it (trailing), and between two blocks the larger number is written.
 * Its defaults, which Ghost keeps: p, pre, blockquote, ul, ol, table 2 and 2; h1-h3 3
 * before and 2 after; h4-h6 2 and 2; div, section, article and the like 1 and 1; a list
 * inside an item 1 and 1; items one line apart, prefixed " * " or " 1. " (the numbers
 * padded to the widest, "* " and "1. " inside an item), their further lines indented to
 * the text. The fixture's own plaintext (tests/unit/html/fixtures/ghost-NN.plaintext) is what
 * the tests hold this to.
 */
#include "html/html_int.h"

#include <stdio.h>
#include <string.h>

#define PT_INDENT_MAX 64 /* list levels whose indent is written; deeper ones stay there */

struct pt {
    struct buf out;
    struct arena *tmp;
    size_t breaks;     /* line breaks owed before the next text */
    bool space;        /* a space owed before the next word */
    bool fresh;        /* a line was just begun by a new line in the text */
    size_t indent;     /* spaces at the start of a line in the current item */
    char prefix[24];   /* an item's marker, written before its first word */
    size_t list_depth; /* lists open */
    struct ptlist {
        bool ordered;
        int64_t next;
        size_t width; /* the widest marker */
        size_t indent_before;
    } lists[PT_INDENT_MAX];
};

static void pt_breaks(struct pt *p, size_t n)
{
    if (n > p->breaks)
        p->breaks = n;
    p->space = false;
}

static void spaces(struct pt *p, size_t n);

static void pt_newline(struct pt *p)
{
    buf_putc(&p->out, '\n');
    spaces(p, p->indent);
    p->space = false;
    p->fresh = true;
}

static void spaces(struct pt *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        buf_putc(&p->out, ' ');
}

/* Before a word: the owed breaks (none at the very start), the line's indent or the
 * item's marker, or a space. */
static void pt_begin(struct pt *p)
{
    bool newline = p->out.len && p->breaks;
    for (size_t i = 0; newline && i < p->breaks; i++)
        buf_putc(&p->out, '\n');
    if (newline || !p->out.len) {
        size_t m = strlen(p->prefix);
        spaces(p, p->indent > m ? p->indent - m : 0);
        buf_puts(&p->out, p->prefix);
        p->prefix[0] = '\0';
    } else if (p->space) {
        buf_putc(&p->out, ' ');
    }
    p->breaks = 0;
    p->space = false;
    p->fresh = false;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void pt_text(struct pt *p, struct str s)
{
    for (size_t i = 0; i < s.len;) {
        if (!is_ws(s.ptr[i])) {
            size_t j = i;
            while (j < s.len && !is_ws(s.ptr[j]))
                j++;
            pt_begin(p);
            buf_append(&p->out, s.ptr + i, j - i);
            i = j;
            continue;
        }
        /* preserveNewlines: a new line in the text stays one; other white space is a space */
        if (s.ptr[i] == '\n' && p->out.len && !p->breaks)
            pt_newline(p);
        else
            p->space = p->space || (p->out.len && !p->breaks && !p->fresh);
        i++;
    }
}

static void pt_pre(struct pt *p, struct str s)
{
    if (!s.len)
        return;
    pt_begin(p);
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == '\n')
            pt_newline(p);
        else if (s.ptr[i])
            buf_putc(&p->out, s.ptr[i]);
    }
}

struct ptc {
    struct pt *p;
    struct buf *b;
};

static bool pre_enter(void *ctx, const GumboNode *n)
{
    struct ptc *c = ctx;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        buf_puts(c->b, n->v.text.text);
        return false;
    }
    if (n->type != GUMBO_NODE_ELEMENT || html_is_dropped(n))
        return false;
    if (n->v.element.tag == GUMBO_TAG_BR)
        buf_putc(c->b, '\n');
    return true;
}

static void no_leave(void *ctx, const GumboNode *n)
{
    (void)ctx;
    (void)n;
}

static void pre(struct pt *p, const GumboNode *n)
{
    struct buf b;
    buf_init(&b, HTML_INPUT_MAX);
    struct ptc c = {p, &b};
    html_walk(n, p->tmp, pre_enter, no_leave, &c);
    pt_breaks(p, 2);
    pt_pre(p, buf_str(&b));
    pt_breaks(p, 2);
    buf_release(&b);
}

/* The breaks an element asks for before (and after: the same here) it; 0 for inline. */
static size_t block_breaks(GumboTag t, bool *lead3)
{
    *lead3 = t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3;
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
        return 2;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_FIELDSET:
        return 1;
    default:
        return 0;
    }
}

/* What html-to-text with Ghost's excerpt settings leaves out, with its content. */
static bool is_skipped(const GumboNode *n)
{
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_IMG || t == GUMBO_TAG_FIGCAPTION || t == GUMBO_TAG_HR ||
        html_is_dropped(n) || t == GUMBO_TAG_IFRAME)
        return true;
    if (t == GUMBO_TAG_A && str_eq_cstr(html_attr(n, "rel"), "footnote"))
        return true;
    return (t == GUMBO_TAG_DIV && html_has_class(n, "footnotes")) ||
           html_has_class(n, "kg-signup-card");
}

static size_t count_items(const GumboNode *n)
{
    size_t k = 0;
    const GumboVector *kids = html_children(n);
    for (unsigned i = 0; i < kids->length; i++) {
        const GumboNode *c = kids->data[i];
        k += c->type == GUMBO_NODE_ELEMENT && c->v.element.tag == GUMBO_TAG_LI;
    }
    return k;
}

static bool in_item(const GumboNode *n)
{
    const GumboNode *p = n->parent;
    return p && p->type == GUMBO_NODE_ELEMENT && p->v.element.tag == GUMBO_TAG_LI;
}

static void list_open(struct pt *p, const GumboNode *n)
{
    bool nested = in_item(n);
    pt_breaks(p, nested ? 1 : 2);
    struct ptlist l = {.ordered = n->v.element.tag == GUMBO_TAG_OL, .next = 1};
    struct str start = html_attr(n, "start");
    int64_t v;
    if (l.ordered && start.ptr && str_to_i64(str_trim(start), &v))
        l.next = v;
    char last[32];
    snprintf(last, sizeof(last), "%lld", (long long)(l.next + (int64_t)count_items(n) - 1));
    l.width = (l.ordered ? strlen(last) + 1 : 1) + 1 + (nested ? 0 : 1);
    l.indent_before = p->indent;
    if (p->list_depth < PT_INDENT_MAX)
        p->lists[p->list_depth] = l;
    p->list_depth++;
}

static void item_open(struct pt *p, const GumboNode *n)
{
    pt_breaks(p, 1);
    if (!p->list_depth || p->list_depth > PT_INDENT_MAX)
        return;
    struct ptlist *l = &p->lists[p->list_depth - 1];
    bool nested = in_item(n->parent);
    char m[24];
    if (l->ordered)
        snprintf(m, sizeof(m), "%s%lld. ", nested ? "" : " ", (long long)l->next++);
    else
        snprintf(m, sizeof(m), "%s* ", nested ? "" : " ");
    snprintf(p->prefix, sizeof(p->prefix), "%-*s", (int)l->width, m);
    p->indent = l->indent_before + strlen(p->prefix);
}

static bool pt_enter(void *ctx, const GumboNode *n)
{
    struct pt *p = ctx;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
        n->type == GUMBO_NODE_CDATA) {
        pt_text(p, str_from(n->v.text.text));
        return false;
    }
    if (n->type != GUMBO_NODE_ELEMENT || is_skipped(n))
        return false;
    GumboTag t = n->v.element.tag;
    bool lead3;
    size_t b = block_breaks(t, &lead3);
    if (t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING) {
        pre(p, n);
        return false;
    }
    if (t == GUMBO_TAG_BR) {
        pt_begin(p);
        pt_newline(p);
    } else if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL) {
        list_open(p, n);
    } else if (t == GUMBO_TAG_LI) {
        item_open(p, n);
    } else if (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) {
        p->space = p->space || p->out.len;
    } else if (b) {
        pt_breaks(p, lead3 ? 3 : b);
    }
    return true;
}

static void pt_leave(void *ctx, const GumboNode *n)
{
    struct pt *p = ctx;
    if (n->type != GUMBO_NODE_ELEMENT)
        return;
    GumboTag t = n->v.element.tag;
    bool lead3;
    size_t b = block_breaks(t, &lead3);
    if (t == GUMBO_TAG_UL || t == GUMBO_TAG_OL) {
        p->list_depth--;
        if (p->list_depth < PT_INDENT_MAX)
            p->indent = p->lists[p->list_depth].indent_before;
        pt_breaks(p, in_item(n) ? 1 : 2);
    } else if (t == GUMBO_TAG_LI) {
        p->prefix[0] = '\0';
        pt_breaks(p, 1);
    } else if (b) {
        pt_breaks(p, b);
    }
}

enum err_code html_to_plaintext(struct str html, struct arena *a, struct str *text, struct err *err)
{
    *text = STR_NULL;
    struct html_doc d;
    enum err_code rc = html_doc_parse(html, &d, err);
    if (rc) {
        html_doc_release(&d);
        return rc;
    }
    struct pt p = {.tmp = &d.mem};
    buf_init(&p.out, 2 * (size_t)HTML_INPUT_MAX);
    html_walk(d.root, &d.mem, pt_enter, pt_leave, &p);
    struct str s = buf_str(&p.out);
    while (s.len && is_ws(s.ptr[s.len - 1]))
        s.len--;
    *text = arena_str(a, s);
    buf_release(&p.out);
    html_doc_release(&d);
    return ERR_OK;
}
