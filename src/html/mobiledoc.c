/*
 * Mobiledoc 0.3 (Ghost's editor before Lexical) to Markdown (html.h):
 *
 *   {"version":"0.3.1", "markups":[["a",["href",URL]],["strong"]], "atoms":[[name,text,{}]],
 *    "cards":[["image",{src,alt,caption}]], "sections":[[1,"p",[markers]], [3,"ul",[[markers]]],
 *    [10,cardIndex], [2,src]]}
 *
 * A marker is [0 text | 1 atom, [markups it opens], how many it closes, text or atom index];
 * markups nest as they open and close. Cards are Ghost's, as in Lexical (lexical.c), with
 * their Mobiledoc names and payloads.
 */
#include "html/html_int.h"
#include "json/json.h"

#include <stdio.h>
#include <string.h>

#define MD_BYTES (4 * (size_t)HTML_INPUT_MAX)
#define MD_DEPTH 64 /* the format nests five deep; card payloads a little more */

struct mob {
    struct mdw w;
    const struct html_opts *o;
    struct html_report *rep;
    struct arena *a;
    const struct json *markups, *atoms, *cards;
    size_t open; /* markups open, each a mark of the writer */
    enum err_code rc;
    struct err *err;
};

static struct str item_str(const struct json *arr, size_t i)
{
    struct str s;
    return json_as_str(json_arr_get(arr, i), &s) ? s : STR_NULL;
}

static struct str get_str(const struct json *o, const char *key)
{
    struct str s;
    return json_as_str(json_obj_get(o, key), &s) ? s : STR_NULL;
}

/* The value of attribute name in a markup's flat [name, value, ...] list. */
static struct str markup_attr(const struct json *attrs, const char *name)
{
    for (size_t i = 0; i + 1 < json_arr_len(attrs); i += 2) {
        if (str_eq_cstr(item_str(attrs, i), name))
            return item_str(attrs, i + 1);
    }
    return STR_NULL;
}

static void markup_open(struct mob *m, int64_t idx)
{
    const struct json *mk = json_arr_get(m->markups, idx < 0 ? SIZE_MAX : (size_t)idx);
    struct str tag = item_str(mk, 0);
    m->open++;
    if (str_case_eq(tag, "a")) {
        const struct json *attrs = json_arr_get(mk, 1);
        struct str url = html_url_check(markup_attr(attrs, "href"), false, m->o, m->rep, m->a);
        if (url.len) {
            mdw_link_open(&m->w, url, markup_attr(attrs, "title"));
            return;
        }
    }
    if (str_case_eq(tag, "strong") || str_case_eq(tag, "b"))
        mdw_mark_open(&m->w, "**", "**");
    else if (str_case_eq(tag, "em") || str_case_eq(tag, "i"))
        mdw_mark_open(&m->w, "*", "*");
    else if (str_case_eq(tag, "s") || str_case_eq(tag, "del"))
        mdw_mark_open(&m->w, "~~", "~~");
    else if (str_case_eq(tag, "code"))
        mdw_mark_open(&m->w, "`", "`");
    else
        mdw_mark_open(&m->w, "", "");
}

/* Text inside a code markup is written raw: escapes would show in a code span. */
static void marker_text(struct mob *m, struct str text)
{
    bool code = m->w.nmarks && strcmp(m->w.marks[m->w.nmarks - 1].open, "`") == 0;
    if (!code) {
        mdw_text(&m->w, text);
        return;
    }
    m->w.marks[m->w.nmarks - 1].open = "";
    m->w.marks[m->w.nmarks - 1].close = "";
    mdw_code_span(&m->w, text);
}

static void marker(struct mob *m, const struct json *mk)
{
    int64_t type = 0, close = 0, idx = 0;
    json_as_int(json_arr_get(mk, 0), &type);
    const struct json *opens = json_arr_get(mk, 1);
    for (size_t i = 0; i < json_arr_len(opens); i++) {
        if (json_as_int(json_arr_get(opens, i), &idx))
            markup_open(m, idx);
    }
    if (type == 0) {
        marker_text(m, item_str(mk, 3));
    } else if (json_as_int(json_arr_get(mk, 3), &idx) && idx >= 0) {
        const struct json *atom = json_arr_get(m->atoms, (size_t)idx);
        if (str_eq_cstr(item_str(atom, 0), "soft-return"))
            mdw_break(&m->w);
        else
            mdw_text(&m->w, item_str(atom, 1));
    }
    json_as_int(json_arr_get(mk, 2), &close);
    for (; close > 0 && m->open; close--, m->open--)
        mdw_mark_close(&m->w);
}

static void markers(struct mob *m, const struct json *list)
{
    for (size_t i = 0; i < json_arr_len(list); i++)
        marker(m, json_arr_get(list, i));
    for (; m->open; m->open--)
        mdw_mark_close(&m->w);
}

