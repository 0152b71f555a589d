/*
 * The full-text index (store.h "full-text search"): keeping post_search in step with the
 * posts, the text it stores, the FTS5 expression a query becomes, and the ranked page.
 *
 * A reader's terms are plain text. They reach FTS5 only inside strings this file quotes
 * ("text" with every " doubled), joined by fixed operators (AND, OR, NOT, the forms
 * column filter, the prefix star), and the whole expression is bound as one parameter to
 * MATCH: no byte of a query is ever FTS5 syntax or SQL.
 *
 * Ukrainian. unicode61 splits words at ' and ’ but keeps ʼ (U+02BC, a letter), so the
 * indexed text and every query term have an apostrophe between two Cyrillic letters made
 * ʼ (store_search_fold): м'ясо, м’ясо and мʼясо are the same word, while English
 * "people's" still splits as before. Word forms (Київ, Києва, Києві) go through a light
 * stemmer (forms_stem): the "forms" column holds the stem of every Cyrillic word, and a
 * Cyrillic query word also matches its stem there. The stemmer folds й ї є ґ ё to и і е
 * г е (unicode61 removes Latin diacritics only), strips one case ending (з ц с before
 * a stripped і going back to г к х), and makes the last і/о/е of the stem е, the vowel
 * alternation of Ukrainian nouns (Київ/Києва, Львів/Львова, ніч/ночі). README "How the index reads
 * English and Ukrainian" has its measured recall.
 */
#include "store/store_int.h"

#include <string.h>
#include <time.h>

/* ---- the indexed text ------------------------------------------------------------ */

static bool is_cyrillic(uint32_t c)
{
    return (c >= 0x0400 && c <= 0x0481) || (c >= 0x048A && c <= 0x04FF);
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == '`' || c == 0x2019 || c == 0x2018 || c == 0x02BC || c == 0x02B9;
}

/* The code point at p[i..n) into *c; a malformed byte is itself (U+FFFD), one byte long. */
static size_t next_cp(const char *p, size_t n, size_t i, uint32_t *c)
{
    size_t len = utf8_decode(p + i, n - i, c);
    return len ? len : 1;
}

static void put_cp(struct buf *out, uint32_t c)
{
    char enc[4];
    size_t len = utf8_encode(c, enc);
    buf_append(out, enc, len);
}

void store_search_fold(const char *p, size_t n, struct buf *out)
{
    uint32_t prev = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t len = next_cp(p, n, i, &c);
        if (is_apostrophe(c) && is_cyrillic(prev) && i + len < n) {
            uint32_t after;
            next_cp(p, n, i + len, &after);
            if (is_cyrillic(after)) {
                put_cp(out, 0x02BC);
                prev = c;
                i += len;
                continue;
            }
        }
        if (p[i] == STORE_SEARCH_MARK_OPEN || p[i] == STORE_SEARCH_MARK_CLOSE)
            buf_putc(out, ' ');
        else
            buf_append(out, p + i, len);
        prev = c;
        i += len;
    }
}

/* Lower case and without the marks the stemmer ignores: й ї є ґ ё become и і е г е. */
static uint32_t forms_fold(uint32_t c)
{
    if (c >= 0x0410 && c <= 0x042F)
        c += 0x20;
    else if (c >= 0x0400 && c <= 0x040F)
        c += 0x50;
    else if (c >= 0x0460 && c <= 0x04FF && !(c & 1))
        c += 1;
    switch (c) {
    case 0x0439: /* й */
        return 0x0438;
    case 0x0457: /* ї */
        return 0x0456;
    case 0x0454: /* є */
    case 0x0451: /* ё */
        return 0x0435;
    case 0x0491: /* ґ */
        return 0x0433;
    default:
        return c;
    }
}

static bool is_vowel(uint32_t c)
{
    static const uint32_t v[] = {0x0430, 0x0435, 0x0438, 0x0456, 0x043E, 0x0443, 0x044F, 0x044E};
    for (size_t i = 0; i < ARRAY_LEN(v); i++)
        if (v[i] == c)
            return true;
    return false;
}

/* Case endings of nouns and adjectives, folded as forms_fold does, longest first. */
/*
 * Not "ів" nor "ові": Львів, Харків end in "ів" in the nominative, and Львові is Львов + і
 * (stripping them cost 4 of 40 forms in the recall set; the genitive plural "виборів"
 * is the one form lost instead).
 */
