/*
 * HTML to Markdown through the allowlist (html.h): a walk over gumbo's tree that sends
 * each element the allowlist knows to the Markdown writer (html_int.h) and unwraps or
 * drops the others.
 *
 * Attributes: only href, src, alt and title are read. Event handlers (on*) and style are
 * counted when dropped, because they are what a sanitiser is for; class, id, width,
 * loading and the other presentational attributes every Ghost or WordPress body carries
 * are dropped silently, or every import's report would list them for every post.
 */
#include "html/html_int.h"

#include <string.h>

enum kind {
    K_INLINE, /* unwrapped: its content stays, the element goes */
    K_BLOCK,
    K_HEADING,
    K_QUOTE,
    K_LIST,
    K_ITEM,
    K_PRE,
    K_CODE,
    K_STRONG,
    K_EM,
    K_DEL,
    K_LINK,
    K_IMG,
    K_FIGURE,
    K_IFRAME,
    K_BR,
    K_HR,
    K_TABLE,
    K_ROW,
    K_CELL,
    K_CELL_TEXT, /* a cell of a table written as text */
};

struct cframe {
    enum kind kind;
    bool ordered;
    char c;       /* a list's bullet or delimiter */
    int64_t next; /* an ordered list's next number */
    size_t index; /* a list's items so far; a table's rows */
};

#define TABLE_COLS_MAX 64
#define TABLE_CELLS_MAX 4096
#define FIGURE_IMAGES_MAX 16

struct conv {
    struct mdw w;
    const struct html_opts *o;
    struct html_report *rep;
    struct arena *a;
    struct arena *tmp;
    struct cframe *st;
    size_t depth, cap;
    size_t table_cols; /* the columns of the GFM table being written, else 0 */
    size_t row_cells;
};

static void report(struct conv *c, const char *what)
{
    if (c->rep)
        html_report_add(c->rep, what);
}

static struct cframe *push(struct conv *c, enum kind k)
{
    if (c->depth == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct cframe *st = arena_alloc(c->tmp, cap * sizeof(*st));
        if (c->depth)
            memcpy(st, c->st, c->depth * sizeof(*st));
        c->st = st;
        c->cap = cap;
    }
    c->st[c->depth] = (struct cframe){.kind = k};
    return &c->st[c->depth++];
}

/* Event handlers and style, the attributes worth telling about (see the top). */
static void count_attrs(struct conv *c, const GumboNode *n)
{
    if (!c->rep || n->type != GUMBO_NODE_ELEMENT)
        return;
    const GumboVector *at = &n->v.element.attributes;
    for (unsigned i = 0; i < at->length; i++) {
        const GumboAttribute *x = at->data[i];
        if ((x->name[0] == 'o' || x->name[0] == 'O') && (x->name[1] == 'n' || x->name[1] == 'N'))
            report(c, x->name);
        else if (strcmp(x->name, "style") == 0)
            report(c, "style attribute");
    }
}

static enum kind classify_block(GumboTag t)
{
    switch (t) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_CAPTION:
        return K_BLOCK;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
        return K_HEADING;
    case GUMBO_TAG_BLOCKQUOTE:
        return K_QUOTE;
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_DIR:
        return K_LIST;
    case GUMBO_TAG_LI:
        return K_ITEM;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
        return K_PRE;
    case GUMBO_TAG_FIGURE:
        return K_FIGURE;
    case GUMBO_TAG_HR:
        return K_HR;
    case GUMBO_TAG_TABLE:
        return K_TABLE;
    default:
        return K_INLINE;
    }
}

static enum kind classify(const struct conv *c, const GumboNode *n)
{
    switch (n->v.element.tag) {
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_SAMP:
        return K_CODE;
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_B:
        return K_STRONG;
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
        return K_EM;
    case GUMBO_TAG_S:
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_STRIKE:
        return K_DEL;
    case GUMBO_TAG_A:
        return K_LINK;
    case GUMBO_TAG_IMG:
        return K_IMG;
    case GUMBO_TAG_IFRAME:
        return K_IFRAME;
    case GUMBO_TAG_BR:
        return K_BR;
    case GUMBO_TAG_TR:
        return c->table_cols ? K_ROW : K_BLOCK;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
        return c->table_cols ? K_CELL : K_CELL_TEXT;
    default:
        return classify_block(n->v.element.tag);
    }
}

