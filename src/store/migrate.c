/*
 * Migrate: a whole site copied from one database into another, either backend to either
 * (newsdesk migrate --from site.db --to postgresql://...), and verified before it counts.
 *
 * Table by table, in the order of their foreign keys, rows are read from the source in
 * batches by primary key (keyset: each batch starts after the last key of the one before,
 * so memory holds one batch whatever the table's size, and the photo table reads a few
 * rows at a time) and written to the destination with multi-row INSERTs. Each row is
 * hashed as it goes: its (column name, value) pairs in the order of the names, so that
 * the two schemas' column orders do not matter, with an integer hashed as its decimal
 * text, so that PostgreSQL's boolean (read as 1) equals SQLite's 1. A table's checksum is
 * the sum of its rows' SHA-256 digests, lane by lane: independent of the order rows come
 * in, which differs between the dialects' collations.
 *
 * The source is read in one snapshot (store_export_snapshot), so a site being served is
 * copied as of one moment. The destination is written in one transaction: the rows a new
 * database starts with (its settings and secrets) deleted, every row inserted, each
 * identity counter set past the ids copied and the source's own counter, then every table
 * read back and its row count and checksum compared with the source's. Only when all are
 * equal is the transaction committed, so a failure anywhere leaves the destination as it
 * was, and a SQLite file this call made is removed. The full-text index is rebuilt after
 * the commit (store_search_reindex), as a restore or a bulk load does.
 *
 * The SQL here is assembled from the table list below and column names read from the
 * source's own result, each checked to be a plain lower-case identifier and quoted; the
 * values are parameters. The dialects' differences are three named statements (the list
 * of tables, an identity counter read and set; sql_sqlite_export.h, sql_pg.h).
 */
#include "store/store.h"
#include "store/store_int.h"

#include "auth/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A table migrate copies: its primary key's columns (comma-separated, the keyset order),
 * the column an identity counter numbers (NULL: none), and rows read per batch. */
struct migrate_table {
    const char *name;
    const char *key;
    const char *serial;
    int batch;
};

/* Every table of the schema, parents before the tables whose foreign keys name them. */
static const struct migrate_table tables[] = {
    {"settings", "key", NULL, 256},
    {"secrets", "name", NULL, 256},
    {"users", "id", "id", 256},
    {"tags", "id", "id", 256},
    {"posts", "id", "id", 128},
    {"post_bodies", "post_id", NULL, 64},
    {"post_meta", "post_id", NULL, 256},
    {"post_tags", "post_id,tag_id", NULL, 256},
    {"post_authors", "post_id,user_id", NULL, 256},
    {"revisions", "id", "id", 64},
    {"media", "id", "id", 256},
    {"media_files", "media_id,variant", NULL, 4}, /* photos: megabytes a row */
    {"tips", "id", "id", 256},
    {"tip_photos", "tip_id,media_id", NULL, 256},
    {"audit", "id", "id", 256},
    {"api_keys", "id", "id", 256},
    {"editing", "post_id,user_id", NULL, 256},
    {"sessions", "token_hash", NULL, 256},
    {"account_tokens", "token_hash", NULL, 256},
    {"import_map", "source,kind,source_id", NULL, 256},
    {"import_runs", "id", "id", 256},
    {"redirects", "from_path", NULL, 256},
    {"websub_subscriptions", "id", "id", 256},
    {"limit_events", "id", "id", 256},
    {"changes", "seq", "seq", 256},
};

_Static_assert(ARRAY_LEN(tables) <= STORE_MIGRATE_TABLES_MAX, "STORE_MIGRATE_TABLES_MAX");

/* Tables of a database that are not the site's rows: the search index (rebuilt from the
 * posts) and its FTS5 shadow tables, SQLite's own, PostgreSQL's schema version, and the
 * background jobs' positions, which belong to the servers of the old database (the new
 * one's purger starts at the head of the copied log). */
static bool not_copied(const char *name)
{
    return strncmp(name, "post_search", 11) == 0 || strncmp(name, "sqlite_", 7) == 0 ||
           strcmp(name, "newsdesk_schema") == 0 || strcmp(name, "leases") == 0;
}

