/*
 * Markdown to HTML and plain text with cmark-gfm, the only file that includes its headers.
 *
 * One parse, then one walk over the tree that (1) removes raw HTML, (2) blanks dangerous
 * link and image URLs, (3) checks the nesting depth and (4) collects the plain text; then
 * a pass over the top-level paragraphs turns each that is a lone link to a post or video
 * of a known site into an embed card (embed.c); then a pass over the images writes those
 * the caller knows as photos of ours (photo.c); then cmark renders the cleaned tree.
 * cmark's safe mode would already replace raw HTML with "<!-- raw HTML omitted -->" and
 * blank javascript:, vbscript: and file: URLs, but it lets data:image/png, gif, jpeg and
 * webp through; we want no data: URLs at all, and no comments in the page.
 */
#include "content/content.h"
#include "content/content_int.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const md_extensions[] = {"table", "strikethrough", "autolink", "tagfilter"};

/*
 * cmark-gfm 0.29.0.gfm.6 is not thread-safe: each parse adds its extensions' trigger
 * characters ('~', 'w', ':') to a process-wide table of special characters before
 * inline parsing and removes them afterwards, so two threads parsing at once drop each
 * other's strikethrough and autolinks (the concurrent_first_use test caught it: 3 of 8
 * threads got plain text), and the first ensure_registered() fills the extension
 * registry without a lock. So every use of the library runs under this one lock.
 * Rendering happens when a post is saved, not when it is read, so serialising it costs
 * little; a per-parser table (upstream's later fix) would make the lock unnecessary.
 */
static pthread_mutex_t md_lock = PTHREAD_MUTEX_INITIALIZER;

static enum err_code md_parser_new(cmark_parser **out, struct err *err)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    for (size_t i = 0; i < ARRAY_LEN(md_extensions); i++) {
        cmark_syntax_extension *ext = cmark_find_syntax_extension(md_extensions[i]);
        if (!ext) {
            cmark_parser_free(p);
            return err_set(err, ERR_INTERNAL, "cmark-gfm has no '%s' extension", md_extensions[i]);
        }
        cmark_parser_attach_syntax_extension(p, ext);
    }
    *out = p;
    return ERR_OK;
}

/*
 * What a browser would take for the scheme: the URL parser drops leading C0 controls and
 * spaces, and tabs and newlines anywhere (WHATWG URL, "basic URL parser"). The URL here
 * is cmark's, with entities and backslash escapes already decoded, so "&#106;avascript:"
 * arrives as "javascript:".
 */
static bool url_is_dangerous(const char *url)
{
    static const char *const schemes[] = {"javascript:", "vbscript:", "file:", "data:"};
    char head[16];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)(url ? url : "");
    while (*p && *p <= 0x20)
        p++;
    for (; *p && n < sizeof(head); p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r')
            continue;
        head[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p);
        if (*p == ':')
            break;
    }
    for (size_t i = 0; i < ARRAY_LEN(schemes); i++) {
        size_t len = strlen(schemes[i]);
        if (n >= len && memcmp(head, schemes[i], len) == 0)
            return true;
    }
    return false;
}

static void blank_dangerous_url(cmark_node *node)
{
    if (url_is_dangerous(cmark_node_get_url(node)))
        cmark_node_set_url(node, "");
}

/*
 * The plain text, as Ghost makes it from a post's HTML (@tryghost/html-to-plaintext's
 * "excerpt" settings of html-to-text): blocks are separated by the larger of the line
 * breaks after the one and before the next (paragraphs, quotes, lists, code and tables
 * 2, so a blank line; headings h1-h3 3 before and 2 after, h4-h6 2; a code block's own
 * last newline is kept, so two blank lines follow it), list items begin " * " or " 1. "
 * and are a line apart (a blank line in a loose list, whose items hold paragraphs), their
 * further lines, blank ones too, indented as deep; newlines in the text (a soft break:
 * cmark writes one) and <br> are kept, images, rules and raw HTML are left out and links
 * keep only their text. Breaks before the first text and after the last are dropped. One
 * difference, in white space only: table cells are separated by html-to-text's 3 spaces
 * but not padded into columns.
 */
