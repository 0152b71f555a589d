/*
 * The reader's query language (search.h): text in, terms and filters out, and the text
 * written back in its normal form.
 *
 * The text is first decoded into code points, with every byte of a malformed sequence,
 * every C0 and C1 control and DEL turned into a space, so nothing below ever sees a NUL,
 * the index's snippet marks (\x01, \x02) or invalid UTF-8. A query is at most
 * SEARCH_QUERY_MAX bytes, hence at most that many code points: the parser works in fixed
 * arrays on the stack and never allocates more than its results.
 *
 * Words are runs of word characters: ASCII letters and digits, and every code point from
 * U+00C0 up except the blocks of punctuation, symbols, spaces and emoji (is_word). An
 * apostrophe (' ’ ʼ ‘ `) or a hyphen (- ‐ ‑) between two word characters stays in the word,
 * written as ASCII ' and -, so "м’ясо", "мʼясо" and "м'ясо" are one term, and
 * "ex-president" is one term the index reads as the phrase "ex president". Everything else
 * separates words: the index's own operators (AND, OR, NOT, NEAR, ^, col:, parentheses, +)
 * arrive as plain words or as nothing. There is no full Unicode case table here: case is
 * folded for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic, the scripts of the
 * site's two languages and their neighbours; the index folds the rest itself.
 */
#include "search/search.h"

#include "content/content.h"

#include <string.h>

/* Past the end of the text: no character class has it. */
#define CP_NONE 0xFFFFFFFFu

struct parser {
    uint32_t cp[SEARCH_QUERY_MAX + 1];
    size_t n;
    size_t pos;
    unsigned flags;
    struct store_search_term terms[STORE_SEARCH_TERMS_MAX];
    size_t nterms;
    bool dropped;
    struct str filter[4]; /* tag, author, after, before: the value as written back */
    int64_t after, before;
    struct arena *a;
};

enum { FILTER_TAG, FILTER_AUTHOR, FILTER_AFTER, FILTER_BEFORE, FILTER_COUNT };

static const char *const filter_names[FILTER_COUNT] = {"tag", "author", "after", "before"};

/* ---- characters -------------------------------------------------------------------- */

static bool is_space(uint32_t c)
{
    return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
           c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

static bool is_quote(uint32_t c)
{
    return c == '"' || c == 0xAB || c == 0xBB || (c >= 0x201C && c <= 0x201F);
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == '`' || c == 0x2BC || c == 0x2018 || c == 0x2019;
}

static bool is_hyphen(uint32_t c)
{
    return c == '-' || c == 0x2010 || c == 0x2011;
}

/* Marks that belong to the letter before them: inside a word, never its start. */
static bool is_combining(uint32_t c)
{
    return (c >= 0x300 && c <= 0x36F) || (c >= 0x483 && c <= 0x489) ||
           (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

/* The blocks of punctuation, symbols and pictographs above Latin-1: separators. */
static bool is_symbol_block(uint32_t c)
{
    return (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x2E00 && c <= 0x2E7F) ||
           (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE00 && c <= 0xFE1F) ||
           (c >= 0xFE30 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
           (c >= 0xFF5B && c <= 0xFF65) || (c >= 0xFFF0 && c <= 0xFFFF) || c == 0xFEFF ||
           (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0xE0000 && c <= 0xE01EF);
}

/* A character a word can start with (a combining mark can only continue one). */
static bool is_word_start(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (c < 0xC0)
        return c == 0xAA || c == 0xB5 || c == 0xBA; /* ª µ º; the rest is punctuation */
    if (c == 0xD7 || c == 0xF7 || c > 0x10FFFF || is_space(c) || is_apostrophe(c) ||
        is_combining(c))
        return false;
    return !is_symbol_block(c);
}

static bool is_word(uint32_t c)
{
    return is_word_start(c) || is_combining(c);
}

static uint32_t fold_latin_ext_a(uint32_t c)
{
    if ((c <= 0x12F || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && !(c & 1))
        return c + 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && (c & 1))
        return c + 1;
    return c == 0x178 ? 0xFF : c;
}

static uint32_t fold_cyrillic(uint32_t c)
{
    if (c <= 0x40F)
        return c + 0x50;
    if (c <= 0x42F)
        return c + 0x20;
    if (c == 0x4C0)
        return 0x4CF;
    if (c >= 0x4C1 && c <= 0x4CE)
        return c & 1 ? c + 1 : c;
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F))
        return c & 1 ? c : c + 1;
    return c;
}

/* Lower case for the scripts listed at the top; identity elsewhere (and idempotent). */
static uint32_t fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 0x20;
    if (c >= 0x100 && c <= 0x17F)
        return fold_latin_ext_a(c);
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x52F)
        return fold_cyrillic(c);
    return c;
}

/* ---- input ------------------------------------------------------------------------- */

