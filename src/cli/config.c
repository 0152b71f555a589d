/*
 * `newsdesk config check [FILE]`: reads a configuration file the way `serve --config`
 * does and names every bad line, without starting anything.
 */
#include "cli/cli_int.h"
#include "cli/options.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk config check [FILE]\n\n"
    "Reads a configuration file (newsdesk.conf(5); default " NEWSDESK_CONFIG_DEFAULT ")\n"
    "as 'newsdesk serve --config FILE' would and prints each problem with its line\n"
    "number. Exits 0 when the file is good, 1 when it is not.\n\n"
    "  -h, --help   show this help\n";

static void say(void *ctx, const char *file, unsigned line, const char *msg)
{
    (void)ctx;
    if (line)
        printf("%s:%u: %s\n", file, line, msg);
    else
        printf("%s: %s\n", file, msg);
}

int cli_config(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1)
        return cli_usage(usage, c != 'h');
    if (optind >= argc || strcmp(argv[optind], "check") != 0 || argc - optind > 2)
        return cli_usage(usage, true);
    const char *file = argc - optind == 2 ? argv[optind + 1] : NEWSDESK_CONFIG_DEFAULT;
    struct serve_opts o;
    serve_opts_init(&o);
    struct config_report r = {.path = file, .say = say};
    enum err_code rc = serve_opts_read_file(file, &o, &r);
    struct err err = {0};
    if (!rc && serve_opts_check(&o, &err)) {
        printf("%s: %s\n", file, err.msg);
        rc = ERR_INVALID;
    }
    serve_opts_release(&o);
    if (rc)
        return cli_fail("%s is not usable (above)", file);
    printf("%s: good\n", file);
    return CLI_OK;
}