#define MD_INDENT_MAX 32 /* deeper lists are indented no further */

struct md_walk {
    struct buf *text;
    int depth;
    int in_image;   /* alt text is not part of the plain text */
    int pend;       /* line breaks owed before the next text */
    size_t indent;  /* of the lines of the list item the walk is in */
    size_t pend_at; /* the indent of the blank lines owed: of the item they are inside */
    char label[24]; /* a list item's " * " or " 12. ", owed at its first text; "" when none */
    int nitems;     /* list items the walk is in */
    int widths[CONTENT_MD_MAX_DEPTH + 1]; /* the labels' widths: each its list's widest */
};

static bool is_leaf(cmark_node_type t)
{
    /* the node types cmark's iterator visits once, without an exit event */
    switch (t) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE:
        return true;
    default:
        return false;
    }
}

static bool is_type(cmark_node *node, const char *name)
{
    /* extension node types get their numbers at registration; their names are stable */
    return strcmp(cmark_node_get_type_string(node), name) == 0;
}

static void put_spaces(struct buf *b, size_t n)
{
    for (size_t i = 0; i < n && i < MD_INDENT_MAX; i++)
        buf_putc(b, ' ');
}

/* Owes at least n line breaks before the next text (none at the very start). */
static void md_break(struct md_walk *w, int n)
{
    if (w->pend == 0)
        w->pend_at = w->indent;
    if (n > w->pend)
        w->pend = n;
}

/* Writes what is owed before text: the line breaks, then the indent or the item's label. */
static enum err_code md_flush(struct md_walk *w)
{
    struct buf *b = w->text;
    if (w->pend && b->len) {
        while (b->len && b->ptr[b->len - 1] == ' ')
            b->len--;
        for (int i = 0; i < w->pend; i++) {
            buf_putc(b, '\n');
            if (i + 1 < w->pend)
                put_spaces(b, w->pend_at);
        }
        if (!w->label[0])
            put_spaces(b, w->indent);
    }
    w->pend = 0;
    if (w->label[0]) {
        size_t width = (size_t)w->widths[w->nitems - 1];
        put_spaces(b, w->indent - width);
        buf_printf(b, "%-*s", (int)width, w->label);
        w->label[0] = '\0';
    }
    return b->len >= b->max ? ERR_TOOBIG : ERR_OK;
}

/* Text as it is, a newline in it starting an indented line. */
static enum err_code md_text(struct md_walk *w, const char *lit, bool keep_lines)
{
    if (w->in_image || !lit || !*lit)
        return ERR_OK;
    enum err_code rc = md_flush(w);
    for (const char *p = lit; *p && !rc; p++) {
        if (*p == '\n' && keep_lines) {
            buf_putc(w->text, '\n');
            put_spaces(w->text, w->indent);
        } else {
            rc = buf_putc(w->text, *p == '\n' ? ' ' : *p);
        }
    }
    return rc;
}

/* Inline text; the space before a skipped image and the one after it would meet. */
static enum err_code text_literal(struct md_walk *w, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);
    struct buf *b = w->text;
    bool at_space = w->pend || !b->len || b->ptr[b->len - 1] == ' ' || b->ptr[b->len - 1] == '\n';
    while (lit && at_space && *lit == ' ')
        lit++;
    return md_text(w, lit, false);
}

/* The breaks before or after a block: html-to-text's leading and trailing line breaks. */
static int block_breaks(cmark_node *node, cmark_node_type t, bool before)
{
    if (t == CMARK_NODE_HEADING)
        return before && cmark_node_get_heading_level(node) <= 3 ? 3 : 2;
    if (t == CMARK_NODE_LIST)
        return cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_ITEM ? 1 : 2;
    if (t == CMARK_NODE_PARAGRAPH) /* a tight list's items hold no <p> */
        return cmark_node_get_type(cmark_node_parent(node)) == CMARK_NODE_ITEM &&
                       cmark_node_get_list_tight(cmark_node_parent(cmark_node_parent(node)))
                   ? 0
                   : 2;
    if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_CODE_BLOCK || is_type(node, "table"))
        return 2;
    if (is_type(node, "table_row") || is_type(node, "table_header"))
        return 1;
    return 0;
}

