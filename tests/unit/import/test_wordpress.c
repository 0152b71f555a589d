/*
 * The WordPress reader over the real export in ../shared/import-fixtures/ (WordPress
 * 6.1.9's own exporter) with a sink that collects every record, and over hostile XML:
 * each refused with a message, in bounded time, before anything is handed on where the
 * refusal can come first.
 */
#include "import/import_int.h"

#include "content/content.h"
#include "support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define FIXTURE "../shared/import-fixtures/wordpress-export.xml"

/* ---- a sink that keeps copies of everything ------------------------------------------------ */

struct rel {
    struct str a, b;
    int64_t order;
    enum import_kind kind;
};

struct coll {
    struct arena a;
    size_t calls; /* records handed on, of any kind */
    struct import_site site;
    int nsite;
    struct import_user users[64];
    size_t nusers;
    struct import_tag tags[128];
    size_t ntags;
    struct import_post posts[128];
    size_t nposts;
    struct import_attachment atts[16];
    size_t natts;
    struct import_post_meta metas[16];
    size_t nmetas;
    struct rel post_tags[1024];
    size_t npost_tags;
    struct rel post_authors[256];
    size_t npost_authors;
    struct rel redirects[512];
    size_t nredirects;
    char *warnings[256];
    size_t nwarnings;
    uint64_t progress_done, progress_total;
};

static struct str cp(struct coll *c, struct str s)
{
    return arena_str(&c->a, s);
}

static enum err_code c_site(void *ctx, const struct import_site *s, struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c->calls++;
    c->nsite++;
    c->site = (struct import_site){cp(c, s->url),      cp(c, s->title),    cp(c, s->description),
                                   cp(c, s->language), cp(c, s->timezone), cp(c, s->version)};
    return ERR_OK;
}

static enum err_code c_user(void *ctx, const struct import_user *u, struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c->calls++;
    cr_assert_lt(c->nusers, ARRAY_LEN(c->users));
    struct import_user *k = &c->users[c->nusers++];
    *k = *u;
    k->id = cp(c, u->id);
    k->slug = cp(c, u->slug);
    k->name = cp(c, u->name);
    k->email = cp(c, u->email);
    k->role = cp(c, u->role);
    return ERR_OK;
}

static enum err_code c_tag(void *ctx, const struct import_tag *t, struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c->calls++;
    cr_assert_lt(c->ntags, ARRAY_LEN(c->tags));
    struct import_tag *k = &c->tags[c->ntags++];
    *k = *t;
    k->id = cp(c, t->id);
    k->slug = cp(c, t->slug);
    k->name = cp(c, t->name);
    k->description = cp(c, t->description);
    return ERR_OK;
}

static enum err_code c_post(void *ctx, const struct import_post *p, struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c->calls++;
    cr_assert_lt(c->nposts, ARRAY_LEN(c->posts));
    struct import_post *k = &c->posts[c->nposts++];
    *k = *p;
    k->id = cp(c, p->id);
    k->slug = cp(c, p->slug);
    k->title = cp(c, p->title);
    k->body = cp(c, p->body);
    k->custom_excerpt = cp(c, p->custom_excerpt);
    k->feature_image_attachment = cp(c, p->feature_image_attachment);
    k->old_path = cp(c, p->old_path);
    return ERR_OK;
}

static enum err_code c_rel(struct coll *c, struct rel *arr, size_t *n, size_t max, struct str a,
                           struct str b, int64_t order)
{
    c->calls++;
    cr_assert_lt(*n, max);
    arr[(*n)++] = (struct rel){cp(c, a), cp(c, b), order, IMPORT_POSTS};
    return ERR_OK;
}

static enum err_code c_post_tag(void *ctx, struct str post, struct str tag, int64_t order,
                                struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    return c_rel(c, c->post_tags, &c->npost_tags, ARRAY_LEN(c->post_tags), post, tag, order);
}

