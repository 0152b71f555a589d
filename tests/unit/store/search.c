/*
 * The full-text index (store/search.c) on a real SQLite file: what a query finds, that
 * every write keeps the index in step, ranking, paging, and hostile terms.
 */
#include "store/store.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

TestSuite(store_search, .init = setup, .fini = teardown);

#define DAY 86400

static int64_t tag(const char *name, const char *slug)
{
    int64_t id;
    cr_assert_eq(store_tag_ensure(st, str_from(name), str_from(slug), &id, NULL), ERR_OK);
    return id;
}

static int64_t author(const char *name, const char *slug)
{
    struct content_author au = {.name = str_from(name), .slug = str_from(slug)};
    int64_t id;
    cr_assert_eq(store_author_insert(st, &au, false, &id, NULL), ERR_OK);
    return id;
}

/* What a test post says, and where it goes. */
struct doc {
    const char *slug, *title, *body, *excerpt;
    int64_t when; /* published_at; 0: a day ago */
    bool draft;
    int64_t tag, author; /* 0: none */
};

static struct store_new_post new_post(const struct doc *d, const int64_t *tag_id,
                                      const int64_t *au_id)
{
    int64_t when = d->when ? d->when : (int64_t)time(NULL) - DAY;
    return (struct store_new_post){.slug = str_from(d->slug),
                                   .title = str_from(d->title),
                                   .markdown = str_from(d->body),
                                   .html = str_from(d->body),
                                   .plaintext = str_from(d->body),
                                   .custom_excerpt = str_from(d->excerpt ? d->excerpt : ""),
                                   .status = d->draft ? CONTENT_DRAFT : CONTENT_PUBLISHED,
                                   .created_at = when,
                                   .updated_at = when,
                                   .published_at = when,
                                   .tag_ids = tag_id,
                                   .ntags = *tag_id ? 1 : 0,
                                   .author_ids = au_id,
                                   .nauthors = *au_id ? 1 : 0};
}

static int64_t post(struct doc d)
{
    struct store_new_post p = new_post(&d, &d.tag, &d.author);
    int64_t id;
    struct err err = {0};
    cr_assert_eq(store_post_insert(st, &p, &id, &err), ERR_OK, "%s", err.msg);
    return id;
}

/* A query of terms given as strings: "-x" excludes, "x*" is a prefix, "\"a b\"" a phrase. */
struct q {
    const char *terms[8];
    const char *tag, *author;
    int64_t after, before;
    bool staff;
    const struct store_search_cursor *cursor;
    int64_t limit;
};

struct result {
    struct store_search_hit *hits;
    size_t n;
    int64_t total;
    bool more;
};

static struct result search(struct q in)
{
    struct store_search_term terms[8];
    size_t nterms = 0;
    for (size_t i = 0; i < 8 && in.terms[i]; i++) {
        const char *s = in.terms[i];
        size_t len = strlen(s);
        struct store_search_term t = {0};
        t.exclude = s[0] == '-';
        s += t.exclude, len -= t.exclude;
        t.prefix = len > 1 && s[len - 1] == '*';
        len -= t.prefix;
        t.phrase = len > 1 && s[0] == '"';
        if (t.phrase)
            s++, len -= 2;
        t.text = (struct str){s, len};
        terms[nterms++] = t;
    }
    struct store_search_query q = {.terms = terms,
                                   .nterms = nterms,
                                   .tag = str_from(in.tag ? in.tag : ""),
                                   .author = str_from(in.author ? in.author : ""),
                                   .after = in.after,
                                   .before = in.before,
                                   .staff = in.staff,
                                   .cursor = in.cursor,
                                   .limit = in.limit ? in.limit : 20};
    struct result r = {0};
    struct err err = {0};
    enum err_code rc = store_search(st, &q, &a, &r.hits, &r.n, &r.total, &r.more, &err);
    cr_assert_eq(rc, ERR_OK, "%s", err.msg);
    cr_assert_leq(r.n, (size_t)q.limit);
    return r;
}

