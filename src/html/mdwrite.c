/*
 * The Markdown writer (html_int.h): containers, lazy blocks and marks, escaping.
 *
 * Escaping keeps text text under CommonMark and GFM: the characters that open inline
 * syntax anywhere (\ ` * _ [ ] < ~ |, and & before what could be an entity) are
 * backslash-escaped everywhere; those that open a block only at a line's start (# + - =
 * > and "1." / "1)") only there. Everything else is written as is, so the Markdown stays
 * readable: an editor opens these posts afterwards.
 */
#include "html/html_int.h"

#include <stdio.h>
#include <string.h>

static void put(struct mdw *w, const char *p, size_t n)
{
    if (w->rc || !n)
        return;
    w->rc = buf_append(&w->out, p, n);
}

static void puts_(struct mdw *w, const char *s)
{
    put(w, s, strlen(s));
}

void mdw_init(struct mdw *w, struct html_report *rep)
{
    memset(w, 0, sizeof(*w));
    buf_init(&w->out, MDW_OUT_MAX);
    w->rep = rep;
    w->list_end = SIZE_MAX;
}

void mdw_release(struct mdw *w)
{
    buf_release(&w->out);
}

/* The first container whose marker is still to be written, or depth. */
static size_t first_unmarked(const struct mdw *w)
{
    for (size_t i = 0; i < w->depth; i++) {
        if (!w->stack[i].quote && w->stack[i].first)
            return i;
    }
    return w->depth;
}

/* The prefixes of containers [0, upto): markers on their first line, else indents. */
static void prefix(struct mdw *w, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        struct mdw_container *c = &w->stack[i];
        if (c->quote) {
            puts_(w, "> ");
        } else if (c->first) {
            puts_(w, c->marker);
            c->first = false;
        } else {
            static const char spaces[] = "                ";
            put(w, spaces, strlen(c->marker));
        }
    }
}

static void blank_line(struct mdw *w, size_t upto)
{
    for (size_t i = 0; i < upto; i++) {
        if (w->stack[i].quote)
            puts_(w, ">");
        else if (!w->stack[i].first)
            puts_(w, "  ");
    }
    while (!w->rc && w->out.len && w->out.ptr[w->out.len - 1] == ' ')
        w->out.ptr[--w->out.len] = '\0';
    puts_(w, "\n");
}

static void begin_block(struct mdw *w)
{
    if (w->in_block)
        return;
    size_t f = first_unmarked(w);
    bool tight = f < w->depth && w->stack[f].tight;
    if (w->blank && w->out.len && !tight)
        blank_line(w, w->blank_depth < f ? w->blank_depth : f);
    prefix(w, w->depth);
    w->blank = false;
    w->in_block = true;
    w->line_start = true;
}

static void close_mark(struct mdw *w, struct mdw_mark *m);

void mdw_block_end(struct mdw *w)
{
    for (size_t i = w->nmarks; i-- > 0;) {
        if (w->marks[i].written)
            close_mark(w, &w->marks[i]);
        w->marks[i].written = false;
    }
    if (w->in_block) {
        puts_(w, "\n");
        w->in_block = false;
        w->blank = true;
        w->blank_depth = w->depth;
    }
    w->space = w->brk = false;
    w->single = false;
}

/* What inline content needs written before it: the block, a break, a space, marks. */
static void content_begin(struct mdw *w)
{
    begin_block(w);
    if (w->brk) {
        puts_(w, "\\\n");
        prefix(w, w->depth);
        w->line_start = true;
        w->brk = w->space = false;
    }
    if (w->space && !w->line_start)
        puts_(w, " ");
    w->space = false;
    for (size_t i = 0; i < w->nmarks; i++) {
        struct mdw_mark *m = &w->marks[i];
        if (m->written)
            continue;
        puts_(w, m->open);
        m->written = true;
        w->line_start = false;
        w->single = w->single || m->heading;
    }
}

static void push_container(struct mdw *w, const struct mdw_container *c)
{
    if (w->depth == MDW_DEPTH) {
        w->flattened++;
        if (w->rep)
            html_report_add(w->rep, "nesting too deep");
        return;
    }
    w->stack[w->depth++] = *c;
}

void mdw_quote_open(struct mdw *w)
{
    mdw_block_end(w);
    push_container(w, &(struct mdw_container){.quote = true});
}

void mdw_item_open(struct mdw *w, bool ordered, int64_t n, char delim, size_t index)
{
    mdw_block_end(w);
    struct mdw_container c = {.first = true};
    if (ordered) {
        /* CommonMark takes at most nine digits */
        if (n < 0 || n > 999999999)
            n = 1;
        snprintf(c.marker, sizeof(c.marker), "%lld%c ", (long long)n, delim);
    } else {
        snprintf(c.marker, sizeof(c.marker), "%c ", delim);
    }
    /*
     * No blank line between the items of a list (a tight list, as the HTML had), nor
     * before a list that starts inside an item after its text: a bullet list, or one
     * counting from 1, may interrupt a paragraph.
     */
    bool nested = w->depth && !w->stack[w->depth - 1].quote;
    c.tight = index > 0 || (nested && (!ordered || n == 1));
    push_container(w, &c);
}

