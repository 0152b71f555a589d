/* Shared by site/'s own files only: the view models templates render. */
#ifndef SITE_INT_H
#define SITE_INT_H

#include "site/site.h"

#include "content/content.h"
#include "render/render.h"

#include <pthread.h>

/*
 * View models: what a template may show, already formatted for display. Strings are
 * escaped by the template; only fields of kind RENDER_HTML (the post body) are not.
 */
struct view_site {
    struct str title;
    struct str description;
    struct str url;
    struct str language;
    struct str contact_email;
    struct str logo; /* site_settings says what these are */
    int64_t logo_width, logo_height;
    struct str icon;
    struct str icon_type;
};

/* A link of the navigation menu; current on the page it names (aria-current). */
struct view_nav {
    struct str label;
    struct str url;
    bool current;
};

struct view_tag {
    struct str name;
    struct str slug;
    struct str url;
    struct str description;
};

struct view_author {
    struct str name;
    struct str slug;
    struct str url;
    struct str bio;
    struct str avatar;
    struct str initials;
    struct str website;
    struct str location;    /* "Kyiv", may be empty */
    struct str contact_url; /* the tips form, addressed to this byline */
    struct str mail_url;    /* mailto: the byline's (or the site's) contact address */
    struct str joiner;      /* in a byline, the words before this name: "", ", ", " and " */
};

/* An article's share links, each carrying its canonical address and title, encoded. */
struct view_share {
    struct str url; /* the canonical address, as "Copy link" copies it */
    struct str x;
    struct str facebook;
    struct str linkedin;
    struct str telegram;
    struct str whatsapp;
    struct str email;
};

struct view_teaser {
    int64_t id; /* the post's: live updates find its teaser by it */
    struct str title;
    struct str url;
    struct str excerpt;
    struct str date_iso;
    struct str date_human;
    struct str time_human;
    const struct view_tag *section;
    const struct view_author *author;
    bool featured;
    struct str label;   /* "Breaking", "Live" or empty: printed over the headline */
    bool pinned;        /* kept first on this list by the newsroom */
    struct str snippet; /* a search result's passage: escaped, matches in <mark> (search.c) */
};

/* A link of the breaking news banner (partials/breaking.html). */
struct view_banner {
    struct str title;
    struct str url;
    struct str label; /* "Breaking" or "Live" */
};

/* The banner: NULL when nothing is breaking. */
struct view_breaking {
    const struct view_banner *items;
    size_t nitems;
};

/* A photo of the library as the theme prints it in a <picture> (photos.c). */
struct view_picture {
    struct str src; /* the fallback at most 1280 px wide */
    struct str srcset;
    struct str srcset_webp; /* empty: no WebP renditions */
    struct str srcset_avif; /* empty: no AVIF renditions */
    struct str sizes;
    int64_t width, height; /* the photo's: the box the browser keeps for it */
    struct str alt;        /* "" for a decorative photo */
    struct str caption;
    struct str credit;
    bool has_caption; /* caption or credit: a figcaption */
};

/* One paragraph of a plain-text note (a correction): escaped by the template. */
struct view_para {
    struct str text;
};

struct view_post {
    struct str title;
    struct str url;
    struct str html;
    struct str excerpt;
    struct str standfirst;          /* the custom excerpt, under the headline; empty if none */
    const struct view_share *share; /* set by site_article */
    struct str date_iso;
    struct str date_human;
    struct str time_human;
    struct str updated_iso;
    struct str updated_human; /* the date and time of day in the site's zone */
    bool updated;
    /* the correction note readers see, a paragraph per line, and when it was written */
    struct str correction;
    const struct view_para *correction_paras;
    size_t ncorrection_paras;
    struct str corrected_iso;
    struct str corrected_human; /* the date and time of day in the site's zone */
    struct str reading_time;
    struct str feature_image;
    struct str feature_image_alt;
    struct str feature_image_caption;
    const struct view_picture *feature; /* the feature image when it is a photo of ours */
    const struct view_tag *section;
    const struct view_tag *tags;
    size_t ntags;
    const struct view_author *authors;
    size_t nauthors;
    const struct view_author *author;
    struct str label; /* as view_teaser's */
};