/* Whether the results hold post id. */
static bool found(struct result r, int64_t id)
{
    for (size_t i = 0; i < r.n; i++)
        if (r.hits[i].post.id == id)
            return true;
    return false;
}

static struct result find1(const char *term)
{
    return search((struct q){.terms = {term}});
}

Test(store_search, a_word_only_in_one_body_finds_that_post)
{
    int64_t one = post((struct doc){
        .slug = "one", .title = "Council meets", .body = "The budget for the zeppelin fund"});
    post((struct doc){
        .slug = "two", .title = "Council meets again", .body = "The budget for the harbour"});
    struct result r = find1("zeppelin");
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.total, 1);
    cr_assert_eq(r.hits[0].post.id, one);
    cr_assert(str_eq_cstr(r.hits[0].post.slug, "one"));
    /* the snippet marks the match */
    cr_assert(strstr(r.hits[0].snippet.ptr, "\x01zeppelin\x02") != NULL, "%s",
              r.hits[0].snippet.ptr);
    cr_assert_eq(find1("council").n, 2);
    cr_assert_eq(find1("Zeppelins").n, 0);
    cr_assert_eq(find1("zeppel*").n, 1, "a prefix finds the word as it is typed");
}

Test(store_search, phrase_and_exclusion)
{
    int64_t a1 =
        post((struct doc){.slug = "a", .title = "Night", .body = "the power station went dark"});
    int64_t b1 =
        post((struct doc){.slug = "b", .title = "Day", .body = "the station had power again"});
    struct result r = search((struct q){.terms = {"\"power station\""}});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, a1);
    r = search((struct q){.terms = {"power", "station"}});
    cr_assert_eq(r.n, 2);
    r = search((struct q){.terms = {"station", "-dark"}});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, b1);
    r = search((struct q){.terms = {"-station"}});
    cr_assert_eq(r.n, 0, "only exclusions look for nothing");
}

Test(store_search, tag_author_and_date_filters)
{
    int64_t now = (int64_t)time(NULL);
    int64_t pol = tag("Politics", "politics"), sport = tag("Sport", "sport");
    int64_t olena = author("Olena Petrenko", "olena"), ivan = author("Ivan Shevchuk", "ivan");
    int64_t p1 = post((struct doc){.slug = "p1",
                                   .title = "Vote",
                                   .body = "ballot count",
                                   .excerpt = NULL,
                                   .when = now - 10 * DAY,
                                   .tag = pol,
                                   .author = olena});
    int64_t p2 = post((struct doc){.slug = "p2",
                                   .title = "Match",
                                   .body = "ballot of fans",
                                   .excerpt = NULL,
                                   .when = now - 2 * DAY,
                                   .tag = sport,
                                   .author = ivan});
    cr_assert_eq(find1("ballot").n, 2);
    struct result r = search((struct q){.terms = {"ballot"}, .tag = "politics"});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, p1);
    r = search((struct q){.terms = {"ballot"}, .author = "ivan"});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, p2);
    r = search((struct q){.terms = {"ballot"}, .after = now - 5 * DAY});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, p2);
    r = search((struct q){.terms = {"ballot"}, .before = now - 5 * DAY});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, p1);
    r = search((struct q){.terms = {"ballot"}, .tag = "nope"});
    cr_assert_eq(r.n, 0);
    /* tag and author names are indexed too, and the primary ones come with the hit */
    r = find1("petrenko");
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, p1);
    cr_assert_eq(r.hits[0].post.nauthors, 1);
    cr_assert(str_eq_cstr(r.hits[0].post.authors[0].slug, "olena"));
    cr_assert(str_eq_cstr(r.hits[0].post.tags[0].slug, "politics"));
    cr_assert_eq(find1("sport").n, 1);
}

