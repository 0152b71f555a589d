/*
 * Embed cards: a paragraph that is nothing but a link to a post or a video on one of six
 * sites becomes a card that names the site and keeps the link. The card contacts nobody:
 * no frame, no script, no image of theirs. The theme's script offers a button that loads
 * the site's player, and only that click makes the reader's browser ask the other site
 * for anything (docs/embeds.md).
 *
 * The parser is strict on purpose, because the player URL it builds goes into a frame:
 * https only, a host from the table below spelt exactly (ASCII, no port, no user, no
 * percent escapes, no trailing dot), one path shape per kind of link, and every id
 * checked against the characters and lengths the site uses. Whatever does not match
 * stays a plain link, which is always safe. The player URL is assembled from the checked
 * ids alone; nothing else of the reader-supplied URL reaches it.
 */
#include "content/content_int.h"

#include <string.h>

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define ALNUM DIGITS LOWER UPPER
#define BASE32_SORT "234567" LOWER /* AT Protocol record keys (TIDs) */

/* The most path segments any accepted link has (bsky.app/profile/H/post/K) */
#define SEGS_MAX 4

struct url_parts {
    struct str host;
    struct str segs[SEGS_MAX]; /* the path split at '/', a trailing '/' ignored */
    size_t nsegs;
    struct str query; /* without the '?' */
};

/* True when every byte of s is in set and its length is within [min, max]. */
static bool id_in(struct str s, const char *set, size_t min, size_t max)
{
    if (s.len < min || s.len > max)
        return false;
    size_t n = strlen(set);
    for (size_t i = 0; i < s.len; i++) {
        if (!memchr(set, s.ptr[i], n))
            return false;
    }
    return true;
}

static bool seg_is(const struct url_parts *u, size_t i, const char *lit)
{
    return i < u->nsegs && str_eq_cstr(u->segs[i], lit);
}

/*
 * Printable ASCII other than space and the characters RFC 3986 never allows unescaped;
 * quotes and backslashes are out too (a browser reads "\" as "/" in an https URL).
 * Non-ASCII (an IDN host, a look-alike letter) is refused rather than normalised.
 */
static bool url_chars_ok(struct str url)
{
    static const char bad[] = " \"'<>\\^`{|}";
    for (size_t i = 0; i < url.len; i++) {
        unsigned char c = (unsigned char)url.ptr[i];
        if (c <= 0x20 || c >= 0x7f || memchr(bad, c, sizeof(bad) - 1))
            return false;
    }
    return true;
}

static bool url_split_path(struct str path, struct url_parts *u)
{
    if (!path.len)
        return true;
    const char *p = path.ptr + 1, *end = path.ptr + path.len; /* past the leading '/' */
    while (p < end) {
        const char *slash = memchr(p, '/', (size_t)(end - p));
        const char *stop = slash ? slash : end;
        if (stop == p || u->nsegs == SEGS_MAX)
            return false; /* an empty segment ("//") or too many */
        u->segs[u->nsegs++] = (struct str){p, (size_t)(stop - p)};
        p = slash ? slash + 1 : end;
    }
    return true;
}

/* Splits an absolute https URL; false for anything else. The fragment is ignored. */
static bool url_split(struct str url, struct url_parts *u)
{
    static const char scheme[] = "https://";
    memset(u, 0, sizeof(*u));
    if (url.len > CONTENT_EMBED_URL_MAX || !url_chars_ok(url) || !str_starts_with(url, scheme))
        return false;
    const char *p = url.ptr + sizeof(scheme) - 1, *end = url.ptr + url.len;
    const char *hash = memchr(p, '#', (size_t)(end - p));
    if (hash)
        end = hash;
    const char *q = memchr(p, '?', (size_t)(end - p));
    if (q)
        u->query = (struct str){q + 1, (size_t)(end - q - 1)};
    const char *path_end = q ? q : end;
    const char *slash = memchr(p, '/', (size_t)(path_end - p));
    const char *host_end = slash ? slash : path_end;
    u->host = (struct str){p, (size_t)(host_end - p)};
    /* no user ("@"), no port (":"), no escapes: a host is letters, digits, '.' and '-' */
    if (!id_in(u->host, ALNUM ".-", 1, 253))
        return false;
    return url_split_path((struct str){host_end, (size_t)(path_end - host_end)}, u);
}

