/*
 * Post values: the status and label names shared by the store, the API and post files.
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

static const char *const label_names[] = {
    [CONTENT_LABEL_NONE] = "",
    [CONTENT_LABEL_BREAKING] = "breaking",
    [CONTENT_LABEL_LIVE] = "live",
};

const char *content_label_name(enum content_label l)
{
    if ((unsigned)l >= ARRAY_LEN(label_names))
        return "";
    return label_names[l];
}

bool content_label_parse(struct str s, enum content_label *out)
{
    for (size_t i = 0; i < ARRAY_LEN(label_names); i++) {
        if (str_case_eq(s, label_names[i])) {
            *out = (enum content_label)i;
            return true;
        }
    }
    if (str_case_eq(s, "none")) {
        *out = CONTENT_LABEL_NONE;
        return true;
    }
    return false;
}
