/*
 * Themes: a folder of templates, "<dir>/<name>.html", with partials in
 * "<dir>/partials/<name>.html". Every file is read through a capped buffer, so an
 * oversized file fails with ERR_TOOBIG instead of being slurped whole.
 *
 * Partial names come from the theme's own files. They become path components, so they
 * are held to [A-Za-z0-9_-]: no '/', no "..", nothing a shell or a filesystem reads
 * specially. Each partial file is read once per load and kept until the load ends,
 * which also satisfies render_partial_fn's rule that sources outlive the compile.
 */
#include "render/render.h"
#include "render/render_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct render_theme {
    struct render_tpl **tpls;
    size_t n;
};

struct partial_file {
    char *name;
    char *path;
    char *src;
    size_t len;
};

/* Owns every partial_file and what it points to. */
struct theme_loader {
    const char *dir;
    struct partial_file *files;
    size_t nfiles;
};

static bool is_file_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char ch = *s;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        if (!ok)
            return false;
    }
    return true;
}

/* "<dir>/<sub><name>.html"; caller frees. */
static char *theme_path(const char *dir, const char *sub, const char *name)
{
    int n = snprintf(NULL, 0, "%s/%s%s.html", dir, sub, name);
    char *p = xmalloc((size_t)(n > 0 ? n : 0) + 1);
    snprintf(p, (size_t)(n > 0 ? n : 0) + 1, "%s/%s%s.html", dir, sub, name);
    return p;
}

/* Reads path into b (initialized here, capped at RENDER_TEMPLATE_MAX). */
static enum err_code read_file(const char *path, struct buf *b, struct err *err)
{
    buf_init(b, RENDER_TEMPLATE_MAX);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        return err_set(err, e == ENOENT ? ERR_NOTFOUND : ERR_IO, "cannot open '%s': %s", path,
                       strerror(e));
    }
    char chunk[8192];
    size_t n;
    enum err_code rc = ERR_OK;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (buf_append(b, chunk, n))
            rc =
                err_set(err, ERR_TOOBIG, "'%s' is larger than %d bytes", path, RENDER_TEMPLATE_MAX);
    }
    if (!rc && ferror(f))
        rc = err_set(err, ERR_IO, "cannot read '%s'", path);
    fclose(f);
    if (rc)
        buf_release(b);
    return rc;
}

static const struct partial_file *loader_find(const struct theme_loader *ld, const char *name)
{
    for (size_t i = 0; i < ld->nfiles; i++) {
        if (strcmp(ld->files[i].name, name) == 0)
            return &ld->files[i];
    }
    return NULL;
}

static enum err_code loader_read(struct theme_loader *ld, const char *name,
                                 const struct partial_file **out, struct err *err)
{
    char *path = theme_path(ld->dir, "partials/", name);
    struct buf b;
    enum err_code rc = read_file(path, &b, err);
    if (rc == ERR_NOTFOUND)
        err_set(err, rc, "unknown partial '%s' (no file '%s')", name, path);
    if (rc) {
        free(path);
        return rc;
    }
    ld->files = xrealloc(ld->files, (ld->nfiles + 1) * sizeof(*ld->files));
    struct partial_file *pf = &ld->files[ld->nfiles++];
    pf->name = xstrdup(name);
    pf->path = path;
    pf->src = buf_detach(&b, &pf->len);
    *out = pf;
    return ERR_OK;
}

/* The render_partial_fn of a theme load; ctx is the struct theme_loader. */
static enum err_code loader_partial(void *ctx, const char *name, struct str *src,
                                    const char **filename, struct err *err)
{
    struct theme_loader *ld = ctx;
    if (!is_file_name(name))
        return err_set(err, ERR_INVALID, "bad partial name '%s'", name);
    const struct partial_file *pf = loader_find(ld, name);
    if (!pf) {
        enum err_code rc = loader_read(ld, name, &pf, err);
        if (rc)
            return rc;
    }
    *src = (struct str){pf->src, pf->len};
    *filename = pf->path;
    return ERR_OK;
}

static void loader_release(struct theme_loader *ld)
{
    for (size_t i = 0; i < ld->nfiles; i++) {
        free(ld->files[i].name);
        free(ld->files[i].path);
        free(ld->files[i].src);
    }
    free(ld->files);
}

static enum err_code load_one(struct theme_loader *ld, const char *name,
                              const struct render_type *root, struct render_tpl **out,
                              struct err *err)
{
    if (!is_file_name(name))
        return err_set(err, ERR_INVALID, "bad template name '%s'", name);
    char *path = theme_path(ld->dir, "", name);
    struct buf b;
    enum err_code rc = read_file(path, &b, err);
    if (!rc)
        rc = render_tpl_compile(buf_str(&b), path, root, loader_partial, ld, out, err);
    buf_release(&b);
    free(path);
    return rc;
}

enum err_code render_theme_load(const char *dir, const struct render_type *root,
                                const char *const *names, size_t n, struct render_theme **out,
                                struct err *err)
{
    *out = NULL;
    struct render_theme *th = xcalloc(1, sizeof(*th));
    th->tpls = xcalloc(n, sizeof(*th->tpls));
    th->n = n;
    struct theme_loader ld = {.dir = dir};
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < n && !rc; i++)
        rc = load_one(&ld, names[i], root, &th->tpls[i], err);
    loader_release(&ld);
    if (rc) {
        render_theme_free(th);
        return rc;
    }
    *out = th;
    return ERR_OK;
}

void render_theme_free(struct render_theme *th)
{
    if (!th)
        return;
    for (size_t i = 0; i < th->n; i++)
        render_tpl_free(th->tpls[i]);
    free(th->tpls);
    free(th);
}

const struct render_tpl *render_theme_tpl(const struct render_theme *th, size_t i)
{
    return th && i < th->n ? th->tpls[i] : NULL;
}
