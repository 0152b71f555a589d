/*
 * A linear pre-scan that refuses Markdown on which Debian 12's cmark-gfm
 * (0.29.0.gfm.6, September 2022) would spend more than linear time or memory.
 * Upstream releases from 2023 on fixed most of them; Debian 12 has not backported them.
 * Measured on this machine with 512 KiB inputs (release build of the library):
 *
 *   table, 10000 columns then "a\n" rows  autocompleted cells: > 8 GB, killed
 *   table row of 70000 '|'               the row's cell list is appended to in O(n): 12 s
 *   "x\n" * 64000 then "-|-"             each line's first cell walks back to the
 *                                        previous '|' when the header is parsed: > 20 s
 *   "![[]()" * 85000                     every link walks the stack of '![' openers: > 20 s
 *   "www.a_" * 20000 (120 KiB)           each "www." re-scans the rest of the word: 17 s
 *   "www.a.com/" + ")" * 32000           each trailing ')' recounts the link's parens: 0.5 s
 *   "a@" * 256000                        each '@' scans the rest of the word: 2.1 s
 *   "[a]: /<100 KB>" then "[a]" * 130000 every use copies the destination: abort() in
 *                                        cmark_strbuf_grow past 1 GiB
 *   ">" * 512000                         0.3 s but 136 MB and 13.8 MB of HTML
 *
 * Everything else we tried (cmark's own pathological_tests.py shapes, entities, code
 * spans, emphasis) stays under 0.4 s at 512 KiB. Each check below bounds one of the
 * shapes above by a cost it can count in one pass over the lines, and each budget sits
 * near 0.1-0.2 s of library time. The counts over-approximate: a line inside a code
 * block is counted as if it were a paragraph, and a paragraph is taken to run to the
 * next blank line (cmark never continues one past it). cmark turns each NUL into
 * U+FFFD (three bytes), so a length here can be a third of cmark's; the budgets leave
 * that much room.
 */
#include "content/content.h"
#include "content/content_int.h"

#include <stdio.h>
#include <string.h>

struct guard {
    const char *base;
    /* whole document */
    uint64_t table_cells;
    uint64_t table_reparse;
    uint64_t bracket_work;
    uint64_t autolink_work;
    uint64_t close_brackets; /* every ']' may end a use of a reference */
    uint64_t ref_size;       /* the most bytes one use of a reference may copy */
    /* the current segment: the lines since the last blank one */
    size_t seg_start;
    size_t seg_pipe_end; /* just past the segment's last '|', else seg_start */
    uint64_t seg_walk;   /* bytes the header parse walks back over, in total */
    size_t seg_max_pipes;
    size_t seg_cols; /* 0 until a line that may be a table's delimiter row */
    uint64_t seg_img_openers;
    uint64_t seg_close;
    bool seg_ref;         /* a line with "]:" seen: a definition may start there */
    size_t seg_max_line;  /* longest line since then: a destination */
    size_t seg_max_title; /* longest span between title delimiters since then */
    size_t seg_quote[2];  /* last unescaped '"' and '\'', or SIZE_MAX */
    size_t seg_paren;     /* last unescaped '(', or SIZE_MAX */
};

/* strchr() finds the terminator too: a NUL byte is in no set */
static bool in_set(char c, const char *set)
{
    return c && strchr(set, c);
}

static bool is_blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t')
            return false;
    }
    return true;
}

static void segment_start(struct guard *g, size_t pos)
{
    g->seg_start = pos;
    g->seg_pipe_end = pos;
    g->seg_walk = 0;
    g->seg_max_pipes = 0;
    g->seg_cols = 0;
    g->seg_img_openers = 0;
    g->seg_close = 0;
    g->seg_ref = false;
    g->seg_max_line = 0;
    g->seg_max_title = 0;
    g->seg_quote[0] = g->seg_quote[1] = g->seg_paren = SIZE_MAX;
}

/*
 * A paragraph (and so a bracket stack or a reference definition) ends at the latest at
 * a blank line.
 */
static void segment_end(struct guard *g)
{
    g->bracket_work += g->seg_img_openers * g->seg_close;
    if (g->seg_ref && g->seg_max_line + g->seg_max_title > g->ref_size)
        g->ref_size = g->seg_max_line + g->seg_max_title;
}

/*
 * A thematic break ("* * *", "- - -": one of - * _ at least three times, spaces between)
 * is made of what would otherwise count as list markers.
 */
static bool is_break_like(const char *s, size_t n)
{
    char mark = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ' ' || s[i] == '\t')
            continue;
        if (!in_set(s[i], "-*_") || (mark && s[i] != mark))
            return false;
        mark = s[i];
        count++;
    }
    return count >= 3;
}

