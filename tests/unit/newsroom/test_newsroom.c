/*
 * The newsroom through newsroom/newsroom.h on a real database in a temporary folder:
 * drafts into posts (slugs, tags, bylines, dates), corrections, and scheduled posts
 * published when due, by a call and by the scheduler's thread.
 */
#include "newsroom/newsroom.h"

#include "store/store.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct test_db db;
static struct arena a;
static const struct newsroom_opts editor = {.may_create_tags = true};

static void setup(void)
{
    test_db_open(&db);
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
    test_db_close(&db);
}

TestSuite(newsroom, .init = setup, .fini = teardown, .timeout = 30);

static struct content_draft draft(const char *title)
{
    return (struct content_draft){
        .title = str_from(title),
        .markdown = STR_LIT("The metro will run **until 2 a.m.**"),
        .status = CONTENT_PUBLISHED,
    };
}

/* Adds d; returns its id and (in a) its slug. */
static int64_t add(const struct content_draft *d, const struct newsroom_opts *o, struct str *slug)
{
    int64_t id = 0;
    struct str s;
    struct err err = {0};
    cr_assert_eq(newsroom_post_add(db.st, d, o, &a, &id, &s, &err), ERR_OK, "%s", err.msg);
    cr_assert_gt(id, 0);
    if (slug)
        *slug = s;
    return id;
}

static struct content_post get(int64_t id)
{
    struct content_post p;
    struct err err = {0};
    cr_assert_eq(store_post_by_id(db.st, id, &a, &p, &err), ERR_OK, "%s", err.msg);
    return p;
}

static enum err_code add_err(const struct content_draft *d, const struct newsroom_opts *o,
                             struct err *err)
{
    int64_t id;
    struct str slug;
    return newsroom_post_add(db.st, d, o, &a, &id, &slug, err);
}

static int64_t author(const char *slug, const char *name)
{
    struct content_author au = {.slug = str_from(slug), .name = str_from(name)};
    int64_t id;
    cr_assert_eq(store_author_insert(db.st, &au, false, &id, NULL), ERR_OK);
    return id;
}

/* ---- drafts into posts ------------------------------------------------------------ */

Test(newsroom, a_draft_becomes_a_rendered_post_by_the_desk)
{
    struct content_draft d = draft("  Kyiv metro extends night service ");
    struct str tags[] = {STR_LIT("News Feed"), STR_LIT("Transport")};
    d.tags = tags;
    d.ntags = 2;
    int64_t before = time_now();
    struct str slug;
    struct content_post p = get(add(&d, &editor, &slug));
    cr_expect(str_eq_cstr(slug, "kyiv-metro-extends-night-service"), "%.*s", (int)slug.len,
              slug.ptr);
    cr_expect(str_eq(p.slug, slug));
    cr_expect(str_eq_cstr(p.title, "Kyiv metro extends night service"), "the title is trimmed");
    cr_expect(str_eq_cstr(p.html, "<p>The metro will run <strong>until 2 a.m.</strong></p>\n"),
              "%.*s", (int)p.html.len, p.html.ptr);
    cr_expect_eq(p.status, CONTENT_PUBLISHED);
    cr_expect_geq(p.published_at, before);
    cr_expect_leq(p.published_at, time_now());
    cr_expect_eq(p.created_at, p.published_at);
    cr_assert_eq(p.ntags, 2);
    cr_expect(str_eq_cstr(p.tags[0].slug, "news-feed"), "the first tag is the primary one");
    cr_expect(str_eq_cstr(p.tags[1].slug, "transport"));
    cr_assert_eq(p.nauthors, 1);
    cr_expect(str_eq_cstr(p.authors[0].slug, "news-desk"), "no byline: the desk's");
    cr_expect(str_eq_cstr(p.authors[0].name, "News Desk"));
    cr_expect_eq(p.uuid.len, 36, "a UUID: %.*s", (int)p.uuid.len, p.uuid.ptr);
}

