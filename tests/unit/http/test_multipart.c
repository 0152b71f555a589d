#include "http/http.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static struct arena a;

static void setup(void)
{
    arena_init(&a);
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(http_multipart, .init = setup, .fini = teardown);

#define CT "multipart/form-data; boundary=----xyz"

static enum err_code parse(const char *body, struct http_multipart *m)
{
    return http_multipart_parse(STR_LIT(CT), str_from(body), &a, m, NULL);
}

static const char good[] = "------xyz\r\n"
                           "Content-Disposition: form-data; name=\"alt\"\r\n\r\n"
                           "A harbour at dawn\r\n"
                           "------xyz\r\n"
                           "Content-Disposition: form-data; name=\"file\"; filename=\"h.jpg\"\r\n"
                           "Content-Type: image/jpeg\r\n\r\n"
                           "\xff\xd8\r\n--not-it\r\n\xff\xd9\r\n"
                           "------xyz--\r\n";

Test(http_multipart, fields_and_files_are_slices_of_the_body)
{
    struct http_multipart m;
    cr_assert_eq(parse(good, &m), ERR_OK);
    cr_assert_eq(m.n, 2);
    const struct http_part *alt = http_multipart_get(&m, "alt"),
                           *f = http_multipart_get(&m, "file");
    cr_assert(alt && f);
    cr_expect(str_eq_cstr(alt->body, "A harbour at dawn"));
    cr_expect(!alt->is_file);
    cr_expect(f->is_file);
    cr_expect(str_eq_cstr(f->filename, "h.jpg"));
    cr_expect(str_eq_cstr(f->type, "image/jpeg"));
    cr_expect(str_eq_cstr(f->body, "\xff\xd8\r\n--not-it\r\n\xff\xd9"));
    cr_expect(f->body.ptr > good && f->body.ptr < good + sizeof(good), "not a copy");
    cr_expect(!http_multipart_get(&m, "caption"));
}

Test(http_multipart, boundaries)
{
    struct str b;
    cr_expect(http_multipart_boundary(STR_LIT("multipart/form-data; boundary=\"a b\""), &b));
    cr_expect(str_eq_cstr(b, "a b"));
    cr_expect(http_multipart_boundary(STR_LIT("Multipart/Form-Data;boundary=x"), &b));
    cr_expect(!http_multipart_boundary(STR_LIT("multipart/form-data"), &b));
    cr_expect(!http_multipart_boundary(STR_LIT("multipart/form-data; boundary="), &b));
    cr_expect(!http_multipart_boundary(STR_LIT("multipart/mixed; boundary=x"), &b));
    cr_expect(!http_multipart_boundary(STR_LIT("multipart/form-datax; boundary=x"), &b));
    cr_expect(!http_multipart_boundary(STR_LIT("multipart/form-data; boundary=a\"b"), &b));
    cr_expect(!http_multipart_boundary(STR_LIT("application/x-www-form-urlencoded"), &b));
    char ct[128];
    snprintf(ct, sizeof(ct), "multipart/form-data; boundary=%071d", 0);
    cr_expect(!http_multipart_boundary(str_from(ct), &b), "71 characters");
}

Test(http_multipart, file_names_lose_their_paths)
{
    static const struct {
        const char *sent, *kept;
    } cases[] = {
        {"../../etc/passwd", "passwd"},
        {"C:\\\\Users\\\\ana\\\\h.jpg", "h.jpg"},
        {"..", "upload"},
        {"a/..", "upload"},
        {"dir/", "upload"},
        {"", "upload"},
        {"h\x01\x7f.jpg", "h.jpg"},
        {"Київ.jpg", "Київ.jpg"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *body = arena_printf(&a,
                                  "------xyz\r\nContent-Disposition: form-data; name=\"file\"; "
                                  "filename=\"%s\"\r\n\r\nx\r\n------xyz--",
                                  cases[i].sent);
        struct http_multipart m;
        cr_assert_eq(parse(body, &m), ERR_OK, "%s", cases[i].sent);
        cr_expect(str_eq_cstr(m.parts[0].filename, cases[i].kept), "'%s' kept as '%.*s'",
                  cases[i].sent, (int)m.parts[0].filename.len, m.parts[0].filename.ptr);
    }
    /* a NUL inside the quoted name */
    static const char nul[] = "------xyz\r\nContent-Disposition: form-data; name=\"file\"; "
                              "filename=\"../a\0b.jpg\"\r\n\r\nx\r\n------xyz--";
    struct http_multipart m;
    cr_expect_eq(
        http_multipart_parse(STR_LIT(CT), (struct str){nul, sizeof(nul) - 1}, &a, &m, NULL),
        ERR_INVALID, "NUL in a part header");
}

Test(http_multipart, malformed_bodies_are_refused)
{
    static const char *const bad[] = {
        "",
        "------xyz--",
        "junk\r\n------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
        "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n------xy",
        "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n------xyzjunk",
        "------xyz\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Type: text/plain\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: "
        "form-data; name=\"b\"\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n "
        "folded\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nno colon\r\nContent-Disposition: form-data; "
        "name=\"a\"\r\n\r\nx\r\n------xyz--",
        "------xyz\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nx\r\n------xyz--",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct http_multipart m = {.n = 7};
        struct err err = {0};
        cr_expect_eq(http_multipart_parse(STR_LIT(CT), str_from(bad[i]), &a, &m, &err), ERR_INVALID,
                     "case %zu taken", i);
        cr_expect_eq(m.n, 0, "case %zu left parts", i);
        cr_expect(err.msg[0], "case %zu has no message", i);
    }
}

Test(http_multipart, limits)
{
    struct http_multipart m;
    char *many = arena_strdup(&a, "");
    for (int i = 0; i <= HTTP_MULTIPART_PARTS_MAX; i++)
        many = arena_printf(
            &a, "%s------xyz\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nx\r\n", many,
            i);
    many = arena_printf(&a, "%s------xyz--", many);
    cr_expect_eq(parse(many, &m), ERR_INVALID, "more parts than the limit");
    char *pad = arena_alloc(&a, HTTP_MULTIPART_HEAD_MAX + 1);
    memset(pad, 'a', HTTP_MULTIPART_HEAD_MAX);
    pad[HTTP_MULTIPART_HEAD_MAX] = '\0';
    char *big = arena_printf(&a,
                             "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\nX: %s\r\n"
                             "\r\nx\r\n------xyz--",
                             pad);
    cr_expect_eq(parse(big, &m), ERR_INVALID, "a header section over the limit");
}
