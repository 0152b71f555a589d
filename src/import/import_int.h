/*
 * Shared by import/'s own files: the sink a reader hands its records (import.h) to. A
 * reader knows its format and nothing of the site; the importer (import.c) knows the site
 * and nothing of formats. Unit tests give a reader a sink of their own that collects the
 * records.
 */
#ifndef IMPORT_INT_H
#define IMPORT_INT_H

#include "content/content.h"
#include "import/import.h"

/*
 * What a reader calls, each returning ERR_OK to go on or an error (with err set) that
 * stops the reading. Relations name their ends by source id; order is the position the
 * source gives (Ghost's sort_order, 0 is primary), and a sink sorts by it.
 */
struct import_sink {
    void *ctx;
    enum err_code (*site)(void *ctx, const struct import_site *s, struct err *err);
    enum err_code (*user)(void *ctx, const struct import_user *u, struct err *err);
    enum err_code (*tag)(void *ctx, const struct import_tag *t, struct err *err);
    enum err_code (*post)(void *ctx, const struct import_post *p, struct err *err);
    enum err_code (*post_tag)(void *ctx, struct str post_id, struct str tag_id, int64_t order,
                              struct err *err);
    enum err_code (*post_author)(void *ctx, struct str post_id, struct str user_id, int64_t order,
                                 struct err *err);
    enum err_code (*post_meta)(void *ctx, const struct import_post_meta *m, struct err *err);
    enum err_code (*attachment)(void *ctx, const struct import_attachment *at, struct err *err);
    /* an old address of a tag or author page ("/category/world/europe/" → tag id) */
    enum err_code (*redirect)(void *ctx, struct str from_path, enum import_kind kind, struct str id,
                              struct err *err);
    /* something the reader skipped or changed ("post 68 is password-protected: a draft") */
    void (*warn)(void *ctx, const char *msg);
    /* progress of the read: bytes of the file read so far, of total (0: unknown) */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    /* a person's role named after the person's record (Ghost's roles_users, read in any
     * order): replaces the role the user record gave; NULL in a sink that needs none */
    enum err_code (*user_role)(void *ctx, struct str user_id, struct str role, struct err *err);
};

#define IMPORT_FILE_MAX (INT64_C(8) << 30) /* bytes of export file (8 GiB) */

/**
 * Reads a Ghost export (JSON, streamed with yajl) into sink: ERR_INVALID for JSON that is
 * malformed or cut short (with the byte offset) or is not a Ghost export, ERR_UNSUPPORTED
 * for a Ghost version other than 4.x to 6.x. Every row is checked before it is handed on
 * (ids, dates, statuses); memory is bounded by the largest row.
 */
enum err_code import_read_ghost(const char *path, const struct import_sink *sink, struct err *err);
/**
 * Reads a WordPress WXR export (1.0 to 1.2; gzip-compressed when it starts with gzip's
 * magic) into sink with libxml2's streaming reader: no DTD is loaded and a document with a
 * DOCTYPE is refused (entity bombs and external entities never get a chance), nothing is
 * fetched. Item bodies are prepared with html_wp_prepare; posts are handed on with
 * body_kind HTML. ERR_INVALID with the line for XML that is malformed or cut short, or is
 * not a WXR export.
 */
enum err_code import_read_wordpress(const char *path, const struct import_sink *sink,
                                    struct err *err);
/**
 * import_read_wordpress with another cap than IMPORT_FILE_MAX on the bytes read (once
 * decompressed): ERR_TOOBIG past it. Tests and the fuzz target use a small one.
 */
enum err_code import_read_wordpress_max(const char *path, uint64_t max_bytes,
                                        const struct import_sink *sink, struct err *err);

#endif
