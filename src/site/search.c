/*
 * The reader's search: the results page /search/?q=, its JSON for as-you-type
 * (/search.json?q=) and the OpenSearch description browsers read (/opensearch.xml).
 *
 * The query is read leniently: whatever bytes q carries (a bad escape, %00, invalid
 * UTF-8) go to search_parse, which turns what is not text into spaces, so a hostile query
 * gets a page, never an error. Only a query longer than SEARCH_QUERY_MAX is refused, on
 * the page itself (400) with its form, so the reader can shorten it.
 *
 * A page of results continues by cursor: c=<the last hit's score, as the 16 hex digits of
 * its IEEE 754 bits>-<its id>. That is opaque to readers but exact (a decimal score would
 * round and repeat or skip a hit); one that does not read so is a 400 saying so.
 *
 * The handlers run only for what the cache could not answer (or when nothing is cached):
 * those read the index, the expensive requests, so each address may make serve
 * --search-limit of them in SITE_SEARCH_LIMIT_WINDOW seconds, then gets 429 saying when
 * to try again (STANDARDS.md: search, a per-IP limit). Cached answers are never refused.
 *
 * Responses are cached (routes.c, ROUTE_SEARCH) under site_search_key: the query's normal
 * form, so spellings that find the same posts share one entry. Each depends on "list",
 * which every write of a published post logs (and "*", which renames of tags and bylines
 * log, drops everything).
 */
#include "site/site_int.h"

#include "app.h"
#include "auth/auth.h"
#include "http/http.h"
#include "json/json.h"
#include "search/search.h"
#include "store/store.h"

#include <inttypes.h>
#include <string.h>

#define SEARCH_PAGE_RESULTS 10 /* results on a page */
#define SEARCH_JSON_RESULTS 5  /* suggestions under the header's box */
#define SEARCH_CURSOR_LEN 40   /* "<16 hex>-<id>" is shorter */

static const char *const q_only[] = {"q", NULL};
static const char *const c_only[] = {"c", NULL};

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/*
 * The value of the first parameter named name, percent- and '+'-decoded without judging
 * the bytes: a bad escape stays as typed, NUL and invalid UTF-8 pass on to search_parse.
 * Empty when absent. Result lives in a.
 */
static struct str param_raw(const struct request *req, const char *const *only, struct arena *a)
{
    struct str kept = http_query_keep(req, only);
    const char *eq = memchr(kept.ptr, '=', kept.len);
    if (!eq)
        return STR_LIT("");
    const char *p = eq + 1, *end = memchr(p, '&', kept.len - (size_t)(p - kept.ptr));
    if (!end)
        end = kept.ptr + kept.len;
    char *out = arena_alloc(a, (size_t)(end - p) + 1);
    size_t n = 0;
    for (; p < end; p++) {
        if (*p == '%' && end - p >= 3) {
            int hi = hex_value(p[1]);
            int lo = hex_value(p[2]);
            if (hi >= 0 && lo >= 0) {
                out[n++] = (char)(hi * 16 + lo);
                p += 2;
                continue;
            }
        }
        out[n++] = *p == '+' ? ' ' : *p;
    }
    out[n] = '\0';
    return (struct str){out, n};
}

/* "3fb999999999999a-42" → the cursor; false for anything else. */
static bool cursor_parse(struct str s, struct store_search_cursor *c)
{
    if (s.len < 18 || s.len > SEARCH_CURSOR_LEN || s.ptr[16] != '-')
        return false;
    uint64_t bits = 0;
    for (size_t i = 0; i < 16; i++) {
        int v = hex_value(s.ptr[i]);
        if (v < 0)
            return false;
        bits = bits << 4 | (uint64_t)v;
    }
    struct str id = {s.ptr + 17, s.len - 17};
    for (size_t i = 0; i < id.len; i++)
        if (id.ptr[i] < '0' || id.ptr[i] > '9')
            return false;
    if (!str_to_i64(id, &c->id) || c->id < 1)
        return false;
    memcpy(&c->score, &bits, sizeof(bits));
    return c->score == c->score; /* not a NaN */
}

