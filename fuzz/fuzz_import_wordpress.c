/*
 * libFuzzer target: the WordPress reader (import/wordpress.c) over bytes written to a
 * temporary file, plain or gzip-compressed as the bytes say, with a 1 MiB cap on what is
 * read. Whatever it refuses must say why; whatever it hands on must hold the reader's
 * promises: ids present, slugs valid or empty, redirect paths absolute.
 */
#include "content/content.h"
#include "import/import_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t records;

static enum err_code f_site(void *ctx, const struct import_site *s, struct err *err)
{
    (void)ctx;
    (void)err;
    (void)s;
    records++;
    return ERR_OK;
}

static enum err_code f_user(void *ctx, const struct import_user *u, struct err *err)
{
    (void)ctx;
    (void)err;
    if (!u->id.len)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code f_tag(void *ctx, const struct import_tag *t, struct err *err)
{
    (void)ctx;
    (void)err;
    if (!t->id.len || (t->slug.len && !content_slug_valid(t->slug)))
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code f_post(void *ctx, const struct import_post *p, struct err *err)
{
    (void)ctx;
    (void)err;
    if (!p->id.len || (p->slug.len && !content_slug_valid(p->slug)) ||
        (p->old_path.len && p->old_path.ptr[0] != '/') ||
        (p->status == CONTENT_DRAFT && p->published_at))
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code f_rel(void *ctx, struct str a, struct str b, int64_t order, struct err *err)
{
    (void)ctx;
    (void)err;
    if (!a.len || !b.len || order < 0)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code f_meta(void *ctx, const struct import_post_meta *m, struct err *err)
{
    (void)ctx;
    (void)err;
    (void)m;
    records++;
    return ERR_OK;
}

static enum err_code f_att(void *ctx, const struct import_attachment *at, struct err *err)
{
    (void)ctx;
    (void)err;
    if (!at->id.len)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code f_redirect(void *ctx, struct str from, enum import_kind kind, struct str id,
                                struct err *err)
{
    (void)ctx;
    (void)err;
    if (!from.len || from.ptr[0] != '/' || !id.len || kind >= IMPORT__KINDS)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static void f_warn(void *ctx, const char *msg)
{
    (void)ctx;
    if (!msg[0])
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/fuzz-wxr-%ld.xml", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);
    const struct import_sink sink = {.site = f_site,
                                     .user = f_user,
                                     .tag = f_tag,
                                     .post = f_post,
                                     .post_tag = f_rel,
                                     .post_author = f_rel,
                                     .post_meta = f_meta,
                                     .attachment = f_att,
                                     .redirect = f_redirect,
                                     .warn = f_warn};
    struct err err = {0};
    records = 0;
    if (import_read_wordpress_max(path, 1u << 20, &sink, &err) != ERR_OK && !err.msg[0])
        __builtin_trap(); /* a refusal always says why */
    unlink(path);
    return 0;
}
