/*
 * Turning an entry into a response: content negotiation and conditional requests
 * (RFC 9110 12.5.3, 13.1.2, 13.1.3, 13.2.2, 15.4.5).
 */
#include "cache/cache_int.h"

#include <string.h>

/* The q-value of coding in an Accept-Encoding list (0 when absent or refused). */
static double accepts(struct str ae, const char *coding)
{
    size_t clen = strlen(coding);
    while (ae.len) {
        const char *comma = memchr(ae.ptr, ',', ae.len);
        struct str item = {ae.ptr, comma ? (size_t)(comma - ae.ptr) : ae.len};
        ae.ptr += item.len + (comma ? 1 : 0);
        ae.len -= item.len + (comma ? 1 : 0);
        const char *semi = memchr(item.ptr, ';', item.len);
        struct str name =
            str_trim((struct str){item.ptr, semi ? (size_t)(semi - item.ptr) : item.len});
        if (name.len != clen || !str_case_eq(name, coding))
            continue;
        if (!semi)
            return 1.0;
        struct str param = str_trim((struct str){semi + 1, item.len - name.len - 1});
        /* "q=0", "q=0.0", "q=0.000" refuse; anything else accepts */
        if (param.len >= 3 && (param.ptr[0] == 'q' || param.ptr[0] == 'Q') && param.ptr[1] == '=') {
            for (size_t i = 2; i < param.len; i++)
                if (param.ptr[i] >= '1' && param.ptr[i] <= '9')
                    return 1.0;
            return 0.0;
        }
        return 1.0;
    }
    return 0.0;
}

static const struct cache_variant *variant(struct cache_entry *e, enum cache_variant_kind k)
{
    struct cache_variant *v = &e->v[k];
    int st = atomic_load_explicit(&v->state, memory_order_acquire);
    if (st == VARIANT_READY)
        return v;
    int expect = VARIANT_NONE;
    if (st != VARIANT_NONE || !atomic_compare_exchange_strong(&v->state, &expect, VARIANT_BUSY))
        return NULL; /* being made by another thread, or not worth it: use another */
    if (!cache_compress(&e->v[VARIANT_IDENTITY], k, v)) {
        atomic_store(&v->state, VARIANT_USELESS);
        return NULL;
    }
    atomic_fetch_add(&e->bytes, v->len);
    atomic_fetch_add(&e->cache->total_bytes, v->len);
    atomic_store_explicit(&v->state, VARIANT_READY, memory_order_release);
    return v;
}

static const struct cache_variant *negotiate(struct cache_entry *e, const struct request *req,
                                             enum cache_variant_kind *kind)
{
    struct str ae = http_request_header(req, "accept-encoding");
    const struct cache_variant *v = NULL;
    *kind = VARIANT_IDENTITY;
    if (e->compressible && ae.ptr && accepts(ae, "br") > 0 && (v = variant(e, VARIANT_BR)))
        *kind = VARIANT_BR;
    else if (e->compressible && ae.ptr && accepts(ae, "gzip") > 0 && (v = variant(e, VARIANT_GZIP)))
        *kind = VARIANT_GZIP;
    return v ? v : &e->v[VARIANT_IDENTITY];
}

/* If-None-Match against etag, by weak comparison (13.1.2): W/ prefixes do not matter. */
static bool none_match(struct str inm, const char *etag)
{
    struct str tag = str_from(etag);
    while (inm.len) {
        const char *comma = memchr(inm.ptr, ',', inm.len);
        size_t n = comma ? (size_t)(comma - inm.ptr) : inm.len;
        struct str item = str_trim((struct str){inm.ptr, n});
        inm.ptr += n + (comma ? 1 : 0);
        inm.len -= n + (comma ? 1 : 0);
        if (str_eq_cstr(item, "*"))
            return true;
        if (str_starts_with(item, "W/")) {
            item.ptr += 2;
            item.len -= 2;
        }
        if (str_eq(item, tag))
            return true;
    }
    return false;
}

static bool not_modified(const struct cache_entry *e, const struct cache_variant *v,
                         const struct request *req)
{
    if (!(req->method & (HTTP_GET | HTTP_HEAD)))
        return false;
    struct str inm = http_request_header(req, "if-none-match");
    if (inm.ptr) /* 13.2.2: If-None-Match wins over If-Modified-Since */
        return none_match(inm, v->etag);
    struct str ims = http_request_header(req, "if-modified-since");
    int64_t t;
    if (!ims.ptr || !time_parse_http(ims, &t) || t > time_now())
        return false;
    return e->last_modified <= t;
}

void cache_entry_serve(struct cache_entry *e, const struct request *req, struct response *res,
                       bool hit)
{
    enum cache_variant_kind kind;
    const struct cache_variant *v = negotiate(e, req, &kind);
    res->nheaders = 0;
    buf_reset(&res->body);
    if (res->body_release)
        res->body_release(res->body_release_arg);
    res->content_type = e->content_type;
    res->body_release = cache_entry_release;
    res->body_release_arg = e;
    http_response_header_ref(res, STR_LIT("etag"), str_from(v->etag));
    http_response_header_ref(res, STR_LIT("last-modified"), str_from(e->last_modified_str));
    if (e->compressible)
        http_response_header_ref(res, STR_LIT("vary"), STR_LIT("Accept-Encoding"));
    /* for operators and tests: whether this response came from memory or was rendered */
    http_response_header_ref(res, STR_LIT("x-cache"), hit ? STR_LIT("HIT") : STR_LIT("MISS"));
    if (e->cache_control)
        http_response_header_ref(res, STR_LIT("cache-control"), str_from(e->cache_control));
    if (not_modified(e, v, req)) {
        /* 15.4.5: the validators and Vary/Cache-Control a 200 would carry, no body */
        res->status = 304;
        res->content_type = NULL;
        res->body_ref = STR_LIT("");
        return;
    }
    if (kind != VARIANT_IDENTITY)
        http_response_header_ref(res, STR_LIT("content-encoding"),
                                 kind == VARIANT_GZIP ? STR_LIT("gzip") : STR_LIT("br"));
    res->status = 200;
    res->body_ref = (struct str){v->data, v->len};
}
