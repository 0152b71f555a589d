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
