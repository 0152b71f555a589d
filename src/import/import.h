/*
 * import: a newsroom's archive brought in from Ghost (its JSON export and content/images
 * folder) or WordPress (its WXR export and wp-content/uploads folder).
 *
 * An import runs in two steps, so that memory stays constant whatever the file's size
 * and every relation resolves whatever order the file gives rows in:
 *
 * 1. A reader (ghost.c with yajl's streaming parser, wordpress.c with libxml2's
 *    streaming reader) goes through the file once and hands each record it finds to a
 *    struct import_sink (import_int.h): people, tags, posts, a post's tags, authors and
 *    meta fields, attachments, old addresses. The importer's sink stages them in a
 *    temporary database (store/import.c), not in memory.
 * 2. The importer applies the staged records to the site in batches, each batch one
 *    transaction that also records the run's checkpoint: people and tags first (merged
 *    by slug), then posts in the file's order, each body sanitised into Markdown
 *    (html/), its images taken in through media_add, its old site's links rewritten,
 *    stored through newsroom/, and its source id and a digest of what was imported kept
 *    in import_map. Running the same file again finds every row in import_map with the
 *    same digest and changes nothing; a row whose digest changed is updated in place; a
 *    post whose slug exists here but came from elsewhere is merged (updated, and said
 *    so in the report). An interrupted run resumes after its last committed batch.
 *
 * Bad input (a truncated file, the wrong format, an unsupported version, an XML entity
 * bomb) is refused with a message before anything is written: the reader finishes step 1
 * before step 2 writes a row.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include "base/base.h"
#include "content/content.h"
#include "html/html.h"

#include <stdio.h>

struct store;

enum import_format { IMPORT_GHOST, IMPORT_WORDPRESS };

struct import_opts {
    const char *db_path;    /* the database (photos are taken in through it) */
    const char *images_dir; /* Ghost's content/images or WordPress's wp-content/uploads;
                             * NULL: images stay at their old addresses (reported) */
    bool dry_run;           /* read, check and report; write nothing */
    size_t batch;           /* posts per transaction (0: IMPORT_BATCH_DEFAULT) */
    FILE *progress;         /* progress lines with an ETA (NULL: none; a terminal gets \r) */
    bool progress_tty;      /* progress is a terminal: one line redrawn */
    struct str site_url;    /* this site's public address, for links that were the old site's */
};

#define IMPORT_BATCH_DEFAULT 500
#define IMPORT_WARNINGS_KEPT 200 /* warnings listed in the report; more are only counted */

enum import_kind {
    IMPORT_POSTS,
    IMPORT_PAGES,
    IMPORT_TAGS,
    IMPORT_USERS,
    IMPORT_IMAGES,
    IMPORT_REDIRECTS,
    IMPORT__KINDS
};

/*
 * The records a reader finds (import_int.h's sink hands them on; store/import.c stages
 * them). Strings in a record are borrowed for the length of the call: a sink copies what it
 * keeps. Empty means absent. Ids are the source's own, as text (Ghost's 24-hex ids,
 * WordPress's numbers and logins).
 */
struct import_user {
    struct str id;       /* Ghost: users.id; WordPress: the login (items name authors by it) */
    struct str ghost_id; /* 24 hex, when the source is Ghost and the id is one */
    struct str slug;     /* empty: from the name */
    struct str name;
    struct str email;
    struct str bio;
    struct str avatar; /* an image URL of the old site or elsewhere */
    struct str website;
    struct str location;
    struct str role; /* Ghost's role name ("Editor") or WordPress's; may be empty */
};

struct import_tag {
    struct str id;
    struct str ghost_id;
    struct str slug;
    struct str name;
    struct str description;
    bool internal; /* Ghost's #tags (visibility internal) */
};

enum import_body {
    IMPORT_BODY_HTML,
    IMPORT_BODY_LEXICAL,
    IMPORT_BODY_MOBILEDOC,
    IMPORT_BODY_MARKDOWN
};

struct import_post {
    struct str id;
    struct str ghost_id;
    struct str uuid; /* kept when it is a UUID: feeds' guids stay the same */
    struct str slug; /* empty: from the title (WordPress's drafts have none) */
    struct str title;
    enum import_body body_kind; /* what body holds; HTML is the usual (Ghost's html) */
    struct str body;
    struct str custom_excerpt;
    struct str feature_image;            /* an image URL (the old site's or elsewhere) */
    struct str feature_image_attachment; /* WordPress: the attachment's id (_thumbnail_id) */
    enum content_status status;
    bool page;
    bool featured;
    int64_t created_at; /* Unix seconds, UTC; 0: unknown */
    int64_t updated_at;
    int64_t published_at; /* 0: never published */
    struct str old_path; /* the post's address on the old site ("/2024/10/slug/"), for a redirect */
};

/* Ghost's posts_meta row, or WordPress's equivalents. */
struct import_post_meta {
    struct str post_id;
    struct str feature_image_alt;
    struct str feature_image_caption; /* HTML in Ghost: made plain text */
    struct content_meta meta;
};

/* A file the old site kept (a WordPress attachment; Ghost's images need no record). */
struct import_attachment {
    struct str id;
    struct str url;  /* its address on the old site */
    struct str file; /* its path under the images folder ("2024/10/x.png"); empty: from url */
    struct str alt;
    struct str caption;
    struct str title;
};

struct import_site {
    struct str url; /* the old site's address ("__GHOST_URL__" counts as it for Ghost) */
    struct str title;
    struct str description;
    struct str language;
    struct str timezone;
    struct str version; /* the exporter's version ("5.130.6", WXR "1.2") */
};

/* What an import did (or, with dry_run, would do). */
struct import_report {
    int64_t created[IMPORT__KINDS];
    int64_t updated[IMPORT__KINDS]; /* merged by slug with a row made elsewhere included */
    int64_t merged[IMPORT__KINDS];  /* of updated: rows that existed here before, by slug */
    int64_t unchanged[IMPORT__KINDS];
    int64_t skipped[IMPORT__KINDS]; /* not imported (an unknown post type, ...): warned */
    int64_t sanitised;              /* posts whose body lost something to the allowlist */
    struct html_report dropped;     /* what the allowlist dropped, over every post */
    struct str *warnings;           /* "post 'slug': ..." in file order, in the arena */
    size_t nwarnings;
    int64_t warnings_total;
    int64_t resumed_after; /* posts a previous, interrupted run had committed; 0: none */
    double seconds;
    struct arena arena; /* the report's strings */
};

void import_report_init(struct import_report *r);
void import_report_release(struct import_report *r);
/** Appends a warning (printf-style); counts it past IMPORT_WARNINGS_KEPT. */
void import_warn(struct import_report *r, const char *fmt, ...) BASE_PRINTF(2, 3);
/** The final report, as `newsdesk import` prints it. */
void import_report_print(const struct import_report *r, bool dry_run, FILE *out);

/**
 * Imports the export at path (format says which; a WordPress file may be gzip-compressed,
 * "FILE.xml.gz") into the database opened for writing as st. ERR_INVALID (with a message
 * naming the line or byte) for a file that is not such an export or is cut short,
 * ERR_UNSUPPORTED for an export of a version this does not read. Nothing is written on
 * any error found while reading; a failure while writing leaves the committed batches
 * and the checkpoint, and the next run resumes.
 */
enum err_code import_run(struct store *st, enum import_format format, const char *path,
                         const struct import_opts *o, struct import_report *rep, struct err *err);

#endif
