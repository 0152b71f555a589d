/*
 * `newsdesk import ghost|wordpress FILE`: a newsroom's archive brought in from Ghost's JSON
 * export or WordPress's WXR export (import/), with a report of what was done.
 */
#include "cli/cli_int.h"

#include "import/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage[] =
    "usage: newsdesk import ghost FILE.json [--images DIR] [--dry-run] --db FILE\n"
    "       newsdesk import wordpress FILE.xml[.gz] [--uploads DIR] [--dry-run] --db FILE\n\n"
    "Brings a newsroom's archive in: posts and pages with their tags, bylines, dates,\n"
    "excerpts and feature images, the tags, and the people (staff become accounts\n"
    "without a password: they cannot log in until an administrator sets one with\n"
    "'newsdesk user'). Bodies become Markdown through an allowlist: scripts, styles,\n"
    "event handlers and javascript: links are dropped, and the report says what.\n"
    "Images under the old site's content/images (Ghost) or wp-content/uploads (WordPress)\n"
    "are taken into the photo library from the folder given; without one they keep\n"
    "their old addresses. Links to the old site's own pages become this site's paths.\n\n"
    "Running the same file again changes nothing; a post changed since is updated; a post\n"
    "whose slug is here already is merged into it (the report lists them). An import\n"
    "that was interrupted resumes after its last committed batch.\n\n"
    "ghost: the JSON file of Ghost's Settings > Labs > Export (Ghost 4.x to 6.x).\n"
    "wordpress: the file of WordPress's Tools > Export > All content (WXR), optionally\n"
    "gzip-compressed.\n\n"
    "  --db FILE        the database\n"
    "  --images DIR     Ghost's content/images folder (a copy of it)\n"
    "  --uploads DIR    WordPress's wp-content/uploads folder (a copy of it)\n"
    "  --dry-run        read and check everything, report what would be done, write nothing\n"
    "  --batch N        posts per transaction (default 500)\n"
    "  --stats          also print the peak memory and the CPU time used\n"
    "  -h, --help       show this help\n";

struct import_cli {
    const char *db;
    const char *images;
    bool dry_run;
    bool stats;
    long batch;
};

static int parse(int argc, char **argv, struct import_cli *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"images", required_argument, NULL, 'i'},
        {"uploads", required_argument, NULL, 'i'}, {"dry-run", no_argument, NULL, 'n'},
        {"batch", required_argument, NULL, 'b'},   {"stats", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},          {0}};
    int c;
    char *end;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h':
            cli_usage(usage, false);
            return -1;
        case 'd':
            o->db = optarg;
            break;
        case 'i':
            o->images = optarg;
            break;
        case 'n':
            o->dry_run = true;
            break;
        case 's':
            o->stats = true;
            break;
        case 'b':
            o->batch = strtol(optarg, &end, 10);
            if (*end || o->batch < 1 || o->batch > 100000)
                return cli_fail("--batch takes a number from 1 to 100000");
            break;
        default:
            return cli_usage(usage, true);
        }
    }
    return optind + 2 == argc ? CLI_OK : cli_usage(usage, true);
}

static int run(struct store *st, enum import_format format, const char *file,
               const struct import_cli *c)
{
    struct import_opts o = {
        .db_path = c->db,
        .images_dir = c->images,
        .dry_run = c->dry_run,
        .batch = (size_t)c->batch,
        .progress = stderr,
        .progress_tty = isatty(STDERR_FILENO),
    };
    struct import_report rep;
    import_report_init(&rep);
    struct err err = {0};
    enum err_code rc = import_run(st, format, file, &o, &rep, &err);
    if (!rc)
        import_report_print(&rep, c->dry_run, stdout);
    if (!rc && c->stats) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("Peak memory: %ld MB. CPU: %.1f s user, %.1f s system.\n", ru.ru_maxrss / 1024,
               (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6);
    }
    import_report_release(&rep);
    return rc ? cli_fail("%s: %s", file, err.msg) : CLI_OK;
}

int cli_import(int argc, char **argv)
{
    struct import_cli c = {0};
    int rc = parse(argc, argv, &c);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    const char *what = argv[optind], *file = argv[optind + 1];
    bool ghost = !strcmp(what, "ghost");
    if (!ghost && strcmp(what, "wordpress"))
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(c.db, STORE_WRITE, &st))
        return CLI_FAIL;
    rc = run(st, ghost ? IMPORT_GHOST : IMPORT_WORDPRESS, file, &c);
    store_close(st);
    return rc;
}
