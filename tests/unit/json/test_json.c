/*
 * json/: the bytes it writes (the Content API, JSON Feed and JSON-LD depend on them not
 * changing) and what its parser refuses.
 */
#include "json/json.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static const struct json_limits limits = {64 * 1024, 32};

/* v written with flags, as a NUL-terminated string the test frees. */
static char *written(const struct json *v, enum json_write_flags flags)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    struct err err = {0};
    cr_assert_eq(json_write(v, flags, &b, &err), ERR_OK, "%s", err.msg);
    char *s = xstrdup(buf_str(&b).ptr);
    buf_release(&b);
    return s;
}

static void expect_written(const struct json *v, enum json_write_flags flags, const char *want)
{
    char *got = written(v, flags);
    cr_expect_str_eq(got, want);
    free(got);
}

/* text parsed: ERR_OK and the tree, which the test frees. */
static struct json *parsed(const char *text)
{
    struct json *v = NULL;
    struct err err = {0};
    cr_assert_eq(json_parse(str_from(text), &limits, &v, &err), ERR_OK, "'%s': %s", text, err.msg);
    return v;
}

/* (p, n) refused with code, and a message naming where (when the code is ERR_INVALID). */
static void expect_refused(struct str text, enum err_code code, const char *where)
{
    struct json *v = (struct json *)&v; /* must come back NULL */
    struct err err = {0};
    cr_expect_eq(json_parse(text, &limits, &v, &err), code, "'%.*s'", (int)text.len, text.ptr);
    cr_expect_null(v);
    cr_expect(err.msg[0], "a refusal says why");
    if (where)
        cr_expect(strstr(err.msg, where), "'%s' in '%s'", where, err.msg);
}

TestSuite(json);

Test(json, an_object_is_written_compact_in_insertion_order)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "title", STR_LIT("Kyiv"));
    json_obj_set_int(o, "min", INT64_MIN);
    json_obj_set_int(o, "max", INT64_MAX);
    json_obj_set_bool(o, "featured", true);
    json_obj_set_bool(o, "access", false);
    json_obj_set_null(o, "og_image");
    struct json *tags = json_arr_new();
    json_arr_push(tags, json_str_new(STR_LIT("news")));
    json_arr_push(tags, json_int_new(3));
    json_arr_push(tags, NULL);
    json_obj_set(o, "tags", tags);
    json_obj_set(o, "meta", json_obj_new());
    json_obj_set_str(o, "title", STR_LIT("Lviv")); /* replaced in place */
    expect_written(o, JSON_WRITE_COMPACT,
                   "{\"title\":\"Lviv\",\"min\":-9223372036854775808,"
                   "\"max\":9223372036854775807,\"featured\":true,\"access\":false,"
                   "\"og_image\":null,\"tags\":[\"news\",3,null],\"meta\":{}}");
    json_free(o);
}

Test(json, strings_escape_only_quotes_backslashes_and_controls)
{
    static const char text[] = "q\" b\\ c\x01 d\x1f e\x7f f/ g\b\f\n\r\t "
                               "h\xe2\x80\xa8 i\xf0\x9f\x93\xb0 <&> \0z";
    struct json *v = json_str_new((struct str){text, sizeof(text) - 1});
    cr_assert_not_null(v);
    expect_written(v, JSON_WRITE_COMPACT,
                   "\"q\\\" b\\\\ c\\u0001 d\\u001F e\x7f f/ g\\b\\f\\n\\r\\t "
                   "h\xe2\x80\xa8 i\xf0\x9f\x93\xb0 <&> \\u0000z\"");
    json_free(v);
}

Test(json, script_safe_output_cannot_close_a_script_element)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "headline", STR_LIT("</script><script>alert(1)</script><!-- & -->"));
    expect_written(o, JSON_WRITE_SCRIPT_SAFE,
                   "{\"headline\":\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"
                   "\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e\"}");
    char *plain = written(o, JSON_WRITE_COMPACT);
    cr_expect(strstr(plain, "</script>"), "without the flag the text is as it was");
    free(plain);
    json_free(o);
}

Test(json, indented_output_is_json_feeds_layout)
{
    struct json *o = json_obj_new();
    struct json *items = json_arr_new();
    struct json *item = json_obj_new();
    json_obj_set_str(item, "id", STR_LIT("x"));
    json_arr_push(items, item);
    json_arr_push(items, json_int_new(2));
    json_obj_set_str(o, "version", STR_LIT("1.1"));
    json_obj_set(o, "items", items);
    json_obj_set(o, "tags", json_arr_new());
    expect_written(o, JSON_WRITE_INDENT,
                   "{\n \"version\": \"1.1\",\n \"items\": [\n  {\n   \"id\": \"x\"\n  },\n"
                   "  2\n ],\n \"tags\": []\n}");
    json_free(o);
}

