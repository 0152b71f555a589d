#include "base/base.h"

#include <criterion/criterion.h>
#include <string.h>

Test(base_buf, cap_is_enforced_and_content_kept)
{
    struct buf b;
    buf_init(&b, 8);
    cr_assert_eq(buf_puts(&b, "12345"), ERR_OK);
    cr_assert_eq(buf_puts(&b, "6789"), ERR_TOOBIG);
    cr_assert_str_eq(b.ptr, "12345");
    cr_assert_eq(buf_puts(&b, "678"), ERR_OK);
    cr_assert_eq(b.len, 8);
    cr_assert_eq(buf_putc(&b, 'x'), ERR_TOOBIG);
    cr_assert_eq(buf_printf(&b, "%d", 1), ERR_TOOBIG);
    buf_release(&b);
}

Test(base_buf, html_escaping)
{
    struct buf b;
    buf_init(&b, 1024);
    const char *in = "<a href=\"x\">Tom & Jerry's</a>";
    buf_append_html(&b, in, strlen(in));
    cr_assert_str_eq(b.ptr, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    buf_release(&b);
}

Test(base_arena, many_allocations_and_big_ones)
{
    struct arena a;
    arena_init(&a);
    for (int i = 0; i < 10000; i++) {
        char *p = arena_alloc(&a, (size_t)(i % 100) + 1);
        memset(p, 'x', (size_t)(i % 100) + 1);
        cr_assert_eq(((uintptr_t)p) % 16, 0);
    }
    char *big = arena_alloc(&a, 1 << 20);
    memset(big, 1, 1 << 20);
    cr_assert_str_eq(arena_printf(&a, "%s-%d", "x", 42), "x-42");
    arena_release(&a);
}

Test(base_str, to_i64)
{
    int64_t v;
    cr_assert(str_to_i64(STR_LIT("0"), &v) && v == 0);
    cr_assert(str_to_i64(STR_LIT("-42"), &v) && v == -42);
    cr_assert(str_to_i64(STR_LIT("9223372036854775807"), &v) && v == INT64_MAX);
    cr_assert(!str_to_i64(STR_LIT("9223372036854775808"), &v));
    cr_assert(!str_to_i64(STR_LIT(""), &v));
    cr_assert(!str_to_i64(STR_LIT("-"), &v));
    cr_assert(!str_to_i64(STR_LIT("12a"), &v));
    cr_assert(!str_to_i64(STR_LIT("+1"), &v));
    cr_assert(!str_to_i64(STR_LIT(" 1"), &v));
}

Test(base_time, parse_iso)
{
    int64_t t;
    cr_assert(time_parse_iso(STR_LIT("2026-11-26T08:15:00Z"), &t) && t == 1795680900);
    cr_assert(time_parse_iso(STR_LIT("2026-11-26T10:15:00+02:00"), &t) && t == 1795680900);
    cr_assert(time_parse_iso(STR_LIT("2026-11-26 08:15"), &t) && t == 1795680900);
    cr_assert(time_parse_iso(STR_LIT("2026-11-26T08:15:00.123Z"), &t) && t == 1795680900);
    cr_assert(time_parse_iso(STR_LIT("2026-11-26"), &t) && t == 1795651200);
    cr_assert(time_parse_iso(STR_LIT("2024-02-29"), &t));
    cr_assert(!time_parse_iso(STR_LIT("2026-02-29"), &t));
    cr_assert(!time_parse_iso(STR_LIT("2026-13-01"), &t));
    cr_assert(!time_parse_iso(STR_LIT("tomorrow"), &t));
    cr_assert(!time_parse_iso(STR_LIT("2026-11-26T25:00"), &t));
    cr_assert(!time_parse_iso(STR_LIT("2026-11-26T08:15:00+2"), &t));
    cr_assert(!time_parse_iso(STR_LIT("2026-11-26T08:15:00Zjunk"), &t));
}

Test(base_time, formats)
{
    char out[40];
    time_fmt_http(1795680900, out);
    cr_assert_str_eq(out, "Thu, 26 Nov 2026 08:15:00 GMT");
    time_fmt_iso_utc(1795680900, out);
    cr_assert_str_eq(out, "2026-11-26T08:15:00Z");
    cr_assert(time_zone_set("Europe/Kyiv"));
    time_fmt_iso_local(1795680900, out);
    cr_assert_str_eq(out, "2026-11-26T10:15:00+02:00");
    time_fmt_human_date(1795680900, out);
    cr_assert_str_eq(out, "26 November 2026");
    cr_assert(!time_zone_valid("../../etc/passwd"));
    cr_assert(!time_zone_valid("Mars/Olympus"));
    cr_assert(time_zone_valid("UTC"));
}

Test(base_utf8, validation)
{
    cr_assert(utf8_valid("Київ", strlen("Київ")));
    cr_assert(!utf8_valid("\xc0\xaf", 2), "overlong");
    cr_assert(!utf8_valid("\xed\xa0\x80", 3), "surrogate");
    cr_assert(!utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
    cr_assert(!utf8_valid("\xe2\x82", 2), "truncated");
    char out[4];
    cr_assert_eq(utf8_encode(0x20AC, out), 3);
    uint32_t cp;
    cr_assert_eq(utf8_decode(out, 3, &cp), 3);
    cr_assert_eq(cp, 0x20AC);
}

Test(base_err, set_and_prefix)
{
    struct err e = {0};
    cr_assert_eq(err_set(&e, ERR_INVALID, "bad '%s'", "x"), ERR_INVALID);
    err_prefix(&e, "file.md:%d", 3);
    cr_assert_str_eq(e.msg, "file.md:3: bad 'x'");
    cr_assert_eq(err_http_status(ERR_NOTFOUND), 404);
    cr_assert_eq(err_http_status(ERR_HEADERSTOOBIG), 431);
    cr_assert_eq(err_set(NULL, ERR_BUSY, "x"), ERR_BUSY);
}

Test(base_hist, buckets_are_inclusive_and_the_text_cumulative)
{
    cr_assert_eq(hist_bucket(0), 0);
    cr_assert_eq(hist_bucket(100000), 0, "100 us is in le=0.0001 (le: less or equal)");
    cr_assert_eq(hist_bucket(100001), 1);
    cr_assert_eq(hist_bucket(10000000000ull), HIST_BUCKETS - 2);
    cr_assert_eq(hist_bucket(10000000001ull), HIST_BUCKETS - 1, "past 10 s: +Inf only");
    static struct hist h;
    hist_add(&h, 50000);       /* 50 us */
    hist_add_own(&h, 3000000); /* 3 ms */
    hist_add(&h, 20000000000ull);
    uint64_t counts[HIST_BUCKETS] = {0}, sum = 0;
    hist_gather(&h, counts, &sum);
    hist_gather(&h, counts, &sum); /* gathering adds: two threads' histograms */
    cr_assert_eq(sum, 2 * (50000 + 3000000 + 20000000000ull));
    struct buf b;
    buf_init(&b, 1 << 16);
    cr_assert_eq(hist_write(&b, "x_seconds", "route=\"home\"", counts, sum), ERR_OK);
    cr_assert(strstr(b.ptr, "x_seconds_bucket{route=\"home\",le=\"0.0001\"} 2\n"), "%s", b.ptr);
    cr_assert(strstr(b.ptr, "x_seconds_bucket{route=\"home\",le=\"0.005\"} 4\n"), "%s", b.ptr);
    cr_assert(strstr(b.ptr, "x_seconds_bucket{route=\"home\",le=\"10\"} 4\n"), "%s", b.ptr);
    cr_assert(strstr(b.ptr, "x_seconds_bucket{route=\"home\",le=\"+Inf\"} 6\n"), "%s", b.ptr);
    cr_assert(strstr(b.ptr, "x_seconds_sum{route=\"home\"} 40.006100000\n"), "%s", b.ptr);
    cr_assert(strstr(b.ptr, "x_seconds_count{route=\"home\"} 6\n"), "%s", b.ptr);
    buf_reset(&b);
    uint64_t none[HIST_BUCKETS] = {0};
    cr_assert_eq(hist_write(&b, "y_seconds", "", none, 0), ERR_OK);
    cr_assert(strstr(b.ptr, "y_seconds_bucket{le=\"+Inf\"} 0\ny_seconds_sum 0.000000000\n"
                            "y_seconds_count 0\n"),
              "%s", b.ptr);
    buf_release(&b);
}