Test(newsroom, the_desk_is_made_once)
{
    int64_t first = 0, again = 0;
    cr_assert_eq(newsroom_ensure_desk(db.st, &first, NULL), ERR_OK);
    cr_assert_eq(newsroom_ensure_desk(db.st, &again, NULL), ERR_OK);
    cr_expect_gt(first, 0);
    cr_expect_eq(first, again);
}

Test(newsroom, slugs_are_free_and_never_a_site_route)
{
    struct content_draft d = draft("Night service");
    struct str s1, s2, s3, s4;
    add(&d, &editor, &s1);
    add(&d, &editor, &s2);
    cr_expect(str_eq_cstr(s1, "night-service"));
    cr_expect(str_eq_cstr(s2, "night-service-2"), "the same title again: %.*s", (int)s2.len,
              s2.ptr);
    struct content_draft rss = draft("RSS");
    add(&rss, &editor, &s3);
    cr_expect(str_eq_cstr(s3, "rss-post"), "/rss/ is the feed: %.*s", (int)s3.len, s3.ptr);
    struct content_draft none = draft("!!!");
    add(&none, &editor, &s4);
    cr_expect(str_eq_cstr(s4, "post"), "nothing to slugify: %.*s", (int)s4.len, s4.ptr);
}

Test(newsroom, a_chosen_slug_is_checked_not_changed)
{
    struct content_draft d = draft("Night service");
    d.slug = STR_LIT("night");
    struct str slug;
    add(&d, &editor, &slug);
    cr_expect(str_eq_cstr(slug, "night"));
    struct err err = {0};
    cr_expect_eq(add_err(&d, &editor, &err), ERR_CONFLICT, "taken: %s", err.msg);
    cr_expect(strstr(err.msg, "'night'"), "%s", err.msg);
    d.slug = STR_LIT("tag");
    cr_expect_eq(add_err(&d, &editor, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "reserved"), "%s", err.msg);
    d.slug = STR_LIT("Night--Service");
    cr_expect_eq(add_err(&d, &editor, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "a-z, 0-9"), "%s", err.msg);
}

Test(newsroom, tags_are_created_only_when_the_role_may)
{
    struct content_draft d = draft("Tagged");
    struct str tags[] = {STR_LIT("Brand New")};
    d.tags = tags;
    d.ntags = 1;
    const struct newsroom_opts author_role = {.may_create_tags = false};
    struct err err = {0};
    cr_expect_eq(add_err(&d, &author_role, &err), ERR_FORBIDDEN);
    cr_expect(strstr(err.msg, "'Brand New'"), "%s", err.msg);
    int64_t id;
    cr_expect_eq(store_tag_find(db.st, STR_LIT("brand-new"), &id, NULL), ERR_NOTFOUND,
                 "nothing written");
    get(add(&d, &editor, NULL));
    cr_expect_eq(store_tag_find(db.st, STR_LIT("brand-new"), &id, NULL), ERR_OK);
    /* now it exists, an author may use it */
    struct content_post p = get(add(&d, &author_role, NULL));
    cr_assert_eq(p.ntags, 1);
    cr_expect_eq(p.tags[0].id, id);
}

Test(newsroom, two_names_of_one_tag_count_once_and_a_tag_needs_letters)
{
    struct content_draft d = draft("Tagged");
    struct str tags[] = {STR_LIT("News Feed"), STR_LIT(" news  feed "), STR_LIT("Kyiv")};
    d.tags = tags;
    d.ntags = 3;
    struct content_post p = get(add(&d, &editor, NULL));
    cr_assert_eq(p.ntags, 2);
    cr_expect(str_eq_cstr(p.tags[0].slug, "news-feed"));
    cr_expect(str_eq_cstr(p.tags[1].slug, "kyiv"));
    struct str bad[] = {STR_LIT("!!!")};
    d.tags = bad;
    d.ntags = 1;
    struct err err = {0};
    cr_expect_eq(add_err(&d, &editor, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "'!!!'"), "%s", err.msg);
}

