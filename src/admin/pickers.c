/*
 * The editor's tag and byline pickers, and the check behind them.
 *
 * A tag typed into a post becomes public the moment it is saved (a section page, a feed,
 * a label on every teaser), so a typo must not quietly make one: a save that names a tag
 * that does not exist yet is refused unless the form confirms that tag in new_tags (a
 * checkbox on the refusal, or the picker's "Create tag" option). The pickers look names
 * up as staff type (GET /admin/api/tags/?q=, /admin/api/staff/?q=): small JSON answers
 * with names and slugs, never a login e-mail.
 */
#include "admin/admin_int.h"

#include "content/content.h"
#include "json/json.h"

#include <string.h>

#define PICKS_MAX 20     /* suggestions per answer */
#define QUERY_MAX 100    /* bytes of ?q= looked at */
#define NAME_CMP_MAX 100 /* bytes of a name the spelling distance looks at */

/* ---- the JSON look-ups -------------------------------------------------------------- */

/* {"items":[{"name":..., "slug":..., "role":...}]} with '<', '>' and '&' escaped too. */
static enum err_code send_picks(struct response *res, const struct store_pick *v, size_t n,
                                bool roles, struct err *err)
{
    struct json *root = json_obj_new(), *items = json_arr_new();
    for (size_t i = 0; i < n; i++) {
        struct json *o = json_obj_new();
        json_obj_set_str(o, "name", v[i].name);
        json_obj_set_str(o, "slug", v[i].slug);
        if (roles)
            json_obj_set_str(o, "role", v[i].role);
        json_arr_push(items, o);
    }
    json_obj_set(root, "items", items);
    enum err_code rc = json_write(root, JSON_WRITE_SCRIPT_SAFE, &res->body, err);
    json_free(root);
    res->content_type = "application/json; charset=utf-8";
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    return rc;
}

static struct str query_of(const struct request *req)
{
    struct str q = str_trim(admin_query(req, "q"));
    if (q.len > QUERY_MAX)
        q.len = QUERY_MAX;
    return q;
}

enum err_code admin_api_tags(struct app *app, const struct request *req, struct response *res,
                             struct err *err)
{
    (void)app;
    struct store_pick *v;
    size_t n;
    enum err_code rc =
        store_tags_match(app_store(req), query_of(req), PICKS_MAX, req->arena, &v, &n, err);
    return rc ? rc : send_picks(res, v, n, false, err);
}

enum err_code admin_api_staff(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)app;
    struct store_pick *v;
    size_t n;
    enum err_code rc =
        store_staff_match(app_store(req), query_of(req), PICKS_MAX, req->arena, &v, &n, err);
    return rc ? rc : send_picks(res, v, n, true, err);
}

/* ---- which names are new -------------------------------------------------------------- */

/*
 * The slugs of every name the form confirms: each new_tags field (checkboxes, the
 * picker's hidden input), each a comma-separated list. In a.
 */
static size_t confirmed_slugs(const struct request *req, struct str **out)
{
    struct str body = http_request_is_form(req) ? req->body : STR_LIT("");
    size_t cap = 1;
    for (size_t i = 0; i < body.len; i++)
        cap += body.ptr[i] == ',' || body.ptr[i] == '&';
    struct str *v = arena_calloc(req->arena, cap, sizeof(*v));
    size_t n = 0;
    while (body.len && n < cap) {
        const char *amp = memchr(body.ptr, '&', body.len);
        struct str pair = {body.ptr, amp ? (size_t)(amp - body.ptr) : body.len};
        body.ptr += pair.len + (amp ? 1 : 0);
        body.len -= pair.len + (amp ? 1 : 0);
        struct str list;
        if (!str_starts_with(pair, "new_tags=") ||
            !http_query_decode((struct str){pair.ptr + 9, pair.len - 9}, req->arena, &list))
            continue;
        while (list.len && n < cap) {
            const char *comma = memchr(list.ptr, ',', list.len);
            struct str item = {list.ptr, comma ? (size_t)(comma - list.ptr) : list.len};
            list.ptr += item.len + (comma ? 1 : 0);
            list.len -= item.len + (comma ? 1 : 0);
            struct str slug = content_tag_slugify(str_trim(item), req->arena);
            if (slug.len)
                v[n++] = slug;
        }
    }
    *out = v;
    return n;
}

static bool listed(struct str slug, const struct str *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (str_eq(slug, v[i]))
            return true;
    return false;
}

