/*
 * The schema, as a list of migrations. Migration N brings a database from user_version
 * N-1 to N; each runs in its own transaction. Never edit a migration that has shipped:
 * add the next one.
 */
#include "store/store_int.h"

/*
 * Feed order and denormalised dates.
 *
 * Tag and author pages list "published posts carrying X, newest first". With the date
 * only on posts, SQLite must either walk post_tags for X and sort (slow for a tag on most
 * of 100,000 posts) or walk posts by date and probe post_tags (slow for a rare tag on a
 * deep page). So post_tags and post_authors carry feed_at: the post's published_at while
 * it is published, NULL otherwise, kept by the trigger below and by the INSERTs in
 * posts.c. A partial index on (tag_id, feed_at, post_id) then answers every page and
 * cursor as an index range.
 *
 * Bodies apart. A list reads 16 post rows; with the Markdown, HTML and plain text in the
 * row (several KB, on overflow pages) SQLite walked those pages to reach the teaser's
 * text, which was half of a deep page's cost (measured with callgrind). So the bodies
 * live in post_bodies, read only by the article, and posts keeps "lead": the first 600
 * characters of the plain text, what a teaser's excerpt is cut from.
 */
static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE settings ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ") WITHOUT ROWID;"

    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  email TEXT NOT NULL DEFAULT '',"
    "  bio TEXT NOT NULL DEFAULT '',"
    "  avatar TEXT NOT NULL DEFAULT '',"
    "  website TEXT NOT NULL DEFAULT '',"
    "  role TEXT NOT NULL DEFAULT 'contributor'"
    "    CHECK (role IN ('contributor','author','editor','administrator','desk')),"
    "  password_hash TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE tags ("
    "  id INTEGER PRIMARY KEY,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL"
    ");"

    "CREATE TABLE posts ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  slug TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  lead TEXT NOT NULL DEFAULT '',"
    "  custom_excerpt TEXT NOT NULL DEFAULT '',"
    "  feature_image TEXT NOT NULL DEFAULT '',"
    "  status TEXT NOT NULL CHECK (status IN ('draft','scheduled','published')),"
    "  visibility TEXT NOT NULL DEFAULT 'public',"
    "  featured INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  published_at INTEGER"
    ");"
    "CREATE INDEX posts_feed ON posts(published_at DESC, id DESC) WHERE status = 'published';"

    "CREATE TABLE post_bodies ("
    "  post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
    "  markdown TEXT NOT NULL,"
    "  html TEXT NOT NULL,"
    "  plaintext TEXT NOT NULL"
    ");"
    "CREATE INDEX posts_status ON posts(status, published_at);"

    "CREATE TABLE post_tags ("
    "  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
    "  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,"
    "  sort_order INTEGER NOT NULL,"
    "  feed_at INTEGER,"
    "  PRIMARY KEY (post_id, tag_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX post_tags_feed ON post_tags(tag_id, feed_at DESC, post_id DESC)"
    "  WHERE feed_at IS NOT NULL;"

    "CREATE TABLE post_authors ("
    "  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  sort_order INTEGER NOT NULL,"
    "  feed_at INTEGER,"
    "  PRIMARY KEY (post_id, user_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX post_authors_feed ON post_authors(user_id, feed_at DESC, post_id DESC)"
    "  WHERE feed_at IS NOT NULL;"

    "CREATE TRIGGER posts_feed_at AFTER UPDATE OF status, published_at ON posts BEGIN"
    "  UPDATE post_tags SET feed_at = CASE WHEN NEW.status = 'published'"
    "    THEN NEW.published_at END WHERE post_id = NEW.id;"
    "  UPDATE post_authors SET feed_at = CASE WHEN NEW.status = 'published'"
    "    THEN NEW.published_at END WHERE post_id = NEW.id;"
    "END;",

    /*
     * 2: the change log. Every write that readers can see appends one row naming what it
     * touched ("post:12 list tag:3 author:1"), in the same transaction, so that a server
     * (in this or another process) can invalidate exactly the cached responses that
     * could show it.
     */
    "CREATE TABLE changes ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  at INTEGER NOT NULL,"
    "  deps TEXT NOT NULL"
    ");",

    /*
     * 3: the newsroom. Staff log in by users.email; what readers see on an author card
     * is users.contact_email (a desk's or a reporter's public address), which starts as
     * the old email. Sessions are kept by the SHA-256 of their token, so a copy of the
     * database does not let anyone in. Revisions keep every save of a post; tips are
     * what readers send; audit is who did what.
     */
    "ALTER TABLE users ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';"
    "UPDATE users SET contact_email = email;"
    "ALTER TABLE users ADD COLUMN status TEXT NOT NULL DEFAULT 'active'"
    "  CHECK (status IN ('active','disabled'));"
    "CREATE UNIQUE INDEX users_login ON users(email COLLATE NOCASE)"
    "  WHERE password_hash IS NOT NULL;"

    "ALTER TABLE posts ADD COLUMN feature_image_alt TEXT NOT NULL DEFAULT '';"

    "CREATE TABLE sessions ("
    "  token_hash BLOB PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  seen_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  address TEXT NOT NULL DEFAULT '',"
    "  user_agent TEXT NOT NULL DEFAULT ''"
    ") WITHOUT ROWID;"
    "CREATE INDEX sessions_user ON sessions(user_id);"

    "CREATE TABLE revisions ("
    "  id INTEGER PRIMARY KEY,"
    "  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  created_at INTEGER NOT NULL,"
    "  action TEXT NOT NULL DEFAULT 'save',"
    "  title TEXT NOT NULL,"
    "  markdown TEXT NOT NULL"
    ");"
    "CREATE INDEX revisions_post ON revisions(post_id, id DESC);"

    "CREATE TABLE tips ("
    "  id INTEGER PRIMARY KEY,"
    "  created_at INTEGER NOT NULL,"
    "  name TEXT NOT NULL DEFAULT '',"
    "  email TEXT NOT NULL DEFAULT '',"
    "  link TEXT NOT NULL DEFAULT '',"
    "  message TEXT NOT NULL,"
    "  about TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT '',"
    "  handled_at INTEGER,"
    "  handled_by INTEGER REFERENCES users(id) ON DELETE SET NULL"
    ");"
    "CREATE INDEX tips_new ON tips(created_at DESC);"

    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  action TEXT NOT NULL,"
    "  target TEXT NOT NULL DEFAULT '',"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  address TEXT NOT NULL DEFAULT ''"
    ");",

    /*
     * 4: pages and Content API keys. A page (About, Contact) is a post row with type
     * 'page': served at /slug/ like a post, but never in a list, feed or the posts
     * sitemap. So the feed indexes gain type: posts_status, which SQLite picks as a
     * covering index for the feed ("status = 'published' ORDER BY published_at DESC, id
     * DESC", deep OFFSETs included), becomes (status, type, published_at); posts_feed is
     * partial on type = 'post' too (every list query names both conditions); and the
     * trigger gives a page's post_tags and post_authors rows no feed_at: tag and author
     * lists, which walk the feed_at indexes, can never meet a page.
     *
     * api_keys holds Ghost-style keys. A content key is public by design (it sits in
     * front-end JavaScript), so it is kept as it is; a revoked key keeps its row with
     * revoked_at set, so `apikey list` can still say what it was.
     */
    "ALTER TABLE posts ADD COLUMN type TEXT NOT NULL DEFAULT 'post'"
    "  CHECK (type IN ('post','page'));"
    "DROP INDEX posts_feed;"
    "CREATE INDEX posts_feed ON posts(published_at DESC, id DESC)"
    "  WHERE status = 'published' AND type = 'post';"
    "DROP INDEX posts_status;"
    "CREATE INDEX posts_status ON posts(status, type, published_at);"
    "DROP TRIGGER posts_feed_at;"
    "CREATE TRIGGER posts_feed_at AFTER UPDATE OF status, published_at, type ON posts BEGIN"
    "  UPDATE post_tags SET feed_at = CASE WHEN NEW.status = 'published'"
    "    AND NEW.type = 'post' THEN NEW.published_at END WHERE post_id = NEW.id;"
    "  UPDATE post_authors SET feed_at = CASE WHEN NEW.status = 'published'"
    "    AND NEW.type = 'post' THEN NEW.published_at END WHERE post_id = NEW.id;"
    "END;"

    "CREATE TABLE api_keys ("
    "  id INTEGER PRIMARY KEY,"
    "  type TEXT NOT NULL CHECK (type IN ('content','admin')),"
    "  name TEXT NOT NULL,"
    "  secret TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  revoked_at INTEGER"
    ");",

    /*
     * 5: the editor that never loses a word.
     *
     * posts.version counts every change to a post's row, whoever makes it (the editor,
     * the CLI, the scheduler, an API): a form carries the version it was read at, and a
     * save against a newer one is a conflict, refused and kept as a revision. updated_at
     * alone cannot say it: two saves in one second share it. The trigger bumps the
     * version for every UPDATE that did not set one itself (recursive triggers are off:
     * its own UPDATE does not fire it again).
     *
     * editing says who has which post open (a presence note, never a lock): the editor's
     * page renews its row while open; a row older than a minute is gone.
     *
     * secrets holds keys made here, never shown: "preview" signs the links that let
     * staff share a draft before it is published.
     *
     * Login e-mails off public pages: until now a person's public contact e-mail started
     * as their login e-mail, which put it on every article they wrote. Each such copy is
     * cleared (and the audit log says so); contact_confirmed records an administrator's
     * explicit choice to make a login e-mail public as well.
     */
    "ALTER TABLE posts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;"
    "CREATE TRIGGER posts_version AFTER UPDATE ON posts WHEN NEW.version = OLD.version BEGIN"
    "  UPDATE posts SET version = OLD.version + 1 WHERE id = NEW.id;"
    "END;"

    "CREATE TABLE editing ("
    "  post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  seen_at INTEGER NOT NULL,"
    "  PRIMARY KEY (post_id, user_id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE secrets ("
    "  name TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL"
    ") WITHOUT ROWID;"
    "INSERT INTO secrets (name, value) VALUES ('preview', randomblob(32));"

    "ALTER TABLE users ADD COLUMN contact_confirmed INTEGER NOT NULL DEFAULT 0;"
    "INSERT INTO audit (at, user_id, action, target, detail)"
    "  SELECT CAST(strftime('%s', 'now') AS INTEGER), NULL, 'privacy', 'user:' || id,"
    "    'public contact e-mail cleared: it was the login e-mail'"
    "  FROM users WHERE password_hash IS NOT NULL AND contact_email <> ''"
    "    AND lower(contact_email) = lower(email);"
    "UPDATE users SET contact_email = '' WHERE password_hash IS NOT NULL"
    "  AND contact_email <> '' AND lower(contact_email) = lower(email);",

    /*
     * 6: photos. media holds what is known of a photo, media_files its bytes: the upload
     * (only until the stripped original exists), 'orig', and every rendition, named
     * 'w640' (fallback format) or 'w640.webp'. key is the first 16 hex digits of the
     * SHA-256 of the uploaded bytes; sha256 the whole digest, so the same file uploaded
     * twice is found and stored once. formats: bits (1 << enum media_format) of the
     * rendition formats. removed: what stripping took away, for the editor ("location,
     * camera serial number"). ready: the stripped original exists.
     *
     * media_files is a rowid table: WITHOUT ROWID suits small rows, not megabyte blobs.
     * posts.feature_image_caption is Ghost's field of that name.
     */
    "CREATE TABLE media ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  sha256 TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  filename TEXT NOT NULL DEFAULT '',"
    "  source INTEGER NOT NULL,"
    "  format INTEGER NOT NULL,"
    "  width INTEGER NOT NULL,"
    "  height INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL DEFAULT 0,"
    "  formats INTEGER NOT NULL DEFAULT 0,"
    "  alt TEXT NOT NULL DEFAULT '',"
    "  decorative INTEGER NOT NULL DEFAULT 0,"
    "  caption TEXT NOT NULL DEFAULT '',"
    "  credit TEXT NOT NULL DEFAULT '',"
    "  removed TEXT NOT NULL DEFAULT '',"
    "  ready INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  updated_at INTEGER NOT NULL"
    ");"
    "CREATE INDEX media_pending ON media(id) WHERE ready = 0;"

    "CREATE TABLE media_files ("
    "  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
    "  variant TEXT NOT NULL,"
    "  mime TEXT NOT NULL,"
    "  width INTEGER NOT NULL,"
    "  height INTEGER NOT NULL,"
    "  data BLOB NOT NULL,"
    "  UNIQUE (media_id, variant)"
    ");"

    "ALTER TABLE posts ADD COLUMN feature_image_caption TEXT NOT NULL DEFAULT '';",

    /*
     * 7: moving a newsroom here (Ghost's Admin API, the importers).
     *
     * ghost_id keeps the 24-hex id a post, tag or person had in Ghost, so that clients
     * which stored ids keep working after an import: the APIs answer with it when set,
     * and find rows by it. Rows made here have none (their ids are derived from the row
     * id, api_id_format).
     *
     * tags.visibility: Ghost's internal tags ("#breaking"), never shown to readers nor
     * listed by the Content API, and never a post's primary tag. Existing tags whose name
     * starts with '#' become internal, as Ghost makes them.
     *
     * users.location: Ghost's profile field. post_meta: Ghost's posts_meta (search and
     * social titles, descriptions and images, the canonical URL), one row per post that
     * sets any of them, so posts rows stay small for lists.
     *
     * api_keys.key_id: the public half of an Admin API key ("id:secret", as Ghost prints
     * it; the JWT's kid). Content keys get one too, for listing.
     *
     * import_map: what each imported row came from (source, kind, the source's id) and a
     * digest of what was imported, so that importing the same file again changes nothing
     * and a changed row is updated, not duplicated. import_runs: each run's checkpoint
     * (items committed so far), so an interrupted import resumes. redirects: old
     * addresses (WordPress's /?p=ID, /2024/10/slug/, /category/x/) answered with 301.
     */
    "ALTER TABLE posts ADD COLUMN ghost_id TEXT;"
    "CREATE UNIQUE INDEX posts_ghost_id ON posts(ghost_id) WHERE ghost_id IS NOT NULL;"
    "ALTER TABLE tags ADD COLUMN ghost_id TEXT;"
    "CREATE UNIQUE INDEX tags_ghost_id ON tags(ghost_id) WHERE ghost_id IS NOT NULL;"
    "ALTER TABLE users ADD COLUMN ghost_id TEXT;"
    "CREATE UNIQUE INDEX users_ghost_id ON users(ghost_id) WHERE ghost_id IS NOT NULL;"

    "ALTER TABLE tags ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'"
    "  CHECK (visibility IN ('public','internal'));"
    "UPDATE tags SET visibility = 'internal' WHERE name LIKE '#%';"

    "ALTER TABLE users ADD COLUMN location TEXT NOT NULL DEFAULT '';"

    "CREATE TABLE post_meta ("
    "  post_id INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,"
    "  meta_title TEXT NOT NULL DEFAULT '',"
    "  meta_description TEXT NOT NULL DEFAULT '',"
    "  og_image TEXT NOT NULL DEFAULT '',"
    "  og_title TEXT NOT NULL DEFAULT '',"
    "  og_description TEXT NOT NULL DEFAULT '',"
    "  twitter_image TEXT NOT NULL DEFAULT '',"
    "  twitter_title TEXT NOT NULL DEFAULT '',"
    "  twitter_description TEXT NOT NULL DEFAULT '',"
    "  canonical_url TEXT NOT NULL DEFAULT ''"
    ");"

    "ALTER TABLE api_keys ADD COLUMN key_id TEXT;"
    "UPDATE api_keys SET key_id = lower(hex(randomblob(12)));"
    "CREATE UNIQUE INDEX api_keys_key_id ON api_keys(key_id);"

    "CREATE TABLE import_map ("
    "  source TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('post','tag','user','media')),"
    "  source_id TEXT NOT NULL,"
    "  local_id INTEGER NOT NULL,"
    "  digest TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (source, kind, source_id)"
    ") WITHOUT ROWID;"

    "CREATE TABLE import_runs ("
    "  id INTEGER PRIMARY KEY,"
    "  source TEXT NOT NULL,"
    "  file_digest TEXT NOT NULL,"
    "  done INTEGER NOT NULL DEFAULT 0,"
    "  started_at INTEGER NOT NULL,"
    "  finished_at INTEGER"
    ");"
    "CREATE INDEX import_runs_file ON import_runs(file_digest, id DESC);"

    "CREATE TABLE redirects ("
    "  from_path TEXT PRIMARY KEY,"
    "  to_path TEXT NOT NULL,"
    "  source TEXT NOT NULL DEFAULT ''"
    ") WITHOUT ROWID;",

    /*
     * 8: the desk's craft.
     *
     * Breaking news: breaking = 1 puts a banner linking to the post on every page, until
     * breaking_until (NULL: until an editor unmarks it); the scheduler clears the flag
     * when the time comes. label is what the theme prints over a headline ('breaking',
     * 'live', or none). pinned keeps a published post first: bit 1 on the home feed,
     * bit 2 on its section (primary tag). Both indexes are tiny: a handful of rows.
     *
     * Corrections as newsrooms publish them: correction is the note readers see
     * ("Correction: an earlier version of this story misstated..."), corrected_at when
     * it was last written. revised_at is the "Updated" readers see: set by a substantive
     * update of a published post, left alone by a minor edit (a typo), while updated_at
     * stays Ghost's time of any change. Existing posts keep what their pages showed.
     *
     * Revisions keep every field a diff compares, not only the title and body; NULL in
     * the older rows means "not recorded". minor marks a save that did not update the
     * story for readers.
     *
     * Tips: the article a reader sent one from (post_id; page is the path, kept when the
     * post goes), read_at for the unread count (tips already handled count as read),
     * who it is assigned to, and the draft made from it. tip_photos are a reader's photos,
     * stored through the photos pipeline as media rows with private = 1: stripped before
     * anyone sees them, served to staff only, never listed in the library nor on a page
     * until an editor chooses to use one.
     *
     * account_tokens: one-time links to set a password, by the SHA-256 of the token as
     * sessions are kept: 'reset' for an existing account, 'invite' for an account an
     * administrator created without one. used_at is set on use; a used or expired token
     * is refused.
     */
    "ALTER TABLE posts ADD COLUMN breaking INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE posts ADD COLUMN breaking_until INTEGER;"
    "ALTER TABLE posts ADD COLUMN label TEXT NOT NULL DEFAULT ''"
    "  CHECK (label IN ('','breaking','live'));"
    "ALTER TABLE posts ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE posts ADD COLUMN correction TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE posts ADD COLUMN corrected_at INTEGER;"
    "ALTER TABLE posts ADD COLUMN revised_at INTEGER;"
    "UPDATE posts SET revised_at = updated_at"
    "  WHERE status = 'published' AND updated_at > published_at + 60;"
    "CREATE INDEX posts_breaking ON posts(breaking_until) WHERE breaking = 1;"
    "CREATE INDEX posts_pinned ON posts(published_at DESC, id DESC) WHERE pinned != 0;"

    "ALTER TABLE revisions ADD COLUMN excerpt TEXT;"
    "ALTER TABLE revisions ADD COLUMN tags TEXT;"
    "ALTER TABLE revisions ADD COLUMN authors TEXT;"
    "ALTER TABLE revisions ADD COLUMN feature_image TEXT;"
    "ALTER TABLE revisions ADD COLUMN feature_image_alt TEXT;"
    "ALTER TABLE revisions ADD COLUMN feature_image_caption TEXT;"
    "ALTER TABLE revisions ADD COLUMN correction TEXT;"
    "ALTER TABLE revisions ADD COLUMN minor INTEGER NOT NULL DEFAULT 0;"

    "ALTER TABLE tips ADD COLUMN post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL;"
    "ALTER TABLE tips ADD COLUMN page TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE tips ADD COLUMN read_at INTEGER;"
    "ALTER TABLE tips ADD COLUMN assigned_to INTEGER REFERENCES users(id) ON DELETE SET NULL;"
    "ALTER TABLE tips ADD COLUMN draft_id INTEGER REFERENCES posts(id) ON DELETE SET NULL;"
    "UPDATE tips SET read_at = handled_at WHERE handled_at IS NOT NULL;"
    "CREATE INDEX tips_unread ON tips(id) WHERE read_at IS NULL;"
    "ALTER TABLE media ADD COLUMN private INTEGER NOT NULL DEFAULT 0;"
    "CREATE TABLE tip_photos ("
    "  tip_id INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,"
    "  media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,"
    "  sort_order INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (tip_id, media_id)"
    ") WITHOUT ROWID;"
    "CREATE INDEX tip_photos_media ON tip_photos(media_id);"

    "CREATE TABLE account_tokens ("
    "  token_hash BLOB PRIMARY KEY,"
    "  kind TEXT NOT NULL CHECK (kind IN ('reset','invite')),"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  used_at INTEGER"
    ") WITHOUT ROWID;"
    "CREATE INDEX account_tokens_user ON account_tokens(user_id);",

    /*
     * 9: full-text search (search.c).
     *
     * post_search holds every post (any status, posts and pages), rowid = posts.id: the
     * title, custom excerpt, plain text, public tag names, author names, the slug with
     * hyphens as spaces (a Latin query finds a Cyrillic title through its transliterated
     * slug) and "forms", the stems of its Cyrillic words (search.c explains the stemmer).
     * unicode61 with remove_diacritics 2 folds case and Latin accents; prefix='2 3' keeps
     * as-you-type prefixes of 2 and 3 characters in the index. newsdesk_fold and
     * newsdesk_forms are functions of the store's own connection (sqlite.c): they join a
     * word's inner apostrophe into it (м'ясо) and strip the snippet marker bytes. No
     * trigger keeps the table in step (a shell or libsqlite3 without those functions must
     * still write the file): the store rewrites a post's row in each write's transaction.
     * Existing databases get every post indexed in the migration's transaction, by
     * store_migration_fill_sql below (it needs those functions, which the backup check's
     * plain connection does not have).
     */
    SQL_SEARCH_CREATE ";",

    /*
     * 10: the whole feed's index carries updated_at. The in-memory feed index
     * (site/feedindex.c) keeps each published post's (published_at, id, lastmod), so
     * that the sitemap index's lastmod per file of posts is a walk of memory, not a
     * window over every post. Read from posts_feed alone (covering) the scan of a million
     * entries takes 0.2 s; with a lookup of each row for updated_at it took 2 to 5 s,
     * paid on the first sitemap after every start or change of settings.
     */
    "DROP INDEX posts_feed;"
    "CREATE INDEX posts_feed ON posts(published_at DESC, id DESC, updated_at)"
    "  WHERE status = 'published' AND type = 'post';",

    /*
     * 11: the WebSub hub's subscriptions (websub/), verified ones only: a request waiting
     * for its verification lives in the hub's memory. dep is the change-log key the
     * topic's feed follows ("list", "tag:3", "author:5"), so a change finds its topics by
     * index; host is the callback's, for the per-host cap. The secret signs deliveries
     * (HMAC), so it is kept as given. No change is logged for them: no page shows them.
     */
    "CREATE TABLE websub_subscriptions ("
    "  id INTEGER PRIMARY KEY,"
    "  topic TEXT NOT NULL,"
    "  callback TEXT NOT NULL,"
    "  host TEXT NOT NULL,"
    "  dep TEXT NOT NULL,"
    "  secret TEXT NOT NULL DEFAULT '',"
    "  lease_seconds INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  UNIQUE (topic, callback)"
    ");"
    "CREATE INDEX websub_subscriptions_dep ON websub_subscriptions(dep, expires_at);"
    "CREATE INDEX websub_subscriptions_host ON websub_subscriptions(host, expires_at);"
    "CREATE INDEX websub_subscriptions_expiry ON websub_subscriptions(expires_at);",

    /*
     * 12: the login and tips limits' events (auth.h), in the database rather than each
     * server's memory, so that several servers on one database hold one limit: five
     * failed logins spread over three servers lock the pair as five on one do. One row an
     * event; a take deletes its name's expired rows first (limit_events_expiry), so the
     * table holds at most a window's events.
     */
    "CREATE TABLE limit_events ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL"
    ");"
    "CREATE INDEX limit_events_key ON limit_events(name, key, at);"
    "CREATE INDEX limit_events_expiry ON limit_events(name, at);",

    /*
     * 13: where a background job that one server runs for all of them has got to (the
     * purger's change sequence), for the server that takes the job over. On PostgreSQL
     * the job's holder is chosen by an advisory lock (sql_pg.h, LEASE_TAKE); on one SQLite
     * file a lock on a file beside it chooses, and that file keeps the position.
     */
    "CREATE TABLE leases ("
    "  name TEXT PRIMARY KEY,"
    "  at INTEGER NOT NULL"
    ") WITHOUT ROWID;",
};

/*
 * The schema version is the number of migrations: adding one without bumping
 * STORE_SCHEMA_VERSION (store.h), or the reverse, fails the build here.
 */
_Static_assert(ARRAY_LEN(migrations) == STORE_SCHEMA_VERSION,
               "STORE_SCHEMA_VERSION must equal the number of migrations");

size_t store_migration_count(void)
{
    return ARRAY_LEN(migrations);
}

const char *store_migration_sql(size_t version)
{
    return version >= 1 && version <= ARRAY_LEN(migrations) ? migrations[version - 1] : NULL;
}

const char *store_migration_fill_sql(size_t version)
{
    return version == 9 ? SQL_SEARCH_FILL_ALL : NULL;
}
