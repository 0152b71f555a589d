/*
 * NQL, Ghost's filter language (TryGhost/NQL), as far as a news front end uses it:
 *
 *   filter  := or
 *   or      := and { ',' and }           (',' binds looser than '+')
 *   and     := term { '+' term }
 *   term    := '(' or ')' | field ':' [op] value
 *   op      := '-' | '>' | '>=' | '<' | '<=' | '~' | '~^' | '~$' | '-~'
 *   value   := '[' item { ',' item } ']' | item
 *   item    := 'text' | "text" | word | now-7d
 *
 * Recursive descent, with the recursion bounded by the parenthesis depth
 * (API_NQL_DEPTH_MAX): a hostile filter of 10,000 '(' is refused at the 17th. Values go
 * into one arena array capped at API_NQL_VALUES_MAX, so a list of 100,000 items is
 * refused before anything grows with it.
 */
#include "api/api.h"

#include "store/store.h"

#include <string.h>

struct parser {
    struct str s;
    size_t i;
    int depth;
    size_t nterms;
    struct store_val *vals; /* every value of the filter, API_NQL_VALUES_MAX of room */
    size_t nvals;
    int64_t now;
    bool clock;
    struct arena *a;
    struct err *err;
};

static enum err_code fail(struct parser *p, const char *what)
{
    return err_set(p->err, ERR_INVALID, "%s at offset %zu", what, p->i);
}

static void skip_space(struct parser *p)
{
    while (p->i < p->s.len && (p->s.ptr[p->i] == ' ' || p->s.ptr[p->i] == '\t'))
        p->i++;
}

static bool at(struct parser *p, char c)
{
    skip_space(p);
    return p->i < p->s.len && p->s.ptr[p->i] == c;
}

static bool field_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
}

/* A bare word ends at white space or at a character NQL gives a meaning. */
static bool word_char(char c)
{
    return c != ' ' && c != '\t' && !strchr(",+()[]'\":", c) && c != '\0';
}

/* A growable array in the arena (elements of size bytes). */
struct vec {
    char *v;
    size_t n, cap, size;
};

static void *vec_push(struct vec *v, struct arena *a)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        char *w = arena_alloc(a, cap * v->size);
        if (v->n)
            memcpy(w, v->v, v->n * v->size);
        v->v = w;
        v->cap = cap;
    }
    return v->v + v->size * v->n++;
}

/* now-7d, now+1h: the unit's seconds, or 0 for an unknown unit. */
static int64_t unit_seconds(char u)
{
    switch (u) {
    case 's':
        return 1;
    case 'm':
        return 60;
    case 'h':
        return 3600;
    case 'd':
        return 86400;
    case 'w':
        return 7 * 86400;
    case 'M':
        return 30 * 86400;
    case 'y':
        return 365 * 86400;
    default:
        return 0;
    }
}

/* "now", "now-7d", "now+12h" as a time; false when w is not one. */
static bool relative_date(struct parser *p, struct str w, int64_t *out)
{
    if (!str_starts_with(w, "now"))
        return false;
    if (w.len == 3) {
        *out = p->now;
        return true;
    }
    if (w.len < 6 || (w.ptr[3] != '-' && w.ptr[3] != '+'))
        return false;
    int64_t n, unit = unit_seconds(w.ptr[w.len - 1]);
    struct str digits = {w.ptr + 4, w.len - 5};
    if (!unit || !digits.len || digits.ptr[0] == '-' || !str_to_i64(digits, &n) || n > 1000000)
        return false;
    *out = p->now + (w.ptr[3] == '-' ? -n : n) * unit;
    return true;
}

static enum err_code add_value(struct parser *p, struct store_val v)
{
    if (p->nvals >= API_NQL_VALUES_MAX)
        return err_set(p->err, ERR_INVALID, "filter has more than %d values", API_NQL_VALUES_MAX);
    p->vals[p->nvals++] = v;
    return ERR_OK;
}

