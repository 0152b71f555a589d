/*
 * json: JSON values built, written and parsed in our own types (struct str, struct buf,
 * struct err). The only module that includes jansson.h; everything that speaks JSON (the
 * Content API, JSON Feed, JSON-LD, the Admin API's request bodies) goes through here.
 *
 * - A struct json is one value: an object, an array, a string, an integer, a real, true,
 *   false or null. A tree is owned by its root: putting a value into an object or array
 *   hands it over, and json_free() on the root frees everything under it.
 * - Objects keep their members in the order they were set; setting a key again replaces
 *   the value in place. Writing is deterministic: the same tree gives the same bytes.
 * - Strings are UTF-8. A constructor given text that is not valid UTF-8 returns NULL, and
 *   a NULL value put into an object or array is stored as null, so a bad row shows as null
 *   and never breaks the document.
 * - Parsing untrusted bytes is bounded (size, nesting depth) and strict: duplicate keys,
 *   invalid UTF-8, \u0000, lone surrogates, integers outside int64 and trailing bytes are
 *   refused with ERR_INVALID and the line:column of the fault, never a partial tree.
 *
 * Building and memory: values come from malloc (jansson's allocator), not an arena; a
 * tree is request-lived and freed as a whole by the caller. Thread-safety: a tree is not
 * shared between threads; different trees may be used on different threads at once.
 */
#ifndef JSON_H
#define JSON_H

#include "base/base.h"

/* A JSON value (a jansson value underneath; never dereferenced outside json/). */
struct json;

enum json_kind {
    JSON_KIND_NULL,
    JSON_KIND_BOOL,
    JSON_KIND_INT,
    JSON_KIND_REAL, /* a number with a fraction or an exponent */
    JSON_KIND_STR,
    JSON_KIND_ARR,
    JSON_KIND_OBJ,
};

/* ---- building ---------------------------------------------------------------------- */

/** An empty object or array. Caller frees with json_free() unless it is put into another. */
struct json *json_obj_new(void);
struct json *json_arr_new(void);
/** A string holding s (copied); NULL when s is not valid UTF-8 (NUL bytes are allowed). */
struct json *json_str_new(struct str s);
struct json *json_int_new(int64_t n);
struct json *json_bool_new(bool b);
struct json *json_null_new(void);
/** Frees v and everything under it. json_free(NULL) does nothing. */
void json_free(struct json *v);

/**
 * Sets o[key] to v and takes v (a NULL v sets null). key is a NUL-terminated UTF-8
 * literal of ours, never outside input. Out of memory leaves the member out.
 */
void json_obj_set(struct json *o, const char *key, struct json *v);
/** o[key] = s as a string; null when s is not valid UTF-8. */
void json_obj_set_str(struct json *o, const char *key, struct str s);
void json_obj_set_int(struct json *o, const char *key, int64_t n);
void json_obj_set_bool(struct json *o, const char *key, bool b);
void json_obj_set_null(struct json *o, const char *key);
/**
 * Removes every member of o for which keep(key, ctx) is false, keeping the order of the
 * others (the Content API's ?fields=).
 */
void json_obj_retain(struct json *o, bool (*keep)(const char *key, const void *ctx),
                     const void *ctx);
/** Appends v to array a and takes it (a NULL v appends null). */
void json_arr_push(struct json *a, struct json *v);

/* ---- reading ----------------------------------------------------------------------- */

enum json_kind json_kind_of(const struct json *v);
/** o[key], or NULL when o is not an object or has no such member. Borrowed from o. */
const struct json *json_obj_get(const struct json *o, const char *key);
/** The number of elements of an array (0 for anything else). */
size_t json_arr_len(const struct json *a);
/** a[i], or NULL past the end or when a is not an array. Borrowed from a. */
const struct json *json_arr_get(const struct json *a, size_t i);
/**
 * The text of a string value: valid UTF-8, NUL-terminated, and without NUL bytes inside
 * when it was parsed (a built one may hold them). False when v is not a string. *out is
 * borrowed: it lives as long as the tree.
 */
bool json_as_str(const struct json *v, struct str *out);
/** The value of an integer; false for anything else (a real is not an integer). */
bool json_as_int(const struct json *v, int64_t *out);
bool json_as_bool(const struct json *v, bool *out);

/*
 * The members of an object in order:
 *   struct json_iter it; json_iter_init(&it, o);
 *   while (json_iter_next(&it, &key, &value)) ...
 * The object must not change during the walk. key and value are borrowed from the tree.
 */
struct json_iter {
    const struct json *obj;
    void *at;
};
void json_iter_init(struct json_iter *it, const struct json *o);
bool json_iter_next(struct json_iter *it, struct str *key, const struct json **value);

/* ---- writing ----------------------------------------------------------------------- */

enum json_write_flags {
    JSON_WRITE_COMPACT = 0, /* no white space: {"a":1,"b":[true]} (the Content API) */
    /* one member or element a line, indented one space a level, "key": value (JSON Feed) */
    JSON_WRITE_INDENT = 1 << 0,
    /*
     * '<', '>' and '&' written as \u003c, \u003e and \u0026, so the text can sit inside an
     * HTML <script> element: no "</script>", "<!--" or "<script" can appear (JSON-LD).
     */
    JSON_WRITE_SCRIPT_SAFE = 1 << 1,
};

/**
 * Appends v, serialised, to out. Strings are written as UTF-8 with only '"', '\\' and
 * control characters escaped (and '<', '>', '&' with JSON_WRITE_SCRIPT_SAFE).
 * ERR_TOOBIG when out reaches its cap: out is then left as it was before the call.
 */
enum err_code json_write(const struct json *v, enum json_write_flags flags, struct buf *out,
                         struct err *err);

/* ---- parsing ----------------------------------------------------------------------- */

#define JSON_DEPTH_CEILING 512 /* the deepest nesting any caller may allow */

struct json_limits {
    size_t max_bytes;   /* longer input: ERR_TOOBIG */
    unsigned max_depth; /* arrays and objects nested deeper: ERR_INVALID (<= the ceiling) */
};

/**
 * Parses text (one JSON value of any kind, with white space around it) into *out.
 * ERR_TOOBIG past lim->max_bytes; ERR_INVALID, with "line L, column C: what" in err
 * (columns count characters, from 1), for bad syntax, truncated input, nesting past
 * lim->max_depth, duplicate keys, invalid UTF-8, \u0000, unpaired surrogates, integers
 * outside int64, anything after the value. On error *out is NULL. Caller frees the tree
 * with json_free(). Thread-safe.
 */
enum err_code json_parse(struct str text, const struct json_limits *lim, struct json **out,
                         struct err *err);

#endif
