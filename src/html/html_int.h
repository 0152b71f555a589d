/*
 * html internals: the Markdown writer that every converter of this module writes through
 * (HTML through gumbo, Lexical, Mobiledoc), so that escaping, containers and lists are
 * done one way.
 *
 * The writer is a stream of events: blocks end, containers (quotes, list items) open and
 * close, text and inline marks come in between. Everything is lazy: a paragraph's line,
 * a heading's "## ", an emphasis "**" or a link's "[" is written only when the first
 * character of content arrives, so an empty element leaves nothing behind (an empty
 * "****" would be a thematic break, an empty "## " an empty heading). White space is
 * collapsed as HTML collapses it, and pending spaces are written after a closing mark
 * rather than before it ("**bold** text", never "**bold **text", which is not emphasis).
 *
 * Errors are sticky: the first ERR_TOOBIG is kept in w->rc and later calls do nothing.
 */
#ifndef HTML_INT_H
#define HTML_INT_H

#include "html/html.h"

#include <gumbo.h>

#define MDW_DEPTH 32 /* quotes and list items nested deeper are flattened (counted) */
#define MDW_MARKS 16 /* inline marks open at once; deeper ones are not written */
#define MDW_OUT_MAX (4 * (size_t)HTML_INPUT_MAX) /* escaping can double the text */

struct mdw_container {
    bool quote;      /* a blockquote; else a list item */
    bool first;      /* the item's marker is still to be written */
    bool tight;      /* the item follows another of its list: no blank line before */
    char marker[16]; /* "- ", "12. " */
};

struct mdw_mark {
    const char *open, *close; /* a link's close is "](url "title")" */
    struct str url, title;    /* a link's */
    bool link;
    bool written;
    bool heading; /* a heading's "## ": breaks become spaces */
};

struct mdw {
    struct buf out;
    struct html_report *rep; /* may be NULL */
    enum err_code rc;
    struct mdw_container stack[MDW_DEPTH];
    size_t depth;
    size_t flattened; /* containers past MDW_DEPTH now open */
    struct mdw_mark marks[MDW_MARKS];
    size_t nmarks;
    size_t marks_over; /* marks past MDW_MARKS now open */
    bool in_block;     /* the current block's first line has been started */
    bool blank;        /* a blank line is owed before the next block */
    size_t blank_depth;
    bool space;      /* a collapsed white space is owed before the next content */
    bool brk;        /* a hard line break is owed before the next content */
    bool line_start; /* nothing written on this line after its prefix */
    bool single;     /* a heading or table cell: no line breaks */
    size_t list_end; /* out.len when the last list ended, to tell adjacent lists apart */
    char list_char;  /* that list's bullet or delimiter */
};

void mdw_init(struct mdw *w, struct html_report *rep);
void mdw_release(struct mdw *w);
/** Ends the current block (paragraph, heading, item's text): the next one starts after a
 * blank line. */
void mdw_block_end(struct mdw *w);
void mdw_quote_open(struct mdw *w);
/** An item of a list: bullet '-' or '*', or ordered with number n and delimiter '.' or ')';
 * index is the item's place in its list (0 first). */
void mdw_item_open(struct mdw *w, bool ordered, int64_t n, char delim, size_t index);
/** Closes the innermost quote or item. */
void mdw_container_close(struct mdw *w);
/** The bullet ('-' or '*') or delimiter ('.' or ')') for a list starting here, so that two
 * lists in a row stay two lists. */
char mdw_list_char(const struct mdw *w, bool ordered);
/** Records that a list using c ended here. */
void mdw_list_end(struct mdw *w, char c);
/** Text, collapsed and escaped. */
void mdw_text(struct mdw *w, struct str s);
/** Markdown written as is, as inline content (the lazy prefixes and marks come first). */
void mdw_raw(struct mdw *w, struct str s);
void mdw_mark_open(struct mdw *w, const char *open, const char *close);
void mdw_mark_close(struct mdw *w);
/** A heading of level 1-6 opens (close it with mdw_mark_close, then mdw_block_end). */
void mdw_heading_open(struct mdw *w, int level);
void mdw_space(struct mdw *w);
void mdw_break(struct mdw *w);
void mdw_rule(struct mdw *w);
/** A fenced code block; lang is kept only when it is a plain word. */
void mdw_code_block(struct mdw *w, struct str lang, struct str code);
void mdw_code_span(struct mdw *w, struct str code);
/** ![alt](url "title"); url already checked. */
void mdw_image(struct mdw *w, struct str alt, struct str url, struct str title);
/**
 * A link around what follows, closed with mdw_mark_close (url already checked; url and
 * title must live until then). A link with nothing inside writes nothing.
 */
