/*
 * newsdesk migrate: a whole site copied into another database, SQLite or PostgreSQL
 * either way, and verified (store_migrate).
 */
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: newsdesk migrate --from DB --to DB\n\n"
    "Copies a whole site from one database into another: posts and pages with their\n"
    "revisions, tags, staff with their passwords and sessions, API keys, photos, tips,\n"
    "the audit log, redirects, settings and secrets. DB is a SQLite file or a\n"
    "postgresql:// URL, so this is the way from one machine to several servers on\n"
    "PostgreSQL, and back.\n\n"
    "The source is read as one snapshot: a server may go on serving it, but what its\n"
    "editors save after the copy starts is not in it, so stop the newsroom's writes\n"
    "first. The destination must hold no site: a SQLite file is made when missing, a\n"
    "PostgreSQL database (made with createdb) gets its schema. It is written in one\n"
    "transaction, committed only when every table, read back, has the source's number\n"
    "of rows and the same checksum; on any error it is left as it was. The search\n"
    "index is rebuilt afterwards. Progress goes to standard error, the table of\n"
    "counts and checksums to standard output.\n\n"
    "  --from DB   the site to copy\n"
    "  --to DB     the new database\n"
    "  -h, --help  show this help\n\n"
    "example:\n"
    "  createdb newsdesk\n"
    "  newsdesk migrate --from /var/lib/newsdesk/site.db --to postgresql:///newsdesk\n";

struct progress {
    const char *table;
    struct timespec last;
};

static double since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* A line when a table is done, and every second in between on a long one. */
static void progress(const char *table, const char *what, int64_t done, int64_t total, void *ctx)
{
    struct progress *p = ctx;
    bool last = done >= total;
    if (!last && p->table == table && since(&p->last) < 1.0)
        return;
    p->table = table;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    if (!total && !done) {
        if (strcmp(what, "rebuilding") == 0) /* the search index; an empty table says nothing */
            fprintf(stderr, "migrate: %s: %s\n", table, what);
    } else
        fprintf(stderr, "migrate: %s: %lld of %lld rows %s\n", table, (long long)done,
                (long long)total, what);
}

int cli_migrate(int argc, char **argv)
{
    static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *from = NULL, *to = NULL;
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h')
            return cli_usage(usage, false);
        if (c == 'f')
            from = optarg;
        else if (c == 't')
            to = optarg;
        else
            return cli_usage(usage, true);
    }
    if (optind != argc)
        return cli_usage(usage, true);
    if (!from || !to)
        return cli_fail("--from DB and --to DB are required");
    struct progress p = {0};
    clock_gettime(CLOCK_MONOTONIC, &p.last);
    struct timespec start = p.last;
    struct store_migrate_report r;
    struct err err = {0};
    if (store_migrate(from, to, progress, &p, &r, &err))
        return cli_fail("%s", err.msg);
    int64_t rows = 0;
    printf("%-22s %10s %10s  %-16s\n", "table", "source", "copied", "checksum");
    for (size_t i = 0; i < r.n; i++) {
        const struct store_migrate_table *t = &r.tables[i];
        printf("%-22s %10lld %10lld  %-16s\n", t->name, (long long)t->rows, (long long)t->copied,
               t->sum);
        rows += t->copied;
    }
    fprintf(stderr,
            "migrate: %zu tables, %lld rows copied to %s in %.1f s; every count and checksum"
            " read back equals the source's\n",
            r.n, (long long)rows, to, since(&start));
    return CLI_OK;
}
