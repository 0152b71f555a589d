/*
 * The statement layer's functions (store_int.h), each handing the call to the driver of
 * the store it is about: SQLite's (sqlite.c) or PostgreSQL's (pg.c). One indirect call a
 * function; store/'s other files never ask which backend they run on.
 */
#include "store/store_int.h"

#include <string.h>

bool store_path_is_pg(const char *path)
{
    return !strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11);
}

enum err_code store_db_open(struct store *st, struct err *err)
{
    return st->drv->open(st, err);
}

void store_db_close(struct store *st)
{
    st->drv->close(st);
}

enum err_code store_db_exec(struct store *st, const char *sql, struct err *err)
{
    return st->drv->exec(st, sql, err);
}

enum err_code store_script(struct store *st, const char *sql, struct err *err)
{
    return *sql ? st->drv->exec(st, sql, err) : ERR_OK;
}

enum err_code store_db_schema(struct store *st, int64_t *version, int64_t *app, int64_t *objects,
                              struct err *err)
{
    return st->drv->schema(st, version, app, objects, err);
}

enum err_code store_db_set_schema(struct store *st, size_t version, struct err *err)
{
    return st->drv->set_schema(st, version, err);
}

int64_t store_db_last_id(const struct store *st)
{
    return st->drv->last_id(st);
}

int64_t store_db_changes(const struct store *st)
{
    return st->drv->changes(st);
}

bool store_db_in_tx(const struct store *st)
{
    return st->db && st->drv->in_tx(st);
}

enum err_code store_checkpoint(struct store *st, struct err *err)
{
    return st->drv->checkpoint(st, err);
}

void store_q_open(struct store *st, enum store_stmt id, struct store_q *q, struct err *err)
{
    st->drv->q_open(st, id, q, err);
}

void store_q_prepare(struct store *st, const char *sql, size_t len, struct store_q *q,
                     struct err *err)
{
    st->drv->q_prepare(st, sql, len, q, err);
}

void store_bind_i64(struct store_q *q, int i, int64_t v)
{
    q->st->drv->bind_i64(q, i, v);
}

void store_bind_double(struct store_q *q, int i, double v)
{
    q->st->drv->bind_double(q, i, v);
}

void store_bind_str(struct store_q *q, int i, struct str v)
{
    q->st->drv->bind_str(q, i, v);
}

void store_bind_text(struct store_q *q, int i, const char *v)
{
    if (v)
        q->st->drv->bind_str(q, i, str_from(v));
    else
        q->st->drv->bind_null(q, i);
}

void store_bind_blob(struct store_q *q, int i, const void *p, size_t n)
{
    q->st->drv->bind_blob(q, i, p, n);
}

void store_bind_null(struct store_q *q, int i)
{
    q->st->drv->bind_null(q, i);
}

bool store_q_next(struct store_q *q)
{
    return q->st->drv->q_next(q);
}

enum err_code store_q_end(struct store_q *q, const char *what, struct err *err)
{
    return q->st->drv->q_end(q, what, err);
}

int64_t store_col_i64(const struct store_q *q, int i)
{
    return q->st->drv->col_i64(q, i);
}

double store_col_double(const struct store_q *q, int i)
{
    return q->st->drv->col_double(q, i);
}

bool store_col_bool(const struct store_q *q, int i)
{
    return q->st->drv->col_bool(q, i);
}

bool store_col_is_null(const struct store_q *q, int i)
{
    return q->st->drv->col_is_null(q, i);
}

int store_col_count(const struct store_q *q)
{
    return q->st->drv->col_count(q);
}

void *store_col_blob(const struct store_q *q, int i, size_t *len)
{
    return q->st->drv->col_blob(q, i, len);
}

struct str store_col_str(const struct store_q *q, int i, struct arena *a)
{
    return q->st->drv->col_str(q, i, a);
}

void store_col_value(const struct store_q *q, int i, struct store_value *v, struct arena *a)
{
    q->st->drv->col_value(q, i, v, a);
}

int store_q_param_count(const struct store_q *q)
{
    return q->s ? q->st->drv->param_count(q) : 0;
}
