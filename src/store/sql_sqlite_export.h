/* The statements of export, backup and restore (store/export.c); part of STORE_SQL (sql_sqlite.h).
 *
 * The export's statements give Ghost's columns under Ghost's names, in the order of
 * Ghost 5's export (see README "Export, backup and restore"), so export.c writes each row
 * as it comes. ?1 is the site's address ("https://news.example.org"): our site paths
 * ("/media/...") become absolute with it. Ids: a row's Ghost id when it came from Ghost,
 * else the 24-hex id the Content API gives it (api_id_format: "6e64", the kind, the id):
 * kind 1 posts, 2 tags, 3 users, 4 posts_meta, 5 roles, 6 settings, 7 posts_tags,
 * 8 posts_authors, 9 roles_users.
 */
#ifndef STORE_SQL_SQLITE_EXPORT_H
#define STORE_SQL_SQLITE_EXPORT_H

#define SQL_X_ID "printf('6e64%04x%016x', "
#define SQL_X_POST_ID "coalesce(p.ghost_id, " SQL_X_ID "1, p.id))"
#define SQL_X_TAG_ID "coalesce(t.ghost_id, " SQL_X_ID "2, t.id))"
#define SQL_X_USER_ID "coalesce(u.ghost_id, " SQL_X_ID "3, u.id))"
/* Ghost's SQLite dates: "2024-10-05 17:45:00", UTC */
#define SQL_X_DATE "strftime('%Y-%m-%d %H:%M:%S', "
/* a site path made absolute (?1 the site's address); empty is null; a URL stays */
#define SQL_X_ABS(x)                                                                               \
    "CASE WHEN " x " = '' THEN NULL WHEN " x " LIKE '/%' AND " x " NOT LIKE '//%'"                 \
    " THEN ?1 || " x " ELSE " x " END"
/* our role → Ghost's, as the id of one of the roles the export writes (1..4) */
#define SQL_X_ROLE                                                                                 \
    "CASE u.role WHEN 'administrator' THEN 1 WHEN 'editor' THEN 2"                                 \
    " WHEN 'contributor' THEN 4 ELSE 3 END"

/*
 * The body's site paths made absolute: src, href and srcset values starting with one
 * '/' (and the later entries of our srcsets); protocol-relative "//host" values are set
 * aside first (as '=' and char(1)) and put back after.
 */
#define SQL_X_HTML                                                                                 \
    "replace(replace(replace(replace(replace(replace(b.html, '=\"//', '=' || char(1)),"            \
    " ' src=\"/', ' src=\"' || ?1 || '/'), ' href=\"/', ' href=\"' || ?1 || '/'),"                 \
    " ' srcset=\"/', ' srcset=\"' || ?1 || '/'),"                                                  \
    " ', /content/images/', ', ' || ?1 || '/content/images/'), '=' || char(1), '=\"//')"

#define SQL_X_FEATURE_IMAGE SQL_X_ABS("p.feature_image")
#define SQL_X_OG_IMAGE SQL_X_ABS("coalesce(m.og_image, '')")
#define SQL_X_TWITTER_IMAGE SQL_X_ABS("coalesce(m.twitter_image, '')")
#define SQL_X_AVATAR SQL_X_ABS("u.avatar")

#define SQL_EXPORT_POSTS                                                                           \
    "SELECT " SQL_X_POST_ID " AS id, p.uuid, p.title, p.slug, NULL AS mobiledoc,"                  \
    " NULL AS lexical, " SQL_X_HTML " AS html, " SQL_X_POST_ID " AS comment_id,"                   \
    " b.plaintext, " SQL_X_FEATURE_IMAGE " AS feature_image, p.featured, p.type, p.status,"        \
    " NULL AS locale, p.visibility, 'all' AS email_recipient_filter,"                              \
    " " SQL_X_DATE "p.created_at, 'unixepoch') AS created_at,"                                     \
    " " SQL_X_DATE "p.updated_at, 'unixepoch') AS updated_at,"                                     \
    " " SQL_X_DATE "p.published_at, 'unixepoch') AS published_at,"                                 \
    " nullif(p.custom_excerpt, '') AS custom_excerpt, NULL AS codeinjection_head,"                 \
    " NULL AS codeinjection_foot, NULL AS custom_template,"                                        \
    " nullif(m.canonical_url, '') AS canonical_url, NULL AS newsletter_id,"                        \
    " 1 AS show_title_and_feature_image, b.markdown AS markdown"                                   \
    " FROM posts p JOIN post_bodies b ON b.post_id = p.id"                                         \
    " LEFT JOIN post_meta m ON m.post_id = p.id ORDER BY p.id"