/* An item's label: " * ", or " 3. " padded to the list's widest, " 10. ". */
static void item_enter(struct md_walk *w, cmark_node *item)
{
    cmark_node *list = cmark_node_parent(item);
    int width = 3;
    snprintf(w->label, sizeof(w->label), " * ");
    if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
        /* cmark caps a list's start at 9 digits, so these fit */
        int start = cmark_node_get_list_start(list), n = 0, at = 0;
        for (cmark_node *c = cmark_node_first_child(list); c; c = cmark_node_next(c), n++)
            if (c == item)
                at = n;
        char last[24];
        width = snprintf(last, sizeof(last), " %d. ", start + n - 1);
        snprintf(w->label, sizeof(w->label), " %d. ", start + at);
    }
    md_break(w, 1);
    /* the walk's depth check (CONTENT_MD_MAX_DEPTH) bounds nitems */
    w->widths[w->nitems++] = width;
    w->indent += (size_t)width;
}

static enum err_code md_enter(struct md_walk *w, cmark_node *node, cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        return text_literal(w, node);
    case CMARK_NODE_SOFTBREAK: /* cmark writes a newline, and html-to-text keeps it */
    case CMARK_NODE_LINEBREAK:
        if (!w->in_image)
            md_break(w, 1);
        return ERR_OK;
    case CMARK_NODE_CODE_BLOCK: {
        md_break(w, 2);
        /* its last newline stays, as html-to-text keeps a <pre>'s: a line more after it */
        enum err_code rc = md_text(w, cmark_node_get_literal(node), true);
        md_break(w, 2);
        return rc;
    }
    case CMARK_NODE_THEMATIC_BREAK:
        return ERR_OK;
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_HTML_INLINE:
        /* safe: the iterator has already stepped past this leaf */
        cmark_node_free(node);
        return ERR_OK;
    case CMARK_NODE_IMAGE:
        w->in_image++;
        blank_dangerous_url(node);
        return ERR_OK;
    case CMARK_NODE_LINK:
        blank_dangerous_url(node);
        return ERR_OK;
    case CMARK_NODE_ITEM:
        item_enter(w, node);
        return ERR_OK;
    default:
        if (is_type(node, "table_cell") && cmark_node_previous(node))
            return md_text(w, "   ", false);
        md_break(w, block_breaks(node, t, true));
        return ERR_OK;
    }
}

static enum err_code md_exit(struct md_walk *w, cmark_node *node, cmark_node_type t)
{
    if (t == CMARK_NODE_IMAGE) {
        w->in_image--;
        return ERR_OK;
    }
    if (t == CMARK_NODE_PARAGRAPH && !cmark_node_first_child(node)) {
        /* it held only raw HTML; freeing after its exit event is safe for the iterator */
        cmark_node_free(node);
        return ERR_OK;
    }
    if (t == CMARK_NODE_ITEM) { /* breaks owed past its end are its list's, not indented */
        w->label[0] = '\0';     /* an empty item shows nothing */
        w->indent -= (size_t)w->widths[--w->nitems];
        w->pend_at = w->indent;
        md_break(w, 1);
        return ERR_OK;
    }
    md_break(w, block_breaks(node, t, false));
    return ERR_OK;
}

