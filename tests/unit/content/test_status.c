#include "content/content.h"

#include <criterion/criterion.h>

Test(content_status, names_round_trip)
{
    enum content_status all[] = {CONTENT_DRAFT, CONTENT_SCHEDULED, CONTENT_PUBLISHED};
    const char *names[] = {"draft", "scheduled", "published"};
    for (size_t i = 0; i < ARRAY_LEN(all); i++) {
        cr_expect_str_eq(content_status_name(all[i]), names[i]);
        enum content_status s = CONTENT_DRAFT;
        cr_expect(content_status_parse(str_from(names[i]), &s));
        cr_expect_eq(s, all[i]);
    }
}

Test(content_status, unknown)
{
    enum content_status s = CONTENT_SCHEDULED;
    cr_expect_not(content_status_parse(STR_LIT("archived"), &s));
    cr_expect_not(content_status_parse(STR_LIT("Draft"), &s));
    cr_expect_not(content_status_parse(STR_LIT(""), &s));
    cr_expect_not(content_status_parse(STR_LIT("published "), &s));
    cr_expect_eq(s, CONTENT_SCHEDULED);
    /* an out-of-range value reads as the least visible status */
    cr_expect_str_eq(content_status_name((enum content_status)42), "draft");
}
