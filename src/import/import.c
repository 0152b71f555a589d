/*
 * The importer: a reader's records staged in a temporary database (the sink below), then
 * applied to the site. See import.h for the whole story; in short, people and tags first,
 * then posts in batches, each batch one transaction with its checkpoint, every record's
 * digest kept in import_map so a second run of the same file changes nothing.
 *
 * Images must be taken in before their batch's transaction opens (media_add runs its own),
 * so a batch is prepared first (bodies converted, images taken in, drafts built), then
 * written. A dry run prepares and writes everything inside one transaction it rolls back,
 * taking no image in: the report's numbers are a real run's.
 */
#include "import/import_int.h"

#include "auth/auth.h"

#include "media/media.h"
#include "newsroom/newsroom.h"
#include "site/site.h"
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- the report ------------------------------------------------------------------- */

void import_report_init(struct import_report *r)
{
    memset(r, 0, sizeof(*r));
    arena_init(&r->arena);
}

void import_report_release(struct import_report *r)
{
    free(r->warnings);
    arena_release(&r->arena);
    memset(r, 0, sizeof(*r));
}

void import_warn(struct import_report *r, const char *fmt, ...)
{
    r->warnings_total++;
    if (r->nwarnings >= IMPORT_WARNINGS_KEPT)
        return;
    if (!r->warnings)
        r->warnings = xcalloc(IMPORT_WARNINGS_KEPT, sizeof(*r->warnings));
    va_list ap;
    va_start(ap, fmt);
    char line[1024];
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    r->warnings[r->nwarnings++] = str_from(arena_strdup(&r->arena, line));
}

static const char *const kind_names[IMPORT__KINDS] = {"posts",  "pages",  "tags",
                                                      "people", "images", "redirects"};

void import_report_print(const struct import_report *r, bool dry_run, FILE *out)
{
    fprintf(out, "%s\n",
            dry_run ? "Dry run: nothing was written. A real run would do this:" : "Imported:");
    fprintf(out, "  %-10s %8s %8s %8s %10s %8s\n", "", "created", "updated", "merged", "unchanged",
            "skipped");
    for (int k = 0; k < IMPORT__KINDS; k++)
        fprintf(out, "  %-10s %8lld %8lld %8lld %10lld %8lld\n", kind_names[k],
                (long long)r->created[k], (long long)r->updated[k], (long long)r->merged[k],
                (long long)r->unchanged[k], (long long)r->skipped[k]);
    if (r->resumed_after)
        fprintf(out,
                "Resumed: an earlier run of this file had committed %lld posts; it went on "
                "after them.\n",
                (long long)r->resumed_after);
    if (r->sanitised) {
        struct arena a;
        arena_init(&a);
        struct str what = html_report_format(&r->dropped, &a);
        fprintf(out, "Sanitised: %lld post%s lost markup the site does not keep: %.*s\n",
                (long long)r->sanitised, r->sanitised == 1 ? "" : "s", (int)what.len, what.ptr);
        arena_release(&a);
    }
    if (r->warnings_total)
        fprintf(out, "Warnings (%lld):\n", (long long)r->warnings_total);
    for (size_t i = 0; i < r->nwarnings; i++)
        fprintf(out, "  %.*s\n", (int)r->warnings[i].len, r->warnings[i].ptr);
    if (r->warnings_total > (int64_t)r->nwarnings)
        fprintf(out, "  ... and %lld more\n",
                (long long)(r->warnings_total - (int64_t)r->nwarnings));
    fprintf(out, "Took %.1f s.\n", r->seconds);
}

/* ---- the run's state -------------------------------------------------------------- */

/* A source id and what it became here. */
struct idmap {
    struct str id;
    int64_t local;
    struct str slug;
};

struct importer {
    struct store *st;
    const struct import_opts *o;
    struct import_report *rep;
    enum import_format format;
    const char *source; /* "ghost", "wordpress": import_map.source */
    struct media *media;
    struct arena arena; /* the run's: maps, URLs */
    struct str old_url; /* the old site's address ("" when unknown) */
    struct str site_url;
    struct str version;
    struct idmap *users, *tags;
    size_t nusers, ntags;
    int64_t run_id;
    struct str file_digest;
    int64_t total, done; /* posts */
    double started, last_progress;
    struct err *err;
    long cpus; /* online processors: bodies are converted on two threads when there are two */
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* At most four lines a second; a terminal gets one line redrawn. */
static void progress_line(struct importer *im, const char *phase, double done, double total,
                          bool last)
{
    FILE *f = im->o->progress;
    double now = now_seconds();
    if (!f || (!last && now - im->last_progress < 0.25))
        return;
    im->last_progress = now;
    double pct = total > 0 ? 100.0 * done / total : 0;
    double spent = now - im->started;
    double eta = done > 0 && total > done ? spent * (total - done) / done : 0;
    fprintf(f, "%s%s: %5.1f%%  %.0f s left%s", im->o->progress_tty ? "\r" : "", phase, pct, eta,
            im->o->progress_tty ? (last ? "\n" : "   ") : "\n");
    fflush(f);
}

/* ---- the sink: records into the staging database ----------------------------------- */

static enum err_code sink_site(void *ctx, const struct import_site *s, struct err *err)
{
    struct importer *im = ctx;
    const struct {
        const char *key;
        struct str v;
    } v[] = {{"url", s->url},           {"title", s->title},       {"description", s->description},
             {"language", s->language}, {"timezone", s->timezone}, {"version", s->version}};
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_LEN(v); i++)
        rc = store_stage_site(im->st, v[i].key, v[i].v, err);
    return rc;
}

static enum err_code sink_user(void *ctx, const struct import_user *u, struct err *err)
{
    return store_stage_user(((struct importer *)ctx)->st, u, err);
}

static enum err_code sink_user_role(void *ctx, struct str id, struct str role, struct err *err)
{
    return store_stage_user_role(((struct importer *)ctx)->st, id, role, err);
}

static enum err_code sink_tag(void *ctx, const struct import_tag *t, struct err *err)
{
    return store_stage_tag(((struct importer *)ctx)->st, t, err);
}

static enum err_code sink_post(void *ctx, const struct import_post *p, struct err *err)
{
    return store_stage_post(((struct importer *)ctx)->st, p, err);
}