void mdw_container_close(struct mdw *w)
{
    mdw_block_end(w);
    if (w->flattened) {
        w->flattened--;
        return;
    }
    if (w->depth)
        w->depth--;
    if (w->blank && w->blank_depth > w->depth)
        w->blank_depth = w->depth;
}

char mdw_list_char(const struct mdw *w, bool ordered)
{
    bool adjacent = w->list_end == w->out.len;
    if (ordered)
        return adjacent && w->list_char == '.' ? ')' : '.';
    return adjacent && w->list_char == '-' ? '*' : '-';
}

void mdw_list_end(struct mdw *w, char c)
{
    mdw_block_end(w);
    w->list_end = w->out.len;
    w->list_char = c;
}

static bool is_entity_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '#';
}

/* At a line's start: what would open a heading, a quote, a list, a rule or setext. */
static size_t escape_line_start(struct mdw *w, const char *p, size_t n)
{
    w->line_start = false;
    if (strchr("#+-=>", p[0])) {
        put(w, "\\", 1);
        return 0;
    }
    size_t d = 0;
    while (d < n && d < 10 && p[d] >= '0' && p[d] <= '9')
        d++;
    if (d && d < 10 && d < n && (p[d] == '.' || p[d] == ')')) {
        put(w, p, d);
        put(w, "\\", 1);
        return d;
    }
    return 0;
}

/* Bytes that may open inline syntax anywhere (1), '&' (2), NUL (3): a table, not strchr,
 * because this is the loop every byte of text goes through. */
static const unsigned char special[256] = {
    ['\\'] = 1, ['`'] = 1, ['*'] = 1, ['_'] = 1, ['['] = 1,  [']'] = 1,
    ['<'] = 1,  ['~'] = 1, ['|'] = 1, ['&'] = 2, ['\0'] = 3,
};

/* Writes (p, n), which holds no white space, escaped. */
static void escape_run(struct mdw *w, const char *p, size_t n)
{
    size_t i = w->line_start ? escape_line_start(w, p, n) : 0, from = i;
    for (; i < n; i++) {
        unsigned char k = special[(unsigned char)p[i]];
        if (!k)
            continue;
        char c = p[i];
        bool esc = k == 1 || (k == 2 && i + 1 < n && is_entity_start(p[i + 1]));
        if (!esc && c)
            continue;
        put(w, p + from, i - from);
        if (c)
            put(w, "\\", 1);
        from = c ? i : i + 1; /* a NUL byte is left out */
    }
    put(w, p + from, n - from);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void mdw_text(struct mdw *w, struct str s)
{
    size_t i = 0;
    while (i < s.len) {
        if (is_space(s.ptr[i])) {
            w->space = w->space || w->in_block;
            i++;
            continue;
        }
        size_t j = i;
        while (j < s.len && !is_space(s.ptr[j]))
            j++;
        content_begin(w);
        escape_run(w, s.ptr + i, j - i);
        i = j;
    }
}

void mdw_raw(struct mdw *w, struct str s)
{
    content_begin(w);
    put(w, s.ptr, s.len);
    w->line_start = false;
}

void mdw_space(struct mdw *w)
{
    w->space = w->space || w->in_block;
}

void mdw_break(struct mdw *w)
{
    if (w->single)
        mdw_space(w);
    else if (w->in_block)
        w->brk = true;
}

static void open_mark(struct mdw *w, const struct mdw_mark *m)
{
    if (w->nmarks == MDW_MARKS) {
        w->marks_over++;
        return;
    }
    w->marks[w->nmarks++] = *m;
}

void mdw_mark_open(struct mdw *w, const char *open, const char *close)
{
    open_mark(w, &(struct mdw_mark){.open = open, .close = close});
}

void mdw_heading_open(struct mdw *w, int level)
{
    static const char *const hashes[] = {"# ", "## ", "### ", "#### ", "##### ", "###### "};
    mdw_block_end(w);
    if (level < 1 || level > 6)
        level = 2;
    open_mark(w, &(struct mdw_mark){.open = hashes[level - 1], .close = "", .heading = true});
}

void mdw_link_open(struct mdw *w, struct str url, struct str title)
{
    open_mark(w, &(struct mdw_mark){.open = "[", .link = true, .url = url, .title = title});
}

/* A link destination: bytes that would end it or be decoded are escaped. */
static void write_dest(struct mdw *w, struct str u)
{
    for (size_t i = 0; i < u.len; i++) {
        unsigned char c = (unsigned char)u.ptr[i];
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') {
            char hex[4];
            snprintf(hex, sizeof(hex), "%%%02X", c);
            put(w, hex, 3);
        } else if (c == '(' || c == ')' || c == '\\' ||
                   (c == '&' && i + 1 < u.len && is_entity_start(u.ptr[i + 1]))) {
            put(w, "\\", 1);
            put(w, (const char *)&u.ptr[i], 1);
        } else {
            put(w, (const char *)&u.ptr[i], 1);
        }
    }
}

