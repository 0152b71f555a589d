/*
 * Breaking news and pins through newsroom/newsroom.h on a real database: only on
 * published posts, cleared when a post leaves the site, expired by the scheduler's step
 * with a change of every page, and a pin that makes a post featured and leads its list.
 */
#include "newsroom/newsroom.h"

#include "store/store.h"
#include "support.h"

#include <criterion/criterion.h>
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

TestSuite(desk, .init = setup, .fini = teardown, .timeout = 30);

static struct content_draft draft(const char *title, enum content_status status)
{
    return (struct content_draft){
        .title = str_from(title),
        .markdown = STR_LIT("Water is rising."),
        .status = status,
        .has_published_at = status == CONTENT_SCHEDULED,
        .published_at = status == CONTENT_SCHEDULED ? time_now() + 3600 : 0,
    };
}

static enum err_code add(const struct content_draft *d, int64_t *id, struct err *err)
{
    struct str slug;
    return newsroom_post_add(db.st, d, &editor, &a, id, &slug, err);
}

static enum err_code update(int64_t id, const struct content_draft *d, struct err *err)
{
    struct str slug;
    return newsroom_post_update(db.st, id, d, &editor, &a, &slug, err);
}

static struct content_post get(int64_t id)
{
    struct content_post p;
    struct err err = {0};
    cr_assert_eq(store_post_by_id(db.st, id, &a, &p, &err), ERR_OK, "%s", err.msg);
    return p;
}

static int64_t head(void)
{
    int64_t seq = 0;
    cr_assert_eq(store_changes_head(db.st, &seq, NULL), ERR_OK);
    return seq;
}

/* Whether a change after seq names every page ("*"). */
static bool all_pages_since(int64_t seq)
{
    struct store_change *c;
    size_t n;
    bool complete;
    cr_assert_eq(store_changes_since(db.st, seq, 100, &a, &c, &n, &complete, NULL), ERR_OK);
    for (size_t i = 0; i < n; i++)
        for (const char *s = c[i].deps.ptr; s && s < c[i].deps.ptr + c[i].deps.len; s++)
            if (*s == '*')
                return true;
    return false;
}

Test(desk, only_published_posts_may_be_breaking_or_pinned)
{
    static const enum content_status off[] = {CONTENT_DRAFT, CONTENT_SCHEDULED};
    for (size_t i = 0; i < 2; i++) {
        struct content_draft d = draft("Dam breach", off[i]);
        d.breaking = true;
        struct err err = {0};
        int64_t id = 0;
        cr_expect_eq(add(&d, &id, &err), ERR_INVALID);
        cr_expect(strstr(err.msg, "only a published post can be breaking news"), "%s", err.msg);
        d.breaking = false;
        d.pinned = CONTENT_PIN_SECTION;
        cr_expect_eq(add(&d, &id, &err), ERR_INVALID);
        cr_expect(strstr(err.msg, "only a published post can be pinned"), "%s", err.msg);
    }
    struct content_draft d = draft("Dam breach", CONTENT_PUBLISHED);
    d.breaking = true;
    d.breaking_until = time_now() - 1;
    struct err err = {0};
    int64_t id = 0;
    cr_expect_eq(add(&d, &id, &err), ERR_INVALID);
    cr_expect(strstr(err.msg, "has passed"), "%s", err.msg);
    d.page = true;
    d.breaking_until = 0;
    cr_expect_eq(add(&d, &id, &err), ERR_INVALID, "a page is never breaking news");
    int64_t count = 0;
    cr_assert_eq(store_posts_count(db.st, &(struct store_filter){0}, &count, NULL), ERR_OK);
    cr_expect_eq(count, 0, "nothing was stored");
}

Test(desk, marking_logs_every_page_and_a_pin_makes_it_featured)
{
    struct content_draft d = draft("Dam breach", CONTENT_PUBLISHED);
    int64_t id = 0, seq = head();
    cr_assert_eq(add(&d, &id, NULL), ERR_OK);
    cr_expect_not(all_pages_since(seq), "an ordinary post refreshes its own pages only");
    seq = head();
    d.breaking = true;
    d.pinned = CONTENT_PIN_HOME;
    cr_assert_eq(update(id, &d, NULL), ERR_OK);
    cr_expect(all_pages_since(seq), "marked: every page has the banner");
    struct content_post p = get(id);
    cr_expect(p.breaking && p.pinned == CONTENT_PIN_HOME && p.featured);
    seq = head();
    d.title = STR_LIT("Dam breach: three villages evacuated");
    cr_assert_eq(update(id, &d, NULL), ERR_OK);
    cr_expect(all_pages_since(seq), "the banner shows the new headline everywhere");
}