static enum err_code sink_post_tag(void *ctx, struct str post, struct str tag, int64_t order,
                                   struct err *err)
{
    return store_stage_link(((struct importer *)ctx)->st, true, post, tag, order, err);
}

static enum err_code sink_post_author(void *ctx, struct str post, struct str user, int64_t order,
                                      struct err *err)
{
    return store_stage_link(((struct importer *)ctx)->st, false, post, user, order, err);
}

static enum err_code sink_post_meta(void *ctx, const struct import_post_meta *m, struct err *err)
{
    return store_stage_meta(((struct importer *)ctx)->st, m, err);
}

static enum err_code sink_attachment(void *ctx, const struct import_attachment *at, struct err *err)
{
    return store_stage_attachment(((struct importer *)ctx)->st, at, err);
}

static enum err_code sink_redirect(void *ctx, struct str from, enum import_kind kind, struct str id,
                                   struct err *err)
{
    return store_stage_redirect(((struct importer *)ctx)->st, from, (int)kind, id, err);
}

static void sink_warn(void *ctx, const char *msg)
{
    import_warn(((struct importer *)ctx)->rep, "%s", msg);
}

static void sink_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_line(ctx, "reading", (double)done, (double)total, total && done >= total);
}

/* ---- digests ---------------------------------------------------------------------- */

/*
 * A record's digest: SHA-256 of its fields, each preceded by its length (so that no two
 * records' fields run together into the same bytes), as 64 hex digits.
 */
#define DIGEST_INPUT_MAX (256u * 1024 * 1024)

static void hash_str(struct buf *h, struct str s)
{
    uint64_t n = s.len;
    buf_append(h, &n, sizeof(n));
    buf_append(h, s.ptr, s.len);
}

static void hash_i64(struct buf *h, int64_t v)
{
    buf_append(h, &v, sizeof(v));
}

