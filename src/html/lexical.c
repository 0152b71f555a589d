/*
 * Ghost's editor documents to Markdown (html.h): Lexical (Ghost 5) and Mobiledoc 0.3
 * (Ghost 1-4), through the same writer as HTML, so both come out as the HTML Ghost
 * rendered for them would (tests/unit/html/test_html_lexical.c compares the two).
 *
 * Lexical: {"root":{"children":[node...]}}, each node {"type":..., "children":[...]}
 * or a leaf. The walk recurses over the JSON tree, whose depth json_parse caps at
 * LEX_DEPTH (so at most LEX_DEPTH / 2 nodes deep).
 * Cards with text worth keeping become what their HTML would: html and markdown cards
 * their content, embed and bookmark cards a link paragraph (an embed card for the
 * renderer when the site is one it knows), button a link, callout and toggle their text,
 * gallery its images. Any other card is counted as "NAME card" and left out.
 */
#include "html/html_int.h"
#include "json/json.h"

#include <stdio.h>
#include <string.h>

#define LEX_DEPTH 256
#define LEX_BYTES (4 * (size_t)HTML_INPUT_MAX) /* JSON spells out what HTML would */

struct lex {
    struct mdw w;
    const struct html_opts *o;
    struct html_report *rep;
    struct arena *a;
    enum err_code rc;
    struct err *err;
};

static struct str get_str(const struct json *o, const char *key)
{
    struct str s;
    return json_as_str(json_obj_get(o, key), &s) ? s : STR_NULL;
}

static int64_t get_int(const struct json *o, const char *key, int64_t dflt)
{
    int64_t v;
    return json_as_int(json_obj_get(o, key), &v) ? v : dflt;
}

static void count_card(struct html_report *rep, struct str type)
{
    if (!rep)
        return;
    char what[32];
    snprintf(what, sizeof(what), "%.*s card", (int)(type.len < 20 ? type.len : 20), type.ptr);
    html_report_add(rep, what);
}

/* HTML held in a card (html, callout text, captions) written through the allowlist. */
static void html_into(struct lex *l, struct str html)
{
    if (!html.len || l->rc)
        return;
    l->rc = html_md_write(&l->w, html, l->o, l->a, l->rep, l->err);
}

/* A caption is HTML; its text is the image's title. */
static struct str caption_text(struct lex *l, struct str html)
{
    struct str t = STR_NULL;
    if (html.len && html_to_plaintext(html, l->a, &t, NULL) != ERR_OK)
        return STR_NULL;
    return t;
}

/* A picture as a paragraph of its own, linked when href is set. */
static void picture(struct lex *l, struct str src, struct str alt, struct str title,
                    struct str href)
{
    struct str url = html_url_check(src, true, l->o, l->rep, l->a);
    if (!url.len)
        return;
    mdw_block_end(&l->w);
    struct str link = href.len ? html_url_check(href, false, l->o, l->rep, l->a) : STR_NULL;
    if (link.len)
        mdw_link_open(&l->w, link, STR_NULL);
    mdw_image(&l->w, alt, url, title);
    if (link.len)
        mdw_mark_close(&l->w);
    mdw_block_end(&l->w);
}

/* A paragraph that is a link: [text](url), or <url> when there is no text. */
void html_link_paragraph(struct mdw *w, struct str url, struct str text, const struct html_opts *o,
                         struct html_report *rep, struct arena *a)
{
    struct str u = html_url_check(url, false, o, rep, a);
    if (!u.len)
        return;
    mdw_block_end(w);
    mdw_link_open(w, u, STR_NULL);
    mdw_text(w, text.len ? text : u);
    mdw_mark_close(w);
    mdw_block_end(w);
}

static void lex_children(struct lex *l, const struct json *n, int depth);

static void lex_text(struct lex *l, const struct json *n)
{
    struct str text = get_str(n, "text");
    int64_t f = get_int(n, "format", 0);
    if (f & 16) {
        mdw_code_span(&l->w, text);
        return;
    }
    if (f & 1)
        mdw_mark_open(&l->w, "**", "**");
    if (f & 2)
        mdw_mark_open(&l->w, "*", "*");
    if (f & 4)
        mdw_mark_open(&l->w, "~~", "~~");
    mdw_text(&l->w, text);
    for (int b = 4; b; b >>= 1) {
        if (f & b)
            mdw_mark_close(&l->w);
    }
}

static void lex_list(struct lex *l, const struct json *n, int depth)
{
    bool ordered = str_eq_cstr(get_str(n, "listType"), "number");
    int64_t next = get_int(n, "start", 1);
    mdw_block_end(&l->w);
    char c = mdw_list_char(&l->w, ordered);
    const struct json *kids = json_obj_get(n, "children");
    for (size_t i = 0; i < json_arr_len(kids); i++) {
        const struct json *item = json_arr_get(kids, i);
        mdw_item_open(&l->w, ordered, next++, c, i);
        lex_children(l, item, depth + 1);
        mdw_container_close(&l->w);
    }
    mdw_list_end(&l->w, c);
}

static void lex_gallery(struct lex *l, const struct json *n)
{
    const struct json *imgs = json_obj_get(n, "images");
    for (size_t i = 0; i < json_arr_len(imgs); i++) {
        const struct json *im = json_arr_get(imgs, i);
        picture(l, get_str(im, "src"), get_str(im, "alt"), STR_NULL, STR_NULL);
    }
}