Test(json, invalid_utf8_text_becomes_null)
{
    static const char *const bad[] = {"\xff", "a\xc0\xaf", "\xed\xa0\x80", "\xe2\x82",
                                      "\xf4\x90\x80\x80"};
    struct json *o = json_obj_new();
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        cr_expect_null(json_str_new(str_from(bad[i])), "%zu", i);
    json_obj_set_str(o, "title", str_from(bad[0]));
    json_obj_set_str(o, "empty", STR_NULL);
    expect_written(o, JSON_WRITE_COMPACT, "{\"title\":null,\"empty\":\"\"}");
    json_free(o);
}

Test(json, a_full_buffer_is_toobig_and_left_as_it_was)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "body", STR_LIT("0123456789abcdef0123456789abcdef"));
    struct buf b;
    buf_init(&b, 24);
    cr_assert_eq(buf_puts(&b, "kept"), ERR_OK);
    struct err err = {0};
    cr_expect_eq(json_write(o, JSON_WRITE_SCRIPT_SAFE, &b, &err), ERR_TOOBIG);
    cr_expect_str_eq(b.ptr, "kept");
    cr_expect_eq(b.len, 4);
    cr_expect(err.msg[0]);
    buf_release(&b);
    json_free(o);
}

static bool keep_short(const char *key, const void *ctx)
{
    return strlen(key) <= *(const size_t *)ctx;
}

Test(json, retain_keeps_the_chosen_members_in_order)
{
    struct json *o = parsed("{\"id\":1,\"title\":2,\"url\":3,\"excerpt\":4,\"slug\":5}");
    size_t max = 4;
    json_obj_retain(o, keep_short, &max);
    expect_written(o, JSON_WRITE_COMPACT, "{\"id\":1,\"url\":3,\"slug\":5}");
    json_free(o);
}

Test(json, big_integers_keep_every_digit)
{
    static const char *const ok[] = {"9223372036854775807", "-9223372036854775808",
                                     "9007199254740993"};
    static const int64_t want[] = {INT64_MAX, INT64_MIN, 9007199254740993};
    for (size_t i = 0; i < ARRAY_LEN(ok); i++) {
        struct json *v = parsed(ok[i]);
        int64_t n = 0;
        cr_expect(json_as_int(v, &n));
        cr_expect_eq(n, want[i]);
        expect_written(v, JSON_WRITE_COMPACT, ok[i]);
        json_free(v);
    }
    expect_refused(STR_LIT("9223372036854775808"), ERR_INVALID, "line 1, column 19");
    expect_refused(STR_LIT("[-9223372036854775809]"), ERR_INVALID, "too big");
    struct json *r = parsed("1.5e3");
    int64_t n;
    cr_expect_eq(json_kind_of(r), JSON_KIND_REAL);
    cr_expect(!json_as_int(r, &n), "a real is not an integer");
    json_free(r);
}

Test(json, bad_utf8_and_bad_escapes_are_refused)
{
    expect_refused(STR_LIT("\"\xff\""), ERR_INVALID, "line 1, column 1");
    expect_refused(STR_LIT("{\"a\xc0\xaf\":1}"), ERR_INVALID, "line 1");
    expect_refused(STR_LIT("[\"\xed\xa0\x80\"]"), ERR_INVALID, "line 1");    /* a surrogate */
    expect_refused(STR_LIT("\"\xf0\x9f\x93\""), ERR_INVALID, "line 1");      /* cut short */
    expect_refused(STR_LIT("\"\\ud800\""), ERR_INVALID, "line 1, column 8"); /* lone */
    expect_refused(STR_LIT("\"\\udc00\\ud800\""), ERR_INVALID, "line 1");    /* reversed */
    expect_refused(STR_LIT("{\"a\":\"x\\u0000\"}"), ERR_INVALID, "\\u0000");
    expect_refused(STR_LIT("\"\\x41\""), ERR_INVALID, "line 1");
    struct json *v = parsed("\"\\ud83d\\udcf0 \xf0\x9f\x93\xb0\"");
    struct str s;
    cr_assert(json_as_str(v, &s));
    cr_expect(s.len == 9 && memcmp(s.ptr, "\xf0\x9f\x93\xb0 \xf0\x9f\x93\xb0", 9) == 0);
    json_free(v);
}