static struct str digest_hex(struct buf *h, struct arena *a)
{
    unsigned char d[32];
    auth_token_hash(buf_str(h), d);
    buf_release(h);
    char *hex = arena_alloc(a, 2 * sizeof(d) + 1);
    for (size_t i = 0; i < sizeof(d); i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return str_from(hex);
}

/* ---- people and tags ----------------------------------------------------------------- */

static int idmap_cmp(const void *a, const void *b)
{
    const struct idmap *x = a, *y = b;
    size_t n = x->id.len < y->id.len ? x->id.len : y->id.len;
    int c = memcmp(x->id.ptr, y->id.ptr, n);
    return c ? c : (x->id.len > y->id.len) - (x->id.len < y->id.len);
}

static const struct idmap *idmap_find(const struct idmap *v, size_t n, struct str id)
{
    struct idmap key = {.id = id};
    return n ? bsearch(&key, v, n, sizeof(*v), idmap_cmp) : NULL;
}

/* Ghost's and WordPress's role names → ours; people without one write as authors. */
static const char *role_of(struct str role)
{
    static const struct {
        const char *from, *to;
    } roles[] = {
        {"Owner", "administrator"},
        {"Administrator", "administrator"},
        {"administrator", "administrator"},
        {"Editor", "editor"},
        {"editor", "editor"},
        {"Author", "author"},
        {"author", "author"},
        {"Contributor", "contributor"},
        {"contributor", "contributor"},
    };
    for (size_t i = 0; i < ARRAY_LEN(roles); i++)
        if (str_eq_cstr(role, roles[i].from))
            return roles[i].to;
    return role.len ? "contributor" : "author";
}

/* A slug that is valid here: the source's, else one made from text. */
static struct str slug_of(struct str slug, struct str text, struct arena *a)
{
    if (content_slug_valid(slug))
        return slug;
    struct str s = content_slugify(slug.len ? slug : text, a);
    return s.len ? s : content_slugify(text, a);
}

enum change { CH_CREATED, CH_UPDATED, CH_MERGED, CH_UNCHANGED };

static void count(struct import_report *r, enum import_kind k, enum change c)
{
    if (c == CH_CREATED)
        r->created[k]++;
    else if (c == CH_UNCHANGED)
        r->unchanged[k]++;
    else
        r->updated[k]++;
    if (c == CH_MERGED)
        r->merged[k]++;
}

/* Looks the record up in the map: *change says what saving it would be, *local its id. */
static enum err_code classify(struct importer *im, const char *kind, struct str id,
                              struct str digest, int64_t found_here, int64_t *local,
                              enum change *change, struct arena *a)
{
    struct str old = STR_NULL;
    enum err_code rc = store_import_map_get(im->st, im->source, kind, id, a, local, &old, im->err);
    if (rc == ERR_NOTFOUND) {
        *local = found_here;
        *change = found_here ? CH_MERGED : CH_CREATED;
        return ERR_OK;
    }
    if (!rc)
        *change = str_eq(old, digest) ? CH_UNCHANGED : CH_UPDATED;
    return rc;
}

static struct str user_digest(const struct import_user *u, struct arena *a)
{
    struct buf h;
    buf_init(&h, DIGEST_INPUT_MAX);
    const struct str f[] = {u->ghost_id, u->slug,    u->name,     u->email, u->bio,
                            u->avatar,   u->website, u->location, u->role};
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        hash_str(&h, f[i]);
    return digest_hex(&h, a);
}

static enum err_code apply_user(struct importer *im, struct import_user *u, struct idmap *out,
                                struct arena *a)
{
    u->slug = slug_of(u->slug, u->name, a);
    if (!u->slug.len || !u->name.len) {
        import_warn(im->rep, "person '%.*s': no name or slug: skipped", (int)u->id.len, u->id.ptr);
        im->rep->skipped[IMPORT_USERS]++;
        return ERR_OK;
    }
    struct str digest = user_digest(u, a);
    int64_t here = 0, local = 0;
    enum change ch;
    enum err_code rc = store_import_user_find(im->st, u, &here, im->err);
    if (!rc)
        rc = classify(im, "user", u->id, digest, here, &local, &ch, a);
    if (!rc && ch != CH_UNCHANGED)
        rc = store_import_user_save(im->st, u, role_of(u->role), &local, im->err);
    if (!rc && ch != CH_UNCHANGED)
        rc = store_import_map_set(im->st, im->source, "user", u->id, local, digest, im->err);
    if (rc)
        return rc;
    if (ch == CH_MERGED)
        import_warn(im->rep, "person '%.*s' was here already: merged", (int)u->slug.len,
                    u->slug.ptr);
    count(im->rep, IMPORT_USERS, ch);
    *out = (struct idmap){arena_str(&im->arena, u->id), local, arena_str(&im->arena, u->slug)};
    return ERR_OK;
}

static struct str tag_digest(const struct import_tag *t, struct arena *a)
{
    struct buf h;
    buf_init(&h, DIGEST_INPUT_MAX);
    const struct str f[] = {t->ghost_id, t->slug, t->name, t->description};
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        hash_str(&h, f[i]);
    hash_i64(&h, t->internal);
    return digest_hex(&h, a);
}

static enum err_code apply_tag(struct importer *im, struct import_tag *t, struct idmap *out,
                               struct arena *a)
{
    t->slug = slug_of(t->slug, t->name, a);
    t->internal = t->internal || str_starts_with(t->name, "#");
    if (!t->slug.len || !t->name.len) {
        import_warn(im->rep, "tag '%.*s': no name or slug: skipped", (int)t->id.len, t->id.ptr);
        im->rep->skipped[IMPORT_TAGS]++;
        return ERR_OK;
    }
    struct str digest = tag_digest(t, a);
    int64_t here = 0, local = 0;
    enum change ch;
    enum err_code rc = store_import_tag_find(im->st, t->ghost_id, t->slug, &here, im->err);
    if (!rc)
        rc = classify(im, "tag", t->id, digest, here, &local, &ch, a);
    if (!rc && ch != CH_UNCHANGED)
        rc = store_import_tag_save(im->st, t, &local, im->err);
    if (!rc && ch != CH_UNCHANGED)
        rc = store_import_map_set(im->st, im->source, "tag", t->id, local, digest, im->err);
    if (rc)
        return rc;
    count(im->rep, IMPORT_TAGS, ch);
    *out = (struct idmap){arena_str(&im->arena, t->id), local, arena_str(&im->arena, t->slug)};
    return ERR_OK;
}

static enum err_code apply_people_and_tags(struct importer *im, struct arena *a)
{
    struct import_user *users;
    struct import_tag *tags;
    size_t nu = 0, nt = 0;
    enum err_code rc = store_stage_users(im->st, a, &users, &nu, im->err);
    if (!rc)
        rc = store_stage_tags(im->st, a, &tags, &nt, im->err);
    if (rc)
        return rc;
    im->users = arena_calloc(&im->arena, nu + 1, sizeof(*im->users));
    im->tags = arena_calloc(&im->arena, nt + 1, sizeof(*im->tags));
    for (size_t i = 0; !rc && i < nu; i++) {
        struct idmap m = {0};
        rc = apply_user(im, &users[i], &m, a);
        if (!rc && m.local)
            im->users[im->nusers++] = m;
    }
    for (size_t i = 0; !rc && i < nt; i++) {
        struct idmap m = {0};
        rc = apply_tag(im, &tags[i], &m, a);
        if (!rc && m.local)
            im->tags[im->ntags++] = m;
    }
    qsort(im->users, im->nusers, sizeof(*im->users), idmap_cmp);
    qsort(im->tags, im->ntags, sizeof(*im->tags), idmap_cmp);
    return rc ? rc : store_import_changed(im->st, im->err);
}

/* ---- the site's settings ------------------------------------------------------------ */

static enum err_code apply_setting(struct importer *im, const char *key, struct str value,
                                   struct arena *a)
{
    struct str norm, cur = STR_NULL;
    struct err e = {0};
    if (!value.len)
        return ERR_OK;
    if (site_setting_check(key, value, a, &norm, &e)) {
        import_warn(im->rep, "site %s '%.*s' not kept: %s", key, (int)value.len, value.ptr, e.msg);
        return ERR_OK;
    }
    enum err_code rc = store_setting_get(im->st, key, a, &cur, &e);
    if (rc == ERR_OK && str_eq(cur, norm))
        return ERR_OK;
    if (rc && rc != ERR_NOTFOUND)
        return err_set(im->err, rc, "%s", e.msg);
    return store_setting_set(im->st, key, norm, im->err);
}

static enum err_code apply_site(struct importer *im, struct arena *a)
{
    struct store_setting *s;
    size_t n = 0;
    enum err_code rc = store_stage_site_all(im->st, a, &s, &n, im->err);
    for (size_t i = 0; !rc && i < n; i++) {
        const char *k = s[i].key.ptr;
        if (!strcmp(k, "url"))
            im->old_url = arena_str(&im->arena, s[i].value);
        else if (!strcmp(k, "version"))
            im->version = arena_str(&im->arena, s[i].value);
        else if (!strcmp(k, "timezone") && str_eq_cstr(s[i].value, "Etc/UTC"))
            rc = apply_setting(im, k, STR_LIT("UTC"), a);
        else
            rc = apply_setting(im, k, s[i].value, a);
    }
    /* "__GHOST_URL__" is no address: its links are told apart by that prefix alone */
    if (!str_starts_with(im->old_url, "http://") && !str_starts_with(im->old_url, "https://"))
        im->old_url = STR_NULL;
    while (im->old_url.len && im->old_url.ptr[im->old_url.len - 1] == '/')
        im->old_url.len--;
    return rc;
}

/* ---- images and the old site's links ------------------------------------------------ */

/* The path an URL of the old site names ("/2024/10/slug/"), or STR_NULL for another site's. */
static struct str old_site_path(const struct importer *im, struct str url, struct arena *a)
{
    struct str rest = STR_NULL;
    if (str_starts_with(url, "__GHOST_URL__"))
        rest = (struct str){url.ptr + 13, url.len - 13};
    else if (im->old_url.len && str_starts_with(url, im->old_url.ptr) &&
             (url.len == im->old_url.len || url.ptr[im->old_url.len] == '/' ||
              url.ptr[im->old_url.len] == '?'))
        rest = (struct str){url.ptr + im->old_url.len, url.len - im->old_url.len};
    else if (url.len && url.ptr[0] == '/' && !str_starts_with(url, "//"))
        return url;
    else
        return STR_NULL;
    if (!rest.len || rest.ptr[0] != '/')
        return arena_cat3(a, "/", rest, "");
    return rest;
}

/* Skips "size/w600/" and "format/webp/" (Ghost's resized copies name the same file). */
static struct str ghost_original(struct str rel)
{
    static const char *const prefixes[] = {"size/", "format/"};
    for (size_t i = 0; i < ARRAY_LEN(prefixes); i++) {
        if (!str_starts_with(rel, prefixes[i]))
            continue;
        const char *slash =
            memchr(rel.ptr + strlen(prefixes[i]), '/', rel.len - strlen(prefixes[i]));
        if (slash)
            rel = (struct str){slash + 1, rel.len - (size_t)(slash + 1 - rel.ptr)};
    }
    return rel;
}

/* The file under the images folder a path of the old site names, or STR_NULL. */
static struct str image_file(const struct importer *im, struct str path)
{
    const char *marker = im->format == IMPORT_GHOST ? "/content/images/" : "/wp-content/uploads/";
    size_t ml = strlen(marker);
    struct str rel = STR_NULL;
    for (size_t i = 0; i + ml <= path.len && !rel.ptr; i++)
        if (!memcmp(path.ptr + i, marker, ml))
            rel = (struct str){path.ptr + i + ml, path.len - i - ml};
    if (!rel.ptr)
        return STR_NULL;
    rel.len = strcspn(rel.ptr, "?#") < rel.len ? strcspn(rel.ptr, "?#") : rel.len;
    if (im->format == IMPORT_GHOST)
        rel = ghost_original(rel);
    /* nothing outside the folder: no "..", no absolute path, no NUL */
    for (size_t i = 0; i < rel.len; i++)
        if (rel.ptr[i] == '\0' || (rel.ptr[i] == '.' && i + 1 < rel.len && rel.ptr[i + 1] == '.'))
            return STR_NULL;
    return rel.len && rel.ptr[0] != '/' ? rel : STR_NULL;
}

static enum err_code media_once(struct importer *im)
{
    if (im->media)
        return ERR_OK;
    struct media_config cfg = {.db_path = im->o->db_path};
    return media_new(&cfg, &im->media, im->err);
}

/* Takes the file in through media_add; *url our address, STR_NULL when it could not be. */
static void image_add(struct importer *im, struct str rel, const char *path, struct str alt,
                      struct arena *a, struct str *url)
{
    struct buf file;
    buf_init(&file, MEDIA_BYTES_MAX_DEFAULT);
    struct err e = {0};
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    enum err_code rc = f ? ERR_OK : err_set(&e, ERR_IO, "%s", strerror(errno));
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = buf_append(&file, chunk, n) ? err_set(&e, ERR_TOOBIG, "larger than 25 MB") : ERR_OK;
    if (f)
        fclose(f);
    const char *base = strrchr(path, '/');
    struct media_meta meta = {.alt = alt, .filename = str_from(base ? base + 1 : path)};
    if (!meta.alt.len)
        meta.alt = meta.filename;
    struct media_item item;
    bool existed = false;
    if (!rc)
        rc = media_once(im) ? err_set(&e, ERR_INTERNAL, "%s", im->err->msg) : ERR_OK;
    if (!rc)
        rc = media_add(im->media, im->st, file.ptr, file.len, &meta, 0, a, &item, &existed, &e);
    buf_release(&file);
    if (rc) {
        import_warn(im->rep, "image %.*s: %s: its old address stays", (int)rel.len, rel.ptr, e.msg);
        im->rep->skipped[IMPORT_IMAGES]++;
        return;
    }
    *url = media_path(&item, 0, MEDIA_NONE, a);
    count(im->rep, IMPORT_IMAGES, existed ? CH_UNCHANGED : CH_CREATED);
    if (store_import_map_set(im->st, im->source, "media", rel, item.id, *url, &e))
        import_warn(im->rep, "image %.*s: %s", (int)rel.len, rel.ptr, e.msg);
}

/* Our URL for the image file rel (once per run), or STR_NULL: the old address stays. */
static struct str take_image(struct importer *im, struct str rel, struct str alt, struct arena *a)
{
    struct str url = STR_NULL;
    struct err e = {0};
    int64_t id = 0;
    if (!store_stage_media_get(im->st, rel, a, &url, &e))
        return url.len && url.ptr[0] == '/' ? url : STR_NULL;
    if (!store_import_map_get(im->st, im->source, "media", rel, a, &id, &url, &e)) {
        count(im->rep, IMPORT_IMAGES, CH_UNCHANGED);
    } else {
        char *path = arena_printf(a, "%s/%.*s", im->o->images_dir, (int)rel.len, rel.ptr);
        struct stat sb;
        url = STR_NULL;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            import_warn(im->rep, "image %.*s: not in %s: its old address stays", (int)rel.len,
                        rel.ptr, im->o->images_dir);
            im->rep->skipped[IMPORT_IMAGES]++;
        } else if (im->o->dry_run) {
            count(im->rep, IMPORT_IMAGES, CH_CREATED);
            url = STR_LIT("-"); /* would be taken in */
        } else {
            image_add(im, rel, path, alt, a, &url);
        }
    }
    if (store_stage_media_set(im->st, rel, url, &e))
        import_warn(im->rep, "image %.*s: %s", (int)rel.len, rel.ptr, e.msg);
    return url.len && url.ptr[0] == '/' ? url : STR_NULL;
}

