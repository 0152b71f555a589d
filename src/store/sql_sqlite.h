/*
 * The SQLite dialect: the text of every statement the store runs, each next to its name,
 * and the fragments the Content API's filter compiler (api.c) assembles. store_int.h
 * includes this file; a second dialect is a second file of the same names included there
 * instead (see docs/design-notes.md, "The statement layer").
 *
 * STORE_SQL(X) calls X(NAME, "text") once per statement. From it come enum store_stmt
 * (STMT_NAME, store_int.h) and the driver's table of texts (sqlite.c), so a statement
 * cannot have a name without a text or a text without a name. Parameters are numbered
 * (?1, ?2) where a statement uses one twice or out of order.
 */
#ifndef STORE_SQL_SQLITE_H
#define STORE_SQL_SQLITE_H

/* posts.lead keeps the first STORE_TEASER_TEXT (600) characters of the plain text */
#define SQL_LEAD_CHARS "600"

/* The columns of a teaser (store_read_teaser) and the joins for its primary tag and author. */
#define SQL_TEASER_COLS                                                                            \
    "p.id, p.uuid, p.slug, p.title, p.custom_excerpt, p.lead,"                                     \
    " p.feature_image, p.status, p.featured, p.created_at, p.updated_at, p.published_at,"          \
    " t.id, t.slug, t.name, u.id, u.slug, u.name, u.avatar, t.visibility = 'internal',"            \
    " p.breaking, p.label, p.pinned"
/*
 * tag_on: what more the primary tag must be. Readers' lists take it only when it is
 * public, as Ghost's primary_tag is the first tag only if public (an internal first tag
 * leaves the post without a section); the newsroom shows internal ones too.
 */
#define SQL_PRIMARY_JOINS_IF(tag_on)                                                               \
    " LEFT JOIN post_tags ppt ON ppt.post_id = p.id AND ppt.sort_order = 0"                        \
    " LEFT JOIN tags t ON t.id = ppt.tag_id" tag_on                                                \
    " LEFT JOIN post_authors ppa ON ppa.post_id = p.id AND ppa.sort_order = 0"                     \
    " LEFT JOIN users u ON u.id = ppa.user_id"
#define SQL_PRIMARY_JOINS SQL_PRIMARY_JOINS_IF(" AND t.visibility = 'public'")
/* A tag (posts.c tag_cols): columns 0..5 */
#define SQL_TAG_COLS                                                                               \
    "t.id, t.slug, t.name, t.description, coalesce(t.ghost_id, ''), t.visibility = 'internal'"
/* A byline (posts.c store_read_author): columns 0..9 */
#define SQL_AUTHOR_COLS                                                                            \
    "u.id, u.slug, u.name, " SQL_PUBLIC_CONTACT ", u.bio, u.avatar, u.website, u.role = 'desk',"   \
    " u.location, coalesce(u.ghost_id, '')"
/* Ghost's posts_meta of post p, when it has a row (LEFT JOIN post_meta m): 9 columns */
#define SQL_META_COLS                                                                              \
    "coalesce(m.meta_title, ''), coalesce(m.meta_description, ''), coalesce(m.og_image, ''),"      \
    " coalesce(m.og_title, ''), coalesce(m.og_description, ''), coalesce(m.twitter_image, ''),"    \
    " coalesce(m.twitter_title, ''), coalesce(m.twitter_description, ''),"                         \
    " coalesce(m.canonical_url, '')"

/*
 * The desk's fields of a post (store_read_desk): breaking, breaking_until, label, pinned,
 * correction, corrected_at, revised_at: 7 columns.
 */
#define SQL_DESK_COLS                                                                              \
    "p.breaking, coalesce(p.breaking_until, 0), p.label, p.pinned, p.correction,"                  \
    " coalesce(p.corrected_at, 0), coalesce(p.revised_at, 0)"

/*
 * Lists pick their page of ids from a covering index first, then join only those rows:
 * an OFFSET of 75,000 then skips index entries, not joined rows (measured with 100,000
 * posts: /page/5000/ went from 167 ms to a few). ?1 tag/author id, ?2 exclude id,
 * ?3 limit, ?4 offset or cursor date, ?5 cursor id.
 */
#define SQL_PAGE_OF(ids)                                                                           \
    "SELECT " SQL_TEASER_COLS " FROM (" ids ") pg JOIN posts p ON p.id = pg.id" SQL_PRIMARY_JOINS  \
    " ORDER BY p.published_at DESC, p.id DESC"
#define SQL_IDS_ALL "SELECT id FROM posts WHERE status = 'published' AND type = 'post' AND id != ?2"
#define SQL_IDS_BY(tbl, col)                                                                       \
    "SELECT post_id AS id FROM " tbl " WHERE " col " = ?1"                                         \
    " AND feed_at IS NOT NULL AND post_id != ?2"
#define SQL_BEFORE_ALL " AND (published_at, id) < (?4, ?5)"
#define SQL_BEFORE_X " AND (feed_at, post_id) < (?4, ?5)"
#define SQL_ORDER_ALL " ORDER BY published_at DESC, id DESC LIMIT ?3"
#define SQL_ORDER_X " ORDER BY feed_at DESC, post_id DESC LIMIT ?3"

