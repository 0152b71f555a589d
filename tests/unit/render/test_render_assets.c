/*
 * A theme's static files (render_assets_load): read whole with their type, capped, hidden
 * and unknown files left out, and nothing outside the folder ever found.
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

TestSuite(render_assets, .init = setup, .fini = teardown);

static void load(struct render_assets *set)
{
    struct err err = {0};
    cr_assert_eq(render_assets_load(dir, set, &err), ERR_OK, "%s", err.msg);
}

Test(render_assets, reads_each_file_whole_with_its_type)
{
    put("assets/admin.css", "body{margin:0}\n", 15);
    put("assets/admin.js", "'use strict';", 13);
    struct render_assets set;
    load(&set);
    cr_expect_eq(set.n, 2);
    const struct render_asset *f = render_assets_find(&set, str_from("admin.css"));
    cr_assert_not_null(f);
    cr_expect_eq(f->len, 15);
    cr_expect(memcmp(f->data, "body{margin:0}\n", 15) == 0);
    cr_expect_str_eq(f->content_type, "text/css; charset=utf-8");
    f = render_assets_find(&set, str_from("admin.js"));
    cr_assert_not_null(f);
    cr_expect_str_eq(f->content_type, "text/javascript; charset=utf-8");
    render_assets_free(&set);
}

Test(render_assets, skips_hidden_files_and_unknown_types)
{
    put("assets/.secret.css", "x", 1);
    put("assets/notes.md", "x", 1);
    put("assets/ok.svg", "<svg/>", 6);
    struct render_assets set;
    load(&set);
    cr_expect_eq(set.n, 1);
    cr_expect_null(render_assets_find(&set, str_from(".secret.css")));
    cr_expect_null(render_assets_find(&set, str_from("notes.md")));
    render_assets_free(&set);
}

Test(render_assets, nothing_outside_the_folder_is_found)
{
    put("assets/a.css", "a", 1);
    put("secret.css", "s", 1);
    struct render_assets set;
    load(&set);
    static const char *const bad[] = {"../secret.css", "assets/../../secret.css", "/etc/passwd", "",
                                      "a.css/.."};
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        cr_expect_null(render_assets_find(&set, str_from(bad[i])), "%s", bad[i]);
    render_assets_free(&set);
}

Test(render_assets, a_fingerprint_names_the_bytes_and_pins_the_cache)
{
    put("assets/a.css", "a", 1);
    struct render_assets one, two;
    load(&one);
    put("assets/a.css", "b", 1);
    load(&two);
    const struct render_asset *f1 = render_assets_find(&one, str_from("a.css"));
    const struct render_asset *f2 = render_assets_find(&two, str_from("a.css"));
    cr_expect_str_neq(f1->fingerprint, f2->fingerprint);
    cr_expect_str_neq(one.fingerprint, two.fingerprint);
    cr_expect(strstr(render_asset_cache_control(&two, f2, str_from(f2->fingerprint)), "immutable"));
    cr_expect(strstr(render_asset_cache_control(&two, f2, str_from(two.fingerprint)), "immutable"));
    cr_expect_str_eq(render_asset_cache_control(&two, f2, str_from(f1->fingerprint)),
                     "public, max-age=300");
    cr_expect_str_eq(render_asset_cache_control(&two, f2, STR_LIT("")), "public, max-age=300");
    render_assets_free(&one);
    render_assets_free(&two);
}

Test(render_assets, a_file_past_the_cap_is_too_big_and_named)
{
    size_t n = 4 * 1024 * 1024 + 1;
    char *big = malloc(n);
    memset(big, 'x', n);
    put("assets/big.js", big, n);
    free(big);
    struct render_assets set;
    struct err err = {0};
    cr_expect_eq(render_assets_load(dir, &set, &err), ERR_TOOBIG);
    cr_expect(strstr(err.msg, "big.js"), "%s", err.msg);
    render_assets_free(&set);
}
