/*
 * `newsdesk serve`'s settings: one table for the command line, the configuration file and
 * --help (options.h). The file is INI read by Debian's libinih: "key = value" lines, the
 * keys being the long options' names, '#' or ';' comments, no sections.
 */
#include "cli/options.h"

#include "cli/cli_int.h"
#include "live/live.h"

#include <errno.h>
#include <ini.h>
#include <string.h>

enum {
    K_CONFIG,
    K_DB,
    K_LISTEN,
    K_THEME,
    K_ADMIN_THEME,
    K_THREADS,
    K_ACCESS_LOG,
    K_ACCESS_LOG_FORMAT,
    K_ERROR_LOG,
    K_LOG_LEVEL,
    K_CACHE_MB,
    K_SITE_URL,
    K_TLS_CERT,
    K_TLS_KEY,
    K_REDIRECT_LISTEN,
    K_HSTS,
    K_ACME_WEBROOT,
    K_TRUST_PROXY,
    K_TRUSTED_PROXY,
    K_MEDIA_MAX_BYTES,
    K_SEARCH_LIMIT,
    K_LIVE_PER_ADDRESS,
    K_LIVE_QUEUE_BYTES,
    K_WEBSUB_ALLOW_PRIVATE,
    K_WEBSUB_RETRY_MS,
    K_WEBSUB_TIMEOUT_MS,
    K_METRICS_TOKEN,
    K_PURGE_URL,
    K_HELP,
    K_COUNT
};

#define S_RELOAD 1u /* SIGHUP applies a new value */
#define S_LIST 2u   /* repeatable: the values add up (the file's are replaced by flags) */
#define S_FLAG 4u   /* the command line only */

struct setting {
    const char *name;
    const char *arg; /* the value's placeholder in --help; NULL: a switch */
    unsigned flags;
    const char *help; /* lines joined with '\n' */
};

