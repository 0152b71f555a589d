#include "cli/cli_int.h"

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_command commands[] = {
    {"init", "create a database (or migrate an existing one)", cli_init},
    {"serve", "serve the site over HTTP and https", cli_serve},
    {"config", "check a configuration file", cli_config},
    {"post", "add or update posts from Markdown files", cli_post},
    {"settings", "show or change the site's settings", cli_settings},
    {"user", "staff accounts: add, invite, list, set, set-role, disable, ...", cli_user},
    {"demo", "fill a database with synthetic demo content", cli_demo},
    {"apikey", "add, list or revoke Content and Admin API keys", cli_apikey},
    {"media", "photos: add, list, rm", cli_media},
    {"tag", "tags: add, set, list", cli_tag},
    {"export", "write the site in Ghost's export format", cli_export},
    {"backup", "copy the database, photos included, while it serves", cli_backup},
    {"restore", "put a backup in place of the database", cli_restore},
    {"migrate", "copy a whole site into another database (SQLite, PostgreSQL)", cli_migrate},
    {"import", "bring an archive in from Ghost or WordPress", cli_import},
    {"search", "rebuild the full-text search index", cli_search},
    {"doctor", "check the database, themes, certificate and disk; say what to fix", cli_doctor},
};

static void main_usage(FILE *f)
{
    fprintf(f,
            "usage: newsdesk <command> [options]\n\n"
            "Newsdesk %s: a news-feed publishing engine.\n\ncommands:\n",
            BASE_VERSION);
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'newsdesk <command> --help' describes a command's options.\n"
               "Quick start:\n"
               "  newsdesk init --db site.db\n"
               "  newsdesk demo --db site.db --posts 1000\n"
               "  newsdesk user add --db site.db --email you@example.org --name 'Your Name' "
               "--role administrator\n"
               "  newsdesk serve --db site.db --listen 127.0.0.1:8080\n");
}

int cli_main(int argc, char **argv)
{
    if (argc < 2) {
        main_usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        main_usage(stdout);
        return CLI_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("newsdesk %s (schema %d)\n", BASE_VERSION, STORE_SCHEMA_VERSION);
        return CLI_OK;
    }
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "newsdesk: unknown command '%s'\n\n", cmd);
    main_usage(stderr);
    return CLI_USAGE;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("newsdesk: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_FAIL;
}

int cli_usage(const char *usage, bool error)
{
    if (!error) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    fputs(usage, stderr);
    return CLI_USAGE;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
    opterr = 1;
    return getopt_long(argc, argv, shortopts, longopts, NULL);
}

int cli_db_options(int argc, char **argv, const char *usage, const char **db)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    int c;
    /* GNU getopt moves the operands (list, set KEY VALUE, add FILE) behind the options */
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h')
            return cli_usage(usage, false);
        if (c != 'd')
            return cli_usage(usage, true);
        *db = optarg;
    }
    return -1;
}

int cli_open(const char *db, enum store_mode mode, struct store **st)
{
    if (!db)
        return cli_fail("--db FILE is required");
    struct err err = {0};
    if (store_open(db, mode, st, &err))
        return cli_fail("%s", err.msg);
    return CLI_OK;
}

enum err_code cli_read_file(const char *path, size_t max, struct buf *out, struct err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return err_set(err, ERR_IO, "cannot open '%s'", path);
    buf_init(out, max);
    char chunk[16384];
    size_t n;
    enum err_code rc = ERR_OK;
    while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        rc = buf_append(out, chunk, n);
    bool bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (rc == ERR_TOOBIG)
        return err_set(err, rc, "'%s' is larger than %zu bytes", path, max);
    if (bad)
        return err_set(err, ERR_IO, "cannot read '%s'", path);
    return ERR_OK;
}

/* Whether dir holds probe: a theme folder rather than any folder of that name. */
static bool has_file(const char *dir, const char *probe)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", dir, probe);
    return access(path, R_OK) == 0;
}

/*
 * A theme folder: $env, else rel from the working directory, else rel beside the
 * binary (build/newsdesk, build/test/newsdesk), else the installed copy under
 * NEWSDESK_DATADIR (`make install` compiles it in: /usr/share/newsdesk for the Debian
 * package), else rel as given (for the error).
 */
static const char *find_theme(const char *env, const char *rel, const char *probe, char *buf,
                              size_t n)
{
    const char *e = getenv(env);
    if (e && *e)
        return e;
    if (has_file(rel, probe))
        return rel;
    char exe[1024];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        snprintf(buf, n, "%s/../%s", exe, rel);
        if (has_file(buf, probe))
            return buf;
        snprintf(buf, n, "%s/../../%s", exe, rel);
        if (has_file(buf, probe))
            return buf;
    }
#ifdef NEWSDESK_DATADIR
    snprintf(buf, n, "%s/%s", NEWSDESK_DATADIR, rel);
    if (has_file(buf, probe))
        return buf;
#endif
    return rel;
}

const char *cli_default_theme(char *buf, size_t n)
{
    return find_theme("NEWSDESK_THEME", "themes/default", "index.html", buf, n);
}

const char *cli_admin_theme(char *buf, size_t n)
{
    return find_theme("NEWSDESK_ADMIN_THEME", "themes/admin", "login.html", buf, n);
}
