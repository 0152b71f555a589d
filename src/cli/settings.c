#include "cli/cli_int.h"

#include "site/site.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk settings list --db FILE\n"
    "       newsdesk settings set --db FILE KEY VALUE\n\n"
    "Shows or changes the site's settings. A running server applies a change at once,\n"
    "a new time zone included.\n"
    "Keys:\n"
    "  title           the site's name\n"
    "  description     one line about the site\n"
    "  url             the public address, e.g. https://news.example.org\n"
    "  language        BCP 47 tag, e.g. en, uk\n"
    "  timezone        IANA zone dates are shown in, e.g. Europe/Kyiv (stored times are UTC)\n"
    "  posts_per_page  items per page, 1 to 100\n"
    "  contact_email   the desk's address for feedback and news tips\n"
    "  logo, icon      an uploaded image's address (/content/images/...) or https://...\n"
    "  accent_color    the brand colour, #RRGGBB, at least 4.5:1 against white\n"
    "  navigation      the sections menu, JSON: "
    "'[{\"label\":\"World\",\"url\":\"/tag/world/\"}]'\n\n"
    "  --db FILE   the database\n"
    "  -h, --help  show this help\n";

static int list(struct store *st)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    size_t n, ndefs;
    struct store_setting *stored;
    if (store_settings_all(st, &a, &stored, &n, &err)) {
        arena_release(&a);
        return cli_fail("%s", err.msg);
    }
    const struct site_setting_def *defs = site_setting_defs(&ndefs);
    for (size_t i = 0; i < ndefs; i++) {
        const char *src = "(default)";
        struct str v = str_from(defs[i].fallback);
        for (size_t j = 0; j < n; j++)
            if (str_eq_cstr(stored[j].key, defs[i].key)) {
                v = stored[j].value;
                src = "";
            }
        printf("%-15s %.*s %s\n", defs[i].key, (int)v.len, v.ptr, src);
    }
    arena_release(&a);
    return CLI_OK;
}

static int set(struct store *st, const char *key, const char *value)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct str norm;
    enum err_code rc = site_setting_check(key, str_from(value), &a, &norm, &err);
    if (!rc)
        rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, store_setting_set(st, key, norm, &err), &err);
    if (!rc)
        printf("%s = %.*s\n", key, (int)norm.len, norm.ptr);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

int cli_settings(int argc, char **argv)
{
    const char *db = NULL;
    int status = cli_db_options(argc, argv, usage, &db);
    if (status >= 0)
        return status;
    if (optind >= argc)
        return cli_usage(usage, true);
    const char *sub = argv[optind++];
    bool is_list = strcmp(sub, "list") == 0, is_set = strcmp(sub, "set") == 0;
    if ((!is_list && !is_set) || (is_list && optind != argc) || (is_set && optind + 2 != argc))
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(db, is_list ? STORE_READ : STORE_WRITE, &st))
        return CLI_FAIL;
    int rc = is_list ? list(st) : set(st, argv[optind], argv[optind + 1]);
    store_close(st);
    return rc;
}
