/*
 * A subscription request's fields (WebSub 5.1) and the checks of a callback URL.
 *
 * The callback is parsed with libcurl's own URL parser, the one that later connects to
 * it: a second parser here could read a crafted URL differently from the client (the
 * "parser differential" behind many SSRF bypasses). Its host is refused at once when it is
 * a literal internal address or "localhost"; a name is resolved only when connecting, and
 * then every address is checked again (hub.c), so a name that resolves inward is caught
 * there without a worker thread waiting on DNS here.
 */
#include "websub/websub.h"

#include "http/http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* An IPv4 address (network order bytes) inside a/bits. */
static bool in4(const unsigned char *ip, unsigned a, unsigned b, unsigned c, unsigned d,
                unsigned bits)
{
    uint32_t addr = (uint32_t)ip[0] << 24 | (uint32_t)ip[1] << 16 | (uint32_t)ip[2] << 8 | ip[3];
    uint32_t net = (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
    uint32_t mask = bits ? ~(uint32_t)0 << (32 - bits) : 0;
    return (addr & mask) == (net & mask);
}

/* IANA's special-purpose IPv4 registry, those not globally reachable (RFC 6890 and later). */
static bool v4_public(const unsigned char *ip)
{
    static const struct {
        unsigned char a, b, c, d, bits;
    } nets[] = {
        {0, 0, 0, 0, 8},       /* "this network", 0.0.0.0 included */
        {10, 0, 0, 0, 8},      /* RFC 1918 */
        {100, 64, 0, 0, 10},   /* CGNAT, RFC 6598 */
        {127, 0, 0, 0, 8},     /* loopback */
        {169, 254, 0, 0, 16},  /* link-local (cloud metadata services live here) */
        {172, 16, 0, 0, 12},   /* RFC 1918 */
        {192, 0, 0, 0, 24},    /* IETF protocol assignments */
        {192, 0, 2, 0, 24},    /* TEST-NET-1 */
        {192, 88, 99, 0, 24},  /* 6to4 relay anycast */
        {192, 168, 0, 0, 16},  /* RFC 1918 */
        {198, 18, 0, 0, 15},   /* benchmarking */
        {198, 51, 100, 0, 24}, /* TEST-NET-2 */
        {203, 0, 113, 0, 24},  /* TEST-NET-3 */
        {224, 0, 0, 0, 4},     /* multicast */
        {240, 0, 0, 0, 4},     /* reserved, 255.255.255.255 included */
    };
    for (size_t i = 0; i < ARRAY_LEN(nets); i++)
        if (in4(ip, nets[i].a, nets[i].b, nets[i].c, nets[i].d, nets[i].bits))
            return false;
    return true;
}

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/*
 * IPv6: only global unicast (2000::/3) can be public; within it, the forms that carry an
 * IPv4 address (NAT64 64:ff9b::/96 lies outside it, 6to4 2002::/16 inside) are judged by
 * that address, and documentation, ORCHID and Teredo ranges are refused. Everything
 * outside 2000::/3 is not: ::, ::1, ::ffff:0:0/96 (IPv4-mapped), fc00::/7, fe80::/10,
 * ff00::/8, and the IPv4-compatible ::/96.
 */
static bool v6_public(const unsigned char *ip)
{
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
    if (memcmp(ip, nat64, 12) == 0)
        return v4_public(ip + 12);
    if (all_zero(ip, 10) && ip[10] == 0xff && ip[11] == 0xff)
        return false; /* IPv4-mapped: every use of it here is a trick */
    if ((ip[0] & 0xe0) != 0x20)
        return false;
    if (ip[0] == 0x20 && ip[1] == 0x02) /* 6to4: the IPv4 address in bytes 2..5 */
        return v4_public(ip + 2);
    if (ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0x0d && ip[3] == 0xb8)
        return false; /* documentation, 2001:db8::/32 */
    if (ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0 && ip[3] == 0)
        return false; /* Teredo, 2001::/32: tunnels to an IPv4 address */
    if (ip[0] == 0x20 && ip[1] == 0x01 && ip[2] == 0 && (ip[3] & 0xf0) == 0x10)
        return false; /* ORCHID, 2001:10::/28 */
    return true;
}

bool websub_address_public(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        return v4_public((const unsigned char *)&in->sin_addr);
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        return v6_public(in6->sin6_addr.s6_addr);
    }
    return false;
}