Test(store_search, ukrainian_apostrophes_and_diacritics)
{
    int64_t m1 = post((struct doc){.slug = "m1", .title = "Ціни на м'ясо", .body = "Ринок"});
    int64_t m2 = post((struct doc){.slug = "m2", .title = "Де купити м’ясо", .body = "Ринок"});
    int64_t m3 = post((struct doc){.slug = "m3", .title = "Свіже мʼясо", .body = "Ринок"});
    const char *forms[] = {"м'ясо", "м’ясо", "мʼясо", "М'ЯСО"};
    for (size_t i = 0; i < ARRAY_LEN(forms); i++) {
        struct result r = find1(forms[i]);
        cr_assert_eq(r.n, 3, "%s found %zu", forms[i], r.n);
        cr_assert(found(r, m1) && found(r, m2) && found(r, m3));
    }
    /* the apostrophe joins a word: "ясо" alone is not one */
    cr_assert_eq(find1("ясо").n, 0);
    /* English keeps splitting at it */
    post((struct doc){.slug = "e", .title = "The people's choice", .body = "vote"});
    cr_assert_eq(find1("people").n, 1);

    int64_t k = post(
        (struct doc){.slug = "kyiv", .title = "Київ готується до зими", .body = "Новини столиці"});
    cr_assert(found(find1("Київ"), k));
    cr_assert(found(find1("київ"), k));
    /* without the diacritics: и for й and і for ї */
    cr_assert(found(find1("Киів"), k), "Киів without the diaeresis");
    /* Latin: diacritics fold as unicode61 does */
    int64_t c = post(
        (struct doc){.slug = "cafe", .title = "Café reopens", .body = "the café on the square"});
    cr_assert(found(find1("cafe"), c));
    cr_assert(found(find1("CAFÉ"), c));
}

Test(store_search, latin_query_finds_a_cyrillic_title_through_its_slug)
{
    int64_t k = post((struct doc){
        .slug = "kyiv-hotuietsia-do-zymy", .title = "Київ готується до зими", .body = "Новини"});
    struct result r = search((struct q){.terms = {"kyiv", "zymy"}});
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, k);
}

static void set_draft(int64_t id, bool draft)
{
    struct content_post p;
    cr_assert_eq(store_post_by_id(st, id, &a, &p, NULL), ERR_OK);
    struct doc d = {p.slug.ptr, p.title.ptr, p.plaintext.ptr, NULL, p.published_at, draft, 0, 0};
    int64_t none = 0;
    struct store_new_post np = new_post(&d, &none, &none);
    struct err err = {0};
    cr_assert_eq(store_post_update(st, id, &np, &err), ERR_OK, "%s", err.msg);
}

Test(store_search, findable_after_publish_not_after_unpublish_or_delete)
{
    int64_t d = post((struct doc){.slug = "d",
                                  .title = "Draft",
                                  .body = "an embargoed quokka",
                                  .excerpt = NULL,
                                  .when = 0,
                                  .draft = true});
    cr_assert_eq(find1("quokka").n, 0, "readers never find a draft");
    cr_assert_eq(search((struct q){.terms = {"quokka"}, .staff = true}).n, 1,
                 "the newsroom finds its drafts");
    set_draft(d, false);
    cr_assert_eq(find1("quokka").n, 1, "findable right after publishing");
    set_draft(d, true);
    cr_assert_eq(find1("quokka").n, 0, "gone after unpublishing");
    set_draft(d, false);
    cr_assert_eq(store_post_delete(st, d, NULL), ERR_OK);
    cr_assert_eq(find1("quokka").n, 0, "gone after deleting");
    cr_assert_eq(search((struct q){.terms = {"quokka"}, .staff = true}).n, 0);
}

Test(store_search, an_edit_changes_what_finds_the_post)
{
    int64_t id = post((struct doc){.slug = "e", .title = "Old headline", .body = "first wording"});
    struct content_post p;
    cr_assert_eq(store_post_by_id(st, id, &a, &p, NULL), ERR_OK);
    struct doc d = {"e", "New headline", "second wording", NULL, p.published_at, 0, 0, 0};
    int64_t none = 0;
    struct store_new_post np = new_post(&d, &none, &none);
    cr_assert_eq(store_post_update(st, id, &np, NULL), ERR_OK);
    cr_assert_eq(find1("first").n, 0);
    cr_assert_eq(find1("second").n, 1);
    cr_assert_eq(find1("old").n, 0);
}