/* One pass over the tree; see the comment at the top of the file. */
static enum err_code md_walk(cmark_node *doc, struct buf *text, struct err *err)
{
    struct md_walk w = {.text = text};
    enum err_code rc = ERR_OK;
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_ENTER && !is_leaf(t) && ++w.depth > CONTENT_MD_MAX_DEPTH) {
            rc = err_set(err, ERR_TOOBIG, "markdown nests more than %d levels deep",
                         CONTENT_MD_MAX_DEPTH);
            break;
        }
        if (ev == CMARK_EVENT_EXIT)
            w.depth--;
        rc = ev == CMARK_EVENT_ENTER ? md_enter(&w, node, t) : md_exit(&w, node, t);
        if (rc) {
            rc = err_set(err, rc, "markdown plain text is too large");
            break;
        }
    }
    cmark_iter_free(it);
    if (rc)
        return rc;
    while (text->len && (text->ptr[text->len - 1] == '\n' || text->ptr[text->len - 1] == ' '))
        text->len--;
    return ERR_OK;
}

static enum err_code md_check_input(struct str md, struct err *err)
{
    if (md.len > CONTENT_MARKDOWN_MAX)
        return err_set(err, ERR_TOOBIG, "markdown is larger than %d bytes", CONTENT_MARKDOWN_MAX);
    size_t bad = utf8_invalid_at(md.ptr, md.len);
    if (bad < md.len)
        return err_set(err, ERR_INVALID, "markdown is not valid UTF-8 (byte %zu)", bad);
    return content_md_guard(md, err);
}

static bool is_blank(const char *s)
{
    return !s || !s[strspn(s, " \t")];
}

/*
 * The link when a paragraph holds one link and nothing else. cmark's autolink extension
 * leaves an empty text node before the link it makes, so blank text does not count.
 */
static cmark_node *lone_link(cmark_node *para)
{
    cmark_node *link = NULL;
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_TEXT && is_blank(cmark_node_get_literal(c)))
            continue;
        if (t != CMARK_NODE_LINK || link)
            return NULL;
        link = c;
    }
    return link;
}

/*
 * The link's text, as the plain text has it. False when the link holds an image: a
 * picture that links somewhere is the writer's design, not a bare link to replace.
 */
static bool link_text(cmark_node *link, struct buf *b, enum err_code *rc)
{
    cmark_iter *it = cmark_iter_new(link);
    cmark_event_type ev;
    bool ok = true;
    while (ok && !*rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_IMAGE)
            ok = false;
        else if ((t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) && cmark_node_get_literal(node))
            *rc = buf_puts(b, cmark_node_get_literal(node));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            *rc = buf_putc(b, ' ');
    }
    cmark_iter_free(it);
    return ok;
}

/* Replaces para with an embed card when it is one; see embed.c. */
static enum err_code md_embed(cmark_node *para, struct arena *a)
{
    cmark_node *link = lone_link(para);
    struct content_embed e;
    if (!link || !content_embed_parse(str_from(cmark_node_get_url(link)), a, &e))
        return ERR_OK;
    struct buf text, card;
    /* the text is at most the whole input; escaped, 6 bytes a byte at worst */
    buf_init(&text, CONTENT_MARKDOWN_MAX * 3);
    buf_init(&card, CONTENT_MARKDOWN_MAX * 3 * 6 + 8 * CONTENT_EMBED_URL_MAX + 4096);
    enum err_code rc = ERR_OK;
    if (!link_text(link, &text, &rc) || rc)
        goto out;
    struct str url = str_from(cmark_node_get_url(link));
    rc = content_embed_card(&e, url, str_trim(buf_str(&text)), &card);
    if (rc)
        goto out;
    /* a custom block's text is written out as it is, in safe mode too: it is ours */
    cmark_node *block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
    cmark_node_set_on_enter(block, card.ptr);
    cmark_node_insert_before(para, block);
    cmark_node_free(para);
out:
    buf_release(&card);
    buf_release(&text);
    return rc;
}

/*
 * Only a paragraph directly in the document counts: a link in a list item, a quote or a
 * table cell is part of what the writer built there, and stays a link.
 */
static enum err_code md_embeds(cmark_node *doc, struct arena *a, struct err *err)
{
    cmark_node *next;
    for (cmark_node *n = cmark_node_first_child(doc); n; n = next) {
        next = cmark_node_next(n);
        if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
            continue;
        enum err_code rc = md_embed(n, a);
        if (rc)
            return err_set(err, rc, "embed card is too large");
    }
    return ERR_OK;
}

