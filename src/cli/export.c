/*
 * newsdesk export: the site as a Ghost 5 export ({"db":[{"meta":..,"data":{..}}]}), which
 * Ghost's importer (Settings → Import) and `newsdesk import ghost` both read. Written row
 * by row as the store reads them: memory stays flat whatever the number of posts.
 */
#include "cli/cli_int.h"

#include "json/json.h"
#include "site/site.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: newsdesk export --db FILE [--force] OUT.json\n\n"
    "Writes the site in Ghost 5's export format (OUT '-': standard output): posts and\n"
    "pages with their HTML, plain text and our Markdown (\"markdown\"), posts_meta, tags,\n"
    "users with their roles, posts_tags and posts_authors in order, the settings Ghost\n"
    "knows (title, description, locale, timezone, and url), and the tables Ghost always\n"
    "writes, empty. Ghost imports it at Settings → Import/Export; so does\n"
    "'newsdesk import ghost'. Photos are not in it (nor in Ghost's): their URLs point at\n"
    "this site; 'newsdesk backup' keeps them. Login e-mails are in it, password hashes\n"
    "never: keep the file as private as the database.\n"
    "It reads one snapshot, so a server may go on serving and writing meanwhile.\n\n"
    "  --db FILE   the database\n"
    "  --force     replace OUT if it exists\n"
    "  -h, --help  show this help\n";

/* The Ghost version whose export shape this is (Ghost's importer reads it). */
#define EXPORT_GHOST_VERSION "5.130.6"
/* One row's JSON at most (a post's HTML, plain text and Markdown together) */
#define EXPORT_ROW_MAX (64u << 20)

struct writer {
    FILE *f;
    struct buf row;
    bool first; /* no row written yet in the current table */
    int64_t rows, total;
    const char *table;
};

static enum err_code put(struct writer *w, const char *s, struct err *err)
{
    if (fputs(s, w->f) == EOF)
        return err_set(err, ERR_IO, "cannot write: %s", strerror(errno));
    return ERR_OK;
}

static enum err_code put_json(struct writer *w, const struct json *o, struct err *err)
{
    buf_reset(&w->row);
    enum err_code rc = json_write(o, JSON_WRITE_COMPACT, &w->row, err);
    if (!rc && !w->first)
        rc = put(w, ",", err);
    w->first = false;
    if (!rc && fwrite(buf_str(&w->row).ptr, 1, buf_str(&w->row).len, w->f) != buf_str(&w->row).len)
        rc = err_set(err, ERR_IO, "cannot write: %s", strerror(errno));
    return rc;
}

/* One row from the store, written as it came. */
static enum err_code write_row(const struct store_value *cols, size_t n, void *ctx, struct err *err)
{
    struct writer *w = ctx;
    struct json *o = json_obj_new();
    for (size_t i = 0; i < n; i++) {
        if (cols[i].kind == STORE_VALUE_INT)
            json_obj_set_int(o, cols[i].name, cols[i].num);
        else if (cols[i].kind == STORE_VALUE_TEXT)
            json_obj_set_str(o, cols[i].name, cols[i].text);
        else
            json_obj_set_null(o, cols[i].name);
    }
    enum err_code rc = put_json(w, o, err);
    json_free(o);
    if (!rc && strcmp(w->table, "posts") == 0 && ++w->rows % 5000 == 0)
        fprintf(stderr, "export: %lld of %lld posts\n", (long long)w->rows, (long long)w->total);
    return rc;
}

static enum err_code table_open(struct writer *w, const char *name, bool first, struct err *err)
{
    w->table = name;
    w->first = true;
    char head[80];
    snprintf(head, sizeof(head), "%s\"%s\":[", first ? "" : ",", name);
    return put(w, head, err);
}

