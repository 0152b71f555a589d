/* The statements of export, backup and restore (store/export.c); part of STORE_SQL (sql_sqlite.h).
 *
 * The export's statements give Ghost's columns under Ghost's names, in the order of
 * Ghost 5's export (see README "Export, backup and restore"), so export.c writes each row
 * as it comes. ?1 is the site's address ("https://news.example.org"): our site paths
 * ("/media/...") become absolute with it. Ids: a row's Ghost id when it came from Ghost,
 * else the 24-hex id the Content API gives it (api_id_format: "6e64", the kind, the id).
 */
#ifndef STORE_SQL_SQLITE_EXPORT_H
#define STORE_SQL_SQLITE_EXPORT_H

#define SQL_EXPORT_ID(kind, id) "printf('6e64%04x%016x', " kind ", " id ")"
#define SQL_EXPORT_GID(kind, tbl) "coalesce(" tbl ".ghost_id, " SQL_EXPORT_ID(kind, tbl ".id") ")"
#define SQL_EXPORT_DATE(x) "strftime('%Y-%m-%d %H:%M:%S', " x ", 'unixepoch')"
/* a site path made absolute; empty is null; anything else as it is */
#define SQL_EXPORT_URL(x)                                                                          \
    "CASE WHEN " x " = '' THEN NULL WHEN " x " LIKE '/%' AND " x " NOT LIKE '//%'"                 \
    " THEN ?1 || " x " ELSE " x " END"
#define SQL_EXPORT_HTML(x)                                                                         \
    "replace(replace(" x ", ' src=\"/', ' src=\"' || ?1 || '/'), ' href=\"/', ' href=\"' || ?1"  \
    " || '/')"
/* our role → Ghost's role, as an id of the roles the export writes (1..4) */
#define SQL_EXPORT_ROLE                                                                            \
    "CASE u.role WHEN 'administrator' THEN 1 WHEN 'editor' THEN 2"                                 \
    " WHEN 'contributor' THEN 4 ELSE 3 END"

