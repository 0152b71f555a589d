#include "search/search.h"

#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static struct arena arena;

static void setup(void)
{
    arena_init(&arena);
}

static void teardown(void)
{
    arena_release(&arena);
}

TestSuite(search_query, .init = setup, .fini = teardown);

/* Every term well formed, and the normal form parsing again to itself. */
static void check_invariants(const struct search_query *q)
{
    cr_assert_leq(q->store.nterms, STORE_SEARCH_TERMS_MAX);
    cr_assert_leq(q->normal.len, SEARCH_QUERY_MAX);
    for (size_t i = 0; i < q->store.nterms; i++) {
        struct str t = q->store.terms[i].text;
        cr_assert_gt(t.len, 0);
        cr_assert(utf8_valid(t.ptr, t.len));
        for (size_t j = 0; j < t.len; j++)
            cr_assert((unsigned char)t.ptr[j] >= 0x20 && t.ptr[j] != 0x7F);
    }
    struct search_query again;
    cr_assert_eq(search_parse(q->normal, 0, &arena, &again, NULL), ERR_OK);
    cr_assert_eq(again.normal.len, q->normal.len, "'%.*s' became '%.*s'", (int)q->normal.len,
                 q->normal.ptr, (int)again.normal.len, again.normal.ptr);
    cr_assert(str_eq(again.normal, q->normal));
    cr_assert_eq(again.store.nterms, q->store.nterms);
}

static struct search_query parse_n(const char *text, size_t len, unsigned flags)
{
    struct search_query q;
    struct err err = {0};
    cr_assert_eq(search_parse((struct str){text, len}, flags, &arena, &q, &err), ERR_OK, "%s",
                 err.msg);
    check_invariants(&q);
    return q;
}

static struct search_query parse(const char *text)
{
    return parse_n(text, strlen(text), 0);
}

static void expect_normal(const char *text, const char *normal)
{
    struct search_query q = parse(text);
    cr_assert(str_eq_cstr(q.normal, normal), "'%s': '%.*s', not '%s'", text, (int)q.normal.len,
              q.normal.ptr, normal);
}

static void expect_term(const struct search_query *q, size_t i, const char *text, bool phrase,
                        bool prefix, bool exclude)
{
    cr_assert_lt(i, q->store.nterms);
    const struct store_search_term *t = &q->store.terms[i];
    cr_assert(str_eq_cstr(t->text, text), "term %zu: '%.*s', not '%s'", i, (int)t->text.len,
              t->text.ptr, text);
    cr_assert_eq(t->phrase, phrase);
    cr_assert_eq(t->prefix, prefix);
    cr_assert_eq(t->exclude, exclude);
}

/* ---- what a reader types -------------------------------------------------------------- */

Test(search_query, words_are_folded_to_lower_case)
{
    struct search_query q = parse("Kyiv  DRONE");
    cr_assert_eq(q.store.nterms, 2);
    expect_term(&q, 0, "kyiv", false, false, false);
    expect_term(&q, 1, "drone", false, false, false);
    cr_assert(str_eq_cstr(q.normal, "kyiv drone"));
    expect_normal("КИЇВ Ґанок ЄВРОПА", "київ ґанок європа");
    expect_normal("ÉLYSÉE Łódź Ÿ", "élysée łódź ÿ");
    expect_normal("ΑΘΗΝΑ", "αθηνα");
}

Test(search_query, empty_and_blank_queries_find_nothing_without_error)
{
    const char *blank[] = {"", "   ", "\t\n", "!!! ??? ...", "\"", "*", "-", "\"\"", "- * \" ()"};
    for (size_t i = 0; i < ARRAY_LEN(blank); i++) {
        struct search_query q = parse(blank[i]);
        cr_assert_eq(q.store.nterms, 0, "'%s'", blank[i]);
        cr_assert_eq(q.normal.len, 0, "'%s'", blank[i]);
        cr_assert_not_null(q.normal.ptr);
    }
}

Test(search_query, phrases_keep_their_words_in_order)
{
    struct search_query q = parse("\"Power  Station\" Zaporizhzhia");
    cr_assert_eq(q.store.nterms, 2);
    expect_term(&q, 0, "power station", true, false, false);
    expect_term(&q, 1, "zaporizhzhia", false, false, false);
    cr_assert(str_eq_cstr(q.normal, "\"power station\" zaporizhzhia"));
    /* typographic quotes, and punctuation inside a phrase separating its words */
    expect_normal("«Північний потік»", "\"північний потік\"");
    expect_normal("“power, station”", "\"power station\"");
    /* a phrase of one word is the word */
    expect_normal("\"Kyiv\"", "kyiv");
}

