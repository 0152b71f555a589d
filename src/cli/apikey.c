/*
 * `newsdesk apikey`: Content API keys. A content key is what Ghost calls one: 26 hex
 * digits that front ends send as ?key= (public by design, like Ghost's).
 */
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const char usage[] =
    "usage: newsdesk apikey add --db FILE --type content --name NAME\n"
    "       newsdesk apikey list --db FILE\n"
    "       newsdesk apikey revoke --db FILE ID\n\n"
    "Manages the keys of the Ghost-compatible Content API (/ghost/api/content/...).\n"
    "add prints a new key (26 hex digits) for a front end, app or widget to send as\n"
    "?key=; list shows every key with its id; revoke stops a key at once, also in a\n"
    "running server's cache.\n\n"
    "  --db FILE      the database\n"
    "  --type TYPE    the kind of key: content (the only one so far)\n"
    "  --name NAME    what the key is for, e.g. \"Newsletter widget\"\n"
    "  -h, --help     show this help\n";

#define APIKEY_BYTES 13 /* 26 hex digits, as Ghost's content keys */

static int add(struct store *st, const char *type, const char *name)
{
    if (!type || strcmp(type, "content") != 0)
        return cli_fail("--type must be content");
    struct str n = str_trim(str_from(name));
    if (!n.len || n.len > 191 || !utf8_valid(n.ptr, n.len))
        return cli_fail("--name must be 1 to 191 bytes of text");
    unsigned char b[APIKEY_BYTES];
    if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b))
        return cli_fail("cannot read random bytes for the key");
    char key[APIKEY_BYTES * 2 + 1];
    for (size_t i = 0; i < sizeof(b); i++)
        snprintf(key + 2 * i, 3, "%02x", b[i]);
    struct err err = {0};
    int64_t id;
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, store_api_key_add(st, "content", n, str_from(key), &id, &err), &err);
    if (rc)
        return cli_fail("%s", err.msg);
    printf("%s\n", key);
    fprintf(stderr, "content key %lld \"%.*s\" added\n", (long long)id, (int)n.len, n.ptr);
    return CLI_OK;
}

static int list(struct store *st)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_api_key *keys;
    size_t n;
    if (store_api_keys_list(st, &a, &keys, &n, &err)) {
        arena_release(&a);
        return cli_fail("%s", err.msg);
    }
    for (size_t i = 0; i < n; i++) {
        char created[32];
        time_fmt_iso_utc(keys[i].created_at, created);
        printf("%-4lld %-8.*s %.*s  %s  %s  %.*s\n", (long long)keys[i].id, (int)keys[i].type.len,
               keys[i].type.ptr, (int)keys[i].secret.len, keys[i].secret.ptr, created,
               keys[i].revoked_at ? "revoked" : "active ", (int)keys[i].name.len, keys[i].name.ptr);
    }
    arena_release(&a);
    return CLI_OK;
}

static int revoke(struct store *st, const char *arg)
{
    int64_t id;
    if (!str_to_i64(str_from(arg), &id) || id < 1)
        return cli_fail("revoke takes a key id (see 'newsdesk apikey list')");
    struct err err = {0};
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, store_api_key_revoke(st, id, &err), &err);
    if (rc)
        return cli_fail("%s", err.msg);
    printf("revoked key %lld\n", (long long)id);
    return CLI_OK;
}

int cli_apikey(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"type", required_argument, NULL, 't'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL, *type = NULL, *name = NULL;
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h':
            return cli_usage(usage, false);
        case 'd':
            db = optarg;
            break;
        case 't':
            type = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        default:
            return cli_usage(usage, true);
        }
    }
    if (optind >= argc)
        return cli_usage(usage, true);
    const char *sub = argv[optind++];
    bool is_add = strcmp(sub, "add") == 0, is_list = strcmp(sub, "list") == 0;
    bool is_revoke = strcmp(sub, "revoke") == 0;
    if ((is_add && (optind != argc || !name)) || (is_list && optind != argc) ||
        (is_revoke && optind + 1 != argc) || (!is_add && !is_list && !is_revoke))
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(db, is_list ? STORE_READ : STORE_WRITE, &st))
        return CLI_FAIL;
    int rc = is_add ? add(st, type, name) : is_list ? list(st) : revoke(st, argv[optind]);
    store_close(st);
    return rc;
}
