/*
 * The site's settings: which exist, their defaults, and what values they accept.
 * A bad value is refused when it is set, so that serving never meets one.
 */
#include "site/site.h"
#include "site/site_int.h"

#include "store/store.h"

#include <string.h>

static const struct site_setting_def defs[] = {
    {"title", "the site's name, shown in every page title and feed", "Newsdesk"},
    {"description", "one line about the site, for search engines and feeds",
     "The latest news, as it happens."},
    {"url", "the public address, e.g. https://news.example.org", "http://127.0.0.1:8080"},
    {"language", "BCP 47 language tag of the content, e.g. en or uk", "en"},
    {"timezone", "IANA time zone dates are shown in, e.g. Europe/Kyiv", "UTC"},
    {"posts_per_page", "items per page of the feed, 1 to 100", "15"},
    {"contact_email", "the desk's address for reader feedback and news tips", ""},
    {"logo", "the site's logo: an uploaded image's address (/content/images/...) or https://", ""},
    {"icon", "the site's icon (favicon), square: an uploaded image's address or https://", ""},
};

const struct site_setting_def *site_setting_defs(size_t *n)
{
    *n = ARRAY_LEN(defs);
    return defs;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* "en", "uk", "pt-BR", "zh-Hant-TW": a language subtag and alphanumeric subtags. */
static bool language_ok(struct str v)
{
    size_t i = 0, seg = 0;
    if (v.len == 0 || v.len > 35)
        return false;
    for (; i <= v.len; i++) {
        if (i == v.len || v.ptr[i] == '-') {
            if (seg == 0 || seg > 8)
                return false;
            seg = 0;
            continue;
        }
        if (!is_alnum(v.ptr[i]))
            return false;
        seg++;
    }
    for (i = 0; i < v.len && v.ptr[i] != '-'; i++)
        if (!((v.ptr[i] >= 'a' && v.ptr[i] <= 'z') || (v.ptr[i] >= 'A' && v.ptr[i] <= 'Z')))
            return false;
    return i >= 2 && i <= 3;
}

/* An absolute http(s) URL with a host, no query, fragment, spaces or control bytes. */
static bool url_ok(struct str v)
{
    struct str rest;
    if (str_starts_with(v, "https://"))
        rest = (struct str){v.ptr + 8, v.len - 8};
    else if (str_starts_with(v, "http://"))
        rest = (struct str){v.ptr + 7, v.len - 7};
    else
        return false;
    if (rest.len == 0 || rest.ptr[0] == '/' || v.len > 200)
        return false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        if (c <= ' ' || c == 0x7f || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' ||
            c == '\\')
            return false;
    }
    return true;
}

static bool email_ok(struct str v)
{
    const char *at = memchr(v.ptr, '@', v.len);
    if (v.len > 254 || !at || at == v.ptr || memchr(at + 1, '@', v.len - (size_t)(at - v.ptr) - 1))
        return false;
    struct str domain = {at + 1, v.len - (size_t)(at - v.ptr) - 1};
    if (domain.len < 3 || !memchr(domain.ptr, '.', domain.len) || domain.ptr[0] == '.' ||
        domain.ptr[domain.len - 1] == '.')
        return false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
            c == '\\' || c == '(' || c == ')')
            return false;
    }
    return true;
}

static enum err_code check_text(const char *key, struct str v, size_t max, bool required,
                                struct err *err)
{
    if (required && str_trim(v).len == 0)
        return err_set(err, ERR_INVALID, "%s must not be empty", key);
    if (v.len > max)
        return err_set(err, ERR_INVALID, "%s is longer than %zu bytes", key, max);
    if (!utf8_valid(v.ptr, v.len))
        return err_set(err, ERR_INVALID, "%s is not valid UTF-8", key);
    for (size_t i = 0; i < v.len; i++)
        if ((unsigned char)v.ptr[i] < ' ')
            return err_set(err, ERR_INVALID, "%s contains control characters", key);
    return ERR_OK;
}

/* "", a path on this site ("/content/images/..."), or an absolute http(s) URL */
static bool image_ok(struct str v)
{
    if (!v.len)
        return true;
    bool path = v.ptr[0] == '/' && (v.len == 1 || v.ptr[1] != '/');
    if (v.len > 2000 || !(path || str_starts_with(v, "https://") || str_starts_with(v, "http://")))
        return false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        if (c <= ' ' || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
            return false;
    }
    return true;
}

