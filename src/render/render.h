/*
 * render: a small mustache-style template engine, compiled once against a typed
 * descriptor (after lwan's lwan-template.h), rendering with HTML escaping by default.
 *
 * Syntax:
 *   {{name}}            the value, HTML-escaped (strings, integers)
 *   {{{name}}}, {{&name}} the value unescaped: only for fields of kind RENDER_HTML,
 *                       which hold HTML we produced ourselves (sanitized Markdown)
 *   {{a.b.c}}           a dotted path through RENDER_OBJ fields
 *   {{#name}}...{{/name}} a section: over each element of a list; once, with the object
 *                       pushed as the new scope, for a non-NULL object; once for a true
 *                       bool, a non-zero integer or a non-empty string
 *   {{^name}}...{{/name}} an inverted section: once when the value is false, zero, empty
 *                       or NULL
 *   {{> partial}}       the partial's template, compiled in place against the current scope
 *   {{! comment}}       nothing
 *
 * A name resolves in the innermost scope that has it, then outward, as in mustache; the
 * resolution happens at compile time, against the descriptors. An unknown name, a section
 * on a kind that cannot open one, {{{ }}} on a non-HTML field, an unclosed or mismatched
 * section, an unknown partial or partials nested deeper than RENDER_PARTIAL_DEPTH are
 * compile errors whose message starts with "file:line: ".
 *
 * Thread-safety: a compiled theme is immutable; any number of threads may render from it
 * at once.
 */
#ifndef RENDER_H
#define RENDER_H

#include "base/base.h"

#include <stddef.h>

enum render_kind {
    RENDER_STR,  /* struct str, escaped on output */
    RENDER_HTML, /* struct str of trusted HTML: {{{ }}} allowed; {{ }} escapes it too */
    RENDER_INT,  /* int64_t */
    RENDER_BOOL, /* bool */
    RENDER_LIST, /* const T *items at offset, size_t count at count_offset */
    RENDER_OBJ,  /* const T * at offset; NULL is false */
};

struct render_type;

struct render_field {
    const char *name;
    enum render_kind kind;
    size_t offset;
    size_t count_offset;            /* RENDER_LIST only */
    const struct render_type *type; /* RENDER_LIST and RENDER_OBJ: the element type */
};

struct render_type {
    const char *name;
    size_t size; /* sizeof the struct: the stride of a list */
    const struct render_field *fields;
    size_t nfields;
};

#define RENDER_STR_FIELD(T, f)                                                                     \
    {                                                                                              \
#f, RENDER_STR, offsetof(T, f), 0, NULL                                                    \
    }
#define RENDER_HTML_FIELD(T, f)                                                                    \
    {                                                                                              \
#f, RENDER_HTML, offsetof(T, f), 0, NULL                                                   \
    }
#define RENDER_INT_FIELD(T, f)                                                                     \
    {                                                                                              \
#f, RENDER_INT, offsetof(T, f), 0, NULL                                                    \
    }
#define RENDER_BOOL_FIELD(T, f)                                                                    \
    {                                                                                              \
#f, RENDER_BOOL, offsetof(T, f), 0, NULL                                                   \
    }
#define RENDER_OBJ_FIELD(T, f, type)                                                               \
    {                                                                                              \
#f, RENDER_OBJ, offsetof(T, f), 0, type                                                    \
    }
#define RENDER_LIST_FIELD(T, f, n, type)                                                           \
    {                                                                                              \
#f, RENDER_LIST, offsetof(T, f), offsetof(T, n), type                                      \
    }
#define RENDER_TYPE(T, fields)                                                                     \
    {                                                                                              \
#T, sizeof(T), fields, ARRAY_LEN(fields)                                                   \
    }

#define RENDER_PARTIAL_DEPTH 16
#define RENDER_TEMPLATE_MAX (256 * 1024)

/*
 * Where partials come from while compiling: returns the partial's source and the file
 * name to report in errors, or ERR_NOTFOUND. Results must live until compile returns.
 */
typedef enum err_code (*render_partial_fn)(void *ctx, const char *name, struct str *src,
                                           const char **filename, struct err *err);

struct render_tpl;

/**
 * Compiles src (from filename, for messages) against root. Partials are fetched through
 * partial(ctx, ...) and compiled in place. Caller frees with render_tpl_free().
 * Returns ERR_INVALID with "file:line: message", or ERR_TOOBIG past RENDER_TEMPLATE_MAX.
 */
enum err_code render_tpl_compile(struct str src, const char *filename,
                                 const struct render_type *root, render_partial_fn partial,
                                 void *ctx, struct render_tpl **out, struct err *err);
void render_tpl_free(struct render_tpl *t);

/**
 * Appends the template rendered over data (a pointer to root's struct) to out.
 * Fails only with ERR_TOOBIG when out reaches its cap.
 */
enum err_code render_tpl_exec(const struct render_tpl *t, const void *data, struct buf *out);

/* ---- themes: a folder of templates ------------------------------------------------- */

struct render_theme;

/**
 * Loads and compiles the templates names[0..n) from "<dir>/<name>.html", all against
 * root, with partials from "<dir>/partials/<name>.html". Every template must exist.
 * Caller frees with render_theme_free(). Errors name the file and line.
 */
enum err_code render_theme_load(const char *dir, const struct render_type *root,
                                const char *const *names, size_t n, struct render_theme **out,
                                struct err *err);
void render_theme_free(struct render_theme *th);
/** The compiled template for names[i] as given to render_theme_load. */
const struct render_tpl *render_theme_tpl(const struct render_theme *th, size_t i);

/* ---- a theme's static files ------------------------------------------------------ */

struct render_asset {
    char *path; /* relative to assets/, e.g. "style.css" */
    const char *content_type;
    char *data;
    size_t len;
    char fingerprint[17]; /* hex hash of data: "?v=" in links makes the URL immutable */
};

struct render_assets {
    struct render_asset *v;
    size_t n;
    char fingerprint[17]; /* of the whole set: one "?v=" for every file of a theme */
};

/**
 * Reads every file of a known type under "<theme_dir>/assets/" (one level of folders)
 * into set. No folder: an empty set. Caller frees with render_assets_free(), also on
 * error.
 */
enum err_code render_assets_load(const char *theme_dir, struct render_assets *set, struct err *err);
void render_assets_free(struct render_assets *set);
/** The file at path (relative to assets/), or NULL. */
const struct render_asset *render_assets_find(const struct render_assets *set, struct str path);
/**
 * Appends text to the file at path (a rule a site's settings make, e.g. its brand colour),
 * so that it is served in the same request with a new fingerprint. False: no such file.
 */
bool render_assets_append(struct render_assets *set, struct str path, struct str text);
/** Cache-Control for f requested with "?v=" v: immutable when v names these bytes. */
const char *render_asset_cache_control(const struct render_assets *set,
                                       const struct render_asset *f, struct str v);

#endif