/* A staff account (newsroom.c read_user): columns 0..13 */
#define SQL_USER_COLS                                                                              \
    "u.id, u.slug, u.name, u.email, u.contact_email, u.bio, u.avatar, u.website, u.role,"          \
    " u.status, coalesce(u.password_hash, ''), u.created_at, u.updated_at, u.contact_confirmed"
/*
 * The contact e-mail readers may see, of users u: never a copy of the login e-mail unless an
 * administrator confirmed it (users.contact_confirmed). Every public query reads it
 * through this, whatever the forms let in.
 */
#define SQL_PUBLIC_CONTACT                                                                         \
    "CASE WHEN u.contact_confirmed OR lower(u.contact_email) <> lower(u.email)"                    \
    " THEN u.contact_email ELSE '' END"
/* A photo (media.c read_media): columns 0..19 */
#define SQL_MEDIA_COLS                                                                             \
    "id, key, name, filename, source, format, width, height, bytes, formats, alt, decorative,"     \
    " caption, credit, removed, ready, created_at, coalesce(created_by, 0), updated_at, private"
/* a revision (newsroom.c revision_cols): 8..15 the fields schema 8 added, NULL in older rows */
#define SQL_REVISION_SELECT                                                                        \
    "SELECT r.id, r.post_id, coalesce(u.name, ''), r.created_at, r.action, r.title,"               \
    " r.markdown, coalesce(r.user_id, 0), r.excerpt, r.tags, r.authors, r.feature_image,"          \
    " r.feature_image_alt, r.feature_image_caption, r.correction, r.minor, r.tags IS NOT NULL"     \
    " FROM revisions r LEFT JOIN users u ON u.id = r.user_id"
/*
 * The editor's list: ?1 status or NULL, ?2 author or 0, ?3 tag or 0; ?4 NULL or an FTS5
 * expression (store_search_match) its posts match, with the search's own filters: ?7 tag
 * slug, ?8 author slug ('' any), published at or after ?9, before ?10 (0: no bound)
 */
#define SQL_ADMIN_WHERE                                                                            \
    " WHERE (?1 IS NULL OR p.status = ?1)"                                                         \
    " AND (?2 = 0 OR EXISTS (SELECT 1 FROM post_authors x WHERE x.post_id = p.id"                  \
    "  AND x.user_id = ?2))"                                                                       \
    " AND (?3 = 0 OR EXISTS (SELECT 1 FROM post_tags x WHERE x.post_id = p.id"                     \
    "  AND x.tag_id = ?3))"                                                                        \
    " AND (?4 IS NULL OR p.id IN (SELECT rowid FROM post_search WHERE post_search MATCH ?4))"      \
    " AND (?7 = '' OR EXISTS (SELECT 1 FROM post_tags x JOIN tags t ON t.id = x.tag_id"            \
    "  WHERE x.post_id = p.id AND t.slug = ?7))"                                                   \
    " AND (?8 = '' OR EXISTS (SELECT 1 FROM post_authors y JOIN users u ON u.id = y.user_id"       \
    "  WHERE y.post_id = p.id AND u.slug = ?8))"                                                   \
    " AND (?9 = 0 OR p.published_at >= ?9) AND (?10 = 0 OR p.published_at < ?10)"
/* A post's link rows: ?1 post, ?2 tag or user, ?3 position; feed_at as posts.c says */
#define SQL_LINK_INSERT(tbl, col)                                                                  \
    "INSERT INTO " tbl "(post_id, " col ", sort_order, feed_at)"                                   \
    " SELECT ?1, ?2, ?3, CASE WHEN status = 'published' AND type = 'post'"                         \
    " THEN published_at END FROM posts WHERE id = ?1"
/* sitemaps: ?1 offset, ?2 limit, ?3 since; each returns slug, title, lastmod, published */
#define SQL_SITEMAP_COLS "SELECT slug, title, max(updated_at, published_at), published_at"

/*
 * The statements of the Admin API (admin.c), the importers (import.c) and export and
 * backup (export.c), each list in its own file.
 */
#include "store/sql_sqlite_admin.h"
#include "store/sql_sqlite_export.h"
#include "store/sql_sqlite_import.h"
#include "store/sql_sqlite_desk.h"
#include "store/sql_sqlite_look.h"
#include "store/sql_sqlite_accounts.h"
#include "store/sql_sqlite_tips.h"
#include "store/sql_sqlite_search.h"
#include "store/sql_sqlite_scale.h"
#include "store/sql_sqlite_websub.h"