Test(search_query, an_unbalanced_quote_closes_at_the_end)
{
    struct search_query q = parse("drone \"power station");
    cr_assert_eq(q.store.nterms, 2);
    expect_term(&q, 1, "power station", true, false, false);
    cr_assert(str_eq_cstr(q.normal, "drone \"power station\""));
    expect_normal("a \"b c\" \"d e", "a \"b c\" \"d e\"");
}

Test(search_query, a_minus_excludes_a_word_or_a_phrase)
{
    struct search_query q = parse("kyiv -rumour -\"fake news\"");
    cr_assert_eq(q.store.nterms, 3);
    expect_term(&q, 0, "kyiv", false, false, false);
    expect_term(&q, 1, "rumour", false, false, true);
    expect_term(&q, 2, "fake news", true, false, true);
    cr_assert(str_eq_cstr(q.normal, "kyiv -rumour -\"fake news\""));
    /* only at a word's start: inside a word it is a hyphen, after punctuation nothing */
    expect_normal("ex-president", "ex-president");
    expect_normal("a--b", "a b");
    expect_normal("- kyiv", "kyiv");
}

Test(search_query, a_star_makes_a_prefix)
{
    struct search_query q = parse("kyi* \"power sta*\" -rum*");
    cr_assert_eq(q.store.nterms, 3);
    expect_term(&q, 0, "kyi", false, true, false);
    expect_term(&q, 1, "power sta", true, true, false);
    expect_term(&q, 2, "rum", false, true, true);
    cr_assert(str_eq_cstr(q.normal, "kyi* \"power sta*\" -rum*"));
    /* after the closing quote too; a star before a word, or alone, is nothing */
    expect_normal("\"power sta\"*", "\"power sta*\"");
    expect_normal("*kyiv * **", "kyiv");
    /* only the phrase's last word can go on */
    expect_normal("\"po* station\"", "\"po station\"");
}

Test(search_query, as_you_type_the_last_word_is_a_prefix)
{
    struct search_query q = parse_n("kyiv dro", 8, SEARCH_PREFIX_LAST);
    expect_term(&q, 0, "kyiv", false, false, false);
    expect_term(&q, 1, "dro", false, true, false);
    cr_assert(str_eq_cstr(q.normal, "kyiv dro*"));
    q = parse_n("kyiv dro ", 9, SEARCH_PREFIX_LAST);
    expect_term(&q, 1, "dro", false, false, false);
    q = parse_n("\"power sta", 10, SEARCH_PREFIX_LAST);
    expect_term(&q, 0, "power sta", true, true, false);
    q = parse_n("\"power station\"", 15, SEARCH_PREFIX_LAST);
    expect_term(&q, 0, "power station", true, false, false);
    q = parse_n("kyi tag:politics", 16, SEARCH_PREFIX_LAST);
    expect_term(&q, 0, "kyi", false, false, false);
    q = parse_n("kyiv.", 5, SEARCH_PREFIX_LAST);
    expect_term(&q, 0, "kyiv", false, false, false);
    /* without the flag nothing is a prefix */
    q = parse("kyiv dro");
    expect_term(&q, 1, "dro", false, false, false);
}

Test(search_query, ukrainian_apostrophes_are_one_term)
{
    const char *forms[] = {"м'ясо", "м’ясо", "мʼясо", "М‘ЯСО", "м`ясо"};
    for (size_t i = 0; i < ARRAY_LEN(forms); i++) {
        struct search_query q = parse(forms[i]);
        cr_assert_eq(q.store.nterms, 1, "%s", forms[i]);
        expect_term(&q, 0, "м'ясо", false, false, false);
    }
    /* an apostrophe not between letters separates */
    expect_normal("'kyiv' o’ rock’n’roll", "kyiv o rock'n'roll");
    expect_normal("Ріо‐де‐Жанейро", "ріо-де-жанейро");
    /* nor at the end of the text (a fuzzer's find: "rone-" was a word with its hyphen) */
    expect_normal("kyiv- rone-", "kyiv rone");
    struct search_query q = parse_n("rock'", 5, SEARCH_PREFIX_LAST);
    expect_term(&q, 0, "rock", false, false, false);
}

