/*
 * The Ghost-compatible Admin API (/ghost/api/admin/...), answered so that Ghost's own
 * client (@tryghost/admin-api) and scripts written for Ghost publish here unchanged.
 *
 * - Who asks: "Authorization: Ghost <JWT>" signed with an admin key (auth/jwt.c; the key
 *   acts as Ghost's "Admin Integration": posts, pages, tags and images, users read), or
 *   the newsroom's session cookie from this site's own pages (the Origin must be ours),
 *   with that staff member's role (auth_can). Nothing else gets in: Ghost's 403
 *   "Authorization failed" without either, its 401s for a bad token.
 * - Writes go through newsroom/ (posts rendered, tags found or created, free slugs, a
 *   revision per save) and media_add (images), each in one transaction.
 * - Answers have Ghost's shapes and error envelopes (api_error_page); nothing is cached.
 *
 * Files: admin.c (who asks, site/, users/, tags/), admin_posts.c (posts/ and pages/),
 * admin_body.c (a post's JSON into a draft), admin_images.c (images/upload/).
 */
#ifndef API_ADMIN_H
#define API_ADMIN_H

#include "base/base.h"

struct app;
struct request;
struct response;

#define API_ADMIN_JSON_MAX (1024 * 1024 + 2 * 512 * 1024) /* a request's JSON body */

/* Handlers (route_handler_fn); the resource comes from the path. */
enum err_code api_admin_site(struct app *app, const struct request *req, struct response *res,
                             struct err *err);
enum err_code api_admin_posts_browse(struct app *app, const struct request *req,
                                     struct response *res, struct err *err);
enum err_code api_admin_posts_read(struct app *app, const struct request *req, struct response *res,
                                   struct err *err);
enum err_code api_admin_posts_add(struct app *app, const struct request *req, struct response *res,
                                  struct err *err);
enum err_code api_admin_posts_edit(struct app *app, const struct request *req, struct response *res,
                                   struct err *err);
enum err_code api_admin_posts_delete(struct app *app, const struct request *req,
                                     struct response *res, struct err *err);
enum err_code api_admin_tags_browse(struct app *app, const struct request *req,
                                    struct response *res, struct err *err);
enum err_code api_admin_tags_read(struct app *app, const struct request *req, struct response *res,
                                  struct err *err);
enum err_code api_admin_tags_add(struct app *app, const struct request *req, struct response *res,
                                 struct err *err);
enum err_code api_admin_tags_edit(struct app *app, const struct request *req, struct response *res,
                                  struct err *err);
enum err_code api_admin_tags_delete(struct app *app, const struct request *req,
                                    struct response *res, struct err *err);
enum err_code api_admin_users_browse(struct app *app, const struct request *req,
                                     struct response *res, struct err *err);
enum err_code api_admin_users_read(struct app *app, const struct request *req, struct response *res,
                                   struct err *err);
enum err_code api_admin_images_upload(struct app *app, const struct request *req,
                                      struct response *res, struct err *err);
/** Anything else under /ghost/api/admin/: 404 in Ghost's envelope. */
enum err_code api_admin_not_found(struct app *app, const struct request *req, struct response *res,
                                  struct err *err);

#endif
