/*
 * The line diff behind a revision's page: the classic longest-common-subsequence table
 * (Hunt–McIlroy without its speed-ups), filled from the ends so that the walk from the
 * start can read each next step off it. Texts a newsroom edits are short; the table is
 * bounded by CONTENT_DIFF_LINES_MAX, past which the caller shows both texts whole.
 */
#include "content/content.h"

#include <stdlib.h>
#include <string.h>

/* The lines of s, without their "\n" or "\r\n", in a; NULL when there are more than max. */
static struct str *split_lines(struct str s, size_t max, struct arena *a, size_t *n)
{
    size_t cap = 1;
    for (size_t i = 0; i < s.len; i++)
        cap += s.ptr[i] == '\n';
    if (cap > max + 1)
        return NULL;
    struct str *v = arena_calloc(a, cap, sizeof(*v));
    size_t k = 0;
    while (s.len) {
        const char *nl = memchr(s.ptr, '\n', s.len);
        size_t len = nl ? (size_t)(nl - s.ptr) : s.len;
        size_t step = len + (nl ? 1 : 0);
        if (nl && len && s.ptr[len - 1] == '\r')
            len--;
        v[k++] = (struct str){s.ptr, len};
        s.ptr += step;
        s.len -= step;
    }
    *n = k;
    return v;
}

/* t[i][j]: the length of the longest common subsequence of x[i..n) and y[j..m). */
static uint32_t *lcs_table(const struct str *x, size_t n, const struct str *y, size_t m)
{
    uint32_t *t = xcalloc((n + 1) * (m + 1), sizeof(uint32_t));
    size_t w = m + 1;
    for (size_t i = n; i-- > 0;) {
        for (size_t j = m; j-- > 0;) {
            uint32_t down = t[(i + 1) * w + j], right = t[i * w + j + 1];
            t[i * w + j] =
                str_eq(x[i], y[j]) ? t[(i + 1) * w + j + 1] + 1 : (down >= right ? down : right);
        }
    }
    return t;
}

/* Walks the table from the start: a kept line, else the step that keeps the longer rest. */
static size_t walk(const uint32_t *t, const struct str *x, size_t n, const struct str *y, size_t m,
                   struct content_diff_line *out)
{
    size_t i = 0, j = 0, k = 0, w = m + 1;
    while (i < n || j < m) {
        if (i < n && j < m && str_eq(x[i], y[j])) {
            out[k++] = (struct content_diff_line){CONTENT_DIFF_SAME, y[j]};
            i++, j++;
        } else if (i < n && (j == m || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
            out[k++] = (struct content_diff_line){CONTENT_DIFF_DEL, x[i++]};
        } else {
            out[k++] = (struct content_diff_line){CONTENT_DIFF_ADD, y[j++]};
        }
    }
    return k;
}

enum err_code content_diff_lines(struct str from, struct str to, struct arena *a,
                                 struct content_diff_line **out, size_t *n, struct err *err)
{
    size_t nx = 0, ny = 0;
    struct str *x = split_lines(from, CONTENT_DIFF_LINES_MAX, a, &nx);
    struct str *y = x ? split_lines(to, CONTENT_DIFF_LINES_MAX, a, &ny) : NULL;
    if (!y)
        return err_set(err, ERR_TOOBIG, "more than %d lines to compare", CONTENT_DIFF_LINES_MAX);
    uint32_t *t = lcs_table(x, nx, y, ny);
    *out = arena_calloc(a, nx + ny + 1, sizeof(**out));
    *n = walk(t, x, nx, y, ny, *out);
    free(t);
    return ERR_OK;
}