/* The roles Ghost has that ours map to (store's SQL_EXPORT_ROLE numbers them 1..4). */
static enum err_code write_roles(struct writer *w, struct str created, struct err *err)
{
    static const char *const roles[][2] = {
        {"Administrator", "Administrators"},
        {"Editor", "Editors"},
        {"Author", "Authors"},
        {"Contributor", "Contributors"},
    };
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_LEN(roles); i++) {
        char id[25];
        snprintf(id, sizeof(id), "6e64%04x%016zx", 5u, i + 1);
        struct json *o = json_obj_new();
        json_obj_set_str(o, "id", str_from(id));
        json_obj_set_str(o, "name", str_from(roles[i][0]));
        json_obj_set_str(o, "description", str_from(roles[i][1]));
        json_obj_set_str(o, "created_at", created);
        json_obj_set_str(o, "updated_at", created);
        rc = put_json(w, o, err);
        json_free(o);
    }
    return rc;
}

/* Our settings under Ghost's keys: title, description, locale, timezone; and url. */
static enum err_code write_settings(struct writer *w, struct store *st, struct str created,
                                    struct err *err)
{
    static const char *const keys[][3] = {
        {"title", "title", "site"},     {"description", "description", "site"},
        {"language", "locale", "site"}, {"timezone", "timezone", "site"},
        {"url", "url", "newsdesk"},
    };
    struct arena a;
    arena_init(&a);
    size_t ndefs;
    const struct site_setting_def *defs = site_setting_defs(&ndefs);
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < ARRAY_LEN(keys); i++) {
        struct str v = STR_NULL;
        if (store_setting_get(st, keys[i][0], &a, &v, NULL))
            for (size_t j = 0; j < ndefs; j++)
                if (strcmp(defs[j].key, keys[i][0]) == 0)
                    v = str_from(defs[j].fallback);
        char id[25];
        snprintf(id, sizeof(id), "6e64%04x%016zx", 6u, i + 1);
        struct json *o = json_obj_new();
        json_obj_set_str(o, "id", str_from(id));
        json_obj_set_str(o, "group", str_from(keys[i][2]));
        json_obj_set_str(o, "key", str_from(keys[i][1]));
        json_obj_set_str(o, "value", v);
        json_obj_set_str(o, "type", STR_LIT("string"));
        json_obj_set_null(o, "flags");
        json_obj_set_str(o, "created_at", created);
        json_obj_set_str(o, "updated_at", created);
        rc = put_json(w, o, err);
        json_free(o);
    }
    arena_release(&a);
    return rc;
}

/* Ghost's tables in the order its export writes them; -1: written here, or empty. */
static const struct {
    const char *name;
    int table; /* enum store_export_table, or -1 */
} tables[] = {
    {"newsletters", -1},
    {"posts", STORE_EXPORT_POSTS},
    {"posts_meta", STORE_EXPORT_POSTS_META},
    {"users", STORE_EXPORT_USERS},
    {"posts_authors", STORE_EXPORT_POSTS_AUTHORS},
    {"roles", -1},
    {"roles_users", STORE_EXPORT_ROLES_USERS},
    {"settings", -1},
    {"tags", STORE_EXPORT_TAGS},
    {"posts_tags", STORE_EXPORT_POSTS_TAGS},
    {"products", -1},
    {"offers", -1},
    {"benefits", -1},
    {"products_benefits", -1},
    {"posts_products", -1},
    {"offer_redemptions", -1},
    {"stripe_products", -1},
    {"stripe_prices", -1},
    {"snippets", -1},
    {"custom_theme_settings", -1},
};

static enum err_code write_table(struct writer *w, struct store *st, size_t i, struct str base,
                                 struct str created, struct err *err)
{
    enum err_code rc = table_open(w, tables[i].name, i == 0, err);
    if (rc)
        return rc;
    if (tables[i].table >= 0)
        rc = store_export_rows(st, (enum store_export_table)tables[i].table, base, write_row, w,
                               err);
    else if (strcmp(tables[i].name, "roles") == 0)
        rc = write_roles(w, created, err);
    else if (strcmp(tables[i].name, "settings") == 0)
        rc = write_settings(w, st, created, err);
    return rc ? rc : put(w, "]", err);
}

