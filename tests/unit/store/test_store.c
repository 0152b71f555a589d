#include "store/store.h"
#include "fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TestSuite(store, .init = setup, .fini = teardown);

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

static int64_t post(const char *slug, int64_t when, enum content_status status, const int64_t *tags,
                    size_t ntags, int64_t au)
{
    struct store_new_post p = {.slug = str_from(slug),
                               .title = str_from(slug),
                               .markdown = STR_LIT("x"),
                               .html = STR_LIT("<p>x</p>"),
                               .plaintext = STR_LIT("x"),
                               .status = status,
                               .created_at = when,
                               .updated_at = when,
                               .published_at = when,
                               .tag_ids = tags,
                               .ntags = ntags,
                               .author_ids = &au,
                               .nauthors = 1};
    int64_t id;
    struct err err = {0};
    cr_assert_eq(store_post_insert(st, &p, &id, &err), ERR_OK, "%s", err.msg);
    return id;
}

Test(store, settings_roundtrip)
{
    struct str v;
    cr_assert_eq(store_setting_get(st, "title", &a, &v, NULL), ERR_NOTFOUND);
    cr_assert_eq(store_setting_set(st, "title", STR_LIT("Desk"), NULL), ERR_OK);
    cr_assert_eq(store_setting_set(st, "title", STR_LIT("Daily"), NULL), ERR_OK);
    cr_assert_eq(store_setting_get(st, "title", &a, &v, NULL), ERR_OK);
    cr_assert(str_eq_cstr(v, "Daily"));
    struct store_setting *all;
    size_t n;
    cr_assert_eq(store_settings_all(st, &a, &all, &n, NULL), ERR_OK);
    cr_assert_eq(n, 1);
}

Test(store, lists_filters_counts_and_cursors)
{
    int64_t news = tag("News Feed", "news-feed"), sport = tag("Sport", "sport");
    int64_t desk = author("News Desk", "news-desk"), ana = author("Ana", "ana");
    int64_t both[] = {news, sport}, only_sport[] = {sport};
    for (int i = 1; i <= 30; i++) {
        char slug[16];
        snprintf(slug, sizeof(slug), "p%d", i);
        post(slug, 1000 + i * 10, CONTENT_PUBLISHED, i % 3 ? both : only_sport, i % 3 ? 2 : 1,
             i % 2 ? desk : ana);
    }
    post("draft", 5000, CONTENT_DRAFT, both, 2, desk);
    int64_t n;
    cr_assert_eq(store_posts_count(st, NULL, &n, NULL), ERR_OK);
    cr_assert_eq(n, 30, "drafts are not counted");
    struct store_filter by_news = {.tag_id = news}, by_ana = {.author_id = ana};
    cr_assert_eq(store_posts_count(st, &by_news, &n, NULL), ERR_OK);
    cr_assert_eq(n, 20);
    cr_assert_eq(store_posts_count(st, &by_ana, &n, NULL), ERR_OK);
    cr_assert_eq(n, 15);

    struct content_post *posts;
    size_t got;
    cr_assert_eq(store_posts_list(st, NULL, 0, 5, &a, &posts, &got, NULL), ERR_OK);
    cr_assert_eq(got, 5);
    cr_assert(str_eq_cstr(posts[0].slug, "p30"));
    cr_assert_eq(posts[0].ntags, 1);
    cr_assert(str_eq_cstr(posts[0].tags[0].slug, "sport"), "primary tag of p30");
    cr_assert(str_eq_cstr(posts[1].tags[0].slug, "news-feed"), "primary tag of p29");
    cr_assert(str_eq_cstr(posts[0].authors[0].slug, "ana"));

    struct store_cursor c = {posts[4].published_at, posts[4].id};
    cr_assert_eq(store_posts_after(st, NULL, &c, 5, &a, &posts, &got, NULL), ERR_OK);
    cr_assert(str_eq_cstr(posts[0].slug, "p25"));
    cr_assert_eq(store_posts_after(st, &by_news, &c, 100, &a, &posts, &got, NULL), ERR_OK);
    cr_assert_eq(got, 17, "news-feed posts older than p26: %zu", got);
    struct store_filter excl = {.exclude_id = 30};
    cr_assert_eq(store_posts_list(st, &excl, 0, 1, &a, &posts, &got, NULL), ERR_OK);
    cr_assert(str_eq_cstr(posts[0].slug, "p29"));
}

Test(store, equal_dates_are_ordered_by_id_without_loss)
{
    int64_t desk = author("News Desk", "news-desk");
    for (int i = 0; i < 10; i++) {
        char slug[16];
        snprintf(slug, sizeof(slug), "same%d", i);
        post(slug, 7777, CONTENT_PUBLISHED, NULL, 0, desk);
    }
    struct content_post *posts;
    size_t got, seen = 0;
    struct store_cursor c, *cp = NULL;
    do {
        cr_assert_eq(store_posts_after(st, NULL, cp, 3, &a, &posts, &got, NULL), ERR_OK);
        seen += got;
        if (got) {
            c = (struct store_cursor){posts[got - 1].published_at, posts[got - 1].id};
            cp = &c;
        }
    } while (got == 3);
    cr_assert_eq(seen, 10);
}

