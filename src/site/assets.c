/*
 * The theme's static files (CSS, JavaScript, images), read into memory at start-up and
 * served from there: a theme is a few tens of KB, and serving never touches the disk.
 */
#include "site/site_int.h"

#include "app.h"
#include "http/http.h"

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
static void fingerprint(struct site_asset_file *f)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < f->len; i++) {
        h ^= (unsigned char)f->data[i];
        h *= 0x100000001b3ULL;
    }
    snprintf(f->fingerprint, sizeof(f->fingerprint), "%016llx", (unsigned long long)h);
}

/* Loads dir/sub recursively (sub is "" or "x/"), one level of nesting at most. */
static enum err_code load_dir(struct site *site, const char *root, const char *sub, int depth,
                              struct err *err)
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
            rc = load_dir(site, root, nsub, depth + 1, err);
            continue;
        }
        const char *type = type_of(e->d_name);
        if (!S_ISREG(sb.st_mode) || !type)
            continue;
        if (site->nassets == ASSETS_MAX) {
            rc = err_set(err, ERR_TOOBIG, "more than %d theme assets", ASSETS_MAX);
            break;
        }
        struct site_asset_file *f = &site->assets[site->nassets];
        rc = read_file(full, &f->data, &f->len, err);
        if (!rc) {
            f->path = xstrdup(rel);
            f->content_type = type;
            fingerprint(f);
            site->nassets++;
        }
    }
    closedir(d);
    return rc;
}

enum err_code site_assets_load(struct site *site, const char *theme_dir, struct err *err)
{
    char root[1024];
    snprintf(root, sizeof(root), "%s/assets", theme_dir);
    site->assets = xcalloc(ASSETS_MAX, sizeof(*site->assets));
    return load_dir(site, root, "", 0, err);
}

void site_assets_free(struct site *site)
{
    for (size_t i = 0; i < site->nassets; i++) {
        free(site->assets[i].path);
        free(site->assets[i].data);
    }
    free(site->assets);
    site->assets = NULL;
    site->nassets = 0;
}

static const struct site_asset_file *find_asset(const struct site *site, struct str path)
{
    for (size_t i = 0; i < site->nassets; i++)
        if (str_eq_cstr(path, site->assets[i].path))
            return &site->assets[i];
    return NULL;
}

struct str site_asset_url(const struct site *site, const char *path, struct arena *a)
{
    const struct site_asset_file *f = find_asset(site, str_from(path));
    return str_from(f ? arena_printf(a, "/assets/%s?v=%s", path, f->fingerprint)
                      : arena_printf(a, "/assets/%s", path));
}

enum err_code site_asset(struct app *app, const struct request *req, struct response *res,
                         struct err *err)
{
    (void)err;
    const struct site_asset_file *f = find_asset(app->site, http_request_param(req, "path"));
    if (!f)
        return ERR_NOTFOUND;
    struct str v;
    bool pinned = http_request_query(req, "v", &v) == ERR_OK && str_eq_cstr(v, f->fingerprint);
    /*
     * A link carrying this file's fingerprint names these bytes forever (RFC 8246); any
     * other request for it may see a newer theme within minutes.
     */
    res->cache_control = pinned ? "public, max-age=31536000, immutable" : "public, max-age=300";
    res->content_type = f->content_type;
    return buf_append(&res->body, f->data, f->len);
}
