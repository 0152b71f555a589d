/*
 * The template compiler: source to the flat program described in render_int.h.
 *
 * Names resolve here, once, against the descriptors: the compiler keeps the type of every
 * scope a section has pushed, so a name becomes (scope index, offsets to follow) and exec
 * never compares a string. Partials are compiled in place against the scopes in effect at
 * the {{> }} tag, which is why one partial used under two different scopes compiles twice;
 * the alternative, a partial compiled once and called with a scope of unknown type, would
 * need name lookups at render time.
 */
#include "render/render.h"
#include "render/render_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct open_section {
    size_t op; /* index of the section's first op */
    struct str name;
    int line;
    bool pushed; /* the section made a new scope */
};

struct compiler {
    struct render_tpl *t;
    const struct render_type *scopes[RENDER_SECTION_DEPTH + 1];
    size_t depth; /* index of the innermost scope */
    struct open_section open[RENDER_SECTION_DEPTH];
    size_t nopen;
    render_partial_fn partial;
    void *ctx;
    size_t expanded; /* source bytes compiled so far, every partial copy included */
    struct err *err;
};

/* One file being compiled: the template itself or one inlined copy of a partial. */
struct unit {
    struct render_lexer lx;
    size_t base; /* open sections that belong to the includer */
    int pdepth;  /* partials between this file and the template */
};

/* A name resolved: start at scopes[depth], follow the hops, read field there. */
struct path {
    size_t depth;
    size_t hops, nhops;
    const struct render_field *field;
};

static enum err_code compile_file(struct compiler *c, struct str src, const char *file, int pdepth);

static enum err_code fail(struct compiler *c, const struct unit *u, int line, const char *fmt, ...)
    BASE_PRINTF(4, 5);

static enum err_code fail(struct compiler *c, const struct unit *u, int line, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(c->err, ERR_INVALID, "%s:%d: %s", u->lx.file, line, msg);
}

static const char *kind_name(enum render_kind kind)
{
    static const char *const names[] = {
        [RENDER_STR] = "str",   [RENDER_HTML] = "html", [RENDER_INT] = "int",
        [RENDER_BOOL] = "bool", [RENDER_LIST] = "list", [RENDER_OBJ] = "obj",
    };
    return (size_t)kind < ARRAY_LEN(names) ? names[kind] : "?";
}

/* Doubling growth; sizes stay far from overflow because RENDER_EXPANDED_MAX bounds them. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    *cap = n;
    return xrealloc(p, n * size);
}

/* Returns the index rather than a pointer: the next emit may move the array. */
static size_t emit_op(struct compiler *c, enum render_op_kind kind)
{
    struct render_tpl *t = c->t;
    t->ops = grow(t->ops, &t->ops_cap, t->nops + 1, sizeof(*t->ops));
    struct render_op *op = &t->ops[t->nops];
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    return t->nops++;
}

/*
 * Adjacent literals (around a comment, or where a partial starts or ends) join into one
 * op. That is safe because jumps only ever land on the first op of a section body or
 * just past an END, and neither is in the middle of a run of text.
 */
static void emit_text(struct compiler *c, struct str text)
{
    struct render_tpl *t = c->t;
    if (!text.len)
        return;
    t->text = grow(t->text, &t->text_cap, t->text_len + text.len, 1);
    memcpy(t->text + t->text_len, text.ptr, text.len);
    struct render_op *last = t->nops ? &t->ops[t->nops - 1] : NULL;
    if (last && last->kind == RENDER_OP_TEXT && last->text_off + last->text_len == t->text_len) {
        last->text_len += text.len;
    } else {
        size_t i = emit_op(c, RENDER_OP_TEXT); /* before t->ops: it may move */
        struct render_op *op = &t->ops[i];
        op->text_off = t->text_len;
        op->text_len = text.len;
    }
    t->text_len += text.len;
}

static size_t emit_value(struct compiler *c, enum render_op_kind kind, const struct path *p)
{
    size_t i = emit_op(c, kind);
    struct render_op *op = &c->t->ops[i];
    op->vkind = p->field->kind;
    op->depth = p->depth;
    op->hops = p->hops;
    op->nhops = p->nhops;
    op->offset = p->field->offset;
    op->count_offset = p->field->count_offset;
    /* an inverted section may name a list whose descriptor lacks a type: no stride needed */
    op->stride = p->field->kind == RENDER_LIST && p->field->type ? p->field->type->size : 0;
    return i;
}

static const struct render_field *type_field(const struct render_type *type, struct str name)
{
    for (size_t i = 0; i < type->nfields; i++) {
        if (str_eq_cstr(name, type->fields[i].name))
            return &type->fields[i];
    }
    return NULL;
}

/* Cuts the first dot-separated segment off *rest; the lexer has ruled out empty ones. */
static struct str next_segment(struct str *rest)
{
    const char *dot = memchr(rest->ptr, '.', rest->len);
    size_t n = dot ? (size_t)(dot - rest->ptr) : rest->len;
    struct str seg = {rest->ptr, n};
    size_t skip = dot ? n + 1 : n;
    rest->ptr += skip;
    rest->len -= skip;
    return seg;
}