/* ---- photos of our own library --------------------------------------------------- */

/* The image's alt text, as cmark writes it into alt="": the text of its children. */
static enum err_code image_alt(cmark_node *img, struct buf *b)
{
    enum err_code rc = ERR_OK;
    cmark_iter *it = cmark_iter_new(img);
    cmark_event_type ev;
    while (!rc && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if ((t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) && cmark_node_get_literal(node))
            rc = buf_puts(b, cmark_node_get_literal(node));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK)
            rc = buf_putc(b, ' ');
    }
    cmark_iter_free(it);
    return rc;
}

/* True when img is all its paragraph holds, and that paragraph is the document's. */
static bool image_alone(cmark_node *img)
{
    cmark_node *para = cmark_node_parent(img);
    if (!para || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
        cmark_node_get_type(cmark_node_parent(para)) != CMARK_NODE_DOCUMENT)
        return false;
    for (cmark_node *c = cmark_node_first_child(para); c; c = cmark_node_next(c)) {
        if (c != img &&
            !(cmark_node_get_type(c) == CMARK_NODE_TEXT && is_blank(cmark_node_get_literal(c))))
            return false;
    }
    return true;
}

/*
 * Replaces img, a photo of ours, with its markup: the whole paragraph becomes a figure
 * when the image is alone in it, else the image alone becomes a custom inline node.
 * A custom node's text is written out as it is, in safe mode too: it is ours, escaped.
 */
static enum err_code md_photo(cmark_node *img, const struct content_photo *ph, unsigned flags,
                              struct arena *a)
{
    struct buf alt, html;
    buf_init(&alt, CONTENT_MARKDOWN_MAX * 3);
    buf_init(&html, CONTENT_MARKDOWN_MAX * 3 * 6 + 64 * 1024);
    enum err_code rc = image_alt(img, &alt);
    struct str title = str_from(cmark_node_get_title(img));
    if (!rc)
        rc = content_photo_html(ph, str_trim(buf_str(&alt)), title, flags, &html);
    if (rc)
        goto out;
    char *text = arena_strndup(a, html.ptr, html.len);
    bool block = flags & CONTENT_PHOTO_FIGURE;
    cmark_node *node = cmark_node_new(block ? CMARK_NODE_CUSTOM_BLOCK : CMARK_NODE_CUSTOM_INLINE);
    cmark_node_set_on_enter(node, text);
    cmark_node *old = block ? cmark_node_parent(img) : img;
    cmark_node_insert_before(old, node);
    cmark_node_free(old);
out:
    buf_release(&html);
    buf_release(&alt);
    return rc;
}

/*
 * Every image node, in reading order; collected first, as replacing them moves the tree.
 * An image in another image's alt text is only text there, and goes with its parent.
 */
static cmark_node **images_of(cmark_node *doc, struct arena *a, size_t *n)
{
    size_t count = 0, cap = 16;
    int inside = 0;
    cmark_node **v = arena_calloc(a, cap, sizeof(*v));
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (cmark_node_get_type(node) != CMARK_NODE_IMAGE)
            continue;
        inside += ev == CMARK_EVENT_ENTER ? 1 : -1;
        if (ev != CMARK_EVENT_ENTER || inside > 1)
            continue;
        if (count == cap) {
            cmark_node **w = arena_calloc(a, cap * 2, sizeof(*w));
            memcpy(w, v, cap * sizeof(*v));
            v = w;
            cap *= 2;
        }
        v[count++] = node;
    }
    cmark_iter_free(it);
    *n = count;
    return v;
}