static const char *const forms_endings[] = {
    "ами", "ями", "ого", "ому", "ими", "ах", "ях", "ом", "ем", "ою", "ею", "еи", "ии",
    "оі",  "их",  "им",  "іи",  "а",   "я",  "у",  "ю",  "і",  "и",  "е",  "о",  "ь",
};

/* з ц с before the dative's і were г к х (дорога, дорозі; рука, руці; вухо, вусі). */
static uint32_t forms_unpalatalise(uint32_t c)
{
    switch (c) {
    case 0x0437: /* з */
        return 0x0433;
    case 0x0446: /* ц */
        return 0x043A;
    case 0x0441: /* с */
        return 0x0445;
    default:
        return c;
    }
}

/* Code points of a NUL-terminated UTF-8 ending into e; how many. */
static size_t ending_cps(const char *s, uint32_t e[4])
{
    size_t k = 0, n = strlen(s);
    for (size_t i = 0; i < n && k < 4;)
        i += next_cp(s, n, i, &e[k++]);
    return k;
}

/*
 * The stem of word w (len folded code points, len > 0): one ending off while 3 letters
 * are left, then the last vowel, if і, о or е, made е. Returns the stem's length.
 */
static size_t forms_stem(uint32_t *w, size_t len)
{
    for (size_t i = 0; i < ARRAY_LEN(forms_endings); i++) {
        uint32_t e[4];
        size_t k = ending_cps(forms_endings[i], e);
        if (len < k + 3 || memcmp(w + len - k, e, k * sizeof(*e)) != 0)
            continue;
        len -= k;
        if (k == 1 && e[0] == 0x0456)
            w[len - 1] = forms_unpalatalise(w[len - 1]);
        break;
    }
    /* a doubled last consonant is one (ніччю, ніч) */
    if (len > 3 && w[len - 1] == w[len - 2] && !is_vowel(w[len - 1]))
        len--;
    for (size_t i = len; i-- > 1;) {
        if (!is_vowel(w[i]))
            continue;
        if (w[i] == 0x0456 || w[i] == 0x043E)
            w[i] = 0x0435;
        break;
    }
    return len;
}

/* Words longer than this are not stemmed (no Ukrainian word is; a run of letters may be). */
#define FORMS_WORD_MAX 48

static void forms_flush(uint32_t *w, size_t len, struct buf *out)
{
    if (!len || len > FORMS_WORD_MAX)
        return;
    len = forms_stem(w, len);
    for (size_t i = 0; i < len; i++)
        put_cp(out, w[i]);
    buf_putc(out, ' ');
}

void store_search_forms(const char *p, size_t n, struct buf *out)
{
    uint32_t w[FORMS_WORD_MAX + 1];
    size_t len = 0;
    bool in_word = false;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += next_cp(p, n, i, &c);
        if (is_cyrillic(c)) {
            if (len <= FORMS_WORD_MAX)
                w[len] = forms_fold(c);
            len++;
            in_word = true;
        } else if (!(in_word && is_apostrophe(c))) {
            forms_flush(w, len, out);
            len = 0;
            in_word = false;
        }
    }
    forms_flush(w, len, out);
}

/* ---- keeping the index in step ---------------------------------------------------- */

void store_search_pause(struct store *st, bool paused)
{
    st->search_paused = paused;
}

static enum err_code run_id(struct store *st, enum store_stmt stmt, int64_t id, int64_t skip,
                            struct err *err)
{
    if (st->search_paused)
        return ERR_OK;
    struct store_q q;
    store_q_open(st, stmt, &q, err);
    store_bind_i64(&q, 1, id);
    if (skip >= 0)
        store_bind_i64(&q, 2, skip);
    return store_q_exec(&q, NULL, "cannot update the search index", err);
}

enum err_code store_search_drop(struct store *st, int64_t id, struct err *err)
{
    return run_id(st, STMT_SEARCH_DROP, id, -1, err);
}

enum err_code store_search_put(struct store *st, int64_t id, struct err *err)
{
    enum err_code rc = run_id(st, STMT_SEARCH_DROP, id, -1, err);
    return rc ? rc : run_id(st, STMT_SEARCH_PUT, id, 0, err);
}

enum err_code store_search_put_tag(struct store *st, int64_t id, bool gone, struct err *err)
{
    enum err_code rc = run_id(st, STMT_SEARCH_DROP_TAG, id, -1, err);
    return rc ? rc : run_id(st, STMT_SEARCH_PUT_TAG, id, gone ? id : 0, err);
}

