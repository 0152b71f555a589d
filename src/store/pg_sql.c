/*
 * The placeholder rewrite of the PostgreSQL dialect (pg_sql.h).
 *
 * Every statement is written once, for SQLite, with ?N (or, in the Content API's
 * filters, bare ? in order); PostgreSQL wants $N. So the driver rewrites each text as it
 * prepares it, mechanically: ?N becomes $N, the k-th bare ? becomes $k. The scan knows
 * only enough SQL to keep out of quotes: a string literal ('it''s') and a quoted name
 * ("x") are copied as they are. Texts that need more than renumbering have their own
 * PostgreSQL text in sql_pg.h, which may use $N directly; $ is copied like any byte.
 */
#include "store/pg_sql.h"

#include <stdbool.h>

/* Appends byte c at out[*n] when it fits (keeping room for the NUL); *n counts it anyway. */
static void put(char *out, size_t cap, size_t *n, char c)
{
    if (*n + 1 < cap)
        out[*n] = c;
    (*n)++;
}

/* Appends v in decimal. */
static void put_num(char *out, size_t cap, size_t *n, unsigned v)
{
    char digits[12];
    size_t k = 0;
    do {
        digits[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && k < sizeof(digits));
    while (k)
        put(out, cap, n, digits[--k]);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t store_pg_rewrite(const char *sql, size_t len, char *out, size_t cap)
{
    size_t n = 0;
    unsigned bare = 0;
    char quote = 0; /* the quote character of the literal or name being copied, or 0 */
    for (size_t i = 0; i < len; i++) {
        char c = sql[i];
        if (quote) {
            /* a doubled quote ('it''s') closes and reopens: the same bytes either way */
            if (c == quote)
                quote = 0;
            put(out, cap, &n, c);
        } else if (c == '\'' || c == '"') {
            quote = c;
            put(out, cap, &n, c);
        } else if (c == '?') {
            put(out, cap, &n, '$');
            if (i + 1 < len && is_digit(sql[i + 1])) {
                while (i + 1 < len && is_digit(sql[i + 1]))
                    put(out, cap, &n, sql[++i]);
            } else {
                put_num(out, cap, &n, ++bare);
            }
        } else {
            put(out, cap, &n, c);
        }
    }
    if (cap)
        out[n < cap ? n : cap - 1] = '\0';
    return n;
}