#define STORE_SQL_EXPORT(X)                                                                        \
    X(EXPORT_BEGIN, "BEGIN DEFERRED")                                                              \
    X(EXPORT_END, "COMMIT")                                                                        \
    X(EXPORT_POSTS,                                                                                \
      "SELECT " SQL_EXPORT_GID("1", "p") " AS id, p.uuid, p.title, p.slug, NULL AS mobiledoc,"     \
      " NULL AS lexical, " SQL_EXPORT_HTML("b.html") " AS html,"                                   \
      " " SQL_EXPORT_GID("1", "p") " AS comment_id, b.plaintext,"                                  \
      " " SQL_EXPORT_URL("p.feature_image") " AS feature_image, p.featured, p.type, p.status,"     \
      " NULL AS locale, p.visibility, 'all' AS email_recipient_filter,"                            \
      " " SQL_EXPORT_DATE("p.created_at") " AS created_at,"                                        \
      " " SQL_EXPORT_DATE("p.updated_at") " AS updated_at,"                                        \
      " " SQL_EXPORT_DATE("p.published_at") " AS published_at,"                                    \
      " nullif(p.custom_excerpt, '') AS custom_excerpt, NULL AS codeinjection_head,"               \
      " NULL AS codeinjection_foot, NULL AS custom_template,"                                      \
      " nullif(m.canonical_url, '') AS canonical_url, NULL AS newsletter_id,"                      \
      " 1 AS show_title_and_feature_image, b.markdown AS markdown"                                 \
      " FROM posts p JOIN post_bodies b ON b.post_id = p.id"                                       \
      " LEFT JOIN post_meta m ON m.post_id = p.id WHERE ?1 IS NOT NULL ORDER BY p.id")             \
    X(EXPORT_POSTS_META,                                                                           \
      "SELECT " SQL_EXPORT_ID("4", "p.id") " AS id, " SQL_EXPORT_GID("1", "p") " AS post_id,"      \
      " " SQL_EXPORT_URL("coalesce(m.og_image, '')") " AS og_image,"                               \
      " nullif(m.og_title, '') AS og_title, nullif(m.og_description, '') AS og_description,"       \
      " " SQL_EXPORT_URL("coalesce(m.twitter_image, '')") " AS twitter_image,"                     \
      " nullif(m.twitter_title, '') AS twitter_title,"                                             \
      " nullif(m.twitter_description, '') AS twitter_description,"                                 \
      " nullif(m.meta_title, '') AS meta_title,"                                                   \
      " nullif(m.meta_description, '') AS meta_description, NULL AS email_subject,"                \
      " NULL AS frontmatter, nullif(p.feature_image_alt, '') AS feature_image_alt,"                \
      " nullif(p.feature_image_caption, '') AS feature_image_caption, 0 AS email_only"             \
      " FROM posts p LEFT JOIN post_meta m ON m.post_id = p.id"                                    \
      " WHERE m.post_id IS NOT NULL OR p.feature_image_alt <> '' OR p.feature_image_caption <> ''" \
      " ORDER BY p.id")                                                                            \
    X(EXPORT_USERS,                                                                                \
      "SELECT " SQL_EXPORT_GID("3", "u") " AS id, u.name, u.slug,"                                 \
      " CASE WHEN u.role = 'desk' OR u.email = '' THEN u.slug || '@desk.invalid'"                  \
      " ELSE u.email END AS email, " SQL_EXPORT_URL("u.avatar") " AS profile_image,"               \
      " NULL AS cover_image, nullif(u.bio, '') AS bio, nullif(u.website, '') AS website,"          \
      " nullif(u.location, '') AS location, NULL AS facebook, NULL AS twitter,"                    \
      " NULL AS accessibility,"                                                                    \
      " CASE u.status WHEN 'active' THEN 'active' ELSE 'inactive' END AS status,"                  \
      " NULL AS locale, 'public' AS visibility, NULL AS meta_title, NULL AS meta_description,"     \
      " NULL AS tour, NULL AS last_seen, " SQL_EXPORT_DATE("u.created_at") " AS created_at,"       \
      " " SQL_EXPORT_DATE("u.updated_at") " AS updated_at, u.role AS newsdesk_role,"               \
      " nullif(" SQL_PUBLIC_CONTACT ", '') AS contact_email"                                       \
      " FROM users u WHERE ?1 IS NOT NULL ORDER BY u.id")                                          \
    X(EXPORT_ROLES_USERS,                                                                          \
      "SELECT " SQL_EXPORT_ID("9", "u.id") " AS id, " SQL_EXPORT_ID("5", SQL_EXPORT_ROLE)          \
      " AS role_id, " SQL_EXPORT_GID("3", "u") " AS user_id FROM users u"                          \
      " WHERE ?1 IS NOT NULL ORDER BY u.id")                                                       \
    X(EXPORT_TAGS,                                                                                 \
      "SELECT " SQL_EXPORT_GID("2", "t") " AS id, t.name, t.slug,"                                 \
      " nullif(t.description, '') AS description, NULL AS feature_image, NULL AS parent_id,"       \
      " t.visibility, NULL AS og_image, NULL AS og_title, NULL AS og_description,"                 \
      " NULL AS twitter_image, NULL AS twitter_title, NULL AS twitter_description,"                \
      " NULL AS meta_title, NULL AS meta_description, NULL AS codeinjection_head,"                 \
      " NULL AS codeinjection_foot, NULL AS canonical_url, NULL AS accent_color,"                  \
      " " SQL_EXPORT_DATE("t.created_at") " AS created_at,"                                        \
      " " SQL_EXPORT_DATE("t.created_at") " AS updated_at"                                         \
      " FROM tags t WHERE ?1 IS NOT NULL ORDER BY t.id")                                           \
    X(EXPORT_POSTS_TAGS,                                                                           \
      "SELECT printf('6e64%04x%08x%08x', 7, x.post_id, x.tag_id) AS id,"                           \
      " " SQL_EXPORT_GID("1", "p") " AS post_id, " SQL_EXPORT_GID("2", "t") " AS tag_id,"          \
      " x.sort_order FROM post_tags x JOIN posts p ON p.id = x.post_id"                            \
      " JOIN tags t ON t.id = x.tag_id WHERE ?1 IS NOT NULL ORDER BY x.post_id, x.sort_order")     \
    X(EXPORT_POSTS_AUTHORS,                                                                        \
      "SELECT printf('6e64%04x%08x%08x', 8, x.post_id, x.user_id) AS id,"                          \
      " " SQL_EXPORT_GID("1", "p") " AS post_id, " SQL_EXPORT_GID("3", "u") " AS author_id,"       \
      " x.sort_order FROM post_authors x JOIN posts p ON p.id = x.post_id"                         \
      " JOIN users u ON u.id = x.user_id WHERE ?1 IS NOT NULL ORDER BY x.post_id, x.sort_order")   \
    X(EXPORT_POSTS_COUNT, "SELECT count(*) FROM posts")                                            \
    X(EXPORT_CHANGE_AFTER, "INSERT INTO changes(seq, at, deps) VALUES (?1, ?2, '*')")              \
    X(EXPORT_USER_LOCATION, "UPDATE users SET location = ?2, updated_at = ?3 WHERE id = ?1")       \
    X(EXPORT_USER_LOCATION_GET, "SELECT location FROM users WHERE id = ?1")                        \
    X(EXPORT_TAG_INSERT, "INSERT INTO tags(slug, name, description, visibility, created_at)"       \
                         " VALUES (?1, ?2, ?3, ?4, ?5)")

#endif