bool websub_literal_public(struct str text)
{
    char buf[64];
    unsigned char ip[16];
    if (text.len >= sizeof(buf))
        return false;
    memcpy(buf, text.ptr, text.len);
    buf[text.len] = '\0';
    if (inet_pton(AF_INET, buf, ip) == 1)
        return v4_public(ip);
    if (inet_pton(AF_INET6, buf, ip) == 1)
        return v6_public(ip);
    return false;
}

/* Whether host is a literal address (with or without brackets); *bare names it without. */
static bool literal(struct str host, struct str *bare)
{
    *bare = host;
    if (host.len >= 2 && host.ptr[0] == '[' && host.ptr[host.len - 1] == ']')
        *bare = (struct str){host.ptr + 1, host.len - 2};
    char buf[64];
    unsigned char ip[16];
    if (bare->len >= sizeof(buf))
        return false;
    memcpy(buf, bare->ptr, bare->len);
    buf[bare->len] = '\0';
    return inet_pton(AF_INET, buf, ip) == 1 || inet_pton(AF_INET6, buf, ip) == 1;
}

/* "localhost" and its subdomains (RFC 6761 6.3), whatever the case and a final dot. */
static bool is_localhost(struct str h)
{
    if (h.len && h.ptr[h.len - 1] == '.')
        h.len--;
    return str_case_eq(h, "localhost") ||
           (h.len > 10 && str_case_eq((struct str){h.ptr + h.len - 10, 10}, ".localhost"));
}

/* The parts of url that the checks need, from libcurl's parser; false when it refuses. */
static bool url_parts(const char *url, char **scheme, char **host, bool *has_fragment)
{
    CURLU *u = curl_url();
    if (!u)
        return false;
    bool ok = curl_url_set(u, CURLUPART_URL, url, CURLU_DISALLOW_USER) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK;
    if (ok && curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK) {
        curl_free(*scheme);
        ok = false;
    }
    char *frag = NULL;
    *has_fragment = ok && curl_url_get(u, CURLUPART_FRAGMENT, &frag, 0) == CURLUE_OK;
    curl_free(frag);
    curl_url_cleanup(u);
    return ok;
}

enum err_code websub_callback_check(struct str callback, bool allow_private, struct arena *a,
                                    struct str *host, struct err *err)
{
    if (callback.len > WEBSUB_CALLBACK_MAX)
        return err_set(err, ERR_INVALID, "hub.callback is longer than %d bytes",
                       WEBSUB_CALLBACK_MAX);
    /* letters, digits and URL punctuation only: no space, control or non-ASCII byte */
    for (size_t i = 0; i < callback.len; i++)
        if ((unsigned char)callback.ptr[i] <= 0x20 || (unsigned char)callback.ptr[i] >= 0x7f)
            return err_set(err, ERR_INVALID,
                           "hub.callback must be a URL without spaces or "
                           "non-ASCII characters (percent-encode them)");
    bool http = str_starts_with(callback, "http://") || str_starts_with(callback, "https://");
    if (!http)
        return err_set(err, ERR_INVALID, "hub.callback must be an http:// or https:// URL");
    char *scheme = NULL, *h = NULL;
    bool fragment = false;
    if (!url_parts(arena_strndup(a, callback.ptr, callback.len), &scheme, &h, &fragment))
        return err_set(err, ERR_INVALID,
                       "hub.callback is not a valid http(s) URL with a host and no user name "
                       "or password");
    bool scheme_ok = !strcmp(scheme, "http") || !strcmp(scheme, "https");
    struct str name = str_from(arena_strdup(a, h));
    curl_free(scheme);
    curl_free(h);
    if (!scheme_ok)
        return err_set(err, ERR_INVALID, "hub.callback must be an http:// or https:// URL");
    if (fragment)
        return err_set(err, ERR_INVALID, "hub.callback must not have a fragment ('#')");
    for (size_t i = 0; i < name.len; i++) /* hosts compare without case (RFC 3986 3.2.2) */
        if (name.ptr[i] >= 'A' && name.ptr[i] <= 'Z')
            ((char *)name.ptr)[i] = (char)(name.ptr[i] - 'A' + 'a');
    struct str bare;
    bool lit = literal(name, &bare);
    if (!allow_private && (is_localhost(name) || (lit && !websub_literal_public(bare))))
        return err_set(err, ERR_INVALID,
                       "hub.callback '%.*s' is a loopback, private or otherwise internal "
                       "address: callbacks must be reachable on the internet",
                       (int)name.len, name.ptr);
    *host = bare;
    return ERR_OK;
}

