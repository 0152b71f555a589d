/* Shared by admin/'s own files only. */
#ifndef ADMIN_INT_H
#define ADMIN_INT_H

#include "admin/admin.h"

#include "app.h"
#include "http/http.h"
#include "render/render.h"
#include "store/store.h"

/*
 * The newsroom's pages, one line each: NAME for the enum, name for the template
 * (themes/admin/<name>.html), the view's struct (struct admin_<name>_view) and its
 * descriptor (admin_<name>_type), both defined in the file of the page's handler, and
 * the field of struct admin_view that points at the view while the page renders.
 */
#define ADMIN_PAGES(X)                                                                             \
    X(LOGIN, login)                                                                                \
    X(POSTS, posts)                                                                                \
    X(BULK, bulk)                                                                                  \
    X(EDITOR, editor)                                                                              \
    X(REVISIONS, revisions)                                                                        \
    X(REVISION, revision)                                                                          \
    X(TIPS, tips)                                                                                  \
    X(TIP, tip)                                                                                    \
    X(STAFF, staff)                                                                                \
    X(PROFILE, profile)                                                                            \
    X(RESET, reset)                                                                                \
    X(TAGS, tags)                                                                                  \
    X(AUDIT, audit)                                                                                \
    X(SETTINGS, settings)                                                                          \
    X(MEDIA, media)                                                                                \
    X(MEDIA_ITEM, media_item)                                                                      \
    X(ERROR, error)

enum admin_tpl {
#define ADMIN_TPL_ENUM(NAME, name) ADMIN_TPL_##NAME,
    ADMIN_PAGES(ADMIN_TPL_ENUM)
#undef ADMIN_TPL_ENUM
        ADMIN_TPL__COUNT
};

#define ADMIN_VIEW_DECL(NAME, name)                                                                \
    struct admin_##name##_view;                                                                    \
    extern const struct render_type admin_##name##_type;
ADMIN_PAGES(ADMIN_VIEW_DECL)
#undef ADMIN_VIEW_DECL

/* A link of the navigation (partials/nav.html). */
struct admin_nav_item {
    struct str href;
    struct str label;
    bool current;
    int64_t count;          /* shown as "(3)" after the label; 0: nothing */
    struct str count_label; /* what the count is, for screen readers: "3 unread tips" */
};

/* An <option> of a <select>: a value (id, or the name when id is 0) and whether chosen. */
struct admin_option {
    int64_t id;
    struct str name;
    bool selected;
};

extern const struct render_type admin_option_type;

/* Who is signed in, for the header. */
struct admin_user_view {
    struct str name;
    struct str role;
};

/*
 * The editor's form tools (pickers.c, share.c), shown around the tags and the preview:
 * the tags the form names that do not exist yet (each a "create it" checkbox), the word
 * count and reading time of the body, and the post's preview link once made.
 */
struct admin_new_tag {
    struct str name;
    struct str suggestion; /* the nearest existing tag's name, or "" */
    bool checked;          /* already in the form's new_tags */
};

struct admin_tools_view {
    const struct admin_new_tag *new_tags;
    size_t nnew_tags;
    bool may_create_tags;
    int64_t words;
    struct str counts;        /* "312 words · 2 min read", as the site prints the time */
    bool can_share;           /* a saved, unpublished post */
    struct str share_action;  /* where the "Share a preview" form posts */
    struct str share_url;     /* "/preview/TOKEN/", once made */
    struct str share_expires; /* when that link stops working */
};

extern const struct render_type admin_tools_type;

/* What the tools are computed from: the form as the editor shows it. */
struct admin_tools_in {
    int64_t id; /* 0: not saved yet */
    enum content_status status;
    struct str tags;     /* "a, b, c" */
    struct str markdown; /* rendered when html is empty (a form shown again) */
    struct str html;
    struct str feature_image;
};

/** The editor's tools for the form in; lives in the request's arena. */
const struct admin_tools_view *admin_tools_of(const struct request *req,
                                              const struct admin_tools_in *in);
/** Fills t's preview link fields (share.c): the form, and the link ?preview_link= names. */
void admin_share_view(const struct request *req, const struct admin_tools_in *in,
                      struct admin_tools_view *t);
/**
 * Refuses a draft that names a tag that does not exist yet unless the form's new_tags
 * confirms it (ERR_INVALID "“Polotics” is not a tag yet. Did you mean “Politics”? ...";
 * ERR_FORBIDDEN when the session's role may not create tags), or a byline slug that is
 * nobody's (ERR_INVALID). Reads only: nothing is created here.
 */
enum err_code admin_picks_check(const struct request *req, const struct content_draft *d,
                                struct err *err);

/*
 * The root of every template: the page chrome (partials/head.html, nav.html, foot.html,
 * notices.html, csrf.html) and, set by the handler, the view of the page being shown.
 */
struct admin_view {
    struct str title;                   /* <title>, before " · Newsdesk" */
    struct str assets_v;                /* "?v=" of /admin/assets/ links (immutable) */
    const struct admin_user_view *user; /* NULL: nobody signed in, no header */
    const struct admin_nav_item *nav;   /* what the session's role may open */
    size_t nnav;
    struct str csrf;   /* the session's token (the login form's own) */
    struct str alert;  /* a notice with role=alert: what went wrong */
    struct str notice; /* a notice with role=status: what was done */
#define ADMIN_VIEW_FIELD(NAME, name) const struct admin_##name##_view *name;
    ADMIN_PAGES(ADMIN_VIEW_FIELD)
#undef ADMIN_VIEW_FIELD
    /* the editor's form tools (pickers.c): set by the editor's page only */
    const struct admin_tools_view *tools;
};

