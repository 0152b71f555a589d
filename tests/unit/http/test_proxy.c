#include "http/http.h"

#include <criterion/criterion.h>
#include <string.h>

static struct http_proxies p;

static void setup(void)
{
    http_proxies_init(&p);
}

TestSuite(http_proxies, .init = setup);

static bool has(const char *addr)
{
    return http_proxies_has(&p, str_from(addr));
}

static enum err_code add(const char *list, struct err *err)
{
    return http_proxies_add(&p, list, err);
}

Test(http_proxies, ipv4_networks)
{
    cr_assert_eq(add("10.0.0.0/8, 192.168.1.7", NULL), ERR_OK);
    cr_expect(has("10.0.0.1"));
    cr_expect(has("10.255.255.255"));
    cr_expect(!has("11.0.0.0"));
    cr_expect(!has("9.255.255.255"));
    cr_expect(has("192.168.1.7"), "an address alone is a /32");
    cr_expect(!has("192.168.1.8"));
    cr_expect(has("::ffff:10.1.2.3"), "an IPv4-mapped IPv6 address is the IPv4 one");
    cr_expect(!has("::a01:203"), "but an IPv4 network holds no other IPv6 address");
}

Test(http_proxies, prefixes_that_do_not_end_on_a_byte)
{
    cr_assert_eq(add("172.16.0.0/12,100.64.0.0/10", NULL), ERR_OK);
    cr_expect(has("172.16.0.1"));
    cr_expect(has("172.31.255.255"));
    cr_expect(!has("172.32.0.0"));
    cr_expect(!has("172.15.255.255"));
    cr_expect(has("100.127.0.1"));
    cr_expect(!has("100.128.0.1"));
}

Test(http_proxies, ipv6_networks)
{
    cr_assert_eq(add("::1,2001:db8::/32,fc00::/7", NULL), ERR_OK);
    cr_expect(has("::1"));
    cr_expect(has("0:0:0:0:0:0:0:1"), "any spelling of the same address");
    cr_expect(!has("::2"));
    cr_expect(has("2001:db8:ffff::1"));
    cr_expect(!has("2001:db9::1"));
    cr_expect(has("fc00::1") && has("fdff::1"));
    cr_expect(!has("fe00::1"));
    cr_expect(!has("127.0.0.1"), "IPv6 networks hold no IPv4 address");
}

Test(http_proxies, whole_and_single_address_prefixes)
{
    cr_assert_eq(add("0.0.0.0/0", NULL), ERR_OK);
    cr_expect(has("1.2.3.4") && has("255.255.255.255"));
    cr_expect(!has("::1"), "/0 is every address of its family only");
    cr_assert_eq(add("::/0", NULL), ERR_OK);
    cr_expect(has("::1") && has("2001:db8::1"));
    http_proxies_init(&p);
    cr_assert_eq(add("203.0.113.5/32, 2001:db8::5/128", NULL), ERR_OK);
    cr_expect(has("203.0.113.5") && !has("203.0.113.4") && !has("203.0.113.6"));
    cr_expect(has("2001:db8::5") && !has("2001:db8::4") && !has("2001:db8::6"));
}

Test(http_proxies, addresses_that_are_not_addresses_match_nothing)
{
    cr_assert_eq(add("0.0.0.0/0,::/0", NULL), ERR_OK);
    cr_expect(!has(""));
    cr_expect(!has("unknown"));
    cr_expect(!has("10.0.0.1/8"));
    cr_expect(!has(" 10.0.0.1"));
    cr_expect(!has("10.0.0.1:8080"));
    cr_expect(!has("[::1]"));
    cr_expect(!has("1.2.3.4.5"));
    cr_expect(!has("::1::1"));
    cr_expect(!http_proxies_has(NULL, str_from("10.0.0.1")));
}

static void refused(const char *list, const char *in_message)
{
    struct err err = {0};
    cr_expect_eq(add(list, &err), ERR_INVALID, "'%s' is refused", list);
    cr_expect(strstr(err.msg, in_message), "'%s': %s", list, err.msg);
}

