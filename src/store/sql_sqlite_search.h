/* The statements of the full-text index (store/search.c); part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_SEARCH_H
#define STORE_SQL_SQLITE_SEARCH_H

/* The index (schema.c, migration 9); a reindex drops and makes it again. */
#define SQL_SEARCH_CREATE                                                                          \
    "CREATE VIRTUAL TABLE post_search USING fts5(title, excerpt, body, tags, authors, slug,"       \
    " forms, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"

/*
 * The index's row of post p (joined with its body b), in post_search's column order.
 * ?2: a tag left out of the tag names (a tag being deleted), 0 for none. Internal tags
 * ("#breaking") are never shown to readers, so they are not searchable either.
 */
#define SQL_SEARCH_ROW(skip_tag)                                                                   \
    "p.id, newsdesk_fold(p.title), newsdesk_fold(p.custom_excerpt),"                               \
    " newsdesk_fold(coalesce(b.plaintext, '')),"                                                   \
    " newsdesk_fold(coalesce((SELECT group_concat(t.name, ' ') FROM post_tags x"                   \
    " JOIN tags t ON t.id = x.tag_id WHERE x.post_id = p.id AND t.visibility = 'public'"           \
    " AND x.tag_id != " skip_tag "), '')),"                                                        \
    " newsdesk_fold(coalesce((SELECT group_concat(u.name, ' ') FROM post_authors y"                \
    " JOIN users u ON u.id = y.user_id WHERE y.post_id = p.id), '')),"                             \
    " replace(p.slug, '-', ' '),"                                                                  \
    " newsdesk_forms(p.title || ' ' || p.custom_excerpt || ' ' || coalesce(b.plaintext, ''))"      \
    " FROM posts p LEFT JOIN post_bodies b ON b.post_id = p.id"

#define SQL_SEARCH_INSERT                                                                          \
    "INSERT INTO post_search(rowid, title, excerpt, body, tags, authors, slug, forms) SELECT "

/*
 * FTS5's merging while a reindex fills the table: 16 segments of a level merged at once
 * (not 4), and a write made to merge only at 200 (not 16). Fewer, larger merges: 200,000
 * posts indexed in 45 s instead of 55. The 'optimize' at the end makes one segment of
 * all; then the defaults again, for the small writes of every day.
 */
#define SQL_SEARCH_BULK_MERGING                                                                    \
    "INSERT INTO post_search(post_search, rank) VALUES ('automerge', 16);"                         \
    "INSERT INTO post_search(post_search, rank) VALUES ('crisismerge', 200)"
#define SQL_SEARCH_DAILY_MERGING                                                                   \
    "INSERT INTO post_search(post_search, rank) VALUES ('automerge', 4);"                          \
    "INSERT INTO post_search(post_search, rank) VALUES ('crisismerge', 16)"

/* Every post at once: the migration that made the index, and a reindex. */
#define SQL_SEARCH_FILL_ALL SQL_SEARCH_INSERT SQL_SEARCH_ROW("0") " ORDER BY p.id"

/*
 * What ranks a match: bm25 with the title weighted above the excerpt above the body, the
 * tag and author names and the slug in between, the stems of word forms least (a form is
 * a weaker match than the word itself). Columns: title, excerpt, body, tags, authors,
 * slug, forms.
 */
#define SQL_SEARCH_BM25 "bm25(post_search, 10.0, 5.0, 1.0, 4.0, 4.0, 3.0, 0.5)"

/*
 * The matches of ?1 (an FTS5 expression store/search.c built) readers (or, with ?6, the
 * newsroom) may see, within the filters: ?2 tag slug, ?3 author slug ('' any), published
 * at or after ?4, before ?5 (0: no bound).
 */
#define SQL_SEARCH_FROM                                                                            \
    " FROM post_search s JOIN posts p ON p.id = s.rowid WHERE post_search MATCH ?1"                \
    " AND (?6 OR p.status = 'published')"                                                          \
    " AND (?2 = '' OR EXISTS (SELECT 1 FROM post_tags x JOIN tags t ON t.id = x.tag_id"            \
    " WHERE x.post_id = p.id AND t.slug = ?2))"                                                    \
    " AND (?3 = '' OR EXISTS (SELECT 1 FROM post_authors y JOIN users u ON u.id = y.user_id"       \
    " WHERE y.post_id = p.id AND u.slug = ?3))"                                                    \
    " AND (?4 = 0 OR p.published_at >= ?4) AND (?5 = 0 OR p.published_at < ?5)"

