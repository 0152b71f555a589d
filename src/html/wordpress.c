/*
 * WordPress's post_content made into the HTML WordPress would serve (html.h), in three
 * passes over the bytes:
 *
 * 1. block-editor comments (<!-- wp:name {...} --> and <!-- /wp:name -->) go;
 * 2. shortcodes: [caption]<img> text[/caption] becomes a figure with its caption;
 *    [embed]URL[/embed] a paragraph with the link (which the renderer makes an embed
 *    card); every other one loses its tags, keeps what it enclosed, and is counted as
 *    "[name]". A bracket is a shortcode only when it looks like one WordPress would have
 *    registered: [name], [name attrs] or [name /] with name of [A-Za-z0-9_-] starting with
 *    a letter, and either a name WordPress or a common plugin registers, attributes, or a
 *    matching [/name] further on. So "[1]", "[sic]" and "[Editor's note]" stay text.
 *    [[name]] is WordPress's escape for a literal [name];
 * 3. wpautop, for content from the classic editor (WordPress skips it for block content,
 *    and so do we): text separated by a blank line becomes paragraphs, a single new line
 *    a <br />, and block-level elements get no <p> around them; <pre>, <script> and
 *    <style> are left as they are. As in wp-includes/formatting.php, text right after an
 *    opening block tag (<li>Item, <td>Cell) is not wrapped, except in a <blockquote>.
 */
#include "html/html_int.h"

#include <string.h>
#include <strings.h>

#define WP_OPEN_MAX 32 /* shortcodes open at once that are tracked for their closing tag */

/* ---- 1. block comments ------------------------------------------------------------ */

static void strip_block_comments(struct str in, struct buf *out)
{
    size_t from = 0;
    for (size_t i = 0; i + 4 <= in.len;) {
        const char *c = memmem(in.ptr + i, in.len - i, "<!--", 4);
        if (!c)
            break;
        i = (size_t)(c - in.ptr);
        size_t j = i + 4;
        while (j < in.len && (in.ptr[j] == ' ' || in.ptr[j] == '\n' || in.ptr[j] == '\t'))
            j++;
        bool block = (j + 3 <= in.len && memcmp(in.ptr + j, "wp:", 3) == 0) ||
                     (j + 4 <= in.len && memcmp(in.ptr + j, "/wp:", 4) == 0);
        const char *e = memmem(in.ptr + i + 4, in.len - i - 4, "-->", 3);
        size_t end = e ? (size_t)(e - in.ptr) + 3 : in.len;
        if (block) {
            buf_append(out, in.ptr + from, i - from);
            from = end;
        }
        i = end;
    }
    buf_append(out, in.ptr + from, in.len - from);
}

/* ---- 2. shortcodes ---------------------------------------------------------------- */

struct sc {
    struct str name;
    struct str attrs; /* between the name and ']' */
    size_t end;       /* just past ']' */
    bool closing;     /* [/name] */
};

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* A shortcode-shaped tag at in[i] == '[': [name...], [/name]. */
static bool sc_parse(struct str in, size_t i, struct sc *t)
{
    size_t j = i + 1;
    t->closing = j < in.len && in.ptr[j] == '/';
    j += t->closing;
    if (j >= in.len || !((in.ptr[j] | 0x20) >= 'a' && (in.ptr[j] | 0x20) <= 'z'))
        return false;
    size_t s = j;
    while (j < in.len && name_char(in.ptr[j]))
        j++;
    if (j >= in.len || (in.ptr[j] != ']' && in.ptr[j] != ' ' && in.ptr[j] != '/' &&
                        in.ptr[j] != '\t' && in.ptr[j] != '\n'))
        return false;
    t->name = (struct str){in.ptr + s, j - s};
    const char *close = memchr(in.ptr + j, ']', in.len - j);
    const char *open = memchr(in.ptr + j, '[', in.len - j);
    if (!close || (open && open < close))
        return false;
    t->attrs = str_trim((struct str){in.ptr + j, (size_t)(close - in.ptr) - j});
    t->end = (size_t)(close - in.ptr) + 1;
    return !t->closing || !t->attrs.len;
}

static bool sc_known(struct str name)
{
    static const char *const known[] = {
        "caption",      "wp_caption", "gallery",        "embed",        "audio",
        "video",        "playlist",   "contact-form-7", "contact-form", "gravityform",
        "gravityforms", "ninja_form", "wpforms",        "button",       "su_button",
        "column",       "columns",    "one_half",       "one_third",    "row",
        "tweet",        "youtube",    "vimeo",          "soundcloud",   "spotify",
        "instagram",    "code",       "sourcecode",     "quote",        "pullquote",
    };
    for (size_t i = 0; i < ARRAY_LEN(known); i++) {
        if (str_eq_cstr(name, known[i]))
            return true;
    }
    return str_starts_with(name, "vc_") || str_starts_with(name, "et_pb_") ||
           str_starts_with(name, "fusion_") || str_starts_with(name, "av_");
}