/* Parameters in one INSERT: the PostgreSQL driver's limit (1024), with room to spare. */
#define MIGRATE_PARAMS_MAX 1000
/* Columns of a table, at most; the key's columns */
#define MIGRATE_COLS_MAX 64
#define MIGRATE_KEY_MAX 4
/* The longest statement assembled: a batch INSERT is a few tens of kilobytes */
#define MIGRATE_SQL_MAX ((size_t)1 << 20)
/* The longest row hashed: the PostgreSQL driver's largest value (1 GiB), with its names */
#define MIGRATE_ROW_MAX (((size_t)1 << 30) + ((size_t)1 << 16))

/* A table's rows read so far: how many, and the lane-wise sum of their digests. */
struct migrate_sum {
    int64_t rows;
    uint64_t lane[4];
};

/*
 * One table's read, batch by batch. The first row names the columns (copied into names,
 * which lives as long as the scan); each batch's values are copied into rows, released
 * before the next; the last key read is kept in keys[batches % 2].
 */
struct scan {
    const struct migrate_table *t;
    struct arena names_arena, rows, keys[2];
    size_t ncols;
    const char *names[MIGRATE_COLS_MAX];
    size_t order[MIGRATE_COLS_MAX]; /* column indexes in the order of their names */
    size_t key[MIGRATE_KEY_MAX];    /* the key's column indexes */
    size_t nkey;
    int serial; /* the identity column's index, -1: none */
    struct store_value last[MIGRATE_KEY_MAX];
    bool have_last;
    unsigned batches;
    struct store_value *vals; /* n rows of ncols values, in rows */
    size_t n;
    struct migrate_sum sum;
    int64_t serial_max; /* the largest value of the identity column read */
    struct buf row;     /* the row being hashed, as hash_row writes it */
};

static bool plain_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

static void scan_init(struct scan *sc, const struct migrate_table *t)
{
    *sc = (struct scan){.t = t, .serial = -1};
    arena_init(&sc->names_arena);
    arena_init(&sc->rows);
    arena_init(&sc->keys[0]);
    arena_init(&sc->keys[1]);
    buf_init(&sc->row, MIGRATE_ROW_MAX);
}

static void scan_release(struct scan *sc)
{
    arena_release(&sc->names_arena);
    arena_release(&sc->rows);
    arena_release(&sc->keys[0]);
    arena_release(&sc->keys[1]);
    buf_release(&sc->row);
}

/* The column names of the first row: checked, copied, sorted, the key's found. */
static enum err_code scan_columns(struct scan *sc, const struct store_q *q, struct err *err)
{
    int n = store_col_count(q);
    if (n < 1 || n > MIGRATE_COLS_MAX)
        return err_set(err, ERR_INVALID, "table %s has %d columns", sc->t->name, n);
    sc->ncols = (size_t)n;
    for (size_t i = 0; i < sc->ncols; i++) {
        struct store_value v;
        store_col_value(q, (int)i, &v, &sc->rows);
        if (!v.name || !plain_name(v.name))
            return err_set(err, ERR_INVALID, "table %s has a column named '%s'", sc->t->name,
                           v.name ? v.name : "");
        sc->names[i] = arena_strdup(&sc->names_arena, v.name);
        sc->order[i] = i;
        if (sc->t->serial && strcmp(v.name, sc->t->serial) == 0)
            sc->serial = (int)i;
    }
    for (size_t i = 1; i < sc->ncols; i++) /* by name: a few dozen columns */
        for (size_t j = i;
             j > 0 && strcmp(sc->names[sc->order[j - 1]], sc->names[sc->order[j]]) > 0; j--) {
            size_t x = sc->order[j];
            sc->order[j] = sc->order[j - 1], sc->order[j - 1] = x;
        }
    const char *k = sc->t->key;
    while (*k) {
        size_t len = strcspn(k, ",");
        size_t i = 0;
        while (i < sc->ncols && !(strlen(sc->names[i]) == len && !memcmp(sc->names[i], k, len)))
            i++;
        if (i == sc->ncols || sc->nkey == MIGRATE_KEY_MAX)
            return err_set(err, ERR_INVALID, "table %s has no column %.*s", sc->t->name, (int)len,
                           k);
        sc->key[sc->nkey++] = i;
        k += len + (k[len] == ',');
    }
    return ERR_OK;
}