static enum err_code c_post_author(void *ctx, struct str post, struct str user, int64_t order,
                                   struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    return c_rel(c, c->post_authors, &c->npost_authors, ARRAY_LEN(c->post_authors), post, user,
                 order);
}

static enum err_code c_redirect(void *ctx, struct str from, enum import_kind kind, struct str id,
                                struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c_rel(c, c->redirects, &c->nredirects, ARRAY_LEN(c->redirects), from, id, 0);
    c->redirects[c->nredirects - 1].kind = kind;
    return ERR_OK;
}

static enum err_code c_meta(void *ctx, const struct import_post_meta *m, struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c->calls++;
    cr_assert_lt(c->nmetas, ARRAY_LEN(c->metas));
    struct import_post_meta *k = &c->metas[c->nmetas++];
    *k = (struct import_post_meta){0};
    k->post_id = cp(c, m->post_id);
    k->meta.meta_title = cp(c, m->meta.meta_title);
    k->meta.meta_description = cp(c, m->meta.meta_description);
    k->meta.canonical_url = cp(c, m->meta.canonical_url);
    return ERR_OK;
}

static enum err_code c_att(void *ctx, const struct import_attachment *at, struct err *err)
{
    (void)err;
    struct coll *c = ctx;
    c->calls++;
    cr_assert_lt(c->natts, ARRAY_LEN(c->atts));
    struct import_attachment *k = &c->atts[c->natts++];
    *k = (struct import_attachment){cp(c, at->id),  cp(c, at->url),     cp(c, at->file),
                                    cp(c, at->alt), cp(c, at->caption), cp(c, at->title)};
    return ERR_OK;
}

static void c_warn(void *ctx, const char *msg)
{
    struct coll *c = ctx;
    if (c->nwarnings < ARRAY_LEN(c->warnings))
        c->warnings[c->nwarnings++] = arena_strdup(&c->a, msg);
}

static void c_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct coll *c = ctx;
    cr_assert_geq(done, c->progress_done, "progress goes forward");
    c->progress_done = done;
    c->progress_total = total;
}

static struct import_sink sink_of(struct coll *c)
{
    return (struct import_sink){.ctx = c,
                                .site = c_site,
                                .user = c_user,
                                .tag = c_tag,
                                .post = c_post,
                                .post_tag = c_post_tag,
                                .post_author = c_post_author,
                                .post_meta = c_meta,
                                .attachment = c_att,
                                .redirect = c_redirect,
                                .warn = c_warn,
                                .progress = c_progress};
}

static struct coll *coll_new(void)
{
    struct coll *c = calloc(1, sizeof(*c));
    arena_init(&c->a);
    return c;
}

static void coll_free(struct coll *c)
{
    arena_release(&c->a);
    free(c);
}

static const char *fixture(void)
{
    return FIXTURE;
}

static enum err_code read_file(const char *path, struct coll *c, struct err *err)
{
    struct import_sink s = sink_of(c);
    return import_read_wordpress(path, &s, err);
}

static const struct import_post *post(const struct coll *c, const char *id)
{
    for (size_t i = 0; i < c->nposts; i++)
        if (str_eq_cstr(c->posts[i].id, id))
            return &c->posts[i];
    cr_assert_fail("no post %s", id);
    return NULL;
}

static const struct import_tag *tag(const struct coll *c, const char *id)
{
    for (size_t i = 0; i < c->ntags; i++)
        if (str_eq_cstr(c->tags[i].id, id))
            return &c->tags[i];
    return NULL;
}

static const struct rel *redirect(const struct coll *c, const char *from)
{
    for (size_t i = 0; i < c->nredirects; i++)
        if (str_eq_cstr(c->redirects[i].a, from))
            return &c->redirects[i];
    return NULL;
}

static bool warned(const struct coll *c, const char *a, const char *b)
{
    for (size_t i = 0; i < c->nwarnings; i++)
        if (strstr(c->warnings[i], a) && strstr(c->warnings[i], b))
            return true;
    return false;
}