static const struct setting settings[K_COUNT] = {
    [K_CONFIG] = {"config", "FILE", S_FLAG,
                  "read settings from FILE (newsdesk.conf(5)); flags win over it"},
    [K_DB] = {"db", "FILE", 0,
              "the database: an SQLite file, or a postgresql:// URL (create it with 'newsdesk "
              "init')"},
    [K_LISTEN] = {"listen", "ADDR:PORT", 0,
                  "where to listen (default 127.0.0.1:8080; port 0 picks one)"},
    [K_THEME] = {"theme", "DIR", S_RELOAD, "the theme folder (default themes/default)"},
    [K_ADMIN_THEME] = {"admin-theme", "DIR", S_RELOAD,
                       "the newsroom's theme folder (default themes/admin)"},
    [K_THREADS] = {"threads", "N", 0,
                   "worker threads, each with its own event loop (default: cores)"},
    [K_ACCESS_LOG] = {"access-log", "FILE", 0,
                      "the access log: a file, '-' for stdout (default), or 'off'"},
    [K_ACCESS_LOG_FORMAT] = {"access-log-format", "FMT", 0,
                             "'combined' (default: Apache's, with the request id last)\n"
                             "or 'json' (one object per line)"},
    [K_ERROR_LOG] = {"error-log", "FILE", 0, "the error log: a file, or '-' for stderr (default)"},
    [K_LOG_LEVEL] = {"log-level", "LEVEL", S_RELOAD,
                     "the least an error-log line must be: debug, info (default),\n"
                     "warn or error"},
    [K_CACHE_MB] = {"cache-mb", "N", 0,
                    "memory for cached responses, in MiB (default 128; 0 turns the\n"
                    "cache off)"},
    [K_SITE_URL] = {"site-url", "URL", S_RELOAD,
                    "the public address absolute links use (default: the 'url'\n"
                    "setting, else the address served), e.g. https://news.example.org"},
    [K_TLS_CERT] = {"tls-cert", "FILE", S_RELOAD,
                    "serve https (HTTP/1.1 and HTTP/2) with this certificate chain\n"
                    "(PEM, the certificate first, as certbot's fullchain.pem)"},
    [K_TLS_KEY] = {"tls-key", "FILE", S_RELOAD, "the certificate's private key (PEM)"},
    [K_REDIRECT_LISTEN] = {"redirect-listen", "ADDR:PORT", 0,
                           "also listen for plain http there and redirect every request\n"
                           "to https (needs --tls-cert)"},
    [K_HSTS] = {"hsts", "SECONDS", S_RELOAD,
                "send Strict-Transport-Security with this max-age over https\n"
                "(default 0: none; 31536000 is a year)"},
    [K_ACME_WEBROOT] = {"acme-webroot", "DIR", 0,
                        "answer /.well-known/acme-challenge/ on the redirect listener\n"
                        "from DIR (certbot certonly --webroot -w DIR)"},
    [K_TRUST_PROXY] = {"trust-proxy", NULL, 0,
                       "behind a reverse proxy: when a request comes from a trusted\n"
                       "proxy, take the client's address from X-Forwarded-For (the\n"
                       "right-most entry no trusted proxy added) and the scheme from\n"
                       "X-Forwarded-Proto (login cookies are then Secure over https)"},
    [K_TRUSTED_PROXY] = {"trusted-proxy", "NET", S_LIST,
                         "a proxy to trust: an IPv4 or IPv6 address or network\n"
                         "(10.0.0.0/8, ::1); repeat it or give a comma list. Implies\n"
                         "--trust-proxy; without it, --trust-proxy trusts 127.0.0.0/8\n"
                         "and ::1"},
    [K_MEDIA_MAX_BYTES] = {"media-max-bytes", "N", 0,
                           "the largest photo an upload may send, in bytes (default\n"
                           "26214400, 25 MiB); a larger one is refused with 413 before\n"
                           "its body is read"},
    [K_SEARCH_LIMIT] = {"search-limit", "N", S_RELOAD,
                        "searches answered without the cache, per client address in\n"
                        "10 seconds (1 to 64, default 30; 0: no limit); past it 429"},
    [K_LIVE_PER_ADDRESS] = {"live-per-address", "N", 0,
                            "live update streams (/live/) one client address may hold\n"
                            "open at once (default 16; 0: no limit); past it 429"},
    [K_LIVE_QUEUE_BYTES] = {"live-queue-bytes", "N", 0,
                            "bytes a live stream's client may fall behind before it is\n"
                            "dropped (4096 to 16777216, default 262144)"},
    [K_WEBSUB_ALLOW_PRIVATE] = {"websub-allow-private", NULL, 0,
                                "let WebSub callbacks be on loopback, private or link-local\n"
                                "addresses (an intranet, tests); refused by default"},
    [K_WEBSUB_RETRY_MS] = {"websub-retry-ms", "N", 0,
                           "the WebSub hub's first retry of a failed delivery after N\n"
                           "ms, doubling for each of 5 tries (default 120000)"},
    [K_WEBSUB_TIMEOUT_MS] = {"websub-timeout-ms", "N", 0,
                             "the longest a request to a WebSub callback may take (default\n"
                             "10000; connecting gets half of it, at most 5000)"},
    [K_METRICS_TOKEN] = {"metrics-token", "TOKEN", S_RELOAD,
                         "let /metrics answer any address that sends 'Authorization:\n"
                         "Bearer TOKEN' (16 to 256 visible ASCII characters); without\n"
                         "it only clients on this machine, directly, see /metrics"},
    [K_PURGE_URL] = {"purge-url", "URL", S_LIST,
                     "a shared cache in front (Varnish with xkey): after each write,\n"
                     "send it 'PURGE' with the changed keys in an 'xkey' header, and\n"
                     "let it keep pages (s-maxage); repeat it for each cache"},
    [K_HELP] = {"help", NULL, S_FLAG, "show this help"},
};

_Static_assert(K_COUNT <= ARRAY_LEN(((struct serve_opts *)0)->given), "given[] too short");

void serve_opts_init(struct serve_opts *o)
{
    *o = (struct serve_opts){.listen = "127.0.0.1:8080",
                             .access_log = "-",
                             .log_level = LOG_INFO,
                             .cache_mb = 128,
                             .search_limit = 30,
                             .live_per_address = LIVE_PER_ADDRESS_DEFAULT,
                             .live_queue_bytes = LIVE_QUEUE_DEFAULT};
    arena_init(&o->arena);
}

void serve_opts_release(struct serve_opts *o)
{
    arena_release(&o->arena);
}

bool serve_log_level(const char *s, enum log_level *out)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum log_level)i;
            return true;
        }
    return false;
}