enum err_code store_search_put_author(struct store *st, int64_t id, struct err *err)
{
    enum err_code rc = run_id(st, STMT_SEARCH_DROP_AUTHOR, id, -1, err);
    return rc ? rc : run_id(st, STMT_SEARCH_PUT_AUTHOR, id, -1, err);
}

/* Posts a reindex writes between two progress calls (and between two slices' SQL). */
#define SEARCH_REINDEX_SLICE 5000

static enum err_code reindex_fill(struct store *st, store_progress_fn progress, void *ctx,
                                  struct err *err)
{
    struct store_q q;
    store_q_open(st, STMT_SEARCH_POSTS_COUNT, &q, err);
    int64_t total = 0, max_id = 0;
    if (store_q_next(&q)) {
        total = store_col_i64(&q, 0);
        max_id = store_col_i64(&q, 1);
    }
    enum err_code rc = store_q_end(&q, "cannot count posts", err);
    int64_t done = 0;
    for (int64_t from = 0; !rc && from < max_id; from += SEARCH_REINDEX_SLICE) {
        store_q_open(st, STMT_SEARCH_FILL, &q, err);
        store_bind_i64(&q, 1, from);
        store_bind_i64(&q, 2, from + SEARCH_REINDEX_SLICE);
        int64_t changed = 0;
        rc = store_q_exec(&q, &changed, "cannot index posts", err);
        done += changed;
        if (!rc && progress)
            progress(done, total, ctx);
    }
    return rc;
}

enum err_code store_search_reindex(struct store *st, store_progress_fn progress, void *ctx,
                                   struct err *err)
{
    const struct store_scripts *sc = st->drv->scripts;
    enum err_code rc = store_script(st, sc->reindex_start, err);
    if (!rc)
        rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_script(st, sc->reindex_create, err);
    if (!rc)
        rc = store_script(st, sc->reindex_fill, err);
    if (!rc)
        rc = reindex_fill(st, progress, ctx, err);
    if (!rc) {
        struct store_q q;
        store_q_open(st, STMT_SEARCH_OPTIMIZE, &q, err);
        rc = store_q_exec(&q, NULL, "cannot optimise the search index", err);
    }
    if (!rc)
        rc = store_script(st, sc->reindex_done, err);
    rc = store_tx_end(st, rc, err);
    struct err ignored = {0};
    store_script(st, sc->reindex_end, &ignored);
    return rc;
}

/* ---- the query ------------------------------------------------------------------ */

/*
 * Whether the tokenizer finds a word in text: a letter or digit, ASCII or not. Only
 * ASCII and the common punctuation blocks are known to be separators; anything else
 * might be a letter. An FTS5 string without a word ("", "—") matches nothing, which for
 * a term every result must contain would empty the results.
 */
static bool has_word(struct str t)
{
    for (size_t i = 0; i < t.len;) {
        uint32_t c;
        i += next_cp(t.ptr, t.len, i, &c);
        bool ascii_word = c < 0x80 && ((c | 0x20) - 'a' < 26 || c - '0' < 10);
        bool punct = c < 0xC0 || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
                     (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF0F);
        if (ascii_word || (c >= 0x80 && !punct) || c == 0xAA || c == 0xB5 || c == 0xBA)
            return true;
    }
    return false;
}

static bool has_cyrillic(struct str t)
{
    for (size_t i = 0; i < t.len;) {
        uint32_t c;
        i += next_cp(t.ptr, t.len, i, &c);
        if (is_cyrillic(c))
            return true;
    }
    return false;
}

/* Code points of the last run of word characters (ASCII letters and digits, or non-ASCII). */
static size_t last_word_len(struct str t)
{
    size_t n = 0;
    for (size_t i = 0; i < t.len;) {
        uint32_t c;
        i += next_cp(t.ptr, t.len, i, &c);
        bool word = c >= 0x80 || (c | 0x20) - 'a' < 26 || c - '0' < 10;
        n = word ? n + 1 : 0;
    }
    return n;
}

/* text as an FTS5 string: folded as the index is, in quotes, every " doubled. */
static void put_string(struct buf *out, const char *p, size_t n)
{
    struct buf folded;
    buf_init(&folded, 4 * n + 16);
    store_search_fold(p, n, &folded);
    buf_putc(out, '"');
    for (size_t i = 0; i < folded.len; i++) {
        if (folded.ptr[i] == '"')
            buf_putc(out, '"');
        /* a NUL would end the expression where SQLite reads it as a C string */
        buf_putc(out, folded.ptr[i] ? folded.ptr[i] : ' ');
    }
    buf_putc(out, '"');
    buf_release(&folded);
}