#define STORE_SQL(X)                                                                               \
    /* transactions (store.c) */                                                                   \
    X(BEGIN, "BEGIN IMMEDIATE")                                                                    \
    X(COMMIT, "COMMIT")                                                                            \
    X(ROLLBACK, "ROLLBACK")                                                                        \
    /* settings and the change log (store.c) */                                                    \
    X(LIMIT_EXPIRE, "DELETE FROM limit_events WHERE name = ?1 AND at <= ?2")                       \
    X(LIMIT_COUNT, "SELECT count(*), coalesce(min(at), 0) FROM limit_events"                       \
                   " WHERE name = ?1 AND key = ?2 AND at > ?3")                                    \
    X(LIMIT_ADD, "INSERT INTO limit_events(name, key, at) VALUES (?1, ?2, ?3)")                    \
    X(LIMIT_GIVE_BACK, "DELETE FROM limit_events WHERE id = (SELECT max(id) FROM limit_events"     \
                       " WHERE name = ?1 AND key = ?2)")                                           \
    X(LIMIT_CLEAR, "DELETE FROM limit_events WHERE name = ?1 AND key = ?2")                        \
    /* a background job's lease among servers (limits.c): on one SQLite file the job holds         \
     * a lock on a file beside it instead (purge.c), so the database always says yes */            \
    X(LEASE_TAKE, "SELECT ?1 IS NOT NULL")                                                         \
    X(LEASE_AT, "SELECT coalesce((SELECT at FROM leases WHERE name = ?1), -1)")                    \
    X(LEASE_SAVE, "INSERT INTO leases(name, at) VALUES (?1, ?2)"                                   \
                  " ON CONFLICT(name) DO UPDATE SET at = excluded.at")                             \
    X(SETTING_GET, "SELECT value FROM settings WHERE key = ?1")                                    \
    X(SETTING_SET, "INSERT INTO settings(key, value) VALUES (?1, ?2)"                              \
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value")                       \
    X(SETTINGS_ALL, "SELECT key, value FROM settings ORDER BY key")                                \
    X(CHANGE_INSERT, "INSERT INTO changes(at, deps) VALUES (?1, ?2)")                              \
    X(CHANGE_TRIM, "DELETE FROM changes WHERE seq <= last_insert_rowid() - ?1")                    \
    X(CHANGES_HEAD, "SELECT coalesce(max(seq), 0) FROM changes")                                   \
    X(CHANGES_SINCE, "SELECT seq, deps FROM changes WHERE seq > ?1 ORDER BY seq LIMIT ?2")         \
    X(CHANGES_OLDEST, "SELECT coalesce(min(seq), 0) FROM changes")                                 \
    /* the reader's lists (posts.c) */                                                             \
    X(LIST_ALL, SQL_PAGE_OF(SQL_IDS_ALL SQL_ORDER_ALL " OFFSET ?4"))                               \
    X(LIST_TAG, SQL_PAGE_OF(SQL_IDS_BY("post_tags", "tag_id") SQL_ORDER_X " OFFSET ?4"))           \
    X(LIST_AUTHOR, SQL_PAGE_OF(SQL_IDS_BY("post_authors", "user_id") SQL_ORDER_X " OFFSET ?4"))    \
    X(AFTER_ALL, SQL_PAGE_OF(SQL_IDS_ALL SQL_BEFORE_ALL SQL_ORDER_ALL))                            \
    X(AFTER_TAG, SQL_PAGE_OF(SQL_IDS_BY("post_tags", "tag_id") SQL_BEFORE_X SQL_ORDER_X))          \
    X(AFTER_AUTHOR, SQL_PAGE_OF(SQL_IDS_BY("post_authors", "user_id") SQL_BEFORE_X SQL_ORDER_X))   \
    X(COUNT_ALL, "SELECT count(*) FROM posts WHERE status = 'published' AND type = 'post'"         \
                 " AND id != ?2")                                                                  \
    X(COUNT_TAG, "SELECT count(*) FROM post_tags WHERE tag_id = ?1"                                \
                 " AND feed_at IS NOT NULL AND post_id != ?2")                                     \
    X(COUNT_AUTHOR, "SELECT count(*) FROM post_authors WHERE user_id = ?1"                         \
                    " AND feed_at IS NOT NULL AND post_id != ?2")                                  \
    /* posts_feed covers the three columns (schema 10): without INDEXED BY, SQLite takes           \
     * posts_status and reads every row for updated_at, ten times slower at a million */           \
    X(KEYS_ALL, "SELECT published_at, id, max(updated_at, published_at) FROM posts"                \
                " INDEXED BY posts_feed WHERE status = 'published' AND type = 'post'"              \
                " ORDER BY published_at DESC, id DESC")                                            \
    X(KEYS_TAG, "SELECT feed_at, post_id, feed_at FROM post_tags WHERE tag_id = ?1"                \
                " AND feed_at IS NOT NULL ORDER BY feed_at DESC, post_id DESC")                    \
    X(KEYS_AUTHOR, "SELECT feed_at, post_id, feed_at FROM post_authors WHERE user_id = ?1"         \
                   " AND feed_at IS NOT NULL ORDER BY feed_at DESC, post_id DESC")                 \
    /* one post, tag or author (posts.c): columns 0..11 line up with a teaser's */                 \
    X(POST_BY_SLUG, "SELECT p.id, p.uuid, p.slug, p.title, p.custom_excerpt, b.plaintext,"         \
                    " p.feature_image, p.status, p.featured, p.created_at, p.updated_at,"          \
                    " p.published_at, b.markdown, b.html, p.type = 'page',"                        \
                    " p.feature_image_alt, p.feature_image_caption, " SQL_META_COLS                \
                    ", " SQL_DESK_COLS " FROM posts p JOIN post_bodies b ON b.post_id = p.id"      \
                    " LEFT JOIN post_meta m ON m.post_id = p.id"                                   \
                    " WHERE p.slug = ?1 AND p.status = 'published'")                               \
    X(POST_BY_ID, "SELECT p.id, p.uuid, p.slug, p.title, p.custom_excerpt, p.lead,"                \
                  " p.feature_image, p.status, p.featured, p.created_at, p.updated_at,"            \
                  " p.published_at, b.markdown, b.html, p.feature_image_alt,"                      \
                  " b.plaintext, p.type = 'page', p.visibility, p.feature_image_caption,"          \
                  " coalesce(p.ghost_id, ''), " SQL_META_COLS ", " SQL_DESK_COLS                   \
                  " FROM posts p JOIN post_bodies b ON b.post_id = p.id"                           \
                  " LEFT JOIN post_meta m ON m.post_id = p.id WHERE p.id = ?1")                    \
    /* what a feed item adds to a list's post: its body, correction and last update */             \
    X(POST_FEED_ITEM, "SELECT b.html, p.correction, coalesce(p.corrected_at, 0),"                  \
                      " coalesce(p.revised_at, 0) FROM post_bodies b JOIN posts p"                 \
                      " ON p.id = b.post_id WHERE b.post_id = ?1")                                 \
    X(POST_IDS_AFTER, "SELECT id FROM posts WHERE id > ?1 ORDER BY id LIMIT ?2")                   \
    X(POST_TAGS, "SELECT " SQL_TAG_COLS " FROM post_tags pt JOIN tags t ON t.id = pt.tag_id"       \
                 " WHERE pt.post_id = ?1 ORDER BY pt.sort_order")                                  \
    X(POST_AUTHORS, "SELECT " SQL_AUTHOR_COLS " FROM post_authors pa"                              \
                    " JOIN users u ON u.id = pa.user_id WHERE pa.post_id = ?1"                     \
                    " ORDER BY pa.sort_order")                                                     \
    X(TAG_BY_SLUG, "SELECT " SQL_TAG_COLS " FROM tags t WHERE t.slug = ?1")                        \
    X(TAG_BY_ID, "SELECT " SQL_TAG_COLS " FROM tags t WHERE t.id = ?1")                            \
    X(AUTHOR_BY_SLUG, "SELECT " SQL_AUTHOR_COLS " FROM users u WHERE u.slug = ?1")                 \
    /* sitemaps (posts.c) */                                                                       \
    X(SITEMAP_POSTS, SQL_SITEMAP_COLS " FROM posts WHERE status = 'published' AND type = 'post'"   \
                                      " ORDER BY published_at DESC, id DESC LIMIT ?2 OFFSET ?1")   \
    X(SITEMAP_PAGES, SQL_SITEMAP_COLS " FROM posts WHERE status = 'published' AND type = 'page'"   \
                                      " ORDER BY slug")                                            \
    /* a tag's or author's newest feed_at: one seek of its feed index each, not a scan */          \
    X(SITEMAP_TAGS, "SELECT slug, '', m, 0 FROM (SELECT t.slug, (SELECT x.feed_at"                 \
                    " FROM post_tags x WHERE x.tag_id = t.id AND x.feed_at IS NOT NULL"            \
                    " ORDER BY x.feed_at DESC LIMIT 1) AS m FROM tags t"                           \
                    " WHERE t.visibility = 'public') WHERE m IS NOT NULL ORDER BY slug")           \
    X(SITEMAP_AUTHORS, "SELECT slug, '', m, 0 FROM (SELECT u.slug, (SELECT x.feed_at"              \
                       " FROM post_authors x WHERE x.user_id = u.id AND x.feed_at IS NOT NULL"     \
                       " ORDER BY x.feed_at DESC LIMIT 1) AS m FROM users u)"                      \
                       " WHERE m IS NOT NULL ORDER BY slug")                                       \
    X(SITEMAP_NEWS, SQL_SITEMAP_COLS " FROM posts WHERE status = 'published' AND type = 'post'"    \
                                     " AND published_at >= ?3"                                     \
                                     " ORDER BY published_at DESC, id DESC LIMIT ?2")              \
    X(SITEMAP_SLICES, "SELECT (rn - 1) / ?1, max(m) FROM (SELECT row_number() OVER"                \
                      " (ORDER BY published_at DESC, id DESC) AS rn,"                              \
                      " max(updated_at, published_at) AS m FROM posts"                             \
                      " WHERE status = 'published' AND type = 'post') GROUP BY 1 ORDER BY 1")      \
    /* writing posts (posts.c): insert and update share ?2..?10, ?12..?21 (bind_fields) */         \
    X(POST_INSERT,                                                                                 \
      "INSERT INTO posts(uuid, slug, title, lead, custom_excerpt, feature_image,"                  \
      " status, featured, created_at, updated_at, published_at, type,"                             \
      " feature_image_alt, feature_image_caption, breaking, breaking_until, label, pinned,"        \
      " correction, corrected_at, revised_at) VALUES (?1, ?2, ?3,"                                 \
      " substr(?4, 1, " SQL_LEAD_CHARS "), ?5, ?6, ?7, ?8, ?11, ?9, ?10, ?12, ?13, ?14,"           \
      " ?15, nullif(?16, 0), ?17, ?18, ?19, nullif(?20, 0), nullif(?21, 0))")                      \
    X(POST_UPDATE, "UPDATE posts SET slug = ?2, title = ?3, lead = substr(?4, 1, " SQL_LEAD_CHARS  \
                   "), custom_excerpt = ?5, feature_image = ?6, status = ?7, featured = ?8,"       \
                   " updated_at = ?9, published_at = ?10, type = ?12, feature_image_alt = ?13,"    \
                   " feature_image_caption = ?14, breaking = ?15,"                                 \
                   " breaking_until = nullif(?16, 0), label = ?17, pinned = ?18,"                  \
                   " correction = ?19, corrected_at = nullif(?20, 0),"                             \
                   " revised_at = nullif(?21, 0) WHERE id = ?1")                                   \
    X(POST_BODY_INSERT, "INSERT INTO post_bodies(post_id, markdown, html, plaintext)"              \
                        " VALUES (?1, ?2, ?3, ?4)")                                                \
    X(POST_BODY_UPDATE, "UPDATE post_bodies SET markdown = ?2, html = ?3, plaintext = ?4"          \
                        " WHERE post_id = ?1")                                                     \
    X(POST_FIND, "SELECT id, coalesce(published_at, 0) FROM posts WHERE slug = ?1")                \
    X(POST_META_DROP, "DELETE FROM post_meta WHERE post_id = ?1")                                  \
    X(POST_META_SET,                                                                               \
      "INSERT OR REPLACE INTO post_meta(post_id, meta_title, meta_description, og_image,"          \
      " og_title, og_description, twitter_image, twitter_title, twitter_description,"              \
      " canonical_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")                          \
    X(POST_GHOST_ID_SET, "UPDATE posts SET ghost_id = nullif(?2, '') WHERE id = ?1")               \
    X(POST_OLD_TAGS, "SELECT tag_id FROM post_tags WHERE post_id = ?1")                            \
    X(POST_OLD_AUTHORS, "SELECT user_id FROM post_authors WHERE post_id = ?1")                     \
    X(POST_UNLINK_TAGS, "DELETE FROM post_tags WHERE post_id = ?1")                                \
    X(POST_UNLINK_AUTHORS, "DELETE FROM post_authors WHERE post_id = ?1")                          \
    X(POST_TAG_INSERT, SQL_LINK_INSERT("post_tags", "tag_id"))                                     \
    X(POST_AUTHOR_INSERT, SQL_LINK_INSERT("post_authors", "user_id"))                              \
    X(TAG_FIND, "SELECT id FROM tags WHERE slug = ?1")                                             \
    X(TAG_INSERT, "INSERT INTO tags(slug, name, created_at, visibility) VALUES (?1, ?2, ?3,"       \
                  " CASE WHEN substr(?2, 1, 1) = '#' THEN 'internal' ELSE 'public' END)")          \
    X(AUTHOR_INSERT, "INSERT INTO users(slug, name, contact_email, bio, avatar, website,"          \
                     " role, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)") \
    X(SLUG_POST, "SELECT 1 FROM posts WHERE slug = ?1")                                            \
    X(SLUG_TAG, "SELECT 1 FROM tags WHERE slug = ?1")                                              \
    X(SLUG_AUTHOR, "SELECT 1 FROM users WHERE slug = ?1")                                          \
    /* staff (newsroom.c) */                                                                       \
    X(USER_BY_EMAIL, "SELECT " SQL_USER_COLS " FROM users u WHERE u.email = ?1"                    \
                     " COLLATE NOCASE AND u.password_hash IS NOT NULL")                            \
    X(USER_BY_ID, "SELECT " SQL_USER_COLS " FROM users u WHERE u.id = ?1")                         \
    X(USERS_ALL, "SELECT " SQL_USER_COLS ", (SELECT count(*) FROM post_authors pa"                 \
                 " WHERE pa.user_id = u.id) FROM users u"                                          \
                 " ORDER BY u.role != 'desk', u.name COLLATE NOCASE, u.id")                        \
    X(USER_SLUG_TAKEN, "SELECT count(*) FROM users WHERE slug = ?1 AND id != ?2")                  \
    X(USER_INSERT, "INSERT INTO users(slug, name, email, contact_email, bio, avatar, website,"     \
                   " role, status, password_hash, created_at, updated_at) VALUES (?1, ?2, ?3,"     \
                   " ?4, ?5, ?6, ?7, ?8, 'active', nullif(?9, ''), ?10, ?10)")                     \
    X(USER_UPDATE_PROFILE, "UPDATE users SET name = ?2, slug = ?3, bio = ?4, avatar = ?5,"         \
                           " website = ?6, contact_email = ?7, email = ?8, updated_at = ?9,"       \
                           " contact_confirmed = ?10 WHERE id = ?1")                               \
    X(USER_SET_ROLE, "UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1"                   \
                     " AND role != 'desk'")                                                        \
    X(USER_SET_STATUS, "UPDATE users SET status = ?2, updated_at = ?3 WHERE id = ?1"               \
                       " AND role != 'desk'")                                                      \
    X(USER_SET_PASSWORD, "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1"      \
                         " AND role != 'desk'")                                                    \
    X(ADMINS_COUNT, "SELECT count(*) FROM users WHERE role = 'administrator'"                      \
                    " AND status = 'active' AND password_hash IS NOT NULL")                        \
    /* sessions (newsroom.c); ?2 of SESSIONS_END_BUT is the one kept */                            \
    X(SESSION_INSERT, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, seen_at,"       \
                      " expires_at, address, user_agent) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, ?7)") \
    X(SESSION_GET, "SELECT " SQL_USER_COLS ", x.csrf, x.created_at, x.seen_at, x.expires_at"       \
                   " FROM sessions x JOIN users u ON u.id = x.user_id"                             \
                   " WHERE x.token_hash = ?1 AND u.status = 'active' AND u.role != 'desk'")        \
    X(SESSION_TOUCH, "UPDATE sessions SET seen_at = ?2 WHERE token_hash = ?1")                     \
    X(SESSION_DELETE, "DELETE FROM sessions WHERE token_hash = ?1")                                \
    X(SESSIONS_END, "DELETE FROM sessions WHERE user_id = ?1")                                     \
    X(SESSIONS_END_BUT, "DELETE FROM sessions WHERE user_id = ?1 AND token_hash != ?2")            \
    X(SESSIONS_PURGE, "DELETE FROM sessions WHERE expires_at <= ?1 OR seen_at < ?2")               \
    /* the editor's posts (newsroom.c) */                                                          \
    X(ADMIN_POSTS_COUNT, "SELECT count(*) FROM posts p" SQL_ADMIN_WHERE)                           \
    X(ADMIN_POSTS_PAGE, "SELECT " SQL_TEASER_COLS " FROM posts p" SQL_PRIMARY_JOINS_IF("")         \
                            SQL_ADMIN_WHERE " ORDER BY coalesce(p.status = 'published', 0),"       \
                                            " p.updated_at DESC, p.id DESC LIMIT ?5 OFFSET ?6")    \
    X(POST_DELETE, "DELETE FROM posts WHERE id = ?1")                                              \
    X(POSTS_DUE, "SELECT id FROM posts WHERE status = 'scheduled' AND published_at <= ?1"          \
                 " ORDER BY published_at, id LIMIT ?2")                                            \
    X(POST_PUBLISH, "UPDATE posts SET status = 'published' WHERE id = ?1")                         \
    X(NEXT_SCHEDULED, "SELECT coalesce(min(published_at), 0) FROM posts"                           \
                      " WHERE status = 'scheduled'")                                               \
    /* tags, revisions, tips, audit (newsroom.c) */                                                \
    X(TAGS_ALL, "SELECT " SQL_TAG_COLS ", (SELECT count(*) FROM post_tags x"                       \
                " WHERE x.tag_id = t.id) FROM tags t ORDER BY t.name COLLATE NOCASE")              \
    X(TAG_UPDATE, "UPDATE tags SET name = ?2, slug = ?3, description = ?4,"                        \
                  " visibility = CASE WHEN substr(?2, 1, 1) = '#' THEN 'internal'"                 \
                  " ELSE visibility END WHERE id = ?1")                                            \
    /* the editor's pickers (?1 "%q%", ?2 "q%", ?3 limit) and the preview links' key */            \
    X(TAGS_MATCH, "SELECT id, slug, name FROM tags WHERE name LIKE ?1 ESCAPE '\\'"                 \
                  " OR slug LIKE ?1 ESCAPE '\\' ORDER BY (name LIKE ?2 ESCAPE '\\') DESC,"         \
                  " name COLLATE NOCASE LIMIT ?3")                                                 \
    X(STAFF_MATCH, "SELECT id, slug, name, role FROM users WHERE status = 'active'"                \
                   " AND (name LIKE ?1 ESCAPE '\\' OR slug LIKE ?1 ESCAPE '\\')"                   \
                   " ORDER BY (name LIKE ?2 ESCAPE '\\') DESC, name COLLATE NOCASE LIMIT ?3")      \
    X(SECRET_GET, "SELECT value FROM secrets WHERE name = ?1")                                     \
    X(REVISION_ADD, "INSERT INTO revisions(post_id, user_id, created_at, action, title,"           \
                    " markdown, excerpt, tags, authors, feature_image, feature_image_alt,"         \
                    " feature_image_caption, correction, minor)"                                   \
                    " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"       \
                    " ?13, ?14)")                                                                  \
    X(REVISIONS, SQL_REVISION_SELECT " WHERE r.post_id = ?1 ORDER BY r.id DESC LIMIT ?2")          \
    X(REVISION_GET, SQL_REVISION_SELECT " WHERE r.id = ?1")                                        \
    /* the editor that never loses a word: versions, kept texts, presence (newsroom.c) */          \
    X(POST_VERSION, "SELECT version, updated_at FROM posts WHERE id = ?1")                         \
    X(REVISION_LAST_CHANGE,                                                                        \
      SQL_REVISION_SELECT " WHERE r.post_id = ?1"                                                  \
                          " AND (r.action NOT IN ('conflict', 'expired', 'autosave')"              \
                          "  OR (?2 AND r.action = 'autosave'))"                                   \
                          " ORDER BY r.created_at DESC, r.id DESC LIMIT 1")                        \
    X(REVISION_PENDING,                                                                            \
      SQL_REVISION_SELECT " WHERE r.post_id = ?1 AND r.user_id = ?2"                               \
                          " AND r.action = 'autosave' ORDER BY r.id DESC LIMIT 1")                 \
    X(REVISION_PENDING_SET, "UPDATE revisions SET created_at = ?3, title = ?5, markdown = ?6,"     \
                            " excerpt = ?7, tags = ?8, authors = ?9, feature_image = ?10,"         \
                            " feature_image_alt = ?11, feature_image_caption = ?12,"               \
                            " correction = ?13, minor = ?14"                                       \
                            " WHERE post_id = ?1 AND user_id = ?2 AND action = 'autosave'"         \
                            " RETURNING id")                                                       \
    X(REVISION_PENDING_DROP, "DELETE FROM revisions WHERE post_id = ?1 AND user_id = ?2"           \
                             " AND action = 'autosave'")                                           \
    X(EDITING_TOUCH, "INSERT INTO editing(post_id, user_id, seen_at) VALUES (?1, ?2, ?3)"          \
                     " ON CONFLICT(post_id, user_id) DO UPDATE SET seen_at = excluded.seen_at")    \
    X(EDITING_OTHERS, "SELECT u.id, u.name, e.seen_at FROM editing e JOIN users u"                 \
                      " ON u.id = e.user_id WHERE e.post_id = ?1 AND e.user_id != ?2"              \
                      " AND e.seen_at >= ?3 ORDER BY u.name LIMIT ?4")                             \
    X(AUDIT_INSERT, "INSERT INTO audit(at, user_id, action, target, detail, address)"              \
                    " VALUES (?1, nullif(?2, 0), ?3, ?4, ?5, ?6)")                                 \
    X(AUDIT_COUNT, "SELECT count(*) FROM audit")                                                   \
    X(AUDIT_PAGE, "SELECT e.at, coalesce(u.name, ''), e.action, e.target, e.detail, e.address"     \
                  " FROM audit e LEFT JOIN users u ON u.id = e.user_id"                            \
                  " ORDER BY e.id DESC LIMIT ?1 OFFSET ?2")                                        \
    /* Content API keys (api.c) */                                                                 \
    X(API_KEY_ADD, "INSERT INTO api_keys(type, name, secret, created_at) VALUES (?1, ?2, ?3, ?4)") \
    X(API_KEYS_LIST, "SELECT id, type, name, secret, created_at, coalesce(revoked_at, 0)"          \
                     " FROM api_keys ORDER BY id LIMIT ?1")                                        \
    X(API_KEY_REVOKE, "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL")  \
    X(API_KEYS_ACTIVE, "SELECT secret FROM api_keys WHERE type = ?1 AND revoked_at IS NULL"        \
                       " ORDER BY id LIMIT ?2")                                                    \
    /* photos (media.c) */                                                                         \
    X(MEDIA_INSERT, "INSERT INTO media(key, sha256, name, filename, source, format, width,"        \
                    " height, bytes, formats, alt, decorative, caption, credit, removed, ready,"   \
                    " created_at, created_by, updated_at, private) VALUES (?1, ?2, ?3, ?4,"        \
                    " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"                 \
                    " nullif(?18, 0), ?17, ?19)")                                                  \
    X(MEDIA_BY_KEY, "SELECT " SQL_MEDIA_COLS " FROM media WHERE key = ?1")                         \
    X(MEDIA_BY_SHA256, "SELECT " SQL_MEDIA_COLS " FROM media WHERE sha256 = ?1")                   \
    /* a reader's photo sent with a tip (private) is the inbox's, not the library's */             \
    X(MEDIA_LIST, "SELECT " SQL_MEDIA_COLS " FROM media WHERE private = 0"                         \
                  " AND (?1 = 0 OR id < ?1)"                                                       \
                  " AND (?2 IS NULL OR alt LIKE ?2 ESCAPE '\\' OR filename LIKE ?2 ESCAPE '\\')"   \
                  " ORDER BY id DESC LIMIT ?3")                                                    \
    X(MEDIA_UPDATE, "UPDATE media SET alt = ?2, decorative = ?3, caption = ?4, credit = ?5,"       \
                    " updated_at = ?6 WHERE key = ?1")                                             \
    X(MEDIA_READY, "UPDATE media SET ready = 1, bytes = ?2, formats = ?3, updated_at = ?4"         \
                   " WHERE id = ?1 RETURNING key")                                                 \
    X(MEDIA_DELETE, "DELETE FROM media WHERE key = ?1")                                            \
    X(MEDIA_PENDING, "SELECT key FROM media m WHERE ready = 0 OR NOT EXISTS (SELECT 1"             \
                     " FROM media_files f WHERE f.media_id = m.id AND f.variant = ?1)"             \
                     " ORDER BY id LIMIT ?2")                                                      \
    X(MEDIA_USES, "SELECT 'post', p.id, p.title FROM posts p JOIN post_bodies b"                   \
                  " ON b.post_id = p.id WHERE b.markdown LIKE ?1 ESCAPE '\\'"                      \
                  " UNION ALL SELECT 'feature image', id, title FROM posts"                        \
                  " WHERE feature_image LIKE ?1 ESCAPE '\\'"                                       \
                  " UNION ALL SELECT 'avatar', id, name FROM users"                                \
                  " WHERE avatar LIKE ?1 ESCAPE '\\'"                                              \
                  " UNION ALL SELECT key, 0, CASE key WHEN 'logo' THEN 'Site logo'"                \
                  " ELSE 'Site icon' END FROM settings WHERE key IN ('logo', 'icon')"              \
                  " AND value LIKE ?1 ESCAPE '\\' LIMIT ?2")                                       \
    X(MEDIA_FILE_PUT, "INSERT INTO media_files(media_id, variant, mime, width, height, data)"      \
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(media_id, variant) DO UPDATE"  \
                      " SET mime = excluded.mime, width = excluded.width,"                         \
                      " height = excluded.height, data = excluded.data")                           \
    X(MEDIA_FILE_GET, "SELECT mime, width, height, data FROM media_files"                          \
                      " WHERE media_id = ?1 AND variant = ?2")                                     \
    X(MEDIA_FILE_DROP, "DELETE FROM media_files WHERE media_id = ?1 AND variant = ?2")             \
    STORE_SQL_ADMIN(X)                                                                             \
    STORE_SQL_IMPORT(X)                                                                            \
    STORE_SQL_EXPORT(X)                                                                            \
    STORE_SQL_DESK(X)                                                                              \
    STORE_SQL_LOOK(X)                                                                              \
    STORE_SQL_ACCOUNTS(X)                                                                          \
    STORE_SQL_TIPS(X)                                                                              \
    STORE_SQL_SEARCH(X)                                                                            \
    STORE_SQL_SCALE(X)                                                                             \
    STORE_SQL_WEBSUB(X)

/*
 * The Content API's filters (api.c) are compiled from these fragments: the SQL a field
 * name stands for and the EXISTS (...) around a related row's column. Values are always
 * "?" parameters, bound in order.
 */
#define SQL_API_TAG_REL                                                                            \
    "EXISTS (SELECT 1 FROM post_tags x JOIN tags t ON t.id = x.tag_id"                             \
    " WHERE x.post_id = p.id AND "
#define SQL_API_PTAG_REL SQL_API_TAG_REL "x.sort_order = 0 AND t.visibility = 'public' AND "
#define SQL_API_AUTHOR_REL                                                                         \
    "EXISTS (SELECT 1 FROM post_authors x JOIN users u ON u.id = x.user_id"                        \
    " WHERE x.post_id = p.id AND "
#define SQL_API_PAUTHOR_REL SQL_API_AUTHOR_REL "x.sort_order = 0 AND "
#define SQL_API_POSTS_FROM " FROM posts p WHERE p.status = 'published' AND p.type = 'post'"
#define SQL_API_PAGES_FROM " FROM posts p WHERE p.status = 'published' AND p.type = 'page'"
/*
 * Ghost's public tags and authors are those with a published post or page (its
 * "shouldHavePosts"). The feed indexes answer for posts at once; only a tag or person
 * without a published post costs a look at the published pages, which are few.
 */
#define SQL_HAS_PUBLISHED(tbl, col, id)                                                            \
    "(EXISTS (SELECT 1 FROM " tbl " x WHERE x." col " = " id " AND x.feed_at IS NOT NULL)"         \
    " OR EXISTS (SELECT 1 FROM posts xp JOIN " tbl " x ON x.post_id = xp.id"                       \
    " WHERE x." col " = " id " AND xp.status = 'published' AND xp.type = 'page'))"
#define SQL_API_TAGS_FROM " FROM tags t WHERE " SQL_HAS_PUBLISHED("post_tags", "tag_id", "t.id")
#define SQL_API_AUTHORS_FROM                                                                       \
    " FROM users u WHERE u.status = 'active' AND " SQL_HAS_PUBLISHED("post_authors", "user_id",    \
                                                                     "u.id")
/* Ghost's count.posts: published posts, pages not counted */
#define SQL_API_TAG_COLS                                                                           \
    SQL_TAG_COLS ", (SELECT count(*) FROM post_tags"                                               \
                 " x WHERE x.tag_id = t.id AND x.feed_at IS NOT NULL)"
#define SQL_API_AUTHOR_COLS                                                                        \
    SQL_AUTHOR_COLS ", (SELECT count(*) FROM post_authors x"                                       \
                    " WHERE x.user_id = u.id AND x.feed_at IS NOT NULL)"

#endif