/* A number in [lo, hi], or ERR_INVALID with "must be ..." for the caller to prefix. */
static enum err_code number(const char *v, int64_t lo, int64_t hi, const char *unit, int64_t *out,
                            struct err *err)
{
    int64_t n;
    if (!str_to_i64(str_from(v), &n) || n < lo || n > hi)
        return err_set(err, ERR_INVALID, "must be a number%s%s from %lld to %lld",
                       unit[0] ? " of " : "", unit, (long long)lo, (long long)hi);
    *out = n;
    return ERR_OK;
}

/* A switch's value in the file: yes/no, true/false, on/off, 1/0. From a flag: NULL, true. */
static enum err_code boolean(const char *v, bool *out, struct err *err)
{
    static const char *const yes[] = {"yes", "true", "on", "1"}, *const no[] = {"no", "false",
                                                                                "off", "0"};
    if (!v) {
        *out = true;
        return ERR_OK;
    }
    for (size_t i = 0; i < ARRAY_LEN(yes); i++)
        if (strcasecmp(v, yes[i]) == 0 || strcasecmp(v, no[i]) == 0) {
            *out = strcasecmp(v, yes[i]) == 0;
            return ERR_OK;
        }
    return err_set(err, ERR_INVALID, "must be yes or no");
}

static enum err_code path(const char *v, const char **out, struct err *err)
{
    if (!v[0])
        return err_set(err, ERR_INVALID, "must not be empty");
    *out = v;
    return ERR_OK;
}

/* The numbers: limits and sizes. ERR_NOTFOUND when key is not one of them. */
static enum err_code apply_number(struct serve_opts *o, unsigned key, const char *v,
                                  struct err *err)
{
    int64_t n;
    enum err_code rc;
    switch (key) {
    case K_THREADS:
        if (!(rc = number(v, 1, 256, "", &n, err)))
            o->threads = (unsigned)n;
        return rc;
    case K_CACHE_MB:
        return number(v, 0, 1024 * 1024, "MiB", &o->cache_mb, err);
    case K_HSTS:
        return number(v, 0, 2 * 365 * 86400, "seconds", &o->hsts, err);
    case K_MEDIA_MAX_BYTES:
        return number(v, 1, 1024 * 1024 * 1024, "bytes", &o->media_max_bytes, err);
    case K_SEARCH_LIMIT:
        return number(v, 0, 64, "", &o->search_limit, err);
    case K_LIVE_PER_ADDRESS:
        return number(v, 0, 1000000, "", &o->live_per_address, err);
    case K_LIVE_QUEUE_BYTES:
        return number(v, 4096, 16 * 1024 * 1024, "bytes", &o->live_queue_bytes, err);
    case K_WEBSUB_RETRY_MS:
        return number(v, 1, 3600 * 1000, "ms", &o->websub.retry_ms, err);
    case K_WEBSUB_TIMEOUT_MS:
        return number(v, 100, 60 * 1000, "ms", &o->websub.timeout_ms, err);
    default:
        return ERR_NOTFOUND;
    }
}

/*
 * A bearer token as RFC 6750 lets it travel (visible ASCII, no space), long enough not
 * to be guessed: /metrics keeps no secret, but it tells who reads what, and how much.
 */
static bool token_ok(const char *t)
{
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++)
        if (t[i] < 0x21 || t[i] > 0x7e)
            return false;
    return n >= 16 && n <= 256;
}

/* The switches, the lists and the token. */
static enum err_code apply_other(struct serve_opts *o, unsigned key, const char *v, struct err *err)
{
    enum err_code rc;
    switch (key) {
    case K_TRUST_PROXY:
        return boolean(v, &o->trust_proxy, err);
    case K_TRUSTED_PROXY:
        if ((rc = http_proxies_add(&o->proxies, v, err)))
            return rc;
        o->trust_proxy = true;
        return ERR_OK;
    case K_WEBSUB_ALLOW_PRIVATE:
        return boolean(v, &o->websub.allow_private, err);
    case K_PURGE_URL:
        return purge_urls_add(&o->purge_urls, v, err);
    case K_METRICS_TOKEN:
        if (!token_ok(v))
            return err_set(err, ERR_INVALID,
                           "must be 16 to 256 visible ASCII characters (no spaces)");
        o->metrics_token = v;
        return ERR_OK;
    default:
        return err_set(err, ERR_INTERNAL, "is not a setting");
    }
}

