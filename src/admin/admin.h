/*
 * admin: the newsroom's pages under /admin/ — login, the post list and editor with live
 * preview, revisions, the tips inbox, staff and desk profiles, tags and the audit log —
 * server-rendered HTML with a little vanilla JavaScript, usable on a phone.
 *
 * Who may open a page is the route table's business (routes.c checks the session, the
 * role and the CSRF token before any handler here runs); whether they may act on a
 * particular post or person is decided here, through auth/.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include "auth/auth.h"
#include "base/base.h"

struct app;
struct request;
struct response;

/* The signed-in staff member, as routes.c hands it to handlers (request.session). */
struct admin_session {
    int64_t user_id;
    enum auth_role role;
    struct str name;
    struct str slug;
    struct str csrf;
    unsigned char token_hash[32];
};

#define ADMIN_SESSION_IDLE (8 * 3600)     /* signed out after 8 hours without a request */
#define ADMIN_SESSION_MAX (7 * 24 * 3600) /* and after 7 days whatever happens */

/** The session the request's cookie names, or ERR_NOTFOUND (no cookie, expired, revoked). */
enum err_code admin_session_load(struct app *app, const struct request *req,
                                 struct admin_session **out);
/** The request's CSRF token (form field "csrf" or header X-CSRF-Token) matches. */
bool admin_csrf_ok(const struct request *req, const struct admin_session *s);
/** The request's Origin (else Referer) is this site: the Host it was sent to, or the URL. */
bool admin_same_origin(const struct app *app, const struct request *req);
/**
 * The client's address: the peer, or from a trusted proxy the right-most X-Forwarded-For
 * entry it did not add (http_client_address).
 */
struct str admin_client_address(const struct app *app, const struct request *req);

/**
 * Renders an error for the newsroom (http_send_err's renderer on /admin/ routes): the
 * page with its navigation and the message; for a page asked without a session, a
 * redirect to the login form that comes back to it. ctx is the struct app, whose
 * admin theme renders it.
 */
enum err_code admin_error_page(void *ctx, const struct request *req, struct response *res,
                               enum err_code code, const char *msg);

struct admin_theme;

/**
 * Loads the newsroom's theme from dir: every page's template, compiled once against its
 * typed view, and the stylesheet and script (assets/admin.css, assets/admin.js), read
 * once. ERR_INVALID with "file:line: message" for a broken template, ERR_NOTFOUND/ERR_IO
 * naming a missing or unreadable file. Caller frees with admin_theme_free(). Immutable
 * once loaded: any number of threads may render from it.
 */
enum err_code admin_theme_load(const char *dir, struct admin_theme **out, struct err *err);
void admin_theme_free(struct admin_theme *t);

/* handlers (route_handler_fn) */
enum err_code admin_asset(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code admin_login_form(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_login(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code admin_logout(struct app *app, const struct request *req, struct response *res,
                           struct err *err);
enum err_code admin_posts(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code admin_post_form(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
enum err_code admin_post_save(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
enum err_code admin_post_delete(struct app *app, const struct request *req, struct response *res,
                                struct err *err);
/* Bulk actions on the post list (bulk.c): the confirmation page, then the change. */
enum err_code admin_posts_bulk(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
/* the editor that never loses a word (editor.c, presence.c) */
enum err_code admin_post_autosave(struct app *app, const struct request *req, struct response *res,
                                  struct err *err);
enum err_code admin_post_autosave_discard(struct app *app, const struct request *req,
                                          struct response *res, struct err *err);
enum err_code admin_post_editing(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code admin_session_info(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code admin_preview(struct app *app, const struct request *req, struct response *res,
                            struct err *err);
/* The editor's form tools (pickers.c, share.c): tag and byline look-ups as JSON, and
 * preview links for drafts. */
/**
 * POST /admin/media/: a photo uploaded as multipart/form-data (fields file, alt,
 * decorative, caption, credit, csrf), taken in by media_add. With Accept: application/json
 * the answer is 201 (200 when the same file was stored already) and
 * {"media":{"key","url","width","height","alt","decorative","caption","credit","removed",
 * "existed","ready"}}, errors {"errors":[{"message","type"}]} with their 4xx status; without,
 * a 303 to /admin/media/?added=KEY, errors on the newsroom's page.
 */
enum err_code admin_media_upload(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
/** True for a request whose errors are answered in JSON (the upload, from a script). */
bool admin_wants_json(const struct request *req);
enum err_code admin_api_tags(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
enum err_code admin_api_staff(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
enum err_code admin_post_share(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_revisions(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
enum err_code admin_revision(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
enum err_code admin_revision_restore(struct app *app, const struct request *req,
                                     struct response *res, struct err *err);
enum err_code admin_tips(struct app *app, const struct request *req, struct response *res,
                         struct err *err);
/** A tip's own page (opening it marks it read) and its photos, stripped, to staff only. */
enum err_code admin_tip(struct app *app, const struct request *req, struct response *res,
                        struct err *err);
enum err_code admin_tip_photo(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
/** handled, reopen, unread, assign, draft, library (a photo), delete. */
enum err_code admin_tip_action(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_staff(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code admin_staff_add(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
enum err_code admin_profile(struct app *app, const struct request *req, struct response *res,
                            struct err *err);
enum err_code admin_profile_save(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
/* One-time links (accounts.c): an administrator makes one; its holder sets a password. */
enum err_code admin_staff_link(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_reset_form(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_reset(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code admin_staff_access(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code admin_tags(struct app *app, const struct request *req, struct response *res,
                         struct err *err);
enum err_code admin_tag_save(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
enum err_code admin_settings(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
enum err_code admin_settings_save(struct app *app, const struct request *req, struct response *res,
                                  struct err *err);
/* The media library (media.c): the page, one photo's page, its changes, its deletion */
enum err_code admin_media(struct app *app, const struct request *req, struct response *res,
                          struct err *err);
enum err_code admin_media_edit(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_media_save(struct app *app, const struct request *req, struct response *res,
                               struct err *err);
enum err_code admin_media_delete(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
/* GET /admin/api/media/?q=&before=: recent photos for the editor's pickers, as JSON */
enum err_code admin_api_media(struct app *app, const struct request *req, struct response *res,
                              struct err *err);
enum err_code admin_audit(struct app *app, const struct request *req, struct response *res,
                          struct err *err);

#endif