/* v's bytes copied into a (an integer or NULL needs none). */
static void keep(struct store_value *v, struct arena *a)
{
    if (v->kind == STORE_VALUE_TEXT || v->kind == STORE_VALUE_BLOB)
        v->text = (struct str){arena_strndup(a, v->text.ptr, v->text.len), v->text.len};
}

/* The SQL of one batch's read: "SELECT * FROM t [WHERE (k...) > (?...)] ORDER BY k... LIMIT n". */
static void select_sql(const struct scan *sc, struct buf *b)
{
    buf_reset(b);
    buf_printf(b, "SELECT * FROM \"%s\"", sc->t->name);
    const char *k = sc->t->key;
    if (sc->have_last) {
        buf_puts(b, " WHERE (");
        for (size_t i = 0; i < sc->nkey; i++)
            buf_printf(b, "%s\"%s\"", i ? ", " : "", sc->names[sc->key[i]]);
        buf_puts(b, ") > (");
        for (size_t i = 0; i < sc->nkey; i++)
            buf_printf(b, "%s?%zu", i ? ", " : "", i + 1);
        buf_puts(b, ")");
    }
    buf_puts(b, " ORDER BY ");
    for (int first = 1; *k; first = 0) {
        size_t len = strcspn(k, ",");
        buf_printf(b, "%s\"%.*s\"", first ? "" : ", ", (int)len, k);
        k += len + (k[len] == ',');
    }
    buf_printf(b, " LIMIT %d", sc->t->batch);
}

static void bind_value(struct store_q *q, int i, const struct store_value *v)
{
    switch (v->kind) {
    case STORE_VALUE_NULL:
        store_bind_null(q, i);
        break;
    case STORE_VALUE_INT:
        store_bind_i64(q, i, v->num);
        break;
    case STORE_VALUE_TEXT:
        store_bind_str(q, i, v->text);
        break;
    case STORE_VALUE_BLOB:
        store_bind_blob(q, i, v->text.ptr, v->text.len);
        break;
    }
}

/* Adds row's digest to sc->sum: each column's name and value, in the order of the names,
 * written into sc->row (a name, NUL, a tag, the length in 8 bytes, the bytes). */
static void hash_row(struct scan *sc, const struct store_value *row)
{
    buf_reset(&sc->row);
    for (size_t k = 0; k < sc->ncols; k++) {
        const char *name = sc->names[sc->order[k]];
        const struct store_value *v = &row[sc->order[k]];
        buf_append(&sc->row, name, strlen(name) + 1);
        char num[24];
        struct str bytes = v->text;
        unsigned char tag = v->kind == STORE_VALUE_NULL ? 0 : v->kind == STORE_VALUE_BLOB ? 2 : 1;
        if (v->kind == STORE_VALUE_INT)
            bytes =
                (struct str){num, (size_t)snprintf(num, sizeof(num), "%lld", (long long)v->num)};
        else if (v->kind == STORE_VALUE_NULL)
            bytes = (struct str){"", 0};
        unsigned char len[9] = {tag};
        for (int i = 0; i < 8; i++)
            len[1 + i] = (unsigned char)((uint64_t)bytes.len >> (8 * i));
        buf_append(&sc->row, len, sizeof(len));
        buf_append(&sc->row, bytes.ptr, bytes.len);
    }
    unsigned char d[32];
    auth_sha256(buf_str(&sc->row), d);
    for (int l = 0; l < 4; l++) {
        uint64_t x = 0;
        for (int i = 0; i < 8; i++)
            x |= (uint64_t)d[l * 8 + i] << (8 * i);
        sc->sum.lane[l] += x;
    }
    sc->sum.rows++;
    if (sc->serial >= 0 && row[sc->serial].kind == STORE_VALUE_INT &&
        row[sc->serial].num > sc->serial_max)
        sc->serial_max = row[sc->serial].num;
}

/* Called with each batch of a scan (sc->vals, sc->n rows). */
typedef enum err_code (*batch_fn)(struct scan *sc, void *ctx, struct err *err);

