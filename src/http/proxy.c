/*
 * Trusted reverse proxies, and the client's address behind them.
 *
 * X-Forwarded-For is a list each proxy appends to: the left-most entries are whatever the
 * client wrote, and only the entries added by proxies we trust are facts. So the client
 * is the right-most entry that a trusted proxy did not add: the first untrusted one
 * walking from the right (what nginx's real_ip_recursive and Go's and Rails' trusted-proxy
 * resolvers do). Taking the left-most instead let a client choose its own rate-limit key
 * on every request.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* An address as inet_pton reads it; IPv4-mapped IPv6 addresses become IPv4. */
struct addr {
    int family; /* AF_INET or AF_INET6 */
    unsigned char b[16];
};

static bool addr_parse(struct str s, struct addr *out)
{
    char text[INET6_ADDRSTRLEN];
    if (s.len == 0 || s.len >= sizeof(text))
        return false;
    memcpy(text, s.ptr, s.len);
    text[s.len] = '\0';
    memset(out, 0, sizeof(*out));
    if (inet_pton(AF_INET, text, out->b) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, text, out->b) != 1)
        return false;
    out->family = AF_INET6;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(out->b, mapped, sizeof(mapped)) == 0) {
        memmove(out->b, out->b + 12, 4);
        memset(out->b + 4, 0, 12);
        out->family = AF_INET;
    }
    return true;
}

/* Whether the first bits bits of a and b are equal. */
static bool prefix_eq(const unsigned char *a, const unsigned char *b, unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, b, whole) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || ((a[whole] ^ b[whole]) & mask) == 0;
}

static bool net_has(const struct http_net *n, const struct addr *a)
{
    return n->family == a->family && prefix_eq(n->addr, a->b, n->bits);
}

void http_proxies_init(struct http_proxies *p)
{
    memset(p, 0, sizeof(*p));
}

/* One "ADDR" or "ADDR/BITS"; spec is the entry as given, for the messages. */
static enum err_code net_parse(struct str spec, struct http_net *out, struct err *err)
{
    const char *slash = memchr(spec.ptr, '/', spec.len);
    struct str host = {spec.ptr, slash ? (size_t)(slash - spec.ptr) : spec.len};
    struct addr a;
    if (!addr_parse(host, &a))
        return err_set(err, ERR_INVALID, "'%.*s' is not an IP address or network", (int)spec.len,
                       spec.ptr);
    unsigned max = a.family == AF_INET ? 32 : 128;
    int64_t bits = max;
    if (slash && (!str_to_i64((struct str){slash + 1, spec.len - host.len - 1}, &bits) ||
                  bits < 0 || bits > max))
        return err_set(err, ERR_INVALID, "'%.*s': the prefix length must be 0 to %u", (int)spec.len,
                       spec.ptr, max);
    *out = (struct http_net){.family = a.family, .bits = (unsigned)bits};
    memcpy(out->addr, a.b, sizeof(out->addr));
    struct addr masked = {a.family, {0}};
    memcpy(masked.b, a.b, (size_t)bits / 8);
    if (bits % 8)
        masked.b[bits / 8] = a.b[bits / 8] & (unsigned char)(0xff << (8 - bits % 8));
    if (memcmp(masked.b, a.b, sizeof(a.b)) != 0)
        return err_set(err, ERR_INVALID,
                       "'%.*s' has bits set past its /%u prefix (a typo for /%u?)", (int)spec.len,
                       spec.ptr, (unsigned)bits, max);
    return ERR_OK;
}

enum err_code http_proxies_add(struct http_proxies *p, const char *list, struct err *err)
{
    struct str rest = str_from(list);
    do {
        const char *comma = memchr(rest.ptr, ',', rest.len);
        size_t n = comma ? (size_t)(comma - rest.ptr) : rest.len;
        struct str spec = str_trim((struct str){rest.ptr, n});
        if (p->n == HTTP_PROXIES_MAX)
            return err_set(err, ERR_TOOBIG, "'%.*s': more than %d trusted proxies", (int)spec.len,
                           spec.ptr, HTTP_PROXIES_MAX);
        enum err_code rc = net_parse(spec, &p->nets[p->n], err);
        if (rc)
            return rc;
        p->n++;
        rest.ptr += n + (comma ? 1 : 0);
        rest.len -= n + (comma ? 1 : 0);
        if (comma && rest.len == 0)
            return err_set(err, ERR_INVALID, "'' is not an IP address or network");
    } while (rest.len);
    return ERR_OK;
}

bool http_proxies_has(const struct http_proxies *p, struct str address)
{
    struct addr a;
    if (!p || !addr_parse(address, &a))
        return false;
    for (size_t i = 0; i < p->n; i++)
        if (net_has(&p->nets[i], &a))
            return true;
    return false;
}

bool http_request_via_proxy(const struct request *req, const struct http_proxies *trusted)
{
    return http_proxies_has(trusted, req->peer);
}

/* Takes the right-most comma-separated entry off *list, trimmed; false when none is left. */
static bool pop_last(struct str *list, struct str *entry)
{
    if (!list->ptr || list->len == 0)
        return false;
    size_t i = list->len;
    while (i > 0 && list->ptr[i - 1] != ',')
        i--;
    *entry = str_trim((struct str){list->ptr + i, list->len - i});
    list->len = i ? i - 1 : 0;
    if (i == 0)
        list->ptr = NULL;
    return true;
}

struct str http_client_address(const struct request *req, const struct http_proxies *trusted)
{
    if (!http_request_via_proxy(req, trusted))
        return req->peer;
    struct str left = STR_NULL;
    /* several X-Forwarded-For fields are one list, in order (RFC 9110 §5.3) */
    for (size_t i = req->nheaders; i-- > 0;) {
        if (!str_eq_cstr(req->headers[i].name, "x-forwarded-for"))
            continue;
        struct str list = req->headers[i].value, entry;
        while (pop_last(&list, &entry)) {
            struct addr a;
            if (!addr_parse(entry, &a))
                return req->peer; /* never garbage as a key: the proxy is the best we know */
            if (!http_proxies_has(trusted, entry))
                return entry;
            left = entry;
        }
    }
    return left.ptr ? left : req->peer;
}