/* The post's tag ids in order, joined with spaces. */
static char *tags_of(struct coll *c, const char *id)
{
    struct buf b;
    buf_init(&b, 4096);
    for (int64_t order = 0; order < 64; order++)
        for (size_t i = 0; i < c->npost_tags; i++)
            if (str_eq_cstr(c->post_tags[i].a, id) && c->post_tags[i].order == order)
                buf_printf(&b, "%s%.*s", b.len ? " " : "", (int)c->post_tags[i].b.len,
                           c->post_tags[i].b.ptr);
    char *s = arena_strdup(&c->a, b.ptr ? b.ptr : "");
    buf_release(&b);
    return s;
}

static int64_t utc(const char *iso)
{
    int64_t t = 0;
    cr_assert(time_parse_iso(str_from(iso), &t));
    return t;
}

/* ---- the real export ------------------------------------------------------------------------ */

static struct coll *read_fixture(const char *path)
{
    struct coll *c = coll_new();
    struct err err = {0};
    cr_assert_eq(read_file(path, c, &err), ERR_OK, "%s", err.msg);
    return c;
}

static void check_counts(const struct coll *c)
{
    cr_assert_eq(c->nsite, 1);
    size_t pages = 0;
    for (size_t i = 0; i < c->nposts; i++)
        pages += c->posts[i].page;
    cr_assert_eq(c->nposts - pages, 71, "posts: %zu", c->nposts - pages);
    cr_assert_eq(pages, 2);
    cr_assert_eq(c->natts, 1);
    cr_assert_eq(c->nusers, 14);
    size_t cats = 0;
    for (size_t i = 0; i < c->ntags; i++)
        cats += str_starts_with(c->tags[i].id, "category:");
    cr_assert_eq(cats, 5, "categories once each, wp:term ignored: %zu", cats);
    cr_assert_eq(c->ntags - cats, 30);
    cr_assert_eq(c->npost_authors, 73);
}

Test(import_wordpress, fixture_counts_site_and_people)
{
    struct coll *c = read_fixture(fixture());
    check_counts(c);
    cr_assert(str_eq_cstr(c->site.url, "http://127.0.0.1:18082"));
    cr_assert(str_eq_cstr(c->site.title, "Newsbench WordPress Peer"));
    cr_assert(str_eq_cstr(c->site.description, "Synthetic content for benchmarking"));
    cr_assert(str_eq_cstr(c->site.language, "en-US"));
    cr_assert(str_eq_cstr(c->site.version, "1.2"));
    const struct import_user *oksana = NULL;
    for (size_t i = 0; i < c->nusers; i++)
        if (str_eq_cstr(c->users[i].id, "oksana"))
            oksana = &c->users[i];
    cr_assert_not_null(oksana);
    cr_assert(str_eq_cstr(oksana->name, "Оксана Мельник"));
    cr_assert(str_eq_cstr(oksana->email, "oksana@example.com"));
    cr_assert_eq(oksana->role.len, 0, "WordPress exports no role");
    cr_assert_eq(oksana->slug.len, 0, "the importer makes the slug from the name");
    const struct rel *r = redirect(c, "/author/oksana/");
    cr_assert_not_null(r);
    cr_assert_eq(r->kind, IMPORT_USERS);
    cr_assert(str_eq_cstr(r->b, "oksana"));
    cr_assert_eq(c->progress_done, c->progress_total, "the last progress call says done");
    cr_assert_gt(c->progress_total, 300000);
    coll_free(c);
}