/* text's code points into p->cp, with malformed bytes and controls as spaces. */
static void decode(struct parser *p, struct str text)
{
    size_t i = 0;
    p->n = 0;
    while (i < text.len) {
        uint32_t c;
        size_t len = utf8_decode(text.ptr + i, text.len - i, &c);
        if (!len) {
            c = ' ';
            len = 1;
        }
        if (c < 0x20 || (c >= 0x7F && c < 0xA0))
            c = ' ';
        p->cp[p->n++] = c;
        i += len;
    }
    p->cp[p->n] = CP_NONE;
}

static uint32_t at(const struct parser *p, size_t i)
{
    return i < p->n ? p->cp[i] : CP_NONE;
}

/* ---- output text ------------------------------------------------------------------- */

/* A term's text as it is built; never longer than the query (folding never grows it). */
struct text {
    char b[SEARCH_QUERY_MAX + 8];
    size_t len;
};

static void text_put(struct text *t, uint32_t c)
{
    char enc[4];
    size_t len = utf8_encode(c, enc);
    if (t->len + len <= sizeof(t->b)) {
        memcpy(t->b + t->len, enc, len);
        t->len += len;
    }
}

/* ---- terms ------------------------------------------------------------------------- */

static bool term_eq(const struct store_search_term *x, const struct store_search_term *y)
{
    return x->phrase == y->phrase && x->prefix == y->prefix && x->exclude == y->exclude &&
           str_eq(x->text, y->text);
}

/* Adds a term unless it is already there; past STORE_SEARCH_TERMS_MAX, counts it dropped. */
static void term_add(struct parser *p, const struct text *t, bool phrase, bool prefix, bool exclude)
{
    if (!t->len)
        return;
    struct store_search_term term = {
        .text = {t->b, t->len}, .phrase = phrase, .prefix = prefix, .exclude = exclude};
    for (size_t i = 0; i < p->nterms; i++)
        if (term_eq(&p->terms[i], &term))
            return;
    if (p->nterms == STORE_SEARCH_TERMS_MAX) {
        p->dropped = true;
        return;
    }
    term.text = arena_str(p->a, term.text);
    p->terms[p->nterms++] = term;
}

/*
 * Reads the word at p->pos (a word start) into t, folded, and steps past it and a '*'
 * straight after it. Returns whether it is a prefix: that '*', or, with
 * SEARCH_PREFIX_LAST, the word ending the text.
 */
static bool scan_word(struct parser *p, struct text *t)
{
    while (p->pos < p->n) {
        uint32_t c = p->cp[p->pos];
        if (is_word(c)) {
            text_put(t, fold(c));
        } else if ((is_apostrophe(c) || is_hyphen(c)) && is_word_start(at(p, p->pos + 1))) {
            text_put(t, is_apostrophe(c) ? '\'' : '-');
        } else {
            break;
        }
        p->pos++;
    }
    if (at(p, p->pos) == '*') {
        p->pos++;
        return true;
    }
    return (p->flags & SEARCH_PREFIX_LAST) && p->pos == p->n;
}

static void scan_plain(struct parser *p, bool exclude)
{
    struct text t = {.len = 0};
    bool prefix = scan_word(p, &t);
    term_add(p, &t, false, prefix, exclude);
}

/*
 * A phrase from p->pos (just past its opening quote) to the next quote or the end of the
 * text: its words joined by single spaces. The last word's prefix (a '*' after it, inside
 * or after the quote) makes the phrase's. One word is a plain word.
 */
static void scan_phrase(struct parser *p, bool exclude)
{
    struct text t = {.len = 0};
    size_t words = 0;
    bool prefix = false;
    while (p->pos < p->n && !is_quote(p->cp[p->pos])) {
        if (!is_word_start(p->cp[p->pos])) {
            p->pos++;
            continue;
        }
        if (words++)
            text_put(&t, ' ');
        prefix = scan_word(p, &t);
    }
    if (p->pos < p->n) {
        p->pos++; /* the closing quote */
        if (at(p, p->pos) == '*') {
            p->pos++;
            prefix = true;
        }
    }
    term_add(p, &t, words > 1, prefix, exclude);
}

/* ---- filters ----------------------------------------------------------------------- */

/* Whether the text at i starts with name (ASCII, any case) and a colon. */
static bool keyword_at(const struct parser *p, size_t i, const char *name)
{
    for (; *name; name++, i++) {
        uint32_t c = at(p, i);
        if (c >= 0x80 || fold(c) != (uint32_t)*name)
            return false;
    }
    return at(p, i) == ':';
}

/* A filter's value: ASCII only, folded to lower case; false when anything else is in it. */
static bool filter_value(const struct parser *p, size_t from, size_t to, struct text *v)
{
    for (size_t i = from; i < to; i++) {
        if (p->cp[i] >= 0x80)
            return false;
        text_put(v, fold(p->cp[i]));
    }
    return v->len > 0;
}

/* A date filter's day: its first second in the site's time zone. */
static bool filter_day(struct str v, int64_t *out)
{
    int64_t t;
    if (v.len != 10 || !time_parse_local(v, &t))
        return false;
    *out = t;
    return true;
}

