/*
 * The adapter over jansson (2.14, Debian 12). Chosen for what DESIGN.md lists: it rejects
 * invalid UTF-8, keeps 64-bit integers and keeps members in insertion order (since 2.8). What it
 * does not do is added here: escaping for <script> (jansson has JSON_ESCAPE_SLASH only), a depth
 * cap below its compiled-in 2048, and writing into a capped struct buf.
 *
 * A struct json is never defined: a struct json * is a json_t * under our own name, so
 * the adapter adds no allocation and no indirection to what jansson does.
 */
#include "json/json.h"

#include <jansson.h>
#include <string.h>

static json_t *jt(struct json *v)
{
    return (json_t *)v;
}

/*
 * jansson's readers take json_t * even where they only read (json_object_iter and
 * friends): the const is cast away here, at the library's boundary, and nothing writes.
 */
static json_t *jt_c(const struct json *v)
{
    return (json_t *)v;
}

static struct json *wrap(json_t *j)
{
    return (struct json *)j;
}

/* ---- building ---------------------------------------------------------------------- */

struct json *json_obj_new(void)
{
    return wrap(json_object());
}

struct json *json_arr_new(void)
{
    return wrap(json_array());
}

struct json *json_str_new(struct str s)
{
    return wrap(json_stringn(s.ptr ? s.ptr : "", s.len));
}

struct json *json_int_new(int64_t n)
{
    return wrap(json_integer((json_int_t)n));
}

struct json *json_bool_new(bool b)
{
    return wrap(json_boolean(b));
}

struct json *json_null_new(void)
{
    return wrap(json_null());
}

void json_free(struct json *v)
{
    json_decref(jt(v));
}

void json_obj_set(struct json *o, const char *key, struct json *v)
{
    json_object_set_new(jt(o), key, v ? jt(v) : json_null());
}

void json_obj_set_str(struct json *o, const char *key, struct str s)
{
    json_obj_set(o, key, json_str_new(s));
}

void json_obj_set_int(struct json *o, const char *key, int64_t n)
{
    json_obj_set(o, key, json_int_new(n));
}

void json_obj_set_bool(struct json *o, const char *key, bool b)
{
    json_obj_set(o, key, json_bool_new(b));
}

void json_obj_set_null(struct json *o, const char *key)
{
    json_obj_set(o, key, NULL);
}

void json_obj_retain(struct json *o, bool (*keep)(const char *key, const void *ctx),
                     const void *ctx)
{
    const char *key;
    json_t *v;
    void *tmp;
    json_object_foreach_safe(jt(o), tmp, key, v)
    {
        if (!keep(key, ctx))
            json_object_del(jt(o), key);
    }
}

void json_arr_push(struct json *a, struct json *v)
{
    json_array_append_new(jt(a), v ? jt(v) : json_null());
}

/* ---- reading ----------------------------------------------------------------------- */

enum json_kind json_kind_of(const struct json *v)
{
    switch (json_typeof(jt_c(v))) {
    case JSON_OBJECT:
        return JSON_KIND_OBJ;
    case JSON_ARRAY:
        return JSON_KIND_ARR;
    case JSON_STRING:
        return JSON_KIND_STR;
    case JSON_INTEGER:
        return JSON_KIND_INT;
    case JSON_REAL:
        return JSON_KIND_REAL;
    case JSON_TRUE:
    case JSON_FALSE:
        return JSON_KIND_BOOL;
    default:
        return JSON_KIND_NULL;
    }
}

const struct json *json_obj_get(const struct json *o, const char *key)
{
    return wrap(json_object_get(jt_c(o), key));
}

size_t json_arr_len(const struct json *a)
{
    return json_array_size(jt_c(a));
}

const struct json *json_arr_get(const struct json *a, size_t i)
{
    return wrap(json_array_get(jt_c(a), i));
}

bool json_as_str(const struct json *v, struct str *out)
{
    if (!json_is_string(jt_c(v)))
        return false;
    *out = (struct str){json_string_value(jt_c(v)), json_string_length(jt_c(v))};
    return true;
}

bool json_as_int(const struct json *v, int64_t *out)
{
    if (!json_is_integer(jt_c(v)))
        return false;
    *out = (int64_t)json_integer_value(jt_c(v));
    return true;
}

bool json_as_bool(const struct json *v, bool *out)
{
    if (!json_is_boolean(jt_c(v)))
        return false;
    *out = json_is_true(jt_c(v));
    return true;
}

void json_iter_init(struct json_iter *it, const struct json *o)
{
    it->obj = o;
    it->at = json_is_object(jt_c(o)) ? json_object_iter(jt_c(o)) : NULL;
}