Test(import_wordpress, fixture_terms_and_their_old_addresses)
{
    struct coll *c = read_fixture(fixture());
    const struct import_tag *europe = tag(c, "category:europe");
    cr_assert_not_null(europe);
    cr_assert(str_eq_cstr(europe->slug, "europe"));
    cr_assert(str_eq_cstr(europe->name, "Europe"));
    cr_assert(str_eq_cstr(tag(c, "category:world")->description, "News from outside the country."));
    cr_assert(str_eq_cstr(tag(c, "post_tag:breaking-news")->description, "Fast-moving stories."));
    const struct import_tag *kyiv = tag(c, "post_tag:%d0%9a%d0%b8%d1%97%d0%b2");
    cr_assert_not_null(kyiv);
    cr_assert(str_eq_cstr(kyiv->name, "Київ"));
    cr_assert(str_eq_cstr(kyiv->slug, "kyiv"), "%.*s", (int)kyiv->slug.len, kyiv->slug.ptr);
    const struct import_tag *energy =
        tag(c, "category:%d0%95%d0%bd%d0%b5%d1%80%d0%b3%d0%b5%d1%82%d0%b8%d0%ba%d0%b0");
    cr_assert_not_null(energy);
    cr_assert(content_slug_valid(energy->slug));

    const struct rel *r = redirect(c, "/category/world/europe/");
    cr_assert_not_null(r, "the nested category's full address");
    cr_assert(str_eq_cstr(r->b, "category:europe"));
    cr_assert_eq(r->kind, IMPORT_TAGS);
    cr_assert_not_null(redirect(c, "/category/europe/"));
    cr_assert_not_null(redirect(c, "/category/world/"));
    cr_assert_not_null(redirect(c, "/category/Енергетика/"));
    cr_assert_not_null(redirect(c, "/tag/Київ/"), "a tag whose slug changed keeps its address");
    cr_assert_null(redirect(c, "/tag/breaking-news/"), "same slug, same address: no redirect");
    coll_free(c);
}

Test(import_wordpress, fixture_statuses_dates_and_warnings)
{
    struct coll *c = read_fixture(fixture());
    const struct import_post *p64 = post(c, "64");
    cr_assert_eq(p64->status, CONTENT_PUBLISHED);
    cr_assert(p64->featured, "sticky is featured");
    cr_assert_eq(p64->created_at, utc("2024-10-03T09:30:00Z"));
    cr_assert_eq(p64->published_at, utc("2024-10-03T09:30:00Z"));
    cr_assert(str_eq_cstr(p64->old_path, "/2024/10/eu-ministers-agree-on-winter-energy-support/"));
    cr_assert_eq(p64->body_kind, IMPORT_BODY_HTML);
    cr_assert_gt(p64->custom_excerpt.len, 0);
    cr_assert(!post(c, "18")->featured);

    const struct import_post *p65 = post(c, "65");
    cr_assert_eq(p65->status, CONTENT_DRAFT);
    cr_assert_eq(p65->slug.len, 0, "a draft's slug comes from its title");
    cr_assert_eq(p65->published_at, 0);
    cr_assert_gt(p65->created_at, 0, "a draft's date is its post_date");
    cr_assert_eq(p65->old_path.len, 0);
    cr_assert_null(redirect(c, "/?p=65"), "a draft had no public address");

    const struct import_post *p66 = post(c, "66");
    cr_assert_eq(p66->status, CONTENT_SCHEDULED);
    cr_assert_eq(p66->published_at / 86400, utc("2030-01-07T00:00:00Z") / 86400);
    cr_assert_not_null(redirect(c, "/?p=66"));

    cr_assert_eq(post(c, "67")->status, CONTENT_DRAFT);
    cr_assert(warned(c, "post 67", "private"));
    cr_assert_eq(post(c, "68")->status, CONTENT_DRAFT);
    cr_assert(warned(c, "post 68", "was password-protected"));
    cr_assert(warned(c, "3 comments not imported", "no comments"));
    coll_free(c);
}