Test(search_query, tag_and_author_filters)
{
    struct search_query q = parse("drone tag:politics author:olena-k");
    cr_assert_eq(q.store.nterms, 1);
    cr_assert(str_eq_cstr(q.store.tag, "politics"));
    cr_assert(str_eq_cstr(q.store.author, "olena-k"));
    cr_assert(str_eq_cstr(q.normal, "drone tag:politics author:olena-k"));
    /* canonical order, any case, the last of a kind wins */
    expect_normal("AUTHOR:olena tag:War Tag:politics kyiv", "kyiv tag:politics author:olena");
    /* a filter alone: no term, but a normal form */
    q = parse("tag:politics");
    cr_assert_eq(q.store.nterms, 0);
    cr_assert(str_eq_cstr(q.normal, "tag:politics"));
}

Test(search_query, a_filter_that_is_not_one_is_literal_text)
{
    struct search_query q = parse("tag:");
    cr_assert_eq(q.store.nterms, 1);
    expect_term(&q, 0, "tag", false, false, false);
    cr_assert_eq(q.store.tag.len, 0);
    expect_normal("tag:bad_slug", "tag bad slug");
    expect_normal("tag:київ", "tag київ");
    expect_normal("tag:-politics", "tag politics");
    expect_normal("author:\"x\"", "author x");
    expect_normal("kyiv,tag:politics", "kyiv tag politics");
    expect_normal("\"tag:politics\"", "\"tag politics\"");
    expect_normal("title:kyiv col:x", "title kyiv col x");
}

Test(search_query, date_filters_are_days_in_the_sites_zone)
{
    cr_assert(time_zone_set("Europe/Kyiv"));
    struct search_query q = parse("after:2024-02-24 before:2024-03-01 kyiv");
    cr_assert_eq(q.store.after, 1708725600);  /* 2024-02-24T00:00+02:00 */
    cr_assert_eq(q.store.before, 1709244000); /* 2024-03-01T00:00+02:00 */
    cr_assert(str_eq_cstr(q.normal, "kyiv after:2024-02-24 before:2024-03-01"));
    q = parse("after:2024-07-01");
    cr_assert_eq(q.store.after, 1719781200); /* summer time: +03:00 */
    cr_assert_eq(q.store.before, 0);
    cr_assert(time_zone_set("UTC"));
    q = parse("before:2024-03-01");
    cr_assert_eq(q.store.before, 1709251200);
}

Test(search_query, an_invalid_date_is_literal_text)
{
    struct search_query q = parse("after:2024-13-45");
    cr_assert_eq(q.store.after, 0);
    cr_assert(str_eq_cstr(q.normal, "after 2024-13-45"));
    expect_normal("before:2024-02-30", "before 2024-02-30");
    expect_normal("after:2024-02-24T10:00", "after 2024-02-24t10 00");
    expect_normal("after:24-02-2024", "after 24-02-2024");
    expect_normal("after:yesterday", "after yesterday");
}

Test(search_query, repeated_terms_count_once)
{
    expect_normal("kyiv Kyiv KYIV kyiv*", "kyiv kyiv*");
}

/* ---- what a hostile client sends ------------------------------------------------------- */

Test(search_query, the_index_operators_are_words_or_nothing)
{
    expect_normal("AND OR", "and or");
    expect_normal("NEAR(a b, 5)", "near a b 5");
    expect_normal("NOT kyiv", "not kyiv");
    expect_normal("^kyiv + drone", "kyiv drone");
    expect_normal("{title body}: kyiv", "title body kyiv");
    expect_normal("(a OR b) AND c", "a or b and c");
    expect_normal("a\" OR \"b", "a or b");
}

Test(search_query, nul_bytes_and_controls_are_spaces)
{
    const char text[] = "kyiv\0drone\x01\x02\x1f\x7f\xc2\x85x";
    struct search_query q = parse_n(text, sizeof(text) - 1, 0);
    cr_assert_eq(q.store.nterms, 3);
    expect_term(&q, 0, "kyiv", false, false, false);
    expect_term(&q, 1, "drone", false, false, false);
    expect_term(&q, 2, "x", false, false, false);
    /* "%00" as it arrives decoded from the URL */
    q = parse_n("\0", 1, 0);
    cr_assert_eq(q.store.nterms, 0);
    q = parse_n("a%00b", 5, 0);
    cr_assert(str_eq_cstr(q.normal, "a 00b"));
}

