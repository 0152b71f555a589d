/*
 * Rendering: one flat loop over the compiled ops (cmark's html.c iterator is the model).
 * Sections jump instead of recursing, so no amount of data deepens the C stack; the
 * state of each open section lives in arrays indexed by the scope it fills, and compile
 * bounded those indexes by RENDER_SECTION_DEPTH. Nothing is allocated and no name is
 * looked up: every path is a scope index and a few offsets.
 *
 * Values are read with memcpy from the caller's structs: the offsets come from
 * offsetof, so the reads are aligned, and memcpy keeps the pointer reads (a `const T *`
 * read as `const void *`) clear of the aliasing rules. Each compiles to a plain load.
 */
#include "render/render.h"
#include "render/render_int.h"

#include <string.h>

struct list_frame {
    const char *items;
    size_t i, n;
};

static const char *load_ptr(const char *p)
{
    const void *v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static size_t load_size(const char *p)
{
    size_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static struct str load_str(const char *p)
{
    struct str v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static int64_t load_i64(const char *p)
{
    int64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static bool load_bool(const char *p)
{
    bool v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* The struct holding the op's value, or NULL when a NULL object cuts the path short. */
static const char *value_base(const struct render_tpl *t, const struct render_op *op,
                              const char *const *scopes)
{
    const char *p = scopes[op->depth];
    for (size_t i = 0; p && i < op->nhops; i++)
        p = load_ptr(p + t->hops[op->hops + i]);
    return p;
}

static bool is_truthy(const struct render_op *op, const char *base)
{
    if (!base)
        return false;
    const char *v = base + op->offset;
    switch (op->vkind) {
    case RENDER_STR:
    case RENDER_HTML:
        return load_str(v).len != 0;
    case RENDER_INT:
        return load_i64(v) != 0;
    case RENDER_BOOL:
        return load_bool(v);
    case RENDER_LIST:
        return load_ptr(v) && load_size(base + op->count_offset) != 0;
    case RENDER_OBJ:
        return load_ptr(v) != NULL;
    }
    return false;
}

static enum err_code put_int(struct buf *out, int64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--i] = '-';
    return buf_append(out, tmp + i, sizeof(tmp) - i);
}

/* A value behind a NULL object prints as nothing, as an absent value does in mustache. */
static enum err_code put_value(const struct render_op *op, const char *base, struct buf *out)
{
    if (!base)
        return ERR_OK;
    const char *v = base + op->offset;
    if (op->kind == RENDER_OP_INT)
        return put_int(out, load_i64(v));
    if (op->kind == RENDER_OP_BOOL)
        return buf_puts(out, load_bool(v) ? "true" : "false");
    struct str s = load_str(v);
    if (!s.len)
        return ERR_OK; /* s.ptr may be NULL, and NULL + 0 is undefined */
    if (op->kind == RENDER_OP_RAW)
        return buf_append(out, s.ptr, s.len);
    return buf_append_html(out, s.ptr, s.len);
}

/*
 * The section functions return the index of the op before the one to run next, since
 * the loop steps forward after every op: op->jump to leave a section (its END is then
 * skipped), pc to enter it.
 */
static size_t list_begin(const struct render_tpl *t, const struct render_op *op, size_t pc,
                         const char **scopes, struct list_frame *frames)
{
    const char *base = value_base(t, op, scopes);
    if (!is_truthy(op, base))
        return op->jump;
    struct list_frame *f = &frames[op->scope];
    f->items = load_ptr(base + op->offset);
    f->n = load_size(base + op->count_offset);
    f->i = 0;
    scopes[op->scope] = f->items;
    return pc;
}

static size_t list_next(const struct render_op *op, size_t pc, const char **scopes,
                        struct list_frame *frames)
{
    struct list_frame *f = &frames[op->scope];
    if (++f->i >= f->n)
        return pc;
    scopes[op->scope] = f->items + f->i * op->stride;
    return op->jump;
}

static size_t with_begin(const struct render_tpl *t, const struct render_op *op, size_t pc,
                         const char **scopes)
{
    const char *base = value_base(t, op, scopes);
    const char *obj = base ? load_ptr(base + op->offset) : NULL;
    if (!obj)
        return op->jump;
    scopes[op->scope] = obj;
    return pc;
}

/* A flat switch over every op kind: longer than most functions here, on purpose. */
enum err_code render_tpl_exec(const struct render_tpl *t, const void *data, struct buf *out)
{
    const char *scopes[RENDER_SECTION_DEPTH + 1];
    struct list_frame frames[RENDER_SECTION_DEPTH + 1];
    scopes[0] = data;
    for (size_t pc = 0; pc < t->nops; pc++) {
        const struct render_op *op = &t->ops[pc];
        enum err_code rc = ERR_OK;
        switch (op->kind) {
        case RENDER_OP_TEXT:
            rc = buf_append(out, t->text + op->text_off, op->text_len);
            break;
        case RENDER_OP_ESCAPED:
        case RENDER_OP_RAW:
        case RENDER_OP_INT:
        case RENDER_OP_BOOL:
            rc = put_value(op, value_base(t, op, scopes), out);
            break;
        case RENDER_OP_LIST:
            pc = list_begin(t, op, pc, scopes, frames);
            break;
        case RENDER_OP_LIST_END:
            pc = list_next(op, pc, scopes, frames);
            break;
        case RENDER_OP_WITH:
            pc = with_begin(t, op, pc, scopes);
            break;
        case RENDER_OP_IF:
            if (!is_truthy(op, value_base(t, op, scopes)))
                pc = op->jump;
            break;
        case RENDER_OP_UNLESS:
            if (is_truthy(op, value_base(t, op, scopes)))
                pc = op->jump;
            break;
        case RENDER_OP_END:
            break;
        }
        if (rc)
            return rc;
    }
    return ERR_OK;
}