static struct str cursor_format(const struct store_search_cursor *c, struct arena *a)
{
    uint64_t bits;
    memcpy(&bits, &c->score, sizeof(bits));
    return str_from(arena_printf(a, "%016" PRIx64 "-%lld", bits, (long long)c->id));
}

/* What a request asks: its parsed query and where its page starts. */
struct search_ask {
    struct search_query q;
    enum err_code parsed; /* ERR_TOOBIG: too long, q is empty */
    struct err parse_err;
    struct str cursor_text; /* as sent, empty: the first page */
    struct store_search_cursor cursor;
    bool cursor_ok;
};

static void ask_read(const struct request *req, unsigned flags, struct search_ask *ask)
{
    memset(ask, 0, sizeof(*ask));
    struct str text = param_raw(req, q_only, req->arena);
    ask->parsed = search_parse(text, flags, req->arena, &ask->q, &ask->parse_err);
    ask->cursor_text = param_raw(req, c_only, req->arena);
    ask->cursor_ok = !ask->cursor_text.len || cursor_parse(ask->cursor_text, &ask->cursor);
}

static unsigned flags_of(const struct request *req)
{
    return str_eq_cstr(req->path, "/search.json") ? SEARCH_PREFIX_LAST : 0;
}

struct str site_search_key(const struct request *req)
{
    struct search_ask ask;
    ask_read(req, flags_of(req), &ask);
    if (ask.parsed || !ask.cursor_ok)
        return STR_NULL; /* answered with a message, never cached */
    struct str key = arena_cat3(req->arena, "", req->path, "?q=");
    key = arena_cat3(req->arena, key.ptr, ask.q.normal, ask.cursor_text.len ? "&c=" : "");
    return arena_cat3(req->arena, key.ptr, ask.cursor_text, "");
}