/* Reads table sc->t of st batch by batch, hashing each row, calling fn with each batch. */
static enum err_code scan_table(struct store *st, struct scan *sc, batch_fn fn, void *ctx,
                                struct err *err)
{
    struct buf sql;
    buf_init(&sql, MIGRATE_SQL_MAX);
    enum err_code rc = ERR_OK;
    for (;;) {
        select_sql(sc, &sql);
        struct store_q q;
        store_q_prepare(st, buf_str(&sql).ptr, buf_str(&sql).len, &q, err);
        for (size_t i = 0; sc->have_last && i < sc->nkey; i++)
            bind_value(&q, (int)i + 1, &sc->last[i]);
        size_t cap = 0;
        sc->n = 0;
        while (!rc && store_q_next(&q)) {
            if (!sc->ncols)
                rc = scan_columns(sc, &q, err);
            if (rc)
                break;
            if (sc->n == cap) {
                size_t more = cap ? cap * 2 : 16;
                struct store_value *v = arena_calloc(&sc->rows, more * sc->ncols, sizeof(*v));
                if (sc->n)
                    memcpy(v, sc->vals, sc->n * sc->ncols * sizeof(*v));
                sc->vals = v, cap = more;
            }
            struct store_value *row = &sc->vals[sc->n * sc->ncols];
            for (size_t i = 0; i < sc->ncols; i++) {
                store_col_value(&q, (int)i, &row[i], &sc->rows);
                keep(&row[i], &sc->rows);
            }
            hash_row(sc, row);
            sc->n++;
        }
        enum err_code end = store_q_end(&q, "cannot read the rows", rc ? NULL : err);
        rc = rc ? rc : end;
        if (!rc && sc->n)
            rc = fn(sc, ctx, err);
        if (!rc && sc->n) {
            struct arena *a = &sc->keys[sc->batches++ % 2];
            arena_release(a);
            const struct store_value *row = &sc->vals[(sc->n - 1) * sc->ncols];
            for (size_t i = 0; i < sc->nkey; i++) {
                sc->last[i] = row[sc->key[i]];
                keep(&sc->last[i], a);
            }
            sc->have_last = true;
        }
        bool more = !rc && sc->n == (size_t)sc->t->batch;
        arena_release(&sc->rows);
        sc->vals = NULL, sc->n = 0;
        if (!more)
            break;
    }
    buf_release(&sql);
    if (rc)
        err_prefix(err, "table %s", sc->t->name);
    return rc;
}

/* ---- the copy -------------------------------------------------------------------- */

struct copy {
    struct store *to;
    struct buf sql;
    int64_t total; /* the table's rows in the source, for progress */
    store_migrate_fn progress;
    void *ctx;
};

/* INSERT INTO t ("c"...) VALUES (?...), ... for rows rows. */
static void insert_sql(const struct scan *sc, size_t rows, struct buf *b)
{
    buf_reset(b);
    buf_printf(b, "INSERT INTO \"%s\" (", sc->t->name);
    for (size_t i = 0; i < sc->ncols; i++)
        buf_printf(b, "%s\"%s\"", i ? ", " : "", sc->names[i]);
    buf_puts(b, ") VALUES ");
    size_t p = 1;
    for (size_t r = 0; r < rows; r++) {
        buf_puts(b, r ? ", (" : "(");
        for (size_t i = 0; i < sc->ncols; i++)
            buf_printf(b, "%s?%zu", i ? ", " : "", p++);
        buf_putc(b, ')');
    }
}

static enum err_code copy_batch(struct scan *sc, void *ctx, struct err *err)
{
    struct copy *c = ctx;
    size_t per = MIGRATE_PARAMS_MAX / sc->ncols;
    if (per < 1)
        per = 1;
    for (size_t r = 0; r < sc->n; r += per) {
        size_t rows = sc->n - r < per ? sc->n - r : per;
        insert_sql(sc, rows, &c->sql);
        struct store_q q;
        store_q_prepare(c->to, buf_str(&c->sql).ptr, buf_str(&c->sql).len, &q, err);
        const struct store_value *v = &sc->vals[r * sc->ncols];
        for (size_t i = 0; i < rows * sc->ncols; i++)
            bind_value(&q, (int)i + 1, &v[i]);
        enum err_code rc = store_q_exec(&q, NULL, "cannot write the rows", err);
        if (rc)
            return rc;
    }
    if (c->progress)
        c->progress(sc->t->name, "copied", sc->sum.rows, c->total, c->ctx);
    return ERR_OK;
}

static enum err_code no_batch(struct scan *sc, void *ctx, struct err *err)
{
    (void)sc, (void)ctx, (void)err;
    return ERR_OK;
}

