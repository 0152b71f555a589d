/*
 * The PostgreSQL dialect: the differences between the two dialects, in one place.
 *
 * Every named statement's PostgreSQL text is its SQLite text (STORE_SQL, sql_sqlite.h)
 * with the placeholders renumbered (store_pg_rewrite, pg_sql.c: ?N is $N, the k-th bare ?
 * is $k). A statement whose SQLite text does not mean the same on PostgreSQL after that
 * has its own text here: STORE_SQL_PG(X) calls X(NAME, "text") with the name STORE_SQL
 * gives it; the text may use $N. The driver takes a statement's text from here when it
 * has one, else from STORE_SQL. Fragments of SQL assembled at run time (api.c's filters,
 * the search index's scripts) that differ are SQL_PG_<the SQLite name>.
 *
 * Parameters reach PostgreSQL as text with no type: the server infers each from where it
 * first appears, so a parameter only compared with a literal number or used as a truth
 * value gets a cast here ($2::bigint), which also keeps a 64-bit value from being read as
 * a 32-bit integer. tools/pg-check.sh prepares every statement against the schema of
 * schema_pg.c and lists any parameter still typed integer (32-bit).
 */
#ifndef STORE_SQL_PG_H
#define STORE_SQL_PG_H

/*
 * The full-text index (SQLite: an FTS5 table, sql_sqlite_search.h). The same columns,
 * with the texts folded as SQLite's are (newsdesk_fold, schema_pg.c), and doc, their
 * tsvector, generated: title weight A, the excerpt, tag and author names and slug B, the
 * body C, the stems of word forms D. ts_rank's weights {D, C, B, A} below keep bm25's
 * order (title 10, excerpt 5, names 4, slug 3, body 1, forms 0.5). The parser is
 * 'simple' (no stemming, no stop words: the forms column is our stemmer), under the
 * configuration newsdesk (schema_pg.c), so that a later migration can add unaccent (SQLite removes
 * Latin diacritics; this does not yet) without touching a statement.
 */
#define SQL_PG_SEARCH_DOC(c)                                                                       \
    "setweight(to_tsvector('newsdesk', " c "title), 'A')"                                          \
    " || setweight(to_tsvector('newsdesk', " c "excerpt), 'B')"                                    \
    " || setweight(to_tsvector('newsdesk', " c "body), 'C')"                                       \
    " || setweight(to_tsvector('newsdesk', " c "tags), 'B')"                                       \
    " || setweight(to_tsvector('newsdesk', " c "authors), 'B')"                                    \
    " || setweight(to_tsvector('newsdesk', " c "slug), 'B')"                                       \
    " || setweight(to_tsvector('newsdesk', " c "forms), 'D')"
/* The table and its index: the schema, and a reindex (after DROP TABLE post_search). */
#define SQL_PG_SEARCH_CREATE                                                                       \
    "CREATE TABLE post_search ("                                                                   \
    "  post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"                         \
    "  title TEXT NOT NULL, excerpt TEXT NOT NULL, body TEXT NOT NULL, tags TEXT NOT NULL,"        \
    "  authors TEXT NOT NULL, slug TEXT NOT NULL, forms TEXT NOT NULL,"                            \
    "  doc tsvector GENERATED ALWAYS AS (" SQL_PG_SEARCH_DOC(                                      \
        "") ") STORED"                                                                             \
            ");"                                                                                   \
            "CREATE INDEX post_search_doc ON post_search USING gin (doc)"

/* ---- fragments the overrides share ------------------------------------------------ */

/* SQLite's two-argument max() is PostgreSQL's greatest() */
#define SQL_PG_SITEMAP_COLS "SELECT slug, title, greatest(updated_at, published_at), published_at"

/* The editor's list (SQL_ADMIN_WHERE): ?4 is a tsquery text, matched against the index. */
#define SQL_PG_ADMIN_WHERE                                                                         \
    " WHERE ($1::text IS NULL OR p.status = $1)"                                                   \
    " AND ($2::bigint = 0 OR EXISTS (SELECT 1 FROM post_authors x WHERE x.post_id = p.id"          \
    "  AND x.user_id = $2))"                                                                       \
    " AND ($3::bigint = 0 OR EXISTS (SELECT 1 FROM post_tags x WHERE x.post_id = p.id"             \
    "  AND x.tag_id = $3))"                                                                        \
    " AND ($4::text IS NULL OR p.id IN (SELECT post_id FROM post_search"                           \
    "  WHERE doc @@ to_tsquery('newsdesk', $4)))"                                                  \
    " AND ($7 = '' OR EXISTS (SELECT 1 FROM post_tags x JOIN tags t ON t.id = x.tag_id"            \
    "  WHERE x.post_id = p.id AND t.slug = $7))"                                                   \
    " AND ($8 = '' OR EXISTS (SELECT 1 FROM post_authors y JOIN users u ON u.id = y.user_id"       \
    "  WHERE y.post_id = p.id AND u.slug = $8))"                                                   \
    " AND ($9::bigint = 0 OR p.published_at >= $9) AND ($10::bigint = 0 OR p.published_at < $10)"

/*
 * A parameter the caller binds that the text does not use: SQLite reads an unused ?1 as
 * nothing, PostgreSQL cannot type it and refuses the statement. This names it, typed,
 * in a test the planner folds away (x OR true is true).
 */
#define SQL_PG_UNUSED(n) " AND (" n "::text IS NULL OR true)"

/* The whole feed's ids (SQL_IDS_ALL): ?1 (the tag or author of the other lists) unused */
#define SQL_PG_IDS_ALL                                                                             \
    "SELECT id FROM posts WHERE status = 'published' AND type = 'post' AND id != "                 \
    "$2" SQL_PG_UNUSED("$1")

/* The inbox's filters (SQL_TIPS_WHERE): ?1 and ?3 are small numbers, typed here */
#define SQL_PG_TIPS_WHERE                                                                          \
    " WHERE ($1::bigint = 0 OR ($1 = 1 AND t.assigned_to = $2) OR ($1 = 2 AND t.assigned_to IS "   \
    "NULL))"                                                                                       \
    " AND ($3::bigint = 0 OR ($3 = 1 AND t.read_at IS NULL) OR ($3 = 2 AND t.handled_at IS NULL)"  \
    " OR ($3 = 3 AND t.handled_at IS NOT NULL))"

#define SQL_PG_ORDER_ALL " ORDER BY published_at DESC, id DESC LIMIT $3"

/*
 * The importer's staging tables. SQLite attaches a private temporary database; here they
 * are temporary tables (pg_temp: the session's own schema, gone when it ends), so two
 * imports never meet. PostgreSQL looks up an unqualified name in pg_temp first, so each
 * is named stg_ (a temporary "posts" would hide the site's), and the statements name
 * pg_temp.stg_x where SQLite's name staging.x.
 */
