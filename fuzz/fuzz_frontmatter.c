/*
 * libFuzzer target for post files (front matter + Markdown), with checks beyond the
 * sanitizers: a refused file leaves the output untouched and an ERR_INVALID message
 * that starts with "line N: "; a parsed one has a title, valid slugs and lists within
 * their limits, and its Markdown is the end of the file. The slug and excerpt helpers
 * run over the title and body too.
 *
 * Build with clang -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined over the
 * .c files of src/base and src/content and this file, linking -lcmark-gfm
 * -lcmark-gfm-extensions; run with the seeds in fuzz/corpus/frontmatter.
 */
#include "content/content.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_frontmatter: %s\n", what);
        abort();
    }
}

static void check_draft(const struct content_draft *d, struct str file, struct arena *a)
{
    check(d->title.len > 0 && d->title.len <= 300, "title length");
    check(utf8_valid(d->title.ptr, d->title.len), "title is not UTF-8");
    check(!d->slug.len || content_slug_valid(d->slug), "invalid slug accepted");
    check(d->ntags <= 64 && d->nauthors <= 64, "too many tags or authors");
    for (size_t i = 0; i < d->nauthors; i++)
        check(content_slug_valid(d->authors[i]), "invalid author slug accepted");
    for (size_t i = 0; i < d->ntags; i++)
        check(d->tags[i].len > 0 && utf8_valid(d->tags[i].ptr, d->tags[i].len), "bad tag");
    check(d->status != CONTENT_SCHEDULED || d->has_published_at, "scheduled without a date");
    check(d->markdown.ptr + d->markdown.len == file.ptr + file.len, "body is not the file's end");
    struct str slug = content_slugify(d->title, a);
    check(!slug.len || content_slug_valid(slug), "slugify made an invalid slug");
    struct str ex = content_excerpt(d->custom_excerpt, d->markdown, 60, a);
    check(utf8_valid(ex.ptr, ex.len), "excerpt is not UTF-8");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct err err = {ERR_OK, ""};
    struct str file = {(const char *)data, size};
    struct content_draft d, before;
    memset(&d, 0x5A, sizeof(d));
    before = d;
    enum err_code rc = content_draft_parse(file, &a, &d, &err);
    if (rc) {
        check(rc == ERR_INVALID || rc == ERR_TOOBIG, "unexpected error code");
        check(err.code == rc && err.msg[0], "error without a message");
        check(rc != ERR_INVALID || strncmp(err.msg, "line ", 5) == 0, "message without a line");
        check(memcmp(&d, &before, sizeof(d)) == 0, "output written on failure");
    } else {
        check_draft(&d, file, &a);
    }
    arena_release(&a);
    return 0;
}
