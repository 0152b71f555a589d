/*
 * `newsdesk serve`'s settings. One table (options.c) drives the command line, the
 * configuration file (newsdesk.conf(5): INI, the keys are the long options' names) and
 * the --help text, so the three cannot disagree. Flags win over the file.
 */
#ifndef CLI_OPTIONS_H
#define CLI_OPTIONS_H

#include "base/base.h"
#include "http/http.h"
#include "purge/purge.h"
#include "websub/websub.h"

#include <stdio.h>

/* The access log's line format (serve --access-log-format). */
enum access_format { ACCESS_COMBINED, ACCESS_JSON };

struct serve_opts {
    const char *config; /* --config FILE, or NULL */
    const char *db;
    const char *listen;
    const char *theme;
    const char *admin_theme;
    const char *access_log; /* NULL: off; "-": stdout */
    enum access_format access_format;
    const char *error_log; /* NULL or "-": stderr */
    enum log_level log_level;
    unsigned threads;
    int64_t cache_mb;
    const char *site_url;
    bool trust_proxy;
    struct http_proxies proxies; /* --trusted-proxy */
    int64_t media_max_bytes;
    int64_t search_limit;
    int64_t live_per_address;
    int64_t live_queue_bytes;
    struct websub_config websub;
    const char *tls_cert;
    const char *tls_key;
    const char *redirect_listen;  /* a plain HTTP listener that sends readers to https */
    int64_t hsts;                 /* Strict-Transport-Security max-age; 0: none */
    const char *acme_webroot;     /* http-01 challenges on the redirect listener */
    const char *metrics_token;    /* /metrics to any address sending it as a bearer token */
    struct purge_urls purge_urls; /* --purge-url: shared caches purged after each write */
    /*
     * Each setting's value as given (the last one; a list joined with commas), for
     * telling which ones a reload changed. NULL: the default.
     */
    const char *given[40];
    /* the flags, in order (serve_opts_reread applies them again over the file) */
    struct serve_flag {
        unsigned key;
        const char *value;
    } * flags;
    size_t nflags;
    struct arena arena; /* values read from the file, the flags' list */
};

/* Where the line-numbered messages of a configuration file go. */
struct config_report {
    const char *path;
    unsigned errors;
    void (*say)(void *ctx, const char *path, unsigned line, const char *msg);
    void *ctx;
};

/** The defaults. Release with serve_opts_release. */
void serve_opts_init(struct serve_opts *o);
void serve_opts_release(struct serve_opts *o);

/**
 * Parses argv (argv[0] is "serve"): the configuration file named by --config first, then
 * the flags over it. Returns 0 to go on, -1 when --help was shown, or an exit status after
 * printing the problem (CLI_USAGE for a usage error). The flags are kept in o for
 * serve_opts_reload.
 */
int serve_opts_parse(int argc, char **argv, struct serve_opts *o);

/**
 * The same settings read again (SIGHUP): defaults, the file, then the same flags. On
 * failure out is released, the messages are logged and ERR_INVALID returned.
 */
enum err_code serve_opts_reread(const struct serve_opts *current, struct serve_opts *out);

/**
 * Reads a configuration file into o, reporting every bad line through r (its errors
 * count). ERR_IO when the file cannot be read, ERR_INVALID when a line was bad.
 */
enum err_code serve_opts_read_file(const char *path, struct serve_opts *o, struct config_report *r);

/**
 * The cross-checks that no single setting can make (a key without its certificate, a
 * redirect listener without TLS, ...): the first problem in err.
 */
enum err_code serve_opts_check(const struct serve_opts *o, struct err *err);

/** The names of the settings that differ between a and b and that SIGHUP cannot apply. */
size_t serve_opts_fixed_changes(const struct serve_opts *a, const struct serve_opts *b,
                                const char **names, size_t max);

/** serve's --help text, made from the table. */
void serve_opts_usage(FILE *f);

/** The parsed name of a log level ("debug", "info", "warn", "error"), or false. */
bool serve_log_level(const char *s, enum log_level *out);

#endif
