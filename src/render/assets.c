/*
 * A theme's static files (CSS, JavaScript, images: "<theme>/assets/"), read into memory
 * at start-up and served from there by the site (/assets/) and the newsroom
 * (/admin/assets/): a theme is a few hundred KB at most, and serving never touches the
 * disk.
 */
#include "render/render.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ASSET_MAX (4 * 1024 * 1024)
#define ASSETS_MAX 256

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    struct str s = str_from(name);
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        if (str_ends_with(s, types[i].ext))
            return types[i].type;
    return NULL;
}

static enum err_code read_file(const char *path, char **data, size_t *len, struct err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, ERR_IO, "cannot read '%s'", path);
    struct buf b;
    buf_init(&b, ASSET_MAX);
    char chunk[8192];
    size_t n;
    enum err_code rc = ERR_OK;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = buf_append(&b, chunk, n);
    bool bad = ferror(f);
    fclose(f);
    if (rc || bad) {
        buf_release(&b);
        return rc ? err_set(err, rc, "'%s' is larger than %d bytes", path, ASSET_MAX)
                  : err_set(err, ERR_IO, "cannot read '%s'", path);
    }
    *data = buf_detach(&b, len);
    return ERR_OK;
}

/* FNV-1a of the bytes: a new version of a file gets a new URL. */
static void fingerprint(struct render_asset *f)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < f->len; i++) {
        h ^= (unsigned char)f->data[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx", (unsigned long long)h);
}

/* Loads dir/sub recursively (sub is "" or "x/"), one level of nesting at most. */
static enum err_code load_dir(struct render_assets *set, const char *root, const char *sub,
                              int depth, struct err *err)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", root, sub);
    DIR *d = opendir(path);
    if (!d)
        return depth == 0 ? ERR_OK : err_set(err, ERR_IO, "cannot open '%s'", path);
    struct dirent *e;
    enum err_code rc = ERR_OK;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char rel[512], full[1536];
        snprintf(rel, sizeof(rel), "%s%s", sub, e->d_name);
        snprintf(full, sizeof(full), "%s/%s", root, rel);
        struct stat sb;
        if (stat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode) && depth < 2) {
            char nsub[600];
            snprintf(nsub, sizeof(nsub), "%s/", rel);
            rc = load_dir(set, root, nsub, depth + 1, err);
            continue;
        }
        const char *type = type_of(e->d_name);
        if (!S_ISREG(sb.st_mode) || !type)
            continue;
        if (set->n == ASSETS_MAX) {
            rc = err_set(err, ERR_TOOBIG, "more than %d theme assets", ASSETS_MAX);
            break;
        }
        struct render_asset *f = &set->v[set->n];
        rc = read_file(full, &f->data, &f->len, err);
        if (!rc) {
            f->path = xstrdup(rel);
            f->content_type = type;
            fingerprint(f);
            set->n++;
        }
    }
    closedir(d);
    return rc;
}

/* One fingerprint for the whole set: it changes whenever any file does. */
static void set_fingerprint(struct render_assets *set)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < set->n; i++)
        for (const char *p = set->v[i].fingerprint; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 0x100000001b3ULL;
        }
    snprintf(set->fingerprint, sizeof(set->fingerprint), "%016llx", (unsigned long long)h);
}

enum err_code render_assets_load(const char *theme_dir, struct render_assets *set, struct err *err)
{
    char root[1024];
    snprintf(root, sizeof(root), "%s/assets", theme_dir);
    *set = (struct render_assets){.v = xcalloc(ASSETS_MAX, sizeof(*set->v))};
    enum err_code rc = load_dir(set, root, "", 0, err);
    set_fingerprint(set);
    return rc;
}

void render_assets_free(struct render_assets *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->v[i].path);
        free(set->v[i].data);
    }
    free(set->v);
    *set = (struct render_assets){0};
}

const struct render_asset *render_assets_find(const struct render_assets *set, struct str path)
{
    for (size_t i = 0; i < set->n; i++)
        if (str_eq_cstr(path, set->v[i].path))
            return &set->v[i];
    return NULL;
}

bool render_assets_append(struct render_assets *set, struct str path, struct str text)
{
    struct render_asset *f = (struct render_asset *)render_assets_find(set, path);
    if (!f)
        return false;
    f->data = xrealloc(f->data, f->len + text.len);
    memcpy(f->data + f->len, text.ptr, text.len);
    f->len += text.len;
    fingerprint(f);
    set_fingerprint(set);
    return true;
}

/*
 * A link carrying the file's fingerprint (or the set's) names these bytes forever
 * (RFC 8246); any other request for it may see a newer theme within minutes.
 */
const char *render_asset_cache_control(const struct render_assets *set,
                                       const struct render_asset *f, struct str v)
{
    bool pinned = str_eq_cstr(v, f->fingerprint) || str_eq_cstr(v, set->fingerprint);
    return pinned ? "public, max-age=31536000, immutable" : "public, max-age=300";
}