static size_t list_marker_len(const char *s, size_t n)
{
    if (n >= 2 && in_set(s[0], "-+*") && (s[1] == ' ' || s[1] == '\t'))
        return 2;
    size_t d = 0;
    while (d < n && d < 9 && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d && d + 1 < n && (s[d] == '.' || s[d] == ')') && (s[d + 1] == ' ' || s[d + 1] == '\t'))
        return d + 2;
    return 0;
}

/* Block quotes and list items opened at the start of a line each nest one level deeper. */
static enum err_code check_prefix(const char *s, size_t n, struct err *err)
{
    size_t i = 0, markers = 0;
    for (;;) {
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < n && s[i] == '>') {
            i++;
            markers++;
            continue;
        }
        size_t m = list_marker_len(s + i, n - i);
        if (!m)
            break;
        i += m;
        markers++;
    }
    if (markers > CONTENT_MD_MAX_QUOTE_PREFIX && !is_break_like(s, n))
        return err_set(err, ERR_TOOBIG, "more than %d quotes or list items nested on one line",
                       CONTENT_MD_MAX_QUOTE_PREFIX);
    return ERR_OK;
}

/*
 * Whether cmark-gfm's scan_table_start could match the line: after container markers
 * ('>' and indentation), only '|', ':', '-' and spaces, with at least one '-'. "---"
 * alone qualifies.
 */
static bool is_delimiter_like(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && in_set(s[i], " \t\v\f>"))
        i++;
    bool dash = false;
    for (; i < n; i++) {
        if (s[i] == '-')
            dash = true;
        else if (!in_set(s[i], "|: \t\v\f"))
            return false;
    }
    return dash;
}

static enum err_code scan_table(struct guard *g, const char *s, size_t n, struct err *err)
{
    size_t pos = (size_t)(s - g->base), pipes = 0;
    g->seg_walk += pos - g->seg_pipe_end;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '|') {
            pipes++;
            g->seg_pipe_end = pos + i + 1;
        }
    }
    if (pipes > g->seg_max_pipes)
        g->seg_max_pipes = pipes;
    if (is_delimiter_like(s, n)) {
        g->table_reparse += g->seg_walk + (pos - g->seg_start);
        if (pipes + 1 > g->seg_cols)
            g->seg_cols = pipes + 1;
    }
    if (!g->seg_cols)
        return ERR_OK;
    g->table_cells += g->seg_cols;
    if (g->seg_max_pipes > CONTENT_MD_MAX_TABLE_PIPES)
        return err_set(err, ERR_TOOBIG, "table with more than %d '|' on one line",
                       CONTENT_MD_MAX_TABLE_PIPES);
    if (g->table_cells > CONTENT_MD_MAX_TABLE_CELLS)
        return err_set(err, ERR_TOOBIG, "tables with more than %d cells",
                       CONTENT_MD_MAX_TABLE_CELLS);
    if (g->table_reparse > CONTENT_MD_MAX_TABLE_REPARSE)
        return err_set(err, ERR_TOOBIG, "table header after too long a paragraph");
    return ERR_OK;
}

static void scan_brackets(struct guard *g, const char *s, size_t n)
{
    size_t close = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ']') {
            close++;
            if (i + 1 < n && s[i + 1] == ':')
                g->seg_ref = true;
        } else if (s[i] == '[' && i > 0 && s[i - 1] == '!') {
            g->seg_img_openers++;
        }
    }
    g->seg_close += close;
    g->close_brackets += close;
}

static bool is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The ')' that autolink_delim() would trim one by one, recounting the link's
 * parentheses each time: those in the trailing run of punctuation and entities.
 */
static uint64_t trailing_parens(const char *w, size_t n)
{
    uint64_t parens = 0;
    size_t j = n;
    while (j > 0) {
        char c = w[j - 1];
        if (c == ')') {
            parens++;
            j--;
        } else if (in_set(c, "?!.,:*_~'\"")) {
            j--;
        } else if (c == ';') {
            size_t k = j - 1;
            while (k > 0 && is_ascii_alpha(w[k - 1]))
                k--;
            j = (k > 0 && k < j - 1 && w[k - 1] == '&') ? k - 1 : j - 1;
        } else {
            break;
        }
    }
    return parens;
}

/* cmark_isspace() less the line ends, plus '<', where autolink_delim() cuts a link */
static bool ends_url(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '<';
}