#define SQL_PG_IMPORT_STAGING_CREATE                                                               \
    "CREATE TABLE pg_temp.stg_site(k TEXT PRIMARY KEY, v TEXT NOT NULL);"                          \
    "CREATE TABLE pg_temp.stg_users(seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"      \
    "  id TEXT NOT NULL UNIQUE, ghost_id TEXT, slug TEXT, name TEXT, email TEXT, bio TEXT,"        \
    "  avatar TEXT, website TEXT, location TEXT, role TEXT);"                                      \
    "CREATE TABLE pg_temp.stg_tags(seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"       \
    "  id TEXT NOT NULL UNIQUE, ghost_id TEXT, slug TEXT, name TEXT, description TEXT,"            \
    "  internal BIGINT);"                                                                          \
    "CREATE TABLE pg_temp.stg_posts(seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"      \
    "  id TEXT NOT NULL UNIQUE, ghost_id TEXT, uuid TEXT, slug TEXT, title TEXT,"                  \
    "  body_kind BIGINT, body TEXT, custom_excerpt TEXT, feature_image TEXT,"                      \
    "  feature_image_attachment TEXT, status BIGINT, page BIGINT, featured BIGINT,"                \
    "  created_at BIGINT, updated_at BIGINT, published_at BIGINT, old_path TEXT);"                 \
    "CREATE TABLE pg_temp.stg_post_tags(seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"  \
    "  post_id TEXT, other TEXT, ord BIGINT);"                                                     \
    "CREATE INDEX stg_post_tags_post ON pg_temp.stg_post_tags(post_id, ord, seq);"                 \
    "CREATE TABLE pg_temp.stg_post_authors(seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY "   \
    "KEY,"                                                                                         \
    "  post_id TEXT, other TEXT, ord BIGINT);"                                                     \
    "CREATE INDEX stg_post_authors_post ON pg_temp.stg_post_authors(post_id, ord, seq);"           \
    "CREATE TABLE pg_temp.stg_post_meta(post_id TEXT PRIMARY KEY, alt TEXT, caption TEXT,"         \
    "  meta_title TEXT, meta_description TEXT, og_image TEXT, og_title TEXT, og_description TEXT," \
    "  twitter_image TEXT, twitter_title TEXT, twitter_description TEXT, canonical_url TEXT);"     \
    "CREATE TABLE pg_temp.stg_attachments(id TEXT PRIMARY KEY, url TEXT, file TEXT, alt TEXT,"     \
    "  caption TEXT, title TEXT);"                                                                 \
    "CREATE TABLE pg_temp.stg_redirects(from_path TEXT PRIMARY KEY, kind BIGINT, id TEXT);"        \
    "CREATE TABLE pg_temp.stg_media(url TEXT PRIMARY KEY, local TEXT NOT NULL)"

/* a staged meta row's update, as SQLite's SQL_STG_META_UPDATE: the existing row's columns
 * named through the table's alias, m */
#define SQL_PG_STG_META_UPDATE_ALL                                                                 \
    "alt = CASE WHEN EXCLUDED.alt <> '' THEN EXCLUDED.alt ELSE m.alt END, "                        \
    "caption = CASE WHEN EXCLUDED.caption <> '' THEN EXCLUDED.caption ELSE m.caption END, "        \
    "meta_title = CASE WHEN EXCLUDED.meta_title <> '' THEN EXCLUDED.meta_title ELSE m.meta_title " \
    "END, "                                                                                        \
    "meta_description = CASE WHEN EXCLUDED.meta_description <> '' THEN EXCLUDED.meta_description " \
    "ELSE m.meta_description END, "                                                                \
    "og_image = CASE WHEN EXCLUDED.og_image <> '' THEN EXCLUDED.og_image ELSE m.og_image END, "    \
    "og_title = CASE WHEN EXCLUDED.og_title <> '' THEN EXCLUDED.og_title ELSE m.og_title END, "    \
    "og_description = CASE WHEN EXCLUDED.og_description <> '' THEN EXCLUDED.og_description ELSE "  \
    "m.og_description END, "                                                                       \
    "twitter_image = CASE WHEN EXCLUDED.twitter_image <> '' THEN EXCLUDED.twitter_image ELSE "     \
    "m.twitter_image END, "                                                                        \
    "twitter_title = CASE WHEN EXCLUDED.twitter_title <> '' THEN EXCLUDED.twitter_title ELSE "     \
    "m.twitter_title END, "                                                                        \
    "twitter_description = CASE WHEN EXCLUDED.twitter_description <> '' THEN "                     \
    "EXCLUDED.twitter_description ELSE m.twitter_description END, "                                \
    "canonical_url = CASE WHEN EXCLUDED.canonical_url <> '' THEN EXCLUDED.canonical_url ELSE "     \
    "m.canonical_url END"

/*
 * The search index's scripts (search.c store_search_reindex). A reindex fills a new table
 * without its GIN index (one build at the end is far quicker than a million inserts into
 * it), SEARCH_OPTIMIZE builds it, and the daily state is a table with fresh statistics.
 * SQLite's PRAGMAs around them (cache_size, secure_delete) have no counterpart.
 */
#define SQL_PG_SEARCH_BULK_MERGING "DROP INDEX post_search_doc"
#define SQL_PG_SEARCH_DAILY_MERGING "ANALYZE post_search"

/* The index's row of post p (SQL_SEARCH_ROW): group_concat is string_agg. */
#define SQL_PG_SEARCH_ROW(skip_tag)                                                                \
    "p.id, newsdesk_fold(p.title), newsdesk_fold(p.custom_excerpt),"                               \
    " newsdesk_fold(coalesce(b.plaintext, '')),"                                                   \
    " newsdesk_fold(coalesce((SELECT string_agg(t.name, ' ' ORDER BY x.sort_order)"                \
    " FROM post_tags x JOIN tags t ON t.id = x.tag_id WHERE x.post_id = p.id"                      \
    " AND t.visibility = 'public' AND x.tag_id != " skip_tag "), '')),"                            \
    " newsdesk_fold(coalesce((SELECT string_agg(u.name, ' ' ORDER BY y.sort_order)"                \
    " FROM post_authors y JOIN users u ON u.id = y.user_id WHERE y.post_id = p.id), '')),"         \
    " replace(p.slug, '-', ' '),"                                                                  \
    " newsdesk_forms(p.title || ' ' || p.custom_excerpt || ' ' || coalesce(b.plaintext, ''))"      \
    " FROM posts p LEFT JOIN post_bodies b ON b.post_id = p.id"
#define SQL_PG_SEARCH_INSERT                                                                       \
    "INSERT INTO post_search(post_id, title, excerpt, body, tags, authors, slug, forms) SELECT "