static bool is_text(const GumboNode *n)
{
    return n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
           n->type == GUMBO_NODE_CDATA;
}

/* ---- text of a subtree: code, captions -------------------------------------------- */

struct textc {
    struct conv *c;
    struct buf b;
};

static bool text_enter(void *ctx, const GumboNode *n)
{
    struct textc *t = ctx;
    if (is_text(n)) {
        buf_puts(&t->b, n->v.text.text);
        return false;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
        return false;
    if (html_is_dropped(n)) {
        report(t->c, html_tag_name(n));
        return false;
    }
    count_attrs(t->c, n);
    if (n->v.element.tag == GUMBO_TAG_BR)
        buf_putc(&t->b, '\n');
    return true;
}

static void text_leave(void *ctx, const GumboNode *n)
{
    (void)ctx;
    (void)n;
}

/* Everything the subtree says as text, white space as it is. Lives in c->a. */
static struct str text_of(struct conv *c, const GumboNode *n)
{
    struct textc t = {c, {0}};
    buf_init(&t.b, HTML_INPUT_MAX);
    html_walk(n, c->tmp, text_enter, text_leave, &t);
    struct str s = arena_str(c->a, buf_str(&t.b));
    buf_release(&t.b);
    return s;
}

/* ---- elements --------------------------------------------------------------------- */

/* "language-c" or "lang-c" in the class of a pre or of its code. */
static struct str code_lang(const GumboNode *n)
{
    for (int k = 0; k < 2 && n; k++) {
        struct str cls = html_attr(n, "class");
        for (size_t i = 0; i < cls.len;) {
            size_t j = i;
            while (j < cls.len && cls.ptr[j] != ' ')
                j++;
            struct str word = {cls.ptr + i, j - i};
            if (str_starts_with(word, "language-"))
                return (struct str){word.ptr + 9, word.len - 9};
            if (str_starts_with(word, "lang-"))
                return (struct str){word.ptr + 5, word.len - 5};
            i = j + 1;
        }
        const GumboVector *kids = html_children(n);
        n = kids && kids->length ? kids->data[0] : NULL;
        n = n && n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == GUMBO_TAG_CODE ? n : NULL;
    }
    return STR_NULL;
}

static void image(struct conv *c, const GumboNode *n, struct str title)
{
    struct str src = html_attr(n, "src");
    if (!src.ptr)
        return;
    struct str url = html_url_check(src, true, c->o, c->rep, c->a);
    if (!url.len)
        return;
    mdw_image(&c->w, html_attr(n, "alt"), url, title.ptr ? title : html_attr(n, "title"));
}

static bool link_open(struct conv *c, const GumboNode *n)
{
    struct str href = html_attr(n, "href");
    if (!href.ptr)
        return false;
    struct str url = html_url_check(href, false, c->o, c->rep, c->a);
    if (!url.len)
        return false;
    mdw_link_open(&c->w, url, html_attr(n, "title"));
    return true;
}

static void iframe(struct conv *c, const GumboNode *n)
{
    struct str link = html_player_link(html_attr(n, "src"), c->a);
    if (!link.len) {
        report(c, "iframe");
        return;
    }
    mdw_block_end(&c->w);
    mdw_raw(&c->w, arena_cat3(c->a, "<", link, ">"));
    mdw_block_end(&c->w);
}

/* The list an item belongs to: the nearest list frame, unless a quote or item is nearer. */
static struct cframe *item_list(struct conv *c)
{
    for (size_t i = c->depth; i-- > 0;) {
        enum kind k = c->st[i].kind;
        if (k == K_LIST)
            return &c->st[i];
        if (k == K_ITEM || k == K_QUOTE)
            return NULL;
    }
    return NULL;
}

static void list_open(struct conv *c, const GumboNode *n)
{
    mdw_block_end(&c->w);
    struct cframe *f = push(c, K_LIST);
    f->ordered = n->v.element.tag == GUMBO_TAG_OL;
    f->c = mdw_list_char(&c->w, f->ordered);
    f->next = 1;
    struct str start = html_attr(n, "start");
    int64_t v;
    if (f->ordered && start.ptr && str_to_i64(str_trim(start), &v))
        f->next = v;
}

static void item_open(struct conv *c)
{
    struct cframe *l = item_list(c);
    if (l)
        mdw_item_open(&c->w, l->ordered, l->next++, l->c, l->index++);
    else
        mdw_item_open(&c->w, false, 0, '-', 0);
    push(c, K_ITEM);
}

/* ---- figures ---------------------------------------------------------------------- */

struct figc {
    struct conv *c;
    const GumboNode *img[FIGURE_IMAGES_MAX];
    size_t nimg;
    const GumboNode *caption;
    bool other; /* text or a frame outside the caption: not a picture with a caption */
};

static bool fig_enter(void *ctx, const GumboNode *n)
{
    struct figc *f = ctx;
    if (is_text(n)) {
        f->other = f->other || n->type != GUMBO_NODE_WHITESPACE;
        return false;
    }
    if (n->type != GUMBO_NODE_ELEMENT)
        return false;
    GumboTag t = n->v.element.tag;
    if (t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_TABLE || html_is_dropped(n))
        f->other = true;
    if (t == GUMBO_TAG_IMG && f->nimg < FIGURE_IMAGES_MAX)
        f->img[f->nimg++] = n;
    else if (t == GUMBO_TAG_IMG)
        f->other = true;
    if (t == GUMBO_TAG_FIGCAPTION && !f->caption)
        f->caption = n;
    return t != GUMBO_TAG_FIGCAPTION && !html_is_dropped(n);
}

static struct str collapse(struct str s, struct arena *a)
{
    char *p = arena_alloc(a, s.len + 1);
    size_t n = 0;
    bool sp = false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.ptr[i];
        bool ws = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f';
        if (!ws && sp && n)
            p[n++] = ' ';
        sp = ws;
        if (!ws)
            p[n++] = ch;
    }
    p[n] = '\0';
    return (struct str){p, n};
}