static enum err_code count_rows(struct store *st, const char *table, int64_t *n, struct err *err)
{
    char sql[128];
    int len = snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", table);
    struct store_q q;
    store_q_prepare(st, sql, (size_t)len, &q, err);
    return store_q_i64(&q, n, "cannot count the rows", err);
}

static enum err_code delete_rows(struct store *st, const char *table, struct err *err)
{
    char sql[128];
    int len = snprintf(sql, sizeof(sql), "DELETE FROM \"%s\"", table);
    struct store_q q;
    store_q_prepare(st, sql, (size_t)len, &q, err);
    return store_q_exec(&q, NULL, "cannot empty the table", err);
}

/* Every table of st is one migrate knows or one it leaves (not_copied), and every table
 * it knows is there. */
static enum err_code check_tables(struct store *st, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct store_q q;
    store_q_open(st, STMT_MIGRATE_TABLES, &q, err);
    struct str *names;
    size_t n;
    enum err_code rc =
        store_q_rows(&q, sizeof(*names), 4096, &store_row_str, &a, (void **)&names, &n, err);
    for (size_t i = 0; !rc && i < n; i++) {
        bool known = not_copied(names[i].ptr);
        for (size_t t = 0; !known && t < ARRAY_LEN(tables); t++)
            known = strcmp(names[i].ptr, tables[t].name) == 0;
        if (!known)
            rc = err_set(err, ERR_INVALID,
                         "'%s' has a table migrate does not know (%s): nothing was copied",
                         st->path, names[i].ptr);
    }
    for (size_t t = 0; !rc && t < ARRAY_LEN(tables); t++) {
        bool found = false;
        for (size_t i = 0; !found && i < n; i++)
            found = strcmp(names[i].ptr, tables[t].name) == 0;
        if (!found)
            rc = err_set(err, ERR_INVALID, "'%s' has no table %s: nothing was copied", st->path,
                         tables[t].name);
    }
    arena_release(&a);
    return rc;
}

/* The identity counter of t on to set past what the copy holds and from had given. */
static enum err_code copy_serial(struct store *from, struct store *to, const struct scan *sc,
                                 struct err *err)
{
    if (!sc->t->serial)
        return ERR_OK;
    struct str name = str_from(sc->t->name), col = str_from(sc->t->serial);
    struct store_q q;
    store_q_open(from, STMT_MIGRATE_SEQ_GET, &q, err);
    store_bind_str(&q, 1, name);
    store_bind_str(&q, 2, col);
    int64_t given = 0;
    enum err_code rc = store_q_i64(&q, &given, "cannot read the identity counter", err);
    int64_t at = given > sc->serial_max ? given : sc->serial_max;
    if (rc || at < 1)
        return rc;
    store_q_open(to, STMT_MIGRATE_SEQ_SET, &q, err);
    store_bind_str(&q, 1, name);
    store_bind_str(&q, 2, col);
    store_bind_i64(&q, 3, at);
    return store_q_exec(&q, NULL, "cannot set the identity counter", err);
}

static void hex_sum(const struct migrate_sum *s, char out[STORE_MIGRATE_SUM_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int l = 0; l < 4 && o < STORE_MIGRATE_SUM_HEX; l++)
        for (int i = 60; i >= 0 && o < STORE_MIGRATE_SUM_HEX; i -= 4)
            out[o++] = hex[(s->lane[l] >> i) & 15];
    out[o] = '\0';
}