struct url_ctx {
    struct importer *im;
    struct str alt; /* for the feature image */
    bool worker;    /* on a conversion thread: no database, so images wait for the main one */
    bool deferred;  /* an image came up on a conversion thread: convert again on the main one */
};

/* html_url_fn: the old site's links become our paths, its images our photos. */
static struct str rewrite_url(void *ctx, struct str url, bool image, struct arena *a)
{
    struct url_ctx *c = ctx;
    struct importer *im = c->im;
    struct str path = old_site_path(im, url, a);
    if (!path.len)
        return url;
    struct str rel = image_file(im, path);
    if (!rel.len)
        return path;
    (void)image;
    struct str ours = STR_NULL;
    if (c->worker) {
        c->deferred = true;
        return path;
    }
    if (im->o->images_dir)
        ours = take_image(im, rel, c->alt, a);
    if (ours.len)
        return ours;
    /* the old address, absolute when it is known */
    return im->old_url.len ? arena_cat3(a, "", im->old_url, path.ptr) : path;
}

/* ---- posts ---------------------------------------------------------------------------- */

struct prepared {
    struct import_post p;
    enum change ch;
    int64_t local;
    struct str digest;
    struct import_post_meta meta;
    struct content_draft d;
    bool skip;
    /* between the lookups and the conversion (prepare_post .. finish_post) */
    struct str *tags, *authors;
    size_t ntags, nauthors;
    bool convert;             /* the body needs converting */
    bool converted;           /* done (on whichever thread) */
    struct html_report drops; /* what the conversion dropped */
    enum err_code convert_rc; /* the conversion's result, its message in convert_err */
    struct err convert_err;
};