/* The site's address, without a trailing slash, for absolute URLs; in a. */
static struct str site_url(struct store *st, struct arena *a)
{
    struct str url = STR_NULL;
    size_t n;
    if (store_setting_get(st, "url", a, &url, NULL)) {
        const struct site_setting_def *defs = site_setting_defs(&n);
        for (size_t i = 0; i < n; i++)
            if (strcmp(defs[i].key, "url") == 0)
                url = str_from(defs[i].fallback);
    }
    while (url.len && url.ptr[url.len - 1] == '/')
        url.len--;
    return url;
}

static enum err_code write_export(struct writer *w, struct store *st, struct err *err)
{
    struct arena a;
    arena_init(&a);
    int64_t now = time_now();
    char created[32], head[160];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(created, sizeof(created), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(head, sizeof(head),
             "{\"db\":[{\"meta\":{\"exported_on\":%lld,\"version\":\"%s\",\"newsdesk\":\"%s\"},"
             "\"data\":{",
             (long long)now * 1000, EXPORT_GHOST_VERSION, BASE_VERSION);
    struct str base = site_url(st, &a);
    enum err_code rc = store_export_snapshot(st, true, err);
    if (rc) {
        arena_release(&a);
        return rc;
    }
    rc = store_posts_total(st, &w->total, err);
    if (!rc)
        rc = put(w, head, err);
    for (size_t i = 0; !rc && i < ARRAY_LEN(tables); i++)
        rc = write_table(w, st, i, base, str_from(created), err);
    if (!rc)
        rc = put(w, "}}]}", err);
    store_export_snapshot(st, false, NULL);
    arena_release(&a);
    return rc;
}

/* Writes the export to out ('-': stdout) through a temporary file renamed at the end. */
static int export_to(struct store *st, const char *out)
{
    bool to_stdout = strcmp(out, "-") == 0;
    char tmp[4200];
    if (!to_stdout &&
        (size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", out, (long)getpid()) >= sizeof(tmp))
        return cli_fail("'%s': path too long", out);
    struct writer w = {.f = to_stdout ? stdout : fopen(tmp, "wb")};
    if (!w.f)
        return cli_fail("cannot create '%s': %s", tmp, strerror(errno));
    buf_init(&w.row, EXPORT_ROW_MAX);
    struct err err = {0};
    enum err_code rc = write_export(&w, st, &err);
    if (!rc && fflush(w.f) != 0)
        rc = err_set(&err, ERR_IO, "cannot write: %s", strerror(errno));
    if (!to_stdout && fclose(w.f) != 0 && !rc)
        rc = err_set(&err, ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
    if (!to_stdout && !rc && rename(tmp, out) != 0)
        rc = err_set(&err, ERR_IO, "cannot rename '%s': %s", tmp, strerror(errno));
    if (!to_stdout && rc)
        unlink(tmp);
    buf_release(&w.row);
    if (rc)
        return cli_fail("%s", err.msg);
    fprintf(stderr, "export: %lld posts and pages written to %s\n", (long long)w.rows,
            to_stdout ? "standard output" : out);
    return CLI_OK;
}

int cli_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL;
    bool force = false;
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h')
            return cli_usage(usage, false);
        if (c == 'd')
            db = optarg;
        else if (c == 'f')
            force = true;
        else
            return cli_usage(usage, true);
    }
    if (optind + 1 != argc)
        return cli_usage(usage, true);
    const char *out = argv[optind];
    struct stat sb;
    if (!force && strcmp(out, "-") != 0 && stat(out, &sb) == 0)
        return cli_fail("'%s' exists: give --force to replace it", out);
    struct store *st;
    if (cli_open(db, STORE_READ, &st))
        return CLI_FAIL;
    int status = export_to(st, out);
    store_close(st);
    return status;
}
