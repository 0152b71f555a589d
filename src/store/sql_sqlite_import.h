/* The statements of the importers (store/import.c): staging, the id map, checkpoints, redirects;
 * part of STORE_SQL (sql_sqlite.h). */
#ifndef STORE_SQL_SQLITE_IMPORT_H
#define STORE_SQL_SQLITE_IMPORT_H

/*
 * The staging database: a temporary file SQLite makes and removes itself (ATTACH '' is a
 * private temporary database), attached to the writer for the length of one import, so a
 * file of any size is staged on disk rather than in memory.
 */
#define SQL_IMPORT_STAGING_CREATE                                                                  \
    "CREATE TABLE staging.site(k TEXT PRIMARY KEY, v TEXT NOT NULL);"                              \
    "CREATE TABLE staging.users(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ghost_id TEXT,"  \
    "  slug TEXT, name TEXT, email TEXT, bio TEXT, avatar TEXT, website TEXT, location TEXT,"      \
    "  role TEXT);"                                                                                \
    "CREATE TABLE staging.tags(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ghost_id TEXT,"   \
    "  slug TEXT, name TEXT, description TEXT, internal INTEGER);"                                 \
    "CREATE TABLE staging.posts(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, ghost_id TEXT,"  \
    "  uuid TEXT, slug TEXT, title TEXT, body_kind INTEGER, body TEXT, custom_excerpt TEXT,"       \
    "  feature_image TEXT, feature_image_attachment TEXT, status INTEGER, page INTEGER,"           \
    "  featured INTEGER, created_at INTEGER, updated_at INTEGER, published_at INTEGER,"            \
    "  old_path TEXT);"                                                                            \
    "CREATE TABLE staging.post_tags(seq INTEGER PRIMARY KEY, post_id TEXT, other TEXT, ord INT);"  \
    "CREATE INDEX staging.post_tags_post ON post_tags(post_id, ord, seq);"                         \
    "CREATE TABLE staging.post_authors(seq INTEGER PRIMARY KEY, post_id TEXT, other TEXT,"         \
    "  ord INT);"                                                                                  \
    "CREATE INDEX staging.post_authors_post ON post_authors(post_id, ord, seq);"                   \
    "CREATE TABLE staging.post_meta(post_id TEXT PRIMARY KEY, alt TEXT, caption TEXT,"             \
    "  meta_title TEXT, meta_description TEXT, og_image TEXT, og_title TEXT, og_description TEXT," \
    "  twitter_image TEXT, twitter_title TEXT, twitter_description TEXT, canonical_url TEXT);"     \
    "CREATE TABLE staging.attachments(id TEXT PRIMARY KEY, url TEXT, file TEXT, alt TEXT,"         \
    "  caption TEXT, title TEXT);"                                                                 \
    "CREATE TABLE staging.redirects(from_path TEXT PRIMARY KEY, kind INTEGER, id TEXT);"           \
    "CREATE TABLE staging.media(url TEXT PRIMARY KEY, local TEXT NOT NULL);"

/* A staged post's columns, as import.c reads them (store_import_posts). */
#define SQL_STG_POST_COLS                                                                          \
    "seq, id, ghost_id, uuid, slug, title, body_kind, body, custom_excerpt, feature_image,"        \
    " feature_image_attachment, status, page, featured, created_at, updated_at, published_at,"     \
    " old_path"

/* A staged meta row: a later record fills what it has and leaves the rest. */
#define SQL_STG_META_UPDATE                                                                        \
    "alt = CASE WHEN excluded.alt <> '' THEN excluded.alt ELSE alt END, "                          \
    "caption = CASE WHEN excluded.caption <> '' THEN excluded.caption ELSE caption END, "          \
    "meta_title = CASE WHEN excluded.meta_title <> '' THEN excluded.meta_title ELSE meta_title "   \
    "END, "                                                                                        \
    "meta_description = CASE WHEN excluded.meta_description <> '' THEN excluded.meta_description " \
    "ELSE meta_description END, "                                                                  \
    "og_image = CASE WHEN excluded.og_image <> '' THEN excluded.og_image ELSE og_image END, "      \
    "og_title = CASE WHEN excluded.og_title <> '' THEN excluded.og_title ELSE og_title END, "      \
    "og_description = CASE WHEN excluded.og_description <> '' THEN excluded.og_description ELSE "  \
    "og_description END, "                                                                         \
    "twitter_image = CASE WHEN excluded.twitter_image <> '' THEN excluded.twitter_image ELSE "     \
    "twitter_image END, "                                                                          \
    "twitter_title = CASE WHEN excluded.twitter_title <> '' THEN excluded.twitter_title ELSE "     \
    "twitter_title END, "                                                                          \
    "twitter_description = CASE WHEN excluded.twitter_description <> '' THEN "                     \
    "excluded.twitter_description ELSE twitter_description END, "                                  \
    "canonical_url = CASE WHEN excluded.canonical_url <> '' THEN excluded.canonical_url ELSE "     \
    "canonical_url END"

