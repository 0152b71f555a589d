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

/* ---- words ------------------------------------------------------------------------- */

static bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the token at the start of s (s.len > 0): a word, a run of spaces, a mark. */
static size_t token_len(struct str s)
{
    unsigned char c = (unsigned char)s.ptr[0];
    bool (*same)(unsigned char) = word_byte(c) ? word_byte : space_byte(c) ? space_byte : NULL;
    size_t k = 1;
    while (same && k < s.len && same((unsigned char)s.ptr[k]))
        k++;
    return k;
}

/* The tokens of s, in a (one spare slot), and their count in *n. */
static struct str *tokens(struct str s, struct arena *a, size_t *n)
{
    size_t cap = 1;
    for (struct str t = s; t.len;) {
        size_t k = token_len(t);
        t.ptr += k, t.len -= k, cap++;
    }
    struct str *v = arena_calloc(a, cap, sizeof(*v));
    *n = 0;
    while (s.len) {
        size_t k = token_len(s);
        v[(*n)++] = (struct str){s.ptr, k};
        s.ptr += k, s.len -= k;
    }
    return v;
}

/* Appends (op, t) to out, joining it to the last piece when that is the same op and text runs on.
 */
static void push(struct content_diff_line *out, size_t *k, enum content_diff_op op, struct str t)
{
    struct content_diff_line *last = *k ? &out[*k - 1] : NULL;
    if (last && last->op == op && last->text.ptr + last->text.len == t.ptr) {
        last->text.len += t.len;
        return;
    }
    out[(*k)++] = (struct content_diff_line){op, t};
}

/*
 * The walk's steps into pieces: kept runs as they are, and each change between two of
 * them as its removed words then its added words, so a reader sees "old → new" once.
 */
static size_t pieces(const struct content_diff_line *steps, size_t n, struct content_diff_line *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (steps[i].op == CONTENT_DIFF_SAME) {
            push(out, &k, CONTENT_DIFF_SAME, steps[i++].text);
            continue;
        }
        size_t end = i;
        while (end < n && steps[end].op != CONTENT_DIFF_SAME)
            end++;
        for (enum content_diff_op op = CONTENT_DIFF_DEL;; op = CONTENT_DIFF_ADD) {
            for (size_t j = i; j < end; j++)
                if (steps[j].op == op)
                    push(out, &k, op, steps[j].text);
            if (op == CONTENT_DIFF_ADD)
                break;
        }
        i = end;
    }
    return k;
}

enum err_code content_diff_words(struct str from, struct str to, struct arena *a,
                                 struct content_diff_line **out, size_t *n, struct err *err)
{
    size_t nx, ny, pre = 0, post = 0;
    struct str *x = tokens(from, a, &nx), *y = tokens(to, a, &ny);
    /* what both start and end with is kept as it is: the table is only for the middle */
    while (pre < nx && pre < ny && str_eq(x[pre], y[pre]))
        pre++;
    while (post < nx - pre && post < ny - pre && str_eq(x[nx - 1 - post], y[ny - 1 - post]))
        post++;
    size_t mx = nx - pre - post, my = ny - pre - post;
    if (mx > CONTENT_DIFF_WORDS_MAX || my > CONTENT_DIFF_WORDS_MAX)
        return err_set(err, ERR_TOOBIG, "more than %d words to compare", CONTENT_DIFF_WORDS_MAX);
    struct content_diff_line *steps = arena_calloc(a, nx + ny + 1, sizeof(*steps));
    size_t k = 0;
    for (size_t i = 0; i < pre; i++)
        steps[k++] = (struct content_diff_line){CONTENT_DIFF_SAME, y[i]};
    uint32_t *t = lcs_table(x + pre, mx, y + pre, my);
    k += walk(t, x + pre, mx, y + pre, my, steps + k);
    free(t);
    for (size_t i = ny - post; i < ny; i++)
        steps[k++] = (struct content_diff_line){CONTENT_DIFF_SAME, y[i]};
    *out = arena_calloc(a, k + 1, sizeof(**out));
    *n = pieces(steps, k, *out);
    return ERR_OK;
}