/* 'text' or "text"; a backslash escapes the next byte. */
static enum err_code quoted(struct parser *p)
{
    char q = p->s.ptr[p->i++];
    char *out = arena_alloc(p->a, p->s.len - p->i + 1);
    size_t n = 0;
    while (p->i < p->s.len && p->s.ptr[p->i] != q) {
        if (p->s.ptr[p->i] == '\\' && p->i + 1 < p->s.len)
            p->i++;
        out[n++] = p->s.ptr[p->i++];
    }
    if (p->i >= p->s.len)
        return fail(p, "unterminated quoted string");
    p->i++;
    out[n] = '\0';
    return add_value(p, (struct store_val){STORE_VAL_TEXT, {out, n}, 0});
}

static enum err_code item(struct parser *p)
{
    skip_space(p);
    if (p->i >= p->s.len)
        return fail(p, "missing value");
    char c = p->s.ptr[p->i];
    if (c == '\'' || c == '"')
        return quoted(p);
    size_t start = p->i;
    while (p->i < p->s.len && word_char(p->s.ptr[p->i]))
        p->i++;
    /* "now+2h": '+' is also "and", so it belongs to the value only right after "now" */
    if (p->i - start == 3 && memcmp(p->s.ptr + start, "now", 3) == 0 && p->i < p->s.len &&
        p->s.ptr[p->i] == '+') {
        size_t j = p->i + 1;
        while (j < p->s.len && p->s.ptr[j] >= '0' && p->s.ptr[j] <= '9')
            j++;
        if (j > p->i + 1 && j < p->s.len && unit_seconds(p->s.ptr[j]))
            p->i = j + 1;
    }
    struct str w = {p->s.ptr + start, p->i - start};
    if (!w.len)
        return fail(p, "missing value");
    int64_t t;
    if (str_eq_cstr(w, "true") || str_eq_cstr(w, "false"))
        return add_value(p, (struct store_val){STORE_VAL_BOOL, w, str_eq_cstr(w, "true")});
    if (str_eq_cstr(w, "null"))
        return add_value(p, (struct store_val){STORE_VAL_NULL, w, 0});
    if (relative_date(p, w, &t)) {
        p->clock = true;
        return add_value(p, (struct store_val){STORE_VAL_INT, w, t});
    }
    return add_value(p, (struct store_val){STORE_VAL_TEXT, w, 0});
}

/* '[' item { ',' item } ']' */
static enum err_code list(struct parser *p)
{
    p->i++;
    for (;;) {
        enum err_code rc = item(p);
        if (rc)
            return rc;
        if (at(p, ']')) {
            p->i++;
            return ERR_OK;
        }
        if (!at(p, ','))
            return fail(p, "expected ',' or ']' in a list");
        p->i++;
    }
}

/* The operator after ':' (none is equality). */
static enum store_cond_op op_of(struct parser *p)
{
    skip_space(p);
    struct str r = {p->s.ptr + p->i, p->s.len - p->i};
    static const struct {
        const char *text;
        enum store_cond_op op;
    } ops[] = {{"-~", STORE_OP_NCONTAINS}, {"~^", STORE_OP_STARTS}, {"~$", STORE_OP_ENDS},
               {">=", STORE_OP_GE},        {"<=", STORE_OP_LE},     {"~", STORE_OP_CONTAINS},
               {">", STORE_OP_GT},         {"<", STORE_OP_LT},      {"-", STORE_OP_NE}};
    for (size_t i = 0; i < ARRAY_LEN(ops); i++)
        if (str_starts_with(r, ops[i].text)) {
            p->i += strlen(ops[i].text);
            return ops[i].op;
        }
    return STORE_OP_EQ;
}