#define STORE_SQL_IMPORT(X)                                                                        \
    X(IMPORT_ATTACH, "ATTACH DATABASE '' AS staging")                                              \
    X(IMPORT_DETACH, "DETACH DATABASE staging")                                                    \
    X(STG_SITE_SET, "INSERT OR REPLACE INTO staging.site(k, v) VALUES (?1, ?2)")                   \
    X(STG_SITE_ALL, "SELECT k, v FROM staging.site")                                               \
    X(STG_USER_INSERT,                                                                             \
      "INSERT INTO staging.users(id, ghost_id, slug, name, email, bio, avatar,"                    \
      " website, location, role) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")                \
    X(STG_USER_ROLE, "UPDATE staging.users SET role = ?2 WHERE id = ?1")                           \
    X(STG_USERS, "SELECT id, ghost_id, slug, name, email, bio, avatar, website, location, role"    \
                 " FROM staging.users ORDER BY seq")                                               \
    X(STG_TAG_INSERT, "INSERT INTO staging.tags(id, ghost_id, slug, name, description, internal)"  \
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                          \
    X(STG_TAGS, "SELECT id, ghost_id, slug, name, description, internal FROM staging.tags"         \
                " ORDER BY seq")                                                                   \
    X(STG_POST_INSERT,                                                                             \
      "INSERT INTO staging.posts(id, ghost_id, uuid, slug, title, body_kind,"                      \
      " body, custom_excerpt, feature_image, feature_image_attachment, status, page, featured,"    \
      " created_at, updated_at, published_at, old_path) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"       \
      " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)")                                          \
    X(STG_POSTS_PAGE, "SELECT " SQL_STG_POST_COLS " FROM staging.posts WHERE seq > ?1"             \
                      " ORDER BY seq LIMIT ?2")                                                    \
    X(STG_POSTS_COUNT, "SELECT count(*) FROM staging.posts")                                       \
    X(STG_POST_TAG, "INSERT INTO staging.post_tags(post_id, other, ord) VALUES (?1, ?2, ?3)")      \
    X(STG_POST_AUTHOR, "INSERT INTO staging.post_authors(post_id, other, ord)"                     \
                       " VALUES (?1, ?2, ?3)")                                                     \
    X(STG_TAGS_OF, "SELECT other FROM staging.post_tags WHERE post_id = ?1 ORDER BY ord, seq")     \
    X(STG_AUTHORS_OF, "SELECT other FROM staging.post_authors WHERE post_id = ?1"                  \
                      " ORDER BY ord, seq")                                                        \
    X(STG_META_SET,                                                                                \
      "INSERT INTO staging.post_meta(post_id, alt, caption, meta_title,"                           \
      " meta_description, og_image, og_title, og_description, twitter_image, twitter_title,"       \
      " twitter_description, canonical_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"      \
      " ?11, ?12) ON CONFLICT(post_id) DO UPDATE SET " SQL_STG_META_UPDATE)                        \
    X(STG_META_OF,                                                                                 \
      "SELECT alt, caption, meta_title, meta_description, og_image, og_title,"                     \
      " og_description, twitter_image, twitter_title, twitter_description, canonical_url"          \
      " FROM staging.post_meta WHERE post_id = ?1")                                                \
    X(STG_ATTACHMENT_INSERT, "INSERT OR REPLACE INTO staging.attachments(id, url, file, alt,"      \
                             " caption, title) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                   \
    X(STG_ATTACHMENT_GET, "SELECT id, url, file, alt, caption, title FROM staging.attachments"     \
                          " WHERE id = ?1 OR url = ?2 LIMIT 1")                                    \
    X(STG_REDIRECT_INSERT, "INSERT OR REPLACE INTO staging.redirects(from_path, kind, id)"         \
                           " VALUES (?1, ?2, ?3)")                                                 \
    X(STG_REDIRECTS, "SELECT from_path, kind, id FROM staging.redirects ORDER BY from_path")       \
    X(STG_MEDIA_GET, "SELECT local FROM staging.media WHERE url = ?1")                             \
    X(STG_MEDIA_SET, "INSERT OR REPLACE INTO staging.media(url, local) VALUES (?1, ?2)")           \
    X(IMPORT_MAP_GET, "SELECT local_id, digest FROM import_map WHERE source = ?1 AND kind = ?2"    \
                      " AND source_id = ?3")                                                       \
    X(IMPORT_MAP_SET, "INSERT INTO import_map(source, kind, source_id, local_id, digest)"          \
                      " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(source, kind, source_id)"          \
                      " DO UPDATE SET local_id = excluded.local_id, digest = excluded.digest")     \
    X(IMPORT_RUN_LAST, "SELECT id, done, coalesce(finished_at, 0) FROM import_runs"                \
                       " WHERE file_digest = ?1 AND source = ?2 ORDER BY id DESC LIMIT 1")         \
    X(IMPORT_RUN_INSERT, "INSERT INTO import_runs(source, file_digest, done, started_at)"          \
                         " VALUES (?1, ?2, ?3, ?4)")                                               \
    X(IMPORT_RUN_DONE, "UPDATE import_runs SET done = ?2 WHERE id = ?1")                           \
    X(IMPORT_RUN_FINISH, "UPDATE import_runs SET finished_at = ?2 WHERE id = ?1")                  \
    X(IMPORT_POST_FIX,                                                                             \
      "UPDATE posts SET created_at = coalesce(nullif(?2, 0), created_at),"                         \
      " updated_at = coalesce(nullif(?3, 0), updated_at),"                                         \
      " uuid = coalesce(nullif(?4, ''), uuid), ghost_id = coalesce(nullif(?5, ''), ghost_id)"      \
      " WHERE id = ?1")                                                                            \
    X(IMPORT_TAG_INSERT, "INSERT INTO tags(slug, name, description, ghost_id, visibility,"         \
                         " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                           \
    X(IMPORT_TAG_UPDATE, "UPDATE tags SET name = ?2, description = ?3,"                            \
                         " ghost_id = coalesce(?4, ghost_id), visibility = ?5 WHERE id = ?1")      \
    X(IMPORT_TAG_BY_GHOST_ID, "SELECT id FROM tags WHERE ghost_id = ?1")                           \
    X(IMPORT_USER_FIND,                                                                            \
      "SELECT id FROM users WHERE (?1 <> '' AND ghost_id = ?1) OR slug = ?2"                       \
      " OR (?3 <> '' AND password_hash IS NOT NULL AND lower(email) = lower(?3))"                  \
      " ORDER BY (?1 <> '' AND ghost_id = ?1) DESC, slug = ?2 DESC LIMIT 1")                       \
    X(IMPORT_USER_INSERT,                                                                          \
      "INSERT INTO users(slug, name, email, contact_email, bio, avatar,"                           \
      " website, location, role, ghost_id, password_hash, created_at, updated_at)"                 \
      " VALUES (?1, ?2, ?3, '', ?4, ?5, ?6, ?7, ?8, ?9, '', ?10, ?10)")                            \
    X(IMPORT_USER_UPDATE,                                                                          \
      "UPDATE users SET name = ?2, bio = ?3, avatar = ?4, website = ?5,"                           \
      " location = ?6, ghost_id = coalesce(?7, ghost_id), updated_at = ?8 WHERE id = ?1")          \
    X(REDIRECT_SET, "INSERT INTO redirects(from_path, to_path, source) VALUES (?1, ?2, ?3)"        \
                    " ON CONFLICT(from_path) DO UPDATE SET to_path = excluded.to_path,"            \
                    " source = excluded.source")                                                   \
    X(REDIRECT_GET, "SELECT to_path FROM redirects WHERE from_path = ?1")

#endif