static unsigned char lower(char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* Levenshtein distance of a and b (ASCII case folded), each cut at NAME_CMP_MAX bytes. */
static size_t distance(struct str a, struct str b)
{
    size_t n = a.len < NAME_CMP_MAX ? a.len : NAME_CMP_MAX;
    size_t m = b.len < NAME_CMP_MAX ? b.len : NAME_CMP_MAX;
    size_t row[NAME_CMP_MAX + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t sub = diag + (lower(a.ptr[i - 1]) != lower(b.ptr[j - 1]));
            size_t best = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            diag = up;
        }
    }
    return row[m];
}

/* The existing tag nearest name in spelling, when near enough to be its typo; "" if none. */
static struct str nearest_tag(const struct request *req, struct str name)
{
    struct store_tag_row *tags;
    size_t n;
    if (store_tags_all(app_store(req), req->arena, &tags, &n, NULL))
        return STR_LIT("");
    size_t best = name.len / 3 > 2 ? name.len / 3 : 2, at = n;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(name, tags[i].tag.name);
        if (d <= best && (at == n || d < best))
            best = d, at = i;
    }
    return at < n ? tags[at].tag.name : STR_LIT("");
}

/*
 * The tags of names[0..n) that do not exist yet, each with its nearest existing tag and
 * whether the form confirms it; *out lives in the request's arena.
 */
static enum err_code unknown_tags(const struct request *req, const struct str *names, size_t n,
                                  struct admin_new_tag **out, size_t *nout, struct err *err)
{
    struct str *confirmed;
    size_t nconfirmed = confirmed_slugs(req, &confirmed);
    struct admin_new_tag *v = arena_calloc(req->arena, n ? n : 1, sizeof(*v));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        struct str slug = content_tag_slugify(names[i], req->arena);
        int64_t id;
        enum err_code rc = slug.len ? store_tag_find(app_store(req), slug, &id, err) : ERR_OK;
        if (rc && rc != ERR_NOTFOUND)
            return rc;
        if (rc == ERR_NOTFOUND)
            v[k++] = (struct admin_new_tag){names[i], nearest_tag(req, names[i]),
                                            listed(slug, confirmed, nconfirmed)};
    }
    *out = v;
    *nout = k;
    return ERR_OK;
}

/* ---- the check a save goes through ------------------------------------------------------ */

/* "“Polotics” is not a tag yet. Did you mean “Politics”? " for each tag not confirmed. */
static size_t describe_unknown(const struct admin_new_tag *v, size_t n, bool all, struct buf *b)
{
    size_t described = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i].checked && !all)
            continue;
        buf_printf(b, "“%.*s” is not a tag yet. ", (int)v[i].name.len, v[i].name.ptr);
        if (v[i].suggestion.len)
            buf_printf(b, "Did you mean “%.*s”? ", (int)v[i].suggestion.len, v[i].suggestion.ptr);
        described++;
    }
    return described;
}

static enum err_code check_tags(const struct request *req, const struct content_draft *d,
                                struct err *err)
{
    struct admin_new_tag *v;
    size_t n;
    enum err_code rc = unknown_tags(req, d->tags, d->ntags, &v, &n, err);
    if (rc || !n)
        return rc;
    bool may = auth_can(admin_session_of(req)->role, AUTH_TAG_CREATE, NULL);
    struct buf b;
    buf_init(&b, ERR_MSG_MAX);
    size_t left = describe_unknown(v, n, !may, &b);
    if (!may)
        buf_puts(&b, "Your role cannot create tags: choose an existing one, or ask an editor.");
    else if (left)
        buf_printf(&b, "Tick to create %s.", left > 1 ? "them" : "it");
    if (!may || left)
        rc = err_set(err, may ? ERR_INVALID : ERR_FORBIDDEN, "%.*s", (int)buf_str(&b).len,
                     buf_str(&b).ptr);
    buf_release(&b);
    return rc;
}