Test(desk, leaving_the_site_clears_what_it_had_and_refuses_what_is_new)
{
    struct content_draft d = draft("Dam breach", CONTENT_PUBLISHED);
    d.breaking = true;
    d.pinned = CONTENT_PIN_HOME;
    int64_t id = 0;
    cr_assert_eq(add(&d, &id, NULL), ERR_OK);
    /* asked for a section pin it did not have, while going back to a draft: refused */
    d.status = CONTENT_DRAFT;
    d.pinned = CONTENT_PIN_HOME | CONTENT_PIN_SECTION;
    struct err err = {0};
    cr_expect_eq(update(id, &d, &err), ERR_INVALID);
    cr_expect(get(id).status == CONTENT_PUBLISHED, "nothing changed");
    /* carrying what it had: unpublished, unmarked and unpinned */
    d.pinned = CONTENT_PIN_HOME;
    int64_t seq = head();
    cr_assert_eq(update(id, &d, &err), ERR_OK, "%s", err.msg);
    struct content_post p = get(id);
    cr_expect(p.status == CONTENT_DRAFT && !p.breaking && !p.pinned);
    cr_expect(all_pages_since(seq), "the banner leaves every page");
}

Test(desk, the_scheduler_step_expires_breaking_news)
{
    struct content_draft d = draft("Dam breach", CONTENT_PUBLISHED);
    d.breaking = true;
    d.breaking_until = time_now() + 1;
    int64_t id = 0;
    cr_assert_eq(add(&d, &id, NULL), ERR_OK);
    size_t n = 9;
    cr_assert_eq(newsroom_breaking_expire(db.st, &n, NULL), ERR_OK);
    cr_expect_eq(n, 0, "not yet");
    struct content_post *now;
    cr_assert_eq(store_breaking_now(db.st, 2, &a, &now, &n, NULL), ERR_OK);
    cr_expect_eq(n, 1);
    sleep(2);
    cr_assert_eq(store_breaking_now(db.st, 2, &a, &now, &n, NULL), ERR_OK);
    cr_expect_eq(n, 0, "past its time it is off the banner even before the step");
    int64_t seq = head();
    cr_assert_eq(newsroom_breaking_expire(db.st, &n, NULL), ERR_OK);
    cr_expect_eq(n, 1);
    cr_expect_not(get(id).breaking);
    cr_expect(all_pages_since(seq));
    struct store_audit_entry *e;
    int64_t total = 0;
    cr_assert_eq(store_audit_list(db.st, 0, 10, &a, &e, &n, &total, NULL), ERR_OK);
    cr_expect(n >= 1 && str_eq_cstr(e[0].action, "unmark-breaking"), "audited");
}

Test(desk, the_pinned_post_of_a_section_is_one_whose_section_it_is)
{
    struct content_draft d = draft("Dam breach", CONTENT_PUBLISHED);
    struct str tags[] = {STR_LIT("World"), STR_LIT("City")};
    d.tags = tags;
    d.ntags = 2;
    d.pinned = CONTENT_PIN_SECTION;
    int64_t id = 0, world = 0, city = 0;
    cr_assert_eq(add(&d, &id, NULL), ERR_OK);
    cr_assert_eq(store_tag_find(db.st, STR_LIT("world"), &world, NULL), ERR_OK);
    cr_assert_eq(store_tag_find(db.st, STR_LIT("city"), &city, NULL), ERR_OK);
    struct content_post p;
    struct err err = {0};
    cr_expect_eq(store_pinned_first(db.st, CONTENT_PIN_SECTION, world, &a, &p, &err), ERR_OK);
    cr_expect_eq(p.id, id);
    cr_expect_eq(store_pinned_first(db.st, CONTENT_PIN_SECTION, city, &a, &p, &err), ERR_NOTFOUND,
                 "pinned on its section, not on every tag it has");
    cr_expect_eq(store_pinned_first(db.st, CONTENT_PIN_HOME, 0, &a, &p, &err), ERR_NOTFOUND);
}
