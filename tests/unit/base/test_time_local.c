#include "base/base.h"

#include <criterion/criterion.h>
#include <stdlib.h>

Test(base_time, editor_times_are_read_in_the_site_zone)
{
    cr_assert(time_zone_set("Europe/Kyiv"));
    int64_t t;
    /* 26 Nov 2026 10:15 in Kyiv (UTC+2) is 08:15 UTC */
    cr_assert(time_parse_local(STR_LIT("2026-11-26T10:15"), &t));
    int64_t utc;
    cr_assert(time_parse_iso(STR_LIT("2026-11-26T08:15:00Z"), &utc));
    cr_assert_eq(t, utc);
    /* summer time: UTC+3 */
    cr_assert(time_parse_local(STR_LIT("2026-07-01T12:00:30"), &t));
    cr_assert(time_parse_iso(STR_LIT("2026-07-01T09:00:30Z"), &utc));
    cr_assert_eq(t, utc);
    /* an explicit zone wins */
    cr_assert(time_parse_local(STR_LIT("2026-11-26T10:15:00Z"), &t));
    cr_assert(time_parse_iso(STR_LIT("2026-11-26T10:15:00Z"), &utc));
    cr_assert_eq(t, utc);
    char out[20];
    time_fmt_input_local(utc, out);
    cr_assert_str_eq(out, "2026-11-26T12:15");
    cr_assert(!time_parse_local(STR_LIT("soon"), &t));
    cr_assert(!time_parse_local(STR_LIT("2026-02-30T10:00"), &t));
    cr_assert(time_zone_set("UTC"));
}