/* Every post at once (SQL_SEARCH_FILL_ALL): what a migration adding the index would run. */
#define SQL_PG_SEARCH_FILL_ALL SQL_PG_SEARCH_INSERT SQL_PG_SEARCH_ROW("0") " ORDER BY p.id"

/*
 * The matches of $1, a tsquery text (to_tsquery: the operators & | ! <-> and :* and the
 * weight D for the forms column are what store_search_match's expression becomes; every
 * term quoted, so no byte of a query is tsquery syntax), within the filters as
 * SQL_SEARCH_FROM.
 */
#define SQL_PG_SEARCH_FROM                                                                         \
    " FROM post_search s JOIN posts p ON p.id = s.post_id"                                         \
    " WHERE s.doc @@ to_tsquery('newsdesk', $1)"                                                   \
    " AND ($6::boolean OR p.status = 'published')"                                                 \
    " AND ($2 = '' OR EXISTS (SELECT 1 FROM post_tags x JOIN tags t ON t.id = x.tag_id"            \
    " WHERE x.post_id = p.id AND t.slug = $2))"                                                    \
    " AND ($3 = '' OR EXISTS (SELECT 1 FROM post_authors y JOIN users u ON u.id = y.user_id"       \
    " WHERE y.post_id = p.id AND u.slug = $3))"                                                    \
    " AND ($4::bigint = 0 OR p.published_at >= $4) AND ($5::bigint = 0 OR p.published_at < $5)"

/* ts_rank's weights of D, C, B, A (sql_pg.h, SQL_PG_SEARCH_DOC) */
#define SQL_PG_SEARCH_RANK "ts_rank('{0.05, 0.1, 0.45, 1.0}', s.doc, to_tsquery('newsdesk', $1))"

/* SQL_SEARCH_PAGE with ts_rank for -bm25 (both: higher is better) */
#define SQL_PG_SEARCH_PAGE                                                                         \
    "WITH c AS (SELECT s.post_id AS id, " SQL_PG_SEARCH_RANK "::float8 AS bm,"                     \
    " p.published_at AS pub" SQL_PG_SEARCH_FROM " ORDER BY s.post_id DESC LIMIT $7),"              \
    " r AS (SELECT id, bm * CASE WHEN $6::boolean THEN 1.0 ELSE 1.0 + 1.0 / (1.0 +"                \
    " greatest(0, $8::bigint - coalesce(pub, $8::bigint)) / 259200.0) END AS score FROM c)"        \
    " SELECT " SQL_TEASER_COLS ", r.score FROM r JOIN posts p ON p.id = r.id" SQL_PRIMARY_JOINS    \
    " WHERE $10::bigint = 0 OR r.score < $9::float8 OR (r.score = $9::float8 AND r.id < $10)"      \
    " ORDER BY r.score DESC, r.id DESC LIMIT $11"

/*
 * SQLite's snippet(): ts_headline of the folded column, the match between the marks
 * (bytes 1 and 2), about 24 words of the best passage; the start of the text when no
 * word of it matched, as snippet() gives.
 */
#define SQL_PG_SNIPPET(col)                                                                        \
    "ts_headline('newsdesk', " col ", q, 'StartSel=' || chr(1) || ', StopSel=' || chr(2)"          \
    " || ', MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1')"

/* Export (sql_sqlite_export.h): printf and strftime are to_hex and to_char. */
#define SQL_PG_X_ID(kind, id)                                                                      \
    "'6e64' || lpad(to_hex(" kind "), 4, '0') || lpad(to_hex(" id "), 16, '0')"
#define SQL_PG_X_POST_ID "coalesce(p.ghost_id, " SQL_PG_X_ID("1", "p.id") ")"
#define SQL_PG_X_TAG_ID "coalesce(t.ghost_id, " SQL_PG_X_ID("2", "t.id") ")"
#define SQL_PG_X_USER_ID "coalesce(u.ghost_id, " SQL_PG_X_ID("3", "u.id") ")"
#define SQL_PG_X_LINK_ID(kind, other)                                                              \
    "'6e64' || lpad(to_hex(" kind "), 4, '0') || lpad(to_hex(x.post_id), 8, '0')"                  \
    " || lpad(to_hex(x." other "), 8, '0')"
#define SQL_PG_X_DATE(x) "to_char(to_timestamp(" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')"
#define SQL_PG_X_ABS(x)                                                                            \
    "CASE WHEN " x " = '' THEN NULL WHEN " x " LIKE '/%' AND " x " NOT LIKE '//%'"                 \
    " THEN $1 || " x " ELSE " x " END"
#define SQL_PG_X_HTML                                                                              \
    "replace(replace(replace(replace(replace(replace(b.html, '=\"//', '=' || chr(1)),"             \
    " ' src=\"/', ' src=\"' || $1 || '/'), ' href=\"/', ' href=\"' || $1 || '/'),"                 \
    " ' srcset=\"/', ' srcset=\"' || $1 || '/'),"                                                  \
    " ', /content/images/', ', ' || $1 || '/content/images/'), '=' || chr(1), '=\"//')"

#define SQL_PG_EXPORT_POSTS                                                                        \
    "SELECT " SQL_PG_X_POST_ID " AS id, p.uuid, p.title, p.slug, NULL AS mobiledoc,"               \
    " NULL AS lexical, " SQL_PG_X_HTML " AS html, " SQL_PG_X_POST_ID " AS comment_id,"             \
    " b.plaintext, " SQL_PG_X_ABS(                                                                 \
        "p.feature_image") " AS feature_image, p.featured, p.type,"                                \
                           " p.status, NULL AS locale, p.visibility, 'all' AS "                    \
                           "email_recipient_filter,"                                               \
                           " " SQL_PG_X_DATE(                                                      \
                               "p.created_at") " AS created_at,"                                   \
                                               " " SQL_PG_X_DATE(                                  \
                                                   "p.updated_at") " AS updated_at,"               \
                                                                   " " SQL_PG_X_DATE(              \
                                                                       "p.published_at") " AS "    \
                                                                                         "publish" \
                                                                                         "ed_at,"  \
                                                                                         " nullif" \
                                                                                         "(p."     \
                                                                                         "custom_" \
                                                                                         "excerpt" \
                                                                                         ", '') "  \
                                                                                         "AS "     \
                                                                                         "custom_" \
                                                                                         "excerpt" \
                                                                                         ", NULL " \
                                                                                         "AS "     \
                                                                                         "codeinj" \
                                                                                         "ection_" \
                                                                                         "head,"   \
                                                                                         " NULL "  \
                                                                                         "AS "     \
                                                                                         "codeinj" \
                                                                                         "ection_" \
                                                                                         "foot, "  \
                                                                                         "NULL "   \
                                                                                         "AS "     \
                                                                                         "custom_" \
                                                                                         "templat" \
                                                                                         "e,"      \
                                                                                         " nullif" \
                                                                                         "(m."     \
                                                                                         "canonic" \
                                                                                         "al_url," \
                                                                                         " '') "   \
                                                                                         "AS "     \
                                                                                         "canonic" \
                                                                                         "al_url," \
                                                                                         " NULL "  \
                                                                                         "AS "     \
                                                                                         "newslet" \
                                                                                         "ter_id," \
                                                                                         " 1 AS "  \
                                                                                         "show_"   \
                                                                                         "title_"  \
                                                                                         "and_"    \
                                                                                         "feature" \
                                                                                         "_image," \
                                                                                         " b."     \
                                                                                         "markdow" \
                                                                                         "n AS "   \
                                                                                         "markdow" \
                                                                                         "n"       \
                                                                                         " FROM "  \
                                                                                         "posts "  \
                                                                                         "p JOIN " \
                                                                                         "post_"   \
                                                                                         "bodies " \
                                                                                         "b ON "   \
                                                                                         "b.post_" \
                                                                                         "id = "   \
                                                                                         "p.id"    \
                                                                                         " LEFT "  \
                                                                                         "JOIN "   \
                                                                                         "post_"   \
                                                                                         "meta m " \
                                                                                         "ON "     \
                                                                                         "m.post_" \
                                                                                         "id = "   \
                                                                                         "p.id "   \
                                                                                         "ORDER "  \
                                                                                         "BY p.id"

