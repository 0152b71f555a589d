/* The WebSub hub's checks: subscription requests, callbacks, addresses, the signature. */
#include "websub/websub.h"

#include "auth/auth.h"
#include "http/http.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static struct err err;

static enum err_code parse(const char *body, bool allow_private, struct arena *a,
                           struct websub_request *out)
{
    static struct http_header form = {STR_LIT("content-type"),
                                      STR_LIT("application/x-www-form-urlencoded")};
    struct request req = {.arena = a, .body = str_from(body), .headers = &form, .nheaders = 1};
    memset(&err, 0, sizeof(err));
    return websub_request_parse(&req, allow_private, out, &err);
}

Test(websub, a_subscription_reads_every_field)
{
    struct arena a;
    arena_init(&a);
    struct websub_request r;
    cr_assert_eq(parse("hub.mode=subscribe&hub.topic=https%3A%2F%2Fn.example%2Frss%2F"
                       "&hub.callback=https%3A%2F%2FReader.Example%3A8443%2Fcb%3Fx%3D1"
                       "&hub.secret=abc&hub.lease_seconds=7200",
                       false, &a, &r),
                 ERR_OK, "%s", err.msg);
    cr_expect_eq(r.mode, WEBSUB_SUBSCRIBE);
    cr_expect(str_eq_cstr(r.topic, "https://n.example/rss/"));
    cr_expect(str_eq_cstr(r.callback, "https://Reader.Example:8443/cb?x=1"));
    cr_expect(str_eq_cstr(r.host, "reader.example"), "%.*s", (int)r.host.len, r.host.ptr);
    cr_expect(str_eq_cstr(r.secret, "abc"));
    cr_expect_eq(r.lease_seconds, 7200);
    arena_release(&a);
}

Test(websub, leases_default_and_are_clamped)
{
    struct arena a;
    arena_init(&a);
    struct websub_request r;
    const char *base = "hub.mode=subscribe&hub.topic=t&hub.callback=http://203.0.114.1/";
    char body[256];
    cr_assert_eq(parse(base, false, &a, &r), ERR_OK, "%s", err.msg);
    cr_expect_eq(r.lease_seconds, WEBSUB_LEASE_DEFAULT);
    snprintf(body, sizeof(body), "%s&hub.lease_seconds=5", base);
    cr_assert_eq(parse(body, false, &a, &r), ERR_OK);
    cr_expect_eq(r.lease_seconds, WEBSUB_LEASE_MIN);
    snprintf(body, sizeof(body), "%s&hub.lease_seconds=999999999", base);
    cr_assert_eq(parse(body, false, &a, &r), ERR_OK);
    cr_expect_eq(r.lease_seconds, WEBSUB_LEASE_MAX);
    snprintf(body, sizeof(body), "%s&hub.lease_seconds=-1", base);
    cr_expect_eq(parse(body, false, &a, &r), ERR_INVALID);
    snprintf(body, sizeof(body), "%s&hub.lease_seconds=99999999999999999999", base);
    cr_expect_eq(parse(body, false, &a, &r), ERR_INVALID);
    arena_release(&a);
}

Test(websub, bad_requests_name_their_field)
{
    struct arena a;
    arena_init(&a);
    struct websub_request r;
    struct {
        const char *body, *says;
    } cases[] = {
        {"hub.topic=t&hub.callback=http://203.0.114.1/", "hub.mode is missing"},
        {"hub.mode=publish&hub.topic=t&hub.callback=http://203.0.114.1/", "unknown hub.mode"},
        {"hub.mode=subscribe&hub.callback=http://203.0.114.1/", "hub.topic is missing"},
        {"hub.mode=subscribe&hub.topic=t", "hub.callback is missing"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=file:///etc/passwd", "http://"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=gopher://x/", "http://"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://user@203.0.114.1/", "user name"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://a%20b/", "spaces"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://:80/", "not a valid"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://127.0.0.1/", "internal"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://%5B::1%5D/", "internal"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://localhost:80/", "internal"},
        {"hub.mode=subscribe&hub.topic=t&hub.callback=http://x/&hub.secret=%ZZ", "encoding"},
    };
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        cr_expect_eq(parse(cases[i].body, false, &a, &r), ERR_INVALID, "%s", cases[i].body);
        cr_expect(strstr(err.msg, cases[i].says), "%s: '%s'", cases[i].body, err.msg);
    }
    char secret[512] = "hub.mode=subscribe&hub.topic=t&hub.callback=http://x.example/&hub.secret=";
    size_t n = strlen(secret);
    memset(secret + n, 'k', WEBSUB_SECRET_MAX);
    secret[n + WEBSUB_SECRET_MAX] = '\0';
    cr_expect_eq(parse(secret, false, &a, &r), ERR_OK, "199 bytes are allowed: %s", err.msg);
    secret[n + WEBSUB_SECRET_MAX] = 'k';
    secret[n + WEBSUB_SECRET_MAX + 1] = '\0';
    cr_expect_eq(parse(secret, false, &a, &r), ERR_INVALID, "200 bytes are not");
    arena_release(&a);
}