#define SQL_EXPORT_POSTS_META                                                                      \
    "SELECT " SQL_X_ID "4, p.id) AS id, " SQL_X_POST_ID " AS post_id,"                             \
    " " SQL_X_OG_IMAGE " AS og_image, nullif(m.og_title, '') AS og_title,"                         \
    " nullif(m.og_description, '') AS og_description,"                                             \
    " " SQL_X_TWITTER_IMAGE " AS twitter_image, nullif(m.twitter_title, '') AS twitter_title,"     \
    " nullif(m.twitter_description, '') AS twitter_description,"                                   \
    " nullif(m.meta_title, '') AS meta_title,"                                                     \
    " nullif(m.meta_description, '') AS meta_description, NULL AS email_subject,"                  \
    " NULL AS frontmatter, nullif(p.feature_image_alt, '') AS feature_image_alt,"                  \
    " nullif(p.feature_image_caption, '') AS feature_image_caption, 0 AS email_only"               \
    " FROM posts p LEFT JOIN post_meta m ON m.post_id = p.id"                                      \
    " WHERE m.post_id IS NOT NULL OR p.feature_image_alt <> '' OR p.feature_image_caption <> ''"   \
    " ORDER BY p.id"

/* no password hashes, ever; a desk (no login) gets an address that cannot receive mail */
#define SQL_EXPORT_USERS                                                                           \
    "SELECT " SQL_X_USER_ID " AS id, u.name, u.slug,"                                              \
    " CASE WHEN u.role = 'desk' OR u.email = '' THEN u.slug || '@desk.invalid'"                    \
    " ELSE u.email END AS email, " SQL_X_AVATAR " AS profile_image,"                               \
    " NULL AS cover_image, nullif(u.bio, '') AS bio, nullif(u.website, '') AS website,"            \
    " nullif(u.location, '') AS location, NULL AS facebook, NULL AS twitter,"                      \
    " NULL AS accessibility,"                                                                      \
    " CASE u.status WHEN 'active' THEN 'active' ELSE 'inactive' END AS status,"                    \
    " NULL AS locale, 'public' AS visibility, NULL AS meta_title, NULL AS meta_description,"       \
    " NULL AS tour, NULL AS last_seen, " SQL_X_DATE "u.created_at, 'unixepoch') AS created_at,"    \
    " " SQL_X_DATE "u.updated_at, 'unixepoch') AS updated_at, u.role AS newsdesk_role,"            \
    " nullif(" SQL_PUBLIC_CONTACT ", '') AS contact_email FROM users u ORDER BY u.id"

#define SQL_EXPORT_ROLES_USERS                                                                     \
    "SELECT " SQL_X_ID "9, u.id) AS id, " SQL_X_ID "5, " SQL_X_ROLE ") AS role_id,"                \
    " " SQL_X_USER_ID " AS user_id FROM users u ORDER BY u.id"

