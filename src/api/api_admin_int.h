/*
 * What the Admin API's files (admin*.c) share, and nothing else includes.
 */
#ifndef API_ADMIN_INT_H
#define API_ADMIN_INT_H

#include "api/api_admin.h"
#include "api/api_int.h"
#include "auth/auth.h"

struct json;

/* Who a request comes from. */
struct api_admin_who {
    bool integration;    /* an admin key (Ghost's "Admin Integration" role) */
    enum auth_role role; /* a session's staff role; AUTH_EDITOR's rights for a key */
    int64_t user_id;     /* the session's account; 0 for a key */
    struct str key_id;   /* the key's public id, for the audit log (in the request's arena) */
};

/**
 * Writes the audit line of a change readers see (as the editor does): action on target,
 * by the session's account or, for a key, with the key's id in the detail. Inside the
 * caller's transaction.
 */
enum err_code api_admin_audit(struct app *app, const struct request *req,
                              const struct api_admin_who *who, const char *action,
                              struct str target, struct str title, struct err *err);

/* ---- admin.c ------------------------------------------------------------------------ */

/**
 * The token or the session of req (see api_admin.h), or Ghost's refusal: 403 without
 * either, 401 for a bad token or an unknown, revoked or content key, 400 for a token
 * that is not one or a session request from another origin.
 */
enum err_code api_admin_auth(struct app *app, const struct request *req, struct api_admin_who *who,
                             struct err *err);
/**
 * The request's JSON body {"<root>": [obj, ...]}: *doc the tree (caller frees), *item its
 * first object. 422 ValidationError in Ghost's words when the root key or object is
 * missing; 400 for JSON that does not parse.
 */
enum err_code api_admin_body(const struct request *req, const char *root, struct json **doc,
                             const struct json **item, struct err *err);
/** {"<name>": [obj]} with status (200, 201), sent; frees obj. */
enum err_code api_admin_send_one(struct response *res, int status, const char *name,
                                 struct json *obj);
/** The parameters of a browse or read of resource r (api_ask_read's, for the admin paths). */
enum err_code api_admin_ask(const struct request *req, enum api_resource r, struct api_ask *q,
                            struct err *err);

/**
 * The row id of s, an id of kind: ours (api_id_format), or a Ghost id an import
 * kept. ERR_VALIDATION for what is not an id (Ghost's 422), ERR_NOTFOUND for none.
 */
enum err_code api_admin_id(const struct request *req, struct str s, enum api_id_kind kind,
                           int64_t *id, struct err *err);
/** Where q's page starts; a page past any possible row starts at API_OFFSET_MAX. */
int64_t api_admin_offset(const struct api_ask *q);
/** An image URL as Ghost gives it: a path under the site made absolute; NULL (null) for none. */
struct json *api_admin_image(const struct api_out *out, struct str img);

/* ---- admin_body.c ------------------------------------------------------------------- */

/* A post as a request gives it, over the post it edits. */
struct api_admin_post_in {
    struct content_draft d;
    struct content_meta meta;
    bool has_updated_at;
    int64_t updated_at;
};

/**
 * Reads Ghost's post object o into *in, starting from old (an edit: the fields o leaves
 * out stay as they were) or from an empty draft (old NULL). The body: "markdown" (ours),
 * "html" when ?source=html, "lexical" or "mobiledoc" (JSON strings), converted through
 * html/. Tags by name, slug or id (objects or strings); authors by id, email or slug.
 * ERR_VALIDATION (422) with Ghost's wording for a bad field. Results live in the
 * request's arena.
 */
enum err_code api_admin_post_in(const struct request *req, const struct json *o,
                                const struct content_post *old, bool page,
                                struct api_admin_post_in *in, struct err *err);

#endif
