/*
 * Parsing with gumbo and walking its tree.
 *
 * gumbo allocates every node, string and vector with its allocator hook; ours hands out
 * memory from one arena and frees nothing, so a parse costs a few mallocs of 16 KiB
 * instead of thousands of small ones, and the tree goes in one arena_release (gumbo's own
 * gumbo_destroy_output also recurses over the tree, which a deep one would overflow).
 * Growing vectors and buffers leave their old copies in the arena: at most about as much
 * again as the tree, freed with it.
 */
#include "html/html_int.h"

#include <string.h>

static void *arena_hook(void *ud, size_t size)
{
    return arena_alloc(ud, size);
}

static void free_hook(void *ud, void *p)
{
    (void)ud;
    (void)p;
}

static size_t count_bad_utf8(struct str s)
{
    if (utf8_valid(s.ptr, s.len))
        return 0;
    size_t bad = 0;
    for (size_t i = 0; i < s.len;) {
        uint32_t cp;
        size_t n = utf8_decode(s.ptr + i, s.len - i, &cp);
        bad += n == 0;
        i += n ? n : 1;
    }
    return bad;
}

static enum err_code doc_parse(struct str html, struct html_doc *d, bool fast, struct err *err)
{
    memset(d, 0, sizeof(*d));
    arena_init(&d->mem);
    if (html.len > HTML_INPUT_MAX)
        return err_set(err, ERR_TOOBIG, "the HTML is larger than %d bytes", HTML_INPUT_MAX);
    d->bad_utf8 = count_bad_utf8(html);
    if (fast && !d->bad_utf8) {
        d->root = html_fast_parse(html, &d->mem);
        if (d->root)
            return ERR_OK;
    }
    html = html_nest_guard(html, &d->mem, &d->cut_tags);
    GumboOptions opt = kGumboDefaultOptions;
    opt.allocator = arena_hook;
    opt.deallocator = free_hook;
    opt.userdata = &d->mem;
    opt.max_errors = 0; /* parse errors are not reported: recording them costs time */
    opt.fragment_context = GUMBO_TAG_BODY;
    opt.fragment_namespace = GUMBO_NAMESPACE_HTML;
    d->out = gumbo_parse_with_options(&opt, html.ptr ? html.ptr : "", html.len);
    d->root = d->out->root;
    return ERR_OK;
}

enum err_code html_doc_parse(struct str html, struct html_doc *d, struct err *err)
{
    return doc_parse(html, d, true, err);
}

enum err_code html_doc_parse_gumbo(struct str html, struct html_doc *d, struct err *err)
{
    return doc_parse(html, d, false, err);
}

void html_doc_release(struct html_doc *d)
{
    arena_release(&d->mem);
    d->out = NULL;
    d->root = NULL;
}

const GumboVector *html_children(const GumboNode *n)
{
    switch (n->type) {
    case GUMBO_NODE_DOCUMENT:
        return &n->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
        return &n->v.element.children;
    default:
        return NULL;
    }
}

struct frame {
    const GumboNode *n;
    unsigned next;
};

void html_walk(const GumboNode *root, struct arena *tmp, html_enter_fn enter, html_leave_fn leave,
               void *ctx)
{
    size_t cap = 64, depth = 0;
    struct frame *st = arena_alloc(tmp, cap * sizeof(*st));
    if (!enter(ctx, root) || !html_children(root))
        return;
    st[depth++] = (struct frame){root, 0};
    while (depth) {
        struct frame *f = &st[depth - 1];
        const GumboVector *kids = html_children(f->n);
        if (f->next >= kids->length) {
            depth--;
            leave(ctx, f->n);
            continue;
        }
        const GumboNode *c = kids->data[f->next++];
        if (!enter(ctx, c) || !html_children(c))
            continue;
        if (depth == cap) {
            struct frame *bigger = arena_alloc(tmp, 2 * cap * sizeof(*st));
            memcpy(bigger, st, cap * sizeof(*st));
            st = bigger;
            cap *= 2;
        }
        st[depth++] = (struct frame){c, 0};
    }
}

struct str html_attr(const GumboNode *n, const char *name)
{
    if (n->type != GUMBO_NODE_ELEMENT)
        return STR_NULL;
    const GumboAttribute *at = gumbo_get_attribute(&n->v.element.attributes, name);
    return at ? str_from(at->value) : STR_NULL;
}

bool html_has_class(const GumboNode *n, const char *name)
{
    struct str cls = html_attr(n, "class");
    size_t len = strlen(name);
    for (size_t i = 0; i < cls.len;) {
        size_t j = i;
        while (j < cls.len && cls.ptr[j] != ' ' && cls.ptr[j] != '\t' && cls.ptr[j] != '\n')
            j++;
        if (j - i == len && memcmp(cls.ptr + i, name, len) == 0)
            return true;
        i = j + 1;
    }
    return false;
}

bool html_is_dropped(const GumboNode *n)
{
    if (n->type == GUMBO_NODE_TEMPLATE)
        return true;
    if (n->type != GUMBO_NODE_ELEMENT)
        return false;
    if (n->v.element.tag_namespace != GUMBO_NAMESPACE_HTML)
        return true; /* svg, math and everything inside */
    switch (n->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_OUTPUT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_MAP:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_MENUITEM:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
        return true;
    default:
        return false;
    }
}

const char *html_tag_name(const GumboNode *n)
{
    if (n->type == GUMBO_NODE_TEMPLATE)
        return "template";
    if (n->v.element.tag_namespace == GUMBO_NAMESPACE_SVG)
        return "svg";
    if (n->v.element.tag_namespace == GUMBO_NAMESPACE_MATHML)
        return "math";
    return gumbo_normalized_tagname(n->v.element.tag);
}
