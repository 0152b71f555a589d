/*
 * Post values: the status names shared by the store, the API and post files.
 */
#include "content/content.h"
#include "content/content_int.h"

static const char *const status_names[] = {
    [CONTENT_DRAFT] = "draft",
    [CONTENT_SCHEDULED] = "scheduled",
    [CONTENT_PUBLISHED] = "published",
};

const char *content_status_name(enum content_status s)
{
    if ((unsigned)s >= ARRAY_LEN(status_names))
        return "draft";
    return status_names[s];
}

bool content_status_parse(struct str s, enum content_status *out)
{
    for (size_t i = 0; i < ARRAY_LEN(status_names); i++) {
        if (str_eq_cstr(s, status_names[i])) {
            *out = (enum content_status)i;
            return true;
        }
    }
    return false;
}
