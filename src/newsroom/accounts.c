/*
 * One-time links to set a password, made alike from the newsroom's staff pages and from
 * `newsdesk user reset-link` (the way in for a sole administrator who lost a password).
 * admin/accounts.c serves the page the link opens.
 */
#include "newsroom/newsroom.h"

#include "auth/auth.h"
#include "store/store.h"

enum err_code newsroom_link_make(struct store *st, const struct store_user *u, int64_t by,
                                 struct str address, struct str site_url, struct arena *a,
                                 struct newsroom_link *out, struct err *err)
{
    bool invite = !u->password_hash.len;
    char token[AUTH_TOKEN_LEN + 1];
    auth_token_new(token);
    unsigned char hash[32];
    auth_token_hash(str_from(token), hash);
    int64_t now = time_now();
    struct store_account_link l = {
        .kind = invite ? STR_LIT("invite") : STR_LIT("reset"),
        .user_id = u->id,
        .created_by = by,
        .created_at = now,
        .expires_at = now + (invite ? NEWSROOM_INVITE_TTL : NEWSROOM_RESET_TTL),
    };
    enum err_code rc = store_account_link_add(st, hash, &l, err);
    if (!rc)
        rc = store_audit(st, by, invite ? "invitation link" : "reset link", u->slug, STR_LIT(""),
                         address, err);
    if (rc)
        return rc;
    *out = (struct newsroom_link){
        .url = str_from(
            arena_printf(a, "%.*s/admin/reset/%s/", (int)site_url.len, site_url.ptr, token)),
        .expires_at = l.expires_at,
        .invite = invite,
    };
    return ERR_OK;
}
