/*
 * Shared only by the files of src/content/.
 */
#ifndef CONTENT_INT_H
#define CONTENT_INT_H

#include "content/content.h"

/*
 * Limits that keep Debian's cmark-gfm 0.29.0.gfm.6 linear (see mdguard.c for the
 * measurements behind each one). Exposed here so the tests can build inputs just
 * inside and just outside them.
 */
#define CONTENT_MD_MAX_DEPTH 100          /* nesting of blocks and inlines */
#define CONTENT_MD_MAX_QUOTE_PREFIX 32    /* container markers opening one line */
#define CONTENT_MD_MAX_TABLE_PIPES 64     /* '|' on one line of a table paragraph */
#define CONTENT_MD_MAX_TABLE_CELLS 100000 /* cells of all tables, autocompleted ones too */
#define CONTENT_MD_MAX_TABLE_REPARSE 50000000ULL
#define CONTENT_MD_MAX_BRACKET_WORK 20000000ULL
#define CONTENT_MD_MAX_AUTOLINK_WORK 10000000ULL
#define CONTENT_MD_MAX_REF_EXPANSION 16000000ULL

/**
 * Rejects Markdown whose shape would make cmark-gfm take more than linear time or
 * memory: ERR_TOOBIG with a message naming the construct. Conservative: it may refuse
 * text cmark would have handled cheaply, never the other way round. md is valid UTF-8
 * of at most CONTENT_MARKDOWN_MAX bytes.
 */
enum err_code content_md_guard(struct str md, struct err *err);

/* ---- embed cards (embed.c) --------------------------------------------------------- */

/* The longest link that may become a card; a longer one stays a plain link. */
#define CONTENT_EMBED_URL_MAX 512

enum content_embed_kind { CONTENT_EMBED_POST, CONTENT_EMBED_VIDEO };

/* A link to a post or a video on a site we make cards for. */
struct content_embed {
    const char *provider; /* "youtube", "x", "telegram", "instagram", "facebook", "bluesky" */
    const char *name;     /* what readers call it: "YouTube", "X", ... */
    enum content_embed_kind kind;
    struct str player; /* the player's URL, built from the checked ids alone */
    struct str title;  /* the frame's accessible name: "X post by @user", "YouTube video" */
};

/**
 * Recognises url (as cmark holds it: entities decoded) as a link to a post or a video on
 * YouTube, X/Twitter, Telegram, Instagram, Facebook or Bluesky, in the forms listed in
 * docs/embeds.md, and fills *out. False for anything else: another host or scheme, a
 * look-alike host, a user or port in the authority, non-ASCII, quotes, angle brackets or
 * backslashes anywhere, more than CONTENT_EMBED_URL_MAX bytes, or an id outside the
 * site's characters and lengths. Strings in *out are static or live in a.
 */
bool content_embed_parse(struct str url, struct arena *a, struct content_embed *out);

/**
 * Appends the card for e to b, all on one line:
 *
 *   <figure class="embed embed-PROVIDER embed-video|embed-post" data-embed="PLAYER"
 *    data-embed-title="TITLE"><p class="embed-link"><a href="URL" rel="noopener nofollow">
 *   TEXT</a></p><figcaption><span class="embed-provider">NAME</span></figcaption></figure>
 *
 * (the theme's script adds the button that loads the player, and a note on what that
 * tells the other site.)
 *
 * url is the link as written (e accepted it), text the link's text (empty: the URL);
 * every attribute value and text is HTML-escaped. ERR_TOOBIG past b's cap.
 */
enum err_code content_embed_card(const struct content_embed *e, struct str url, struct str text,
                                 struct buf *b);

/* ---- photos of the site's own library (photo.c) ------------------------------------ */

enum content_photo_flags {
    CONTENT_PHOTO_FIGURE = 1 << 0, /* alone in its paragraph: <figure><picture> */
    CONTENT_PHOTO_LEAD = 1 << 1,   /* the first image a reader sees: eager, fetched first */
};

/**
 * Appends the markup of photo p (content.h shows the figure) to b: alt is the Markdown
 * image's alt text, title its title (both as cmark decoded them; may be empty). Every
 * attribute value and text is HTML-escaped. ERR_TOOBIG past b's cap.
 */
enum err_code content_photo_html(const struct content_photo *p, struct str alt, struct str title,
                                 unsigned flags, struct buf *b);

#endif