Test(search_query, invalid_utf8_is_spaces)
{
    const char bad[] = "ki\xffyiv \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xe2\x82 end\xd0";
    struct search_query q = parse_n(bad, sizeof(bad) - 1, 0);
    cr_assert(str_eq_cstr(q.normal, "ki yiv end"), "%.*s", (int)q.normal.len, q.normal.ptr);
}

Test(search_query, symbols_and_emoji_separate_words)
{
    expect_normal("kyiv🇺🇦drone", "kyiv drone");
    expect_normal("a—b–c…d", "a b c d");
    expect_normal("100€ ×2", "100 2");
    expect_normal("\xef\xbb\xbfkyiv", "kyiv");
    /* every space is a space: U+1680 once made a word of itself (a fuzzer's find) */
    expect_normal("a\xe1\x9a\x80\xe1\x9a\x80"
                  "b\xc2\xa0"
                  "c\xe3\x80\x80"
                  "d",
                  "a b c d");
    /* a combining mark continues a word, never starts one */
    expect_normal("e\xcc\x81 \xcc\x81", "e\xcc\x81");
}

Test(search_query, punctuation_up_to_the_limit_is_answered)
{
    char *text = test_repeat("!@#$%^&*()[]{};:'\",.<>/?\\|`~-_=+", 20);
    size_t len = strlen(text);
    cr_assert_gt(len, SEARCH_QUERY_MAX);
    struct search_query q = parse_n(text, SEARCH_QUERY_MAX, 0);
    cr_assert_eq(q.store.nterms, 0);
    struct err err = {0};
    cr_assert_eq(search_parse((struct str){text, len}, 0, &arena, &q, &err), ERR_TOOBIG);
    cr_assert_str_eq(err.msg, "the search is longer than 500 bytes");
    free(text);
}

Test(search_query, ten_kilobytes_of_punctuation_is_too_long)
{
    char *text = test_repeat("*\"(", 3414);
    struct search_query q;
    struct err err = {0};
    cr_assert_eq(search_parse(str_from(text), 0, &arena, &q, &err), ERR_TOOBIG);
    cr_assert_neq(err.msg[0], '\0');
    free(text);
}

Test(search_query, a_thousand_terms)
{
    /* a thousand distinct words cannot fit in the limit */
    struct buf b;
    buf_init(&b, 1 << 16);
    for (int i = 0; i < 1000; i++)
        buf_printf(&b, "w%d ", i);
    struct search_query q;
    cr_assert_eq(search_parse(buf_str(&b), 0, &arena, &q, NULL), ERR_TOOBIG);
    /* as many as fit: the first STORE_SEARCH_TERMS_MAX are kept */
    q = parse_n(b.ptr, SEARCH_QUERY_MAX, 0);
    cr_assert_eq(q.store.nterms, STORE_SEARCH_TERMS_MAX);
    cr_assert(q.dropped);
    expect_term(&q, 0, "w0", false, false, false);
    expect_term(&q, STORE_SEARCH_TERMS_MAX - 1, "w31", false, false, false);
    buf_release(&b);
    /* a thousand terms in 500 bytes repeat: they count once */
    char *many = test_repeat("a ", 250);
    q = parse(many);
    cr_assert_eq(q.store.nterms, 1);
    cr_assert_not(q.dropped);
    free(many);
}

Test(search_query, the_normal_form_never_outgrows_the_limit)
{
    /* 499 bytes of words and an open quote: the closing quote and the star add two */
    char text[SEARCH_QUERY_MAX + 1];
    memset(text, 'a', sizeof(text));
    for (size_t i = 1; i < 498; i += 16)
        text[i] = ' ';
    text[0] = '"';
    struct search_query q = parse_n(text, SEARCH_QUERY_MAX, SEARCH_PREFIX_LAST);
    cr_assert_leq(q.normal.len, SEARCH_QUERY_MAX);
    cr_assert(q.dropped);
}

Test(search_query, a_lone_minus_and_an_empty_filter)
{
    expect_normal("-", "");
    expect_normal("-\"\"", "");
    expect_normal("-*", "");
    expect_normal("tag: author: after: before:", "tag author after before");
}