static struct str post_digest(const struct importer *im, const struct prepared *x,
                              const struct str *tags, size_t nt, const struct str *authors,
                              size_t na, struct arena *a)
{
    struct buf h;
    buf_init(&h, DIGEST_INPUT_MAX);
    const struct import_post *p = &x->p;
    const struct content_meta *m = &x->meta.meta;
    const struct str f[] = {p->ghost_id,
                            p->uuid,
                            p->slug,
                            p->title,
                            p->body,
                            p->custom_excerpt,
                            p->feature_image,
                            p->feature_image_attachment,
                            p->old_path,
                            x->meta.feature_image_alt,
                            x->meta.feature_image_caption,
                            m->meta_title,
                            m->meta_description,
                            m->og_image,
                            m->og_title,
                            m->og_description,
                            m->twitter_image,
                            m->twitter_title,
                            m->twitter_description,
                            m->canonical_url};
    for (size_t i = 0; i < ARRAY_LEN(f); i++)
        hash_str(&h, f[i]);
    const int64_t n[] = {p->body_kind,  p->status,     p->page,         p->featured,
                         p->created_at, p->updated_at, p->published_at, im->o->images_dir != NULL,
                         (int64_t)nt,   (int64_t)na};
    for (size_t i = 0; i < ARRAY_LEN(n); i++)
        hash_i64(&h, n[i]);
    for (size_t i = 0; i < nt; i++)
        hash_str(&h, tags[i]);
    for (size_t i = 0; i < na; i++)
        hash_str(&h, authors[i]);
    return digest_hex(&h, a);
}

/* The body as Markdown, through html/ (thread-safe: c says whether images may be taken in). */
static enum err_code body_markdown(struct url_ctx *c, struct prepared *x, struct arena *a,
                                   struct html_report *drops, struct err *err)
{
    struct html_opts ho = {rewrite_url, c};
    struct str body = x->p.body;
    switch (x->p.body_kind) {
    case IMPORT_BODY_LEXICAL:
        return html_lexical_to_markdown(body, &ho, a, &x->d.markdown, drops, err);
    case IMPORT_BODY_MOBILEDOC:
        return html_mobiledoc_to_markdown(body, &ho, a, &x->d.markdown, drops, err);
    case IMPORT_BODY_MARKDOWN:
        x->d.markdown = body;
        return ERR_OK;
    case IMPORT_BODY_HTML:
        break;
    }
    return html_to_markdown(body, &ho, a, &x->d.markdown, drops, err);
}

/* Converts x's body once; on a conversion thread, one with images is left for the main one. */
static void convert(struct importer *im, struct prepared *x, struct arena *a, bool worker)
{
    struct url_ctx c = {.im = im, .worker = worker};
    memset(&x->drops, 0, sizeof(x->drops));
    x->convert_rc = body_markdown(&c, x, a, &x->drops, &x->convert_err);
    x->converted = !c.deferred;
}

/* The draft's tags and bylines: slugs of what people and tags became (newsroom/ finds them). */
static void draft_links(struct importer *im, struct prepared *x, const struct str *tags, size_t nt,
                        const struct str *authors, size_t na, struct arena *a)
{
    x->d.tags = arena_calloc(a, nt + 1, sizeof(struct str));
    x->d.authors = arena_calloc(a, na + 1, sizeof(struct str));
    for (size_t i = 0; i < nt; i++) {
        const struct idmap *m = idmap_find(im->tags, im->ntags, tags[i]);
        if (m)
            x->d.tags[x->d.ntags++] = m->slug;
        else
            import_warn(im->rep, "post '%.*s': tag id %.*s is not in the export: left out",
                        (int)x->p.slug.len, x->p.slug.ptr, (int)tags[i].len, tags[i].ptr);
    }
    for (size_t i = 0; i < na; i++) {
        const struct idmap *m = idmap_find(im->users, im->nusers, authors[i]);
        bool twice = false;
        for (size_t j = 0; m && j < x->d.nauthors; j++)
            twice = twice || str_eq(x->d.authors[j], m->slug);
        if (m && !twice)
            x->d.authors[x->d.nauthors++] = m->slug;
        else if (!m)
            import_warn(im->rep, "post '%.*s': author id %.*s is not in the export: left out",
                        (int)x->p.slug.len, x->p.slug.ptr, (int)authors[i].len, authors[i].ptr);
    }
    if (!x->d.nauthors && na)
        import_warn(im->rep, "post '%.*s': no author left: the News Desk's byline",
                    (int)x->p.slug.len, x->p.slug.ptr);
}

static enum err_code draft_fields(struct importer *im, struct prepared *x, struct arena *a)
{
    const struct import_post *p = &x->p;
    struct content_draft *d = &x->d;
    d->title = p->title.len ? p->title : STR_LIT("(Untitled)");
    d->slug = p->slug;
    d->custom_excerpt = p->custom_excerpt;
    d->feature_image_alt = x->meta.feature_image_alt;
    if (x->meta.feature_image_caption.len &&
        html_to_plaintext(x->meta.feature_image_caption, a, &d->feature_image_caption, im->err))
        return ERR_INVALID;
    d->feature_image_caption = str_trim(d->feature_image_caption);
    struct str image = p->feature_image;
    if (!image.len && p->feature_image_attachment.len) {
        struct import_attachment at;
        struct err e = {0};
        if (!store_stage_attachment_get(im->st, p->feature_image_attachment, STR_NULL, a, &at, &e))
            image = at.url;
        /* WordPress keeps the alt text and caption on the attachment, not the post */
        if (image.len && !d->feature_image_alt.len)
            d->feature_image_alt = at.alt;
        if (image.len && !d->feature_image_caption.len)
            d->feature_image_caption = str_trim(at.caption);
    }
    struct url_ctx c = {.im = im, .alt = d->feature_image_alt};
    d->feature_image = image.len ? rewrite_url(&c, image, true, a) : STR_NULL;
    d->has_published_at = p->published_at != 0;
    d->published_at = p->published_at;
    d->status = p->status;
    d->featured = p->featured;
    d->page = p->page;
    return ERR_OK;
}

