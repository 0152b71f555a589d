/*
 * newsroom: what staff do to posts, the same whichever door they come through (the
 * command line, the editor in the browser): turning a draft into a stored post (Markdown
 * rendered, tags found or created, bylines resolved, a free slug chosen), corrections,
 * and the scheduler that publishes posts when their time comes.
 *
 * Permissions are not checked here: callers ask auth/ first. Every function runs inside
 * the caller's write transaction unless it says otherwise.
 */
#ifndef NEWSROOM_H
#define NEWSROOM_H

#include "base/base.h"
#include "auth/auth.h"
#include "content/content.h"

struct store;

struct newsroom_opts {
    bool may_create_tags;   /* false: a tag name that does not exist yet is refused */
    int64_t default_author; /* byline when the draft names none (0: the News Desk) */
    struct str site_url;    /* photos named by absolute URLs under it are ours too */
};

/**
 * A photo of the library changed (its alt text, caption, credit or "decorative"): every
 * post whose body shows it is rendered again from its unchanged Markdown, so readers see
 * the library's words without anyone saving those posts. No revision is made and
 * updated_at stays: the words are the library's, not a correction of the story. The
 * library's edit calls it after media_update; runs its own transaction on st (the writer).
 */
enum err_code newsroom_photo_changed(struct store *st, struct str key, struct str site_url,
                                     struct arena *a, struct err *err);

/*
 * Both take the desk's flags from d: breaking news (with an expiry ahead) and pins only on
 * a published post, else ERR_INVALID saying what to do; a pinned post is stored featured.
 * A change of them, or of a breaking post, is logged for every page (the banner is on all).
 */

/** Adds d as a new post; *id and *slug (in a) say where it went. */
enum err_code newsroom_post_add(struct store *st, const struct content_draft *d,
                                const struct newsroom_opts *o, struct arena *a, int64_t *id,
                                struct str *slug, struct err *err);
/**
 * Replaces post id with d (a correction): its id and uuid stay, updated_at becomes now,
 * published_at stays unless d sets one (or the post is published for the first time),
 * and the slug changes only when d names another one. *slug receives the slug in use.
 * A published post leaving the site (d is a draft or scheduled) loses the breaking news
 * and pins it had, even when d carries them over.
 */
enum err_code newsroom_post_update(struct store *st, int64_t id, const struct content_draft *d,
                                   const struct newsroom_opts *o, struct arena *a, struct str *slug,
                                   struct err *err);
/**
 * The draft that stores p again as it is, with room for one more tag: where a change of
 * some of its fields starts (its status, a tag, an API's edit, a revision restored), so
 * that it takes the editor's path and keeps what the change does not name. It is a
 * minor edit (d->minor): set minor = false for a change readers should see as an update.
 * Its lists live in a and its texts borrow from p.
 */
void newsroom_draft_of(const struct content_post *p, struct arena *a, struct content_draft *d);

/* ---- revisions (revisions.c) -------------------------------------------------------- */

struct store_revision;

/**
 * s cut at each comma, each item trimmed, empty ones dropped ("a, b, c" → tags or
 * authors), with room for one more item; in a.
 */
size_t newsroom_list_split(struct str s, struct arena *a, struct str **out);
/**
 * The revision that records d as saved by `action`: every field a revision's page
 * compares (tags and authors joined with ", "), and whether it was a minor edit. Texts
 * borrow from d; the joined lists live in a.
 */
void newsroom_revision_of(const struct content_draft *d, const char *action, struct arena *a,
                          struct store_revision *r);
/**
 * Restoring r: its title and body over d, and every other field it recorded (a revision
 * from before they were kept leaves d's as they are). Lists live in a.
 */
void newsroom_revision_restore(const struct store_revision *r, struct arena *a,
                               struct content_draft *d);
/**
 * Publishes post id now (a draft or a scheduled post: CONTENT_PUBLISHED) or takes it back
 * to a draft (CONTENT_DRAFT), as the editor's Publish now and Unpublish do: the post is
 * stored again through newsroom_post_update with everything else as it was. *slug
 * receives its slug (in a).
 */
enum err_code newsroom_post_set_status(struct store *st, int64_t id, enum content_status to,
                                       struct arena *a, struct str *slug, struct err *err);
/**
 * Adds the tag named tag last among post id's tags (a post that has it already is left as
 * it is), through newsroom_post_update. Never creates a tag: ERR_FORBIDDEN when there is
 * none of that name. *slug receives the post's slug (in a).
 */