/*
 * How a dialect writes the expression of a query: each term's text quoted by string(), a
 * prefix marked, a Cyrillic word (not a phrase nor a prefix) given its stems in the forms
 * column as an alternative, terms joined and excluded ones negated. FTS5 (SQLite):
 * "text" *, ("word" OR forms : "stem"), AND, NOT. tsquery (PostgreSQL, to_tsquery
 * ('newsdesk', ...)): 'text':*, ('word' | 'stem':D) (the forms column has weight D,
 * schema_pg.c), &, & !.
 */
struct match_form {
    void (*string)(struct buf *out, const char *p, size_t n);
    const char *prefix;                     /* after a prefix term's text */
    const char *forms_before, *forms_after; /* around the stems */
    const char *and_, *not_;                /* between terms; before an excluded one */
};

/*
 * PostgreSQL's quoted lexeme: '...', ' doubled and \ escaped, folded as the index is (a
 * quote of several words becomes a phrase, <->, by itself).
 */
static void put_lexeme(struct buf *out, const char *p, size_t n)
{
    struct buf folded;
    buf_init(&folded, 4 * n + 16);
    store_search_fold(p, n, &folded);
    buf_putc(out, '\'');
    for (size_t i = 0; i < folded.len; i++) {
        char c = folded.ptr[i] ? folded.ptr[i] : ' ';
        if (c == '\'' || c == '\\')
            buf_putc(out, c);
        buf_putc(out, c);
    }
    buf_putc(out, '\'');
    buf_release(&folded);
}

static void put_term(struct buf *out, const struct match_form *f, const struct store_search_term *t)
{
    bool forms = !t->phrase && !t->prefix && !t->exclude && has_cyrillic(t->text);
    if (forms)
        buf_putc(out, '(');
    f->string(out, t->text.ptr, t->text.len);
    /*
     * The index keeps prefixes of 2 and 3 characters; a one-character prefix would walk
     * every word that starts with it (tens of thousands at a million posts): it is a word.
     */
    if (t->prefix && last_word_len(t->text) >= 2)
        buf_puts(out, f->prefix);
    if (!forms)
        return;
    struct buf stems;
    buf_init(&stems, 4 * t->text.len + 16);
    store_search_forms(t->text.ptr, t->text.len, &stems);
    if (stems.len) {
        buf_puts(out, f->forms_before);
        f->string(out, stems.ptr, stems.len);
        buf_puts(out, f->forms_after);
    }
    buf_putc(out, ')');
    buf_release(&stems);
}

static bool put_match(const struct store_search_query *q, const struct match_form *f,
                      struct buf *out)
{
    size_t positive = 0;
    for (size_t i = 0; i < q->nterms; i++) {
        const struct store_search_term *t = &q->terms[i];
        if (t->exclude || !has_word(t->text))
            continue;
        if (positive++)
            buf_puts(out, f->and_);
        put_term(out, f, t);
    }
    if (!positive)
        return false;
    for (size_t i = 0; i < q->nterms; i++) {
        const struct store_search_term *t = &q->terms[i];
        if (!t->exclude || !has_word(t->text))
            continue;
        buf_puts(out, f->not_);
        put_term(out, f, t);
    }
    return true;
}

bool store_search_match(const struct store_search_query *q, struct buf *out)
{
    static const struct match_form fts5 = {put_string, " *", " OR forms : ", "", " AND ", " NOT "};
    return put_match(q, &fts5, out);
}

bool store_search_tsquery(const struct store_search_query *q, struct buf *out)
{
    static const struct match_form ts = {put_lexeme, ":*", " | ", ":D", " & ", " & !"};
    return put_match(q, &ts, out);
}

/*
 * How many of the newest matches are ranked: a common word matches most of a million
 * posts, and scoring each one costs a few microseconds, so past this the newest are
 * ranked and the rest are not reached (pages end there; the count goes on to
 * STORE_SEARCH_COUNT_MAX). Measured at a million posts: two common words took 29-33 ms
 * at p99 with 1,000 candidates, 18-21 ms with 500.
 */
#define SEARCH_CANDIDATES 500

