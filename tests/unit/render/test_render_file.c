/*
 * A theme's static files (render_theme_file): read whole, capped, and never from outside
 * the theme's folder.
 */
#include "render/render.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void put(const char *rel, const char *content, size_t len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create '%s'", path);
    cr_assert_eq(fwrite(content, 1, len, f), len);
    fclose(f);
}

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/nd-theme-file-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/assets", dir);
    cr_assert_eq(mkdir(sub, 0700), 0);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

TestSuite(render_file, .init = setup, .fini = teardown);

Test(render_file, reads_a_file_of_the_theme_whole)
{
    put("assets/admin.css", "body{margin:0}\n", 15);
    struct buf b;
    struct err err = {0};
    cr_assert_eq(render_theme_file(dir, "assets/admin.css", &b, &err), ERR_OK, "%s", err.msg);
    cr_expect_eq(b.len, 15);
    cr_expect(memcmp(b.ptr, "body{margin:0}\n", 15) == 0);
    buf_release(&b);
}

Test(render_file, a_missing_file_is_not_found_and_named)
{
    struct buf b;
    struct err err = {0};
    cr_expect_eq(render_theme_file(dir, "assets/none.js", &b, &err), ERR_NOTFOUND);
    cr_expect(strstr(err.msg, "assets/none.js"), "%s", err.msg);
    buf_release(&b);
}

Test(render_file, paths_out_of_the_folder_are_refused)
{
    static const char *const bad[] = {"../x.css", "assets/../../x", "/etc/passwd", "", "a/.."};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
        struct buf b;
        struct err err = {0};
        cr_expect_eq(render_theme_file(dir, bad[i], &b, &err), ERR_INVALID, "%s", bad[i]);
        buf_release(&b);
    }
}

Test(render_file, a_file_past_the_cap_is_too_big)
{
    size_t n = RENDER_TEMPLATE_MAX + 1;
    char *big = malloc(n);
    memset(big, 'x', n);
    put("assets/big.js", big, n);
    free(big);
    struct buf b;
    struct err err = {0};
    cr_expect_eq(render_theme_file(dir, "assets/big.js", &b, &err), ERR_TOOBIG);
    cr_expect(strstr(err.msg, "big.js"), "%s", err.msg);
    buf_release(&b);
}
