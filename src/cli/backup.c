/*
 * newsdesk backup and restore: whole-database copies through SQLite's online backup API
 * (store_backup, store_restore), safe while a server is serving and writing.
 */
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>

static const char backup_usage[] =
    "usage: newsdesk backup --db FILE [--force] OUT\n\n"
    "Copies the database, photos included (they live in it), into OUT while a server\n"
    "goes on serving and saving: one consistent snapshot, writers never wait for it.\n"
    "The copy is checked (integrity_check, foreign_key_check) before it gets its name,\n"
    "so OUT exists only if it is whole. It is an ordinary database file: serve it, or\n"
    "put it back with 'newsdesk restore'. Progress goes to standard error.\n\n"
    "  --db FILE   the database\n"
    "  --force     replace OUT if it exists\n"
    "  -h, --help  show this help\n";

static const char restore_usage[] =
    "usage: newsdesk restore --db FILE [--force] BACKUP\n\n"
    "Replaces the content of FILE with BACKUP, in place, also while a server runs: it\n"
    "serves the restored content from its next request (its caches are emptied).\n"
    "BACKUP must be a Newsdesk database no newer than this program that passes\n"
    "integrity_check; an older one is migrated after the copy. Anything else is refused\n"
    "and FILE is left as it was. FILE must exist ('newsdesk init' makes an empty one).\n"
    "Everything FILE held is replaced: when it holds posts, --force is required.\n\n"
    "  --db FILE   the database to replace\n"
    "  --force     replace a database that holds posts\n"
    "  -h, --help  show this help\n";

static void progress(int64_t done, int64_t total, void *ctx)
{
    const char *what = ctx;
    fprintf(stderr, "%s: %lld of %lld pages (%d%%)\n", what, (long long)done, (long long)total,
            total ? (int)(done * 100 / total) : 100);
}

/* --db, --force, --help and one operand; returns -1 to go on, or the exit status. */
static int options(int argc, char **argv, const char *usage, const char **db, bool *force)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h')
            return cli_usage(usage, false);
        if (c == 'd')
            *db = optarg;
        else if (c == 'f')
            *force = true;
        else
            return cli_usage(usage, true);
    }
    if (optind + 1 != argc)
        return cli_usage(usage, true);
    if (!*db)
        return cli_fail("--db FILE is required");
    return -1;
}

int cli_backup(int argc, char **argv)
{
    const char *db = NULL;
    bool force = false;
    int status = options(argc, argv, backup_usage, &db, &force);
    if (status >= 0)
        return status;
    const char *out = argv[optind];
    struct err err = {0};
    if (store_backup(db, out, force, progress, (void *)"backup", &err))
        return cli_fail("%s", err.msg);
    fprintf(stderr, "backup: %s written and checked\n", out);
    return CLI_OK;
}

int cli_restore(int argc, char **argv)
{
    const char *db = NULL;
    bool force = false;
    int status = options(argc, argv, restore_usage, &db, &force);
    if (status >= 0)
        return status;
    const char *backup = argv[optind];
    struct err err = {0};
    if (store_restore(db, backup, force, progress, (void *)"restore", &err))
        return cli_fail("%s", err.msg);
    fprintf(stderr, "restore: %s now holds the content of %s\n", db, backup);
    return CLI_OK;
}