void mdw_link_open(struct mdw *w, struct str url, struct str title);
/** Starts a new line in the current block, with its prefixes (table rows). */
void mdw_line(struct mdw *w);
/** The Markdown, without trailing new lines, copied into a. */
enum err_code mdw_finish(struct mdw *w, struct arena *a, struct str *md, struct err *err);

/**
 * html_to_markdown into a writer that may hold Markdown already (an HTML card of a Lexical
 * or Mobiledoc document): the HTML's blocks follow what is there.
 */
enum err_code html_md_write(struct mdw *w, struct str html, const struct html_opts *o,
                            struct arena *a, struct html_report *rep, struct err *err);

/** html_to_markdown with gumbo's tree always, never the fast path's (for comparisons). */
enum err_code html_to_markdown_gumbo(struct str html, struct arena *a, struct str *md,
                                     struct err *err);

/** A paragraph that is a link, [text](url) (the URL checked; no text: the URL). */
void html_link_paragraph(struct mdw *w, struct str url, struct str text, const struct html_opts *o,
                         struct html_report *rep, struct arena *a);

/* ---- URLs (url.c) ---------------------------------------------------------------- */

/**
 * The URL of a link (image false) or an image after the scheme check and opts->url:
 * STR_NULL when it is dropped (counted in rep as "javascript: URL" and the like).
 * Result lives in a or is u.
 */
struct str html_url_check(struct str u, bool image, const struct html_opts *o,
                          struct html_report *rep, struct arena *a);
/**
 * The page address of a video or post player frame (YouTube, Vimeo, X, Instagram,
 * Telegram, Facebook), or STR_NULL for any other frame. Result lives in a.
 */
struct str html_player_link(struct str src, struct arena *a);

/* ---- parsing and walking (parse.c) ------------------------------------------------ */

/* A parsed fragment; the tree lives in mem, which is released as a whole. */
struct html_doc {
    struct arena mem;
    GumboOutput *out;
    const GumboNode *root; /* the fragment's parent: its children are the body's */
    size_t bad_utf8;       /* malformed sequences gumbo replaced */
    size_t cut_tags;       /* start tags html_nest_guard cut */
};

/** Where the tag whose name starts at p[i] ends (just past its '>', quotes respected). */
size_t html_tag_end(const char *p, size_t n, size_t i);
/**
 * The bytes with every start tag cut out that would nest elements past a bound gumbo
 * parses in linear time (depth.c); *cuts says how many. Result lives in a, or is in.
 */
struct str html_nest_guard(struct str in, struct arena *a, size_t *cuts);
/**
 * The tree gumbo would build for html when it is simple enough to be sure of it
 * (fastparse.c), else NULL. Lives in a.
 */
const GumboNode *html_fast_parse(struct str html, struct arena *a);
/** Parses html as the children of a <body>. ERR_TOOBIG past HTML_INPUT_MAX. */
enum err_code html_doc_parse(struct str html, struct html_doc *d, struct err *err);
/** The same with gumbo always (the fuzz target compares the two). */
enum err_code html_doc_parse_gumbo(struct str html, struct html_doc *d, struct err *err);
void html_doc_release(struct html_doc *d);

/*
 * A walk over a tree without recursion. enter is called for every node in document
 * order and returns whether to walk its children; leave is called after the children
 * of every node enter returned true for. The stack of the walk lives in tmp.
 */
typedef bool (*html_enter_fn)(void *ctx, const GumboNode *n);
typedef void (*html_leave_fn)(void *ctx, const GumboNode *n);
void html_walk(const GumboNode *root, struct arena *tmp, html_enter_fn enter, html_leave_fn leave,
               void *ctx);

/** The children of an element, a template or the document (NULL for text). */
const GumboVector *html_children(const GumboNode *n);
/** An attribute's value, or STR_NULL. */
struct str html_attr(const GumboNode *n, const char *name);
/** True when the element's class attribute holds the class name. */
bool html_has_class(const GumboNode *n, const char *name);
/** Elements dropped with everything in them (script, style, template, form, svg...). */
bool html_is_dropped(const GumboNode *n);
/** The element's name for a report: "script", or "svg" for any SVG element. */
const char *html_tag_name(const GumboNode *n);

#endif
