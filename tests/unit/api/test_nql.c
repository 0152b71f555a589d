/* NQL (api/nql.c): the forms a news front end uses, precedence, and hostile input. */
#include "api/api.h"
#include "store/store.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1764000000

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(nql, .init = setup, .fini = teardown);

static struct store_cond *parse_ok(const char *s)
{
    struct store_cond *k = NULL;
    struct err err = {0};
    enum err_code rc = api_nql_parse(str_from(s), NOW, &a, &k, NULL, &err);
    cr_assert_eq(rc, ERR_OK, "'%s': %s", s, err.msg);
    return k;
}

static const char *parse_err(const char *s, size_t len)
{
    static struct err err;
    memset(&err, 0, sizeof(err));
    struct store_cond *k = NULL;
    enum err_code rc = api_nql_parse((struct str){s, len}, NOW, &a, &k, NULL, &err);
    cr_assert_eq(rc, ERR_INVALID, "'%.40s' should be refused", s);
    cr_assert(k == NULL, "nothing partial on error");
    cr_assert(err.msg[0]);
    return err.msg;
}

static void expect_cmp(const struct store_cond *k, const char *field, enum store_cond_op op,
                       size_t nvals)
{
    cr_assert_eq(k->kind, STORE_COND_CMP);
    cr_expect(str_eq_cstr(k->field, field), "field %.*s", (int)k->field.len, k->field.ptr);
    cr_expect_eq(k->op, op);
    cr_expect_eq(k->nvals, nvals);
}

Test(nql, a_single_comparison)
{
    struct store_cond *k = parse_ok("tag:news");
    expect_cmp(k, "tag", STORE_OP_EQ, 1);
    cr_expect_eq(k->vals[0].kind, STORE_VAL_TEXT);
    cr_expect(str_eq_cstr(k->vals[0].text, "news"));
}

Test(nql, operators)
{
    static const struct {
        const char *text;
        enum store_cond_op op;
    } cases[] = {
        {"a:-x", STORE_OP_NE},         {"a:>x", STORE_OP_GT},      {"a:>=x", STORE_OP_GE},
        {"a:<x", STORE_OP_LT},         {"a:<=x", STORE_OP_LE},     {"a:~x", STORE_OP_CONTAINS},
        {"a:-~x", STORE_OP_NCONTAINS}, {"a:~^x", STORE_OP_STARTS}, {"a:~$x", STORE_OP_ENDS},
        {"a:[x,y]", STORE_OP_IN},      {"a:-[x,y]", STORE_OP_NIN}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct store_cond *k = parse_ok(cases[i].text);
        cr_expect_eq(k->op, cases[i].op, "%s", cases[i].text);
    }
}

Test(nql, values_true_false_null_quoted_and_lists)
{
    struct store_cond *k = parse_ok("featured:true");
    cr_expect_eq(k->vals[0].kind, STORE_VAL_BOOL);
    cr_expect_eq(k->vals[0].num, 1);
    k = parse_ok("feature_image:null");
    cr_expect_eq(k->vals[0].kind, STORE_VAL_NULL);
    k = parse_ok("title:'Tom \\'n\\' Jerry, + (friends)'");
    cr_expect(str_eq_cstr(k->vals[0].text, "Tom 'n' Jerry, + (friends)"));
    k = parse_ok("title:\"double\"");
    cr_expect(str_eq_cstr(k->vals[0].text, "double"));
    k = parse_ok("tag:[a, 'b c' ,d]");
    expect_cmp(k, "tag", STORE_OP_IN, 3);
    cr_expect(str_eq_cstr(k->vals[1].text, "b c"));
    k = parse_ok("published_at:>'2017-06-03 23:43:12'");
    cr_expect(str_eq_cstr(k->vals[0].text, "2017-06-03 23:43:12"));
}

Test(nql, relative_dates)
{
    bool clock = false;
    struct store_cond *k = NULL;
    struct err err = {0};
    cr_assert_eq(api_nql_parse(STR_LIT("published_at:>now-7d"), NOW, &a, &k, &clock, &err), 0);
    cr_expect(clock);
    cr_expect_eq(k->vals[0].kind, STORE_VAL_INT);
    cr_expect_eq(k->vals[0].num, NOW - 7 * 86400);
    k = parse_ok("published_at:<now+2h");
    cr_expect_eq(k->vals[0].num, NOW + 7200);
    k = parse_ok("published_at:<=now");
    cr_expect_eq(k->vals[0].num, NOW);
    k = parse_ok("slug:nowhere"); /* a word that starts with "now" stays a word */
    cr_expect_eq(k->vals[0].kind, STORE_VAL_TEXT);
}

