/*
 * The site's settings: which exist, their defaults, and what values they accept.
 * A bad value is refused when it is set, so that serving never meets one.
 */
#include "site/site.h"
#include "site/site_int.h"

#include "json/json.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct site_setting_def defs[] = {
    {"title", "Site name", "the site's name, shown in every page title and feed", "Newsdesk"},
    {"description", "Description", "one line about the site, for search engines and feeds",
     "The latest news, as it happens."},
    {"url", "Public address", "the public address, e.g. https://news.example.org",
     "http://127.0.0.1:8080"},
    {"language", "Language", "BCP 47 language tag of the content, e.g. en or uk", "en"},
    {"timezone", "Time zone", "IANA time zone dates are shown in, e.g. Europe/Kyiv", "UTC"},
    {"posts_per_page", "Items per page", "items per page of the feed, 1 to 100", "15"},
    {"contact_email", "Contact e-mail", "the desk's address for reader feedback and news tips", ""},
    {"logo", "Logo",
     "the site's logo: an uploaded image's address (/content/images/...) or https://", ""},
    {"icon", "Icon", "the site's icon (favicon), square: an uploaded image's address or https://",
     ""},
    {"accent_color", "Brand colour",
     "#RRGGBB for links, labels and buttons; at least 4.5:1 against white (empty: the theme's)",
     ""},
    {"navigation", "Navigation",
     "the sections menu: a JSON array of {\"label\", \"url\"}, at most 20 links",
     SITE_NAVIGATION_DEFAULT},
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

/* An absolute http(s) URL with a host, no spaces or control bytes; query and fragment if
 * allowed. */
static bool http_url_ok(struct str v, bool query)
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
        if (c <= ' ' || c == 0x7f || (!query && (c == '?' || c == '#')) || c == '"' || c == '<' ||
            c == '>' || c == '\\')
            return false;
    }
    return true;
}

