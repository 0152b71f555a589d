/*
 * libFuzzer target for Markdown rendering, with checks beyond the sanitizers: a refused
 * input leaves a message; what renders is valid UTF-8, holds no tag outside the set
 * cmark-gfm emits for Markdown and our embed cards (so no raw HTML got through), no href
 * or src with a blanked scheme, and no card whose player is not on one of the six player
 * origins. The reading-time and excerpt helpers run over the results too.
 *
 * Build with clang -D_GNU_SOURCE -Isrc -g -O1 -fsanitize=fuzzer,address,undefined over the
 * .c files of src/base and src/content and this file, linking -lcmark-gfm
 * -lcmark-gfm-extensions; run with the seeds in fuzz/corpus/markdown. Long inputs
 * (-max_len=600000) reach the pathological shapes; -timeout=5 flags a slow one.
 */
#include "content/content.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_markdown: %s\n", what);
        abort();
    }
}

static bool allowed_tag(const char *p)
{
    /* what cmark-gfm writes for Markdown, then what an embed card adds (content/embed.c) */
    static const char *const tags[] = {
        "p",          "h1",    "h2",      "h3",     "h4",  "h5",     "h6",
        "blockquote", "ul",    "ol",      "li",     "pre", "code",   "em",
        "strong",     "del",   "a",       "img",    "br",  "hr",     "table",
        "thead",      "tbody", "tr",      "th",     "td",  "figure", "figcaption",
        "button",     "span",  "picture", "source", /* a photo of the site's library
                                                       (content/photo.c) */
    };
    if (*p == '/')
        p++;
    size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
    if (!n || !strchr(" />", p[n]))
        return false;
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        if (strlen(tags[i]) == n && memcmp(p, tags[i], n) == 0)
            return true;
    }
    return false;
}

/*
 * Every card (the only <figure> the renderer writes besides a photo's: a '<' in text or a
 * URL is always escaped) names its player in data-embed, on one of the origins the page
 * CSP frames.
 */
static void check_players(const char *html)
{
    static const char *const players[] = {
        "https://www.youtube-nocookie.com/embed/",
        "https://platform.twitter.com/embed/",
        "https://t.me/",
        "https://www.instagram.com/p/",
        "https://www.facebook.com/plugins/",
        "https://embed.bsky.app/embed/",
    };
    static const char attr[] = " data-embed=\"";
    for (const char *p = html; (p = strstr(p, "<figure ")); p++) {
        if (strncmp(p, "<figure class=\"photo\">", 22) == 0)
            continue;
        const char *v = strstr(p, attr), *gt = strchr(p, '>');
        check(v && gt && v < gt, "a card without a player");
        v += sizeof(attr) - 1;
        bool ok = false;
        for (size_t i = 0; i < sizeof(players) / sizeof(players[0]); i++)
            ok = ok || strncmp(v, players[i], strlen(players[i])) == 0;
        check(ok, "an embed player outside the six origins");
    }
}

static void check_html(const char *html)
{
    static const char *const schemes[] = {"javascript:", "vbscript:", "file:", "data:"};
    for (const char *p = html; (p = strchr(p, '<')); p++)
        check(allowed_tag(p + 1), "a tag Markdown does not produce");
    for (const char *p = html; (p = strstr(p, "=\"")); p++) {
        bool url = (p - html >= 4 && memcmp(p - 4, "href", 4) == 0) ||
                   (p - html >= 3 && memcmp(p - 3, "src", 3) == 0);
        for (size_t i = 0; url && i < sizeof(schemes) / sizeof(schemes[0]); i++)
            check(strncasecmp(p + 2, schemes[i], strlen(schemes[i])) != 0, "dangerous URL");
    }
    check_players(html);
}

/*
 * Images under /content/images/ stand for photos of the library, so the photo markup is
 * fuzzed too: the URL itself (which the input chose) goes into src and srcset, and the
 * alt text and caption into the figure.
 */
static bool find_photo(void *ctx, struct str url, struct arena *a, struct content_photo *out)
{
    (void)ctx;
    if (!str_starts_with(url, "/content/images/"))
        return false;
    *out = (struct content_photo){.width = 3000, .height = 2000, .src = url};
    out->srcset = str_from(arena_printf(a, "%.*s 320w", (int)url.len, url.ptr));
    out->srcset_webp = out->srcset;
    out->caption = url;
    out->credit = STR_LIT("Photo: <b>&</b>");
    out->decorative = url.len % 2;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct err err = {ERR_OK, ""};
    struct str html = STR_NULL, text = STR_NULL;
    struct content_photos photos = {find_photo, NULL, size % 2};
    enum err_code rc = content_markdown_render((struct str){(const char *)data, size}, &photos, &a,
                                               &html, &text, &err);
    if (rc) {
        check(rc == ERR_INVALID || rc == ERR_TOOBIG, "unexpected error code");
        check(err.code == rc && err.msg[0], "error without a message");
        check(!html.ptr && !text.ptr, "results written on failure");
    } else {
        check(utf8_valid(html.ptr, html.len) && strlen(html.ptr) == html.len, "bad html");
        check(utf8_valid(text.ptr, text.len) && strlen(text.ptr) == text.len, "bad text");
        check_html(html.ptr);
        content_reading_minutes(html, 1);
        struct str ex = content_excerpt(STR_NULL, text, 40, &a);
        check(utf8_valid(ex.ptr, ex.len), "excerpt is not UTF-8");
    }
    arena_release(&a);
    return 0;
}