#define SQL_PG_EXPORT_POSTS_META                                                                   \
    "SELECT " SQL_PG_X_ID(                                                                         \
        "4", "p.id") " AS id, " SQL_PG_X_POST_ID " AS post_id,"                                    \
                     " " SQL_PG_X_ABS(                                                             \
                         "coalesce(m.og_image, '')") " AS og_image,"                               \
                                                     " nullif(m.og_title, '') AS og_title, "       \
                                                     "nullif(m.og_description, '') AS "            \
                                                     "og_description,"                             \
                                                     " " SQL_PG_X_ABS("coalesce(m.twitter_image, " \
                                                                      "'')") " AS twitter_image,"  \
                                                                             " nullif(m.twitter_"  \
                                                                             "title, '') AS "      \
                                                                             "twitter_title,"      \
                                                                             " nullif(m.twitter_"  \
                                                                             "description, '') "   \
                                                                             "AS "                 \
                                                                             "twitter_"            \
                                                                             "description,"        \
                                                                             " nullif(m.meta_"     \
                                                                             "title, '') AS "      \
                                                                             "meta_title,"         \
                                                                             " nullif(m.meta_"     \
                                                                             "description, '') "   \
                                                                             "AS "                 \
                                                                             "meta_description, "  \
                                                                             "NULL AS "            \
                                                                             "email_subject,"      \
                                                                             " NULL AS "           \
                                                                             "frontmatter, "       \
                                                                             "nullif(p.feature_"   \
                                                                             "image_alt, '') AS "  \
                                                                             "feature_image_alt,"  \
                                                                             " nullif(p.feature_"  \
                                                                             "image_caption, '') " \
                                                                             "AS "                 \
                                                                             "feature_image_"      \
                                                                             "caption, 0 AS "      \
                                                                             "email_only"          \
                                                                             " FROM posts p LEFT " \
                                                                             "JOIN post_meta m "   \
                                                                             "ON m.post_id = p.id" \
                                                                             " WHERE m.post_id "   \
                                                                             "IS NOT NULL OR "     \
                                                                             "p.feature_image_"    \
                                                                             "alt <> '' OR "       \
                                                                             "p.feature_image_"    \
                                                                             "caption <> ''"       \
                                                                             " ORDER BY p.id"

#define SQL_PG_EXPORT_USERS                                                                        \
    "SELECT " SQL_PG_X_USER_ID " AS id, u.name, u.slug,"                                           \
    " CASE WHEN u.role = 'desk' OR u.email = '' THEN u.slug || '@desk.invalid'"                    \
    " ELSE u.email END AS email, " SQL_PG_X_ABS(                                                   \
        "u.avatar") " AS profile_image,"                                                           \
                    " NULL AS cover_image, nullif(u.bio, '') AS bio, nullif(u.website, '') AS "    \
                    "website,"                                                                     \
                    " nullif(u.location, '') AS location, NULL AS facebook, NULL AS twitter,"      \
                    " NULL AS accessibility,"                                                      \
                    " CASE u.status WHEN 'active' THEN 'active' ELSE 'inactive' END AS status,"    \
                    " NULL AS locale, 'public' AS visibility, NULL AS meta_title, NULL AS "        \
                    "meta_description,"                                                            \
                    " NULL AS tour, NULL AS last_seen, " SQL_PG_X_DATE(                            \
                        "u.created_at") " AS created_at,"                                          \
                                        " " SQL_PG_X_DATE(                                         \
                                            "u.updated_at") " AS updated_at, u.role AS "           \
                                                            "newsdesk_role,"                       \
                                                            " nullif(" SQL_PUBLIC_CONTACT          \
                                                            ", '') AS contact_email FROM users u " \
                                                            "ORDER BY u.id"

#define SQL_PG_EXPORT_ROLES_USERS                                                                  \
    "SELECT " SQL_PG_X_ID("9", "u.id") " AS id, " SQL_PG_X_ID(                                     \
        "5", SQL_X_ROLE) " AS role_id,"                                                            \
                         " " SQL_PG_X_USER_ID " AS user_id FROM users u ORDER BY u.id"

#define SQL_PG_EXPORT_TAGS                                                                         \
    "SELECT " SQL_PG_X_TAG_ID " AS id, t.name, t.slug,"                                            \
    " nullif(t.description, '') AS description, NULL AS feature_image, NULL AS parent_id,"         \
    " t.visibility, NULL AS og_image, NULL AS og_title, NULL AS og_description,"                   \
    " NULL AS twitter_image, NULL AS twitter_title, NULL AS twitter_description,"                  \
    " NULL AS meta_title, NULL AS meta_description, NULL AS codeinjection_head,"                   \
    " NULL AS codeinjection_foot, NULL AS canonical_url, NULL AS accent_color,"                    \
    " " SQL_PG_X_DATE(                                                                             \
        "t.created_at") " AS created_at,"                                                          \
                        " " SQL_PG_X_DATE(                                                         \
                            "t.created_at") " AS updated_at FROM tags t ORDER BY t.id"

#define SQL_PG_EXPORT_POSTS_TAGS                                                                   \
    "SELECT " SQL_PG_X_LINK_ID("7", "tag_id") " AS id,"                                            \
                                              " " SQL_PG_X_POST_ID " AS post_id, " SQL_PG_X_TAG_ID \
                                              " AS tag_id, x.sort_order"                           \
                                              " FROM post_tags x JOIN posts p ON p.id = "          \
                                              "x.post_id JOIN tags t ON t.id = x.tag_id"           \
                                              " ORDER BY x.post_id, x.sort_order"