/*
 * A figure of pictures (Ghost's image and gallery cards, WordPress's image block): each
 * picture a paragraph of its own, the caption the last one's title, which the renderer
 * makes a figure again. Anything else in a figure is walked as a block.
 */
static bool figure(struct conv *c, const GumboNode *n)
{
    struct figc f = {.c = c};
    html_walk(n, c->tmp, fig_enter, text_leave, &f);
    if (!f.nimg || f.other)
        return false;
    struct str caption = f.caption ? collapse(text_of(c, f.caption), c->a) : STR_NULL;
    for (size_t i = 0; i < f.nimg; i++) {
        const GumboNode *p = f.img[i]->parent;
        mdw_block_end(&c->w);
        count_attrs(c, f.img[i]);
        bool linked = p && p->type == GUMBO_NODE_ELEMENT && p->v.element.tag == GUMBO_TAG_A &&
                      link_open(c, p);
        image(c, f.img[i], i + 1 == f.nimg && caption.len ? caption : STR_NULL);
        if (linked)
            mdw_mark_close(&c->w);
        mdw_block_end(&c->w);
    }
    return true;
}

/* ---- tables ----------------------------------------------------------------------- */

struct tablec {
    const GumboNode *root;
    size_t cols, rows, cells, row_cells;
    bool complex;
};

static bool table_enter(void *ctx, const GumboNode *n)
{
    struct tablec *t = ctx;
    if (n->type != GUMBO_NODE_ELEMENT || t->complex)
        return false;
    GumboTag tag = n->v.element.tag;
    if (n != t->root && (tag == GUMBO_TAG_TABLE || tag == GUMBO_TAG_CAPTION ||
                         classify_block(tag) != K_INLINE || tag == GUMBO_TAG_IFRAME)) {
        t->complex = true;
        return false;
    }
    if (tag == GUMBO_TAG_TR) {
        t->rows++;
        t->row_cells = 0;
    } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
        struct str cs = html_attr(n, "colspan"), rs = html_attr(n, "rowspan");
        t->complex = (cs.ptr && !str_eq_cstr(str_trim(cs), "1")) ||
                     (rs.ptr && !str_eq_cstr(str_trim(rs), "1"));
        t->cells++;
        if (++t->row_cells > t->cols)
            t->cols = t->row_cells;
    }
    return !html_is_dropped(n);
}