static enum err_code comparison(struct parser *p, struct store_cond *k)
{
    size_t start = p->i;
    while (p->i < p->s.len && field_char(p->s.ptr[p->i]))
        p->i++;
    if (p->i == start)
        return fail(p, "expected a field name");
    if (++p->nterms > API_NQL_TERMS_MAX)
        return err_set(p->err, ERR_INVALID, "filter has more than %d comparisons",
                       API_NQL_TERMS_MAX);
    k->kind = STORE_COND_CMP;
    k->field = arena_str(p->a, (struct str){p->s.ptr + start, p->i - start});
    if (!at(p, ':'))
        return fail(p, "expected ':' after the field name");
    p->i++;
    k->op = op_of(p);
    size_t first = p->nvals;
    enum err_code rc;
    if (at(p, '[')) {
        if (k->op != STORE_OP_EQ && k->op != STORE_OP_NE)
            return fail(p, "a list takes only ':' or ':-'");
        k->op = k->op == STORE_OP_EQ ? STORE_OP_IN : STORE_OP_NIN;
        rc = list(p);
    } else {
        rc = item(p);
    }
    k->vals = p->vals + first;
    k->nvals = p->nvals - first;
    return rc;
}

static enum err_code parse_or(struct parser *p, struct store_cond *out);

static enum err_code term(struct parser *p, struct store_cond *out)
{
    if (!at(p, '('))
        return comparison(p, out);
    if (++p->depth > API_NQL_DEPTH_MAX)
        return fail(p, "filter nested too deep");
    p->i++;
    enum err_code rc = parse_or(p, out);
    if (!rc && !at(p, ')'))
        rc = fail(p, "expected ')'");
    if (rc)
        return rc;
    p->i++;
    p->depth--;
    return ERR_OK;
}

/* a sep b sep c ... with each operand read by fn; one operand is returned as it is. */
static enum err_code chain(struct parser *p, char sep, enum store_cond_kind kind,
                           enum err_code (*fn)(struct parser *, struct store_cond *),
                           struct store_cond *out)
{
    struct vec kids = {.size = sizeof(struct store_cond)};
    for (;;) {
        struct store_cond *k = vec_push(&kids, p->a);
        memset(k, 0, sizeof(*k));
        enum err_code rc = fn(p, k);
        if (rc)
            return rc;
        if (!at(p, sep))
            break;
        p->i++;
    }
    if (kids.n == 1) {
        *out = *(struct store_cond *)kids.v;
        return ERR_OK;
    }
    *out = (struct store_cond){.kind = kind, .kids = (struct store_cond *)kids.v, .nkids = kids.n};
    return ERR_OK;
}

static enum err_code parse_and(struct parser *p, struct store_cond *out)
{
    return chain(p, '+', STORE_COND_AND, term, out);
}

static enum err_code parse_or(struct parser *p, struct store_cond *out)
{
    return chain(p, ',', STORE_COND_OR, parse_and, out);
}

enum err_code api_nql_parse(struct str filter, int64_t now, struct arena *a,
                            struct store_cond **out, bool *uses_clock, struct err *err)
{
    if (filter.len > API_NQL_MAX)
        return err_set(err, ERR_INVALID, "filter longer than %d bytes", API_NQL_MAX);
    size_t bad = utf8_invalid_at(filter.ptr, filter.len);
    if (bad < filter.len || memchr(filter.ptr, '\0', filter.len))
        return err_set(err, ERR_INVALID, "filter is not valid text at offset %zu", bad);
    struct parser p = {.s = filter, .now = now, .a = a, .err = err};
    p.vals = arena_calloc(a, API_NQL_VALUES_MAX, sizeof(*p.vals));
    struct store_cond *root = arena_calloc(a, 1, sizeof(*root));
    enum err_code rc = parse_or(&p, root);
    skip_space(&p);
    if (!rc && p.i < p.s.len)
        rc = fail(&p, p.s.ptr[p.i] == ')' ? "unbalanced ')'" : "unexpected character");
    if (rc)
        return rc;
    *out = root;
    if (uses_clock)
        *uses_clock = p.clock;
    return ERR_OK;
}