Test(http_proxies, bad_entries_are_refused_by_name)
{
    refused("10.0.0.0/33", "'10.0.0.0/33'");
    refused("::1/129", "'::1/129'");
    refused("10.0.0.0/-1", "'10.0.0.0/-1'");
    refused("10.0.0.0/", "'10.0.0.0/'");
    refused("10.0.0.0/8x", "'10.0.0.0/8x'");
    refused("proxy.example.org", "'proxy.example.org'");
    refused("10.0.0", "'10.0.0'");
    refused("10.0.0.1/8", "bits set past");
    refused("2001:db8::1/32", "bits set past");
    refused("fd00::/7", "bits set past");
    refused("", "''");
    refused("10.0.0.1,", "''");
    refused("10.0.0.1,,::1", "''");
    refused("10.0.0.1, 300.0.0.1", "'300.0.0.1'");
}

Test(http_proxies, the_list_has_a_cap)
{
    struct err err = {0};
    for (int i = 0; i < HTTP_PROXIES_MAX; i++)
        cr_assert_eq(add("10.0.0.1", &err), ERR_OK);
    cr_expect_eq(add("10.0.0.2", &err), ERR_TOOBIG);
}

/* ---- the client's address ------------------------------------------------------------ */

static struct str client(const char *peer, const char *xff)
{
    static struct http_header h[2];
    static struct request req;
    memset(&req, 0, sizeof(req));
    req.peer = str_from(peer);
    h[0] = (struct http_header){STR_LIT("host"), STR_LIT("example.org")};
    h[1] = (struct http_header){STR_LIT("x-forwarded-for"), str_from(xff)};
    req.headers = h;
    req.nheaders = xff ? 2 : 1;
    return http_client_address(&req, &p);
}

static void expect_client(const char *peer, const char *xff, const char *want)
{
    struct str got = client(peer, xff);
    cr_expect(str_eq_cstr(got, want), "peer %s, X-Forwarded-For '%s': got '%.*s', want %s", peer,
              xff ? xff : "(none)", (int)got.len, got.ptr, want);
}

Test(http_proxies, the_client_is_the_right_most_untrusted_hop)
{
    cr_assert_eq(add("127.0.0.0/8,::1,10.0.0.0/8", NULL), ERR_OK);
    expect_client("127.0.0.1", "198.51.100.7", "198.51.100.7");
    expect_client("127.0.0.1", "203.0.113.1, 198.51.100.7", "198.51.100.7");
    expect_client("127.0.0.1", "203.0.113.1,198.51.100.7 , 10.0.0.3", "198.51.100.7");
    expect_client("::1", "2001:db8::7, ::1", "2001:db8::7");
    expect_client("127.0.0.1", "10.0.0.9, 10.0.0.3", "10.0.0.9");
    expect_client("127.0.0.1", NULL, "127.0.0.1");
    expect_client("127.0.0.1", "", "127.0.0.1");
}

Test(http_proxies, forwarded_for_is_read_only_from_a_trusted_peer)
{
    cr_assert_eq(add("10.0.0.0/8", NULL), ERR_OK);
    expect_client("127.0.0.1", "198.51.100.7", "127.0.0.1");
    expect_client("203.0.113.1", "198.51.100.7", "203.0.113.1");
    expect_client("10.0.0.2", "198.51.100.7", "198.51.100.7");
    http_proxies_init(&p);
    expect_client("127.0.0.1", "198.51.100.7", "127.0.0.1");
}

Test(http_proxies, garbage_on_the_way_falls_back_to_the_peer)
{
    cr_assert_eq(add("127.0.0.1", NULL), ERR_OK);
    expect_client("127.0.0.1", "198.51.100.7, unknown", "127.0.0.1");
    expect_client("127.0.0.1", "198.51.100.7,", "127.0.0.1");
    expect_client("127.0.0.1", "198.51.100.7:4711", "127.0.0.1");
    expect_client("127.0.0.1", "junk, 198.51.100.7", "198.51.100.7");
    expect_client("127.0.0.1", "junk, 127.0.0.1", "127.0.0.1");
}

Test(http_proxies, several_forwarded_for_fields_are_one_list)
{
    cr_assert_eq(add("127.0.0.1", NULL), ERR_OK);
    struct http_header h[] = {
        {STR_LIT("x-forwarded-for"), STR_LIT("203.0.113.1")},
        {STR_LIT("x-forwarded-for"), STR_LIT("198.51.100.7, 127.0.0.1")},
    };
    struct request req = {.peer = STR_LIT("127.0.0.1"), .headers = h, .nheaders = 2};
    cr_expect(str_eq_cstr(http_client_address(&req, &p), "198.51.100.7"));
    h[1].value = STR_LIT("127.0.0.1");
    cr_expect(str_eq_cstr(http_client_address(&req, &p), "203.0.113.1"));
}