static void skip_post(struct importer *im, struct prepared *x, const char *why)
{
    import_warn(im->rep, "post '%.*s': %s: skipped", (int)x->p.slug.len, x->p.slug.ptr, why);
    x->skip = true;
}

/* What writing the post will be (the lookups; its body is converted after, see convert_all). */
static enum err_code prepare_post(struct importer *im, struct prepared *x, struct arena *a)
{
    struct err e = {0};
    enum err_code rc = store_stage_links_of(im->st, true, x->p.id, a, &x->tags, &x->ntags, im->err);
    if (!rc)
        rc = store_stage_links_of(im->st, false, x->p.id, a, &x->authors, &x->nauthors, im->err);
    if (!rc && store_stage_meta_of(im->st, x->p.id, a, &x->meta, &e) == ERR_NOTFOUND)
        memset(&x->meta, 0, sizeof(x->meta));
    if (rc)
        return rc;
    x->p.slug = slug_of(x->p.slug, x->p.title, a);
    x->digest = post_digest(im, x, x->tags, x->ntags, x->authors, x->nauthors, a);
    int64_t here = 0, published = 0;
    if (x->p.slug.len && store_post_find(im->st, x->p.slug, &here, &published, &e) == ERR_NOTFOUND)
        here = 0;
    rc = classify(im, "post", x->p.id, x->digest, here, &x->local, &x->ch, a);
    if (rc || x->ch == CH_UNCHANGED)
        return rc;
    if (!x->p.slug.len || content_slug_reserved(x->p.slug))
        skip_post(im, x, "its slug is empty or one of the site's own pages'");
    x->convert = !x->skip;
    return ERR_OK;
}

/* The draft of a converted post: feature image, caption, tags, bylines, checks. */
static void finish_post(struct importer *im, struct prepared *x, struct arena *a)
{
    if (!x->convert)
        return;
    if (!x->converted)
        convert(im, x, a, false); /* it had an image of the old site: taken in here */
    struct err e = {0};
    if (x->convert_rc || draft_fields(im, x, a)) {
        skip_post(im, x, arena_strdup(a, x->convert_rc ? x->convert_err.msg : im->err->msg));
        return;
    }
    if (x->drops.total) {
        im->rep->sanitised++;
        html_report_merge(&im->rep->dropped, &x->drops);
        struct str what = html_report_format(&x->drops, a);
        import_warn(im->rep, "post '%.*s': sanitised: %.*s dropped", (int)x->p.slug.len,
                    x->p.slug.ptr, (int)what.len, what.ptr);
    }
    draft_links(im, x, x->tags, x->ntags, x->authors, x->nauthors, a);
    if (content_draft_check(&x->d, &e))
        skip_post(im, x, arena_strdup(a, e.msg));
}

/*
 * Bodies are most of an import's work and html/ is thread-safe: a batch's are converted
 * on two threads (the main one and one more, each with its own arena), leaving to the
 * main thread only those with images of the old site, which it takes in (media_add and the
 * database are the main thread's).
 */
struct convert_job {
    struct importer *im;
    struct prepared *v;
    size_t n;
    _Atomic size_t next;
    struct arena arena; /* the helper thread's */
};

static void convert_some(struct convert_job *j, struct arena *a)
{
    for (size_t i; (i = atomic_fetch_add(&j->next, 1)) < j->n;)
        if (j->v[i].convert)
            convert(j->im, &j->v[i], a, true);
}

static void *convert_thread(void *arg)
{
    struct convert_job *j = arg;
    convert_some(j, &j->arena);
    return NULL;
}

static void convert_all(struct importer *im, struct prepared *v, size_t n, struct arena *a,
                        struct arena *helper)
{
    struct convert_job j = {.im = im, .v = v, .n = n};
    arena_init(&j.arena);
    pthread_t t;
    bool two = im->cpus > 1 && n > 1 && pthread_create(&t, NULL, convert_thread, &j) == 0;
    convert_some(&j, a);
    if (two)
        pthread_join(t, NULL);
    *helper = j.arena; /* the drafts borrow from it until the batch is written */
}

/*
 * What newsroom/ does not know of: meta fields, the source's dates, uuid and Ghost id. The
 * dates and ids go in one statement (the post's write already logged its change).
 */
static enum err_code post_extras(struct importer *im, const struct prepared *x)
{
    const struct import_post *p = &x->p;
    const struct content_meta *m = &x->meta.meta;
    bool empty = !m->meta_title.len && !m->meta_description.len && !m->og_image.len &&
                 !m->og_title.len && !m->og_description.len && !m->twitter_image.len &&
                 !m->twitter_title.len && !m->twitter_description.len && !m->canonical_url.len;
    enum err_code rc = ERR_OK;
    /* a new post has no meta row to clear */
    if (x->ch != CH_CREATED || !empty)
        rc = store_post_meta_set(im->st, x->local, m, im->err);
    int64_t created = p->created_at ? p->created_at : p->published_at;
    int64_t updated = p->updated_at ? p->updated_at : created;
    unsigned dropped = 0;
    if (!rc && (created || p->ghost_id.len || p->uuid.len))
        rc = store_import_post_fix(im->st, x->local, created, updated,
                                   x->ch == CH_CREATED ? p->uuid : STR_NULL, p->ghost_id, &dropped,
                                   im->err);
    if (!rc && (dropped & 2))
        import_warn(im->rep, "post '%.*s': another post has Ghost id %.*s", (int)p->slug.len,
                    p->slug.ptr, (int)p->ghost_id.len, p->ghost_id.ptr);
    return rc;
}