Test(newsroom, bylines_in_order_known_and_named_once)
{
    int64_t olena = author("olena", "Olena Kovalenko");
    int64_t taras = author("taras", "Taras Melnyk");
    struct content_draft d = draft("Bylines");
    struct str two[] = {STR_LIT("taras"), STR_LIT("olena")};
    d.authors = two;
    d.nauthors = 2;
    struct content_post p = get(add(&d, &editor, NULL));
    cr_assert_eq(p.nauthors, 2);
    cr_expect_eq(p.authors[0].id, taras, "the first named is the primary author");
    cr_expect_eq(p.authors[1].id, olena);
    struct str unknown[] = {STR_LIT("nobody")};
    d.authors = unknown;
    d.nauthors = 1;
    struct err err = {0};
    cr_expect_eq(add_err(&d, &editor, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "unknown author 'nobody'"), "%s", err.msg);
    struct str twice[] = {STR_LIT("olena"), STR_LIT("olena")};
    d.authors = twice;
    d.nauthors = 2;
    cr_expect_eq(add_err(&d, &editor, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "named twice"), "%s", err.msg);
    /* none named: the caller's default byline, not the desk */
    const struct newsroom_opts mine = {.may_create_tags = true, .default_author = olena};
    d.nauthors = 0;
    p = get(add(&d, &mine, NULL));
    cr_assert_eq(p.nauthors, 1);
    cr_expect_eq(p.authors[0].id, olena);
}

Test(newsroom, dates_of_drafts_and_late_filed_reports)
{
    struct content_draft d = draft("Draft");
    d.status = CONTENT_DRAFT;
    struct content_post p = get(add(&d, &editor, NULL));
    cr_expect_eq(p.status, CONTENT_DRAFT);
    cr_expect_eq(p.published_at, 0, "a draft was never published");
    struct content_draft late = draft("Late");
    late.has_published_at = true;
    late.published_at = 1767225600; /* 2026-01-01 */
    p = get(add(&late, &editor, NULL));
    cr_expect_eq(p.published_at, 1767225600);
    cr_expect_eq(p.updated_at, 1767225600, "not 'Updated' today");
    cr_expect_eq(p.created_at, 1767225600);
}

Test(newsroom, markdown_errors_write_nothing)
{
    struct content_draft d = draft("Bad bytes");
    d.markdown = STR_LIT("invalid \xff UTF-8");
    struct err err = {0};
    cr_expect_eq(add_err(&d, &editor, &err), ERR_INVALID);
    int64_t id, at;
    cr_expect_eq(store_post_find(db.st, STR_LIT("bad-bytes"), &id, &at, NULL), ERR_NOTFOUND);
}

/* ---- corrections ------------------------------------------------------------------ */

Test(newsroom, a_correction_keeps_id_uuid_slug_and_publication)
{
    struct content_draft d = draft("Bridge closed");
    d.has_published_at = true;
    d.published_at = 1767225600;
    int64_t id = add(&d, &editor, NULL);
    struct content_post before = get(id);
    struct content_draft fix = draft("Bridge reopened");
    fix.markdown = STR_LIT("It reopened at noon.");
    struct str slug;
    struct err err = {0};
    cr_assert_eq(newsroom_post_update(db.st, id, &fix, &editor, &a, &slug, &err), ERR_OK, "%s",
                 err.msg);
    struct content_post after = get(id);
    cr_expect(str_eq_cstr(slug, "bridge-closed"), "the slug stays unless a new one is named");
    cr_expect(str_eq(after.slug, before.slug));
    cr_expect(str_eq(after.uuid, before.uuid));
    cr_expect(str_eq_cstr(after.title, "Bridge reopened"));
    cr_expect(str_eq_cstr(after.html, "<p>It reopened at noon.</p>\n"));
    cr_expect_eq(after.published_at, 1767225600);
    cr_expect_eq(after.created_at, before.created_at);
    cr_expect_gt(after.updated_at, before.updated_at);
    fix.slug = STR_LIT("bridge-reopened");
    cr_assert_eq(newsroom_post_update(db.st, id, &fix, &editor, &a, &slug, &err), ERR_OK);
    cr_expect(str_eq_cstr(get(id).slug, "bridge-reopened"));
}