/* www. and scheme:// links run to the next white space or '<' (raw text, before entities). */
static void scan_url_words(struct guard *g, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && ends_url(s[i]))
            i++;
        size_t start = i;
        uint64_t triggers = 0;
        for (; i < n && !ends_url(s[i]); i++) {
            if (s[i] == '.' && i >= start + 3 && memcmp(s + i - 3, "www", 3) == 0)
                triggers++;
            else if (s[i] == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
                triggers++;
        }
        if (triggers)
            g->autolink_work +=
                triggers * (i - start) * (1 + trailing_parens(s + start, i - start));
    }
}

/*
 * Email links are found after inline parsing, in decoded text, so an entity ("&#64;")
 * or an escape ("\@") may become the '@' or extend the run the scan walks over.
 */
static bool in_email_run(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '@':
    case '.':
    case '_':
    case '/':
    case '-':
    case '&':
    case '#':
    case ';':
    case '\\':
        return true;
    default:
        return false;
    }
}

static void scan_email_runs(struct guard *g, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && !in_email_run(s[i]))
            i++;
        size_t start = i;
        uint64_t ats = 0;
        for (; i < n && in_email_run(s[i]); i++)
            ats += s[i] == '@' || s[i] == '&';
        g->autolink_work += ats * (i - start);
    }
}

/*
 * Every use of a reference copies its destination and title. A destination lies on one
 * line; a title runs from an unescaped '"', '\'' or '(' to the next unescaped '"', '\''
 * or ')', possibly over several lines but not past a blank one. So one use copies at
 * most the longest line plus the longest such span after a "]:" in the paragraph.
 */
static void scan_ref_titles(struct guard *g, const char *s, size_t n)
{
    size_t pos = (size_t)(s - g->base);
    if (n > g->seg_max_line)
        g->seg_max_line = n;
    bool escaped = false;
    for (size_t i = 0; i < n; i++, pos++) {
        char c = s[i];
        if (escaped || (c != '"' && c != '\'' && c != '(' && c != ')')) {
            escaped = !escaped && c == '\\';
            continue;
        }
        size_t *last = c == '"' ? &g->seg_quote[0] : c == '\'' ? &g->seg_quote[1] : &g->seg_paren;
        if (c != '(' && *last != SIZE_MAX && pos - *last > g->seg_max_title)
            g->seg_max_title = pos - *last;
        *last = c == ')' ? SIZE_MAX : pos;
    }
}

static enum err_code scan_line(struct guard *g, const char *s, size_t n, struct err *err)
{
    enum err_code rc = check_prefix(s, n, err);
    if (rc)
        return rc;
    rc = scan_table(g, s, n, err);
    if (rc)
        return rc;
    scan_brackets(g, s, n);
    if (g->seg_ref)
        scan_ref_titles(g, s, n);
    /* most lines have no trigger at all; memmem and memchr skip them at memory speed */
    if (memmem(s, n, "www.", 4) || memmem(s, n, "://", 3))
        scan_url_words(g, s, n);
    if (memchr(s, '@', n) || memchr(s, '&', n))
        scan_email_runs(g, s, n);
    if (g->autolink_work > CONTENT_MD_MAX_AUTOLINK_WORK)
        return err_set(err, ERR_TOOBIG, "too many autolink candidates in long words");
    return ERR_OK;
}

static enum err_code check_totals(const struct guard *g, struct err *err)
{
    if (g->bracket_work > CONTENT_MD_MAX_BRACKET_WORK)
        return err_set(err, ERR_TOOBIG, "too many images and links in one paragraph");
    if (g->ref_size * g->close_brackets > CONTENT_MD_MAX_REF_EXPANSION)
        return err_set(err, ERR_TOOBIG, "link reference definitions would expand too much");
    return ERR_OK;
}

enum err_code content_md_guard(struct str md, struct err *err)
{
    struct guard g = {.base = md.ptr};
    segment_start(&g, 0);
    size_t i = 0;
    while (i < md.len) {
        /* cmark ends lines at "\n", "\r\n" and a lone "\r" */
        size_t e = i;
        while (e < md.len && md.ptr[e] != '\n' && md.ptr[e] != '\r')
            e++;
        size_t next = e;
        if (next < md.len)
            next += (md.ptr[next] == '\r' && next + 1 < md.len && md.ptr[next + 1] == '\n') ? 2 : 1;
        if (is_blank_line(md.ptr + i, e - i)) {
            segment_end(&g);
            segment_start(&g, next);
        } else {
            enum err_code rc = scan_line(&g, md.ptr + i, e - i, err);
            if (rc)
                return rc;
        }
        i = next;
    }
    segment_end(&g);
    return check_totals(&g, err);
}