/* A byline slug that is nobody's: said clearly, with the nearest name staff may mean. */
static enum err_code check_authors(const struct request *req, const struct content_draft *d,
                                   struct err *err)
{
    for (size_t i = 0; i < d->nauthors; i++) {
        struct content_author au;
        enum err_code rc =
            store_author_by_slug(app_store(req), d->authors[i], req->arena, &au, err);
        if (rc == ERR_NOTFOUND) {
            struct store_pick *p;
            size_t n = 0;
            struct str head = {d->authors[i].ptr, d->authors[i].len < 3 ? d->authors[i].len : 3};
            store_staff_match(app_store(req), head, 1, req->arena, &p, &n, NULL);
            if (n)
                return err_set(err, ERR_INVALID,
                               "“%.*s” is nobody's byline. Did you mean “%.*s” (%.*s)? Authors "
                               "are slugs: pick them from the list",
                               (int)d->authors[i].len, d->authors[i].ptr, (int)p[0].slug.len,
                               p[0].slug.ptr, (int)p[0].name.len, p[0].name.ptr);
            return err_set(err, ERR_INVALID,
                           "“%.*s” is nobody's byline: authors are slugs, pick them from the list",
                           (int)d->authors[i].len, d->authors[i].ptr);
        }
        if (rc)
            return rc;
    }
    return ERR_OK;
}

enum err_code admin_picks_check(const struct request *req, const struct content_draft *d,
                                struct err *err)
{
    enum err_code rc = check_tags(req, d, err);
    return rc ? rc : check_authors(req, d, err);
}

/* ---- the editor's view -------------------------------------------------------------------- */

static const struct render_field new_tag_fields[] = {
    RENDER_STR_FIELD(struct admin_new_tag, name),
    RENDER_STR_FIELD(struct admin_new_tag, suggestion),
    RENDER_BOOL_FIELD(struct admin_new_tag, checked),
};
static const struct render_type new_tag_type = RENDER_TYPE(struct admin_new_tag, new_tag_fields);

static const struct render_field tools_fields[] = {
    RENDER_LIST_FIELD(struct admin_tools_view, new_tags, nnew_tags, &new_tag_type),
    RENDER_BOOL_FIELD(struct admin_tools_view, may_create_tags),
    RENDER_INT_FIELD(struct admin_tools_view, words),
    RENDER_STR_FIELD(struct admin_tools_view, counts),
    RENDER_BOOL_FIELD(struct admin_tools_view, can_share),
    RENDER_STR_FIELD(struct admin_tools_view, share_action),
    RENDER_STR_FIELD(struct admin_tools_view, share_url),
    RENDER_STR_FIELD(struct admin_tools_view, share_expires),
};
const struct render_type admin_tools_type = RENDER_TYPE(struct admin_tools_view, tools_fields);

/* "a, b, c" cut at each comma, trimmed, empty items dropped; in a. */
static size_t split_names(struct str s, struct arena *a, struct str **out)
{
    size_t cap = 1;
    for (size_t i = 0; i < s.len; i++)
        cap += s.ptr[i] == ',';
    struct str *v = arena_calloc(a, cap, sizeof(*v));
    size_t n = 0;
    while (s.len) {
        const char *comma = memchr(s.ptr, ',', s.len);
        struct str item = {s.ptr, comma ? (size_t)(comma - s.ptr) : s.len};
        s.ptr += item.len + (comma ? 1 : 0);
        s.len -= item.len + (comma ? 1 : 0);
        if (str_trim(item).len)
            v[n++] = str_trim(item);
    }
    *out = v;
    return n;
}

/* The word count and reading time the site will print for this body. */
static void counts_of(const struct request *req, const struct admin_tools_in *in,
                      struct admin_tools_view *t)
{
    struct str html = in->html, text;
    if (!html.len && in->markdown.len &&
        content_markdown_render(in->markdown, NULL, req->arena, &html, &text, NULL))
        html = STR_LIT("");
    char label[32];
    t->words = (int64_t)content_word_count(html);
    content_reading_label(content_reading_minutes(html, in->feature_image.len ? 1 : 0), label);
    t->counts = str_from(arena_printf(req->arena, "%lld word%s · %s", (long long)t->words,
                                      t->words == 1 ? "" : "s", label));
}

const struct admin_tools_view *admin_tools_of(const struct request *req,
                                              const struct admin_tools_in *in)
{
    struct admin_tools_view *t = arena_calloc(req->arena, 1, sizeof(*t));
    t->may_create_tags = auth_can(admin_session_of(req)->role, AUTH_TAG_CREATE, NULL);
    struct str *names;
    size_t n = split_names(in->tags, req->arena, &names);
    struct admin_new_tag *v = NULL;
    size_t nv = 0;
    if (unknown_tags(req, names, n, &v, &nv, NULL) == ERR_OK) {
        t->new_tags = v;
        t->nnew_tags = nv;
    }
    counts_of(req, in, t);
    admin_share_view(req, in, t);
    return t;
}