/* The value of the first `name=` parameter of a query string, or an empty slice. */
static struct str query_param(struct str query, const char *name)
{
    size_t n = strlen(name);
    const char *p = query.ptr, *end = query.ptr + query.len;
    while (p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if ((size_t)(stop - p) > n && memcmp(p, name, n) == 0 && p[n] == '=')
            return (struct str){p + n + 1, (size_t)(stop - p - n - 1)};
        p = amp ? amp + 1 : NULL;
    }
    return STR_NULL;
}

/* ---- the providers ------------------------------------------------------------------- */

/* What a provider's parser found: the player URL and the frame's name, in the arena. */
struct found {
    struct arena *a;
    struct content_embed *e;
};

static bool found_set(struct found *f, enum content_embed_kind kind, const char *player,
                      const char *title)
{
    f->e->kind = kind;
    f->e->player = str_from(player);
    f->e->title = str_from(title);
    return true;
}

static struct str seg(const struct url_parts *u, size_t i)
{
    return i < u->nsegs ? u->segs[i] : STR_NULL;
}

/* a slice as the two arguments of printf's "%.*s" */
#define STR_FMT(s) (int)(s).len, (s).ptr

/* A YouTube video id is 11 of [A-Za-z0-9_-]; youtube-nocookie.com sets no cookie before play. */
static bool youtube_video(struct str id, struct found *f)
{
    if (!id_in(id, ALNUM "_-", 11, 11))
        return false;
    return found_set(f, CONTENT_EMBED_VIDEO,
                     arena_printf(f->a, "https://www.youtube-nocookie.com/embed/%.*s", STR_FMT(id)),
                     "YouTube video");
}

/* youtube.com/watch?v=ID and youtube.com/shorts/ID */
static bool youtube(const struct url_parts *u, struct found *f)
{
    if (u->nsegs == 1 && seg_is(u, 0, "watch"))
        return youtube_video(query_param(u->query, "v"), f);
    return u->nsegs == 2 && seg_is(u, 0, "shorts") && youtube_video(seg(u, 1), f);
}

/* youtu.be/ID */
static bool youtube_short(const struct url_parts *u, struct found *f)
{
    return u->nsegs == 1 && youtube_video(seg(u, 0), f);
}

/* x.com/USER/status/ID: user names are 1-15 of [A-Za-z0-9_], ids are 64-bit numbers */
static bool x_post(const struct url_parts *u, struct found *f)
{
    struct str user = seg(u, 0), id = seg(u, 2);
    if (u->nsegs != 3 || !seg_is(u, 1, "status") || !id_in(user, ALNUM "_", 1, 15) ||
        !id_in(id, DIGITS, 1, 19))
        return false;
    const char *title = str_eq_cstr(user, "i") /* x.com/i/status/ID names nobody */
                            ? "X post"
                            : arena_printf(f->a, "X post by @%.*s", STR_FMT(user));
    return found_set(
        f, CONTENT_EMBED_POST,
        arena_printf(f->a, "https://platform.twitter.com/embed/Tweet.html?id=%.*s", STR_FMT(id)),
        title);
}

/* t.me/CHANNEL/ID: public user names are 5-32 of [A-Za-z0-9_], starting with a letter */
static bool telegram(const struct url_parts *u, struct found *f)
{
    struct str chan = seg(u, 0), id = seg(u, 1);
    if (u->nsegs != 2 || !id_in(chan, ALNUM "_", 5, 32) ||
        !id_in((struct str){chan.ptr, 1}, LOWER UPPER, 1, 1) || !id_in(id, DIGITS, 1, 10))
        return false;
    return found_set(
        f, CONTENT_EMBED_POST,
        arena_printf(f->a, "https://t.me/%.*s/%.*s?embed=1", STR_FMT(chan), STR_FMT(id)),
        arena_printf(f->a, "Telegram post by @%.*s", STR_FMT(chan)));
}

/* instagram.com/p/ID and /reel/ID: short codes of [A-Za-z0-9_-] */
static bool instagram(const struct url_parts *u, struct found *f)
{
    struct str id = seg(u, 1);
    if (u->nsegs != 2 || !(seg_is(u, 0, "p") || seg_is(u, 0, "reel")) ||
        !id_in(id, ALNUM "_-", 5, 40))
        return false;
    return found_set(f, CONTENT_EMBED_POST,
                     arena_printf(f->a, "https://www.instagram.com/p/%.*s/embed/", STR_FMT(id)),
                     "Instagram post");
}

