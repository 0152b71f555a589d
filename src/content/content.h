/*
 * content: posts, tags and authors as values, and the rules that turn what an editor
 * writes into what a reader sees: Markdown to safe HTML, plain text, reading time,
 * excerpts, slugs, and the front matter of a post file.
 *
 * Every function here is pure: no I/O, no global state, thread-safe. Results live in the
 * arena passed in. This is the only module that includes the Markdown headers.
 */
#ifndef CONTENT_H
#define CONTENT_H

#include "base/base.h"

/* ---- values ---------------------------------------------------------------------- */

enum content_status { CONTENT_DRAFT, CONTENT_SCHEDULED, CONTENT_PUBLISHED };

/* What the theme prints over a headline: nothing, "Breaking" or "Live". */
enum content_label { CONTENT_LABEL_NONE, CONTENT_LABEL_BREAKING, CONTENT_LABEL_LIVE };

/* Where a post is pinned first (bits of content_post.pinned). */
enum { CONTENT_PIN_HOME = 1, CONTENT_PIN_SECTION = 2 };

/* The longest correction note, in bytes: a paragraph or two, not an article. */
#define CONTENT_CORRECTION_MAX 2000

struct content_tag {
    int64_t id;
    struct str slug;
    struct str name;
    struct str description;
    struct str ghost_id; /* its id in Ghost when imported from there (24 hex), else empty */
    bool internal;       /* Ghost's internal tag ("#breaking"): never shown to readers */
};

/* A person or a desk ("News Desk"): a byline with a page of its own. */
struct content_author {
    int64_t id;
    struct str slug;
    struct str name;
    struct str email; /* where readers' feedback and tips for this byline go */
    struct str bio;
    struct str avatar; /* image URL, may be empty */
    struct str website;
    struct str location; /* "Kyiv", as Ghost's profiles have it; may be empty */
    struct str ghost_id; /* its id in Ghost when imported from there (24 hex), else empty */
    bool desk;           /* a team byline, not a person */
};

/*
 * Ghost's posts_meta: what search engines and social cards show in place of the title,
 * excerpt and feature image, and the canonical address of a story first published
 * elsewhere. Every field may be empty (then the post's own is used).
 */
struct content_meta {
    struct str meta_title;
    struct str meta_description;
    struct str og_image;
    struct str og_title;
    struct str og_description;
    struct str twitter_image;
    struct str twitter_title;
    struct str twitter_description;
    struct str canonical_url;
};

struct content_post {
    int64_t id;
    struct str uuid;
    struct str slug;
    struct str title;
    struct str markdown;
    struct str html;      /* rendered from markdown when saved */
    struct str plaintext; /* may be only a prefix in list queries */
    struct str custom_excerpt;
    struct str feature_image;
    struct str feature_image_alt;
    struct str feature_image_caption; /* plain text, under the image */
    struct str visibility;            /* "public" */
    struct str ghost_id;              /* its id in Ghost when imported from there, else empty */
    struct content_meta meta;         /* empty unless set (store_post_meta_set) */
    enum content_status status;
    bool featured;
    bool page; /* a static page (About, Contact), not in lists or feeds */
    /*
     * The desk's flags. breaking: a banner on every page links here, until
     * breaking_until (0: until an editor unmarks it). label: what the theme prints over
     * the headline. pinned: first on the home feed and/or its section while published.
     */
    bool breaking;
    int64_t breaking_until;
    enum content_label label;
    unsigned pinned; /* CONTENT_PIN_HOME | CONTENT_PIN_SECTION */
    /* a correction note readers see ("Correction: an earlier version...") and when */
    struct str correction;
    int64_t corrected_at;
    int64_t created_at;
    int64_t updated_at; /* any change (Ghost's updated_at) */
    int64_t published_at;
    int64_t revised_at; /* the "Updated" readers see (0: never); a minor edit leaves it */
    const struct content_tag *tags; /* ordered: tags[0] is the primary tag (section) */
    size_t ntags;
    const struct content_author *authors; /* ordered: authors[0] is the primary author */
    size_t nauthors;
};