static enum err_code post_redirect(struct importer *im, const struct import_post *p,
                                   struct str slug, struct arena *a)
{
    if (!p->old_path.len)
        return ERR_OK;
    struct str to = arena_cat3(a, "/", slug, "/"), cur;
    if (str_eq(p->old_path, to))
        return ERR_OK;
    struct err e = {0};
    if (!store_redirect_get(im->st, p->old_path, a, &cur, &e) && str_eq(cur, to)) {
        im->rep->unchanged[IMPORT_REDIRECTS]++;
        return ERR_OK;
    }
    im->rep->created[IMPORT_REDIRECTS]++;
    return store_redirect_set(im->st, p->old_path, to, im->source, im->err);
}

static enum err_code write_post(struct importer *im, struct prepared *x, struct arena *a)
{
    enum import_kind kind = x->p.page ? IMPORT_PAGES : IMPORT_POSTS;
    if (x->skip) {
        im->rep->skipped[kind]++;
        return ERR_OK;
    }
    if (x->ch == CH_UNCHANGED) {
        count(im->rep, kind, CH_UNCHANGED);
        return ERR_OK;
    }
    const struct newsroom_opts no = {.may_create_tags = false, .site_url = im->site_url};
    struct str slug;
    struct err e = {0};
    enum err_code rc = x->local ? newsroom_post_update(im->st, x->local, &x->d, &no, a, &slug, &e)
                                : newsroom_post_add(im->st, &x->d, &no, a, &x->local, &slug, &e);
    if (rc == ERR_INVALID || rc == ERR_TOOBIG || rc == ERR_FORBIDDEN || rc == ERR_CONFLICT) {
        skip_post(im, x, arena_strdup(a, e.msg));
        im->rep->skipped[kind]++;
        return ERR_OK;
    }
    if (rc)
        return err_set(im->err, rc, "post '%.*s': %s", (int)x->p.slug.len, x->p.slug.ptr, e.msg);
    rc = post_extras(im, x);
    if (!rc)
        rc =
            store_import_map_set(im->st, im->source, "post", x->p.id, x->local, x->digest, im->err);
    if (!rc)
        rc = post_redirect(im, &x->p, slug, a);
    if (!rc && x->ch == CH_MERGED)
        import_warn(im->rep, "post '%.*s': a post with this slug was here already: merged",
                    (int)slug.len, slug.ptr);
    count(im->rep, kind, x->ch);
    return rc;
}

/* ---- batches ------------------------------------------------------------------------- */

/* A transaction per batch in a real run; a dry run has one around everything. */
static enum err_code batch_begin(struct importer *im)
{
    return im->o->dry_run ? ERR_OK : store_tx_begin(im->st, im->err);
}

static enum err_code batch_end(struct importer *im, enum err_code rc)
{
    return im->o->dry_run ? rc : store_tx_end(im->st, rc, im->err);
}

static enum err_code write_batch(struct importer *im, struct prepared *v, size_t n, struct arena *a)
{
    enum err_code rc = batch_begin(im);
    if (rc)
        return rc;
    for (size_t i = 0; !rc && i < n; i++)
        rc = write_post(im, &v[i], a);
    if (!rc)
        rc = store_import_run_done(im->st, im->run_id, im->done + (int64_t)n, false, im->err);
    if (!rc)
        rc = store_import_changed(im->st, im->err);
    rc = batch_end(im, rc);
    if (!rc)
        im->done += (int64_t)n;
    return rc;
}

/*
 * The test build only: NEWSDESK_IMPORT_STOP=N stops a real run once N posts are committed,
 * as a crash or a kill would, so tests can check that the next run resumes.
 */
static enum err_code interrupted_for_tests(struct importer *im)
{
#ifdef NEWSDESK_FAULTS
    const char *stop = getenv("NEWSDESK_IMPORT_STOP");
    if (stop && !im->o->dry_run && im->done >= atoll(stop))
        return err_set(im->err, ERR_IO, "interrupted after %lld posts (NEWSDESK_IMPORT_STOP)",
                       (long long)im->done);
#else
    (void)im;
#endif
    return ERR_OK;
}

static enum err_code apply_posts(struct importer *im)
{
    size_t batch = im->o->batch ? im->o->batch : IMPORT_BATCH_DEFAULT;
    int64_t after = 0, skip = im->rep->resumed_after;
    enum err_code rc = ERR_OK;
    im->started = now_seconds();
    while (!rc) {
        struct arena a;
        arena_init(&a);
        struct import_post *posts;
        size_t n = 0;
        rc = store_stage_posts(im->st, &after, batch, &a, &posts, &n, im->err);
        struct prepared *v = arena_calloc(&a, n + 1, sizeof(*v));
        size_t from = 0;
        for (; from < n && im->done < skip; from++)
            im->done++; /* committed by the interrupted run */
        for (size_t i = from; !rc && i < n; i++) {
            v[i].p = posts[i];
            rc = prepare_post(im, &v[i], &a);
        }
        struct arena helper;
        arena_init(&helper);
        if (!rc)
            convert_all(im, v + from, n - from, &a, &helper);
        for (size_t i = from; !rc && i < n; i++)
            finish_post(im, &v[i], &a);
        if (!rc && n > from)
            rc = write_batch(im, v + from, n - from, &a);
        if (!rc)
            rc = interrupted_for_tests(im);
        progress_line(im, "posts", (double)im->done, (double)im->total, im->done == im->total);
        arena_release(&helper);
        arena_release(&a);
        if (n < batch)
            break;
    }
    return rc;
}

/* Where a post's other old address (WordPress's /?p=ID) goes: its slug, once imported. */
static struct str post_target(struct importer *im, struct str id, struct arena *a)
{
    int64_t local = 0;
    struct str digest;
    struct content_post post;
    struct err e = {0};
    if (store_import_map_get(im->st, im->source, "post", id, a, &local, &digest, &e) ||
        store_post_by_id(im->st, local, a, &post, &e))
        return STR_NULL;
    return post.slug;
}