/*
 * facebook.com/PAGE/posts/ID and /PAGE/videos/ID. The plugin takes the post's address
 * as a parameter; it is rebuilt from the checked parts, whose characters need no escape
 * but ':' and '/'. Post ids are numbers or the newer "pfbid..." strings.
 */
static bool facebook(const struct url_parts *u, struct found *f)
{
    struct str page = seg(u, 0), id = seg(u, 2);
    bool video = seg_is(u, 1, "videos");
    if (u->nsegs != 3 || !(video || seg_is(u, 1, "posts")) || !id_in(page, ALNUM ".-", 1, 80) ||
        !id_in((struct str){page.ptr, 1}, ALNUM, 1, 1))
        return false;
    bool pfbid = !video && str_starts_with(id, "pfbid") &&
                 id_in((struct str){id.ptr + 5, id.len - 5}, ALNUM, 10, 80);
    if (!pfbid && !id_in(id, DIGITS, 1, 25))
        return false;
    const char *plugin = video ? "video" : "post";
    return found_set(f, video ? CONTENT_EMBED_VIDEO : CONTENT_EMBED_POST,
                     arena_printf(f->a,
                                  "https://www.facebook.com/plugins/%s.php?href="
                                  "https%%3A%%2F%%2Fwww.facebook.com%%2F%.*s%%2F%ss%%2F%.*s",
                                  plugin, STR_FMT(page), plugin, STR_FMT(id)),
                     arena_printf(f->a, "Facebook %s by %.*s", plugin, STR_FMT(page)));
}

/* fb.watch/CODE: a short link to a video */
static bool facebook_watch(const struct url_parts *u, struct found *f)
{
    struct str code = seg(u, 0);
    if (u->nsegs != 1 || !id_in(code, ALNUM "_-", 1, 20))
        return false;
    return found_set(f, CONTENT_EMBED_VIDEO,
                     arena_printf(f->a,
                                  "https://www.facebook.com/plugins/video.php?href="
                                  "https%%3A%%2F%%2Ffb.watch%%2F%.*s%%2F",
                                  STR_FMT(code)),
                     "Facebook video");
}

/*
 * A Bluesky handle is a domain name (labels of letters, digits and inner hyphens, at
 * least two, the last not starting with a digit) or a did:plc identifier.
 */
static bool bsky_handle_ok(struct str h)
{
    if (str_starts_with(h, "did:plc:"))
        return id_in((struct str){h.ptr + 8, h.len - 8}, BASE32_SORT, 24, 24);
    if (!id_in(h, ALNUM ".-", 3, 253))
        return false;
    size_t labels = 0, start = 0, last = 0;
    for (size_t i = 0; i <= h.len; i++) {
        if (i < h.len && h.ptr[i] != '.')
            continue;
        size_t n = i - start;
        if (!n || n > 63 || h.ptr[start] == '-' || h.ptr[i - 1] == '-')
            return false;
        labels++;
        last = start;
        start = i + 1;
    }
    return labels >= 2 && !(h.ptr[last] >= '0' && h.ptr[last] <= '9');
}

/*
 * bsky.app/profile/HANDLE/post/RKEY. embed.bsky.app documents its path with a DID; we
 * pass the handle as written (lowercased: handles are case-insensitive) and rely on the
 * embed service resolving it, since resolving it ourselves would be a request to Bluesky
 * at render time (docs/embeds.md). Post record keys are 13-character TIDs.
 */
static bool bluesky(const struct url_parts *u, struct found *f)
{
    struct str handle = seg(u, 1), rkey = seg(u, 3);
    if (u->nsegs != 4 || !seg_is(u, 0, "profile") || !seg_is(u, 2, "post") ||
        !bsky_handle_ok(handle) || !id_in(rkey, BASE32_SORT, 13, 13))
        return false;
    char *h = arena_strndup(f->a, handle.ptr, handle.len);
    for (char *p = h; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + ('a' - 'A') : *p);
    bool did = str_starts_with(handle, "did:");
    return found_set(f, CONTENT_EMBED_POST,
                     arena_printf(f->a, "https://embed.bsky.app/embed/%s/app.bsky.feed.post/%.*s",
                                  h, STR_FMT(rkey)),
                     did ? "Bluesky post" : arena_printf(f->a, "Bluesky post by @%s", h));
}