Test(newsroom, a_draft_published_later_gets_its_date_then)
{
    struct content_draft d = draft("Held back");
    d.status = CONTENT_DRAFT;
    int64_t id = add(&d, &editor, NULL);
    d.status = CONTENT_PUBLISHED;
    int64_t before = time_now();
    struct str slug;
    cr_assert_eq(newsroom_post_update(db.st, id, &d, &editor, &a, &slug, NULL), ERR_OK);
    struct content_post p = get(id);
    cr_expect_eq(p.status, CONTENT_PUBLISHED);
    cr_expect_geq(p.published_at, before);
    struct err err = {0};
    cr_expect_eq(newsroom_post_update(db.st, id + 100, &d, &editor, &a, &slug, &err), ERR_NOTFOUND);
}

/* ---- scheduling ------------------------------------------------------------------- */

static int64_t scheduled(const char *title, int64_t at)
{
    struct content_draft d = draft(title);
    d.status = CONTENT_SCHEDULED;
    d.has_published_at = true;
    d.published_at = at;
    return add(&d, &editor, NULL);
}

Test(newsroom, due_posts_are_published_and_the_rest_wait)
{
    int64_t now = time_now();
    int64_t due = scheduled("Due", now - 60);
    int64_t later = scheduled("Later", now + 3600);
    size_t n = 99;
    struct err err = {0};
    cr_assert_eq(newsroom_publish_due(db.st, &n, &err), ERR_OK, "%s", err.msg);
    cr_expect_eq(n, 1);
    cr_expect_eq(get(due).status, CONTENT_PUBLISHED);
    cr_expect_eq(get(due).published_at, now - 60, "published at its scheduled time");
    cr_expect_eq(get(later).status, CONTENT_SCHEDULED);
    int64_t next = 0;
    cr_assert_eq(store_next_scheduled(db.st, &next, NULL), ERR_OK);
    cr_expect_eq(next, now + 3600);
    /* the audit log says the system did it */
    struct store_audit_entry *log;
    size_t nlog;
    int64_t total;
    cr_assert_eq(store_audit_list(db.st, 0, 10, &a, &log, &nlog, &total, NULL), ERR_OK);
    cr_assert_eq(nlog, 1);
    cr_expect(str_eq_cstr(log[0].action, "publish"));
    char target[32];
    snprintf(target, sizeof(target), "post:%lld", (long long)due);
    cr_expect(str_eq_cstr(log[0].target, target), "%.*s", (int)log[0].target.len,
              log[0].target.ptr);
    /* again: nothing more is due */
    cr_assert_eq(newsroom_publish_due(db.st, &n, NULL), ERR_OK);
    cr_expect_eq(n, 0);
}

Test(newsroom, the_scheduler_thread_publishes_overdue_posts_at_once)
{
    int64_t id = scheduled("Overdue", time_now() - 3600);
    struct err err = {0};
    struct newsroom_scheduler *s = newsroom_scheduler_start(db.path, &err);
    cr_assert(s, "%s", err.msg);
    enum content_status status = CONTENT_SCHEDULED;
    for (int i = 0; i < 200 && status != CONTENT_PUBLISHED; i++) {
        usleep(25 * 1000);
        status = get(id).status;
    }
    newsroom_scheduler_stop(s);
    cr_expect_eq(status, CONTENT_PUBLISHED, "published within 5 s");
}

Test(newsroom, the_scheduler_needs_a_database)
{
    char missing[200];
    snprintf(missing, sizeof(missing), "%s/none.db", db.dir);
    struct err err = {0};
    cr_expect_null(newsroom_scheduler_start(missing, &err));
    cr_expect(err.msg[0], "a message says why");
    newsroom_scheduler_stop(NULL);
}