/* The snippet as HTML: the text escaped, each match in <mark>, every <mark> closed. */
static struct str snippet_html(struct str s, struct arena *a)
{
    struct buf b;
    buf_init(&b, s.len * 6 + 64);
    bool open = false;
    size_t run = 0;
    for (size_t i = 0; i <= s.len; i++) {
        char c = i < s.len ? s.ptr[i] : STORE_SEARCH_MARK_OPEN;
        if (c != STORE_SEARCH_MARK_OPEN && c != STORE_SEARCH_MARK_CLOSE)
            continue;
        buf_append_html(&b, s.ptr + run, i - run);
        run = i + 1;
        if (i == s.len)
            break;
        if (c == STORE_SEARCH_MARK_OPEN && !open)
            buf_puts(&b, "<mark>");
        else if (c == STORE_SEARCH_MARK_CLOSE && open)
            buf_puts(&b, "</mark>");
        open = c == STORE_SEARCH_MARK_OPEN ? true : c == STORE_SEARCH_MARK_CLOSE ? false : open;
    }
    if (open)
        buf_puts(&b, "</mark>");
    struct str out = arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

/* "1 result", "1,234 results", "1,000+ results". */
static struct str count_text(int64_t total, bool more, struct arena *a)
{
    const char *noun = total == 1 && !more ? "result" : "results";
    if (total >= 1000)
        return str_from(arena_printf(a, "%lld,%03lld%s %s", (long long)(total / 1000),
                                     (long long)(total % 1000), more ? "+" : "", noun));
    return str_from(arena_printf(a, "%lld%s %s", (long long)total, more ? "+" : "", noun));
}

/* Runs the query for a page of limit results after ask's cursor. */
static enum err_code run(const struct request *req, struct search_ask *ask, int64_t limit,
                         struct store_search_hit **hits, size_t *n, int64_t *total, bool *more,
                         struct err *err)
{
    *n = 0;
    *total = 0;
    *more = false;
    if (!ask->q.store.nterms)
        return ERR_OK;
    ask->q.store.limit = limit;
    ask->q.store.cursor = ask->cursor_text.len ? &ask->cursor : NULL;
    return store_search(app_store(req), &ask->q.store, req->arena, hits, n, total, more, err);
}

static struct str more_url(const struct search_ask *ask, const struct store_search_hit *last,
                           struct arena *a)
{
    struct str q = arena_url_encode(a, ask->q.normal);
    struct str c = cursor_format(&last->at, a);
    return str_from(
        arena_printf(a, "/search/?q=%.*s&c=%.*s", (int)q.len, q.ptr, (int)c.len, c.ptr));
}

static void fill_results(struct app *app, struct view_search *v, const struct search_ask *ask,
                         const struct store_search_hit *hits, size_t n, bool has_next,
                         struct response *res)
{
    struct view_teaser *t = arena_calloc(res->arena, n ? n : 1, sizeof(*t));
    for (size_t i = 0; i < n; i++) {
        site_teaser_fill(&t[i], &hits[i].post, app->site, res);
        t[i].snippet = snippet_html(hits[i].snippet, res->arena);
    }
    v->results = t;
    v->nresults = n;
    if (has_next && n)
        v->more_url = more_url(ask, &hits[n - 1], res->arena);
}

/* True when the client has used up its searches; then Retry-After says for how long. */
static bool limited(struct app *app, const struct request *req, struct response *res)
{
    int64_t wait = 0;
    struct auth_limiter *limit = app->search_address; /* SIGHUP may replace it */
    if (!limit ||
        auth_limiter_take(limit, http_client_address(req, &app->proxies), time_now(), &wait))
        return false;
    http_response_header(res, "retry-after",
                         str_from(arena_printf(req->arena, "%lld", (long long)(wait ? wait : 1))));
    return true;
}

static enum err_code render_page(struct app *app, const struct request *req, struct response *res,
                                 struct view_search *v)
{
    struct view_page page;
    site_page_init(&page, app->site, req, "/search/");
    page.search = v;
    page.noindex = true;
    struct str site_title = app->site->settings.title;
    page.title = v->query.len
                     ? str_from(arena_printf(req->arena, "%.*s – Search – %.*s", (int)v->query.len,
                                             v->query.ptr, (int)site_title.len, site_title.ptr))
                     : str_from(arena_printf(req->arena, "Search – %.*s", (int)site_title.len,
                                             site_title.ptr));
    page.description = STR_LIT("Search every story the newsroom has published.");
    return site_render(app->site, SITE_TPL_SEARCH, &page, res);
}

enum err_code site_search(struct app *app, const struct request *req, struct response *res,
                          struct err *err)
{
    struct search_ask ask;
    ask_read(req, 0, &ask);
    if (!ask.cursor_ok)
        return err_set(err, ERR_INVALID,
                       "this link to more results is damaged: search again from the first page");
    struct view_search *v = arena_calloc(req->arena, 1, sizeof(*v));
    http_response_dep(res, "list");
    if (ask.parsed) {
        v->message = str_from(arena_strdup(req->arena, ask.parse_err.msg));
        enum err_code rc = render_page(app, req, res, v);
        res->status = err_http_status(ask.parsed) == 413 ? 400 : err_http_status(ask.parsed);
        return rc;
    }
    v->query = ask.q.normal;
    if (ask.q.store.nterms && limited(app, req, res)) {
        v->message = STR_LIT("You have searched a lot in a short time. Please wait a few "
                             "seconds and search again.");
        enum err_code rc = render_page(app, req, res, v);
        res->status = 429;
        return rc;
    }
    v->searched = ask.q.store.nterms > 0;
    if (ask.q.dropped)
        v->message = STR_LIT("Your search had more words than we look for: the last ones were "
                             "left out.");
    struct store_search_hit *hits;
    size_t n;
    int64_t total;
    bool more;
    /* one more than shown tells whether a next page follows */
    enum err_code rc = run(req, &ask, SEARCH_PAGE_RESULTS + 1, &hits, &n, &total, &more, err);
    if (rc)
        return rc;
    bool has_next = n > SEARCH_PAGE_RESULTS;
    fill_results(app, v, &ask, hits, has_next ? SEARCH_PAGE_RESULTS : n, has_next, res);
    if (v->searched && !ask.cursor_text.len)
        v->count = count_text(total, more, req->arena);
    return render_page(app, req, res, v);
}

/* A hit as the header's suggestions show it. */
static struct json *hit_json(const struct store_search_hit *h, struct arena *a)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "title", h->post.title);
    json_obj_set_str(o, "url", arena_cat3(a, "/", h->post.slug, "/"));
    json_obj_set_str(o, "snippet", snippet_html(h->snippet, a));
    char iso[32];
    time_fmt_iso_utc(h->post.published_at, iso);
    json_obj_set_str(o, "date", arena_str(a, str_from(iso)));
    const struct content_post *p = &h->post;
    if (p->ntags && !p->tags[0].internal)
        json_obj_set_str(o, "section", p->tags[0].name);
    else
        json_obj_set_null(o, "section");
    return o;
}