/* The columns of a table GFM can write (cells of inline content, no spans), else 0. */
static size_t table_simple(struct conv *c, const GumboNode *n)
{
    struct tablec t = {.root = n};
    html_walk(n, c->tmp, table_enter, text_leave, &t);
    if (t.complex || !t.rows || !t.cols || t.cols > TABLE_COLS_MAX || t.cells > TABLE_CELLS_MAX)
        return 0;
    return t.cols;
}

static void row_leave(struct conv *c, struct cframe *table)
{
    for (; c->row_cells < c->table_cols; c->row_cells++)
        mdw_raw(&c->w, STR_LIT("  |"));
    if (table && table->index++ == 0) {
        mdw_line(&c->w);
        mdw_raw(&c->w, STR_LIT("|"));
        for (size_t i = 0; i < c->table_cols; i++)
            mdw_raw(&c->w, STR_LIT(" --- |"));
    }
}

static struct cframe *table_frame(struct conv *c)
{
    for (size_t i = c->depth; i-- > 0;) {
        if (c->st[i].kind == K_TABLE)
            return &c->st[i];
    }
    return NULL;
}

/* ---- the walk --------------------------------------------------------------------- */

/* Elements that are written whole here: false, their children are not walked. */
static bool enter_leaf(struct conv *c, const GumboNode *n, enum kind k)
{
    switch (k) {
    case K_PRE:
        mdw_code_block(&c->w, code_lang(n), text_of(c, n));
        break;
    case K_CODE:
        mdw_code_span(&c->w, text_of(c, n));
        break;
    case K_IMG:
        image(c, n, STR_NULL);
        break;
    case K_IFRAME:
        iframe(c, n);
        break;
    case K_BR:
        mdw_break(&c->w);
        break;
    case K_HR:
        mdw_rule(&c->w);
        break;
    default:
        break;
    }
    return false;
}

static void enter_container(struct conv *c, const GumboNode *n, enum kind k)
{
    static const char *const marks[][2] = {
        [K_STRONG] = {"**", "**"}, [K_EM] = {"*", "*"}, [K_DEL] = {"~~", "~~"}};
    switch (k) {
    case K_HEADING:
        mdw_heading_open(&c->w, n->v.element.tag - GUMBO_TAG_H1 + 1);
        break;
    case K_QUOTE:
        mdw_quote_open(&c->w);
        break;
    case K_STRONG:
    case K_EM:
    case K_DEL:
        mdw_mark_open(&c->w, marks[k][0], marks[k][1]);
        break;
    case K_BLOCK:
        mdw_block_end(&c->w);
        break;
    case K_CELL_TEXT:
        mdw_space(&c->w);
        break;
    case K_ROW:
        c->row_cells = 0;
        mdw_line(&c->w);
        mdw_raw(&c->w, STR_LIT("|"));
        break;
    case K_CELL:
        c->w.single = true;
        c->row_cells++;
        mdw_raw(&c->w, STR_LIT(" "));
        break;
    default:
        break;
    }
    push(c, k);
}

static bool enter_element(struct conv *c, const GumboNode *n)
{
    if (html_is_dropped(n)) {
        report(c, html_tag_name(n));
        return false;
    }
    count_attrs(c, n);
    enum kind k = n->type == GUMBO_NODE_TEMPLATE ? K_INLINE : classify(c, n);
    switch (k) {
    case K_PRE:
    case K_CODE:
    case K_IMG:
    case K_IFRAME:
    case K_BR:
    case K_HR:
        return enter_leaf(c, n, k);
    case K_LIST:
        list_open(c, n);
        return true;
    case K_ITEM:
        item_open(c);
        return true;
    case K_LINK:
        push(c, link_open(c, n) ? K_LINK : K_INLINE);
        return true;
    case K_FIGURE:
        if (figure(c, n))
            return false;
        k = K_BLOCK;
        break;
    case K_TABLE:
        c->table_cols = table_simple(c, n);
        k = c->table_cols ? K_TABLE : K_BLOCK;
        mdw_block_end(&c->w);
        break;
    default:
        break;
    }
    enter_container(c, n, k);
    return true;
}