#define SQL_EXPORT_TAGS                                                                            \
    "SELECT " SQL_X_TAG_ID " AS id, t.name, t.slug,"                                               \
    " nullif(t.description, '') AS description, NULL AS feature_image, NULL AS parent_id,"         \
    " t.visibility, NULL AS og_image, NULL AS og_title, NULL AS og_description,"                   \
    " NULL AS twitter_image, NULL AS twitter_title, NULL AS twitter_description,"                  \
    " NULL AS meta_title, NULL AS meta_description, NULL AS codeinjection_head,"                   \
    " NULL AS codeinjection_foot, NULL AS canonical_url, NULL AS accent_color,"                    \
    " " SQL_X_DATE "t.created_at, 'unixepoch') AS created_at,"                                     \
    " " SQL_X_DATE "t.created_at, 'unixepoch') AS updated_at FROM tags t ORDER BY t.id"

/* a link row's id: the kind, then the post's and the tag's or user's ids, 8 hex each */
#define SQL_EXPORT_POSTS_TAGS                                                                      \
    "SELECT printf('6e64%04x%08x%08x', 7, x.post_id, x.tag_id) AS id,"                             \
    " " SQL_X_POST_ID " AS post_id, " SQL_X_TAG_ID " AS tag_id, x.sort_order"                      \
    " FROM post_tags x JOIN posts p ON p.id = x.post_id JOIN tags t ON t.id = x.tag_id"            \
    " ORDER BY x.post_id, x.sort_order"

#define SQL_EXPORT_POSTS_AUTHORS                                                                   \
    "SELECT printf('6e64%04x%08x%08x', 8, x.post_id, x.user_id) AS id,"                            \
    " " SQL_X_POST_ID " AS post_id, " SQL_X_USER_ID " AS author_id, x.sort_order"                  \
    " FROM post_authors x JOIN posts p ON p.id = x.post_id JOIN users u ON u.id = x.user_id"       \
    " ORDER BY x.post_id, x.sort_order"

#define STORE_SQL_EXPORT(X)                                                                        \
    X(EXPORT_BEGIN, "BEGIN DEFERRED")                                                              \
    X(EXPORT_END, "COMMIT")                                                                        \
    X(EXPORT_POSTS, SQL_EXPORT_POSTS)                                                              \
    X(EXPORT_POSTS_META, SQL_EXPORT_POSTS_META)                                                    \
    X(EXPORT_USERS, SQL_EXPORT_USERS)                                                              \
    X(EXPORT_ROLES_USERS, SQL_EXPORT_ROLES_USERS)                                                  \
    X(EXPORT_TAGS, SQL_EXPORT_TAGS)                                                                \
    X(EXPORT_POSTS_TAGS, SQL_EXPORT_POSTS_TAGS)                                                    \
    X(EXPORT_POSTS_AUTHORS, SQL_EXPORT_POSTS_AUTHORS)                                              \
    X(EXPORT_POSTS_COUNT, "SELECT count(*) FROM posts")                                            \
    X(EXPORT_CHANGE_AFTER, "INSERT INTO changes(seq, at, deps) VALUES (?1, ?2, '*')")              \
    X(EXPORT_USER_LOCATION, "UPDATE users SET location = ?2, updated_at = ?3 WHERE id = ?1")       \
    X(EXPORT_USER_LOCATION_GET, "SELECT location FROM users WHERE id = ?1")                        \
    X(EXPORT_TAG_INSERT, "INSERT INTO tags(slug, name, description, visibility, created_at)"       \
                         " VALUES (?1, ?2, ?3, ?4, ?5)")                                           \
    /* migrate.c: the tables of the database, and a table's identity counter (?1 the table,        \
     * ?2 its column): the last value given (SQLite: AUTOINCREMENT's, else no row) and, past       \
     * the copied rows, set to at least ?3 */                                                      \
    X(MIGRATE_TABLES, "SELECT name FROM sqlite_schema WHERE type = 'table'")                       \
    X(MIGRATE_SEQ_GET, "SELECT seq FROM sqlite_sequence WHERE name = ?1 AND ?2 IS NOT NULL")       \
    X(MIGRATE_SEQ_SET, "UPDATE sqlite_sequence SET seq = max(seq, ?3)"                             \
                       " WHERE name = ?1 AND ?2 IS NOT NULL")

#endif
