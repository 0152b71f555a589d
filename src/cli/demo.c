/*
 * Synthetic demo content: made-up words only (no real news text), the same posts for the
 * same seed, dates spread over four years back from --until (default: now).
 */
#include "cli/cli_int.h"

#include "newsroom/newsroom.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: newsdesk demo --db FILE [--posts N] [--seed S] [--until DATE]\n\n"
    "Adds deterministic synthetic content: a dozen authors (among them the \"News Desk\"),\n"
    "about thirty tags (\"News Feed\" is the section of most posts), N posts whose\n"
    "dates spread over four years up to DATE, and an About and a Contact page.\n"
    "The same seed gives the same posts.\n\n"
    "  --db FILE      the database (created if missing)\n"
    "  --posts N      how many posts (default 1000)\n"
    "  --seed S       the random seed (default 1)\n"
    "  --until DATE   the newest post's time, ISO 8601 (default: now)\n"
    "  -h, --help     show this help\n";

#define DEMO_SPAN (4 * 365 * 86400LL)
#define DEMO_BATCH 5000
#define DEMO_MAX_POSTS 10000000

static const char *const sections[] = {
    "Politics",   "Economy",     "World",       "Sport",     "Culture",  "Science",
    "Technology", "Health",      "Energy",      "Transport", "Weather",  "Education",
    "Business",   "Environment", "Regions",     "Opinion",   "Analysis", "Interview",
    "Explainer",  "Photo",       "Video",       "Live",      "Breaking", "Local",
    "Defence",    "Diplomacy",   "Agriculture", "Finance",   "Media"};

static const char *const onsets[] = {"b",  "br", "d", "dr", "f",  "g", "gr", "k",  "kl",
                                     "l",  "m",  "n", "p",  "pr", "r", "s",  "st", "t",
                                     "tr", "v",  "z", "sh", "ch", "h", "j"};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou", "y", "ia"};
static const char *const codas[] = {"", "", "", "n", "r", "s", "l", "m", "t", "nd", "rk"};

struct demo {
    uint64_t rng;
    struct store *st;
    int64_t desk_id;
    struct str author_slugs[12]; /* [0] is the desk; live in the run's arena */
    size_t nauthors;
};

static size_t pick(struct demo *d, size_t n)
{
    return (size_t)rng_below(&d->rng, n);
}

static void word(struct demo *d, struct buf *b, bool capital)
{
    size_t syl = 1 + pick(d, 3);
    size_t start = b->len;
    for (size_t i = 0; i < syl; i++) {
        buf_puts(b, onsets[pick(d, ARRAY_LEN(onsets))]);
        buf_puts(b, vowels[pick(d, ARRAY_LEN(vowels))]);
        if (i + 1 == syl || pick(d, 3) == 0)
            buf_puts(b, codas[pick(d, ARRAY_LEN(codas))]);
    }
    if (capital && b->ptr[start] >= 'a' && b->ptr[start] <= 'z')
        b->ptr[start] = (char)(b->ptr[start] - 'a' + 'A');
}

static void sentence(struct demo *d, struct buf *b, size_t min, size_t spread)
{
    size_t n = min + pick(d, spread);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        word(d, b, i == 0 || pick(d, 9) == 0);
        if (i + 1 < n && pick(d, 10) == 0)
            buf_putc(b, ',');
    }
    buf_putc(b, '.');
}

static void paragraph(struct demo *d, struct buf *b)
{
    size_t n = 2 + pick(d, 3);
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ' ');
        sentence(d, b, 8, 9);
    }
    buf_puts(b, "\n\n");
}

static void person(struct demo *d, struct buf *b)
{
    word(d, b, true);
    buf_putc(b, ' ');
    word(d, b, true);
}

static void body(struct demo *d, struct buf *b, size_t tag)
{
    size_t paras = pick(d, 10) == 0 ? 6 + pick(d, 6) : 2 + pick(d, 3);
    for (size_t i = 0; i < paras; i++) {
        paragraph(d, b);
        if (i == 0) {
            buf_puts(b, "> “");
            sentence(d, b, 10, 10);
            buf_puts(b, "”\n>\n> — ");
            person(d, b);
            buf_puts(b, "\n\n");
        }
    }
    buf_printf(b, "More reports in [%s](/tag/%s/).\n", sections[tag % ARRAY_LEN(sections)],
               "news-feed");
}