/* Sets one value; err says what it "must be", without the setting's name. */
static enum err_code apply(struct serve_opts *o, unsigned key, const char *v, struct err *err)
{
    char host[256];
    unsigned port;
    enum err_code rc = apply_number(o, key, v, err);
    if (rc != ERR_NOTFOUND)
        return rc;
    rc = ERR_OK;
    switch (key) {
    case K_DB:
        return path(v, &o->db, err);
    case K_LISTEN:
        if (http_parse_listen(v, host, sizeof(host), &port, err))
            return err_set(err, ERR_INVALID, "must be HOST:PORT, as 127.0.0.1:8080 or [::]:443");
        o->listen = v;
        return ERR_OK;
    case K_THEME:
        return path(v, &o->theme, err);
    case K_ADMIN_THEME:
        return path(v, &o->admin_theme, err);
    case K_ACCESS_LOG:
        o->access_log = strcmp(v, "off") == 0 ? NULL : v;
        return v[0] ? ERR_OK : err_set(err, ERR_INVALID, "must be a file, '-' or 'off'");
    case K_ACCESS_LOG_FORMAT:
        if (strcmp(v, "combined") && strcmp(v, "json"))
            return err_set(err, ERR_INVALID, "must be 'combined' or 'json'");
        o->access_format = strcmp(v, "json") == 0 ? ACCESS_JSON : ACCESS_COMBINED;
        return ERR_OK;
    case K_ERROR_LOG:
        return path(v, &o->error_log, err);
    case K_LOG_LEVEL:
        return serve_log_level(v, &o->log_level)
                   ? ERR_OK
                   : err_set(err, ERR_INVALID, "must be debug, info, warn or error");
    case K_SITE_URL:
        if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
            return err_set(err, ERR_INVALID, "must start with http:// or https://");
        o->site_url = v;
        return ERR_OK;
    case K_TLS_CERT:
        return path(v, &o->tls_cert, err);
    case K_TLS_KEY:
        return path(v, &o->tls_key, err);
    case K_REDIRECT_LISTEN:
        if (http_parse_listen(v, host, sizeof(host), &port, err))
            return err_set(err, ERR_INVALID, "must be HOST:PORT, as 0.0.0.0:80");
        o->redirect_listen = v;
        return ERR_OK;
    case K_ACME_WEBROOT:
        return path(v, &o->acme_webroot, err);
    default:
        return apply_other(o, key, v, err);
    }
}

/* Records v as the setting's given value (a list's values joined with commas). */
static void remember(struct serve_opts *o, unsigned key, const char *v, bool add)
{
    const char *text = v ? v : "yes";
    if (add && o->given[key])
        text = arena_printf(&o->arena, "%s,%s", o->given[key], text);
    o->given[key] = text;
}

/* ---- the file ------------------------------------------------------------------------ */

struct file_state {
    struct serve_opts *o;
    struct config_report *r;
    FILE *f;
    unsigned line;      /* the line inih is on */
    unsigned long_line; /* a line cut at inih's limit, reported once */
    bool seen[K_COUNT]; /* a key given twice is a mistake (unless a list) */
    bool section_said;
};

static void say(struct file_state *fs, const char *fmt, ...) BASE_PRINTF(2, 3);

static void say(struct file_state *fs, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fs->r->errors++;
    if (fs->r->say)
        fs->r->say(fs->r->ctx, fs->r->path, fs->line, msg);
}

/*
 * inih's reader: fgets, counting lines. inih reads at most INI_MAX_LINE bytes (200 in
 * Debian's build) and would read the rest of a longer line as a line of its own, so a
 * longer line is skipped whole and reported.
 */
static char *read_line(char *str, int num, void *stream)
{
    struct file_state *fs = stream;
    if (!fgets(str, num, fs->f))
        return NULL;
    fs->line++;
    size_t n = strlen(str);
    if (n > 0 && str[n - 1] != '\n' && !feof(fs->f)) {
        int c;
        while ((c = fgetc(fs->f)) != EOF && c != '\n')
            ;
        say(fs, "this line is longer than %d characters", num - 2);
        str[0] = '\n', str[1] = '\0';
    }
    return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct file_state *fs = user;
    if (section[0] && !fs->section_said) {
        say(fs, "sections are not used: remove the [%s] line above", section);
        fs->section_said = true;
    }
    unsigned key = K_COUNT;
    for (unsigned k = 0; k < K_COUNT; k++)
        if (strcmp(name, settings[k].name) == 0)
            key = k;
    if (key == K_COUNT) {
        say(fs,
            "unknown setting '%s' (the settings are serve's long options: newsdesk serve "
            "--help)",
            name);
        return 1;
    }
    if (settings[key].flags & S_FLAG) {
        say(fs, "'%s' is for the command line only", name);
        return 1;
    }
    if (fs->seen[key] && !(settings[key].flags & S_LIST)) {
        say(fs, "'%s' is set a second time", name);
        return 1;
    }
    fs->seen[key] = true;
    const char *v = arena_strdup(&fs->o->arena, value);
    struct err err = {0};
    if (apply(fs->o, key, v, &err))
        say(fs, "%s %s", name, err.msg);
    else
        remember(fs->o, key, v, settings[key].flags & S_LIST);
    return 1;
}