static enum err_code unknown(struct compiler *c, const struct unit *u, const struct render_tag *tag,
                             const struct render_type *type)
{
    return fail(c, u, tag->line, "unknown variable '%.*s' (in scope of type '%s')",
                (int)tag->name.len, tag->name.ptr, type->name);
}

/*
 * Mustache's rule: the first segment is looked up from the innermost scope outward;
 * the others only inside the object the previous one names, with no fallback outward.
 */
static enum err_code resolve(struct compiler *c, const struct unit *u, const struct render_tag *tag,
                             struct path *p)
{
    struct render_tpl *t = c->t;
    struct str rest = tag->name;
    struct str seg = next_segment(&rest);
    const struct render_field *f = NULL;
    size_t d = c->depth + 1;
    while (!f && d-- > 0)
        f = type_field(c->scopes[d], seg);
    if (!f)
        return unknown(c, u, tag, c->scopes[c->depth]);
    *p = (struct path){d, t->nhops, 0, NULL};
    while (rest.len) {
        if (f->kind != RENDER_OBJ || !f->type)
            return fail(c, u, tag->line, "'%.*s' in '%.*s' is not an object", (int)seg.len, seg.ptr,
                        (int)tag->name.len, tag->name.ptr);
        t->hops = grow(t->hops, &t->hops_cap, t->nhops + 1, sizeof(*t->hops));
        t->hops[t->nhops++] = f->offset;
        p->nhops++;
        const struct render_type *type = f->type;
        seg = next_segment(&rest);
        f = type_field(type, seg);
        if (!f)
            return unknown(c, u, tag, type);
    }
    p->field = f;
    return ERR_OK;
}

static enum err_code compile_var(struct compiler *c, const struct unit *u,
                                 const struct render_tag *tag)
{
    static const enum render_op_kind ops[] = {
        [RENDER_STR] = RENDER_OP_ESCAPED,
        [RENDER_HTML] = RENDER_OP_ESCAPED,
        [RENDER_INT] = RENDER_OP_INT,
        [RENDER_BOOL] = RENDER_OP_BOOL,
    };
    struct path p;
    enum err_code rc = resolve(c, u, tag, &p);
    if (rc)
        return rc;
    enum render_kind kind = p.field->kind;
    if (kind == RENDER_LIST || kind == RENDER_OBJ)
        return fail(c, u, tag->line, "cannot print %s '%.*s' (open it as a section)",
                    kind_name(kind), (int)tag->name.len, tag->name.ptr);
    emit_value(c, ops[kind], &p);
    return ERR_OK;
}

/* Unescaped output only for RENDER_HTML, so that trusting a value is a visible choice. */
static enum err_code compile_raw(struct compiler *c, const struct unit *u,
                                 const struct render_tag *tag)
{
    struct path p;
    enum err_code rc = resolve(c, u, tag, &p);
    if (rc)
        return rc;
    if (p.field->kind != RENDER_HTML)
        return fail(c, u, tag->line, "triple mustache on non-HTML field '%.*s' (kind %s)",
                    (int)tag->name.len, tag->name.ptr, kind_name(p.field->kind));
    emit_value(c, RENDER_OP_RAW, &p);
    return ERR_OK;
}

static enum render_op_kind section_op(enum render_tag_kind tag, enum render_kind kind)
{
    if (tag == RENDER_TAG_INVERTED)
        return RENDER_OP_UNLESS;
    if (kind == RENDER_LIST)
        return RENDER_OP_LIST;
    return kind == RENDER_OBJ ? RENDER_OP_WITH : RENDER_OP_IF;
}

static enum err_code open_section(struct compiler *c, const struct unit *u,
                                  const struct render_tag *tag)
{
    if (c->nopen == RENDER_SECTION_DEPTH)
        return fail(c, u, tag->line, "sections nested too deep (over %d)", RENDER_SECTION_DEPTH);
    struct path p;
    enum err_code rc = resolve(c, u, tag, &p);
    if (rc)
        return rc;
    enum render_op_kind kind = section_op(tag->kind, p.field->kind);
    bool push = kind == RENDER_OP_LIST || kind == RENDER_OP_WITH;
    if (push && !p.field->type)
        return fail(c, u, tag->line, "field '%.*s' has no type in its descriptor",
                    (int)tag->name.len, tag->name.ptr);
    size_t i = emit_value(c, kind, &p);
    c->open[c->nopen++] = (struct open_section){i, tag->name, tag->line, push};
    if (push) {
        c->scopes[++c->depth] = p.field->type;
        c->t->ops[i].scope = c->depth;
    }
    return ERR_OK;
}