bool json_iter_next(struct json_iter *it, struct str *key, const struct json **value)
{
    if (!it->at)
        return false;
    *key = (struct str){json_object_iter_key(it->at), json_object_iter_key_len(it->at)};
    *value = wrap(json_object_iter_value(it->at));
    it->at = json_object_iter_next(jt_c(it->obj), it->at);
    return true;
}

/* ---- writing ----------------------------------------------------------------------- */

struct sink {
    struct buf *out;
    bool script_safe;
    enum err_code rc;
};

/* jansson writes '<', '>' and '&' only inside strings, where \u escapes mean the same. */
static const char *script_escape(char c)
{
    switch (c) {
    case '<':
        return "\\u003c";
    case '>':
        return "\\u003e";
    case '&':
        return "\\u0026";
    default:
        return NULL;
    }
}

static enum err_code put_script_safe(struct buf *out, const char *p, size_t n)
{
    enum err_code rc = ERR_OK;
    size_t from = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *esc = script_escape(p[i]);
        if (!esc)
            continue;
        rc = buf_append(out, p + from, i - from);
        if (!rc)
            rc = buf_append(out, esc, 6);
        from = i + 1;
    }
    return rc ? rc : buf_append(out, p + from, n - from);
}

/* jansson's json_dump_callback_t: called with each piece of the text in order. */
static int sink_put(const char *p, size_t n, void *data)
{
    struct sink *s = data;
    s->rc = s->script_safe ? put_script_safe(s->out, p, n) : buf_append(s->out, p, n);
    return s->rc ? -1 : 0;
}

enum err_code json_write(const struct json *v, enum json_write_flags flags, struct buf *out,
                         struct err *err)
{
    /*
     * JSON_PRESERVE_ORDER has been a no-op since jansson 2.8 (objects always keep their
     * insertion order); it stays as the statement of what we rely on
     */
    size_t mode = flags & JSON_WRITE_INDENT ? JSON_INDENT(1) : JSON_COMPACT;
    struct sink s = {out, (flags & JSON_WRITE_SCRIPT_SAFE) != 0, ERR_OK};
    size_t before = out->len;
    if (json_dump_callback(jt_c(v), sink_put, &s, mode | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) ==
        0)
        return ERR_OK;
    out->len = before;
    if (out->ptr)
        out->ptr[before] = '\0';
    if (s.rc)
        return err_set(err, s.rc, "JSON text longer than %zu bytes", out->max);
    return err_set(err, ERR_INTERNAL, "cannot write JSON: out of memory");
}

/* ---- parsing ----------------------------------------------------------------------- */

/*
 * Where a reader (and jansson's messages) would say a byte is: lines from 1, columns
 * counted in characters from 1 (a UTF-8 continuation byte starts no new column).
 */
struct pos {
    int line, column;
};

static void pos_step(struct pos *p, unsigned char c)
{
    if (c == '\n') {
        p->line++;
        p->column = 0;
    } else if ((c & 0xC0) != 0x80) {
        p->column++;
    }
}

/*
 * A first pass that counts nesting before jansson's recursive parser sees the text, so a
 * depth bomb ("[[[[...") costs one scan and no recursion. Outside strings only '[' and
 * '{' open a level; inside one, a backslash hides the next byte. Text that is not JSON
 * may be counted wrongly here, but jansson refuses it afterwards anyway.
 */
static enum err_code check_depth(struct str text, unsigned max, struct err *err)
{
    struct pos at = {1, 0};
    unsigned depth = 0;
    bool in_str = false, escaped = false;
    for (size_t i = 0; i < text.len; i++) {
        char c = text.ptr[i];
        pos_step(&at, (unsigned char)c);
        if (in_str) {
            in_str = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return err_set(err, ERR_INVALID, "line %d, column %d: nested deeper than %u levels",
                               at.line, at.column, max);
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
    }
    return ERR_OK;
}

enum err_code json_parse(struct str text, const struct json_limits *lim, struct json **out,
                         struct err *err)
{
    *out = NULL;
    if (text.len > lim->max_bytes)
        return err_set(err, ERR_TOOBIG, "JSON text longer than %zu bytes", lim->max_bytes);
    unsigned max = lim->max_depth < JSON_DEPTH_CEILING ? lim->max_depth : JSON_DEPTH_CEILING;
    enum err_code rc = check_depth(text, max, err);
    if (rc)
        return rc;
    json_error_t e;
    json_t *v = json_loadb(text.ptr ? text.ptr : "", text.len,
                           JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
    if (!v)
        return err_set(err, ERR_INVALID, "line %d, column %d: %s", e.line, e.column, e.text);
    *out = wrap(v);
    return ERR_OK;
}