enum err_code serve_opts_read_file(const char *file, struct serve_opts *o, struct config_report *r)
{
    struct file_state fs = {.o = o, .r = r};
    fs.f = fopen(file, "r");
    if (!fs.f) {
        r->errors++;
        if (r->say)
            r->say(r->ctx, file, 0, strerror(errno));
        return ERR_IO;
    }
    unsigned before = r->errors;
    int bad = ini_parse_stream(read_line, &fs, on_key, &fs);
    fclose(fs.f);
    /* a line inih could not read at all (no '=', an unclosed [): only the first is named */
    if (bad > 0 && r->errors == before) {
        fs.line = (unsigned)bad;
        say(&fs, "cannot read this line: want 'key = value', a '# comment' or nothing");
    }
    return r->errors > before ? ERR_INVALID : ERR_OK;
}

/* ---- the command line ---------------------------------------------------------------- */

static struct option long_options[K_COUNT + 1];

static const struct option *options_table(void)
{
    if (!long_options[0].name)
        for (unsigned k = 0; k < K_COUNT; k++)
            long_options[k] =
                (struct option){settings[k].name, settings[k].arg ? required_argument : no_argument,
                                NULL, (int)(256 + k)};
    return long_options;
}

void serve_opts_usage(FILE *f)
{
    fputs("usage: newsdesk serve --db FILE [options]\n"
          "       newsdesk serve --config FILE [options]\n\n"
          "Serves the site over HTTP (and https with --tls-cert) until SIGINT or SIGTERM,\n"
          "then finishes the requests in flight and exits. SIGHUP reads the settings again\n"
          "and applies the theme, the site's URL, the log level, the certificate, HSTS and\n"
          "the search limit without dropping a connection; SIGUSR1 reopens the logs.\n\n",
          f);
    for (unsigned k = 0; k < K_COUNT; k++) {
        const struct setting *s = &settings[k];
        char head[64];
        int n = snprintf(head, sizeof(head), "  %s--%s%s%s", k == K_HELP ? "-h, " : "", s->name,
                         s->arg ? " " : "", s->arg ? s->arg : "");
        fputs(head, f);
        const char *p = s->help;
        bool first = true;
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            if (first && n < 22)
                fprintf(f, "%*s", 23 - n, "");
            else
                fprintf(f, "%s%23s", first ? "\n" : "", "");
            fprintf(f, "%.*s\n", (int)len, p);
            first = false;
            p += len + (nl ? 1 : 0);
        }
    }
}

static void say_stderr(void *ctx, const char *file, unsigned line, const char *msg)
{
    (void)ctx;
    if (line)
        fprintf(stderr, "newsdesk: %s:%u: %s\n", file, line, msg);
    else
        fprintf(stderr, "newsdesk: %s: %s\n", file, msg);
}

/* Applies the flags over what the file set: a list's flags replace the file's list. */
static int apply_flags(struct serve_opts *o)
{
    bool cleared[K_COUNT] = {0};
    for (size_t i = 0; i < o->nflags; i++) {
        unsigned key = o->flags[i].key;
        const char *v = o->flags[i].value;
        if ((settings[key].flags & S_LIST) && !cleared[key]) {
            if (key == K_TRUSTED_PROXY)
                http_proxies_init(&o->proxies);
            else
                o->purge_urls.n = 0;
            o->given[key] = NULL;
            cleared[key] = true;
        }
        struct err err = {0};
        if (apply(o, key, v, &err))
            return cli_fail("--%s %s", settings[key].name, err.msg);
        remember(o, key, v, settings[key].flags & S_LIST);
    }
    return CLI_OK;
}