/* Where "[/name]" starts after from, or SIZE_MAX. */
static size_t sc_closing(struct str in, size_t from, struct str name)
{
    for (size_t i = from; i < in.len;) {
        const char *p = memmem(in.ptr + i, in.len - i, "[/", 2);
        if (!p)
            return SIZE_MAX;
        i = (size_t)(p - in.ptr);
        if (i + 2 + name.len < in.len && memcmp(p + 2, name.ptr, name.len) == 0 &&
            p[2 + name.len] == ']')
            return i;
        i += 2;
    }
    return SIZE_MAX;
}

/* The value of key="v" (or 'v') in attrs, or STR_NULL. */
static struct str sc_attr(struct str attrs, const char *key)
{
    size_t k = strlen(key);
    for (size_t i = 0; i + k + 2 < attrs.len; i++) {
        if (strncmp(attrs.ptr + i, key, k) != 0 || attrs.ptr[i + k] != '=' ||
            (i && name_char(attrs.ptr[i - 1])))
            continue;
        char q = attrs.ptr[i + k + 1];
        if (q != '"' && q != '\'')
            continue;
        const char *v = attrs.ptr + i + k + 2;
        const char *e = memchr(v, q, attrs.len - (size_t)(v - attrs.ptr));
        return e ? (struct str){v, (size_t)(e - v)} : STR_NULL;
    }
    return STR_NULL;
}

/* Where the leading picture of a caption ends: <a ...><img ...></a> or <img ...>. */
static size_t caption_media_end(struct str in)
{
    size_t i = 0;
    while (i < in.len && (in.ptr[i] == ' ' || in.ptr[i] == '\n' || in.ptr[i] == '\t'))
        i++;
    if (i + 2 < in.len && in.ptr[i] == '<' && (in.ptr[i + 1] | 0x20) == 'a' &&
        in.ptr[i + 2] == ' ') {
        const char *e = memmem(in.ptr + i, in.len - i, "</a>", 4);
        return e ? (size_t)(e - in.ptr) + 4 : 0;
    }
    if (i + 4 < in.len && strncasecmp(in.ptr + i, "<img", 4) == 0)
        return html_tag_end(in.ptr, in.len, i + 1);
    return 0;
}

static void caption(struct str attrs, struct str inner, struct buf *out)
{
    size_t m = caption_media_end(inner);
    struct str text = str_trim((struct str){inner.ptr + m, inner.len - m});
    buf_puts(out, "\n\n<figure>");
    buf_append(out, inner.ptr, m);
    if (!text.len)
        text = sc_attr(attrs, "caption");
    if (text.len) {
        buf_puts(out, "<figcaption>");
        buf_append_str(out, text);
        buf_puts(out, "</figcaption>");
    }
    buf_puts(out, "</figure>\n\n");
}

static void embed(struct str inner, struct buf *out)
{
    struct str url = str_trim(inner);
    buf_puts(out, "\n\n<p><a href=\"");
    buf_append_html(out, url.ptr, url.len);
    buf_puts(out, "\">");
    buf_append_html(out, url.ptr, url.len);
    buf_puts(out, "</a></p>\n\n");
}

struct scstate {
    struct str in;
    struct buf *out;
    struct html_report *rep;
    struct str open[WP_OPEN_MAX];
    size_t nopen;
};

static void count(struct html_report *rep, struct str name)
{
    if (!rep)
        return;
    char what[32];
    size_t n = name.len < sizeof(what) - 3 ? name.len : sizeof(what) - 3;
    what[0] = '[';
    memcpy(what + 1, name.ptr, n);
    what[n + 1] = ']';
    what[n + 2] = '\0';
    html_report_add(rep, what);
}

/* A closing [/name] of a shortcode that is open: removed. */
static bool sc_close(struct scstate *s, const struct sc *t)
{
    for (size_t k = s->nopen; k-- > 0;) {
        if (str_eq(s->open[k], t->name)) {
            s->nopen = k;
            return true;
        }
    }
    return false;
}

