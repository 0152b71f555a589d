#include "cli/cli_int.h"

#include "newsroom/newsroom.h"

#include <stdio.h>

static const char usage[] =
    "usage: newsdesk init --db FILE\n\n"
    "Creates a Newsdesk database in FILE (SQLite, WAL mode) with the current schema and\n"
    "a \"News Desk\" author, or migrates an existing one to the current schema.\n\n"
    "  --db FILE   the database file to create\n"
    "  -h, --help  show this help\n";

int cli_init(int argc, char **argv)
{
    const char *db = NULL;
    int status = cli_db_options(argc, argv, usage, &db);
    if (status >= 0)
        return status;
    if (optind != argc)
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(db, STORE_CREATE, &st))
        return CLI_FAIL;
    struct err err = {0};
    int64_t desk;
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc) {
        rc = newsroom_ensure_desk(st, &desk, &err);
        rc = store_tx_end(st, rc ? rc : newsroom_plaintext_fresh(st, &err), &err);
    }
    if (rc) {
        store_close(st);
        return cli_fail("%s: %s", db, err.msg);
    }
    store_close(st);
    printf("%s: Newsdesk database ready (schema %d)\n", db, STORE_SCHEMA_VERSION);
    return CLI_OK;
}