Test(json, a_depth_bomb_is_refused_without_recursion, .timeout = 10)
{
    size_t n = 1000000;
    char *bomb = xmalloc(n);
    memset(bomb, '[', n);
    expect_refused((struct str){bomb, n}, ERR_TOOBIG, NULL); /* the size cap comes first */
    struct json_limits big = {n, 1000000};
    struct json *v = NULL;
    struct err err = {0};
    cr_expect_eq(json_parse((struct str){bomb, n}, &big, &v, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "nested deeper than 512"), "%s", err.msg);
    free(bomb);
    /* exactly the limit passes, one more level does not; brackets in strings do not count */
    struct buf ok, deep;
    buf_init(&ok, 4096);
    buf_init(&deep, 4096);
    for (unsigned i = 0; i < limits.max_depth; i++)
        buf_puts(&ok, i % 2 ? "{\"k\":" : "[");
    buf_puts(&ok, "1");
    for (unsigned i = limits.max_depth; i-- > 0;)
        buf_puts(&ok, i % 2 ? "}" : "]");
    json_free(parsed(ok.ptr));
    buf_printf(&deep, "[%s]", ok.ptr);
    expect_refused(buf_str(&deep), ERR_INVALID, "line 1, column 93: nested deeper than 32");
    buf_release(&ok);
    buf_release(&deep);
    json_free(
        parsed("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[[[[[[[[[[[[{{{{{{\"]"));
}

Test(json, duplicate_keys_are_refused_at_any_depth)
{
    expect_refused(STR_LIT("{\"a\":1,\n \"a\":2}"), ERR_INVALID, "line 2, column 4: duplicate");
    expect_refused(STR_LIT("{\"posts\":[{\"id\":1,\"title\":\"x\",\"id\":2}]}"), ERR_INVALID,
                   "duplicate");
    expect_refused(STR_LIT("{\"a\":1,\"\\u0061\":2}"), ERR_INVALID, "duplicate");
    json_free(parsed("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}]}"));
}

Test(json, every_truncation_of_a_document_is_refused)
{
    static const char doc[] = "{\"posts\":[{\"id\":\"6e64\",\"n\":-12.5e3,\"ok\":true,"
                              "\"x\":null,\"t\":\"caf\xc3\xa9 \\u00e9 \\ud83d\\udcf0\"}],\"m\":{}}";
    json_free(parsed(doc));
    for (size_t n = 0; n < sizeof(doc) - 1; n++)
        expect_refused((struct str){doc, n}, ERR_INVALID, "line 1");
    expect_refused(STR_LIT("{} x"), ERR_INVALID, "end of file expected");
    expect_refused(STR_LIT("   "), ERR_INVALID, "line 1");
    struct json_limits tiny = {8, 4};
    struct json *v = NULL;
    cr_expect_eq(json_parse(STR_LIT("[1,2,3,4]"), &tiny, &v, NULL), ERR_TOOBIG);
    cr_expect_eq(json_parse(STR_LIT("[1,2,34]"), &tiny, &v, NULL), ERR_OK);
    json_free(v);
}

Test(json, a_parsed_tree_is_read_in_order)
{
    struct json *v = parsed(" {\"title\": \"Kyiv\", \"n\": 5, \"ok\": false,\n"
                            "  \"tags\": [\"a\", \"b\"], \"none\": null} ");
    cr_assert_eq(json_kind_of(v), JSON_KIND_OBJ);
    struct str s;
    int64_t n;
    bool b = true;
    cr_expect(json_as_str(json_obj_get(v, "title"), &s) && str_eq_cstr(s, "Kyiv"));
    cr_expect(json_as_int(json_obj_get(v, "n"), &n) && n == 5);
    cr_expect(json_as_bool(json_obj_get(v, "ok"), &b) && !b);
    cr_expect(!json_as_str(json_obj_get(v, "n"), &s), "a number is not a string");
    cr_expect_null(json_obj_get(v, "missing"));
    cr_expect_null(json_obj_get(json_obj_get(v, "tags"), "a"), "an array has no members");
    const struct json *tags = json_obj_get(v, "tags");
    cr_expect_eq(json_arr_len(tags), 2);
    cr_expect(json_as_str(json_arr_get(tags, 1), &s) && str_eq_cstr(s, "b"));
    cr_expect_null(json_arr_get(tags, 2));
    cr_expect_eq(json_kind_of(json_obj_get(v, "none")), JSON_KIND_NULL);
    static const char *const order[] = {"title", "n", "ok", "tags", "none"};
    struct json_iter it;
    json_iter_init(&it, v);
    struct str key;
    const struct json *val;
    size_t i = 0;
    while (json_iter_next(&it, &key, &val))
        cr_expect(i < ARRAY_LEN(order) && str_eq_cstr(key, order[i++]));
    cr_expect_eq(i, ARRAY_LEN(order));
    expect_written(
        v, JSON_WRITE_COMPACT,
        "{\"title\":\"Kyiv\",\"n\":5,\"ok\":false,\"tags\":[\"a\",\"b\"],\"none\":null}");
    json_free(v);
}