/* The file, then the flags. */
static int settle(struct serve_opts *o)
{
    if (o->config) {
        struct config_report r = {.path = o->config, .say = say_stderr};
        if (serve_opts_read_file(o->config, o, &r))
            return cli_fail("%s: %u problem%s; nothing was started", o->config, r.errors,
                            r.errors == 1 ? "" : "s");
    }
    int rc = apply_flags(o);
    struct err err = {0};
    if (!rc && serve_opts_check(o, &err))
        rc = cli_fail("%s", err.msg);
    return rc;
}

int serve_opts_parse(int argc, char **argv, struct serve_opts *o)
{
    int c;
    const struct option *table = options_table();
    o->flags = arena_calloc(&o->arena, (size_t)argc, sizeof(*o->flags));
    while ((c = cli_getopt(argc, argv, "h", table)) != -1) {
        unsigned key = c == 'h' ? K_HELP : (unsigned)(c - 256);
        if (c == '?' || key >= K_COUNT) {
            fputs("Try 'newsdesk serve --help'.\n", stderr);
            return CLI_USAGE;
        }
        if (key == K_HELP) {
            serve_opts_usage(stdout);
            return -1;
        }
        if (key == K_CONFIG) {
            o->config = optarg;
            continue;
        }
        o->flags[o->nflags++] = (struct serve_flag){key, optarg};
    }
    if (optind != argc) {
        fprintf(stderr, "newsdesk: serve takes no operand ('%s')\nTry 'newsdesk serve --help'.\n",
                argv[optind]);
        return CLI_USAGE;
    }
    return settle(o);
}

static void say_log(void *ctx, const char *file, unsigned line, const char *msg)
{
    (void)ctx;
    log_error("%s:%u: %s", file, line, msg);
}

enum err_code serve_opts_reread(const struct serve_opts *current, struct serve_opts *out)
{
    serve_opts_init(out);
    out->config = current->config;
    out->flags = arena_calloc(&out->arena, current->nflags + 1, sizeof(*out->flags));
    memcpy(out->flags, current->flags, current->nflags * sizeof(*out->flags));
    out->nflags = current->nflags;
    struct err err = {0};
    bool bad = false;
    if (out->config) {
        struct config_report r = {.path = out->config, .say = say_log};
        bad = serve_opts_read_file(out->config, out, &r) != ERR_OK;
    }
    /* the flags were good at start-up: they are good again */
    for (size_t i = 0; !bad && i < out->nflags; i++) {
        unsigned key = out->flags[i].key;
        bad = apply(out, key, out->flags[i].value, &err) != ERR_OK;
        remember(out, key, out->flags[i].value, settings[key].flags & S_LIST);
    }
    if (!bad && serve_opts_check(out, &err)) {
        log_error("%s", err.msg);
        bad = true;
    }
    if (bad)
        serve_opts_release(out);
    return bad ? ERR_INVALID : ERR_OK;
}

enum err_code serve_opts_check(const struct serve_opts *o, struct err *err)
{
    if (!o->db)
        return err_set(err, ERR_INVALID, "--db FILE is required (or 'db' in --config's file)");
    if (!o->tls_cert != !o->tls_key)
        return err_set(err, ERR_INVALID, "--tls-cert and --tls-key go together");
    if (o->redirect_listen && !o->tls_cert)
        return err_set(err, ERR_INVALID,
                       "--redirect-listen sends readers to https: it needs "
                       "--tls-cert and --tls-key");
    if (o->hsts && !o->tls_cert)
        return err_set(err, ERR_INVALID,
                       "--hsts is sent over https only: it needs --tls-cert "
                       "(behind a proxy that ends TLS, the proxy sends it)");
    if (o->acme_webroot && !o->redirect_listen)
        return err_set(err, ERR_INVALID,
                       "--acme-webroot answers on the plain http listener: "
                       "it needs --redirect-listen");
    return ERR_OK;
}

size_t serve_opts_fixed_changes(const struct serve_opts *a, const struct serve_opts *b,
                                const char **names, size_t max)
{
    size_t n = 0;
    for (unsigned k = 0; k < K_COUNT && n < max; k++) {
        const char *x = a->given[k], *y = b->given[k];
        if ((settings[k].flags & (S_RELOAD | S_FLAG)) == 0 &&
            (!x != !y || (x && strcmp(x, y) != 0)))
            names[n++] = settings[k].name;
    }
    return n;
}