static enum err_code check_value(const char *key, struct str v, struct err *err)
{
    if (strcmp(key, "title") == 0)
        return check_text(key, v, 200, true, err);
    if (strcmp(key, "description") == 0)
        return check_text(key, v, 500, false, err);
    if (strcmp(key, "url") == 0 && !url_ok(v))
        return err_set(err, ERR_INVALID,
                       "url must be an absolute http:// or https:// address without query, "
                       "e.g. https://news.example.org");
    if (strcmp(key, "language") == 0 && !language_ok(v))
        return err_set(err, ERR_INVALID, "language must be a BCP 47 tag such as 'en' or 'uk'");
    if (strcmp(key, "timezone") == 0) {
        char tz[80];
        if (v.len >= sizeof(tz) || memchr(v.ptr, '\0', v.len))
            return err_set(err, ERR_INVALID, "unknown time zone");
        memcpy(tz, v.ptr, v.len);
        tz[v.len] = '\0';
        if (!time_zone_valid(tz))
            return err_set(err, ERR_INVALID,
                           "unknown time zone '%s' (want an IANA name such as Europe/Kyiv)", tz);
    }
    int64_t n;
    if (strcmp(key, "posts_per_page") == 0 && (!str_to_i64(v, &n) || n < 1 || n > 100))
        return err_set(err, ERR_INVALID, "posts_per_page must be a whole number from 1 to 100");
    if ((strcmp(key, "logo") == 0 || strcmp(key, "icon") == 0) && !image_ok(v))
        return err_set(err, ERR_INVALID,
                       "%s must be an image's address: /content/images/... or https://...", key);
    if (strcmp(key, "contact_email") == 0 && v.len && !email_ok(v))
        return err_set(err, ERR_INVALID, "contact_email must be an e-mail address");
    return ERR_OK;
}

enum err_code site_setting_check(const char *key, struct str value, struct arena *a,
                                 struct str *normalized, struct err *err)
{
    bool known = false;
    for (size_t i = 0; i < ARRAY_LEN(defs); i++)
        known = known || strcmp(defs[i].key, key) == 0;
    if (!known)
        return err_set(err, ERR_INVALID, "unknown setting '%s' (see 'newsdesk settings list')",
                       key);
    struct str v = str_trim(value);
    if (strcmp(key, "url") == 0)
        while (v.len && v.ptr[v.len - 1] == '/')
            v.len--;
    enum err_code rc = check_value(key, v, err);
    if (rc)
        return rc;
    *normalized = arena_str(a, v);
    return ERR_OK;
}

static struct str get(struct store *st, const char *key, struct arena *a, enum err_code *rc,
                      struct err *err)
{
    struct str v;
    const char *fallback = "";
    for (size_t i = 0; i < ARRAY_LEN(defs); i++)
        if (strcmp(defs[i].key, key) == 0)
            fallback = defs[i].fallback;
    enum err_code r = store_setting_get(st, key, a, &v, err);
    if (r == ERR_NOTFOUND)
        return str_from(fallback);
    if (r && !*rc)
        *rc = r;
    return r ? str_from(fallback) : v;
}

enum err_code site_settings_load(struct store *st, struct arena *a, struct site_settings *out,
                                 struct err *err)
{
    enum err_code rc = ERR_OK;
    out->title = get(st, "title", a, &rc, err);
    out->description = get(st, "description", a, &rc, err);
    out->url = get(st, "url", a, &rc, err);
    out->language = get(st, "language", a, &rc, err);
    out->timezone = get(st, "timezone", a, &rc, err);
    out->contact_email = get(st, "contact_email", a, &rc, err);
    site_settings_images(st, get(st, "logo", a, &rc, err), get(st, "icon", a, &rc, err), a, out);
    struct str ppp = get(st, "posts_per_page", a, &rc, err);
    if (!str_to_i64(ppp, &out->posts_per_page) || out->posts_per_page < 1 ||
        out->posts_per_page > 100)
        out->posts_per_page = 15;
    return rc;
}
