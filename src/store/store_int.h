/* Shared by store/'s own files only. */
#ifndef STORE_INT_H
#define STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

/* "NEWS": marks the file as ours (PRAGMA application_id) */
#define STORE_APPLICATION_ID 0x4E455753

/* The columns of a teaser (store_read_teaser) and the joins that give its primary tag
 * and author: for every list of posts. */
#define STORE_TEASER_COLS                                                                  \
    "p.id, p.uuid, p.slug, p.title, p.custom_excerpt, p.lead,"                              \
    " p.feature_image, p.status, p.featured, p.created_at, p.updated_at, p.published_at,"  \
    " t.id, t.slug, t.name, u.id, u.slug, u.name, u.avatar"
#define STORE_PRIMARY_JOINS                                                                \
    " LEFT JOIN post_tags ppt ON ppt.post_id = p.id AND ppt.sort_order = 0"                \
    " LEFT JOIN tags t ON t.id = ppt.tag_id"                                               \
    " LEFT JOIN post_authors ppa ON ppa.post_id = p.id AND ppa.sort_order = 0"             \
    " LEFT JOIN users u ON u.id = ppa.user_id"

/* Statements prepared once per connection, on first use. */
enum store_stmt {
    STMT_SETTING_GET,
    STMT_SETTING_SET,
    STMT_SETTINGS_ALL,
    STMT_LIST_ALL,
    STMT_LIST_TAG,
    STMT_LIST_AUTHOR,
    STMT_AFTER_ALL,
    STMT_AFTER_TAG,
    STMT_AFTER_AUTHOR,
    STMT_COUNT_ALL,
    STMT_COUNT_TAG,
    STMT_COUNT_AUTHOR,
    STMT_POST_BY_SLUG,
    STMT_POST_TAGS,
    STMT_POST_AUTHORS,
    STMT_TAG_BY_SLUG,
    STMT_AUTHOR_BY_SLUG,
    STMT_POST_INSERT,
    STMT_POST_BODY_INSERT,
    STMT_POST_FIND,
    STMT_POST_UPDATE,
    STMT_POST_BODY_UPDATE,
    STMT_POST_OLD_TAGS,
    STMT_POST_OLD_AUTHORS,
    STMT_POST_UNLINK_TAGS,
    STMT_POST_UNLINK_AUTHORS,
    STMT_POST_TAG_INSERT,
    STMT_POST_AUTHOR_INSERT,
    STMT_TAG_FIND,
    STMT_TAG_INSERT,
    STMT_AUTHOR_INSERT,
    STMT_SLUG_POST,
    STMT_SLUG_TAG,
    STMT_SLUG_AUTHOR,
    STMT_CHANGE_INSERT,
    STMT_CHANGE_TRIM,
    STMT_CHANGES_HEAD,
    STMT_CHANGES_SINCE,
    STMT_CHANGES_OLDEST,
    STMT_POST_HTML,
    STMT_SITEMAP_POSTS,
    STMT_SITEMAP_TAGS,
    STMT_SITEMAP_AUTHORS,
    STMT_SITEMAP_NEWS,
    STMT_SITEMAP_PAGES,
    STMT_SITEMAP_SLICES,
    STMT_KEYS_ALL,
    STMT_KEYS_TAG,
    STMT_KEYS_AUTHOR,
    STMT__COUNT
};

struct store {
    sqlite3 *db;
    char *path;
    enum store_mode mode;
    bool in_tx;
    bool tx_changed;            /* a change row was written in the open transaction */
    _Atomic uint64_t *stamp;    /* mapped from "<db>-stamp" */
    sqlite3_stmt *stmts[STMT__COUNT];
};

/* How many change rows the log keeps: a reader further behind invalidates everything. */
#define STORE_CHANGES_KEPT 10000

/* posts.c: a post's tags and authors, in order (primary first), read into p. */
enum err_code store_post_related(struct store *st, struct content_post *p, struct arena *a,
                                 struct err *err);

/* Appends a change row (deps space-separated) inside the open transaction. */
enum err_code store_change_log(struct store *st, const char *deps, struct err *err);
/* stamp.c */
enum err_code store_stamp_map(struct store *st, struct err *err);
void store_stamp_unmap(struct store *st);

size_t store_migration_count(void);
const char *store_migration_sql(size_t version);

/* A prepared, reset statement, or NULL with err set. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id, struct err *err);
/* Turns an SQLite result into our error (with the database's message). */
enum err_code store_sqlite_err(struct store *st, int rc, const char *what, struct err *err);
/* Text column i copied into a (NULL becomes ""). */
struct str store_col_str(sqlite3_stmt *s, int i, struct arena *a);
/* One row of STORE_TEASER_COLS into a teaser. */
void store_read_teaser(sqlite3_stmt *s, struct arena *a, struct content_post *p);
/* Columns 0..7 (id, slug, name, contact e-mail, bio, avatar, website, is a desk). */
void store_read_author(sqlite3_stmt *s, struct arena *a, struct content_author *u);
/* Runs a statement that returns no rows to its end and resets it. */
enum err_code store_step_done(struct store *st, sqlite3_stmt *s, const char *what,
                              struct err *err);
/* Binds a slice as text. */
int store_bind_str(sqlite3_stmt *s, int i, struct str v);

#endif
