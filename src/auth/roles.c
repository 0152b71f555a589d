/*
 * Ghost's staff roles. A Contributor writes drafts that someone else publishes; an
 * Author publishes their own work; an Editor runs the desk (every post, tags, the tips
 * inbox, the profiles of authors and contributors); an Administrator also runs the staff
 * and the site.
 */
#include "auth/auth.h"

static const char *const names[] = {
    [AUTH_NONE] = "",         [AUTH_CONTRIBUTOR] = "contributor",     [AUTH_AUTHOR] = "author",
    [AUTH_EDITOR] = "editor", [AUTH_ADMINISTRATOR] = "administrator",
};

const char *auth_role_name(enum auth_role role)
{
    return (unsigned)role < ARRAY_LEN(names) ? names[role] : "";
}

bool auth_role_parse(struct str s, enum auth_role *out)
{
    for (unsigned r = AUTH_CONTRIBUTOR; r < ARRAY_LEN(names); r++)
        if (str_eq_cstr(s, names[r])) {
            *out = (enum auth_role)r;
            return true;
        }
    return false;
}

bool auth_can(enum auth_role role, enum auth_action act, const struct auth_post *post)
{
    bool own = post && post->own;
    bool published = post && post->published;
    switch (act) {
    case AUTH_POST_WRITE:
    case AUTH_POST_DELETE:
        if (role >= AUTH_EDITOR)
            return true;
        if (role == AUTH_AUTHOR)
            return own;
        return role == AUTH_CONTRIBUTOR && own && !published;
    case AUTH_POST_PUBLISH:
        return role >= AUTH_EDITOR || (role == AUTH_AUTHOR && own);
    case AUTH_TAG_CREATE:
        return role >= AUTH_AUTHOR;
    case AUTH_TAGS_MANAGE:
    case AUTH_TIPS_READ:
    case AUTH_STAFF_MANAGE:
        return role >= AUTH_EDITOR;
    case AUTH_STAFF_ROLES:
    case AUTH_AUDIT_READ:
        return role >= AUTH_ADMINISTRATOR;
    }
    return false;
}

bool auth_can_edit_profile(enum auth_role role, bool self, enum auth_role other, bool desk)
{
    if (self || role >= AUTH_ADMINISTRATOR)
        return role >= AUTH_CONTRIBUTOR;
    /* an editor looks after the bylines: desks, authors and contributors, not peers */
    return role == AUTH_EDITOR && (desk || other <= AUTH_AUTHOR);
}

bool auth_can_grant(enum auth_role role, enum auth_role target)
{
    if (target < AUTH_CONTRIBUTOR || target > AUTH_ADMINISTRATOR)
        return false;
    if (role >= AUTH_ADMINISTRATOR)
        return true;
    return role == AUTH_EDITOR && target <= AUTH_AUTHOR;
}