/* Where an old address goes: "tag/SLUG", "author/SLUG" or a post's "SLUG"; empty: nowhere. */
static struct str redirect_target(struct importer *im, int kind, struct str id, struct arena *a)
{
    if (kind == IMPORT_POSTS || kind == IMPORT_PAGES)
        return post_target(im, id, a);
    bool tag = kind == IMPORT_TAGS;
    const struct idmap *m =
        tag ? idmap_find(im->tags, im->ntags, id) : idmap_find(im->users, im->nusers, id);
    if (!m || (kind != IMPORT_TAGS && kind != IMPORT_USERS))
        return STR_NULL;
    return arena_cat3(a, tag ? "tag/" : "author/", m->slug, "");
}

/* Old addresses of tags, people and posts (WordPress's /category/x/, /?p=ID) → ours. */
static enum err_code apply_redirects(struct importer *im, struct arena *a)
{
    struct str *from, *ids;
    int *kinds;
    size_t n = 0;
    enum err_code rc = store_stage_redirects(im->st, a, &from, &kinds, &ids, &n, im->err);
    for (size_t i = 0; !rc && i < n; i++) {
        /* each target's lookup reads a whole post: its memory goes with it, not with the run */
        struct arena one;
        arena_init(&one);
        struct str slug = redirect_target(im, kinds[i], ids[i], &one);
        struct import_post p = {.old_path = from[i]};
        if (slug.len)
            rc = post_redirect(im, &p, slug, &one);
        else
            im->rep->skipped[IMPORT_REDIRECTS]++;
        arena_release(&one);
    }
    return rc;
}

/* ---- the run --------------------------------------------------------------------------- */

/* size, mtime and the first 64 KB: a file of the same run, cheaply, whatever its size */
static enum err_code file_digest(struct importer *im, const char *path)
{
    struct stat sb;
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &sb) != 0) {
        int e = errno;
        if (f)
            fclose(f);
        return err_set(im->err, e == ENOENT ? ERR_NOTFOUND : ERR_IO, "cannot open %s: %s", path,
                       strerror(e));
    }
    unsigned char head[65536];
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    struct buf h;
    buf_init(&h, DIGEST_INPUT_MAX);
    hash_i64(&h, (int64_t)sb.st_size);
    hash_i64(&h, (int64_t)sb.st_mtime);
    buf_append(&h, head, n);
    im->file_digest = digest_hex(&h, &im->arena);
    return ERR_OK;
}

static enum err_code read_file(struct importer *im, const char *path)
{
    const struct import_sink sink = {
        .ctx = im,
        .site = sink_site,
        .user = sink_user,
        .tag = sink_tag,
        .post = sink_post,
        .post_tag = sink_post_tag,
        .post_author = sink_post_author,
        .post_meta = sink_post_meta,
        .attachment = sink_attachment,
        .redirect = sink_redirect,
        .warn = sink_warn,
        .progress = sink_progress,
        .user_role = sink_user_role,
    };
    im->started = now_seconds();
    enum err_code rc = im->format == IMPORT_GHOST ? import_read_ghost(path, &sink, im->err)
                                                  : import_read_wordpress(path, &sink, im->err);
    if (!rc)
        rc = store_stage_commit(im->st, im->err);
    if (!rc)
        rc = store_stage_posts_count(im->st, &im->total, im->err);
    return rc;
}

/* The run's record: a new one, or the interrupted one of this file, resumed. */
static enum err_code run_record(struct importer *im)
{
    int64_t done = 0;
    bool finished = false;
    enum err_code rc = store_import_run_last(im->st, im->source, im->file_digest, &im->run_id,
                                             &done, &finished, im->err);
    if (!rc && im->run_id && !finished && done > 0 && done <= im->total)
        im->rep->resumed_after = done;
    else if (!rc)
        rc = store_import_run_start(im->st, im->source, im->file_digest, 0, &im->run_id, im->err);
    return rc;
}

static enum err_code apply_start(struct importer *im)
{
    struct arena a;
    arena_init(&a);
    enum err_code rc = batch_begin(im);
    if (!rc) {
        rc = apply_site(im, &a);
        if (!rc)
            rc = apply_people_and_tags(im, &a);
        if (!rc)
            rc = run_record(im);
        rc = batch_end(im, rc);
    }
    arena_release(&a);
    return rc;
}

static enum err_code apply_finish(struct importer *im)
{
    struct arena a;
    arena_init(&a);
    enum err_code rc = batch_begin(im);
    if (!rc) {
        rc = apply_redirects(im, &a);
        if (!rc)
            rc = store_import_run_done(im->st, im->run_id, im->done, true, im->err);
        rc = batch_end(im, rc);
    }
    arena_release(&a);
    return rc;
}

static enum err_code apply(struct importer *im)
{
    if (im->o->dry_run) {
        enum err_code rc = store_tx_begin(im->st, im->err);
        if (rc)
            return rc;
        rc = apply_start(im);
        if (!rc)
            rc = apply_posts(im);
        if (!rc)
            rc = apply_finish(im);
        /* nothing of a dry run is kept */
        store_tx_end(im->st, ERR_GONE, &(struct err){0});
        return rc;
    }
    enum err_code rc = apply_start(im);
    if (!rc)
        rc = apply_posts(im);
    return rc ? rc : apply_finish(im);
}

static void site_url_of(struct importer *im)
{
    im->site_url = im->o->site_url;
    struct str url;
    struct err e = {0};
    if (!im->site_url.len && !store_setting_get(im->st, "url", &im->arena, &url, &e))
        im->site_url = url;
}

enum err_code import_run(struct store *st, enum import_format format, const char *path,
                         const struct import_opts *o, struct import_report *rep, struct err *err)
{
    struct importer im = {
        .st = st,
        .o = o,
        .rep = rep,
        .format = format,
        .source = format == IMPORT_GHOST ? "ghost" : "wordpress",
        .err = err,
        .cpus = sysconf(_SC_NPROCESSORS_ONLN),
    };
    arena_init(&im.arena);
    double t0 = now_seconds();
    site_url_of(&im);
    enum err_code rc = file_digest(&im, path);
    if (!rc)
        rc = store_stage_begin(st, err);
    if (!rc) {
        rc = read_file(&im, path);
        if (!rc && o->images_dir == NULL)
            import_warn(rep, "no images folder given: images keep their old addresses");
        if (!rc)
            rc = apply(&im);
        store_stage_drop(st);
    }
    media_free(im.media);
    arena_release(&im.arena);
    rep->seconds = now_seconds() - t0;
    return rc;
}
