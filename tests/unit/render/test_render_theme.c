/*
 * Themes loaded from a temporary directory: templates, partials, and the errors a broken
 * theme folder produces.
 */
#include "render/render.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct post {
    struct str title;
    struct str html;
};

struct site {
    struct str title;
    const struct post *posts;
    size_t nposts;
};

static const struct render_field post_fields[] = {
    RENDER_STR_FIELD(struct post, title),
    RENDER_HTML_FIELD(struct post, html),
};
static const struct render_type post_type = RENDER_TYPE(struct post, post_fields);

static const struct render_field site_fields[] = {
    RENDER_STR_FIELD(struct site, title),
    RENDER_LIST_FIELD(struct site, posts, nposts, &post_type),
};
static const struct render_type site_type = RENDER_TYPE(struct site, site_fields);

static const struct post posts[] = {
    {STR_LIT("First & best"), STR_LIT("<p>one</p>")},
    {STR_LIT("Second"), STR_LIT("<p>two</p>")},
};
static const struct site site = {STR_LIT("News <Desk>"), posts, ARRAY_LEN(posts)};

/* ---- a theme folder per test -------------------------------------------------------- */

static char theme_dir[64];

static void write_file(const char *rel, const char *content, size_t len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", theme_dir, rel);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create '%s'", path);
    cr_assert_eq(fwrite(content, 1, len, f), len);
    fclose(f);
}

static void put(const char *rel, const char *content)
{
    write_file(rel, content, strlen(content));
}