Test(websub, allow_private_lets_loopback_callbacks_through)
{
    struct arena a;
    arena_init(&a);
    struct websub_request r;
    cr_expect_eq(
        parse("hub.mode=unsubscribe&hub.topic=t&hub.callback=http://127.0.0.1:9/", true, &a, &r),
        ERR_OK, "%s", err.msg);
    cr_expect_eq(r.mode, WEBSUB_UNSUBSCRIBE);
    cr_expect(str_eq_cstr(r.host, "127.0.0.1"));
    struct str host;
    cr_expect_eq(websub_callback_check(STR_LIT("http://[::1]:8/x"), true, &a, &host, &err), ERR_OK);
    cr_expect(str_eq_cstr(host, "::1"), "%.*s", (int)host.len, host.ptr);
    arena_release(&a);
}

Test(websub, addresses_inside_are_not_public)
{
    const char *inside[] = {"127.0.0.1",
                            "10.0.0.1",
                            "172.31.255.255",
                            "192.168.0.1",
                            "169.254.169.254",
                            "100.64.0.1",
                            "100.127.255.255",
                            "0.0.0.0",
                            "224.0.0.251",
                            "255.255.255.255",
                            "::",
                            "::1",
                            "::ffff:10.0.0.1",
                            "::ffff:8.8.8.8",
                            "fc00::1",
                            "fd12:3456::1",
                            "fe80::1",
                            "ff02::1",
                            "64:ff9b::7f00:1",
                            "2002:7f00:1::1",
                            "2001:db8::1",
                            "::127.0.0.1"};
    for (size_t i = 0; i < ARRAY_LEN(inside); i++)
        cr_expect(!websub_literal_public(str_from(inside[i])), "%s", inside[i]);
    const char *outside[] = {"8.8.8.8",         "100.128.0.1",      "172.32.0.1",
                             "2606:4700::1111", "64:ff9b::808:808", "2002:808:808::1"};
    for (size_t i = 0; i < ARRAY_LEN(outside); i++)
        cr_expect(websub_literal_public(str_from(outside[i])), "%s", outside[i]);
    cr_expect(!websub_literal_public(STR_LIT("example.org")));
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
    cr_expect(!websub_address_public((struct sockaddr *)&in6));
    struct sockaddr_in in = {.sin_family = AF_INET};
    inet_pton(AF_INET, "93.184.216.34", &in.sin_addr);
    cr_expect(websub_address_public((struct sockaddr *)&in));
}

/* RFC 4231 test case 6: a key longer than SHA-256's block, as a long hub.secret may be. */
Test(websub, signatures_are_rfc_4231_hmac_sha256)
{
    struct err e = {0};
    cr_assert_eq(auth_init(&e), ERR_OK);
    char key[131];
    memset(key, 0xaa, sizeof(key));
    char hex[65];
    auth_hmac_sha256_hex((struct str){key, sizeof(key)},
                         STR_LIT("Test Using Larger Than Block-Size Key - Hash Key First"), hex);
    cr_expect_str_eq(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    auth_hmac_sha256_hex(STR_LIT("Jefe"), STR_LIT("what do ya want for nothing?"), hex);
    cr_expect_str_eq(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}
