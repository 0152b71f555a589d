/*
 * What a Content API request asks for: the resource from the path, Ghost's query
 * parameters (include, fields, formats, filter, limit, page, order; the Content API's
 * reference, "Parameters"), the key, and Ghost's ids in both directions. Messages are
 * Ghost's ("Validation error, ..."), since clients show them.
 */
#include "api/api_int.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ---- ids --------------------------------------------------------------------------- */

void api_id_format(enum api_id_kind kind, int64_t id, char out[25])
{
    snprintf(out, 25, "6e64%04x%016llx", (unsigned)kind, (unsigned long long)id);
}

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool api_id_parse(struct str s, enum api_id_kind kind, int64_t *id)
{
    char want[9];
    snprintf(want, sizeof(want), "6e64%04x", (unsigned)kind);
    if (s.len != 24 || memcmp(s.ptr, want, 8) != 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 8; i < 24; i++) {
        int d = hex_digit(s.ptr[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint64_t)d;
    }
    if (v == 0 || v > INT64_MAX)
        return false;
    *id = (int64_t)v;
    return true;
}

/* ---- the resource ------------------------------------------------------------------ */

static const char *const resource_names[] = {"posts", "pages", "authors", "tags"};

const char *api_resource_name(enum api_resource r)
{
    return r < ARRAY_LEN(resource_names) ? resource_names[r] : "";
}

enum api_resource api_resource_of(const struct request *req)
{
    static const char prefix[] = "/ghost/api/content/";
    struct str p = req->path;
    if (!str_starts_with(p, prefix))
        return API_RES_NONE;
    struct str rest = {p.ptr + sizeof(prefix) - 1, p.len - (sizeof(prefix) - 1)};
    for (size_t i = 0; i < ARRAY_LEN(resource_names); i++) {
        size_t n = strlen(resource_names[i]);
        if (rest.len > n && memcmp(rest.ptr, resource_names[i], n) == 0 && rest.ptr[n] == '/')
            return (enum api_resource)i;
    }
    return API_RES_NONE;
}

/* ---- parameters -------------------------------------------------------------------- */

bool api_words_has(const struct api_words *ws, const char *w)
{
    for (size_t i = 0; i < ws->n; i++)
        if (str_eq_cstr(ws->w[i], w))
            return true;
    return false;
}

/* Words past API_WORDS_MAX are dropped: no field list or include of Ghost's is as long. */
static void split_words(struct str s, struct api_words *out)
{
    out->n = 0;
    out->given = true;
    size_t i = 0;
    while (i <= s.len && out->n < ARRAY_LEN(out->w)) {
        size_t start = i;
        while (i < s.len && s.ptr[i] != ',')
            i++;
        struct str w = str_trim((struct str){s.ptr + start, i - start});
        if (w.len)
            out->w[out->n++] = w;
        i++;
    }
}

/* A query parameter: absent leaves *v empty; bad encoding is refused. */
static enum err_code read_words(const struct request *req, const char *name, struct api_words *out,
                                struct err *err)
{
    struct str v;
    bool has;
    enum err_code rc = http_request_query_opt(req, name, &v, &has, err);
    if (!rc && has)
        split_words(v, out);
    return rc;
}

/* limit= or page=: a positive number, capped at max; limit=all is the cap itself. */
static enum err_code read_count(const struct request *req, const char *name, int64_t max,
                                int64_t *out, struct err *err)
{
    struct str v;
    bool has;
    enum err_code rc = http_request_query_opt(req, name, &v, &has, err);
    if (rc || !has)
        return rc;
    if (strcmp(name, "limit") == 0 && str_eq_cstr(v, "all")) {
        *out = max;
        return ERR_OK;
    }
    if (!str_to_i64(v, out) || *out < 1)
        return err_set(err, ERR_INVALID, "Validation error, '%s' must be a positive number", name);
    if (*out > max)
        *out = max;
    return ERR_OK;
}

/* order=published_at desc, title asc: fields are checked by store/, directions here. */
static enum err_code read_order(const struct request *req, struct api_ask *q, struct err *err)
{
    struct api_words terms;
    terms.n = 0; /* read_words leaves it as it is when there is no order= */
    enum err_code rc = read_words(req, "order", &terms, err);
    for (size_t i = 0; !rc && i < terms.n; i++) {
        if (q->norder == STORE_ORDER_MAX)
            return err_set(err, ERR_INVALID, "Validation error, too many order fields");
        struct str t = terms.w[i];
        const char *sp = memchr(t.ptr, ' ', t.len);
        struct store_order *o = &q->order[q->norder++];
        o->field = sp ? (struct str){t.ptr, (size_t)(sp - t.ptr)} : t;
        struct str dir = sp ? str_trim((struct str){sp, t.len - o->field.len}) : STR_NULL;
        o->desc = str_case_eq(dir, "desc");
        if (dir.len && !o->desc && !str_case_eq(dir, "asc"))
            return err_set(err, ERR_INVALID, "Validation error, bad order '%.*s'", (int)t.len,
                           t.ptr);
    }
    return rc;
}

/* The kind of id a filter's field takes: 0 for the resource's own "id", -1 for none. */
static int id_kind_of(struct str field)
{
    if (str_eq_cstr(field, "id"))
        return 0;
    if (str_eq_cstr(field, "tags.id"))
        return API_ID_TAG;
    return str_eq_cstr(field, "authors.id") ? API_ID_AUTHOR : -1;
}

static bool is_hex24(struct str s)
{
    if (s.len != 24)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (!isxdigit((unsigned char)s.ptr[i]))
            return false;
    return true;
}

bool api_id_valid(struct str s)
{
    /* Ghost's validator: /^[a-f\d]{24}$|^1$|me/i ("me" anywhere, as Ghost has it) */
    if (is_hex24(s) || str_eq_cstr(s, "1"))
        return true;
    for (size_t i = 0; i + 1 < s.len; i++)
        if ((s.ptr[i] | 0x20) == 'm' && (s.ptr[i + 1] | 0x20) == 'e')
            return true;
    return false;
}

struct store_val api_id_value(struct str s, int kind, struct arena *a)
{
    int64_t id = -1;
    bool ok = false;
    if (kind)
        ok = api_id_parse(s, (enum api_id_kind)kind, &id);
    else /* a bare "id" is the resource's own: whichever kind parses */
        for (int k = API_ID_POST; k <= API_ID_AUTHOR && !ok; k++)
            ok = api_id_parse(s, (enum api_id_kind)k, &id);
    if (ok || !is_hex24(s))
        return (struct store_val){STORE_VAL_INT, s, ok ? id : -1};
    /* an id a row brought from Ghost (posts.ghost_id, ...), which Ghost matches in any case */
    char *low = arena_strndup(a, s.ptr, s.len);
    for (size_t i = 0; i < s.len; i++)
        low[i] = (char)tolower((unsigned char)low[i]);
    return (struct store_val){STORE_VAL_TEXT, {low, s.len}, 0};
}

/*
 * Ghost's ids in filters ("id:6e64...", "tags.id:[...]") become our row ids, or stay
 * the Ghost ids of imported rows. The tree is the parser's, whose depth is capped
 * (API_NQL_DEPTH_MAX), so recursion is bounded.
 */
static void convert_ids(struct store_cond *k, int depth, struct arena *a)
{
    if (depth > API_NQL_DEPTH_MAX * 2 + 2)
        return;
    if (k->kind != STORE_COND_CMP) {
        for (size_t i = 0; i < k->nkids; i++)
            convert_ids((struct store_cond *)&k->kids[i], depth + 1, a);
        return;
    }
    int kind = id_kind_of(k->field);
    for (size_t i = 0; kind >= 0 && i < k->nvals; i++) {
        struct store_val *v = (struct store_val *)&k->vals[i];
        if (v->kind == STORE_VAL_TEXT)
            *v = api_id_value(v->text, kind, a);
    }
}

static enum err_code read_filter(const struct request *req, struct api_ask *q, struct err *err)
{
    struct str v;
    bool has;
    enum err_code rc = http_request_query_opt(req, "filter", &v, &has, err);
    if (rc || !has || !v.len)
        return rc;
    struct err perr = {0};
    if (api_nql_parse(v, time_now(), req->arena, &q->filter, &q->clock, &perr))
        return err_set(err, ERR_INVALID, "Error parsing filter\n%s", perr.msg);
    convert_ids(q->filter, 0, req->arena);
    return ERR_OK;
}

/* In Ghost's order of checking, so the same bad request gets the same first complaint. */
enum err_code api_ask_read(const struct request *req, struct api_ask *q, struct err *err)
{
    memset(q, 0, sizeof(*q));
    q->res = api_resource_of(req);
    q->limit = API_LIMIT_DEFAULT;
    q->page = 1;
    enum err_code rc = read_words(req, "include", &q->include, err);
    if (!rc)
        rc = read_words(req, "fields", &q->fields, err);
    if (!rc)
        rc = read_words(req, "formats", &q->formats, err);
    if (!rc)
        rc = read_count(req, "limit", API_LIMIT_MAX, &q->limit, err);
    if (!rc)
        rc = read_count(req, "page", INT64_MAX, &q->page, err);
    if (!rc)
        rc = read_order(req, q, err);
    if (!rc)
        rc = read_filter(req, q, err);
    return rc;
}

/* ---- the key ----------------------------------------------------------------------- */

/*
 * Ghost's answers: no key is 403 "Authorization failed", an unknown one 401. The active
 * keys are read on every rendered response; cached ones need no check, since a
 * revocation invalidates them (the "apikeys" dependency), and the cache key includes
 * ?key= (routes.c), so one key's answer is never served to another.
 */
enum err_code api_key_check(const struct request *req, struct err *err)
{
    struct str key;
    bool has;
    enum err_code rc = http_request_query_opt(req, "key", &key, &has, err);
    if (rc || !has || !key.len)
        return err_set(err, ERR_FORBIDDEN,
                       "Authorization failed\nUnable to determine the authenticated member or "
                       "integration. Check the supplied Content API Key and ensure cookies are "
                       "being passed through if member auth is failing.");
    struct str *secrets;
    size_t n;
    rc = store_api_keys_active(app_store(req), "content", req->arena, &secrets, &n, err);
    if (rc)
        return rc;
    if (!auth_apikey_known(key, secrets, n))
        return err_set(err, ERR_AUTH, "Unknown Content API Key");
    return ERR_OK;
}