static bool conv_enter(void *ctx, const GumboNode *n)
{
    struct conv *c = ctx;
    if (is_text(n)) {
        mdw_text(&c->w, str_from(n->v.text.text));
        return false;
    }
    if (n->type == GUMBO_NODE_DOCUMENT) {
        push(c, K_INLINE);
        return true;
    }
    if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
        return false; /* comments: Ghost's card markers among them */
    return enter_element(c, n);
}

static void conv_leave(void *ctx, const GumboNode *n)
{
    (void)n;
    struct conv *c = ctx;
    struct cframe f = c->st[--c->depth];
    switch (f.kind) {
    case K_BLOCK:
        mdw_block_end(&c->w);
        break;
    case K_HEADING:
        mdw_mark_close(&c->w);
        mdw_block_end(&c->w);
        break;
    case K_QUOTE:
    case K_ITEM:
        mdw_container_close(&c->w);
        break;
    case K_LIST:
        mdw_list_end(&c->w, f.c);
        break;
    case K_STRONG:
    case K_EM:
    case K_DEL:
    case K_LINK:
        mdw_mark_close(&c->w);
        break;
    case K_CELL_TEXT:
        mdw_space(&c->w);
        break;
    case K_CELL:
        mdw_raw(&c->w, STR_LIT(" |"));
        c->w.single = false;
        break;
    case K_ROW:
        row_leave(c, table_frame(c));
        break;
    case K_TABLE:
        c->table_cols = 0;
        mdw_block_end(&c->w);
        break;
    default:
        break;
    }
}

static enum err_code md_write(struct mdw *w, struct str html, const struct html_opts *o,
                              struct arena *a, struct html_report *rep, bool fast, struct err *err)
{
    struct html_doc d;
    enum err_code rc = fast ? html_doc_parse(html, &d, err) : html_doc_parse_gumbo(html, &d, err);
    if (rc) {
        html_doc_release(&d);
        return rc;
    }
    struct conv c = {.o = o, .rep = rep, .a = a, .tmp = &d.mem};
    c.w = *w;
    for (size_t i = 0; rep && i < d.bad_utf8; i++)
        html_report_add(rep, "invalid UTF-8");
    for (size_t i = 0; rep && i < d.cut_tags; i++)
        html_report_add(rep, "nesting too deep");
    mdw_block_end(&c.w);
    html_walk(d.root, &d.mem, conv_enter, conv_leave, &c);
    mdw_block_end(&c.w);
    *w = c.w;
    html_doc_release(&d);
    return ERR_OK;
}

enum err_code html_md_write(struct mdw *w, struct str html, const struct html_opts *o,
                            struct arena *a, struct html_report *rep, struct err *err)
{
    return md_write(w, html, o, a, rep, true, err);
}

static enum err_code to_markdown(struct str html, const struct html_opts *o, struct arena *a,
                                 struct str *md, struct html_report *rep, bool fast,
                                 struct err *err)
{
    *md = STR_NULL;
    struct mdw w;
    mdw_init(&w, rep);
    enum err_code rc = md_write(&w, html, o, a, rep, fast, err);
    if (!rc)
        rc = mdw_finish(&w, a, md, err);
    mdw_release(&w);
    return rc;
}

enum err_code html_to_markdown(struct str html, const struct html_opts *o, struct arena *a,
                               struct str *md, struct html_report *rep, struct err *err)
{
    return to_markdown(html, o, a, md, rep, true, err);
}

enum err_code html_to_markdown_gumbo(struct str html, struct arena *a, struct str *md,
                                     struct err *err)
{
    return to_markdown(html, NULL, a, md, NULL, false, err);
}
