/* Shared by cli/'s own files only. */
#ifndef CLI_INT_H
#define CLI_INT_H

#include "cli/cli.h"

#include "base/base.h"

#include <getopt.h>

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

#include "store/store.h"

struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_post(int argc, char **argv);
int cli_settings(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_apikey(int argc, char **argv);
int cli_media(int argc, char **argv);
int cli_export(int argc, char **argv);
int cli_backup(int argc, char **argv);
int cli_restore(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_tag(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_search(int argc, char **argv);
int cli_config(int argc, char **argv);
int cli_doctor(int argc, char **argv);

/* where an installed newsdesk finds its configuration (make install sets it) */
#ifndef NEWSDESK_CONFIG_DEFAULT
#define NEWSDESK_CONFIG_DEFAULT "/etc/newsdesk/newsdesk.conf"
#endif

/** Prints "newsdesk: " + message to stderr; returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) BASE_PRINTF(1, 2);
/** Prints the usage text to stdout (help) or stderr with a hint (error). */
int cli_usage(const char *usage, bool error);
/**
 * Runs getopt_long over argv with the shared --db and --help handling. Returns -1 when
 * done, '?' on a bad option (after printing usage), 'h' for --help.
 */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/**
 * Parses the options of a command that takes only --db and --help; operands stay at
 * argv[optind..]. Returns -1 to go on, or the exit status (help shown, or a usage error).
 */
int cli_db_options(int argc, char **argv, const char *usage, const char **db);
/** Opens the database named by --db, printing the error on failure. */
int cli_open(const char *db, enum store_mode mode, struct store **st);
/** Reads a whole file of at most max bytes into a buffer (caller releases). */
enum err_code cli_read_file(const char *path, size_t max, struct buf *out, struct err *err);
/** The default theme folder: $NEWSDESK_THEME, ./themes/default, or beside the binary. */
const char *cli_default_theme(char *buf, size_t n);
/** The newsroom's theme folder: $NEWSDESK_ADMIN_THEME, ./themes/admin, or beside the binary. */
const char *cli_admin_theme(char *buf, size_t n);

#endif