enum err_code newsroom_post_add_tag(struct store *st, int64_t id, struct str tag, struct arena *a,
                                    struct str *slug, struct err *err);
/*
 * What the stored plain text of posts follows; a database whose setting "plaintext_format"
 * says otherwise (or nothing) was written by an older renderer.
 */
#define NEWSROOM_PLAINTEXT_FORMAT "ghost-html-to-plaintext"

/**
 * Once per database: when its plain text predates NEWSROOM_PLAINTEXT_FORMAT, renders
 * every post's body again from its unchanged Markdown (as newsroom_photo_changed does:
 * no revision, updated_at stays), a transaction per hundred posts, then records the
 * format. A later run after an interruption starts over and rewrites only what still
 * differs. *done counts the posts whose body changed. Runs its own transactions on st
 * (the writer); the server calls it when it opens its database.
 */
enum err_code newsroom_plaintext_upgrade(struct store *st, struct str site_url, size_t *done,
                                         struct err *err);
/**
 * For a database that holds no post yet (a new one): records that its plain text follows
 * NEWSROOM_PLAINTEXT_FORMAT, since every post written from now on does, so that the first
 * `serve` has nothing to upgrade (at a million demo posts it would read them all again, 50
 * s before the first answer). With posts already there it does nothing. Inside a
 * transaction on st.
 */
enum err_code newsroom_plaintext_fresh(struct store *st, struct err *err);
/** The id of the "news-desk" byline, created when missing. */
enum err_code newsroom_ensure_desk(struct store *st, int64_t *id, struct err *err);

/* ---- limits every server shares (limits.c) ---------------------------------------- */

/* The store of auth_limiter_share for limits kept in the database. */
struct newsroom_limits {
    struct auth_limit_store store;
};

/** Fills l to keep limits' events through writer (shared: store_share), which must outlive l. */
void newsroom_limits_init(struct newsroom_limits *l, struct store *writer);

/* ---- the scheduler --------------------------------------------------------------- */

struct newsroom_scheduler;

/**
 * Starts a thread that publishes scheduled posts of the database at db_path when their
 * time comes (checked four times a second, so within a second), through its own write
 * connection; overdue posts are published at once. Returns NULL with err set when the
 * database cannot be opened.
 */
struct newsroom_scheduler *newsroom_scheduler_start(const char *db_path, struct err *err);
/** Stops the thread and waits for it. NULL is allowed. */
void newsroom_scheduler_stop(struct newsroom_scheduler *s);
/**
 * Appends the scheduler's counters in Prometheus' text format: its passes (one a tick),
 * those that failed, and when the last one ended. NULL writes nothing. Thread-safe.
 */
enum err_code newsroom_scheduler_metrics_write(const struct newsroom_scheduler *s, struct buf *out);
/** Publishes whatever is due now, in one transaction (the thread's step; also for tests). */
enum err_code newsroom_publish_due(struct store *st, size_t *published, struct err *err);
/**
 * Unmarks breaking news whose time has come, in one transaction that refreshes every
 * page and notes each in the audit log (the thread's step, on the same tick).
 */
enum err_code newsroom_breaking_expire(struct store *st, size_t *expired, struct err *err);

/* ---- one-time links to set a password (accounts.c) ------------------------------- */

#define NEWSROOM_RESET_TTL (60 * 60)           /* a password reset link: an hour */
#define NEWSROOM_INVITE_TTL (7 * 24 * 60 * 60) /* an invitation: a week, to find it in */

struct store_user;

/* A link just made: shown once to whoever made it, never stored in clear. */
struct newsroom_link {
    struct str url; /* absolute: "https://news.example.org/admin/reset/TOKEN/" */
    int64_t expires_at;
    bool invite;
};

/**
 * Makes a one-time link for person u (not a desk): an invitation, good for
 * NEWSROOM_INVITE_TTL, when u has no password yet, else a password reset, good for
 * NEWSROOM_RESET_TTL. The token is 32 random bytes (base64url); the database keeps its
 * SHA-256 only, and u's older unused links end. An audit line says who made it (by, 0
 * for the command line) from where, never the token. site_url is the site's url setting;
 * out->url lives in a.
 */
enum err_code newsroom_link_make(struct store *st, const struct store_user *u, int64_t by,
                                 struct str address, struct str site_url, struct arena *a,
                                 struct newsroom_link *out, struct err *err);

#endif