/* hub.mode, which must be one this hub acts on. */
static enum err_code read_mode(const struct request *req, enum websub_mode *mode, struct err *err)
{
    struct str v;
    enum err_code rc = http_form_get(req, "hub.mode", &v);
    if (rc == ERR_NOTFOUND)
        return err_set(err, ERR_INVALID, "hub.mode is missing: send subscribe or unsubscribe");
    if (rc)
        return err_set(err, ERR_INVALID, "cannot read hub.mode: bad encoding");
    if (str_eq_cstr(v, "subscribe"))
        *mode = WEBSUB_SUBSCRIBE;
    else if (str_eq_cstr(v, "unsubscribe"))
        *mode = WEBSUB_UNSUBSCRIBE;
    else
        return err_set(err, ERR_INVALID,
                       "unknown hub.mode '%.*s': this hub takes subscribe or unsubscribe",
                       (int)(v.len > 40 ? 40 : v.len), v.ptr);
    return ERR_OK;
}

/* An optional field: *v empty when absent; ERR_INVALID when it cannot be decoded. */
static enum err_code read_opt(const struct request *req, const char *name, struct str *v,
                              struct err *err)
{
    enum err_code rc = http_form_get(req, name, v);
    if (rc == ERR_NOTFOUND) {
        *v = STR_LIT("");
        return ERR_OK;
    }
    return rc ? err_set(err, ERR_INVALID, "cannot read %s: bad encoding", name) : ERR_OK;
}

/* hub.lease_seconds: absent is the default; out of bounds is clamped (WebSub 5.1). */
static enum err_code read_lease(const struct request *req, int64_t *lease, struct err *err)
{
    struct str v;
    enum err_code rc = read_opt(req, "hub.lease_seconds", &v, err);
    if (rc)
        return rc;
    *lease = WEBSUB_LEASE_DEFAULT;
    if (!v.len)
        return ERR_OK;
    int64_t n;
    if (v.len > 12 || !str_to_i64(v, &n) || n < 0)
        return err_set(err, ERR_INVALID, "hub.lease_seconds must be a whole number of seconds");
    *lease = n < WEBSUB_LEASE_MIN ? WEBSUB_LEASE_MIN : n > WEBSUB_LEASE_MAX ? WEBSUB_LEASE_MAX : n;
    return ERR_OK;
}

enum err_code websub_request_parse(const struct request *req, bool allow_private,
                                   struct websub_request *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!http_request_is_form(req))
        return err_set(err, ERR_UNSUPPORTED,
                       "send the subscription as application/x-www-form-urlencoded");
    enum err_code rc = read_mode(req, &out->mode, err);
    if (!rc)
        rc = read_opt(req, "hub.topic", &out->topic, err);
    if (!rc && !out->topic.len)
        rc = err_set(err, ERR_INVALID, "hub.topic is missing: send the URL of one of our feeds");
    if (!rc && out->topic.len > WEBSUB_TOPIC_MAX)
        rc = err_set(err, ERR_INVALID, "hub.topic is longer than %d bytes", WEBSUB_TOPIC_MAX);
    if (!rc)
        rc = read_opt(req, "hub.callback", &out->callback, err);
    if (!rc && !out->callback.len)
        rc = err_set(err, ERR_INVALID, "hub.callback is missing: send the URL to notify");
    if (!rc)
        rc = websub_callback_check(out->callback, allow_private, req->arena, &out->host, err);
    if (rc || out->mode == WEBSUB_UNSUBSCRIBE)
        return rc;
    rc = read_opt(req, "hub.secret", &out->secret, err);
    if (!rc && out->secret.len > WEBSUB_SECRET_MAX)
        rc = err_set(err, ERR_INVALID, "hub.secret must be shorter than 200 bytes (WebSub 5.1)");
    return rc ? rc : read_lease(req, &out->lease_seconds, err);
}