Test(store, post_by_slug_with_tags_and_authors)
{
    int64_t t[] = {tag("World", "world"), tag("Energy", "energy")};
    int64_t desk = author("News Desk", "news-desk");
    post("grid", 100, CONTENT_PUBLISHED, t, 2, desk);
    post("hidden", 100, CONTENT_DRAFT, t, 2, desk);
    struct content_post p;
    cr_assert_eq(store_post_by_slug(st, STR_LIT("grid"), &a, &p, NULL), ERR_OK);
    cr_assert_eq(p.ntags, 2);
    cr_assert(str_eq_cstr(p.tags[0].slug, "world"));
    cr_assert(str_eq_cstr(p.tags[1].slug, "energy"));
    cr_assert_eq(p.nauthors, 1);
    cr_assert(str_eq_cstr(p.html, "<p>x</p>"));
    cr_assert_eq(p.uuid.len, 36);
    cr_assert_eq(store_post_by_slug(st, STR_LIT("hidden"), &a, &p, NULL), ERR_NOTFOUND);
    cr_assert_eq(store_post_by_slug(st, STR_LIT("nope"), &a, &p, NULL), ERR_NOTFOUND);
}

Test(store, slugs_are_deduplicated)
{
    int64_t desk = author("News Desk", "news-desk");
    struct str s;
    cr_assert_eq(store_slug_unique(st, STORE_SLUG_POST, STR_LIT("kyiv"), &a, &s, NULL), ERR_OK);
    cr_assert(str_eq_cstr(s, "kyiv"));
    post("kyiv", 1, CONTENT_PUBLISHED, NULL, 0, desk);
    cr_assert_eq(store_slug_unique(st, STORE_SLUG_POST, STR_LIT("kyiv"), &a, &s, NULL), ERR_OK);
    cr_assert(str_eq_cstr(s, "kyiv-2"));
    post("kyiv-2", 1, CONTENT_PUBLISHED, NULL, 0, desk);
    cr_assert_eq(store_slug_unique(st, STORE_SLUG_POST, STR_LIT("kyiv"), &a, &s, NULL), ERR_OK);
    cr_assert(str_eq_cstr(s, "kyiv-3"));
    cr_assert_eq(store_slug_unique(st, STORE_SLUG_AUTHOR, STR_LIT("news-desk"), &a, &s, NULL),
                 ERR_OK);
    cr_assert(str_eq_cstr(s, "news-desk-2"));
}

Test(store, transactions_roll_back)
{
    int64_t desk = author("News Desk", "news-desk");
    cr_assert_eq(store_tx_begin(st, NULL), ERR_OK);
    post("gone", 1, CONTENT_PUBLISHED, NULL, 0, desk);
    store_tx_end(st, ERR_INVALID, NULL); /* any error: roll back */
    struct content_post p;
    cr_assert_eq(store_post_by_slug(st, STR_LIT("gone"), &a, &p, NULL), ERR_NOTFOUND);
    struct store_new_post dup = {
        .slug = STR_LIT("x"), .title = STR_LIT("x"), .status = CONTENT_PUBLISHED};
    int64_t id;
    cr_assert_eq(store_post_insert(st, &dup, &id, NULL), ERR_OK);
    struct err err = {0};
    cr_assert_eq(store_post_insert(st, &dup, &id, &err), ERR_CONFLICT, "%s", err.msg);
}

Test(store, open_refuses_what_is_not_ours)
{
    struct store *other;
    struct err err = {0};
    char p[160];
    snprintf(p, sizeof(p), "%s/missing.db", db.dir);
    cr_assert_eq(store_open(p, STORE_READ, &other, &err), ERR_INVALID);
    cr_assert(strstr(err.msg, "does not exist"), "%s", err.msg);
    cr_assert(access(p, F_OK) != 0);
    snprintf(p, sizeof(p), "%s/text.db", db.dir);
    FILE *f = fopen(p, "w");
    fputs("definitely not a database, but long enough to have a header...................."
          "....................................................",
          f);
    fclose(f);
    cr_assert_eq(store_open(p, STORE_WRITE, &other, &err), ERR_INVALID);
    cr_assert(strstr(err.msg, "text.db"), "%s", err.msg);
    /* an SQLite file that is someone else's */
    snprintf(p, sizeof(p), "%s/foreign.db", db.dir);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "sqlite3 %s 'CREATE TABLE t(x)' 2>/dev/null", p);
    cr_assert_eq(system(cmd), 0, "the sqlite3 shell is installed by tools/bootstrap.sh");
    cr_assert_eq(store_open(p, STORE_WRITE, &other, &err), ERR_INVALID);
    cr_assert(strstr(err.msg, "not a Newsdesk database"), "%s", err.msg);
    /* reopening ours works, for reading too */
    cr_assert_eq(store_open(db.path, STORE_READ, &other, &err), ERR_OK, "%s", err.msg);
    store_close(other);
}