/* One shortcode at in[i]: what it becomes is written; returns where the scan goes on. */
static size_t sc_handle(struct scstate *s, size_t i, const struct sc *t)
{
    size_t close = sc_closing(s->in, t->end, t->name);
    bool is_caption = str_eq_cstr(t->name, "caption") || str_eq_cstr(t->name, "wp_caption");
    if ((is_caption || str_eq_cstr(t->name, "embed")) && close != SIZE_MAX) {
        struct str inner = {s->in.ptr + t->end, close - t->end};
        if (is_caption) {
            caption(t->attrs, inner, s->out);
        } else {
            count(s->rep, t->name);
            embed(inner, s->out);
        }
        return close + t->name.len + 3;
    }
    if (!sc_known(t->name) && !t->attrs.len && close == SIZE_MAX) {
        buf_append(s->out, s->in.ptr + i, 1);
        return i + 1; /* [sic]: text */
    }
    count(s->rep, t->name);
    bool self = t->attrs.len && t->attrs.ptr[t->attrs.len - 1] == '/';
    if (close != SIZE_MAX && !self && s->nopen < WP_OPEN_MAX)
        s->open[s->nopen++] = t->name;
    return t->end;
}

static void shortcodes(struct str in, struct buf *out, struct html_report *rep)
{
    struct scstate s = {.in = in, .out = out, .rep = rep};
    size_t from = 0;
    for (size_t i = 0; i < in.len;) {
        const char *b = memchr(in.ptr + i, '[', in.len - i);
        if (!b)
            break;
        i = (size_t)(b - in.ptr);
        struct sc t;
        if (i + 1 < in.len && in.ptr[i + 1] == '[' && sc_parse(in, i + 1, &t) && t.end < in.len &&
            in.ptr[t.end] == ']') {
            buf_append(out, in.ptr + from, i - from); /* [[name]]: the literal [name] */
            buf_append(out, in.ptr + i + 1, t.end - i - 1);
            i = from = t.end + 1;
            continue;
        }
        if (!sc_parse(in, i, &t)) {
            i++;
            continue;
        }
        buf_append(out, in.ptr + from, i - from);
        if (t.closing)
            i = sc_close(&s, &t) ? t.end : (buf_append(out, in.ptr + i, 1), i + 1);
        else
            i = sc_handle(&s, i, &t);
        from = i;
    }
    buf_append(out, in.ptr + from, in.len - from);
}

/* ---- 3. wpautop ------------------------------------------------------------------- */

/* wpautop's $allblocks */
static bool is_block(struct str name)
{
    static const char *const blocks[] = {
        "table",  "thead",    "tfoot",  "caption",    "col",      "colgroup",   "tbody",   "tr",
        "td",     "th",       "div",    "dl",         "dd",       "dt",         "ul",      "ol",
        "li",     "pre",      "form",   "map",        "area",     "blockquote", "address", "math",
        "style",  "p",        "h1",     "h2",         "h3",       "h4",         "h5",      "h6",
        "hr",     "fieldset", "legend", "section",    "article",  "aside",      "hgroup",  "header",
        "footer", "nav",      "figure", "figcaption", "details",  "menu",       "summary", "script",
        "iframe", "video",    "audio",  "object",     "noscript", "template",   "svg",
    };
    for (size_t i = 0; i < ARRAY_LEN(blocks); i++) {
        if (str_case_eq(name, blocks[i]))
            return true;
    }
    return false;
}

struct autop {
    struct buf *out;
    bool para;       /* a <p> is open */
    bool after_open; /* right after an opening block tag other than blockquote */
    bool pending_nl; /* a single new line seen in this paragraph's text */
    bool after_br;   /* right after a <br>: its new line is not another break */
};

static void para_close(struct autop *p)
{
    if (p->para)
        buf_puts(p->out, "</p>\n");
    p->para = false;
    p->pending_nl = false;
}

/* Inline content (text or an inline tag) is about to be written. */
static void inline_begin(struct autop *p)
{
    if (!p->para && !p->after_open) {
        buf_puts(p->out, "<p>");
        p->para = true;
    }
    if (p->pending_nl && (p->para || p->after_open))
        buf_puts(p->out, "<br />\n");
    p->pending_nl = false;
}

/* Text between tags: blank lines end paragraphs, single new lines become breaks. */
static void autop_text(struct autop *p, struct str t)
{
    size_t i = 0;
    while (i < t.len) {
        size_t j = i;
        size_t nl = 0;
        while (j < t.len &&
               (t.ptr[j] == ' ' || t.ptr[j] == '\t' || t.ptr[j] == '\n' || t.ptr[j] == '\r')) {
            nl += t.ptr[j] == '\n';
            j++;
        }
        if (nl >= 2) {
            para_close(p);
            p->after_open = false;
        } else if (nl == 1) {
            p->pending_nl = (p->para || p->after_open) && !p->after_br;
        } else if (j > i && (p->para || p->after_open)) {
            buf_putc(p->out, ' ');
        }
        i = j;
        while (j < t.len && t.ptr[j] != ' ' && t.ptr[j] != '\t' && t.ptr[j] != '\n' &&
               t.ptr[j] != '\r')
            j++;
        if (j > i) {
            inline_begin(p);
            buf_append(p->out, t.ptr + i, j - i);
            p->after_br = false;
        }
        i = j;
    }
}