Test(store_search, renamed_tag_and_author_are_found_by_the_new_name)
{
    int64_t t = tag("Weather", "weather");
    int64_t u = author("Mykola Bondar", "mykola");
    int64_t id = post((struct doc){.slug = "w",
                                   .title = "Storm",
                                   .body = "rain",
                                   .excerpt = NULL,
                                   .when = 0,
                                   .tag = t,
                                   .author = u});
    cr_assert_eq(find1("weather").n, 1);
    struct content_tag ct = {.name = STR_LIT("Climate"), .slug = STR_LIT("climate")};
    cr_assert_eq(store_tag_update(st, t, &ct, NULL), ERR_OK);
    cr_assert_eq(find1("weather").n, 0, "the old name finds nothing");
    struct result r = find1("climate");
    cr_assert_eq(r.n, 1);
    cr_assert_eq(r.hits[0].post.id, id);

    struct store_user su;
    cr_assert_eq(store_user_by_id(st, u, &a, &su, NULL), ERR_OK);
    su.name = STR_LIT("Mykola Kovalenko");
    struct err err = {0};
    cr_assert_eq(store_user_update_profile(st, u, &su, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(find1("bondar").n, 0);
    cr_assert_eq(find1("kovalenko").n, 1);

    cr_assert_eq(store_admin_tag_delete(st, t, NULL), ERR_OK);
    cr_assert_eq(find1("climate").n, 0, "a deleted tag's name finds nothing");
    cr_assert_eq(find1("storm").n, 1);
}

Test(store_search, cursor_pages_have_no_repeat_and_no_gap)
{
    int64_t now = (int64_t)time(NULL);
    enum { N = 23 };
    bool seen[N + 1] = {0};
    for (int i = 0; i < N; i++) {
        char slug[16], body[64];
        snprintf(slug, sizeof(slug), "s%d", i);
        /* some equal scores (same text, same day), some not */
        snprintf(body, sizeof(body), "walrus %s", i % 3 ? "walrus" : "seal");
        post((struct doc){.slug = arena_strndup(&a, slug, strlen(slug)),
                          .title = "Coast",
                          .body = arena_strndup(&a, body, strlen(body)),
                          .excerpt = NULL,
                          .when = now - (i / 4) * DAY});
    }
    struct store_search_cursor at;
    const struct store_search_cursor *cur = NULL;
    size_t total = 0;
    double last = 1e300;
    for (int page = 0; page < 10; page++) {
        struct result r = search((struct q){.terms = {"walrus"}, .cursor = cur, .limit = 5});
        cr_assert_eq(r.total, N);
        if (!r.n)
            break;
        for (size_t i = 0; i < r.n; i++) {
            int64_t id = r.hits[i].post.id;
            cr_assert(id >= 1 && id <= N);
            cr_assert_not(seen[id], "post %lld on two pages", (long long)id);
            seen[id] = true;
            cr_assert_leq(r.hits[i].at.score, last, "ranked best first");
            last = r.hits[i].at.score;
        }
        total += r.n;
        at = r.hits[r.n - 1].at;
        cur = &at;
    }
    cr_assert_eq(total, N, "every match once");
}

Test(store_search, recency_lifts_news_and_title_beats_body)
{
    int64_t now = (int64_t)time(NULL);
    /* equal text: the newer first */
    int64_t old = post((struct doc){.slug = "old",
                                    .title = "Flood",
                                    .body = "the dam broke",
                                    .excerpt = NULL,
                                    .when = now - 20 * DAY});
    int64_t fresh = post((struct doc){.slug = "new",
                                      .title = "Flood",
                                      .body = "the dam broke",
                                      .excerpt = NULL,
                                      .when = now - DAY});
    struct result r = find1("dam");
    cr_assert_eq(r.n, 2);
    cr_assert_eq(r.hits[0].post.id, fresh);
    cr_assert_eq(r.hits[1].post.id, old);
    cr_assert_gt(r.hits[0].at.score, r.hits[1].at.score);
    /* a match in the title beats a slightly newer match in the body alone */
    int64_t title = post((struct doc){.slug = "t",
                                      .title = "Glacier retreats",
                                      .body = "ice report",
                                      .excerpt = NULL,
                                      .when = now - 3 * DAY});
    int64_t body = post((struct doc){.slug = "b",
                                     .title = "Ice report",
                                     .body = "a note on the glacier",
                                     .excerpt = NULL,
                                     .when = now - 2 * DAY});
    r = find1("glacier");
    cr_assert_eq(r.n, 2);
    cr_assert_eq(r.hits[0].post.id, title);
    cr_assert_eq(r.hits[1].post.id, body);
    /* a much older exact title match is still on page 1 when the set is small */
    int64_t archive = post((struct doc){.slug = "arch",
                                        .title = "Volcano",
                                        .body = "lava",
                                        .excerpt = NULL,
                                        .when = now - 3000 * DAY});
    for (int i = 0; i < 5; i++) {
        char slug[16];
        snprintf(slug, sizeof(slug), "v%d", i);
        post((struct doc){.slug = arena_strndup(&a, slug, strlen(slug)),
                          .title = "Island news",
                          .body = "near the volcano today",
                          .excerpt = NULL,
                          .when = now - i * DAY});
    }
    r = find1("volcano");
    cr_assert_eq(r.n, 6);
    cr_assert(found(r, archive));
    /* the newsroom ranks by relevance alone: the title match first */
    r = search((struct q){.terms = {"volcano"}, .staff = true});
    cr_assert_eq(r.hits[0].post.id, archive);
}

Test(store_search, fts5_syntax_in_terms_is_text)
{
    post((struct doc){.slug = "x",
                      .title = "Near the AND gate",
                      .body = "OR column: title^ NEAR( x ) \"quoted\" * end"});
    const char *hostile[] = {"\"",    "*",      "NEAR(",    "AND",  "OR",     "NOT", "^",
                             ":",     "title:", "col:x",    "(",    ")",      "(x)", "\"\"",
                             "a\"b",  "NEAR(x", "{title}:", "x OR", "AND OR", "-",   "'",
                             "title", "^near",  "*x*",      "-(",   "NEAR/2", "+",   "\\"};
    for (size_t i = 0; i < ARRAY_LEN(hostile); i++) {
        search((struct q){.terms = {hostile[i]}});
        search((struct q){.terms = {"gate", hostile[i]}});
        search((struct q){.terms = {"gate", "-", hostile[i]}});
        char ex[32];
        snprintf(ex, sizeof(ex), "-%s", hostile[i]);
        search((struct q){.terms = {"gate", ex}});
        snprintf(ex, sizeof(ex), "%s*", hostile[i]);
        search((struct q){.terms = {ex}});
        snprintf(ex, sizeof(ex), "\"%s\"", hostile[i]);
        search((struct q){.terms = {ex, "gate"}});
    }
    /* the words of operators are words */
    cr_assert_eq(find1("near").n, 1);
    cr_assert_eq(find1("AND").n, 1);
    cr_assert_eq(search((struct q){.terms = {"NEAR(", "gate"}}).n, 1);
    /* 10 KB of punctuation as one term, and 32 terms of it */
    char *junk = test_repeat("\"*^:()-{}+'`~!@#$%&=[];,.<>?/|\\", 330);
    cr_assert_eq(find1(junk).n, 0);
    struct store_search_term many[STORE_SEARCH_TERMS_MAX];
    for (size_t i = 0; i < ARRAY_LEN(many); i++)
        many[i] = (struct store_search_term){.text = str_from(junk), .prefix = i % 2};
    struct store_search_query q = {.terms = many, .nterms = ARRAY_LEN(many), .limit = 10};
    struct store_search_hit *hits;
    size_t n;
    int64_t total;
    bool more;
    struct err err = {0};
    cr_assert_eq(store_search(st, &q, &a, &hits, &n, &total, &more, &err), ERR_OK, "%s", err.msg);
    free(junk);
    /* invalid UTF-8 and control bytes are text too */
    cr_assert_eq(find1("\xff\xfe\x01\x02gate").n, 1);
    search((struct q){.terms = {"\xc3"}});
    search((struct q){.terms = {"gate\x01"}});
}

Test(store_search, reindex_rebuilds_what_was_changed_behind_the_store)
{
    post((struct doc){.slug = "r", .title = "Reindexed", .body = "a pelican"});
    int calls = 0;
    struct err err = {0};
    cr_assert_eq(store_search_reindex(st, NULL, &calls, &err), ERR_OK, "%s", err.msg);
    cr_assert_eq(find1("pelican").n, 1);
}

/*
 * Recall over Ukrainian word forms: 15 nouns in 4 cases each, one post per form. Each
 * form is queried; recall is the share of the noun's other forms' posts found, against
 * the same query as an exact word (a one-word phrase, which skips the stems). Posts of
 * other nouns found count as false matches. The figures are in README "How the index
 * reads English and Ukrainian".
 */
#define UK_NOUNS 15
static const char *const uk_nouns[UK_NOUNS][4] = {
    {"Київ", "Києва", "Києві", "Києвом"},
    {"Львів", "Львова", "Львові", "Львовом"},
    {"Харків", "Харкова", "Харкові", "Харковом"},
    {"місто", "міста", "місті", "містом"},
    {"війна", "війни", "війні", "війною"},
    {"ніч", "ночі", "ніччю", "ночей"},
    {"Україна", "України", "Україні", "Україною"},
    {"вибори", "виборів", "виборах", "виборами"},
    {"дорога", "дороги", "дорозі", "дорогою"},
    {"рада", "ради", "раді", "радою"},
    /* held out: added after the stemmer's rules were set from the ten above */
    {"область", "області", "областю", "областей"},
    {"столиця", "столиці", "столицею", "столиць"},
    {"людина", "людини", "людині", "людиною"},
    {"море", "моря", "морі", "морем"},
    {"рік", "року", "році", "роком"},
};

struct recall {
    int found, wanted, false_matches;
};

static struct recall measure_recall(int64_t ids[UK_NOUNS][4], bool exact)
{
    struct recall r = {0, 0, 0};
    for (int n = 0; n < UK_NOUNS; n++)
        for (int f = 0; f < 4; f++) {
            char term[64];
            snprintf(term, sizeof(term), exact ? "\"%s\"" : "%s", uk_nouns[n][f]);
            struct result res = search((struct q){.terms = {term}, .limit = 100});
            cr_assert(found(res, ids[n][f]), "%s finds its own post", uk_nouns[n][f]);
            for (int m = 0; m < UK_NOUNS; m++)
                for (int g = 0; g < 4; g++) {
                    if (m == n && g == f)
                        continue;
                    bool hit = found(res, ids[m][g]);
                    r.wanted += m == n;
                    r.found += m == n && hit;
                    r.false_matches += m != n && hit;
                }
        }
    return r;
}

Test(store_search, recall_of_ukrainian_word_forms)
{
    int64_t ids[UK_NOUNS][4];
    for (int n = 0; n < UK_NOUNS; n++)
        for (int f = 0; f < 4; f++) {
            char slug[32], body[128];
            snprintf(slug, sizeof(slug), "uk-%d-%d", n, f);
            snprintf(body, sizeof(body), "Сьогодні %s у новинах", uk_nouns[n][f]);
            ids[n][f] = post((struct doc){.slug = arena_strndup(&a, slug, strlen(slug)),
                                          .title = "Звіт",
                                          .body = arena_strndup(&a, body, strlen(body))});
        }
    struct recall exact = measure_recall(ids, true);
    struct recall stems = measure_recall(ids, false);
    printf("ukrainian word forms: recall %d/%d (%.0f%%) with stems, %d/%d (%.0f%%) exact;"
           " false matches %d with stems, %d exact\n",
           stems.found, stems.wanted, 100.0 * stems.found / stems.wanted, exact.found, exact.wanted,
           100.0 * exact.found / exact.wanted, stems.false_matches, exact.false_matches);
    cr_assert_eq(exact.found, 0, "an exact word finds no other form");
    cr_assert_geq(stems.found * 10, stems.wanted * 9, "the stems find at least 90%% of forms");
    cr_assert_eq(stems.false_matches, 0);
}
