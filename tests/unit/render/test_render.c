/*
 * Template engine: rendering over one fixed fixture, every compile error with its exact
 * "file:line: " message, the output cap, and the golden cases in tests/spec/templates/.
 */
#include "render/render.h"

#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the fixture: a page with items, authors and every kind of field ---------------- */

struct author {
    struct str name;
    struct str url;
    const struct author *mentor;
};

struct item {
    struct str title;
    int64_t n;
    bool hot;
    const struct author *author;
};

struct page {
    struct str title;
    struct str body; /* trusted HTML */
    struct str attr; /* every character that needs escaping */
    struct str empty;
    bool published;
    bool draft;
    int64_t count;
    int64_t zero;
    int64_t neg;
    int64_t big;
    const struct item *items;
    size_t nitems;
    const struct item *one;
    size_t n_one;
    const struct item *none;
    size_t n_none;
    const struct author *author;
    const struct author *editor;
};

static const struct render_type author_type;

static const struct render_field author_fields[] = {
    RENDER_STR_FIELD(struct author, name),
    RENDER_STR_FIELD(struct author, url),
    RENDER_OBJ_FIELD(struct author, mentor, &author_type),
};
static const struct render_type author_type = RENDER_TYPE(struct author, author_fields);

static const struct render_field item_fields[] = {
    RENDER_STR_FIELD(struct item, title),
    RENDER_INT_FIELD(struct item, n),
    RENDER_BOOL_FIELD(struct item, hot),
    RENDER_OBJ_FIELD(struct item, author, &author_type),
};
static const struct render_type item_type = RENDER_TYPE(struct item, item_fields);

static const struct render_field page_fields[] = {
    RENDER_STR_FIELD(struct page, title),
    RENDER_HTML_FIELD(struct page, body),
    RENDER_STR_FIELD(struct page, attr),
    RENDER_STR_FIELD(struct page, empty),
    RENDER_BOOL_FIELD(struct page, published),
    RENDER_BOOL_FIELD(struct page, draft),
    RENDER_INT_FIELD(struct page, count),
    RENDER_INT_FIELD(struct page, zero),
    RENDER_INT_FIELD(struct page, neg),
    RENDER_INT_FIELD(struct page, big),
    RENDER_LIST_FIELD(struct page, items, nitems, &item_type),
    RENDER_LIST_FIELD(struct page, one, n_one, &item_type),
    RENDER_LIST_FIELD(struct page, none, n_none, &item_type),
    RENDER_OBJ_FIELD(struct page, author, &author_type),
    RENDER_OBJ_FIELD(struct page, editor, &author_type),
};
static const struct render_type page_type = RENDER_TYPE(struct page, page_fields);

static const struct author bob = {STR_LIT("Bob \"B\""), STR_LIT("/a/bob"), NULL};
static const struct author alice = {STR_LIT("Alice"), STR_LIT("/a/alice"), &bob};

static const struct item items[] = {
    {STR_LIT("One"), 1, true, &alice},
    {STR_LIT("Two & <2>"), 2, false, NULL},
    {STR_LIT("Three"), 3, false, &bob},
};
static const struct item solo[] = {{STR_LIT("Solo"), 9, true, &alice}};

static const struct page fixture = {
    .title = STR_LIT("Front page"),
    .body = STR_LIT("<p>Hi &amp; welcome</p>"),
    .attr = STR_LIT("Tom & Jerry's \"show\" <b>"),
    .empty = STR_NULL,
    .published = true,
    .draft = false,
    .count = 3,
    .zero = 0,
    .neg = -42,
    .big = INT64_MIN,
    .items = items,
    .nitems = ARRAY_LEN(items),
    .one = solo,
    .n_one = 1,
    .none = NULL,
    .n_none = 0,
    .author = &alice,
    .editor = NULL,
};

/* ---- partials served to every compile in this file ---------------------------------- */

static const struct {
    const char *name;
    const char *file;
    const char *src;
} test_partials[] = {
    {"heading", "partials/heading.html", "<h1>{{title}}</h1>\n"},
    {"nest1", "partials/nest1.html", "({{>nest2}})"},
    {"nest2", "partials/nest2.html", "[{{count}}{{#items}}{{>nest3}}{{/items}}]"},
    {"nest3", "partials/nest3.html", "{{n}}"},
    {"self", "partials/self.html", "x{{>self}}"},
    {"ping", "partials/ping.html", "{{>pong}}"},
    {"pong", "partials/pong.html", "{{>ping}}"},
    {"bad", "partials/bad.html", "line one\n{{nope}}\n"},
    {"open", "partials/open.html", "{{#published}}\n"},
    {"closer", "partials/closer.html", "{{/items}}"},
    {"byline", "partials/byline.html", "by {{#author}}{{name}}{{/author}}"},
};