/** "draft", "scheduled", "published". */
const char *content_status_name(enum content_status s);
/** Parses a status name; false if unknown. */
bool content_status_parse(struct str s, enum content_status *out);
/** "", "breaking", "live" (as stored in posts.label). */
const char *content_label_name(enum content_label l);
/** Parses a label name ("" is none); false if unknown. */
bool content_label_parse(struct str s, enum content_label *out);

/* ---- Markdown -------------------------------------------------------------------- */

/*
 * The largest Markdown source accepted. Debian's cmark-gfm predates some fixes for
 * pathological input, so the size cap is our first line of defence.
 */
#define CONTENT_MARKDOWN_MAX (512 * 1024)

/*
 * A photo of the site's own library, as the renderer writes it: every URL is ready to
 * print (the caller built them), srcsets are "URL 320w, URL 640w, ..." and empty when
 * that format has no renditions.
 */
struct content_photo {
    int width, height;      /* the photo's own, upright: its aspect ratio */
    struct str src;         /* the fallback (JPEG or PNG) rendition browsers without srcset get */
    struct str srcset;      /* fallback format */
    struct str srcset_webp; /* may be empty */
    struct str srcset_avif; /* may be empty */
    struct str alt;         /* the library's alt text, for an image written without one */
    bool decorative;        /* alt="" whatever the Markdown says */
    struct str caption;     /* the library's caption; the Markdown image title wins */
    struct str credit;      /* "Photo: Ana Reporter / Newsdesk" */
};

/*
 * How the renderer learns which image URLs are photos of ours. find returns false for
 * any other URL (the image is then written as Markdown always wrote it); what it fills
 * lives in a. It is called with the renderer's lock held, so it must not render.
 */
typedef bool (*content_photo_fn)(void *ctx, struct str url, struct arena *a,
                                 struct content_photo *out);

struct content_photos {
    content_photo_fn find;
    void *ctx;
    /*
     * The page shows no image above the body (no feature image): the first photo of the
     * body is then what a reader sees first, so it is not lazy and is fetched first.
     */
    bool first_is_lead;
};

/* The `sizes` of a photo in the body column: the theme's measure less its padding. */
#define CONTENT_PHOTO_SIZES "(min-width: 42rem) 40rem, calc(100vw - 2rem)"

/**
 * Renders GitHub-flavoured Markdown (tables, strikethrough, autolinks, tag filter) to HTML
 * in cmark-gfm's safe mode: raw HTML is dropped and javascript:, vbscript:, file: and data:
 * links are blanked. A top-level paragraph that is nothing but a link to a post or video on
 * YouTube, X, Telegram, Instagram, Facebook or Bluesky becomes an embed card that loads
 * nothing from that site (content_int.h, docs/embeds.md); its plain text is the link's.
 * With photos (NULL: none resolved), an image whose URL photos->find knows becomes a
 * responsive one: a paragraph that is only that image becomes
 *
 *   <figure class="photo"><picture><source type="image/avif" srcset="…" sizes="…">
 *   <source type="image/webp" srcset="…" sizes="…"><img width="W" height="H" src="…"
 *   srcset="…" sizes="…" alt="…" loading="lazy" decoding="async"></picture>
 *   <figcaption>CAPTION <span class="credit">CREDIT</span></figcaption></figure>
 *
 * (caption: the image's Markdown title, else the photo's; no figcaption when neither
 * caption nor credit exists), and an image inside other text gets width, height, srcset
 * and sizes. Every other image is written as cmark writes it, made lazy.
 * Also produces the plain text (for excerpts, word counts and search).
 * Returns ERR_TOOBIG past CONTENT_MARKDOWN_MAX, or for a shape Debian's cmark-gfm would
 * take more than linear time or memory on (deep nesting, huge tables, ...: see
 * content/mdguard.c), and ERR_INVALID on invalid UTF-8. Results live in a.
 * Thread-safe, but calls are serialised: the library keeps global state while parsing.
 */