Test(nql, comma_binds_looser_than_plus)
{
    /* a,b+c is a OR (b AND c) */
    struct store_cond *k = parse_ok("a:1,b:2+c:3");
    cr_assert_eq(k->kind, STORE_COND_OR);
    cr_assert_eq(k->nkids, 2);
    expect_cmp(&k->kids[0], "a", STORE_OP_EQ, 1);
    cr_assert_eq(k->kids[1].kind, STORE_COND_AND);
    cr_assert_eq(k->kids[1].nkids, 2);
    /* a+b,c is (a AND b) OR c */
    k = parse_ok("a:1+b:2,c:3");
    cr_assert_eq(k->kind, STORE_COND_OR);
    cr_assert_eq(k->kids[0].kind, STORE_COND_AND);
    expect_cmp(&k->kids[1], "c", STORE_OP_EQ, 1);
    /* parentheses override: (a,b)+c */
    k = parse_ok("(a:1,b:2)+c:3");
    cr_assert_eq(k->kind, STORE_COND_AND);
    cr_assert_eq(k->kids[0].kind, STORE_COND_OR);
    /* chains stay flat */
    k = parse_ok("a:1+b:2+c:3+d:4");
    cr_assert_eq(k->kind, STORE_COND_AND);
    cr_expect_eq(k->nkids, 4);
    k = parse_ok(" ( tag:a ) ");
    expect_cmp(k, "tag", STORE_OP_EQ, 1);
}

Test(nql, bad_syntax_is_refused_with_a_position)
{
    static const char *const bad[] = {"",         "tag",       "tag:",     ":x",       "tag:a+",
                                      "tag:a,",   "(tag:a",    "tag:a)",   "tag:[a,b", "tag:[]",
                                      "tag:>[a]", "tag:a b",   "tags.:x+", "tag:'x",   "tag:\"x",
                                      "()",       "tag:a++b:c"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        const char *msg = parse_err(bad[i], strlen(bad[i]));
        cr_expect(strstr(msg, "offset") || strstr(msg, "filter"), "%s: %s", bad[i], msg);
    }
    cr_expect(strstr(parse_err("tag:'open", 9), "unterminated"));
}

Test(nql, ten_thousand_parentheses_are_refused_cleanly)
{
    size_t n = 10000;
    char *s = malloc(2 * n + 8);
    memset(s, '(', n);
    memcpy(s + n, "tag:a", 5);
    memset(s + n + 5, ')', n);
    /* longer than the filter limit: refused before parsing */
    cr_expect(strstr(parse_err(s, 2 * n + 5), "longer"));
    /* within the length limit, refused at the depth limit */
    const char *msg = parse_err(s + n - 2000, 2000 + 5 + 2000 > API_NQL_MAX ? API_NQL_MAX : 4005);
    cr_expect(strstr(msg, "nested too deep") || strstr(msg, "longer"), "%s", msg);
    msg = parse_err(s + n - 100, 100 + 5 + 100);
    cr_expect(strstr(msg, "nested too deep"), "%s", msg);
    free(s);
    /* exactly the limit is fine */
    char ok[128];
    int d = API_NQL_DEPTH_MAX;
    snprintf(ok, sizeof(ok), "%.*stag:a%.*s", d, "((((((((((((((((((((((((((((((((", d,
             "))))))))))))))))))))))))))))))))");
    parse_ok(ok);
}

Test(nql, a_list_of_100000_items_is_refused)
{
    size_t cap = 100000 * 8 + 16, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s, cap, "slug:[");
    for (int i = 0; i < 100000; i++)
        n += (size_t)snprintf(s + n, cap - n, "%sa%d", i ? "," : "", i);
    n += (size_t)snprintf(s + n, cap - n, "]");
    parse_err(s, n);
    free(s);
    /* past the value limit within the length limit: 600 one-letter items */
    char t[API_NQL_MAX];
    n = (size_t)snprintf(t, sizeof(t), "slug:[");
    for (int i = 0; i < 600; i++)
        n += (size_t)snprintf(t + n, sizeof(t) - n, "%sx", i ? "," : "");
    n += (size_t)snprintf(t + n, sizeof(t) - n, "]");
    cr_expect(strstr(parse_err(t, n), "values"));
}

Test(nql, bytes_that_are_not_text_are_refused)
{
    parse_err("tag:\xff", 5);
    parse_err("tag:a\0b", 7);
}

Test(nql, ids_round_trip)
{
    char id[25];
    api_id_format(API_ID_POST, 42, id);
    cr_expect_eq(strlen(id), 24);
    int64_t back = 0;
    cr_expect(api_id_parse(str_from(id), API_ID_POST, &back));
    cr_expect_eq(back, 42);
    cr_expect(!api_id_parse(str_from(id), API_ID_TAG, &back), "a post id is not a tag id");
    cr_expect(!api_id_parse(STR_LIT("6e640001000000000000002G"), API_ID_POST, &back));
    cr_expect(!api_id_parse(STR_LIT("6e6400010000000000000000"), API_ID_POST, &back));
    cr_expect(!api_id_parse(STR_LIT("42"), API_ID_POST, &back));
}