static enum err_code add_authors(struct demo *d, struct arena *a, struct err *err)
{
    enum err_code rc = newsroom_ensure_desk(d->st, &d->desk_id, err);
    d->author_slugs[0] = STR_LIT("news-desk");
    d->nauthors = 1;
    for (size_t i = 1; !rc && i < ARRAY_LEN(d->author_slugs); i++) {
        struct buf name, bio;
        buf_init(&name, 256);
        buf_init(&bio, 1024);
        person(d, &name);
        buf_puts(&bio, "Reporter covering ");
        buf_puts(&bio, sections[pick(d, ARRAY_LEN(sections))]);
        buf_puts(&bio, ". ");
        sentence(d, &bio, 6, 6);
        struct content_author au = {.name = arena_str(a, buf_str(&name)),
                                    .bio = arena_str(a, buf_str(&bio))};
        struct str base = content_slugify(au.name, a);
        rc = store_slug_unique(d->st, STORE_SLUG_AUTHOR, base, a, &au.slug, err);
        au.email = str_from(arena_printf(a, "%.*s@example.org", (int)au.slug.len, au.slug.ptr));
        if (i % 3 != 0)
            au.avatar = str_from(arena_printf(a, "/assets/avatars/person-%zu.svg", i % 4 + 1));
        int64_t id;
        if (!rc)
            rc = store_author_insert(d->st, &au, false, &id, err);
        if (!rc)
            d->author_slugs[d->nauthors++] = au.slug;
        buf_release(&name);
        buf_release(&bio);
    }
    return rc;
}

/* One post's draft: title, body, tags and authors drawn from the sequence. */
static void make_draft(struct demo *d, struct arena *a, int64_t when, struct content_draft *dr)
{
    memset(dr, 0, sizeof(*dr));
    struct buf t, b;
    buf_init(&t, 1024);
    buf_init(&b, 64 * 1024);
    sentence(d, &t, 4, 6);
    t.len--; /* no full stop in a headline */
    size_t primary = pick(d, 5) == 0 ? 1 + pick(d, ARRAY_LEN(sections)) : 0;
    body(d, &b, primary);
    dr->title = arena_str(a, buf_str(&t));
    dr->markdown = arena_str(a, buf_str(&b));
    size_t ntags = 1 + pick(d, 3);
    dr->tags = arena_calloc(a, ntags, sizeof(struct str));
    dr->tags[0] = primary ? str_from(sections[primary - 1]) : STR_LIT("News Feed");
    for (size_t i = 1; i < ntags; i++)
        dr->tags[i] = str_from(sections[pick(d, ARRAY_LEN(sections))]);
    dr->ntags = (ntags == 3 && str_eq(dr->tags[1], dr->tags[2])) ? 2 : ntags;
    if (dr->ntags >= 2 && str_eq(dr->tags[0], dr->tags[1]))
        dr->ntags = 1;
    dr->authors = NULL;
    dr->status = CONTENT_PUBLISHED;
    dr->has_published_at = true;
    dr->published_at = when;
    dr->featured = pick(d, 50) == 0;
    if (pick(d, 10) == 0)
        dr->custom_excerpt = dr->title;
    buf_release(&t);
    buf_release(&b);
}

static enum err_code add_post(struct demo *d, int64_t when, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct content_draft dr;
    make_draft(d, &a, when, &dr);
    /* most posts are the desk's; the rest a reporter's, now and then with the desk */
    size_t who = pick(d, 10) < 6 ? 0 : 1 + pick(d, d->nauthors - 1);
    int64_t id;
    struct str slug;
    if (who) {
        dr.authors = arena_calloc(&a, 2, sizeof(struct str));
        dr.authors[0] = d->author_slugs[who];
        dr.nauthors = 1;
        if (pick(d, 8) == 0)
            dr.authors[dr.nauthors++] = d->author_slugs[0];
    }
    struct newsroom_opts opts = {.may_create_tags = true};
    enum err_code rc = newsroom_post_add(d->st, &dr, &opts, &a, &id, &slug, err);
    arena_release(&a);
    return rc;
}

static enum err_code default_settings(struct store *st, struct err *err)
{
    static const char *const kv[][2] = {
        {"title", "The Daily Desk"},
        {"description", "Short reports minutes after events, from the newsroom's desk."},
        {"contact_email", "tips@example.org"},
    };
    struct arena a;
    arena_init(&a);
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_LEN(kv); i++) {
        struct str v;
        rc = store_setting_get(st, kv[i][0], &a, &v, NULL);
        rc = rc == ERR_NOTFOUND ? store_setting_set(st, kv[i][0], str_from(kv[i][1]), err) : ERR_OK;
    }
    arena_release(&a);
    return rc;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Posts i up to done of n, step seconds apart, the last at until; in a transaction. */
static enum err_code add_batch(struct demo *d, int64_t i, int64_t done, int64_t n, int64_t step,
                               int64_t until, struct err *err)
{
    enum err_code rc = ERR_OK;
    for (int64_t j = i; !rc && j < done; j++) {
        int64_t when = until - (n - 1 - j) * step - (int64_t)pick(d, (size_t)step);
        rc = add_post(d, j == n - 1 ? until : when, err);
    }
    return rc;
}

/* N posts in batches, one transaction each, oldest first so ids follow dates. */
static enum err_code add_posts(struct demo *d, int64_t n, int64_t until, struct err *err)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t step = DEMO_SPAN / (n > 0 ? n : 1);
    if (step < 1)
        step = 1;
    enum err_code rc = ERR_OK;
    for (int64_t i = 0; !rc && i < n; i += DEMO_BATCH) {
        int64_t done = i + DEMO_BATCH < n ? i + DEMO_BATCH : n;
        rc = store_tx_begin(d->st, err);
        if (!rc)
            rc = store_tx_end(d->st, add_batch(d, i, done, n, step, until, err), err);
        if (!rc)
            fprintf(stderr, "demo: %lld/%lld posts (%.1f s, %.0f posts/s)\n", (long long)done,
                    (long long)n, seconds_since(&t0), (double)done / seconds_since(&t0));
    }
    return rc;
}