static void theme_setup(void)
{
    snprintf(theme_dir, sizeof(theme_dir), "/tmp/render-theme-XXXXXX");
    cr_assert_not_null(mkdtemp(theme_dir));
    char partials[128];
    snprintf(partials, sizeof(partials), "%s/partials", theme_dir);
    cr_assert_eq(mkdir(partials, 0700), 0);
    put("page.html", "{{> head }}\n<main>\n  {{#posts}}\n  {{> post }}\n  {{/posts}}\n</main>\n");
    put("list.html", "{{#posts}}{{title}},{{/posts}}");
    put("partials/head.html", "<title>{{title}}</title>\n");
    put("partials/post.html", "<article><h2>{{title}}</h2>{{{html}}}</article>\n");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void theme_teardown(void)
{
    nftw(theme_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

TestSuite(render_theme, .init = theme_setup, .fini = theme_teardown);

static enum err_code load(const char *const *names, size_t n, struct render_theme **th,
                          struct err *err)
{
    return render_theme_load(theme_dir, &site_type, names, n, th, err);
}

/* Loads one template that must fail, and checks the code and the exact message. */
static void expect_load_err(const char *name, enum err_code code, const char *msg)
{
    const char *names[] = {name};
    struct render_theme *th = (struct render_theme *)&th; /* must be reset to NULL */
    struct err err = {0};
    cr_assert_eq(load(names, 1, &th, &err), code, "%s", err.msg);
    cr_expect_str_eq(err.msg, msg);
    cr_expect_null(th);
}

static char *fmt_alloc(const char *fmt, ...) BASE_PRINTF(1, 2);

static char *fmt_alloc(const char *fmt, ...)
{
    struct buf b;
    buf_init(&b, 4096);
    va_list ap;
    va_start(ap, fmt);
    cr_assert_eq(buf_vprintf(&b, fmt, ap), ERR_OK);
    va_end(ap);
    return buf_detach(&b, NULL);
}

Test(render_theme, loads_and_renders)
{
    const char *names[] = {"page", "list"};
    struct render_theme *th = NULL;
    struct err err = {0};
    cr_assert_eq(load(names, 2, &th, &err), ERR_OK, "%s", err.msg);
    struct buf out;
    buf_init(&out, 4096);
    cr_assert_eq(render_tpl_exec(render_theme_tpl(th, 0), &site, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "<title>News &lt;Desk&gt;</title>\n"
                                        "<main>\n"
                                        "<article><h2>First &amp; best</h2><p>one</p></article>\n"
                                        "<article><h2>Second</h2><p>two</p></article>\n"
                                        "</main>\n");
    buf_reset(&out);
    cr_assert_eq(render_tpl_exec(render_theme_tpl(th, 1), &site, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "First &amp; best,Second,");
    cr_expect_null(render_theme_tpl(th, 2));
    buf_release(&out);
    render_theme_free(th);
}

Test(render_theme, empty_list_of_names)
{
    struct render_theme *th = NULL;
    cr_assert_eq(load(NULL, 0, &th, NULL), ERR_OK);
    cr_expect_null(render_theme_tpl(th, 0));
    render_theme_free(th);
}

Test(render_theme, missing_template)
{
    const char *names[] = {"page", "nope"};
    struct render_theme *th = NULL;
    struct err err = {0};
    cr_assert_eq(load(names, 2, &th, &err), ERR_NOTFOUND);
    char *want =
        fmt_alloc("cannot open '%s/%s.html': No such file or directory", theme_dir, "nope");
    cr_expect_str_eq(err.msg, want);
    cr_expect_null(th);
    free(want);
}

Test(render_theme, bad_template_name)
{
    expect_load_err("../page", ERR_INVALID, "bad template name '../page'");
    expect_load_err("", ERR_INVALID, "bad template name ''");
}

Test(render_theme, bad_partial_names)
{
    static const char *const bad[] = {"../secret", "sub/x", "a.b", "..", "/etc/passwd", "a~"};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        char src[64];
        snprintf(src, sizeof(src), "ok\n{{> %s }}\n", bad[i]);
        put("bad.html", src);
        char *want = fmt_alloc("%s/bad.html:2: bad partial name '%s'", theme_dir, bad[i]);
        expect_load_err("bad", ERR_INVALID, want);
        free(want);
    }
}

Test(render_theme, missing_partial)
{
    put("p.html", "{{>ghost}}");
    char *file = fmt_alloc("%s/partials/%s.html", theme_dir, "ghost");
    char *want = fmt_alloc("%s/p.html:1: unknown partial 'ghost' (no file '%s')", theme_dir, file);
    expect_load_err("p", ERR_INVALID, want);
    free(want);
    free(file);
}

Test(render_theme, error_inside_partial_names_the_partial)
{
    put("p.html", "{{>head}}\n{{>broken}}");
    put("partials/broken.html", "\n\n{{nope}}");
    char *want = fmt_alloc("%s/partials/broken.html:3: unknown variable 'nope' "
                           "(in scope of type 'struct site')",
                           theme_dir);
    expect_load_err("p", ERR_INVALID, want);
    free(want);
}

Test(render_theme, recursive_partial)
{
    put("p.html", "{{>loop}}");
    put("partials/loop.html", "{{>loop}}");
    char *want = fmt_alloc("%s/partials/%s.html:1: partials nested too deep (over 16) at 'loop'",
                           theme_dir, "loop");
    expect_load_err("p", ERR_INVALID, want);
    free(want);
}

Test(render_theme, oversized_files)
{
    size_t n = RENDER_TEMPLATE_MAX + 1;
    char *big = malloc(n);
    memset(big, 'x', n);
    write_file("big.html", big, n);
    char *want = fmt_alloc("'%s/%s.html' is larger than 262144 bytes", theme_dir, "big");
    expect_load_err("big", ERR_TOOBIG, want);
    free(want);

    write_file("partials/huge.html", big, n);
    put("p.html", "{{>huge}}");
    char *file = fmt_alloc("%s/partials/%s.html", theme_dir, "huge");
    want = fmt_alloc("%s/p.html:1: '%s' is larger than 262144 bytes", theme_dir, file);
    expect_load_err("p", ERR_TOOBIG, want);
    free(want);
    free(file);
    free(big);
}

Test(render_theme, template_that_is_a_directory)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/dir.html", theme_dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    char *want = fmt_alloc("cannot read '%s/%s.html'", theme_dir, "dir");
    expect_load_err("dir", ERR_IO, want);
    free(want);
}

Test(render_theme, partial_shared_by_templates)
{
    put("a.html", "{{>head}}{{>head}}");
    put("b.html", "{{#posts}}{{>head}}{{/posts}}");
    const char *names[] = {"a", "b"};
    struct render_theme *th = NULL;
    struct err err = {0};
    cr_assert_eq(load(names, 2, &th, &err), ERR_OK, "%s", err.msg);
    struct buf out;
    buf_init(&out, 4096);
    cr_assert_eq(render_tpl_exec(render_theme_tpl(th, 0), &site, &out), ERR_OK);
    cr_assert_eq(render_tpl_exec(render_theme_tpl(th, 1), &site, &out), ERR_OK);
    cr_expect_str_eq(buf_str(&out).ptr, "<title>News &lt;Desk&gt;</title>\n"
                                        "<title>News &lt;Desk&gt;</title>\n"
                                        "<title>First &amp; best</title>\n"
                                        "<title>Second</title>\n");
    buf_release(&out);
    render_theme_free(th);
}
