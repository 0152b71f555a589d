/*
 * search: what a reader types into the search box, parsed into terms the store looks up.
 *
 * The query language (README "Search"):
 *
 *     kyiv drone        both words (every word must match)
 *     "power station"   a phrase: these words, in this order
 *     -rumour           no result contains it
 *     kyi*              a word that goes on ("kyiv", "kyivan")
 *     tag:politics      only that section (a tag's slug)
 *     author:olena      only that byline (an author's slug)
 *     after:2024-02-24  published on or after that day, in the site's time zone
 *     before:2024-03-01 published before that day
 *
 * Everything else is literal text: an operator of the index's own language (AND, OR,
 * NEAR, ^, :, parentheses, a lone quote) is a word or nothing, never syntax. Parsing never
 * fails on content: unbalanced quotes close at the end, punctuation separates words,
 * invalid UTF-8 and control bytes are spaces. Only a query past SEARCH_QUERY_MAX bytes is
 * refused, with a message.
 *
 * The details (query.c): a word is a run of letters and digits of any script, with an
 * apostrophe (' ’ ʼ ‘ `) or hyphen between two of them kept in it, written ' and -; "-"
 * and the filters count only at the start of a token (after a space); quotes are " « » “
 * ” „; a '*' right after a word (or a phrase's last word, or its closing quote) makes it a
 * prefix. A filter whose value is not a slug (content_slug_valid, after folding ASCII
 * case) or a real YYYY-MM-DD day is read as words; of two filters of a kind the last
 * wins. Repeated terms count once. Every term is non-empty UTF-8 with no control byte.
 */
#ifndef SEARCH_H
#define SEARCH_H

#include "base/base.h"
#include "store/store.h"

/* Bytes of a query; longer ones are ERR_TOOBIG, "the search is longer than 500 bytes". */
#define SEARCH_QUERY_MAX 500

/* Flags of search_parse. */
enum {
    SEARCH_PREFIX_LAST = 1, /* as-you-type: a word that ends the text (no space, no punctuation
                               after it) is a prefix */
};

struct search_query {
    struct store_search_query store; /* terms, tag, author, after, before; limit and cursor 0 */
    /*
     * The query written back canonically: terms in the order typed, then the filters
     * (tag, author, after, before), single spaces, words folded to lower case (ASCII,
     * Latin, Greek, Cyrillic), every prefix spelt with its '*', never longer than
     * SEARCH_QUERY_MAX. Two queries with the same normal form find the same posts, so it
     * is the results' cache key and what the result page's box shows; parsed again
     * without flags it gives itself and the same terms. Empty (ptr not NULL) for a query
     * with nothing in it.
     */
    struct str normal;
    bool dropped; /* terms past STORE_SEARCH_TERMS_MAX (or past the normal form's length)
                     were left out: the page says so */
};

/**
 * Parses text (any bytes) with the site's time zone's day boundaries for after:/before:.
 * ERR_TOOBIG (message for readers) when text is longer than SEARCH_QUERY_MAX; otherwise
 * ERR_OK, even when nothing is left to look for (out->store.nterms 0). Results live in a.
 */
enum err_code search_parse(struct str text, unsigned flags, struct arena *a,
                           struct search_query *out, struct err *err);

#endif
