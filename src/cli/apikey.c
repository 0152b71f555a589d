/*
 * `newsdesk apikey`: the keys of Ghost's two APIs, made as Ghost makes them. A content key
 * is 26 hex digits that front ends send as ?key= (public by design, like Ghost's). An
 * admin key is "id:secret": a 24-hex id (the JWT's kid) and 32 random bytes in hex that
 * sign the JWT (HS256). The secret has to stay in the database, since checking a token
 * needs it; it is printed once, when the key is made, and `list` never shows it again.
 */
#include "cli/cli_int.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const char usage[] =
    "usage: newsdesk apikey add --db FILE --type content|admin --name NAME\n"
    "       newsdesk apikey list --db FILE\n"
    "       newsdesk apikey revoke --db FILE ID\n\n"
    "Manages the keys of the Ghost-compatible APIs (/ghost/api/content/, /ghost/api/admin/).\n"
    "add --type content prints a new key (26 hex digits) for a front end, app or widget\n"
    "to send as ?key=; add --type admin prints an Admin API key, ID:SECRET, for a\n"
    "publishing script or Ghost's admin client (shown once: keep it safe). list shows\n"
    "every key with its number, type and public id; revoke stops a key at once, also in a\n"
    "running server's cache.\n\n"
    "  --db FILE      the database\n"
    "  --type TYPE    the kind of key: content or admin\n"
    "  --name NAME    what the key is for, e.g. \"Newsletter widget\"\n"
    "  -h, --help     show this help\n";

#define CONTENT_KEY_BYTES 13 /* 26 hex digits, as Ghost's content keys */
#define KEY_ID_BYTES 12      /* 24 hex digits, as Ghost's ids */
#define ADMIN_SECRET_BYTES 32

/* n random bytes as 2n hex digits into out (2n + 1 bytes). */
static int random_hex(size_t n, char *out)
{
    unsigned char b[ADMIN_SECRET_BYTES];
    if (n > sizeof(b) || getrandom(b, n, 0) != (ssize_t)n)
        return cli_fail("cannot read random bytes for the key");
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return CLI_OK;
}

static int add(struct store *st, const char *type, const char *name)
{
    bool admin = type && strcmp(type, "admin") == 0;
    if (!type || (!admin && strcmp(type, "content") != 0))
        return cli_fail("--type must be content or admin");
    struct str n = str_trim(str_from(name));
    if (!n.len || n.len > 191 || !utf8_valid(n.ptr, n.len))
        return cli_fail("--name must be 1 to 191 bytes of text");
    char kid[KEY_ID_BYTES * 2 + 1], secret[ADMIN_SECRET_BYTES * 2 + 1];
    if (random_hex(KEY_ID_BYTES, kid) ||
        random_hex(admin ? ADMIN_SECRET_BYTES : CONTENT_KEY_BYTES, secret))
        return CLI_FAIL;
    struct err err = {0};
    int64_t id;
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(
            st, store_api_key_add(st, type, str_from(kid), n, str_from(secret), &id, &err), &err);
    if (rc)
        return cli_fail("%s", err.msg);
    if (admin)
        printf("%s:%s\n", kid, secret);
    else
        printf("%s\n", secret);
    fprintf(stderr, "%s key %lld \"%.*s\" added\n", type, (long long)id, (int)n.len, n.ptr);
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
        /* a content key is public; an admin key's secret is shown only when it is made */
        struct str shown = str_eq_cstr(keys[i].type, "admin") ? keys[i].key_id : keys[i].secret;
        printf("%-4lld %-8.*s %-26.*s  %s  %s  %.*s\n", (long long)keys[i].id,
               (int)keys[i].type.len, keys[i].type.ptr, (int)shown.len, shown.ptr, created,
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