/* ?1..?7, shared by the count and the page. */
static void bind_filters(struct store_q *s, const struct store_search_query *q, struct str match)
{
    store_bind_str(s, 1, match);
    store_bind_str(s, 2, q->tag);
    store_bind_str(s, 3, q->author);
    store_bind_i64(s, 4, q->after);
    store_bind_i64(s, 5, q->before);
    store_bind_i64(s, 6, q->staff);
}

static enum err_code count_matches(struct store *st, const struct store_search_query *q,
                                   struct str match, int64_t *total, bool *more, struct err *err)
{
    struct store_q s;
    store_q_open(st, STMT_SEARCH_COUNT, &s, err);
    bind_filters(&s, q, match);
    store_bind_i64(&s, 7, STORE_SEARCH_COUNT_MAX + 1);
    int64_t n = 0;
    enum err_code rc = store_q_i64(&s, &n, "cannot count search results", err);
    *more = n > STORE_SEARCH_COUNT_MAX;
    *total = *more ? STORE_SEARCH_COUNT_MAX : n;
    return rc;
}

/* SQL_TEASER_COLS (0..22), then the score (23). */
static void read_hit(const struct store_q *q, struct arena *a, void *row)
{
    struct store_search_hit *h = row;
    memset(h, 0, sizeof(*h));
    store_read_listed(q, a, &h->post);
    h->at.id = h->post.id;
    h->at.score = store_col_double(q, 23);
}

static enum err_code read_page(struct store *st, const struct store_search_query *q,
                               struct str match, struct arena *a, struct store_search_hit **out,
                               size_t *n, struct err *err)
{
    struct store_q s;
    store_q_open(st, STMT_SEARCH_PAGE, &s, err);
    bind_filters(&s, q, match);
    store_bind_i64(&s, 7, SEARCH_CANDIDATES);
    int64_t now = (int64_t)time(NULL);
    store_bind_i64(&s, 8, now - now % 86400);
    store_bind_double(&s, 9, q->cursor ? q->cursor->score : 0);
    store_bind_i64(&s, 10, q->cursor ? q->cursor->id : 0);
    store_bind_i64(&s, 11, q->limit);
    void *v = NULL;
    enum err_code rc = store_q_rows(&s, sizeof(struct store_search_hit), (size_t)q->limit,
                                    STORE_ROW_FN(read_hit), a, &v, n, err);
    *out = v;
    return rc;
}

/* Whether text has a marked match. */
static bool has_mark(struct str s)
{
    return s.len && memchr(s.ptr, STORE_SEARCH_MARK_OPEN, s.len) != NULL;
}

/*
 * The hit's snippet: the best passage of the body when a term matched there, else of the
 * custom excerpt when it has one, else the start of the body.
 */
static enum err_code read_snippet(struct store *st, struct str match, struct store_search_hit *h,
                                  struct arena *a, struct err *err)
{
    struct store_q s;
    store_q_open(st, STMT_SEARCH_SNIPPET, &s, err);
    store_bind_str(&s, 1, match);
    store_bind_i64(&s, 2, h->post.id);
    if (store_q_next(&s)) {
        struct str body = store_col_str(&s, 0, a);
        struct str excerpt = store_col_str(&s, 1, a);
        bool use_excerpt = !has_mark(body) && store_col_bool(&s, 2);
        h->snippet = use_excerpt ? excerpt : body;
    }
    return store_q_end(&s, "cannot read a search snippet", err);
}

enum err_code store_search(struct store *st, const struct store_search_query *q, struct arena *a,
                           struct store_search_hit **out, size_t *n, int64_t *total, bool *more,
                           struct err *err)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    *more = false;
    if (q->limit < 1 || q->limit > STORE_SEARCH_LIMIT_MAX || q->nterms > STORE_SEARCH_TERMS_MAX)
        return err_set(err, ERR_INVALID, "a search asks for 1 to %d results of at most %d terms",
                       STORE_SEARCH_LIMIT_MAX, STORE_SEARCH_TERMS_MAX);
    struct buf expr;
    buf_init(&expr, 256 * 1024);
    enum err_code rc = ERR_OK;
    if (!st->drv->search_match(q, &expr))
        goto out;
    struct str match = buf_str(&expr);
    rc = count_matches(st, q, match, total, more, err);
    if (!rc && *total)
        rc = read_page(st, q, match, a, out, n, err);
    for (size_t i = 0; !rc && i < *n; i++)
        rc = read_snippet(st, match, &(*out)[i], a, err);
out:
    buf_release(&expr);
    return rc;
}