enum err_code content_markdown_render(struct str md, const struct content_photos *photos,
                                      struct arena *a, struct str *html, struct str *plaintext,
                                      struct err *err);

/* ---- reading time (Ghost's algorithm) -------------------------------------------- */

/**
 * Words in an HTML fragment as Ghost counts them (@tryghost/helpers word-count): tags
 * stripped, runs of Latin, Greek and Cyrillic letters, digits and '_' count one each,
 * each CJK character counts one.
 */
size_t content_word_count(struct str html);
/** <img> elements in an HTML fragment. */
size_t content_image_count(struct str html);
/**
 * Reading time in whole minutes as Ghost computes it: words at 275 per minute, plus 12 s
 * for the first image, 11 s for the second, ... never less than 3 s per image; rounded to
 * the nearest minute, so it can be 0. extra_images counts images outside the HTML, as
 * Ghost counts a post's feature image (additionalImages).
 */
int content_reading_minutes(struct str html, size_t extra_images);
/** "1 min read" for 0 or 1 minute, else "N min read". Returns out. */
const char *content_reading_label(int minutes, char out[32]);

/* ---- excerpts and slugs ---------------------------------------------------------- */

/**
 * The teaser text: the custom excerpt when there is one, else the start of the plain text
 * cut at a word boundary to at most max_chars characters (code points), with "…" appended
 * when cut. White space runs are collapsed. Result lives in a.
 */
struct str content_excerpt(struct str custom_excerpt, struct str plaintext, size_t max_chars,
                           struct arena *a);

#define CONTENT_SLUG_MAX 185

/**
 * A URL slug from a title: lowercase ASCII letters, digits and single hyphens, at most
 * CONTENT_SLUG_MAX bytes. Ukrainian Cyrillic is transliterated by the national table
 * (Cabinet of Ministers resolution 55 of 2010: "Київ" → "kyiv", "Згорани" → "zghorany"),
 * Russian-only letters (ё ы э ъ) too; Latin letters with diacritics lose them. Empty when
 * nothing usable remains. Result lives in a.
 */
struct str content_slugify(struct str title, struct arena *a);
/**
 * A tag's slug from its name: content_slugify's, except that a name starting with '#'
 * (Ghost's internal tag, "#breaking") gets "hash-" in its place ("hash-breaking"), as
 * Ghost makes it. Result lives in a.
 */
struct str content_tag_slugify(struct str name, struct arena *a);
/** True when s is a slug content_slugify could produce (what URLs may carry). */
bool content_slug_valid(struct str s);
/**
 * True when a post slug would be shadowed by one of the site's own first path segments
 * ("tag", "page", "rss", ...), now or in planned routes. routes.c checks at start-up that
 * every literal first segment of its table is on this list.
 */
bool content_slug_reserved(struct str slug);

/* ---- revisions: a line diff ------------------------------------------------------ */

enum content_diff_op {
    CONTENT_DIFF_SAME, /* in both texts */
    CONTENT_DIFF_ADD,  /* only in the newer text */
    CONTENT_DIFF_DEL,  /* only in the older text */
};

struct content_diff_line {
    enum content_diff_op op;
    struct str text; /* the line without its ending */
};

/*
 * The most lines a side may have: the comparison table is (lines + 1)² 32-bit cells, so
 * 2,000 lines cost 16 MB for the length of one call.
 */
#define CONTENT_DIFF_LINES_MAX 2000

/**
 * The line diff from `from` to `to` by longest common subsequence, in reading order:
 * lines both texts keep, lines only `from` has (DEL) and lines only `to` has (ADD); at a
 * change, deletions come before additions. A line ends at "\n" or "\r\n", so the same
 * text typed in a browser (CRLF) and in a file (LF) compares equal; a final line ending
 * does not start another line, and an empty text has no lines.
 * Returns ERR_TOOBIG (nothing in out) when either side has more than
 * CONTENT_DIFF_LINES_MAX lines. The array lives in a; its texts borrow from `from` and `to`.
 */