/* The copy and its check, inside the destination's transaction. */
static enum err_code copy_all(struct store *from, struct store *to, store_migrate_fn progress,
                              void *ctx, struct store_migrate_report *out, struct err *err)
{
    enum err_code rc = ERR_OK;
    for (size_t t = ARRAY_LEN(tables); !rc && t-- > 0;)
        rc = delete_rows(to, tables[t].name, err);
    struct migrate_sum sums[ARRAY_LEN(tables)];
    struct copy c = {.to = to, .progress = progress, .ctx = ctx};
    buf_init(&c.sql, MIGRATE_SQL_MAX);
    for (size_t t = 0; !rc && t < ARRAY_LEN(tables); t++) {
        rc = count_rows(from, tables[t].name, &c.total, err);
        struct scan sc;
        scan_init(&sc, &tables[t]);
        if (!rc)
            rc = scan_table(from, &sc, copy_batch, &c, err);
        if (!rc)
            rc = copy_serial(from, to, &sc, err);
        sums[t] = sc.sum;
        scan_release(&sc);
    }
    buf_release(&c.sql);
    out->n = 0;
    for (size_t t = 0; !rc && t < ARRAY_LEN(tables); t++) {
        struct scan sc;
        scan_init(&sc, &tables[t]);
        rc = scan_table(to, &sc, no_batch, NULL, err);
        struct store_migrate_table *r = &out->tables[out->n++];
        r->name = tables[t].name;
        r->rows = sums[t].rows;
        r->copied = sc.sum.rows;
        hex_sum(&sums[t], r->sum);
        hex_sum(&sc.sum, r->copied_sum);
        if (!rc && (r->rows != r->copied || memcmp(sums[t].lane, sc.sum.lane, sizeof(sc.sum.lane))))
            rc = err_set(err, ERR_INTERNAL,
                         "table %s read back differs: %lld rows checksum %s in the source,"
                         " %lld rows checksum %s in the destination; nothing was kept",
                         r->name, (long long)r->rows, r->sum, (long long)r->copied, r->copied_sum);
        scan_release(&sc);
        if (!rc && progress)
            progress(r->name, "verified", r->copied, r->rows, ctx);
    }
    return rc;
}

/* Whether the database at path exists: a SQLite file, or any PostgreSQL URL. */
static bool exists(const char *path)
{
    struct stat sb;
    return store_path_is_pg(path) || stat(path, &sb) == 0;
}

/* Removes a SQLite database this call made, with the files beside it. */
static void remove_made(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal", "-stamp"};
    for (size_t i = 0; i < ARRAY_LEN(suffixes); i++) {
        char p[4096];
        if ((size_t)snprintf(p, sizeof(p), "%s%s", path, suffixes[i]) < sizeof(p))
            unlink(p);
    }
}

enum err_code store_migrate(const char *from_path, const char *to_path, store_migrate_fn progress,
                            void *ctx, struct store_migrate_report *out, struct err *err)
{
    *out = (struct store_migrate_report){0};
    if (strcmp(from_path, to_path) == 0)
        return err_set(err, ERR_INVALID, "--from and --to name the same database");
    struct stat a, b;
    if (!store_path_is_pg(from_path) && !store_path_is_pg(to_path) && stat(from_path, &a) == 0 &&
        stat(to_path, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
        return err_set(err, ERR_INVALID, "--from and --to name the same database");
    struct store *from = NULL, *to = NULL;
    enum err_code rc = store_open(from_path, STORE_WRITE, &from, err);
    if (rc)
        return rc;
    if (!rc)
        rc = check_tables(from, err);
    bool made = !exists(to_path);
    if (!rc)
        rc = store_open(to_path, STORE_CREATE, &to, err);
    if (!rc)
        rc = check_tables(to, err);
    int64_t posts = 0, users = 0;
    if (!rc)
        rc = count_rows(to, "posts", &posts, err);
    if (!rc)
        rc = count_rows(to, "users", &users, err);
    if (!rc && (posts || users))
        rc = err_set(err, ERR_INVALID,
                     "'%s' already holds a site (%lld posts, %lld staff accounts): migrate"
                     " copies into a new database only",
                     to_path, (long long)posts, (long long)users);
    if (!rc)
        rc = store_export_snapshot(from, true, err);
    if (!rc) {
        rc = store_tx_begin(to, err);
        if (!rc) {
            rc = copy_all(from, to, progress, ctx, out, err);
            rc = store_tx_end(to, rc, err);
        }
        store_export_snapshot(from, false, NULL);
    }
    store_close(from);
    if (!rc && progress)
        progress("search index", "rebuilding", 0, 0, ctx);
    if (!rc && store_search_reindex(to, NULL, NULL, err) != ERR_OK) {
        err_prefix(err,
                   "the site was copied and verified, but its search index was not rebuilt"
                   " (run 'newsdesk search reindex --db %s')",
                   to_path);
        rc = ERR_IO;
        made = false; /* the copy is good: keep it */
    }
    if (to)
        store_close(to);
    if (rc && made && !store_path_is_pg(to_path))
        remove_made(to_path);
    return rc;
}