struct embed_provider {
    const char *id;   /* the card's class: embed-ID */
    const char *name; /* what readers call the site */
};

static const struct embed_provider YOUTUBE = {"youtube", "YouTube"}, X = {"x", "X"},
                                   TELEGRAM = {"telegram", "Telegram"},
                                   INSTAGRAM = {"instagram", "Instagram"},
                                   FACEBOOK = {"facebook", "Facebook"},
                                   BLUESKY = {"bluesky", "Bluesky"};

/* Every host we make cards for, spelt as browsers send it (lowercase, no trailing dot). */
static const struct embed_host {
    const char *host;
    const struct embed_provider *provider;
    bool (*parse)(const struct url_parts *u, struct found *f);
} embed_hosts[] = {
    {"youtube.com", &YOUTUBE, youtube},
    {"www.youtube.com", &YOUTUBE, youtube},
    {"m.youtube.com", &YOUTUBE, youtube},
    {"youtu.be", &YOUTUBE, youtube_short},
    {"x.com", &X, x_post},
    {"www.x.com", &X, x_post},
    {"mobile.x.com", &X, x_post},
    {"twitter.com", &X, x_post},
    {"www.twitter.com", &X, x_post},
    {"mobile.twitter.com", &X, x_post},
    {"t.me", &TELEGRAM, telegram},
    {"instagram.com", &INSTAGRAM, instagram},
    {"www.instagram.com", &INSTAGRAM, instagram},
    {"facebook.com", &FACEBOOK, facebook},
    {"www.facebook.com", &FACEBOOK, facebook},
    {"m.facebook.com", &FACEBOOK, facebook},
    {"fb.watch", &FACEBOOK, facebook_watch},
    {"bsky.app", &BLUESKY, bluesky},
};

bool content_embed_parse(struct str url, struct arena *a, struct content_embed *out)
{
    struct url_parts u;
    if (!url.ptr || !url_split(url, &u))
        return false;
    for (size_t i = 0; i < ARRAY_LEN(embed_hosts); i++) {
        const struct embed_host *h = &embed_hosts[i];
        if (!str_case_eq(u.host, h->host))
            continue;
        struct content_embed e = {h->provider->id, h->provider->name, CONTENT_EMBED_POST, STR_NULL,
                                  STR_NULL};
        struct found f = {a, &e};
        if (!h->parse(&u, &f))
            return false;
        *out = e;
        return true;
    }
    return false;
}

/* ---- the card ------------------------------------------------------------------------ */

static enum err_code put_html(struct buf *b, struct str s)
{
    return buf_append_html(b, s.ptr, s.len);
}

/*
 * The card's markup; see content_int.h for the shape. It holds only what a reader of the
 * story sees: the link and the site's name. The button that loads the player, and the
 * note on what loading means, are the theme script's to add: without it (no JavaScript,
 * a feed reader, the Content API, the newsroom's preview) there is nothing to press, and
 * the word count and reading time count only the story's words.
 */
enum err_code content_embed_card(const struct content_embed *e, struct str url, struct str text,
                                 struct buf *b)
{
    bool video = e->kind == CONTENT_EMBED_VIDEO;
    enum err_code rc = buf_printf(b, "<figure class=\"embed embed-%s embed-%s\" data-embed=\"",
                                  e->provider, video ? "video" : "post");
    if (!rc)
        rc = put_html(b, e->player);
    if (!rc)
        rc = buf_puts(b, "\" data-embed-title=\"");
    if (!rc)
        rc = put_html(b, e->title);
    if (!rc)
        rc = buf_puts(b, "\"><p class=\"embed-link\"><a href=\"");
    if (!rc)
        rc = put_html(b, url);
    if (!rc)
        rc = buf_puts(b, "\" rel=\"noopener nofollow\">");
    if (!rc)
        rc = put_html(b, text.len ? text : url);
    if (!rc)
        rc = buf_printf(b,
                        "</a></p><figcaption><span class=\"embed-provider\">%s</span>"
                        "</figcaption></figure>",
                        e->name);
    return rc;
}
