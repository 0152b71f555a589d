/*
 * html: HTML written elsewhere (Ghost's and WordPress's exports, the Admin API's
 * `?source=html`, Ghost's Lexical and Mobiledoc bodies) turned into the Markdown every
 * post here is kept in, and Ghost's plain text of HTML.
 *
 * The conversion is the sanitiser. HTML is parsed by a real HTML5 parser (gumbo, as a
 * browser would build the tree, whatever the input's mistakes), then only an allowlist
 * of elements becomes Markdown: paragraphs, headings, quotes, lists, code, emphasis,
 * links, images, figures and their captions, line breaks, rules, tables. Script, style,
 * template, object and the like are dropped with their content; other unknown elements
 * give up their text and lose the element; every attribute but href, src, alt and title
 * is dropped (event handlers, style, class); a link or image whose URL is not http(s),
 * mailto: (links), a path, or a fragment is dropped (javascript:, data:, vbscript:).
 * Each drop is counted in a struct html_report, so an importer can say what it removed.
 * The Markdown is then rendered by content/ in cmark-gfm's safe mode like any other
 * post: a second fence, not the first.
 *
 * Every function is pure (no I/O, no global state) and thread-safe; results live in the
 * arena passed in. Input past HTML_INPUT_MAX is ERR_TOOBIG; invalid UTF-8 is repaired
 * (U+FFFD) rather than refused, as browsers do, and counted in the report.
 */
#ifndef HTML_H
#define HTML_H

#include "base/base.h"

#define HTML_INPUT_MAX (4 * 1024 * 1024) /* bytes of HTML in one call */
#define HTML_REPORT_KINDS 32             /* distinct things counted; more go to "other" */

/* What a conversion removed: "script" ×2, "onerror" ×1, "javascript: URL" ×1, ... */
struct html_report {
    struct {
        char what[32]; /* an element name, an attribute name, or a phrase */
        size_t count;
    } kinds[HTML_REPORT_KINDS];
    size_t nkinds;
    size_t total; /* every drop, counted or not */
};

/** Counts one drop of what (cut to 31 bytes). */
void html_report_add(struct html_report *r, const char *what);
/** Adds every count of from into into. */
void html_report_merge(struct html_report *into, const struct html_report *from);
/** "script ×2, onerror ×1" (most first; "" when nothing was dropped). In a. */
struct str html_report_format(const struct html_report *r, struct arena *a);

/*
 * Rewrites a link's or an image's URL as it is converted (an importer maps the old
 * site's addresses to ours and its images to our photos). Returns the URL to write (in
 * a, or url itself); an empty result drops the link (its text stays) or the image.
 */
typedef struct str (*html_url_fn)(void *ctx, struct str url, bool image, struct arena *a);

struct html_opts {
    html_url_fn url; /* NULL: URLs as they are (after the scheme check) */
    void *url_ctx;
};

/**
 * HTML (a fragment, as a post body is) to Markdown through the allowlist above. Figures
 * with an image and a caption become the image with the caption as its Markdown title,
 * in a paragraph of its own (what the renderer turns back into a figure). A paragraph
 * that is only an iframe of a video or post on a site content/ makes embed cards for
 * becomes that link. Headings' ids, Ghost's kg-card wrappers and WordPress's wp-block
 * classes go. Text is escaped so that it stays text (a literal "*" or "<b>" in the HTML's
 * text is not emphasis or a tag in the Markdown). rep may be NULL.
 * ERR_TOOBIG past HTML_INPUT_MAX; ERR_NOMEM never partial.
 */
enum err_code html_to_markdown(struct str html, const struct html_opts *o, struct arena *a,
                               struct str *md, struct html_report *rep, struct err *err);

/**
 * Ghost's plain text of an HTML body (its html-to-text settings): block elements
 * (paragraphs, headings, quotes, list items, figures) separated by a blank line, list items
 * as " * item" or " 1. item", links as their text, images left out, no wrapping.
 */
enum err_code html_to_plaintext(struct str html, struct arena *a, struct str *text,
                                struct err *err);

/* ---- Ghost's editor formats ------------------------------------------------------ */

/**
 * A Lexical document (Ghost 5's editor: the JSON string of posts.lexical) to Markdown,
 * through the same allowlist: paragraph, extended-heading, heading, extended-quote,
 * quote, list and listitem, codeblock, image, link, extended-text and text with their
 * format bits (bold, italic, code), linebreak, horizontalrule; an html card's HTML goes
 * through html_to_markdown; other cards are counted in rep and dropped.
 * ERR_INVALID for JSON that is not a Lexical document.
 */
enum err_code html_lexical_to_markdown(struct str lexical, const struct html_opts *o,
                                       struct arena *a, struct str *md, struct html_report *rep,
                                       struct err *err);
/** The same for Mobiledoc 0.3 (Ghost's editor before Lexical: posts.mobiledoc). */
enum err_code html_mobiledoc_to_markdown(struct str mobiledoc, const struct html_opts *o,
                                         struct arena *a, struct str *md, struct html_report *rep,
                                         struct err *err);

/* ---- WordPress's post_content ---------------------------------------------------- */

/**
 * WordPress's stored post_content made into the HTML a browser would get, ready for
 * html_to_markdown: block-editor comments (<!-- wp:... -->) removed; wpautop's
 * paragraphs (blank-line-separated text becomes <p>, single newlines <br>) where the
 * text is not already in block elements; [caption]...[/caption] becomes a figure with
 * its caption; every other shortcode ([gallery], [embed], [contact-form-7 ...]) is
 * removed, its inner text kept, and counted in rep as "[name]".
 */
enum err_code html_wp_prepare(struct str content, struct arena *a, struct str *html,
                              struct html_report *rep, struct err *err);

#endif