/*
 * The ranked page. Only the newest ?7 matches (by id, which follows creation) are
 * scored (search.c SEARCH_CANDIDATES): a common word matches most of a million posts, and scoring
 * them all costs seconds. score = relevance x lift, relevance = -bm25 (higher is better), lift = 1
 * + 1 / (1 + age / 3 days), age from ?8 (the day's start, so pages of one day agree) to
 * published_at: 2 for today's news, 1.5 at 3 days, 1.09 at a month, ~1 for the archive.
 * The newsroom (?6) ranks by relevance alone. ?9 ?10: the cursor (score, id) the page
 * continues after (?10 0: the first page); ?11 the page's size.
 */
#define SQL_SEARCH_PAGE                                                                            \
    "WITH c AS (SELECT s.rowid AS id, " SQL_SEARCH_BM25                                            \
    " AS bm, p.published_at AS pub" SQL_SEARCH_FROM " ORDER BY s.rowid DESC LIMIT ?7),"            \
    " r AS (SELECT id, -bm * CASE WHEN ?6 THEN 1.0 ELSE 1.0 + 1.0 / (1.0 +"                        \
    " max(0, ?8 - coalesce(pub, ?8)) / 259200.0) END AS score FROM c)"                             \
    " SELECT " SQL_TEASER_COLS ", r.score FROM r JOIN posts p ON p.id = r.id" SQL_PRIMARY_JOINS    \
    " WHERE ?10 = 0 OR r.score < ?9 OR (r.score = ?9 AND r.id < ?10)"                              \
    " ORDER BY r.score DESC, r.id DESC LIMIT ?11"

#define STORE_SQL_SEARCH(X)                                                                        \
    X(SEARCH_PAGE, SQL_SEARCH_PAGE)                                                                \
    /* in the index's order: without it SQLite walks every published post and probes the           \
     * index for each (270 ms for a word in 1,000 of a million posts; 3 ms with it) */             \
    X(SEARCH_COUNT,                                                                                \
      "SELECT count(*) FROM (SELECT 1" SQL_SEARCH_FROM " ORDER BY s.rowid DESC LIMIT ?7)")         \
    /* the best passage of the body (0), of the custom excerpt (1), and whether there is one */    \
    X(SEARCH_SNIPPET, "SELECT snippet(post_search, 2, char(1), char(2), '…', 24),"               \
                      " snippet(post_search, 1, char(1), char(2), '…', 24), excerpt != ''"       \
                      " FROM post_search WHERE post_search MATCH ?1 AND rowid = ?2")               \
    /* keeping the index in step: one post, the posts of a tag or of an author */                  \
    X(SEARCH_DROP, "DELETE FROM post_search WHERE rowid = ?1")                                     \
    X(SEARCH_PUT, SQL_SEARCH_INSERT SQL_SEARCH_ROW("?2") " WHERE p.id = ?1")                       \
    X(SEARCH_DROP_TAG, "DELETE FROM post_search WHERE rowid IN"                                    \
                       " (SELECT post_id FROM post_tags WHERE tag_id = ?1)")                       \
    X(SEARCH_PUT_TAG,                                                                              \
      SQL_SEARCH_INSERT SQL_SEARCH_ROW("?2") " WHERE p.id IN"                                      \
                                             " (SELECT post_id FROM post_tags WHERE tag_id = ?1)") \
    X(SEARCH_DROP_AUTHOR, "DELETE FROM post_search WHERE rowid IN"                                 \
                          " (SELECT post_id FROM post_authors WHERE user_id = ?1)")                \
    X(SEARCH_PUT_AUTHOR, SQL_SEARCH_INSERT SQL_SEARCH_ROW(                                         \
                             "0") " WHERE p.id IN"                                                 \
                                  " (SELECT post_id FROM post_authors WHERE user_id = ?1)")        \
    /* a reindex: the table made anew, then filled in slices of ids (?1, ?2] for progress */       \
    X(SEARCH_POSTS_COUNT, "SELECT count(*), coalesce(max(id), 0) FROM posts")                      \
    X(SEARCH_FILL, SQL_SEARCH_INSERT SQL_SEARCH_ROW("0") " WHERE p.id > ?1 AND p.id <= ?2")        \
    X(SEARCH_OPTIMIZE, "INSERT INTO post_search(post_search) VALUES ('optimize')")

#endif
