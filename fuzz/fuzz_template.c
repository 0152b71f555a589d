/*
 * libFuzzer target for the template engine: compiles the input against a small fixed
 * descriptor, with partials that include each other (and themselves), and renders every
 * template that compiles into a capped buffer. Checks beyond the sanitizers: a failed
 * compile leaves no template and a "file:line: " message, and output never passes the cap.
 *
 * Build with clang -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined over the
 * .c files of src/base and src/render and this file; run with the seeds in
 * fuzz/corpus/template.
 */
#include "render/render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fz_tag {
    struct str name;
    int64_t id;
};

struct fz_item {
    struct str title;
    struct str html;
    int64_t n;
    bool on;
    const struct fz_item *next;
    const struct fz_tag *tags;
    size_t ntags;
};

struct fz_root {
    struct str title;
    struct str body;
    struct str empty;
    int64_t count;
    bool flag;
    const struct fz_item *items;
    size_t nitems;
    const struct fz_item *first;
    const struct fz_item *none;
};

static const struct render_field tag_fields[] = {
    RENDER_STR_FIELD(struct fz_tag, name),
    RENDER_INT_FIELD(struct fz_tag, id),
};
static const struct render_type tag_type = RENDER_TYPE(struct fz_tag, tag_fields);

static const struct render_type item_type;
static const struct render_field item_fields[] = {
    RENDER_STR_FIELD(struct fz_item, title),
    RENDER_HTML_FIELD(struct fz_item, html),
    RENDER_INT_FIELD(struct fz_item, n),
    RENDER_BOOL_FIELD(struct fz_item, on),
    RENDER_OBJ_FIELD(struct fz_item, next, &item_type),
    RENDER_LIST_FIELD(struct fz_item, tags, ntags, &tag_type),
};
static const struct render_type item_type = RENDER_TYPE(struct fz_item, item_fields);

static const struct render_field root_fields[] = {
    RENDER_STR_FIELD(struct fz_root, title),
    RENDER_HTML_FIELD(struct fz_root, body),
    RENDER_STR_FIELD(struct fz_root, empty),
    RENDER_INT_FIELD(struct fz_root, count),
    RENDER_BOOL_FIELD(struct fz_root, flag),
    RENDER_LIST_FIELD(struct fz_root, items, nitems, &item_type),
    RENDER_OBJ_FIELD(struct fz_root, first, &item_type),
    RENDER_OBJ_FIELD(struct fz_root, none, &item_type),
};
static const struct render_type root_type = RENDER_TYPE(struct fz_root, root_fields);

static const struct fz_tag tags[] = {{STR_LIT("a&b"), 1}, {STR_LIT("<c>"), -2}};

/* next pointers form a cycle: data may loop, only the template's nesting bounds a walk */
static const struct fz_item items[] = {
    {STR_LIT("one \"1\""), STR_LIT("<b>1</b>"), 1, true, &items[1], tags, 2},
    {STR_LIT("two 'x'"), STR_LIT(""), 0, false, &items[0], NULL, 0},
    {STR_LIT(""), STR_LIT("<i>3</i>"), INT64_MIN, true, NULL, tags, 1},
};

static const struct fz_root full = {
    STR_LIT("Title <&>"),
    STR_LIT("<p>body</p>"),
    STR_NULL,
    42,
    true,
    items,
    ARRAY_LEN(items),
    &items[0],
    NULL,
};

/*
 * A list nested in itself renders |list|^depth times: legal, and the theme author's to
 * avoid, but a fuzzer would find it as a timeout. Deeply nested inputs get one-element
 * lists, which keep a render linear in the size of the program.
 */
static const struct fz_root single = {
    STR_LIT("Title"), STR_LIT("<p>b</p>"), STR_LIT("e"), 0, false, &items[2], 1, &items[1], NULL,
};

static const struct {
    const char *name;
    const char *src;
} partials[] = {
    {"head", "<h1>{{title}}</h1>\n"},
    {"list", "<ul>\n  {{#items}}\n  <li>{{title}}{{>tags}}</li>\n  {{/items}}\n</ul>\n"},
    {"tags", "{{#tags}}[{{name}}:{{id}}]{{/tags}}"},
    {"html", "{{{body}}}{{&body}}{{body}}"},
    {"self", "x{{>self}}"},
    {"ping", "{{>pong}}"},
    {"pong", "{{#flag}}{{>ping}}{{/flag}}"},
    {"open", "{{#flag}}"},
    {"close", "{{/flag}}"},
};

static enum err_code fz_partial(void *ctx, const char *name, struct str *src, const char **filename,
                                struct err *err)
{
    (void)ctx;
    for (size_t i = 0; i < ARRAY_LEN(partials); i++) {
        if (strcmp(partials[i].name, name) == 0) {
            *src = str_from(partials[i].src);
            *filename = partials[i].name;
            return ERR_OK;
        }
    }
    return err_set(err, ERR_NOTFOUND, "no partial '%s'", name);
}

static size_t nesting_hint(const uint8_t *data, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '#' || data[i] == '>';
    return n;
}

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_template: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct render_tpl *t = NULL;
    struct err err = {ERR_OK, ""};
    struct str src = {(const char *)data, size};
    enum err_code rc = render_tpl_compile(src, "fuzz", &root_type, fz_partial, NULL, &t, &err);
    if (rc) {
        check(!t, "template left behind by a failed compile");
        check(err.code == rc, "err.code differs from the returned code");
        check(rc != ERR_INVALID || strstr(err.msg, ":") != NULL, "message without a position");
        return 0;
    }
    struct buf out;
    buf_init(&out, 1 << 16);
    rc = render_tpl_exec(t, nesting_hint(data, size) > 8 ? &single : &full, &out);
    check(rc == ERR_OK || rc == ERR_TOOBIG, "exec failed with something else than ERR_TOOBIG");
    check(out.len <= out.max, "output past its cap");
    buf_release(&out);
    render_tpl_free(t);
    return 0;
}
