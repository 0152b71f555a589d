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
 */
#ifndef SEARCH_H
#define SEARCH_H

#include "base/base.h"
#include "store/store.h"

/* Bytes of a query; longer ones are ERR_TOOBIG, "the search is longer than 500 bytes". */
#define SEARCH_QUERY_MAX 500

/* Flags of search_parse. */
enum {
    SEARCH_PREFIX_LAST =
        1, /* as-you-type: the last word, unless followed by a space, is a prefix */
};

struct search_query {
    struct store_search_query store; /* terms, tag, author, after, before; limit and cursor 0 */
    /*
     * The query written back canonically: terms then filters, single spaces, words folded
     * to lower case. Two queries with the same normal form find the same posts, so it is
     * the results' cache key and what the result page's box shows. Empty for an empty
     * query.
     */
    struct str normal;
    bool dropped; /* terms past STORE_SEARCH_TERMS_MAX were left out: the page says so */
};

/**
 * Parses text (any bytes) with the site's time zone's day boundaries for after:/before:.
 * ERR_TOOBIG (message for readers) when text is longer than SEARCH_QUERY_MAX; otherwise
 * ERR_OK, even when nothing is left to look for (out->store.nterms 0). Results live in a.
 */
enum err_code search_parse(struct str text, unsigned flags, struct arena *a,
                           struct search_query *out, struct err *err);

#endif