struct view_feed {
    struct str heading;
    const struct view_teaser *teasers;
    size_t nteasers;
    bool has_more;
    struct str more_url; /* the next batch after the last teaser, for "Show More" */
    struct str next_url; /* the next page, for readers without JavaScript */
    struct str prev_url;
    int64_t page;
    /*
     * Live updates (first pages only): the stream's URL ("/live/", "/tag/x/live/") and
     * the change the page was read after, where the stream takes it up; empty: none.
     */
    struct str live_url;
    int64_t live_since;
    int64_t live_exclude; /* the article the list is under: never news on its own page */
};

/* The tips form: what was sent back (after an error), or the thanks. */
struct view_tips {
    bool sent;
    struct str error;
    struct str about;      /* the byline's slug, from ?about= */
    struct str about_name; /* and its name */
    struct str post;       /* the published article it is sent from (?post=), its slug */
    struct str post_title; /* and its title */
    struct str name;
    struct str email;
    struct str link;
    struct str message;
};

/* The search page (search.c): the query as understood, and a page of results. */
struct view_search {
    struct str query;   /* the normal form, shown in the box */
    struct str message; /* why nothing was looked for (too long), or a note (terms left out) */
    bool searched;      /* there was something to look for */
    struct str count;   /* "1 result", "25 results", "1,000+ results" */
    const struct view_teaser *results;
    size_t nresults;
    struct str more_url; /* the next page of results; empty: none */
};

struct view_error {
    int64_t status;
    struct str heading;
    struct str message;
};

struct view_page {
    const struct view_site *site;
    struct str title; /* the document title */
    struct str description;
    struct str canonical;
    struct str css_url;
    struct str js_url;
    struct str feeds_base;  /* feeds of this page: "/" (the site's), "/tag/x/", "/author/x/" */
    struct str feeds_title; /* what the feeds of feeds_base are called */
    struct str og_type;     /* "website", "article", "profile" */
    struct str image;       /* absolute URL of the page's image, or empty */
    int64_t image_width;    /* its size when known (a photo of ours), else 0 */
    int64_t image_height;
    struct str image_type; /* "image/jpeg" when known */
    struct str image_alt;
    /* a post's social cards as its meta fields set them (Ghost's posts_meta); empty: the
     * title, description and image above */
    struct str og_title;
    struct str og_description;
    struct str twitter_title;
    struct str twitter_description;
    struct str twitter_image; /* absolute URL */
    struct str jsonld;        /* schema.org JSON-LD, safe inside <script> (jsonld.c) */
    bool is_home;
    bool preview; /* a draft shown through a preview link (preview.c): noindex, a banner */
    const struct view_nav *nav; /* the navigation setting, this page's link marked */
    size_t nnav;
    const struct view_post *post;
    const struct view_tag *tag;
    const struct view_author *author;
    const struct view_feed *feed;
    const struct view_error *error;
    const struct view_tips *tips;
    const struct view_search *search;
    bool noindex; /* robots: not to be indexed (search results) */
    int64_t year;
    /* breaking news, newest first (site_page_init): the banner on every page */
    const struct view_breaking *breaking;
};

extern const struct render_type site_view_page_type;

/* The theme's templates, in this order. */
enum site_tpl {
    SITE_TPL_INDEX,
    SITE_TPL_POST,
    SITE_TPL_ERROR,
    SITE_TPL_MORE,
    SITE_TPL_TIPS,
    SITE_TPL_PAGE,
    SITE_TPL_SEARCH,
    SITE_TPL_LIVE,
    SITE_TPL__COUNT
};

struct feed_list;

struct site {
    struct arena arena; /* settings and view_site live here */
    struct site_settings settings;
    struct view_site view;
    struct render_theme *theme;
    struct render_assets assets; /* style.css ends with the brand colour, if one is set */
    struct site_nav_item *nav;   /* the navigation setting's links */
    size_t nnav;
    /* feedindex.c: page boundaries of each list, the one mutable part (own lock) */
    pthread_mutex_t feed_mu;
    struct feed_list *feed_lists;
};

struct store;
struct store_filter;
struct store_cursor;

/*
 * pages.c: a page's common fields for path, the breaking news banner included (read
 * through req's connection; a change of it is logged for every page, "*"); rendering a
 * template into res
 */