static void write_title(struct mdw *w, struct str t)
{
    t = str_trim(t);
    if (!t.len)
        return;
    puts_(w, " \"");
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        if (c == '"' || c == '\\' || (c == '&' && i + 1 < t.len && is_entity_start(t.ptr[i + 1])))
            put(w, "\\", 1);
        if (c == '\n' || c == '\r')
            c = ' ';
        if (c)
            put(w, &c, 1);
    }
    puts_(w, "\"");
}

static void close_mark(struct mdw *w, struct mdw_mark *m)
{
    if (!m->link) {
        puts_(w, m->close);
        return;
    }
    puts_(w, "](");
    write_dest(w, m->url);
    write_title(w, m->title);
    puts_(w, ")");
}

void mdw_mark_close(struct mdw *w)
{
    if (w->marks_over) {
        w->marks_over--;
        return;
    }
    if (!w->nmarks)
        return;
    struct mdw_mark *m = &w->marks[--w->nmarks];
    if (m->written)
        close_mark(w, m);
    if (m->heading)
        w->single = false;
}

void mdw_rule(struct mdw *w)
{
    mdw_block_end(w);
    begin_block(w);
    puts_(w, "---");
    mdw_block_end(w);
}

void mdw_line(struct mdw *w)
{
    if (!w->in_block) {
        begin_block(w);
        return;
    }
    puts_(w, "\n");
    prefix(w, w->depth);
    w->line_start = true;
    w->space = w->brk = false;
}

/* The longest run of c in s. */
static size_t longest_run(struct str s, char c)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < s.len; i++) {
        run = s.ptr[i] == c ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

static void write_fence(struct mdw *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(w, "`", 1);
}

/* Only a plain word is kept as the info string: it goes into a class attribute. */
static struct str clean_lang(struct str lang)
{
    for (size_t i = 0; i < lang.len; i++) {
        char c = lang.ptr[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  (c && strchr("_+#.-", c));
        if (!ok)
            return STR_NULL;
    }
    return lang.len <= 32 ? lang : STR_NULL;
}

void mdw_code_block(struct mdw *w, struct str lang, struct str code)
{
    mdw_block_end(w);
    size_t fence = longest_run(code, '`') + 1;
    fence = fence < 3 ? 3 : fence;
    begin_block(w);
    write_fence(w, fence);
    struct str l = clean_lang(lang);
    put(w, l.ptr, l.len);
    size_t i = 0;
    while (i < code.len) {
        const char *nl = memchr(code.ptr + i, '\n', code.len - i);
        size_t end = nl ? (size_t)(nl - code.ptr) : code.len;
        puts_(w, "\n");
        prefix(w, w->depth);
        for (size_t j = i; j < end; j++) {
            if (code.ptr[j] && code.ptr[j] != '\r')
                put(w, code.ptr + j, 1);
        }
        i = end + 1;
    }
    puts_(w, "\n");
    prefix(w, w->depth);
    write_fence(w, fence);
    mdw_block_end(w);
}

void mdw_code_span(struct mdw *w, struct str code)
{
    if (!str_trim(code).len) {
        if (code.len)
            mdw_space(w);
        return;
    }
    size_t fence = longest_run(code, '`') + 1;
    bool pad = code.ptr[0] == '`' || code.ptr[code.len - 1] == '`' ||
               (code.ptr[0] == ' ' && code.ptr[code.len - 1] == ' ');
    content_begin(w);
    write_fence(w, fence);
    if (pad)
        put(w, " ", 1);
    for (size_t i = 0; i < code.len; i++) {
        char c = code.ptr[i];
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (c == '|' && w->single)
            put(w, "\\", 1); /* GFM ends a table cell at any '|', even in code */
        if (c)
            put(w, &c, 1);
    }
    if (pad)
        put(w, " ", 1);
    write_fence(w, fence);
    w->line_start = false;
}

void mdw_image(struct mdw *w, struct str alt, struct str url, struct str title)
{
    content_begin(w);
    puts_(w, "![");
    w->line_start = false;
    for (size_t i = 0; i < alt.len;) {
        size_t j = i;
        while (j < alt.len && !is_space(alt.ptr[j]))
            j++;
        escape_run(w, alt.ptr + i, j - i);
        if (j < alt.len && j > i)
            put(w, " ", 1);
        i = j + (j < alt.len);
    }
    puts_(w, "](");
    write_dest(w, url);
    write_title(w, title);
    puts_(w, ")");
}

enum err_code mdw_finish(struct mdw *w, struct arena *a, struct str *md, struct err *err)
{
    mdw_block_end(w);
    if (w->rc)
        return err_set(err, w->rc, "the Markdown would be too large");
    struct str s = buf_str(&w->out);
    while (s.len && s.ptr[s.len - 1] == '\n')
        s.len--;
    *md = arena_str(a, s);
    return ERR_OK;
}