enum err_code content_diff_lines(struct str from, struct str to, struct arena *a,
                                 struct content_diff_line **out, size_t *n, struct err *err);

/*
 * The most words a side may have once the words both texts start and end with are set
 * aside (the table is the lines' kind: 2,000 tokens cost 16 MB for one call).
 */
#define CONTENT_DIFF_WORDS_MAX 2000

/**
 * The word diff from `from` to `to`, for a revision's page: the texts cut into words
 * (runs of letters, digits and any non-ASCII character), runs of white space, and single
 * punctuation marks; compared by longest common subsequence; given back as pieces of
 * text in reading order, where each change between two kept pieces is at most one
 * removed piece followed by one added piece (texts borrow from `from` and `to`; a
 * piece's text may hold line breaks). Returns ERR_TOOBIG (nothing in out) when either
 * side has more than CONTENT_DIFF_WORDS_MAX tokens to compare.
 */
enum err_code content_diff_words(struct str from, struct str to, struct arena *a,
                                 struct content_diff_line **out, size_t *n, struct err *err);

/* ---- post files ------------------------------------------------------------------ */

/* A post as written in a file: front matter plus Markdown body. */
struct content_draft {
    struct str title;
    struct str slug; /* empty: derived from the title */
    struct str custom_excerpt;
    struct str feature_image;
    struct str feature_image_alt;
    struct str feature_image_caption;
    struct str markdown; /* the body after the front matter */
    struct str *tags;    /* tag names as written; the first is the primary tag */
    size_t ntags;
    struct str *authors; /* author slugs; the first is the primary author */
    size_t nauthors;
    bool has_published_at;
    int64_t published_at;
    enum content_status status; /* published unless the file says otherwise */
    bool featured;
    bool page; /* "type: page": a static page, not a post */
    /* "breaking: true" marks it until unmarked; "breaking_until: TIME", until then */
    bool breaking;
    int64_t breaking_until; /* 0: until unmarked */
    enum content_label label;
    unsigned pinned; /* CONTENT_PIN_HOME | CONTENT_PIN_SECTION */
    struct str correction;
    /*
     * A minor edit (a typo): the story is not marked updated for readers (revised_at
     * stays). The editor's "Minor edit" box; never from a file.
     */
    bool minor;
};

/**
 * Parses a post file: a front-matter block between two "---" lines, then Markdown.
 *
 *   ---
 *   title: Kyiv metro extends night service
 *   slug: kyiv-metro-night        (optional)
 *   tags: [News Feed, Transport]  (or: tags: News Feed, Transport; or a "- item" list)
 *   authors: [news-desk]
 *   published_at: 2026-11-26T08:15:00+02:00
 *   excerpt: ...                  (custom_excerpt is accepted as a synonym)
 *   feature_image: https://...
 *   status: published | draft
 *   featured: true | false
 *   type: post | page             (a page: served at /slug/, never in lists or feeds)
 *   breaking: true | false        (a banner on every page links to it, until unmarked)
 *   breaking_until: 2026-12-03T18:00:00+02:00   (breaking until then; implies breaking)
 *   label: breaking | live | none (printed over the headline)
 *   pinned: home | section | home, section | false
 *   correction: An earlier version of this story misstated ...
 *   ---
 *
 * Values may be quoted with "..." or '...'. Unknown keys, repeated keys, a missing title,
 * bad dates or statuses, and a missing closing "---" are errors whose message starts with
 * "line N: ". Returns ERR_INVALID (nothing partial in out) or ERR_TOOBIG. Results live in a
 * and borrow from file where they can.
 */
enum err_code content_draft_parse(struct str file, struct arena *a, struct content_draft *out,
                                  struct err *err);

/**
 * Checks a draft that did not come from a file (the editor's form) against the limits a
 * post file has: title, slug, excerpt, image URL and alt text, body size, tags and
 * authors. ERR_INVALID or ERR_TOOBIG with a message naming the field.
 */
enum err_code content_draft_check(const struct content_draft *d, struct err *err);

#endif