void site_page_init(struct view_page *page, const struct site *site, const struct request *req,
                    const char *path);
enum err_code site_render(const struct site *site, enum site_tpl tpl, const struct view_page *page,
                          struct response *res);

/* pages.c: a teaser of p (a list's or a search result's); the page shows p (Last-Modified) */
void site_teaser_fill(struct view_teaser *v, const struct content_post *p, const struct site *site,
                      struct response *res);
/**
 * The teaser of p as the feed prints it (themes' live.html: the feed's own partial), for
 * live updates; *date_iso is its publication time as the page writes it. In a.
 */
enum err_code site_live_teaser(const struct site *site, const struct content_post *p, bool pinned,
                               struct arena *a, struct str *date_iso, struct buf *out);

/* pages.c: an article (or a static page) as readers see it, from a post already read */
enum err_code site_article(struct app *app, const struct request *req, struct response *res,
                           const struct content_post *post, struct view_page *page,
                           struct err *err);

/* jsonld.c: schema.org JSON-LD for each kind of page; results live in a */
struct str site_absolute(const struct site *site, struct str url, struct arena *a);
/**
 * The tag slug names, for readers: an internal tag (Ghost's "#tag") is ERR_NOTFOUND, as
 * its page and feeds are. Result lives in a.
 */
enum err_code site_public_tag(struct store *st, struct str slug, struct arena *a,
                              struct content_tag *out, struct err *err);
/*
 * photos.c: an article's photos from the library: the feature image as a <picture>, the
 * page's social image (og:image, twitter:image, JSON-LD) at MEDIA_SOCIAL_WIDTH, the
 * bylines' avatars at a small rendition. Images not of ours are left as they are. Each
 * photo shown adds the dependency "media:{key}" to res (its arena holds the results), so
 * a cached page changes when the library's alt text, caption or credit does.
 */
const struct view_picture *site_photos_feature(struct store *st, const struct site *site,
                                               const struct content_post *post,
                                               struct response *res);
/* photos.c: the logo and icon settings as pages use them (site_settings_load) */
void site_settings_images(struct store *st, struct str logo, struct str icon, struct arena *a,
                          struct site_settings *out);
/* The page's image from url (a post's feature image, an avatar): absolute, sized if ours. */
void site_photos_page_image(struct store *st, const struct site *site, struct str url,
                            struct str alt, struct view_page *page, struct response *res);
/* A small rendition of an avatar of ours (or url as it is), for a 64-96 px circle. */
struct str site_photos_avatar(struct store *st, const struct site *site, struct str url,
                              struct response *res);

struct str site_jsonld_article(const struct site *site, const struct view_page *page,
                               struct arena *a);
struct str site_jsonld_website(const struct site *site, struct arena *a);
struct str site_jsonld_author(const struct site *site, const struct view_author *au, bool desk,
                              struct str canonical, struct arena *a);
struct str site_jsonld_collection(const struct site *site, const struct view_tag *t,
                                  struct str canonical, struct arena *a);

/* feedindex.c */
void site_feed_index_init(struct site *site);
void site_feed_index_release(struct site *site);
/* The cursor just before position (0-based) of the filter's list; ERR_NOTFOUND past its end. */
enum err_code site_feed_cursor(struct site *site, struct store *st, const struct store_filter *f,
                               int64_t position, struct store_cursor *out, struct err *err);
/*
 * The whole feed cut into files of per_file posts: how many, and the newest change in each
 * (lastmods[i], in a); the sitemap index's lastmods without a scan of the posts.
 */
enum err_code site_feed_slices(struct site *site, struct store *st, int64_t per_file,
                               struct arena *a, int64_t **lastmods, size_t *n, struct err *err);
/*
 * One change's deps ("post:12 list tag:3 author:1"): the lists it names have its posts
 * patched in on their next use, or are scanned again if it names no post.
 */
void site_feed_changed(struct site *site, const struct str *deps, size_t nd);
void site_feed_changed_all(struct site *site);

/* assets.c */
/* "/assets/<path>?v=<fingerprint>", or the plain path if there is no such asset. */
struct str site_asset_url(const struct site *site, const char *path, struct arena *a);

#endif