/* A card, a decorator node of Ghost's: what it holds worth keeping. */
static void lex_card(struct lex *l, const struct json *n, struct str type)
{
    if (str_eq_cstr(type, "image")) {
        struct str cap = caption_text(l, get_str(n, "caption"));
        picture(l, get_str(n, "src"), get_str(n, "alt"), cap.len ? cap : get_str(n, "title"),
                get_str(n, "href"));
    } else if (str_eq_cstr(type, "codeblock")) {
        mdw_code_block(&l->w, get_str(n, "language"), get_str(n, "code"));
    } else if (str_eq_cstr(type, "horizontalrule")) {
        mdw_rule(&l->w);
    } else if (str_eq_cstr(type, "html")) {
        html_into(l, get_str(n, "html"));
    } else if (str_eq_cstr(type, "markdown")) {
        mdw_block_end(&l->w);
        mdw_raw(&l->w, get_str(n, "markdown"));
        mdw_block_end(&l->w);
    } else if (str_eq_cstr(type, "embed") || str_eq_cstr(type, "bookmark")) {
        const struct json *meta = json_obj_get(n, "metadata");
        html_link_paragraph(&l->w, get_str(n, "url"), get_str(meta, "title"), l->o, l->rep, l->a);
    } else if (str_eq_cstr(type, "button")) {
        html_link_paragraph(&l->w, get_str(n, "buttonUrl"), get_str(n, "buttonText"), l->o, l->rep,
                            l->a);
    } else if (str_eq_cstr(type, "callout")) {
        html_into(l, get_str(n, "calloutText"));
    } else if (str_eq_cstr(type, "toggle")) {
        html_into(l, get_str(n, "heading"));
        html_into(l, get_str(n, "content"));
    } else if (str_eq_cstr(type, "gallery")) {
        lex_gallery(l, n);
    } else {
        count_card(l->rep, type);
    }
}

static void lex_node(struct lex *l, const struct json *n, int depth)
{
    struct str type = get_str(n, "type");
    if (str_eq_cstr(type, "extended-text") || str_eq_cstr(type, "text") ||
        str_eq_cstr(type, "tab")) {
        lex_text(l, n);
    } else if (str_eq_cstr(type, "linebreak")) {
        mdw_break(&l->w);
    } else if (str_eq_cstr(type, "paragraph")) {
        mdw_block_end(&l->w);
        lex_children(l, n, depth);
        mdw_block_end(&l->w);
    } else if (str_eq_cstr(type, "heading") || str_eq_cstr(type, "extended-heading")) {
        struct str tag = get_str(n, "tag");
        mdw_heading_open(&l->w, tag.len == 2 ? tag.ptr[1] - '0' : 2);
        lex_children(l, n, depth);
        mdw_mark_close(&l->w);
        mdw_block_end(&l->w);
    } else if (str_eq_cstr(type, "quote") || str_eq_cstr(type, "extended-quote") ||
               str_eq_cstr(type, "aside")) {
        mdw_quote_open(&l->w);
        lex_children(l, n, depth);
        mdw_container_close(&l->w);
    } else if (str_eq_cstr(type, "list")) {
        lex_list(l, n, depth);
    } else if (str_eq_cstr(type, "link") || str_eq_cstr(type, "autolink")) {
        struct str url = html_url_check(get_str(n, "url"), false, l->o, l->rep, l->a);
        if (url.len)
            mdw_link_open(&l->w, url, get_str(n, "title"));
        lex_children(l, n, depth);
        if (url.len)
            mdw_mark_close(&l->w);
    } else if (json_obj_get(n, "children")) {
        lex_children(l, n, depth); /* listitem, root, and nodes we do not know */
    } else {
        lex_card(l, n, type);
    }
}

static void lex_children(struct lex *l, const struct json *n, int depth)
{
    const struct json *kids = json_obj_get(n, "children");
    if (depth > LEX_DEPTH)
        return;
    for (size_t i = 0; i < json_arr_len(kids) && !l->rc; i++)
        lex_node(l, json_arr_get(kids, i), depth + 1);
}

enum err_code html_lexical_to_markdown(struct str lexical, const struct html_opts *o,
                                       struct arena *a, struct str *md, struct html_report *rep,
                                       struct err *err)
{
    *md = STR_NULL;
    struct json *doc = NULL;
    struct json_limits lim = {LEX_BYTES, LEX_DEPTH};
    enum err_code rc = json_parse(lexical, &lim, &doc, err);
    if (rc)
        return rc;
    const struct json *root = json_obj_get(doc, "root");
    const struct json *kids = json_obj_get(root, "children");
    if (!kids || json_kind_of(kids) != JSON_KIND_ARR) {
        json_free(doc);
        return err_set(err, ERR_INVALID, "not a Lexical document: no root.children");
    }
    struct lex l = {.o = o, .rep = rep, .a = a, .err = err};
    mdw_init(&l.w, rep);
    lex_children(&l, root, 0);
    rc = l.rc ? l.rc : mdw_finish(&l.w, a, md, err);
    mdw_release(&l.w);
    json_free(doc);
    return rc;
}