extern const struct render_type admin_view_type;

/* The compiled templates and the files of assets/ (theme.c). */
struct admin_theme {
    struct render_theme *tpls;
    struct render_assets assets;
};

/* The fingerprint of the theme's assets: "?v=" it in a link and the link is immutable. */
const char *admin_assets_version(const struct app *app);

/*
 * Renders template tpl over v and sends it with status. v->title and the page's view
 * are the caller's; the header, navigation (active: the key of the current link, or
 * NULL) and CSRF token come from the request's session. Never cached, never framed.
 */
enum err_code admin_show(const struct app *app, const struct request *req, struct response *res,
                         int status, enum admin_tpl tpl, const char *active, struct admin_view *v);
/*
 * admin_show for a page without a session (the login form, a one-time link's form): its
 * forms carry a fresh double-submit token, also set in the nd_login cookie, which
 * admin_csrf_ok checks when no session is signed in (session.c).
 */
enum err_code admin_show_public(struct app *app, const struct request *req, struct response *res,
                                int status, enum admin_tpl tpl, struct admin_view *v);
/* The page's notices: what went wrong (alert), what was done (notice); NULL for none. */
void admin_view_notices(struct admin_view *v, const char *alert, const char *notice);
/* 303 See Other to location. */
enum err_code admin_redirect(struct response *res, const char *location);

/* A form field, trimmed of surrounding white space ("" when absent). */
struct str admin_field(const struct request *req, const char *name);
/* A form field as is (bodies keep their spaces). */
struct str admin_field_raw(const struct request *req, const char *name);
/* A query parameter ("" when absent). */
struct str admin_query(const struct request *req, const char *name);
/* Whether the query has name, with any value. */
bool admin_query_has(const struct request *req, const char *name);
/* The ?page= of a paged list (1 when absent or not a page number). */
int64_t admin_query_page(const struct request *req);
/* The route's {id} as a positive number, or 0. */
int64_t admin_param_id(const struct request *req);

/* The session of a request that the route table let through. */
static inline const struct admin_session *admin_session_of(const struct request *req)
{
    return req->session;
}

/* The options named by names[0..n), with `selected` chosen (compared by text). */
struct admin_option *admin_options(const char *const *names, size_t n, struct str selected,
                                   struct arena *a);

/*
 * The post id, after checking the session may do act to it (AUTH_POST_WRITE or
 * AUTH_POST_DELETE): ERR_NOTFOUND when there is no such post, ERR_FORBIDDEN when the
 * session may not; p lives in the request's arena.
 */
enum err_code admin_post_for(const struct request *req, int64_t id, enum auth_action act,
                             struct content_post *p, struct err *err);
/* What the session is to post p: an author of it, and whether readers can see it. */
struct auth_post admin_post_rights(const struct content_post *p, const struct admin_session *s);

/* ---- the editor that never loses a word (presence.c, session.c) ---- */

struct json;
/* Sends o (taken, freed) as JSON with status; never cached. */
enum err_code admin_json(struct response *res, int status, struct json *o);
/* Renews the session's presence on post id; "Ana Reporter is also editing this post" or "". */
struct str admin_presence_note(struct app *app, const struct request *req, int64_t id);
/*
 * The login form (401) for a save sent after the session ended, carrying the editor's
 * fields as hidden inputs and `next` back to the editor: nothing typed is lost.
 */
enum err_code admin_login_carry(struct app *app, const struct request *req, struct response *res);
/*
 * After a login that carried an editor's text (admin_login_carry): the text kept as an
 * 'expired' revision of the post it was written for when s may write it, else as a new
 * draft. *location is where the editor goes next (in the request's arena).
 */
enum err_code admin_post_keep_expired(struct app *app, const struct request *req,
                                      const struct admin_session *s, struct str next,
                                      const char **location, struct err *err);

/* ---- one-time links to set a password (accounts.c) ---- */

/* A link just made, shown once on the person's page: it is never stored in clear. */
struct admin_link {
    struct str url;     /* absolute, from the site's url: "https://site/admin/reset/TOKEN/" */
    struct str expires; /* "3 Dec 2026, 18:15" */
    bool invite;
};

extern const struct render_type admin_link_type;

/**
 * newsroom_link_make for person u by the session, inside the caller's transaction on
 * app->writer: an invitation when u has no password yet, else a password reset. *out
 * lives in the request's arena.
 */
enum err_code admin_link_make(struct app *app, const struct request *req,
                              const struct store_user *u, struct admin_link *out, struct err *err);
/** u's page (people.c) showing link, made a moment ago, with a notice saying what it is. */
enum err_code admin_profile_show(struct app *app, const struct request *req, struct response *res,
                                 const struct store_user *u, const struct admin_link *link);

/* Local date and time for lists: "26 Nov 2026, 10:15", in a; "—" for 0. */
struct str admin_when(int64_t t, struct arena *a);
/* "" when n is 1, else "s": "1 post", "2 posts". */
struct str admin_plural(int64_t n);
/* s, or `otherwise` when s is empty. */
struct str admin_or(struct str s, const char *otherwise);

#endif