/* ctx, when set, is the source of a partial named "big". */
static enum err_code test_partial(void *ctx, const char *name, struct str *src,
                                  const char **filename, struct err *err)
{
    (void)err;
    if (ctx && strcmp(name, "big") == 0) {
        *src = *(const struct str *)ctx;
        *filename = "partials/big.html";
        return ERR_OK;
    }
    for (size_t i = 0; i < ARRAY_LEN(test_partials); i++) {
        if (strcmp(test_partials[i].name, name) == 0) {
            *src = str_from(test_partials[i].src);
            *filename = test_partials[i].file;
            return ERR_OK;
        }
    }
    return ERR_NOTFOUND; /* leaves the compiler's preset message */
}

static struct render_tpl *compile_ok(const char *src)
{
    struct render_tpl *t = NULL;
    struct err err = {0};
    enum err_code rc =
        render_tpl_compile(str_from(src), "t.html", &page_type, test_partial, NULL, &t, &err);
    cr_assert_eq(rc, ERR_OK, "compiling '%s': %s", src, err.msg);
    cr_assert_not_null(t);
    return t;
}

static void expect(const char *src, const char *want)
{
    struct render_tpl *t = compile_ok(src);
    struct buf out;
    buf_init(&out, 1 << 20);
    cr_assert_eq(render_tpl_exec(t, &fixture, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, want, "template '%s'\n got '%s'\nwant '%s'", src,
                     buf_str(&out).ptr, want);
    buf_release(&out);
    render_tpl_free(t);
}

static void expect_err_ctx(const char *src, void *ctx, enum err_code code, const char *msg)
{
    struct render_tpl *t = (struct render_tpl *)&t; /* must be reset to NULL */
    struct err err = {0};
    enum err_code rc =
        render_tpl_compile(str_from(src), "t.html", &page_type, test_partial, ctx, &t, &err);
    cr_assert_eq(rc, code, "template '%s': got %s (%s)", src, err_name(rc), err.msg);
    cr_expect_str_eq(err.msg, msg, "template '%s'", src);
    cr_expect_eq(err.code, code);
    cr_expect_null(t);
}

static void expect_err(const char *src, const char *msg)
{
    expect_err_ctx(src, NULL, ERR_INVALID, msg);
}

/* ---- output ------------------------------------------------------------------------- */

Test(render, literal_text_only)
{
    expect("", "");
    expect("plain } text }} with { braces {", "plain } text }} with { braces {");
}

Test(render, escapes_in_text_and_attributes)
{
    expect("<p title=\"{{attr}}\">{{attr}}</p>",
           "<p title=\"Tom &amp; Jerry&#39;s &quot;show&quot; &lt;b&gt;\">"
           "Tom &amp; Jerry&#39;s &quot;show&quot; &lt;b&gt;</p>");
    expect("<a href='{{author.url}}?a=1&b={{attr}}'>", "<a href='/a/alice?a=1&b="
                                                       "Tom &amp; Jerry&#39;s &quot;show&quot; "
                                                       "&lt;b&gt;'>");
}

Test(render, trusted_html_only_when_asked)
{
    expect("{{{body}}}|{{&body}}|{{body}}", "<p>Hi &amp; welcome</p>|<p>Hi &amp; welcome</p>|"
                                            "&lt;p&gt;Hi &amp;amp; welcome&lt;/p&gt;");
}

Test(render, integers_and_booleans)
{
    expect("{{count}} {{zero}} {{neg}} {{big}}", "3 0 -42 -9223372036854775808");
    expect("{{published}} {{draft}}", "true false");
}

Test(render, empty_string_with_null_pointer)
{
    expect("[{{empty}}]{{#empty}}x{{/empty}}{{^empty}}none{{/empty}}", "[]none");
}

Test(render, list_of_many)
{
    expect("{{#items}}<{{n}}:{{title}}>{{/items}}", "<1:One><2:Two &amp; &lt;2&gt;><3:Three>");
}

Test(render, list_of_one_and_none)
{
    expect("{{#one}}[{{title}}]{{/one}}", "[Solo]");
    expect("a{{#none}}never{{/none}}b", "ab");
    expect("{{^none}}empty{{/none}}{{^items}}never{{/items}}", "empty");
}

Test(render, list_with_null_items_is_empty)
{
    struct page p = fixture;
    p.items = NULL; /* a count without items must not be followed */
    struct render_tpl *t = compile_ok("{{#items}}x{{/items}}{{^items}}none{{/items}}");
    struct buf out;
    buf_init(&out, 1024);
    cr_assert_eq(render_tpl_exec(t, &p, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "none");
    buf_release(&out);
    render_tpl_free(t);
}

Test(render, sections_on_scalars)
{
    expect("{{#published}}pub{{/published}}{{#draft}}draft{{/draft}}", "pub");
    expect("{{#count}}n={{count}}{{/count}}{{#zero}}zero{{/zero}}{{#neg}}neg{{/neg}}", "n=3neg");
    expect("{{#title}}t={{title}}{{/title}}{{#body}}has body{{/body}}", "t=Front pagehas body");
}

Test(render, inverted_sections_of_each_kind)
{
    expect("{{^published}}A{{/published}}{{^draft}}B{{/draft}}"
           "{{^count}}C{{/count}}{{^zero}}D{{/zero}}"
           "{{^title}}E{{/title}}{{^empty}}F{{/empty}}"
           "{{^author}}G{{/author}}{{^editor}}H{{/editor}}"
           "{{^items}}I{{/items}}{{^none}}J{{/none}}",
           "BDFHJ");
}

Test(render, objects_null_and_not)
{
    expect("{{#author}}{{name}} <{{url}}>{{/author}}{{#editor}}{{name}}{{/editor}}",
           "Alice </a/alice>");
}

Test(render, nested_sections_see_outer_scopes)
{
    expect("{{#items}}{{title}}/{{count}}/{{#author}}{{name}}:{{title}}{{/author}};{{/items}}",
           "One/3/Alice:One;Two &amp; &lt;2&gt;/3/;Three/3/Bob &quot;B&quot;:Three;");
    expect("{{#items}}{{#one}}{{title}}{{n}}{{/one}}{{/items}}", "Solo9Solo9Solo9");
    expect("{{#items}}{{#items}}{{n}}{{/items}}.{{/items}}", "123.123.123.");
}

Test(render, dotted_names)
{
    expect("{{author.name}} {{author.mentor.name}} [{{author.mentor.mentor.name}}]",
           "Alice Bob &quot;B&quot; []");
    expect("[{{editor.name}}]{{#author.mentor}}{{name}}{{/author.mentor}}", "[]Bob &quot;B&quot;");
    expect("{{#items}}{{author.name}},{{/items}}", "Alice,,Bob &quot;B&quot;,");
    expect("{{^editor.name}}no editor{{/editor.name}}{{^editor.mentor}}no mentor{{/editor.mentor}}",
           "no editorno mentor");
}

Test(render, partials_inline_in_their_scope)
{
    expect("{{>heading}}{{#items}}{{>heading}}{{/items}}",
           "<h1>Front page</h1>\n<h1>One</h1>\n<h1>Two &amp; &lt;2&gt;</h1>\n<h1>Three</h1>\n");
    expect("{{>byline}}|{{#items}}{{>byline}};{{/items}}",
           "by Alice|by Alice;by ;by Bob &quot;B&quot;;");
}

Test(render, nested_partials)
{
    expect("{{>nest1}}", "([3123])");
}

Test(render, comments)
{
    expect("a{{! a comment }}b{{!}}c", "abc");
    expect("a\n{{! standalone }}\nb\n  {{! two\n lines }}  \nc\n", "a\nb\nc\n");
}

Test(render, whitespace_inside_tags)
{
    expect("{{ title }}|{{# published }}y{{/ published }}|{{& body }}|{{{ body }}}",
           "Front page|y|<p>Hi &amp; welcome</p>|<p>Hi &amp; welcome</p>");
    expect("{{#items}}{{ > nest3 }}{{/items}}", "123");
}

Test(render, standalone_lines_removed)
{
    expect("<ul>\n  {{#items}}\n  <li>{{n}}</li>\n  {{/items}}\n</ul>\n",
           "<ul>\n  <li>1</li>\n  <li>2</li>\n  <li>3</li>\n</ul>\n");
    expect("\t{{^draft}}\t\nyes\n{{/draft}}", "yes\n");
    expect("<div>\n  {{> heading }}\n</div>\n", "<div>\n<h1>Front page</h1>\n</div>\n");
}

Test(render, standalone_lines_with_crlf)
{
    expect("a\r\n{{#published}}\r\nb\r\n{{/published}}\r\nc", "a\r\nb\r\nc");
}

Test(render, tags_sharing_a_line_are_not_standalone)
{
    expect("  {{#published}}x{{/published}}  \n", "  x  \n");
    expect("a {{#published}}\nb\n{{/published}}\n", "a \nb\n");
    expect("{{title}} {{#published}}\nb\n{{/published}}", "Front page \nb\n");
}

Test(render, variables_never_standalone)
{
    expect("  {{count}}  \nx", "  3  \nx");
}

Test(render, null_data_renders_empty)
{
    struct render_tpl *t = compile_ok("[{{title}}{{#items}}x{{/items}}{{^author}}none{{/author}}]");
    struct buf out;
    buf_init(&out, 1024);
    cr_assert_eq(render_tpl_exec(t, NULL, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "[none]");
    buf_release(&out);
    render_tpl_free(t);
}

Test(render, same_template_renders_twice)
{
    struct render_tpl *t = compile_ok("{{#items}}{{n}}{{/items}}");
    struct buf out;
    buf_init(&out, 1024);
    cr_assert_eq(render_tpl_exec(t, &fixture, &out), ERR_OK);
    cr_assert_eq(render_tpl_exec(t, &fixture, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "123123");
    buf_release(&out);
    render_tpl_free(t);
}

Test(render, free_null_does_nothing)
{
    render_tpl_free(NULL);
    render_theme_free(NULL);
}

/* ---- the output cap ----------------------------------------------------------------- */

static void expect_toobig(const char *src, size_t cap, const char *kept)
{
    struct render_tpl *t = compile_ok(src);
    struct buf out;
    buf_init(&out, cap);
    cr_expect_eq(render_tpl_exec(t, &fixture, &out), ERR_TOOBIG, "template '%s'", src);
    cr_expect_leq(out.len, cap);
    cr_expect_str_eq(buf_str(&out).ptr, kept, "template '%s'", src);
    buf_release(&out);
    render_tpl_free(t);
}

Test(render, toobig_stops_at_the_cap)
{
    expect_toobig("0123456789abc", 10, "");
    expect_toobig("{{#items}}{{title}},{{/items}}tail", 10, "One,Two ");
    expect_toobig("12345678{{attr}}", 10, "12345678");
    expect_toobig("12345678{{{body}}}", 10, "12345678");
    expect_toobig("12345678{{big}}", 10, "12345678");
    expect_toobig("123456789{{published}}", 10, "123456789");
}

Test(render, exactly_at_the_cap_fits)
{
    struct render_tpl *t = compile_ok("{{#items}}{{n}}{{/items}}");
    struct buf out;
    buf_init(&out, 3);
    cr_expect_eq(render_tpl_exec(t, &fixture, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "123");
    buf_release(&out);
    render_tpl_free(t);
}

/* ---- compile errors ----------------------------------------------------------------- */

Test(render_errors, unknown_variable)
{
    expect_err("{{nope}}", "t.html:1: unknown variable 'nope' (in scope of type 'struct page')");
    expect_err("a\n{{#items}}\n{{nope}}\n{{/items}}",
               "t.html:3: unknown variable 'nope' (in scope of type 'struct item')");
    expect_err("{{#author}}{{#mentor}}\n\n{{n}}{{/mentor}}{{/author}}",
               "t.html:3: unknown variable 'n' (in scope of type 'struct author')");
}

Test(render_errors, unknown_dotted_name)
{
    expect_err("{{author.nope}}",
               "t.html:1: unknown variable 'author.nope' (in scope of type 'struct author')");
    expect_err("{{nope.name}}",
               "t.html:1: unknown variable 'nope.name' (in scope of type 'struct page')");
    expect_err("{{title.x}}", "t.html:1: 'title' in 'title.x' is not an object");
    expect_err("{{#items.title}}{{/items.title}}",
               "t.html:1: 'items' in 'items.title' is not an object");
}

Test(render_errors, unclosed_section)
{
    expect_err("a\n{{#items}}\nb", "t.html:2: unclosed section 'items'");
    expect_err("{{#items}}\n{{^hot}}\n", "t.html:2: unclosed section 'hot'");
}

Test(render_errors, mismatched_close)
{
    expect_err("{{#items}}\n{{/author}}",
               "t.html:2: mismatched close '/author' (expected '/items')");
}

Test(render_errors, unexpected_close)
{
    expect_err("x\n\n{{/items}}", "t.html:3: unexpected close '/items'");
    expect_err("{{#items}}{{/items}}{{/items}}", "t.html:1: unexpected close '/items'");
}

Test(render_errors, unterminated_tag)
{
    expect_err("a\n{{title", "t.html:2: unterminated tag");
    expect_err("{{{body}}", "t.html:1: unterminated tag");
    expect_err("\n\n{{! comment", "t.html:3: unterminated tag");
    expect_err("{{", "t.html:1: unterminated tag");
    expect_err("{{{", "t.html:1: unterminated tag");
}

Test(render_errors, empty_tag)
{
    expect_err("{{}}", "t.html:1: empty tag");
    expect_err("x\n{{ }}", "t.html:2: empty tag");
    expect_err("{{#}}", "t.html:1: empty tag");
    expect_err("{{/ }}", "t.html:1: empty tag");
    expect_err("{{{ }}}", "t.html:1: empty tag");
    expect_err("{{&}}", "t.html:1: empty tag");
    expect_err("{{>}}", "t.html:1: empty tag");
}

Test(render_errors, bad_characters_in_name)
{
    expect_err("{{ti tle}}", "t.html:1: bad characters in name 'ti tle'");
    expect_err("{{a..b}}", "t.html:1: bad characters in name 'a..b'");
    expect_err("{{.}}", "t.html:1: bad characters in name '.'");
    expect_err("{{author.}}", "t.html:1: bad characters in name 'author.'");
    expect_err("{{=<% %>=}}", "t.html:1: bad characters in name '=<% %>='");
    expect_err("{{>a b}}", "t.html:1: bad characters in name 'a b'");
    expect_err("{{ti\ttle}}", "t.html:1: bad characters in name 'ti?tle'");
}

Test(render_errors, name_too_long)
{
    char src[300];
    memset(src, 'a', sizeof(src));
    memcpy(src, "{{", 2);
    memcpy(src + 200, "}}", 3);
    expect_err(src, "t.html:1: name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' too long "
                    "(over 128 bytes)");
}

Test(render_errors, triple_mustache_on_non_html)
{
    expect_err("{{{title}}}", "t.html:1: triple mustache on non-HTML field 'title' (kind str)");
    expect_err("\n{{&count}}", "t.html:2: triple mustache on non-HTML field 'count' (kind int)");
    expect_err("{{{items}}}", "t.html:1: triple mustache on non-HTML field 'items' (kind list)");
    expect_err("{{{nope}}}", "t.html:1: unknown variable 'nope' (in scope of type 'struct page')");
}

Test(render_errors, printing_a_list_or_object)
{
    expect_err("{{items}}", "t.html:1: cannot print list 'items' (open it as a section)");
    expect_err("{{author.mentor}}",
               "t.html:1: cannot print obj 'author.mentor' (open it as a section)");
}

Test(render_errors, unknown_partial)
{
    expect_err("\n{{>nope}}", "t.html:2: unknown partial 'nope'");
    struct render_tpl *t = NULL;
    struct err err = {0};
    cr_expect_eq(render_tpl_compile(STR_LIT("{{>x}}"), "t.html", &page_type, NULL, NULL, &t, &err),
                 ERR_INVALID);
    cr_expect_str_eq(err.msg, "t.html:1: unknown partial 'x' (no partials here)");
}

Test(render_errors, recursive_partials)
{
    expect_err("{{>self}}", "partials/self.html:1: partials nested too deep (over 16) at 'self'");
    expect_err("\n{{>ping}}", "partials/pong.html:1: partials nested too deep (over 16) at 'ping'");
}

Test(render_errors, errors_inside_partials_name_the_partial)
{
    expect_err("{{>bad}}",
               "partials/bad.html:2: unknown variable 'nope' (in scope of type 'struct page')");
    expect_err("{{#items}}\n{{>bad}}{{/items}}",
               "partials/bad.html:2: unknown variable 'nope' (in scope of type 'struct item')");
    expect_err("{{>open}}{{/published}}", "partials/open.html:1: unclosed section 'published'");
    expect_err("{{#items}}{{>closer}}", "partials/closer.html:1: unexpected close '/items'");
}

Test(render_errors, sections_nested_too_deep)
{
    struct buf src;
    buf_init(&src, 1 << 16);
    for (int i = 0; i < 64; i++)
        buf_puts(&src, "{{#published}}\n");
    for (int i = 0; i < 64; i++)
        buf_puts(&src, "{{/published}}\n");
    struct render_tpl *t = compile_ok(src.ptr); /* 64 is allowed */
    render_tpl_free(t);
    buf_reset(&src);
    for (int i = 0; i < 65; i++)
        buf_puts(&src, "{{#items}}\n");
    expect_err(src.ptr, "t.html:65: sections nested too deep (over 64)");
    buf_release(&src);
}

Test(render_errors, template_too_big)
{
    size_t n = RENDER_TEMPLATE_MAX + 1;
    char *src = malloc(n + 1);
    memset(src, 'x', n);
    src[n] = '\0';
    expect_err_ctx(src, NULL, ERR_TOOBIG, "t.html: template larger than 262144 bytes");
    src[n - 1] = '\0';
    render_tpl_free(compile_ok(src));
    free(src);
}

Test(render_errors, partials_expand_past_the_limit)
{
    /* each copy is within RENDER_TEMPLATE_MAX; five of them are not within 4 times that */
    size_t n = RENDER_TEMPLATE_MAX - 10;
    char *big = malloc(n);
    memset(big, 'y', n);
    struct str src = {big, n};
    expect_err_ctx("{{>big}}{{>big}}{{>big}}{{>big}}{{>big}}", &src, ERR_TOOBIG,
                   "partials/big.html: template and partials larger than 1048576 bytes");
    free(big);
}

Test(render_errors, null_err_is_allowed)
{
    struct render_tpl *t = NULL;
    cr_expect_eq(render_tpl_compile(STR_LIT("{{>nope}}{{x"), "t.html", &page_type, test_partial,
                                    NULL, &t, NULL),
                 ERR_INVALID);
    cr_expect_eq(
        render_tpl_compile(STR_LIT("{{nope}}"), NULL, &page_type, test_partial, NULL, &t, NULL),
        ERR_INVALID);
    cr_expect_null(t);
}

Test(render_errors, default_file_name)
{
    struct render_tpl *t = NULL;
    struct err err = {0};
    cr_expect_eq(render_tpl_compile(STR_LIT("{{nope}}"), NULL, &page_type, NULL, NULL, &t, &err),
                 ERR_INVALID);
    cr_expect_str_eq(err.msg,
                     "<template>:1: unknown variable 'nope' (in scope of type 'struct page')");
}

/* ---- golden cases: the .txt files of tests/spec/templates, over the fixture --------- */

static const char *spec_dir(void)
{
    const char *d = getenv("NEWSDESK_SPEC");
    return d && *d ? d : "tests/spec";
}

static size_t run_spec_file(const char *path)
{
    size_t n = 0;
    struct spec_example *ex = spec_load(path, &n);
    for (size_t i = 0; i < n; i++) {
        struct render_tpl *t = NULL;
        struct err err = {0};
        enum err_code rc = render_tpl_compile(str_from(ex[i].input), ex[i].name, &page_type,
                                              test_partial, NULL, &t, &err);
        cr_expect_eq(rc, ERR_OK, "%s:%d: %s", path, ex[i].line, err.msg);
        if (rc)
            continue;
        struct buf out;
        buf_init(&out, 1 << 20);
        cr_expect_eq(render_tpl_exec(t, &fixture, &out), ERR_OK);
        cr_expect_str_eq(buf_str(&out).ptr, ex[i].expected,
                         "%s:%d: example '%s'\n got '%s'\nwant '%s'", path, ex[i].line, ex[i].name,
                         buf_str(&out).ptr, ex[i].expected);
        buf_release(&out);
        render_tpl_free(t);
    }
    spec_free(ex, n);
    return n;
}

Test(render_spec, golden_templates)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/templates", spec_dir());
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "cannot open '%s'", dir);
    size_t examples = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        examples += run_spec_file(path);
    }
    closedir(d);
    cr_expect_gt(examples, 20, "only %zu golden examples found in '%s'", examples, dir);
}

Test(render_errors, success_leaves_err_alone)
{
    struct render_tpl *t = NULL;
    struct err err = {ERR_OK, "untouched"};
    cr_assert_eq(render_tpl_compile(STR_LIT("{{>heading}}"), "t.html", &page_type, test_partial,
                                    NULL, &t, &err),
                 ERR_OK);
    cr_expect_eq(err.code, ERR_OK);
    cr_expect_str_eq(err.msg, "untouched");
    render_tpl_free(t);
}

/* ---- pathological inputs: each must finish in linear time (cmark's pathological tests) - */

/* As many whole pieces as fit in max bytes (malloc'd). */
static char *repeat(const char *piece, size_t max)
{
    return test_repeat(piece, max / strlen(piece));
}

static void render_all(const char *src, size_t *len)
{
    struct render_tpl *t = compile_ok(src);
    struct buf out;
    buf_init(&out, 16 << 20);
    cr_assert_eq(render_tpl_exec(t, &fixture, &out), ERR_OK);
    *len = out.len;
    buf_release(&out);
    render_tpl_free(t);
}

Test(render_errors, pathological_inputs, .timeout = 20)
{
    char *s = repeat("{{", RENDER_TEMPLATE_MAX);
    expect_err(s, "t.html:1: unterminated tag");
    free(s);

    s = repeat("{{{body}}", RENDER_TEMPLATE_MAX);
    expect_err(s, "t.html:1: unterminated tag");
    free(s);

    size_t len = 0;
    s = repeat("{{title}}", RENDER_TEMPLATE_MAX);
    render_all(s, &len);
    cr_expect_eq(len, RENDER_TEMPLATE_MAX / 9 * 10);
    free(s);

    s = repeat("{{#items}}{{^none}}{{n}}{{/none}}{{/items}}\n", RENDER_TEMPLATE_MAX);
    render_all(s, &len);
    free(s);

    s = repeat(" \t", RENDER_TEMPLATE_MAX - 64);
    render_all(s, &len);
    cr_expect_eq(len, RENDER_TEMPLATE_MAX - 64);
    free(s);

    s = repeat("{{>nest1}}", RENDER_TEMPLATE_MAX);
    expect_err_ctx(s, NULL, ERR_TOOBIG,
                   "partials/nest2.html: template and partials larger than 1048576 bytes");
    free(s);
}

/* A descriptor mistake (a list or object without its element type) is an error, not a crash. */
struct untyped {
    const struct page *p;
    const struct page *ps;
    size_t nps;
};

static const struct render_field untyped_fields[] = {
    RENDER_OBJ_FIELD(struct untyped, p, NULL),
    RENDER_LIST_FIELD(struct untyped, ps, nps, NULL),
};
static const struct render_type untyped_type = RENDER_TYPE(struct untyped, untyped_fields);

Test(render_errors, descriptor_without_element_type)
{
    static const char *const srcs[] = {"{{#p}}{{/p}}", "{{#ps}}{{/ps}}", "{{p.title}}"};
    static const char *const msgs[] = {
        "t.html:1: field 'p' has no type in its descriptor",
        "t.html:1: field 'ps' has no type in its descriptor",
        "t.html:1: 'p' in 'p.title' is not an object",
    };
    for (size_t i = 0; i < ARRAY_LEN(srcs); i++) {
        struct render_tpl *t = NULL;
        struct err err = {0};
        cr_expect_eq(
            render_tpl_compile(str_from(srcs[i]), "t.html", &untyped_type, NULL, NULL, &t, &err),
            ERR_INVALID);
        cr_expect_str_eq(err.msg, msgs[i]);
    }
    /* inverted sections need no element type */
    struct render_tpl *t = NULL;
    cr_assert_eq(render_tpl_compile(STR_LIT("{{^p}}a{{/p}}{{^ps}}b{{/ps}}"), "t.html",
                                    &untyped_type, NULL, NULL, &t, NULL),
                 ERR_OK);
    struct untyped u = {NULL, NULL, 0};
    struct buf out;
    buf_init(&out, 64);
    cr_expect_eq(render_tpl_exec(t, &u, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "ab");
    buf_release(&out);
    render_tpl_free(t);
}
