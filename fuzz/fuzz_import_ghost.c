/*
 * libFuzzer target: the Ghost export reader (import/ghost.c) on any bytes, through a sink
 * that counts what it is handed and checks each record holds what the reader promises
 * (the ids it requires, valid statuses). The bytes are given as a file in memory
 * (memfd), since the reader streams from a path.
 */
#include "import/import_int.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t records;

static enum err_code on_site(void *ctx, const struct import_site *s, struct err *err)
{
    (void)ctx, (void)err;
    records += s->version.len > 0;
    return ERR_OK;
}

static enum err_code on_user(void *ctx, const struct import_user *u, struct err *err)
{
    (void)ctx, (void)err;
    if (!u->id.len || !u->slug.len)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code on_tag(void *ctx, const struct import_tag *t, struct err *err)
{
    (void)ctx, (void)err;
    if (!t->id.len || !t->slug.len)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code on_post(void *ctx, const struct import_post *p, struct err *err)
{
    (void)ctx, (void)err;
    if (!p->id.len || !p->slug.len || p->status > CONTENT_PUBLISHED + 2)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code on_link(void *ctx, struct str post, struct str other, int64_t order,
                             struct err *err)
{
    (void)ctx, (void)err;
    if (!post.len || !other.len || order < 0)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code on_meta(void *ctx, const struct import_post_meta *m, struct err *err)
{
    (void)ctx, (void)err;
    if (!m->post_id.len)
        __builtin_trap();
    records++;
    return ERR_OK;
}

static enum err_code on_role(void *ctx, struct str user, struct str role, struct err *err)
{
    (void)ctx, (void)err, (void)user, (void)role;
    records++;
    return ERR_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("ghost-export", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    const struct import_sink sink = {
        .site = on_site,
        .user = on_user,
        .tag = on_tag,
        .post = on_post,
        .post_tag = on_link,
        .post_author = on_link,
        .post_meta = on_meta,
        .user_role = on_role,
    };
    struct err err = {0};
    enum err_code rc = import_read_ghost(path, &sink, &err);
    if (rc && !err.msg[0])
        __builtin_trap(); /* every refusal says why */
    close(fd);
    return 0;
}