static enum err_code write_json(struct json *root, struct response *res, struct err *err)
{
    res->content_type = "application/json; charset=utf-8";
    buf_reset(&res->body);
    enum err_code rc = json_write(root, JSON_WRITE_COMPACT, &res->body, err);
    json_free(root);
    return rc;
}

enum err_code site_search_json(struct app *app, const struct request *req, struct response *res,
                               struct err *err)
{
    struct search_ask ask;
    ask_read(req, SEARCH_PREFIX_LAST, &ask);
    if (ask.parsed)
        return err_set(err, ERR_INVALID, "%s", ask.parse_err.msg);
    if (ask.cursor_text.len)
        return err_set(err, ERR_INVALID, "suggestions have no further pages");
    if (ask.q.store.nterms && limited(app, req, res)) {
        res->content_type = "application/json; charset=utf-8";
        buf_reset(&res->body);
        buf_puts(&res->body, "{\"error\":\"too many searches: try again in a few seconds\"}");
        res->status = 429;
        return ERR_OK;
    }
    http_response_dep(res, "list");
    struct store_search_hit *hits;
    size_t n;
    int64_t total;
    bool more;
    enum err_code rc = run(req, &ask, SEARCH_JSON_RESULTS, &hits, &n, &total, &more, err);
    if (rc)
        return rc;
    struct json *root = json_obj_new();
    json_obj_set_str(root, "query", ask.q.normal);
    json_obj_set_int(root, "total", total);
    json_obj_set_bool(root, "more", more);
    struct json *list = json_arr_new();
    for (size_t i = 0; i < n; i++)
        json_arr_push(list, hit_json(&hits[i], req->arena));
    json_obj_set(root, "results", list);
    return write_json(root, res, err);
}

/* OpenSearch 1.1 (opensearch.org, "OpenSearch description document"). */
enum err_code site_opensearch(struct app *app, const struct request *req, struct response *res,
                              struct err *err)
{
    (void)req;
    (void)err;
    const struct site_settings *s = &app->site->settings;
    struct buf *b = &res->body;
    res->content_type = "application/opensearchdescription+xml; charset=utf-8";
    buf_reset(b);
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                "  <ShortName>");
    /* ShortName: at most 16 characters (the spec); a longer title is cut at a character */
    size_t cut = s->title.len;
    for (size_t chars = 0, i = 0; i < s->title.len; i++) {
        if (((unsigned char)s->title.ptr[i] & 0xC0) != 0x80 && chars++ == 16) {
            cut = i;
            break;
        }
    }
    buf_append_html(b, s->title.ptr, cut);
    buf_puts(b, "</ShortName>\n  <Description>Search ");
    buf_append_html(b, s->title.ptr, s->title.len);
    buf_puts(b, "</Description>\n  <InputEncoding>UTF-8</InputEncoding>\n"
                "  <Url type=\"text/html\" method=\"get\" template=\"");
    buf_append_html(b, s->url.ptr, s->url.len);
    buf_puts(b, "/search/?q={searchTerms}\"/>\n"
                "  <Url type=\"application/json\" method=\"get\" template=\"");
    buf_append_html(b, s->url.ptr, s->url.len);
    buf_puts(b, "/search.json?q={searchTerms}\"/>\n"
                "  <Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"");
    buf_append_html(b, s->url.ptr, s->url.len);
    buf_puts(b, "/opensearch.xml\"/>\n</OpenSearchDescription>\n");
    return ERR_OK;
}
