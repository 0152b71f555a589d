/*
 * newsdesk search: the full-text index from the command line. reindex rebuilds it from
 * the posts, for a database whose posts were changed behind the store's back (the
 * sqlite3 shell, a restore of hand-edited rows). Databases made before the index existed
 * get it when they are first opened for writing (the schema's migration 9).
 */
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: newsdesk search reindex --db FILE\n\n"
    "Rebuilds the full-text search index from every post (any status), in one\n"
    "transaction: readers keep the old index until it commits. Progress goes to\n"
    "stderr every few thousand posts, with the rate.\n\n"
    "  --db FILE   the database\n"
    "  -h, --help  show this help\n";

static double seconds_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress(int64_t done, int64_t total, void *ctx)
{
    double s = seconds_since(ctx);
    fprintf(stderr, "indexed %lld of %lld posts (%.0f posts/s)\n", (long long)done,
            (long long)total, s > 0 ? (double)done / s : 0.0);
}

static int reindex(const char *db)
{
    struct store *st = NULL;
    int rc = cli_open(db, STORE_WRITE, &st);
    if (rc)
        return rc;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct err err = {0};
    enum err_code erc = store_search_reindex(st, progress, &t0, &err);
    store_close(st);
    if (erc)
        return cli_fail("cannot rebuild the search index: %s", err.msg);
    fprintf(stderr, "search index rebuilt in %.1f s\n", seconds_since(&t0));
    return CLI_OK;
}

int cli_search(int argc, char **argv)
{
    const char *db = NULL;
    int rc = cli_db_options(argc, argv, usage, &db);
    if (rc != -1)
        return rc;
    if (optind >= argc)
        return cli_usage(usage, true);
    if (strcmp(argv[optind], "reindex") == 0 && optind + 1 == argc)
        return reindex(db);
    return cli_usage(usage, true);
}
