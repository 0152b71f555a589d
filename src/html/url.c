/*
 * The URLs of links and images: the scheme check, the caller's rewrite, and the page
 * address behind a player frame.
 */
#include "html/html_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Browsers strip leading and trailing C0 controls and spaces from a URL and remove tabs
 * and new lines inside it (URL Standard, basic URL parser), so "java\tscript:" is
 * javascript:. The check is made on the URL so cleaned, and the cleaned URL is written.
 */
static struct str clean(struct str u, struct arena *a)
{
    while (u.len && (unsigned char)u.ptr[0] <= 0x20)
        u.ptr++, u.len--;
    while (u.len && (unsigned char)u.ptr[u.len - 1] <= 0x20)
        u.len--;
    if (!memchr(u.ptr, '\t', u.len) && !memchr(u.ptr, '\n', u.len) && !memchr(u.ptr, '\r', u.len))
        return u;
    char *p = arena_alloc(a, u.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < u.len; i++) {
        if (u.ptr[i] != '\t' && u.ptr[i] != '\n' && u.ptr[i] != '\r')
            p[n++] = u.ptr[i];
    }
    p[n] = '\0';
    return (struct str){p, n};
}

/* The scheme's length (before ':'), 0 when the URL is relative. */
static size_t scheme_len(struct str u)
{
    for (size_t i = 0; i < u.len; i++) {
        char c = u.ptr[i];
        if (c == ':')
            return i;
        if (c == '/' || c == '?' || c == '#')
            return 0;
    }
    return 0;
}

static bool scheme_ok(struct str u, size_t n, bool image)
{
    struct str s = {u.ptr, n};
    if (str_case_eq(s, "http") || str_case_eq(s, "https"))
        return true;
    return !image && str_case_eq(s, "mailto");
}

static void count_scheme(struct html_report *rep, struct str u, size_t n)
{
    if (!rep)
        return;
    char what[32];
    bool word = n && n <= 16;
    for (size_t i = 0; word && i < n; i++) {
        char c = u.ptr[i];
        word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '-' || c == '.';
    }
    if (!word) {
        html_report_add(rep, "bad URL");
        return;
    }
    snprintf(what, sizeof(what), "%.*s: URL", (int)n, u.ptr);
    for (size_t i = 0; i < n; i++)
        what[i] = (char)(what[i] >= 'A' && what[i] <= 'Z' ? what[i] + 32 : what[i]);
    html_report_add(rep, what);
}

struct str html_url_check(struct str u, bool image, const struct html_opts *o,
                          struct html_report *rep, struct arena *a)
{
    if (!u.len)
        return STR_NULL;
    u = clean(u, a);
    if (!u.len)
        return STR_NULL;
    size_t n = scheme_len(u);
    if (n && !scheme_ok(u, n, image)) {
        count_scheme(rep, u, n);
        return STR_NULL;
    }
    if (u.ptr[0] == ':') {
        if (rep)
            html_report_add(rep, "bad URL");
        return STR_NULL;
    }
    if (o && o->url) {
        u = o->url(o->url_ctx, u, image, a);
        if (!u.len)
            return STR_NULL;
    }
    return u;
}

/* The part of s after prefix (ASCII case-insensitive), or STR_NULL. */
static struct str after(struct str s, const char *prefix)
{
    size_t n = strlen(prefix);
    if (s.len < n || strncasecmp(s.ptr, prefix, n) != 0)
        return STR_NULL;
    return (struct str){s.ptr + n, s.len - n};
}

/* The first path segment or query value of s: up to '/', '?', '&', '#' or the end. */
static struct str token(struct str s)
{
    if (!s.ptr)
        return STR_NULL;
    size_t n = strcspn(s.ptr, "/?&#\"'<> ");
    return (struct str){s.ptr, n < s.len ? n : s.len};
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Facebook's plugin frame carries the post's address percent-encoded in href=. */
static struct str facebook_href(struct str q, struct arena *a)
{
    const char *h = strstr(q.ptr, "href=");
    if (!h)
        return STR_NULL;
    h += 5;
    size_t n = strcspn(h, "&#");
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (h[i] == '%' && i + 2 < n + 1 && hexval(h[i + 1]) >= 0 && hexval(h[i + 2]) >= 0) {
            *o++ = (char)(hexval(h[i + 1]) * 16 + hexval(h[i + 2]));
            i += 2;
        } else {
            *o++ = h[i];
        }
    }
    *o = '\0';
    struct str u = {out, (size_t)(o - out)};
    return after(u, "https://www.facebook.com/").ptr ? u : STR_NULL;
}

static struct str player_page(struct str r, struct arena *a)
{
    static const char *const yt[] = {"youtube.com/embed/", "youtube-nocookie.com/embed/"};
    struct str t;
    for (size_t i = 0; i < 2; i++) {
        t = token(after(r, yt[i]));
        if (t.len)
            return str_from(
                arena_printf(a, "https://www.youtube.com/watch?v=%.*s", (int)t.len, t.ptr));
    }
    t = token(after(r, "player.vimeo.com/video/"));
    if (t.len)
        return str_from(arena_printf(a, "https://vimeo.com/%.*s", (int)t.len, t.ptr));
    struct str q = after(r, "platform.twitter.com/embed/Tweet.html?");
    const char *id = q.ptr ? strstr(q.ptr, "id=") : NULL;
    t = id ? token((struct str){id + 3, strlen(id + 3)}) : STR_NULL;
    if (t.len)
        return str_from(arena_printf(a, "https://x.com/i/status/%.*s", (int)t.len, t.ptr));
    t = token(after(r, "instagram.com/p/"));
    if (t.len)
        return str_from(arena_printf(a, "https://www.instagram.com/p/%.*s/", (int)t.len, t.ptr));
    q = after(r, "t.me/");
    t = token(q);
    struct str post = t.len < q.len && q.ptr[t.len] == '/'
                          ? token((struct str){q.ptr + t.len + 1, q.len - t.len - 1})
                          : STR_NULL;
    if (t.len && post.len)
        return str_from(
            arena_printf(a, "https://t.me/%.*s/%.*s", (int)t.len, t.ptr, (int)post.len, post.ptr));
    q = after(r, "facebook.com/plugins/");
    return q.ptr ? facebook_href(q, a) : STR_NULL;
}

struct str html_player_link(struct str src, struct arena *a)
{
    struct str s = arena_str(a, str_trim(src)), r = after(s, "https://");
    if (!r.ptr)
        r = after(s, "http://");
    if (!r.ptr)
        r = after(s, "//");
    if (!r.ptr)
        return STR_NULL;
    struct str w = after(r, "www.");
    return player_page(w.ptr ? w : r, a);
}
