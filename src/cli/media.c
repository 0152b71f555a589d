/*
 * `newsdesk media`: photos from scripts. add takes a photo in exactly as the newsroom's
 * upload does (media_add: sniffed, checked, stripped of its metadata, every rendition made
 * before it returns) and prints its URL; list shows the library; rm deletes an unused one.
 */
#include "cli/cli_int.h"

#include "media/media.h"

#include <libgen.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk media add --db FILE PHOTO --alt TEXT [--decorative] [--caption TEXT]\n"
    "                          [--credit TEXT]\n"
    "       newsdesk media list --db FILE [--q WORDS]\n"
    "       newsdesk media rm --db FILE KEY|URL\n\n"
    "Photos, stored inside the database.\n"
    "add takes a JPEG, PNG, WebP, GIF (its first frame), AVIF or HEIC photo ('-' reads\n"
    "standard input), removes what the camera wrote into it (location, dates, serial\n"
    "numbers, thumbnail, XMP, IPTC), turns it upright, makes every width the pages use,\n"
    "and prints its URL, e.g. /content/images/0123456789abcdef/harbour.jpg, to put in a\n"
    "post's Markdown: ![alt text](URL). What was removed is said on standard error. The\n"
    "same file added twice is stored once.\n"
    "list shows every photo, newest first: key, size, bytes, URL and alt text.\n"
    "rm deletes a photo and all its sizes; a photo still used by a post, a byline or\n"
    "the site's logo or icon is refused, saying where.\n\n"
    "  --db FILE       the database\n"
    "  --alt TEXT      what the photo shows, for readers who cannot see it (required\n"
    "                  unless --decorative)\n"
    "  --decorative    the photo only decorates: pages give it an empty alt text\n"
    "  --caption TEXT  shown under the photo\n"
    "  --credit TEXT   who made it, e.g. \"Photo: Ana Reporter / Newsdesk\"\n"
    "  --q WORDS       list: only photos whose alt text or file name holds WORDS\n"
    "  -h, --help      show this help\n";

struct media_opts {
    const char *db;
    const char *q;
    struct media_meta meta;
};

static int add(struct store *st, const char *db, const char *path, struct media_meta *meta)
{
    struct buf file;
    struct err err = {0};
    if (cli_read_file(path, MEDIA_BYTES_MAX_DEFAULT, &file, &err)) {
        buf_release(&file);
        return cli_fail("%s", err.msg);
    }
    char name[1024];
    snprintf(name, sizeof(name), "%s", strcmp(path, "-") ? path : "photo");
    meta->filename = str_from(basename(name));
    struct media *m = NULL;
    struct media_config cfg = {.db_path = db};
    struct arena a;
    arena_init(&a);
    struct media_item item;
    bool existed = false;
    enum err_code rc = media_new(&cfg, &m, &err);
    if (!rc)
        rc = media_add(m, st, file.ptr, file.len, meta, 0, &a, &item, &existed, &err);
    if (!rc) {
        printf("%s\n", media_path(&item, 0, MEDIA_NONE, &a).ptr);
        fprintf(stderr, "%s %dx%d; removed: %.*s\n",
                existed ? "already stored:" : "added:", item.width, item.height,
                (int)(item.removed.len ? item.removed.len : 7),
                item.removed.len ? item.removed.ptr : "nothing");
    }
    media_free(m);
    arena_release(&a);
    buf_release(&file);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

static void list_one(const struct media_item *m, struct arena *a)
{
    printf("%s  %5dx%-5d %9lld  %s  %.*s\n", m->key, m->width, m->height, (long long)m->bytes,
           media_path(m, 0, MEDIA_NONE, a).ptr, (int)(m->decorative ? 12 : m->alt.len),
           m->decorative ? "(decorative)" : m->alt.ptr);
}

static int list(struct store *st, const char *q)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct media_list_query query = {.q = str_from(q ? q : ""), .limit = 100};
    enum err_code rc;
    for (;;) {
        struct media_item *items;
        size_t n = 0;
        rc = media_list(st, &query, &a, &items, &n, &err);
        for (size_t i = 0; !rc && i < n; i++)
            list_one(&items[i], &a);
        if (rc || n < query.limit)
            break;
        query.before = items[n - 1].id;
    }
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

static int rm(struct store *st, const char *arg)
{
    struct media_ref ref;
    struct str key = str_from(arg);
    if (media_parse_url(key, STR_NULL, &ref))
        key = str_from(ref.key);
    struct err err = {0};
    if (media_delete(st, key, &err))
        return cli_fail("cannot delete %s: %s", arg, err.msg);
    printf("deleted %.*s\n", (int)key.len, key.ptr);
    return CLI_OK;
}

static int parse(int argc, char **argv, struct media_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"alt", required_argument, NULL, 'a'},
        {"decorative", no_argument, NULL, 'D'},   {"caption", required_argument, NULL, 'c'},
        {"credit", required_argument, NULL, 'r'}, {"q", required_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h':
            cli_usage(usage, false);
            return -1;
        case 'd':
            o->db = optarg;
            break;
        case 'a':
            o->meta.alt = str_from(optarg);
            break;
        case 'D':
            o->meta.decorative = true;
            break;
        case 'c':
            o->meta.caption = str_from(optarg);
            break;
        case 'r':
            o->meta.credit = str_from(optarg);
            break;
        case 'q':
            o->q = optarg;
            break;
        default:
            return cli_usage(usage, true);
        }
    }
    return optind < argc ? CLI_OK : cli_usage(usage, true);
}

int cli_media(int argc, char **argv)
{
    struct media_opts o = {
        .meta = {.alt = STR_LIT(""), .caption = STR_LIT(""), .credit = STR_LIT("")}};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    const char *sub = argv[optind++];
    bool is_add = !strcmp(sub, "add"), is_list = !strcmp(sub, "list"), is_rm = !strcmp(sub, "rm");
    if ((is_add || is_rm) ? optind + 1 != argc : (!is_list || optind != argc))
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(o.db, is_list ? STORE_READ : STORE_WRITE, &st))
        return CLI_FAIL;
    rc = is_add    ? add(st, o.db, argv[optind], &o.meta)
         : is_list ? list(st, o.q)
                   : rm(st, argv[optind]);
    store_close(st);
    return rc;
}