Test(import_wordpress, fixture_bodies_slugs_images_and_tags)
{
    struct coll *c = read_fixture(fixture());
    const struct import_post *p74 = post(c, "74");
    cr_assert(strstr(p74->body.ptr, "if (a[b[0]]>1)") || strstr(p74->body.ptr, "if (a[b[0]]&gt;1)"),
              "the code with ]]> split over two CDATA sections, joined: %s", p74->body.ptr);

    const struct import_post *p77 = post(c, "77");
    struct arena a;
    arena_init(&a);
    struct str want = content_slugify(str_from("Київ-готується-до-зими-графіки-відклю"), &a);
    cr_assert(str_eq(p77->slug, want), "%.*s", (int)p77->slug.len, p77->slug.ptr);
    cr_assert(str_eq_cstr(p77->title, "Київ готується до зими: графіки відключень на тиждень"));
    cr_assert(str_starts_with(p77->old_path, "/2024/10/Київ-готується-"),
              "the old address decoded: %s", p77->old_path.ptr);
    arena_release(&a);

    cr_assert(str_eq_cstr(post(c, "72")->feature_image_attachment, "73"));
    const struct import_attachment *at = &c->atts[0];
    cr_assert(str_eq_cstr(at->id, "73"));
    cr_assert(str_eq_cstr(at->file, "2024/10/dnipro-evening.png"));
    cr_assert(str_eq_cstr(at->url,
                          "http://127.0.0.1:18082/wp-content/uploads/2024/10/dnipro-evening.png"));
    cr_assert(str_eq_cstr(at->alt, "The Dnipro embankment at dusk, lamps just lit"));
    cr_assert_gt(at->caption.len, 0);
    const struct rel *r = redirect(c, "/?p=72");
    cr_assert_not_null(r);
    cr_assert(str_eq_cstr(r->b, "72"));

    /* primary category (lowest term id: world 29), other categories, then tags */
    cr_assert_str_eq(tags_of(c, "64"), "category:world category:europe category:politics "
                                       "post_tag:breaking-news post_tag:europe-desk "
                                       "post_tag:%d0%9a%d0%b8%d1%97%d0%b2");
    cr_assert_str_eq(tags_of(c, "68"), "category:uncategorized", "only category: kept");
    cr_assert(post(c, "69")->page);
    cr_assert(str_eq_cstr(post(c, "70")->old_path, "/about-the-newsroom/contacts/"));
    cr_assert_not_null(redirect(c, "/?page_id=70"));
    coll_free(c);
}

/* ---- the same file gzip-compressed ---------------------------------------------------------- */

static void write_gz(const char *path, const char *data, size_t n)
{
    gzFile gz = gzopen(path, "wb9");
    cr_assert_not_null(gz);
    for (size_t off = 0; off < n;) {
        unsigned chunk = n - off > (1u << 20) ? 1u << 20 : (unsigned)(n - off);
        cr_assert_eq(gzwrite(gz, data + off, chunk), (int)chunk);
        off += chunk;
    }
    gzclose(gz);
}

Test(import_wordpress, fixture_gzip)
{
    size_t n = 0;
    char *xml = test_read_file(fixture(), &n);
    char path[] = "/tmp/wxr-gz-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    close(fd);
    write_gz(path, xml, n);
    struct coll *c = read_fixture(path);
    check_counts(c);
    cr_assert(str_eq_cstr(post(c, "72")->feature_image_attachment, "73"));
    coll_free(c);
    unlink(path);
    free(xml);
}

/* ---- hostile and broken files ------------------------------------------------------------- */

static const char wxr_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n"
    "<rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n"
    " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n"
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
    "xmlns:wp=\"http://wordpress.org/export/1.2/\">\n"
    "<channel><title>T</title><wp:wxr_version>1.2</wp:wxr_version>\n"
    "<wp:base_site_url>http://old.example</wp:base_site_url>\n";