/* Where the raw content of <pre>, <script>, <style>, <textarea> ends: past its end tag. */
static size_t raw_end(struct str in, size_t from, struct str name)
{
    for (size_t i = from; i + 2 + name.len <= in.len; i++) {
        const char *lt = memchr(in.ptr + i, '<', in.len - i);
        if (!lt)
            break;
        i = (size_t)(lt - in.ptr);
        if (i + 2 + name.len <= in.len && in.ptr[i + 1] == '/' &&
            strncasecmp(in.ptr + i + 2, name.ptr, name.len) == 0)
            return html_tag_end(in.ptr, in.len, i + 2);
    }
    return in.len;
}

static bool is_raw(struct str name)
{
    return str_case_eq(name, "pre") || str_case_eq(name, "script") || str_case_eq(name, "style") ||
           str_case_eq(name, "textarea");
}

/* One tag (or comment) at in[i] == '<'; returns where the scan goes on. */
static size_t autop_tag(struct autop *p, struct str in, size_t i)
{
    if (i + 3 < in.len && memcmp(in.ptr + i, "<!--", 4) == 0) {
        const char *e = memmem(in.ptr + i + 4, in.len - i - 4, "-->", 3);
        size_t end = e ? (size_t)(e - in.ptr) + 3 : in.len;
        buf_append(p->out, in.ptr + i, end - i);
        return end;
    }
    bool closing = i + 1 < in.len && in.ptr[i + 1] == '/';
    size_t s = i + 1 + closing, j = s;
    while (j < in.len && name_char(in.ptr[j]))
        j++;
    struct str name = {in.ptr + s, j - s};
    if (!name.len || !((in.ptr[s] | 0x20) >= 'a' && (in.ptr[s] | 0x20) <= 'z')) {
        autop_text(p, (struct str){in.ptr + i, 1}); /* a '<' that opens no tag is text */
        return i + 1;
    }
    size_t end = html_tag_end(in.ptr, in.len, s);
    if (!is_block(name)) {
        inline_begin(p);
        buf_append(p->out, in.ptr + i, end - i);
        p->after_br = str_case_eq(name, "br");
        return end;
    }
    para_close(p);
    p->after_br = false;
    if (!closing && is_raw(name))
        end = raw_end(in, end, name);
    buf_append(p->out, in.ptr + i, end - i);
    p->after_open =
        !closing && !str_case_eq(name, "blockquote") && !is_raw(name) && !str_case_eq(name, "hr");
    return end;
}

static void autop(struct str in, struct buf *out)
{
    struct autop p = {.out = out};
    for (size_t i = 0; i < in.len;) {
        const char *lt = memchr(in.ptr + i, '<', in.len - i);
        size_t j = lt ? (size_t)(lt - in.ptr) : in.len;
        autop_text(&p, (struct str){in.ptr + i, j - i});
        i = j < in.len ? autop_tag(&p, in, j) : j;
    }
    para_close(&p);
}

enum err_code html_wp_prepare(struct str content, struct arena *a, struct str *html,
                              struct html_report *rep, struct err *err)
{
    *html = STR_NULL;
    if (content.len > HTML_INPUT_MAX)
        return err_set(err, ERR_TOOBIG, "the post is larger than %d bytes", HTML_INPUT_MAX);
    if (!content.ptr)
        content = STR_LIT("");
    bool blocks = memmem(content.ptr, content.len, "<!-- wp:", 8) != NULL;
    /*
     * Bounds that no input reaches: a shortcode at most doubles what it holds, and
     * wpautop writes at most 8 bytes for 2 ("a\n" becomes "a<br />\n").
     */
    struct buf b1, b2;
    buf_init(&b1, 10 * content.len + 4096);
    buf_init(&b2, 10 * content.len + 4096);
    strip_block_comments(content, &b1);
    shortcodes(buf_str(&b1), &b2, rep);
    struct str out = buf_str(&b2);
    if (!blocks) {
        buf_reset(&b1);
        autop(out, &b1);
        out = buf_str(&b1);
    }
    *html = arena_str(a, out);
    buf_release(&b1);
    buf_release(&b2);
    return ERR_OK;
}