static bool url_ok(struct str v)
{
    return http_url_ok(v, false);
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

/* ---- the brand colour ------------------------------------------------------------ */

/* WCAG 2.1's relative luminance of one sRGB channel, 0-255. */
static double channel(int v)
{
    double c = v / 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

bool site_color_contrast(struct str hex, double *ratio)
{
    int rgb[3];
    if (hex.len != 7 || hex.ptr[0] != '#')
        return false;
    for (int i = 0; i < 3; i++) {
        int hi = str_hex_digit(hex.ptr[1 + 2 * i]), lo = str_hex_digit(hex.ptr[2 + 2 * i]);
        if (hi < 0 || lo < 0)
            return false;
        rgb[i] = hi * 16 + lo;
    }
    double l = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
    /* white's luminance is 1; to two places down, as shown: 4.499 is 4.49, short of 4.5 */
    *ratio = floor((1.0 + 0.05) / (l + 0.05) * 100) / 100;
    return true;
}

/*
 * The theme draws links, labels and focus rings in the colour on white and white text
 * on it (the initials of a byline): both need WCAG AA's 4.5:1 for normal text.
 */
static enum err_code check_accent(struct str v, struct err *err)
{
    double ratio;
    if (!v.len)
        return ERR_OK;
    if (!site_color_contrast(v, &ratio))
        return err_set(err, ERR_INVALID,
                       "accent_color must be a colour written #RRGGBB, e.g. #b3261e");
    if (ratio < SITE_CONTRAST_MIN)
        return err_set(err, ERR_INVALID,
                       "accent_color %.*s has a contrast of %.2f:1 with white; links and "
                       "buttons need at least %.1f:1 (WCAG AA), so choose a darker colour",
                       (int)v.len, v.ptr, ratio, SITE_CONTRAST_MIN);
    return ERR_OK;
}

/* ---- navigation ------------------------------------------------------------------ */

#define NAV_MAX SITE_NAVIGATION_MAX
#define NAV_LABEL_MAX 60

/* A path on this site ("/tag/world/") or an absolute http(s) address. */
static bool nav_url_ok(struct str v)
{
    bool path = v.len && v.ptr[0] == '/' && (v.len == 1 || v.ptr[1] != '/');
    if (!path && !http_url_ok(v, true))
        return false;
    for (size_t i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        if (c <= ' ' || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
            return false;
    }
    return v.len <= 2000;
}

static enum err_code nav_item(const struct json *o, size_t i, struct arena *a,
                              struct site_nav_item *out, struct err *err)
{
    struct str label, url;
    if (json_kind_of(o) != JSON_KIND_OBJ || !json_as_str(json_obj_get(o, "label"), &label) ||
        !json_as_str(json_obj_get(o, "url"), &url))
        return err_set(err, ERR_INVALID,
                       "navigation link %zu must be {\"label\": \"...\", \"url\": \"...\"}", i + 1);
    label = str_trim(label);
    url = str_trim(url);
    if (!label.len || label.len > NAV_LABEL_MAX)
        return err_set(err, ERR_INVALID, "navigation link %zu needs a label of 1 to %d bytes",
                       i + 1, NAV_LABEL_MAX);
    for (size_t j = 0; j < label.len; j++)
        if ((unsigned char)label.ptr[j] < ' ')
            return err_set(err, ERR_INVALID, "navigation link %zu's label has control characters",
                           i + 1);
    if (!nav_url_ok(url))
        return err_set(err, ERR_INVALID,
                       "navigation link '%.*s' needs an address on this site (/tag/world/) or "
                       "an https:// one",
                       (int)label.len, label.ptr);
    out->label = arena_str(a, label);
    out->url = arena_str(a, url);
    return ERR_OK;
}

enum err_code site_navigation_parse(struct str text, struct arena *a, struct site_nav_item **out,
                                    size_t *n, struct err *err)
{
    const struct json_limits lim = {64 * 1024, 4};
    struct json *root = NULL;
    *out = NULL;
    *n = 0;
    if (!str_trim(text).len)
        return ERR_OK;
    enum err_code rc = json_parse(text, &lim, &root, err);
    if (rc) {
        char why[sizeof(err->msg)];
        memcpy(why, err->msg, sizeof(why));
        return err_set(err, ERR_INVALID, "navigation is not a JSON array of links: %s", why);
    }
    size_t len = json_arr_len(root);
    if (json_kind_of(root) != JSON_KIND_ARR || len > NAV_MAX) {
        json_free(root);
        return err_set(err, ERR_INVALID,
                       "navigation must be a JSON array of at most %d {\"label\", \"url\"} links",
                       NAV_MAX);
    }
    struct site_nav_item *items = arena_calloc(a, len ? len : 1, sizeof(*items));
    for (size_t i = 0; !rc && i < len; i++)
        rc = nav_item(json_arr_get(root, i), i, a, &items[i], err);
    json_free(root);
    if (rc)
        return rc;
    *out = items;
    *n = len;
    return ERR_OK;
}

struct str site_navigation_json(const struct site_nav_item *items, size_t n, struct arena *a)
{
    struct json *arr = json_arr_new();
    for (size_t i = 0; i < n; i++) {
        struct json *o = json_obj_new();
        json_obj_set_str(o, "label", items[i].label);
        json_obj_set_str(o, "url", items[i].url);
        json_arr_push(arr, o);
    }
    struct buf b;
    buf_init(&b, 256 * 1024);
    json_write(arr, JSON_WRITE_COMPACT, &b, NULL);
    json_free(arr);
    struct str s = arena_str(a, (struct str){b.ptr, b.len});
    buf_release(&b);
    return s;
}

/* The stored form: the links as parsed, written compactly (Ghost's shape). */
static enum err_code normalize_navigation(struct str v, struct arena *a, struct str *out,
                                          struct err *err)
{
    struct site_nav_item *items;
    size_t n;
    enum err_code rc = site_navigation_parse(v, a, &items, &n, err);
    if (!rc)
        *out = site_navigation_json(items, n, a);
    return rc;
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
    if (strcmp(key, "accent_color") == 0)
        return check_accent(v, err);
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
    if (strcmp(key, "navigation") == 0)
        return normalize_navigation(v, a, normalized, err);
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
    out->accent_color = get(st, "accent_color", a, &rc, err);
    out->navigation = get(st, "navigation", a, &rc, err);
    site_settings_images(st, get(st, "logo", a, &rc, err), get(st, "icon", a, &rc, err), a, out);
    struct str ppp = get(st, "posts_per_page", a, &rc, err);
    if (!str_to_i64(ppp, &out->posts_per_page) || out->posts_per_page < 1 ||
        out->posts_per_page > 100)
        out->posts_per_page = 15;
    return rc;
}
