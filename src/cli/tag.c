/*
 * newsdesk tag: add, change and list tags from the command line, so that a site can be
 * prepared by a script. The same rules as the newsroom's tag form.
 */
#include "cli/cli_int.h"

#include "content/content.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: newsdesk tag add --db FILE NAME [--slug SLUG] [--description TEXT]\n"
    "       newsdesk tag set --db FILE SLUG [--name NAME] [--slug NEW] [--description TEXT]\n"
    "       newsdesk tag list --db FILE\n\n"
    "Tags are a post's sections and topics; the first tag of a post is its section.\n"
    "A name starting with '#' makes an internal tag (Ghost's '#breaking'): posts carry\n"
    "it, readers never see it. add refuses a slug another tag has; set changes the tag\n"
    "at SLUG (only what is given). list prints slug, name, posts (any status) and\n"
    "visibility, tab-separated.\n\n"
    "  --db FILE           the database\n"
    "  --slug SLUG         a-z, 0-9 and single hyphens (add: default from the name)\n"
    "  --name NAME         1 to 191 bytes\n"
    "  --description TEXT  up to 500 bytes\n"
    "  -h, --help          show this help\n";

struct tag_opts {
    const char *db, *name, *slug, *description;
};

/* What is wrong with t, as the newsroom's tag form says it, or NULL. */
static const char *tag_problem(const struct content_tag *t)
{
    if (!t->name.len || t->name.len > 191)
        return "the name must be 1 to 191 bytes";
    if (!content_slug_valid(t->slug))
        return "the slug may hold only a-z, 0-9 and single hyphens";
    if (t->description.len > 500)
        return "the description is longer than 500 bytes";
    return NULL;
}

static int add(struct store *st, const char *name, const struct tag_opts *o)
{
    struct arena a;
    arena_init(&a);
    struct content_tag t = {.name = str_from(name),
                            .description = str_from(o->description ? o->description : ""),
                            .internal = name[0] == '#'};
    /* Ghost's slug for an internal tag: "#breaking" is hash-breaking */
    char hashed[256];
    snprintf(hashed, sizeof(hashed), "hash-%s", name + (name[0] == '#'));
    t.slug =
        o->slug ? str_from(o->slug) : content_slugify(str_from(t.internal ? hashed : name), &a);
    const char *bad = tag_problem(&t);
    struct err err = {0};
    int64_t id = 0;
    enum err_code rc = bad ? err_set(&err, ERR_INVALID, "%s", bad) : store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, store_tag_insert(st, &t, &id, &err), &err);
    if (!rc)
        printf("added tag %s (/tag/%.*s/)\n", name, (int)t.slug.len, t.slug.ptr);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

static int set(struct store *st, const char *slug, const struct tag_opts *o)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    int64_t id = 0;
    struct content_tag t;
    enum err_code rc = store_tag_find(st, str_from(slug), &id, &err);
    if (rc == ERR_NOTFOUND)
        err_set(&err, rc, "no tag with the slug '%s'", slug);
    if (!rc)
        rc = store_tag_by_id(st, id, &a, &t, &err);
    if (!rc && o->name)
        t.name = str_from(o->name);
    if (!rc && o->slug)
        t.slug = str_from(o->slug);
    if (!rc && o->description)
        t.description = str_from(o->description);
    const char *bad = rc ? NULL : tag_problem(&t);
    if (bad)
        rc = err_set(&err, ERR_INVALID, "%s", bad);
    if (!rc)
        rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, store_tag_update(st, id, &t, &err), &err);
    if (rc == ERR_CONFLICT)
        err_set(&err, rc, "the slug '%.*s' is taken", (int)t.slug.len, t.slug.ptr);
    if (!rc)
        printf("tag %.*s: %.*s\n", (int)t.slug.len, t.slug.ptr, (int)t.name.len, t.name.ptr);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

static int list(struct store *st)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_tag_row *rows;
    size_t n;
    if (store_tags_all(st, &a, &rows, &n, &err)) {
        arena_release(&a);
        return cli_fail("%s", err.msg);
    }
    printf("SLUG\tNAME\tPOSTS\tVISIBILITY\n");
    for (size_t i = 0; i < n; i++) {
        const struct content_tag *t = &rows[i].tag;
        bool internal = t->internal || (t->name.len && t->name.ptr[0] == '#');
        printf("%.*s\t%.*s\t%lld\t%s\n", (int)t->slug.len, t->slug.ptr, (int)t->name.len,
               t->name.ptr, (long long)rows[i].posts, internal ? "internal" : "public");
    }
    arena_release(&a);
    return CLI_OK;
}

int cli_tag(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"name", required_argument, NULL, 'n'},
        {"slug", required_argument, NULL, 's'}, {"description", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},       {0}};
    struct tag_opts o = {0};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        if (c == 'h')
            return cli_usage(usage, false);
        const char **dst = c == 'd'   ? &o.db
                           : c == 'n' ? &o.name
                           : c == 's' ? &o.slug
                           : c == 'D' ? &o.description
                                      : NULL;
        if (!dst)
            return cli_usage(usage, true);
        *dst = optarg;
    }
    int left = argc - optind;
    const char *cmd = left ? argv[optind] : "";
    bool ok = ((strcmp(cmd, "add") == 0 || strcmp(cmd, "set") == 0) && left == 2) ||
              (strcmp(cmd, "list") == 0 && left == 1);
    if (!ok)
        return cli_usage(usage, true);
    struct store *st;
    if (cli_open(o.db, STORE_WRITE, &st))
        return CLI_FAIL;
    int status = strcmp(cmd, "add") == 0   ? add(st, argv[optind + 1], &o)
                 : strcmp(cmd, "set") == 0 ? set(st, argv[optind + 1], &o)
                                           : list(st);
    store_close(st);
    return status;
}