/*
 * The static pages a newsroom has beside its posts: About and Contact (once: a second run
 * keeps the ones there). Added after the posts, so post ids still follow dates.
 */
static enum err_code add_pages_tx(struct demo *d, int64_t when, struct err *err)
{
    static const char *const pages[][3] = {
        {"about", "About",
         "We are a small newsroom. Our desk publishes short reports minutes "
         "after events, checked and updated through the day.\n\n"
         "> Facts first, then speed.\n"},
        {"contact", "Contact",
         "Send news tips and corrections to the desk at "
         "<tips@example.org>. We read every message.\n"},
    };
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_LEN(pages); i++) {
        struct arena a;
        arena_init(&a);
        int64_t id, published;
        rc = store_post_find(d->st, str_from(pages[i][0]), &id, &published, NULL);
        if (rc == ERR_NOTFOUND) {
            struct content_draft dr = {.title = str_from(pages[i][1]),
                                       .slug = str_from(pages[i][0]),
                                       .markdown = str_from(pages[i][2]),
                                       .status = CONTENT_PUBLISHED,
                                       .has_published_at = true,
                                       .published_at = when,
                                       .page = true};
            struct str slug;
            struct newsroom_opts opts = {.may_create_tags = true};
            rc = newsroom_post_add(d->st, &dr, &opts, &a, &id, &slug, err);
        }
        arena_release(&a);
    }
    return rc;
}

static enum err_code add_pages(struct demo *d, int64_t when, struct err *err)
{
    enum err_code rc = store_tx_begin(d->st, err);
    return rc ? rc : store_tx_end(d->st, add_pages_tx(d, when, err), err);
}

struct demo_opts {
    const char *db;
    int64_t posts;
    int64_t seed;
    int64_t until;
};

static int parse(int argc, char **argv, struct demo_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"posts", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'}, {"until", required_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},       {0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        struct str v = str_from(optarg);
        switch (c) {
        case 'h':
            cli_usage(usage, false);
            return -1;
        case 'd':
            o->db = optarg;
            break;
        case 'p':
            if (!str_to_i64(v, &o->posts) || o->posts < 0 || o->posts > DEMO_MAX_POSTS)
                return cli_fail("--posts must be a number from 0 to %d", DEMO_MAX_POSTS);
            break;
        case 's':
            if (!str_to_i64(v, &o->seed))
                return cli_fail("--seed must be a whole number");
            break;
        case 'u':
            if (!time_parse_iso(v, &o->until))
                return cli_fail("cannot parse date '%s' (want e.g. 2026-11-26T08:00:00Z)", optarg);
            break;
        default:
            return cli_usage(usage, true);
        }
    }
    return optind == argc ? CLI_OK : cli_usage(usage, true);
}

static void index_progress(int64_t done, int64_t total, void *ctx)
{
    if (done % 100000 < 5000 || done == total)
        fprintf(stderr, "demo: indexed %lld/%lld posts for search (%.1f s, %.0f posts/s)\n",
                (long long)done, (long long)total, seconds_since(ctx),
                (double)done / seconds_since(ctx));
}

/* The search index of every post, once, with its rate. */
static enum err_code build_index(struct store *st, struct err *err)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    enum err_code rc = store_search_reindex(st, index_progress, &t0, err);
    if (!rc)
        fprintf(stderr, "demo: search index built in %.1f s\n", seconds_since(&t0));
    return rc;
}

int cli_demo(int argc, char **argv)
{
    struct demo_opts o = {.posts = 1000, .seed = 1, .until = time_now()};
    int prc = parse(argc, argv, &o);
    if (prc)
        return prc < 0 ? CLI_OK : prc;
    struct demo d = {.rng = (uint64_t)o.seed};
    if (cli_open(o.db, STORE_CREATE, &d.st))
        return CLI_FAIL;
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    enum err_code rc = store_tx_begin(d.st, &err);
    if (!rc) {
        rc = default_settings(d.st, &err);
        if (!rc)
            rc = newsroom_plaintext_fresh(d.st, &err);
        rc = store_tx_end(d.st, rc ? rc : add_authors(&d, &a, &err), &err);
    }
    if (!rc)
        fprintf(stderr, "demo: %zu authors\n", d.nauthors);
    /* the search index is built once at the end: a reindex is far faster in bulk */
    store_search_pause(d.st, true);
    if (!rc)
        rc = add_posts(&d, o.posts, o.until, &err);
    if (!rc)
        rc = add_pages(&d, o.until - DEMO_SPAN, &err);
    store_search_pause(d.st, false);
    if (!rc)
        rc = build_index(d.st, &err);
    arena_release(&a);
    store_close(d.st);
    return rc ? cli_fail("%s: %s", o.db, err.msg) : CLI_OK;
}