#define SQL_PG_EXPORT_POSTS_AUTHORS                                                                \
    "SELECT " SQL_PG_X_LINK_ID("8", "user_id") " AS id,"                                           \
                                               " " SQL_PG_X_POST_ID                                \
                                               " AS post_id, " SQL_PG_X_USER_ID                    \
                                               " AS author_id, x.sort_order"                       \
                                               " FROM post_authors x JOIN posts p ON p.id = "      \
                                               "x.post_id JOIN users u ON u.id = x.user_id"        \
                                               " ORDER BY x.post_id, x.sort_order"

/* ---- the statements ----------------------------------------------------------------- */

/*
 * Grouped by why. An INSERT whose new id the store reads (store_q_insert) ends in
 * RETURNING id: the driver reads that row where SQLite's gives last_insert_rowid().
 */
#define STORE_SQL_PG(X)                                                                            \
    /* SQLite's BEGIN IMMEDIATE takes the write lock at once; PostgreSQL locks rows as they        \
     * are written (see the driver for how writers are kept in turn) */                            \
    X(BEGIN, "BEGIN")                                                                              \
    /* the export reads one snapshot, as SQLite's deferred transaction does */                     \
    X(EXPORT_BEGIN, "BEGIN ISOLATION LEVEL REPEATABLE READ")                                       \
    /* last_insert_rowid(): the log's head, just written in this transaction */                    \
    X(CHANGE_TRIM, "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - $1")         \
    /* an identity does not move past a value inserted explicitly: set it first */                 \
    X(EXPORT_CHANGE_AFTER, "WITH s AS (SELECT setval(pg_get_serial_sequence('changes', 'seq'),"    \
                           " $1::bigint)) INSERT INTO changes(seq, at, deps)"                      \
                           " SELECT $1, $2, '*' FROM s")                                           \
    /* parameters bound but not used (SQL_PG_UNUSED), or only compared with a number */            \
    X(LIST_ALL, SQL_PAGE_OF(SQL_PG_IDS_ALL SQL_PG_ORDER_ALL " OFFSET $4"))                         \
    X(AFTER_ALL,                                                                                   \
      SQL_PAGE_OF(SQL_PG_IDS_ALL " AND (published_at, id) < ($4, $5)" SQL_PG_ORDER_ALL))           \
    X(COUNT_ALL, "SELECT count(*) FROM posts WHERE status = 'published' AND type = 'post'"         \
                 " AND id != $2" SQL_PG_UNUSED("$1"))                                              \
    X(SITEMAP_NEWS, SQL_PG_SITEMAP_COLS " FROM posts WHERE status = 'published'"                   \
                                        " AND type = 'post' AND published_at >= $3" SQL_PG_UNUSED( \
                                            "$1") " ORDER BY published_at DESC, id DESC LIMIT $2") \
    X(REVISION_PENDING_SET,                                                                        \
      "UPDATE revisions SET created_at = $3, title = $5, markdown = $6,"                           \
      " excerpt = $7, tags = $8, authors = $9, feature_image = $10,"                               \
      " feature_image_alt = $11, feature_image_caption = $12,"                                     \
      " correction = $13, minor = $14"                                                             \
      " WHERE post_id = $1 AND user_id = $2 AND action = 'autosave'" SQL_PG_UNUSED(                \
          "$4") " RETURNING id")                                                                   \
    X(TIPS_COUNT, "SELECT count(*) FROM tips t" SQL_PG_TIPS_WHERE)                                 \
    X(TIPS_PAGE, SQL_TIP_SELECT SQL_PG_TIPS_WHERE                                                  \
      " ORDER BY t.created_at DESC, t.id DESC LIMIT $4 OFFSET $5")                                 \
    /* RETURNING id: the new row's id (store_q_insert) */                                          \
    X(POST_INSERT,                                                                                 \
      "INSERT INTO posts(uuid, slug, title, lead, custom_excerpt, feature_image,"                  \
      " status, featured, created_at, updated_at, published_at, type,"                             \
      " feature_image_alt, feature_image_caption, breaking, breaking_until, label, pinned,"        \
      " correction, corrected_at, revised_at) VALUES ($1, $2, $3,"                                 \
      " substr($4, 1, " SQL_LEAD_CHARS "), $5, $6, $7, $8, $11, $9, $10, $12, $13, $14,"           \
      " $15, nullif($16::bigint, 0), $17, $18, $19, nullif($20::bigint, 0),"                       \
      " nullif($21::bigint, 0)) RETURNING id")                                                     \
    X(TAG_INSERT, "INSERT INTO tags(slug, name, created_at, visibility) VALUES ($1, $2, $3,"       \
                  " CASE WHEN substr($2, 1, 1) = '#' THEN 'internal' ELSE 'public' END)"           \
                  " RETURNING id")                                                                 \
    X(AUTHOR_INSERT, "INSERT INTO users(slug, name, contact_email, bio, avatar, website,"          \
                     " role, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"  \
                     " RETURNING id")                                                              \
    X(USER_INSERT, "INSERT INTO users(slug, name, email, contact_email, bio, avatar, website,"     \
                   " role, status, password_hash, created_at, updated_at) VALUES ($1, $2, $3,"     \
                   " $4, $5, $6, $7, $8, 'active', nullif($9, ''), $10, $10) RETURNING id")        \
    X(REVISION_ADD, "INSERT INTO revisions(post_id, user_id, created_at, action, title,"           \
                    " markdown, excerpt, tags, authors, feature_image, feature_image_alt,"         \
                    " feature_image_caption, correction, minor)"                                   \
                    " VALUES ($1, nullif($2::bigint, 0), $3, $4, $5, $6, $7, $8, $9, $10, $11,"    \
                    " $12, $13, $14) RETURNING id")                                                \
    X(ADMIN_KEY_ADD, "INSERT INTO api_keys(type, name, secret, created_at, key_id)"                \
                     " VALUES ($1, $2, $3, $4, $5) RETURNING id")                                  \
    X(MEDIA_INSERT, "INSERT INTO media(key, sha256, name, filename, source, format, width,"        \
                    " height, bytes, formats, alt, decorative, caption, credit, removed, ready,"   \
                    " created_at, created_by, updated_at, private) VALUES ($1, $2, $3, $4,"        \
                    " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"                 \
                    " nullif($18::bigint, 0), $17, $19) RETURNING id")                             \
    X(TIP_INSERT, "INSERT INTO tips(created_at, name, email, link, message, about, address,"       \
                  " post_id, page) VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8::bigint, 0), $9)" \
                  " RETURNING id")                                                                 \
    X(EXPORT_TAG_INSERT, "INSERT INTO tags(slug, name, description, visibility, created_at)"       \
                         " VALUES ($1, $2, $3, $4, $5) RETURNING id")                              \
    /* a session advisory lock per lease name, on the holder's connection: kept until it           \
     * is released or the connection ends (a crashed server's goes with it); taken again           \
     * only when not held, since session locks count how often they were taken */                  \
    X(LEASE_TAKE, "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"              \
                  " AND pid = pg_backend_pid() AND granted AND classid = 1313167187"               \
                  " AND objid = hashtext($1)::oid AND objsubid = 2)"                               \
                  " OR pg_try_advisory_lock(1313167187, hashtext($1))")                            \
    /* migrate.c: the schema's own tables, and an identity column's sequence */                    \
    X(MIGRATE_TABLES, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")       \
    X(MIGRATE_SEQ_GET, "SELECT pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass)")  \
    X(MIGRATE_SEQ_SET, "SELECT setval(pg_get_serial_sequence($1, $2), $3::bigint)")                \
    X(IMPORT_RUN_INSERT, "INSERT INTO import_runs(source, file_digest, done, started_at)"          \
                         " VALUES ($1, $2, $3, $4) RETURNING id")                                  \
    X(IMPORT_TAG_INSERT, "INSERT INTO tags(slug, name, description, ghost_id, visibility,"         \
                         " created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")              \
    X(IMPORT_USER_INSERT,                                                                          \
      "INSERT INTO users(slug, name, email, contact_email, bio, avatar,"                           \
      " website, location, role, ghost_id, password_hash, created_at, updated_at)"                 \
      " VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, $9, '', $10, $10) RETURNING id")               \
    /* two-argument max() is greatest(); no INDEXED BY (the planner picks posts_feed) */           \
    X(KEYS_ALL, "SELECT published_at, id, greatest(updated_at, published_at) FROM posts"           \
                " WHERE status = 'published' AND type = 'post'"                                    \
                " ORDER BY published_at DESC, id DESC")                                            \
    X(FEED_KEY_ALL, "SELECT published_at, id, greatest(updated_at, published_at) FROM posts"       \
                    " WHERE id = $2 AND status = 'published' AND type = 'post'"                    \
                    " AND $1::bigint = 0")                                                         \
    X(SITEMAP_POSTS,                                                                               \
      SQL_PG_SITEMAP_COLS " FROM posts WHERE status = 'published'"                                 \
                          " AND type = 'post'"                                                     \
                          " ORDER BY published_at DESC, id DESC LIMIT $2 OFFSET $1")               \
    X(SITEMAP_PAGES, SQL_PG_SITEMAP_COLS " FROM posts WHERE status = 'published'"                  \
                                         " AND type = 'page' ORDER BY slug")                       \
    X(SITEMAP_POSTS_AFTER, SQL_PG_SITEMAP_COLS " FROM posts WHERE status = 'published'"            \
                                               " AND type = 'post'"                                \
                                               " AND (published_at, id) < ($1, $2)"                \
                                               " ORDER BY published_at DESC, id DESC LIMIT $3")    \
    /* a subquery in FROM needs a name (PostgreSQL 15) */                                          \
    X(SITEMAP_TAGS, "SELECT slug, '', m, 0 FROM (SELECT t.slug, (SELECT x.feed_at"                 \
                    " FROM post_tags x WHERE x.tag_id = t.id AND x.feed_at IS NOT NULL"            \
                    " ORDER BY x.feed_at DESC LIMIT 1) AS m FROM tags t"                           \
                    " WHERE t.visibility = 'public') s WHERE m IS NOT NULL ORDER BY slug")         \
    X(SITEMAP_AUTHORS, "SELECT slug, '', m, 0 FROM (SELECT u.slug, (SELECT x.feed_at"              \
                       " FROM post_authors x WHERE x.user_id = u.id AND x.feed_at IS NOT NULL"     \
                       " ORDER BY x.feed_at DESC LIMIT 1) AS m FROM users u) s"                    \
                       " WHERE m IS NOT NULL ORDER BY slug")                                       \
    X(SITEMAP_SLICES, "SELECT (rn - 1) / $1, max(m) FROM (SELECT row_number() OVER"                \
                      " (ORDER BY published_at DESC, id DESC) AS rn,"                              \
                      " greatest(updated_at, published_at) AS m FROM posts"                        \
                      " WHERE status = 'published' AND type = 'post') s GROUP BY 1 ORDER BY 1")    \
    /* INSERT OR REPLACE / OR IGNORE are ON CONFLICT */                                            \
    X(POST_META_SET,                                                                               \
      "INSERT INTO post_meta(post_id, meta_title, meta_description, og_image,"                     \
      " og_title, og_description, twitter_image, twitter_title, twitter_description,"              \
      " canonical_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"                           \
      " ON CONFLICT (post_id) DO UPDATE SET meta_title = EXCLUDED.meta_title,"                     \
      " meta_description = EXCLUDED.meta_description, og_image = EXCLUDED.og_image,"               \
      " og_title = EXCLUDED.og_title, og_description = EXCLUDED.og_description,"                   \
      " twitter_image = EXCLUDED.twitter_image, twitter_title = EXCLUDED.twitter_title,"           \
      " twitter_description = EXCLUDED.twitter_description,"                                       \
      " canonical_url = EXCLUDED.canonical_url")                                                   \
    X(TIP_PHOTO_INSERT, "INSERT INTO tip_photos(tip_id, media_id, sort_order)"                     \
                        " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")                             \
    /* COLLATE NOCASE is lower(); SQLite's LIKE ignores ASCII case, PostgreSQL's ILIKE any */      \
    X(TAGS_ALL, "SELECT " SQL_TAG_COLS ", (SELECT count(*) FROM post_tags x"                       \
                " WHERE x.tag_id = t.id) FROM tags t ORDER BY lower(t.name)")                      \
    X(TAGS_MATCH, "SELECT id, slug, name FROM tags WHERE name ILIKE $1 ESCAPE '\\'"                \
                  " OR slug ILIKE $1 ESCAPE '\\' ORDER BY (name ILIKE $2 ESCAPE '\\') DESC,"       \
                  " lower(name) LIMIT $3")                                                         \
    X(STAFF_MATCH, "SELECT id, slug, name, role FROM users WHERE status = 'active'"                \
                   " AND (name ILIKE $1 ESCAPE '\\' OR slug ILIKE $1 ESCAPE '\\')"                 \
                   " ORDER BY (name ILIKE $2 ESCAPE '\\') DESC, lower(name) LIMIT $3")             \
    X(USER_BY_EMAIL, "SELECT " SQL_USER_COLS " FROM users u WHERE lower(u.email) = lower($1)"      \
                     " AND u.password_hash IS NOT NULL")                                           \
    X(USERS_ALL, "SELECT " SQL_USER_COLS ", (SELECT count(*) FROM post_authors pa"                 \
                 " WHERE pa.user_id = u.id) FROM users u"                                          \
                 " ORDER BY u.role != 'desk', lower(u.name), u.id")                                \
    X(USER_BY_LOGIN, "SELECT id FROM users WHERE lower(email) = lower($1) AND role != 'desk'"      \
                     " AND email != '' ORDER BY id LIMIT 1")                                       \
    X(MEDIA_LIST, "SELECT " SQL_MEDIA_COLS " FROM media WHERE private = 0"                         \
                  " AND ($1::bigint = 0 OR id < $1) AND ($2::text IS NULL"                         \
                  " OR alt ILIKE $2 ESCAPE '\\' OR filename ILIKE $2 ESCAPE '\\')"                 \
                  " ORDER BY id DESC LIMIT $3")                                                    \
    X(MEDIA_USES, "SELECT 'post', p.id, p.title FROM posts p JOIN post_bodies b"                   \
                  " ON b.post_id = p.id WHERE b.markdown ILIKE $1 ESCAPE '\\'"                     \
                  " UNION ALL SELECT 'feature image', id, title FROM posts"                        \
                  " WHERE feature_image ILIKE $1 ESCAPE '\\'"                                      \
                  " UNION ALL SELECT 'avatar', id, name FROM users"                                \
                  " WHERE avatar ILIKE $1 ESCAPE '\\'"                                             \
                  " UNION ALL SELECT key, 0, CASE key WHEN 'logo' THEN 'Site logo'"                \
                  " ELSE 'Site icon' END FROM settings WHERE key IN ('logo', 'icon')"              \
                  " AND value ILIKE $1 ESCAPE '\\' LIMIT $2")                                      \
    /* the editor's list: a truth value is not a number (coalesce(bool, 0)) */                     \
    X(ADMIN_POSTS_COUNT,                                                                           \
      "SELECT count(*) FROM posts p" SQL_PG_ADMIN_WHERE SQL_PG_UNUSED("$5") SQL_PG_UNUSED("$6"))   \
    X(ADMIN_POSTS_PAGE, "SELECT " SQL_TEASER_COLS " FROM posts p" SQL_PRIMARY_JOINS_IF("")         \
                            SQL_PG_ADMIN_WHERE " ORDER BY p.status = 'published',"                 \
                                               " p.updated_at DESC, p.id DESC LIMIT $5 OFFSET $6") \
    /* ?2 is a user id used both as a truth value and as a number */                               \
    X(TIP_HANDLE, "UPDATE tips SET handled_at = CASE WHEN $2::bigint <> 0 THEN $3::bigint END,"    \
                  " handled_by = nullif($2::bigint, 0), read_at = coalesce(read_at, $3)"           \
                  " WHERE id = $1")                                                                \
    /* the breaking and pinned lookups: no INDEXED BY */                                           \
    X(BREAKING_NOW, "SELECT id, slug, title, label FROM posts"                                     \
                    " WHERE breaking = 1 AND status = 'published'"                                 \
                    " AND (breaking_until IS NULL OR breaking_until > $2)"                         \
                    " ORDER BY published_at DESC, id DESC LIMIT $1")                               \
    X(PINNED_FIRST, "SELECT " SQL_TEASER_COLS " FROM posts p" SQL_PRIMARY_JOINS                    \
                    " WHERE p.pinned != 0 AND (p.pinned & $1) != 0 AND p.status = 'published'"     \
                    " AND p.type = 'post' AND ($2::bigint = 0 OR ppt.tag_id = $2)"                 \
                    " ORDER BY p.published_at DESC, p.id DESC LIMIT 1")                            \
    /* nullif(?N, 0) alone would type ?N a 32-bit integer */                                       \
    X(POST_UPDATE, "UPDATE posts SET slug = $2, title = $3, lead = substr($4, 1, " SQL_LEAD_CHARS  \
                   "), custom_excerpt = $5, feature_image = $6, status = $7, featured = $8,"       \
                   " updated_at = $9, published_at = $10, type = $12, feature_image_alt = $13,"    \
                   " feature_image_caption = $14, breaking = $15,"                                 \
                   " breaking_until = nullif($16::bigint, 0), label = $17, pinned = $18,"          \
                   " correction = $19, corrected_at = nullif($20::bigint, 0),"                     \
                   " revised_at = nullif($21::bigint, 0) WHERE id = $1" SQL_PG_UNUSED("$11"))      \
    X(AUDIT_INSERT, "INSERT INTO audit(at, user_id, action, target, detail, address)"              \
                    " VALUES ($1, nullif($2::bigint, 0), $3, $4, $5, $6)")                         \
    X(ACCOUNT_LINK_INSERT, "INSERT INTO account_tokens(token_hash, kind, user_id, created_by,"     \
                           " created_at, expires_at) VALUES ($1, $2, $3, nullif($4::bigint, 0),"   \
                           " $5, $6)")                                                             \
    X(TIP_ASSIGN, "UPDATE tips SET assigned_to = nullif($2::bigint, 0) WHERE id = $1")             \
    X(IMPORT_POST_FIX,                                                                             \
      "UPDATE posts SET created_at = coalesce(nullif($2::bigint, 0), created_at),"                 \
      " updated_at = coalesce(nullif($3::bigint, 0), updated_at),"                                 \
      " uuid = coalesce(nullif($4, ''), uuid), ghost_id = coalesce(nullif($5, ''), ghost_id)"      \
      " WHERE id = $1")                                                                            \
    /* the staging tables are the session's temporary ones (SQL_PG_IMPORT_STAGING_CREATE) */       \
    X(IMPORT_ATTACH, "DISCARD TEMP")                                                               \
    X(IMPORT_DETACH, "DISCARD TEMP")                                                               \
    X(STG_SITE_SET, "INSERT INTO pg_temp.stg_site(k, v) VALUES ($1, $2)"                           \
                    " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v")                               \
    X(STG_SITE_ALL, "SELECT k, v FROM pg_temp.stg_site")                                           \
    X(STG_USER_INSERT,                                                                             \
      "INSERT INTO pg_temp.stg_users(id, ghost_id, slug, name, email, bio, avatar,"                \
      " website, location, role) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")                \
    X(STG_USER_ROLE, "UPDATE pg_temp.stg_users SET role = $2 WHERE id = $1")                       \
    X(STG_USERS, "SELECT id, ghost_id, slug, name, email, bio, avatar, website, location, role"    \
                 " FROM pg_temp.stg_users ORDER BY seq")                                           \
    X(STG_TAG_INSERT,                                                                              \
      "INSERT INTO pg_temp.stg_tags(id, ghost_id, slug, name, description, internal)"              \
      " VALUES ($1, $2, $3, $4, $5, $6)")                                                          \
    X(STG_TAGS, "SELECT id, ghost_id, slug, name, description, internal FROM pg_temp.stg_tags"     \
                " ORDER BY seq")                                                                   \
    X(STG_POST_INSERT,                                                                             \
      "INSERT INTO pg_temp.stg_posts(id, ghost_id, uuid, slug, title, body_kind,"                  \
      " body, custom_excerpt, feature_image, feature_image_attachment, status, page, featured,"    \
      " created_at, updated_at, published_at, old_path) VALUES ($1, $2, $3, $4, $5, $6, $7,"       \
      " $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)")                                          \
    X(STG_POSTS_PAGE, "SELECT " SQL_STG_POST_COLS " FROM pg_temp.stg_posts WHERE seq > $1"         \
                      " ORDER BY seq LIMIT $2")                                                    \
    X(STG_POSTS_COUNT, "SELECT count(*) FROM pg_temp.stg_posts")                                   \
    X(STG_POST_TAG, "INSERT INTO pg_temp.stg_post_tags(post_id, other, ord) VALUES ($1, $2, $3)")  \
    X(STG_POST_AUTHOR, "INSERT INTO pg_temp.stg_post_authors(post_id, other, ord)"                 \
                       " VALUES ($1, $2, $3)")                                                     \
    X(STG_TAGS_OF, "SELECT other FROM pg_temp.stg_post_tags WHERE post_id = $1 ORDER BY ord, seq") \
    X(STG_AUTHORS_OF, "SELECT other FROM pg_temp.stg_post_authors WHERE post_id = $1"              \
                      " ORDER BY ord, seq")                                                        \
    X(STG_META_SET, "INSERT INTO pg_temp.stg_post_meta AS m(post_id, alt, caption, meta_title,"    \
                    " meta_description, og_image, og_title, og_description, twitter_image,"        \
                    " twitter_title, twitter_description, canonical_url) VALUES ($1, $2, $3, $4,"  \
                    " $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (post_id) DO UPDATE "         \
                    "SET " SQL_PG_STG_META_UPDATE_ALL)                                             \
    X(STG_META_OF,                                                                                 \
      "SELECT alt, caption, meta_title, meta_description, og_image, og_title,"                     \
      " og_description, twitter_image, twitter_title, twitter_description, canonical_url"          \
      " FROM pg_temp.stg_post_meta WHERE post_id = $1")                                            \
    X(STG_ATTACHMENT_INSERT,                                                                       \
      "INSERT INTO pg_temp.stg_attachments(id, url, file, alt, caption, title)"                    \
      " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE"                                \
      " SET url = EXCLUDED.url, file = EXCLUDED.file, alt = EXCLUDED.alt,"                         \
      " caption = EXCLUDED.caption, title = EXCLUDED.title")                                       \
    X(STG_ATTACHMENT_GET, "SELECT id, url, file, alt, caption, title FROM pg_temp.stg_attachments" \
                          " WHERE id = $1 OR url = $2 LIMIT 1")                                    \
    X(STG_REDIRECT_INSERT, "INSERT INTO pg_temp.stg_redirects(from_path, kind, id)"                \
                           " VALUES ($1, $2, $3) ON CONFLICT (from_path) DO UPDATE"                \
                           " SET kind = EXCLUDED.kind, id = EXCLUDED.id")                          \
    X(STG_REDIRECTS, "SELECT from_path, kind, id FROM pg_temp.stg_redirects ORDER BY from_path")   \
    X(STG_MEDIA_GET, "SELECT local FROM pg_temp.stg_media WHERE url = $1")                         \
    X(STG_MEDIA_SET, "INSERT INTO pg_temp.stg_media(url, local) VALUES ($1, $2)"                   \
                     " ON CONFLICT (url) DO UPDATE SET local = EXCLUDED.local")                    \
    /* export: printf, strftime and char() are to_hex, to_char and chr */                          \
    X(EXPORT_POSTS, SQL_PG_EXPORT_POSTS)                                                           \
    X(EXPORT_POSTS_META, SQL_PG_EXPORT_POSTS_META)                                                 \
    X(EXPORT_USERS, SQL_PG_EXPORT_USERS)                                                           \
    X(EXPORT_ROLES_USERS, SQL_PG_EXPORT_ROLES_USERS)                                               \
    X(EXPORT_TAGS, SQL_PG_EXPORT_TAGS)                                                             \
    X(EXPORT_POSTS_TAGS, SQL_PG_EXPORT_POSTS_TAGS)                                                 \
    X(EXPORT_POSTS_AUTHORS, SQL_PG_EXPORT_POSTS_AUTHORS)                                           \
    /* full-text search: a tsvector under a GIN index for FTS5 (SQL_PG_SEARCH_CREATE) */           \
    X(SEARCH_PAGE, SQL_PG_SEARCH_PAGE)                                                             \
    X(SEARCH_COUNT,                                                                                \
      "SELECT count(*) FROM (SELECT 1" SQL_PG_SEARCH_FROM " ORDER BY s.post_id DESC LIMIT $7) c")  \
    X(SEARCH_SNIPPET,                                                                              \
      "SELECT " SQL_PG_SNIPPET("s.body") ", " SQL_PG_SNIPPET(                                      \
          "s.excerpt") ","                                                                         \
                       " s.excerpt <> '' FROM post_search s, to_tsquery('newsdesk', $1) q"         \
                       " WHERE s.doc @@ q AND s.post_id = $2")                                     \
    X(SEARCH_DROP, "DELETE FROM post_search WHERE post_id = $1")                                   \
    X(SEARCH_PUT, SQL_PG_SEARCH_INSERT SQL_PG_SEARCH_ROW("$2") " WHERE p.id = $1")                 \
    X(SEARCH_DROP_TAG, "DELETE FROM post_search WHERE post_id IN"                                  \
                       " (SELECT post_id FROM post_tags WHERE tag_id = $1)")                       \
    X(SEARCH_PUT_TAG,                                                                              \
      SQL_PG_SEARCH_INSERT SQL_PG_SEARCH_ROW("$2") " WHERE p.id IN"                                \
                                                   " (SELECT post_id FROM"                         \
                                                   " post_tags WHERE tag_id = $1)")                \
    X(SEARCH_DROP_AUTHOR, "DELETE FROM post_search WHERE post_id IN"                               \
                          " (SELECT post_id FROM post_authors WHERE user_id = $1)")                \
    X(SEARCH_PUT_AUTHOR, SQL_PG_SEARCH_INSERT SQL_PG_SEARCH_ROW("0") " WHERE p.id IN"              \
                                                                     " (SELECT post_id FROM"       \
                                                                     " post_authors"               \
                                                                     " WHERE user_id = $1)")       \
    X(SEARCH_FILL, SQL_PG_SEARCH_INSERT SQL_PG_SEARCH_ROW("0") " WHERE p.id > $1 AND p.id <= $2")  \
    X(SEARCH_OPTIMIZE, "CREATE INDEX IF NOT EXISTS post_search_doc ON post_search USING gin "      \
                       "(doc)")

#endif