static enum err_code md_photos(cmark_node *doc, const struct content_photos *photos,
                               struct arena *a, struct err *err)
{
    if (!photos || !photos->find)
        return ERR_OK;
    size_t n;
    cmark_node **imgs = images_of(doc, a, &n);
    bool lead = photos->first_is_lead;
    for (size_t i = 0; i < n; i++) {
        const char *url = cmark_node_get_url(imgs[i]);
        struct content_photo ph;
        if (!url || !*url || !photos->find(photos->ctx, str_from(url), a, &ph))
            continue;
        unsigned flags =
            (image_alone(imgs[i]) ? CONTENT_PHOTO_FIGURE : 0) | (lead ? CONTENT_PHOTO_LEAD : 0);
        lead = false;
        enum err_code rc = md_photo(imgs[i], &ph, flags, a);
        if (rc)
            return err_set(err, rc, "photo markup is too large");
    }
    return ERR_OK;
}

/*
 * Images in a story are below its headline: the browser loads them as the reader
 * scrolls, and decodes them off the main thread. Safe mode drops raw HTML, so every
 * `<img src="` in cmark's output is an image cmark wrote. (Their sizes are unknown:
 * Markdown carries none; the theme keeps them within the column.) Photos of our own
 * library have their sizes and loading already (md_photos).
 */
static struct str lazy_images(struct str h, struct arena *a)
{
    static const char attrs[] = "<img loading=\"lazy\" decoding=\"async\" src=\"";
    static const char tag[] = "<img src=\""; /* cmark's; a photo's <img> starts otherwise */
    const size_t tlen = sizeof(tag) - 1;
    size_t n = 0;
    for (const char *p = h.ptr; (p = memmem(p, h.len - (size_t)(p - h.ptr), tag, tlen)); p += tlen)
        n++;
    char *out = arena_alloc(a, h.len + n * (sizeof(attrs) - 1 - tlen) + 1);
    size_t k = 0;
    const char *p = h.ptr, *end = h.ptr + h.len;
    for (const char *img; (img = memmem(p, (size_t)(end - p), tag, tlen)); p = img + tlen) {
        memcpy(out + k, p, (size_t)(img - p));
        k += (size_t)(img - p);
        memcpy(out + k, attrs, sizeof(attrs) - 1);
        k += sizeof(attrs) - 1;
    }
    memcpy(out + k, p, (size_t)(end - p));
    k += (size_t)(end - p);
    out[k] = '\0';
    return (struct str){out, k};
}

/* Everything that touches cmark; called with md_lock held. */
static enum err_code md_render_locked(struct str md, const struct content_photos *photos,
                                      struct arena *a, struct str *html, struct str *plaintext,
                                      struct err *err)
{
    cmark_parser *p = NULL;
    enum err_code rc = md_parser_new(&p, err);
    if (rc)
        return rc;
    cmark_parser_feed(p, md.ptr, md.len);
    cmark_node *doc = cmark_parser_finish(p);
    /*
     * Text is at most 3 bytes per input byte (a NUL becomes U+FFFD) plus one separator
     * per block and per table cell; the cap is never reached by input the guard let by.
     */
    struct buf text;
    buf_init(&text, 40 * md.len + 4 * CONTENT_MD_MAX_TABLE_CELLS + 4096);
    rc = md_walk(doc, &text, err);
    if (!rc)
        rc = md_embeds(doc, a, err);
    if (!rc)
        rc = md_photos(doc, photos, a, err);
    if (rc)
        goto out;
    char *h = cmark_render_html(doc, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
    *html = lazy_images(str_from(h), a);
    free(h);
    struct str t = buf_str(&text);
    *plaintext = (struct str){arena_strndup(a, t.ptr, t.len), t.len};
out:
    buf_release(&text);
    cmark_node_free(doc);
    cmark_parser_free(p);
    return rc;
}

enum err_code content_markdown_render(struct str md, const struct content_photos *photos,
                                      struct arena *a, struct str *html, struct str *plaintext,
                                      struct err *err)
{
    if (!md.ptr)
        md = STR_LIT("");
    enum err_code rc = md_check_input(md, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&md_lock);
    rc = md_render_locked(md, photos, a, html, plaintext, err);
    pthread_mutex_unlock(&md_lock);
    return rc;
}