static enum err_code close_section(struct compiler *c, const struct unit *u,
                                   const struct render_tag *tag)
{
    if (c->nopen == u->base)
        return fail(c, u, tag->line, "unexpected close '/%.*s'", (int)tag->name.len, tag->name.ptr);
    const struct open_section *o = &c->open[c->nopen - 1];
    if (!str_eq(o->name, tag->name))
        return fail(c, u, tag->line, "mismatched close '/%.*s' (expected '/%.*s')",
                    (int)tag->name.len, tag->name.ptr, (int)o->name.len, o->name.ptr);
    bool list = c->t->ops[o->op].kind == RENDER_OP_LIST;
    size_t end = emit_op(c, list ? RENDER_OP_LIST_END : RENDER_OP_END);
    struct render_op *begin = &c->t->ops[o->op];
    begin->jump = end;
    c->t->ops[end].jump = o->op;
    c->t->ops[end].scope = begin->scope;
    c->t->ops[end].stride = begin->stride;
    if (o->pushed)
        c->depth--;
    c->nopen--;
    return ERR_OK;
}

/*
 * The callback reports into a struct err of its own, preset so that a callback failing
 * without a message still leaves a useful one, and the caller's err is only written on
 * failure, prefixed with where the partial was included.
 */
static enum err_code include(struct compiler *c, const struct unit *u, const struct render_tag *tag)
{
    if (u->pdepth >= RENDER_PARTIAL_DEPTH)
        return fail(c, u, tag->line, "partials nested too deep (over %d) at '%.*s'",
                    RENDER_PARTIAL_DEPTH, (int)tag->name.len, tag->name.ptr);
    if (!c->partial)
        return fail(c, u, tag->line, "unknown partial '%.*s' (no partials here)",
                    (int)tag->name.len, tag->name.ptr);
    char name[RENDER_NAME_MAX + 1];
    memcpy(name, tag->name.ptr, tag->name.len);
    name[tag->name.len] = '\0';
    struct str src = {"", 0};
    const char *file = NULL;
    struct err perr;
    err_set(&perr, ERR_NOTFOUND, "unknown partial '%s'", name);
    enum err_code rc = c->partial(c->ctx, name, &src, &file, &perr);
    if (!rc)
        return compile_file(c, src, file ? file : name, u->pdepth + 1);
    if (rc == ERR_NOTFOUND)
        rc = ERR_INVALID; /* for the caller, a template naming a missing partial is invalid */
    return err_set(c->err, rc, "%s:%d: %s", u->lx.file, tag->line, perr.msg);
}

static enum err_code compile_tag(struct compiler *c, const struct unit *u,
                                 const struct render_tag *tag)
{
    switch (tag->kind) {
    case RENDER_TAG_VAR:
        return compile_var(c, u, tag);
    case RENDER_TAG_RAW:
        return compile_raw(c, u, tag);
    case RENDER_TAG_SECTION:
    case RENDER_TAG_INVERTED:
        return open_section(c, u, tag);
    case RENDER_TAG_CLOSE:
        return close_section(c, u, tag);
    case RENDER_TAG_PARTIAL:
        return include(c, u, tag);
    case RENDER_TAG_COMMENT:
    case RENDER_TAG_EOF:
        break;
    }
    return ERR_OK;
}

/*
 * Recursion here is bounded by RENDER_PARTIAL_DEPTH, checked before every include, and a
 * section must close in the file that opened it.
 */
static enum err_code compile_file(struct compiler *c, struct str src, const char *file, int pdepth)
{
    if (src.len > RENDER_TEMPLATE_MAX)
        return err_set(c->err, ERR_TOOBIG, "%s: template larger than %d bytes", file,
                       RENDER_TEMPLATE_MAX);
    c->expanded += src.len;
    if (c->expanded > RENDER_EXPANDED_MAX)
        return err_set(c->err, ERR_TOOBIG, "%s: template and partials larger than %d bytes", file,
                       RENDER_EXPANDED_MAX);
    struct unit u = {.base = c->nopen, .pdepth = pdepth};
    render_lex_init(&u.lx, src, file);
    for (;;) {
        struct str text;
        struct render_tag tag;
        enum err_code rc = render_lex_next(&u.lx, &text, &tag, c->err);
        if (rc)
            return rc;
        emit_text(c, text);
        if (tag.kind == RENDER_TAG_EOF)
            break;
        rc = compile_tag(c, &u, &tag);
        if (rc)
            return rc;
    }
    if (c->nopen > u.base) {
        const struct open_section *o = &c->open[c->nopen - 1];
        return fail(c, &u, o->line, "unclosed section '%.*s'", (int)o->name.len, o->name.ptr);
    }
    return ERR_OK;
}

enum err_code render_tpl_compile(struct str src, const char *filename,
                                 const struct render_type *root, render_partial_fn partial,
                                 void *ctx, struct render_tpl **out, struct err *err)
{
    assert(root && out);
    *out = NULL;
    struct compiler c = {.partial = partial, .ctx = ctx, .err = err};
    c.scopes[0] = root;
    c.t = xcalloc(1, sizeof(*c.t));
    enum err_code rc = compile_file(&c, src, filename ? filename : "<template>", 0);
    if (rc) {
        render_tpl_free(c.t);
        return rc;
    }
    *out = c.t;
    return ERR_OK;
}

void render_tpl_free(struct render_tpl *t)
{
    if (!t)
        return;
    free(t->ops);
    free(t->text);
    free(t->hops);
    free(t);
}