static bool filter_set(struct parser *p, int which, const struct text *v)
{
    struct str s = {v->b, v->len};
    int64_t t = 0;
    if (which <= FILTER_AUTHOR && !content_slug_valid(s))
        return false;
    if (which >= FILTER_AFTER && !filter_day(s, &t))
        return false;
    if (which == FILTER_AFTER)
        p->after = t > 0 ? t : 0;
    if (which == FILTER_BEFORE)
        p->before = t > 0 ? t : 1; /* before the epoch: nothing, not "no bound" */
    p->filter[which] = arena_str(p->a, s);
    return true;
}

/*
 * A filter at p->pos (the start of a token): name:value up to the next space. Returns
 * false, moving nothing, when it is not one (then it is read as words); a later filter of
 * the same name replaces an earlier one.
 */
static bool scan_filter(struct parser *p)
{
    for (int which = 0; which < FILTER_COUNT; which++) {
        const char *name = filter_names[which];
        if (!keyword_at(p, p->pos, name))
            continue;
        size_t from = p->pos + strlen(name) + 1, to = from;
        while (to < p->n && !is_space(p->cp[to]))
            to++;
        struct text v = {.len = 0};
        if (!filter_value(p, from, to, &v) || !filter_set(p, which, &v))
            return false;
        p->pos = to;
        return true;
    }
    return false;
}

/* ---- the query --------------------------------------------------------------------- */

static void scan(struct parser *p)
{
    while (p->pos < p->n) {
        uint32_t c = p->cp[p->pos];
        bool token_start = p->pos == 0 || is_space(p->cp[p->pos - 1]);
        if (is_space(c)) {
            p->pos++;
        } else if (token_start && scan_filter(p)) {
            continue;
        } else if (is_quote(c)) {
            p->pos++;
            scan_phrase(p, false);
        } else if (is_word_start(c)) {
            scan_plain(p, false);
        } else if (token_start && c == '-' && is_quote(at(p, p->pos + 1))) {
            p->pos += 2;
            scan_phrase(p, true);
        } else if (token_start && c == '-' && is_word_start(at(p, p->pos + 1))) {
            p->pos++;
            scan_plain(p, true);
        } else {
            p->pos++; /* punctuation, a '*' or '-' that starts nothing: nothing */
        }
    }
}

/* How many bytes term takes in the normal form, without the space before it. */
static size_t term_width(const struct store_search_term *t)
{
    return t->exclude + 2 * t->phrase + t->prefix + t->text.len;
}

static void put_term(struct buf *b, const struct store_search_term *t)
{
    if (b->len)
        buf_putc(b, ' ');
    if (t->exclude)
        buf_putc(b, '-');
    if (t->phrase)
        buf_putc(b, '"');
    buf_append_str(b, t->text);
    if (t->prefix)
        buf_putc(b, '*');
    if (t->phrase)
        buf_putc(b, '"');
}

/*
 * The normal form: the terms in the order typed, then the filters in a fixed order. A
 * term that would make it longer than SEARCH_QUERY_MAX (a closing quote and a '*' can
 * add bytes to a query near the limit) is dropped with those after it, so the normal
 * form always parses again, to itself.
 */
static struct str normal_form(struct parser *p)
{
    size_t filters = 0;
    for (int i = 0; i < FILTER_COUNT; i++)
        if (p->filter[i].len)
            filters += 1 + strlen(filter_names[i]) + 1 + p->filter[i].len;
    struct buf b;
    buf_init(&b, SEARCH_QUERY_MAX);
    for (size_t i = 0; i < p->nterms; i++) {
        if (b.len + (b.len > 0) + term_width(&p->terms[i]) + filters > SEARCH_QUERY_MAX) {
            p->nterms = i;
            p->dropped = true;
            break;
        }
        put_term(&b, &p->terms[i]);
    }
    for (int i = 0; i < FILTER_COUNT; i++)
        if (p->filter[i].len)
            buf_printf(&b, "%s%s:%.*s", b.len ? " " : "", filter_names[i], (int)p->filter[i].len,
                       p->filter[i].ptr);
    struct str out = arena_str(p->a, buf_str(&b));
    buf_release(&b);
    return out;
}

enum err_code search_parse(struct str text, unsigned flags, struct arena *a,
                           struct search_query *out, struct err *err)
{
    *out = (struct search_query){.normal = {"", 0}};
    if (text.len > SEARCH_QUERY_MAX)
        return err_set(err, ERR_TOOBIG, "the search is longer than %d bytes", SEARCH_QUERY_MAX);
    struct parser *p = arena_calloc(a, 1, sizeof(*p));
    p->flags = flags;
    p->a = a;
    decode(p, text);
    scan(p);
    out->normal = normal_form(p);
    struct store_search_term *terms = arena_calloc(a, p->nterms + 1, sizeof(*terms));
    memcpy(terms, p->terms, p->nterms * sizeof(*terms));
    out->store = (struct store_search_query){.terms = terms,
                                             .nterms = p->nterms,
                                             .tag = p->filter[FILTER_TAG],
                                             .author = p->filter[FILTER_AUTHOR],
                                             .after = p->after,
                                             .before = p->before};
    out->dropped = p->dropped;
    return ERR_OK;
}