static void markup_section(struct mob *m, const struct json *s)
{
    struct str tag = item_str(s, 1);
    bool quote = str_case_eq(tag, "blockquote") || str_case_eq(tag, "aside") ||
                 str_case_eq(tag, "pull-quote");
    if (tag.len == 2 && (tag.ptr[0] | 0x20) == 'h' && tag.ptr[1] >= '1' && tag.ptr[1] <= '6')
        mdw_heading_open(&m->w, tag.ptr[1] - '0');
    else if (quote)
        mdw_quote_open(&m->w);
    else
        mdw_block_end(&m->w);
    markers(m, json_arr_get(s, 2));
    if (quote) {
        mdw_container_close(&m->w);
        return;
    }
    if (tag.len == 2 && (tag.ptr[0] | 0x20) == 'h')
        mdw_mark_close(&m->w);
    mdw_block_end(&m->w);
}

static void list_section(struct mob *m, const struct json *s)
{
    bool ordered = str_case_eq(item_str(s, 1), "ol");
    mdw_block_end(&m->w);
    char c = mdw_list_char(&m->w, ordered);
    const struct json *items = json_arr_get(s, 2);
    for (size_t i = 0; i < json_arr_len(items); i++) {
        mdw_item_open(&m->w, ordered, (int64_t)i + 1, c, i);
        markers(m, json_arr_get(items, i));
        mdw_container_close(&m->w);
    }
    mdw_list_end(&m->w, c);
}

static void html_into(struct mob *m, struct str html)
{
    if (html.len && !m->rc)
        m->rc = html_md_write(&m->w, html, m->o, m->a, m->rep, m->err);
}

static void image(struct mob *m, struct str src, struct str alt, struct str caption_html)
{
    struct str url = html_url_check(src, true, m->o, m->rep, m->a);
    if (!url.len)
        return;
    struct str cap = STR_NULL;
    if (caption_html.len && html_to_plaintext(caption_html, m->a, &cap, NULL) != ERR_OK)
        cap = STR_NULL;
    mdw_block_end(&m->w);
    mdw_image(&m->w, alt, url, cap);
    mdw_block_end(&m->w);
}

static void card(struct mob *m, const struct json *c)
{
    struct str name = item_str(c, 0);
    const struct json *p = json_arr_get(c, 1);
    if (str_eq_cstr(name, "hr")) {
        mdw_rule(&m->w);
    } else if (str_eq_cstr(name, "image")) {
        image(m, get_str(p, "src"), get_str(p, "alt"), get_str(p, "caption"));
    } else if (str_eq_cstr(name, "code")) {
        mdw_code_block(&m->w, get_str(p, "language"), get_str(p, "code"));
    } else if (str_eq_cstr(name, "html")) {
        html_into(m, get_str(p, "html"));
    } else if (str_eq_cstr(name, "markdown") || str_eq_cstr(name, "card-markdown")) {
        mdw_block_end(&m->w);
        mdw_raw(&m->w, get_str(p, "markdown"));
        mdw_block_end(&m->w);
    } else if (str_eq_cstr(name, "embed") || str_eq_cstr(name, "bookmark")) {
        html_link_paragraph(&m->w, get_str(p, "url"), get_str(json_obj_get(p, "metadata"), "title"),
                            m->o, m->rep, m->a);
    } else if (m->rep) {
        char what[32];
        snprintf(what, sizeof(what), "%.*s card", (int)(name.len < 20 ? name.len : 20), name.ptr);
        html_report_add(m->rep, what);
    }
}

static void section(struct mob *m, const struct json *s)
{
    int64_t type = 0, idx = -1;
    json_as_int(json_arr_get(s, 0), &type);
    if (type == 1)
        markup_section(m, s);
    else if (type == 3)
        list_section(m, s);
    else if (type == 2)
        image(m, item_str(s, 1), STR_NULL, STR_NULL);
    else if (type == 10 && json_as_int(json_arr_get(s, 1), &idx) && idx >= 0)
        card(m, json_arr_get(m->cards, (size_t)idx));
}

enum err_code html_mobiledoc_to_markdown(struct str mobiledoc, const struct html_opts *o,
                                         struct arena *a, struct str *md, struct html_report *rep,
                                         struct err *err)
{
    *md = STR_NULL;
    struct json *doc = NULL;
    struct json_limits lim = {MD_BYTES, MD_DEPTH};
    enum err_code rc = json_parse(mobiledoc, &lim, &doc, err);
    if (rc)
        return rc;
    const struct json *sections = json_obj_get(doc, "sections");
    struct str version = get_str(doc, "version");
    if (!sections || json_kind_of(sections) != JSON_KIND_ARR || !str_starts_with(version, "0.3")) {
        json_free(doc);
        return err_set(err, ERR_INVALID, "not a Mobiledoc 0.3 document");
    }
    struct mob m = {.o = o, .rep = rep, .a = a, .err = err};
    m.markups = json_obj_get(doc, "markups");
    m.atoms = json_obj_get(doc, "atoms");
    m.cards = json_obj_get(doc, "cards");
    mdw_init(&m.w, rep);
    for (size_t i = 0; i < json_arr_len(sections) && !m.rc; i++)
        section(&m, json_arr_get(sections, i));
    rc = m.rc ? m.rc : mdw_finish(&m.w, a, md, err);
    mdw_release(&m.w);
    json_free(doc);
    return rc;
}