static char *temp_with(const char *data, size_t n)
{
    char *path = strdup("/tmp/wxr-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, n), (ssize_t)n);
    close(fd);
    return path;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Reads path with cap max: refused with code and a message holding want, in under 2 s.
 * Returns the records handed on before the refusal.
 */
static size_t refused_path(const char *path, uint64_t max, enum err_code code, const char *want)
{
    struct coll *c = coll_new();
    struct import_sink s = sink_of(c);
    struct err err = {0};
    double t0 = now_s();
    enum err_code rc = import_read_wordpress_max(path, max, &s, &err);
    double took = now_s() - t0;
    cr_assert_eq(rc, code, "want %s, got %s: %s", err_name(code), err_name(rc), err.msg);
    cr_assert(strstr(err.msg, want), "'%s' does not say '%s'", err.msg, want);
    cr_assert_lt(took, 2.0, "refusing took %.2f s", took);
    size_t calls = c->calls;
    coll_free(c);
    return calls;
}

static size_t refused(const char *xml, enum err_code code, const char *want)
{
    char *path = temp_with(xml, strlen(xml));
    size_t calls = refused_path(path, (uint64_t)IMPORT_FILE_MAX, code, want);
    unlink(path);
    free(path);
    return calls;
}

Test(import_wordpress, billion_laughs_refused_before_anything)
{
    const char *xml =
        "<?xml version=\"1.0\"?>\n<!-- a comment first -->\n<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>"
        "<wp:wxr_version>1.2</wp:wxr_version><title>&lol9;</title></channel></rss>\n";
    cr_assert_eq(refused(xml, ERR_INVALID, "has no DOCTYPE"), 0);
}

Test(import_wordpress, external_entity_refused)
{
    const char *xml = "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                      "<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel>"
                      "<wp:wxr_version>1.2</wp:wxr_version><title>&xxe;</title></channel></rss>\n";
    cr_assert_eq(refused(xml, ERR_INVALID, "refusing a file that declares entities"), 0);
}

Test(import_wordpress, external_dtd_refused)
{
    const char *xml = "<?xml version=\"1.0\"?><?pi with > inside?>"
                      "<!DOCTYPE rss SYSTEM \"http://127.0.0.1:9/evil.dtd\">"
                      "<rss version=\"2.0\"><channel></channel></rss>";
    cr_assert_eq(refused(xml, ERR_INVALID, "has no DOCTYPE"), 0);
}

Test(import_wordpress, utf16_refused)
{
    /* "<?xml" in UTF-16LE: the prolog scan cannot follow it, so it is refused outright */
    static const char xml[] = "\xff\xfe<\0?\0x\0m\0l\0 \0?\0>\0<\0!\0D\0O\0C\0";
    char *path = temp_with(xml, sizeof(xml) - 1);
    cr_assert_eq(refused_path(path, (uint64_t)IMPORT_FILE_MAX, ERR_INVALID, "NUL byte"), 0);
    unlink(path);
    free(path);
}

Test(import_wordpress, truncated_files_refused_with_a_line)
{
    size_t n = 0;
    char *xml = test_read_file(fixture(), &n);
    const size_t cuts[] = {0, 1, 40, 900, 5000, 60000, n / 2, n - 20, n - 9};
    for (size_t i = 0; i < ARRAY_LEN(cuts); i++) {
        char *path = temp_with(xml, cuts[i]);
        refused_path(path, (uint64_t)IMPORT_FILE_MAX, ERR_INVALID,
                     cuts[i] == 0     ? "the file is empty"
                     : cuts[i] < 1000 ? "line " /* still in the prolog's comments */
                                      : "cut short");
        unlink(path);
        free(path);
    }
    free(xml);
}

Test(import_wordpress, not_xml_refused)
{
    cr_assert_eq(refused("{\"db\": [{\"meta\": {}}]}", ERR_INVALID, "line 1"), 0);
    cr_assert_eq(refused("", ERR_INVALID, "empty"), 0);
    cr_assert_eq(refused("\x89PNG\r\n\x1a\n\x01\x02garbage", ERR_INVALID, "line"), 0);
    cr_assert_eq(refused("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>",
                         ERR_INVALID, "not <rss>"),
                 0);
}

Test(import_wordpress, rss_that_is_not_wxr_refused)
{
    const char *xml = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A feed</title>"
                      "<link>http://news.example/</link><item><title>One</title>"
                      "<link>http://news.example/one</link></item></channel></rss>";
    cr_assert_eq(refused(xml, ERR_INVALID, "not a WordPress export"), 0);
    const char *empty = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>";
    cr_assert_eq(refused(empty, ERR_INVALID, "no wp:wxr_version"), 0);
}

Test(import_wordpress, unknown_version_unsupported)
{
    char xml[2048];
    snprintf(xml, sizeof(xml), "%s", wxr_head);
    char *v = strstr(xml, ">1.2<");
    memcpy(v, ">9.9<", 5);
    snprintf(xml + strlen(xml), sizeof(xml) - strlen(xml),
             "<item><title>x</title></item></channel></rss>");
    cr_assert_eq(refused(xml, ERR_UNSUPPORTED, "'9.9'"), 0);
}

Test(import_wordpress, gzip_bomb_capped)
{
    /* a few KB that inflate past the cap: thousands of empty elements in the channel */
    const size_t unit = 5, n = 6u << 20; /* 30 MB once inflated */
    char *body = malloc(sizeof(wxr_head) + unit * n + 1);
    memcpy(body, wxr_head, sizeof(wxr_head) - 1);
    for (size_t i = 0; i < n; i++)
        memcpy(body + sizeof(wxr_head) - 1 + i * unit, "<x/>\n", unit);
    size_t len = sizeof(wxr_head) - 1 + unit * n;
    char path[] = "/tmp/wxr-bomb-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_gz(path, body, len);
    free(body);
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long gz_size = ftell(f);
    fclose(f);
    cr_assert_lt(gz_size, 64 * 1024, "a bomb: %ld bytes", gz_size);
    refused_path(path, 1u << 20, ERR_TOOBIG, "once decompressed");
    unlink(path);
}

Test(import_wordpress, deep_nesting_refused)
{
    const size_t depth = 100000;
    char *xml = malloc(sizeof(wxr_head) + depth * 3 + 64);
    memcpy(xml, wxr_head, sizeof(wxr_head) - 1);
    char *p = xml + sizeof(wxr_head) - 1;
    memcpy(p, "<item>", 6);
    p += 6;
    for (size_t i = 0; i < depth; i++, p += 3)
        memcpy(p, "<a>", 3);
    *p = '\0';
    refused(xml, ERR_INVALID, "line");
    free(xml);
}

/* ---- smaller files: what the fixture does not have ------------------------------------------ */

#define CORPUS "fuzz/corpus/import_wordpress/"

Test(import_wordpress, yoast_primary_meta_and_other_types)
{
    struct coll *c = read_fixture(CORPUS "minimal.xml");
    cr_assert(str_eq_cstr(c->site.language, "uk"));
    const struct import_post *p = post(c, "10");
    cr_assert_eq(p->created_at, utc("2024-10-03T09:30:00Z"), "GMT, not the site's local time");
    cr_assert_eq(p->updated_at, utc("2024-10-04T09:30:00Z"));
    cr_assert(p->featured);
    cr_assert(str_eq_cstr(p->feature_image_attachment, "11"));
    cr_assert(str_eq_cstr(p->custom_excerpt, "Short"));
    cr_assert(strstr(p->body.ptr, "if (a[b[0]]>1)") || strstr(p->body.ptr, "if (a[b[0]]&gt;1)"));
    /* Yoast's primary (term 6, europe) first; the post format taxonomy is not a tag */
    cr_assert_str_eq(tags_of(c, "10"),
                     "category:europe category:world post_tag:%d0%9a%d0%b8%d1%97%d0%b2");
    cr_assert_eq(c->nmetas, 1);
    cr_assert(str_eq_cstr(c->metas[0].meta.meta_title, "A story for search"));
    cr_assert_eq(c->metas[0].meta.meta_description.len, 0, "a Yoast template is not a text");
    cr_assert_eq(c->natts, 1);
    cr_assert(str_eq_cstr(c->atts[0].alt, "The river at dusk"));
    cr_assert(str_eq_cstr(c->atts[0].caption, "Dusk"));
    cr_assert(warned(c, "2 items of type 'nav_menu_item'", "not imported"));
    cr_assert(warned(c, "post 14", "trash"));
    cr_assert(warned(c, "post 10 'a-story'", "[gallery]"), "the shortcode is listed");
    cr_assert(warned(c, "1 comment not imported", "no comments"));
    const struct import_post *pending = post(c, "15");
    cr_assert(pending->page);
    cr_assert_eq(pending->status, CONTENT_DRAFT);
    cr_assert_eq(pending->created_at, utc("2024-11-01T10:00:00Z"), "no GMT date: post_date");
    cr_assert_eq(pending->published_at, 0);
    cr_assert_eq(c->nposts, 2, "the trashed post and the menu items are not handed on");
    coll_free(c);
}

Test(import_wordpress, posts_only_export_wxr_1_0)
{
    struct coll *c = read_fixture(CORPUS "posts-only-wxr10.xml");
    cr_assert(str_eq_cstr(c->site.version, "1.0"));
    cr_assert(str_eq_cstr(c->site.url, "http://old.example/news"));
    /* a "posts only" export lists no terms: they come from the items, each once */
    cr_assert_str_eq(tags_of(c, "3"), "category:sport post_tag:local");
    cr_assert_eq(c->ntags, 2, "uncategorized beside a real category is dropped: %zu", c->ntags);
    cr_assert(str_eq_cstr(tag(c, "post_tag:local")->name, "Local"));
    cr_assert_not_null(redirect(c, "/category/sport/"));
    const struct import_post *p = post(c, "3");
    cr_assert(str_eq_cstr(p->old_path, "/news/only-on-items/"), "%s", p->old_path.ptr);
    cr_assert_eq(p->created_at, utc("2010-05-01T10:00:00Z"));
    cr_assert_eq(c->npost_authors, 1);
    cr_assert(str_eq_cstr(c->post_authors[0].b, "ann"));
    coll_free(c);
}

Test(import_wordpress, corpus_refusals)
{
    cr_assert_eq(refused_path(CORPUS "billion-laughs.xml", 1u << 20, ERR_INVALID, "DOCTYPE"), 0);
    cr_assert_eq(refused_path(CORPUS "external-entity.xml", 1u << 20, ERR_INVALID, "DOCTYPE"), 0);
    cr_assert_eq(refused_path(CORPUS "plain-rss.xml", 1u << 20, ERR_INVALID, "wxr_version"), 0);
    refused_path(CORPUS "truncated.xml", 1u << 20, ERR_INVALID, "line ");
    struct coll *c = read_fixture(CORPUS "minimal.xml.gz");
    cr_assert_eq(c->nposts, 2);
    coll_free(c);
}

Test(import_wordpress, damaged_gzip_refused)
{
    size_t n = 0;
    char *xml = test_read_file(fixture(), &n);
    char path[] = "/tmp/wxr-gzcut-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    write_gz(path, xml, n);
    free(xml);
    size_t gz_len = 0;
    char *gz = test_read_file(path, &gz_len);
    unlink(path);
    char *cut = temp_with(gz, gz_len / 2);
    refused_path(cut, (uint64_t)IMPORT_FILE_MAX, ERR_IO, "gzip");
    unlink(cut);
    free(cut);
    char *bad = temp_with("\x1f\x8b\x08\x00garbage", 11);
    refused_path(bad, (uint64_t)IMPORT_FILE_MAX, ERR_IO, "gzip");
    unlink(bad);
    free(bad);
    free(gz);
}
