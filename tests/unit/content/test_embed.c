/*
 * Embed cards (src/content/embed.c, the pass in markdown.c): every accepted form of each
 * site's links with the exact card it renders to, and the links that must stay plain
 * links: other schemes and hosts, look-alike hosts, tricks in the authority, bad ids,
 * over-long URLs, and links that are not alone in a top-level paragraph.
 */
#include "content/content.h"
#include "content/content_int.h"

#include "support.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

static struct arena a;
static struct err err;

static void setup(void)
{
    arena_init(&a);
    err = (struct err){ERR_OK, ""};
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(content_embed, .init = setup, .fini = teardown, .timeout = 30);

static const char *render(const char *md, struct str *text)
{
    struct str html, t;
    enum err_code rc = content_markdown_render(str_from(md), NULL, &a, &html, &t, &err);
    cr_assert_eq(rc, ERR_OK, "%s: %s", md, err.msg);
    if (text)
        *text = t;
    return html.ptr;
}

/* The card the renderer must write, from its parts (see content_int.h). */
static const char *card(const char *cls, const char *player, const char *title, const char *href,
                        const char *text, const char *name)
{
    return arena_printf(&a,
                        "<figure class=\"embed %s\" data-embed=\"%s\" data-embed-title=\"%s\">"
                        "<p class=\"embed-link\"><a href=\"%s\" rel=\"noopener nofollow\">%s</a>"
                        "</p><figcaption><span class=\"embed-provider\">%s</span></figcaption>"
                        "</figure>\n",
                        cls, player, title, href, text, name);
}

Test(content_embed, youtube_card_exactly)
{
    struct str text;
    const char *html = render("https://youtu.be/dQw4w9WgXcQ", &text);
    cr_expect_str_eq(
        html,
        "<figure class=\"embed embed-youtube embed-video\" "
        "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" "
        "data-embed-title=\"YouTube video\"><p class=\"embed-link\"><a "
        "href=\"https://youtu.be/dQw4w9WgXcQ\" rel=\"noopener nofollow\">"
        "https://youtu.be/dQw4w9WgXcQ</a></p><figcaption><span class=\"embed-provider\">YouTube"
        "</span></figcaption></figure>\n");
    cr_expect_str_eq(text.ptr, "https://youtu.be/dQw4w9WgXcQ", "the plain text is the link's");
}

static const struct {
    const char *url;
    const char *cls;
    const char *player;
    const char *title;
} accepted[] = {
    /* YouTube: watch (other parameters ignored), shorts, youtu.be; www, m and bare hosts */
    {"https://www.youtube.com/watch?v=dQw4w9WgXcQ", "embed-youtube embed-video",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video"},
    {"https://youtube.com/watch?feature=share&v=a_b-C1d2E3f&t=42#x", "embed-youtube embed-video",
     "https://www.youtube-nocookie.com/embed/a_b-C1d2E3f", "YouTube video"},
    {"https://m.youtube.com/watch?v=dQw4w9WgXcQ", "embed-youtube embed-video",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video"},
    {"https://www.youtube.com/shorts/dQw4w9WgXcQ", "embed-youtube embed-video",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video"},
    {"https://youtu.be/dQw4w9WgXcQ?si=abc", "embed-youtube embed-video",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video"},
    {"https://WWW.YouTube.com/watch?v=dQw4w9WgXcQ", "embed-youtube embed-video",
     "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video"},
    /* X and Twitter */
    {"https://x.com/jack/status/20", "embed-x embed-post",
     "https://platform.twitter.com/embed/Tweet.html?id=20", "X post by @jack"},
    {"https://twitter.com/Kyiv_City/status/1234567890123456789?s=20", "embed-x embed-post",
     "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789",
     "X post by @Kyiv_City"},
    {"https://mobile.twitter.com/jack/status/20/", "embed-x embed-post",
     "https://platform.twitter.com/embed/Tweet.html?id=20", "X post by @jack"},
    {"https://x.com/i/status/20", "embed-x embed-post",
     "https://platform.twitter.com/embed/Tweet.html?id=20", "X post"},
    /* Telegram */
    {"https://t.me/durov/142", "embed-telegram embed-post", "https://t.me/durov/142?embed=1",
     "Telegram post by @durov"},
    {"https://t.me/Kyiv_Metro_News/7?single", "embed-telegram embed-post",
     "https://t.me/Kyiv_Metro_News/7?embed=1", "Telegram post by @Kyiv_Metro_News"},
    /* Instagram */
    {"https://www.instagram.com/p/C1a2B3c4D5e/", "embed-instagram embed-post",
     "https://www.instagram.com/p/C1a2B3c4D5e/embed/", "Instagram post"},
    {"https://instagram.com/reel/C1a_B3-4D5e?igsh=x", "embed-instagram embed-post",
     "https://www.instagram.com/p/C1a_B3-4D5e/embed/", "Instagram post"},
    /* Facebook: posts (numeric and pfbid ids), videos, fb.watch */
    {"https://www.facebook.com/kyivcity/posts/123456789012345", "embed-facebook embed-post",
     "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fkyivcity%"
     "2Fposts%2F123456789012345",
     "Facebook post by kyivcity"},
    {"https://facebook.com/kyiv.city/posts/pfbid02AbCdEfGh1234", "embed-facebook embed-post",
     "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook.com%2Fkyiv.city%"
     "2Fposts%2Fpfbid02AbCdEfGh1234",
     "Facebook post by kyiv.city"},
    {"https://m.facebook.com/kyivcity/videos/987654321/", "embed-facebook embed-video",
     "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fkyivcity%"
     "2Fvideos%2F987654321",
     "Facebook video by kyivcity"},
    {"https://fb.watch/aBc-12_X/", "embed-facebook embed-video",
     "https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Ffb.watch%2FaBc-12_X%2F",
     "Facebook video"},
    /* Bluesky: a domain handle (lowercased) or a did:plc */
    {"https://bsky.app/profile/Jay.bsky.team/post/3l6oveex3ii2l", "embed-bluesky embed-post",
     "https://embed.bsky.app/embed/jay.bsky.team/app.bsky.feed.post/3l6oveex3ii2l",
     "Bluesky post by @jay.bsky.team"},
    {"https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3l6oveex3ii2l",
     "embed-bluesky embed-post",
     "https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/"
     "3l6oveex3ii2l",
     "Bluesky post"},
};

static const char *name_of(const char *cls)
{
    static const char *const names[][2] = {
        {"embed-youtube", "YouTube"},   {"embed-x", "X"},
        {"embed-telegram", "Telegram"}, {"embed-instagram", "Instagram"},
        {"embed-facebook", "Facebook"}, {"embed-bluesky", "Bluesky"},
    };
    for (size_t i = 0; i < ARRAY_LEN(names); i++) {
        size_t n = strlen(names[i][0]);
        if (strncmp(cls, names[i][0], n) == 0 && cls[n] == ' ')
            return names[i][1];
    }
    cr_assert_fail("no provider in '%s'", cls);
    return NULL;
}

/* '&' as HTML writes it in an attribute */
static const char *amp(const char *s)
{
    struct buf b;
    buf_init(&b, 4096);
    buf_append_html(&b, s, strlen(s));
    const char *out = arena_strdup(&a, buf_str(&b).ptr);
    buf_release(&b);
    return out;
}

Test(content_embed, every_accepted_form_bare_bracketed_and_named)
{
    for (size_t i = 0; i < ARRAY_LEN(accepted); i++) {
        const char *u = accepted[i].url, *name = name_of(accepted[i].cls);
        const char *href = amp(u);
        const char *forms[][2] = {
            {u, href},
            {arena_printf(&a, "<%s>", u), href},
            {arena_printf(&a, "[The *story* `here`](%s \"a title\")", u), "The story here"},
        };
        for (size_t f = 0; f < ARRAY_LEN(forms); f++) {
            const char *want = card(accepted[i].cls, amp(accepted[i].player), accepted[i].title,
                                    href, forms[f][1], name);
            cr_expect_str_eq(render(forms[f][0], NULL), want, "%s", forms[f][0]);
        }
    }
}

Test(content_embed, plain_text_is_the_link_text_and_text_is_escaped)
{
    struct str text;
    const char *html = render("Before.\n\n[Mayor &lt;live&gt; \"now\" &amp; "
                              "later](https://youtu.be/dQw4w9WgXcQ)\n\nAfter.",
                              &text);
    cr_expect_str_eq(text.ptr, "Before.\n\nMayor <live> \"now\" & later\n\nAfter.");
    cr_expect_str_eq(
        html, arena_printf(&a, "<p>Before.</p>\n%s<p>After.</p>\n",
                           card("embed-youtube embed-video",
                                "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
                                "YouTube video", "https://youtu.be/dQw4w9WgXcQ",
                                "Mayor &lt;live&gt; &quot;now&quot; &amp; later", "YouTube")));
    /* an empty link text shows the URL */
    html = render("[](https://t.me/durov/142)", &text);
    cr_expect_neq(strstr(html, "nofollow\">https://t.me/durov/142</a>"), NULL, "%s", html);
}

/* Links that must not become cards, each as a bare autolink and as [t](url). */
static const char *const refused[] = {
    /* other schemes, or none */
    "http://youtu.be/dQw4w9WgXcQ",
    "HTTPS://youtu.be/dQw4w9WgXcQ",
    "javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ",
    "data:text/html,https://youtu.be/dQw4w9WgXcQ",
    "//youtu.be/dQw4w9WgXcQ",
    "https:/youtu.be/dQw4w9WgXcQ",
    "https:///youtu.be/dQw4w9WgXcQ",
    "ftp://youtu.be/dQw4w9WgXcQ",
    /* unknown and look-alike hosts */
    "https://example.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com.evil.org/watch?v=dQw4w9WgXcQ",
    "https://evilyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com./watch?v=dQw4w9WgXcQ",
    "https://music.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://y\xD0\xBEutube.com/watch?v=dQw4w9WgXcQ", /* a Cyrillic o */
    "https://xn--ytube-7ve.com/watch?v=dQw4w9WgXcQ",
    "https://you%74ube.com/watch?v=dQw4w9WgXcQ",
    "https://x.com.evil.org/jack/status/20",
    "https://t.me.evil.org/durov/142",
    "https://bsky.app.evil.org/profile/jay.bsky.team/post/3l6oveex3ii2l",
    /* the authority: a user, a port, a backslash */
    "https://youtube.com@evil.org/watch?v=dQw4w9WgXcQ",
    "https://evil.org@youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com:443/watch?v=dQw4w9WgXcQ",
    "https://evil.org\\@youtube.com/watch?v=dQw4w9WgXcQ",
    /* ids out of their characters or lengths */
    "https://youtu.be/dQw4w9WgXc",
    "https://youtu.be/dQw4w9WgXcQQ",
    "https://youtu.be/dQw4w9WgXc%51",
    "https://youtu.be/dQw4w9WgX'Q",
    "https://www.youtube.com/watch?v=dQw4w9WgX\"Q",
    "https://www.youtube.com/watch?v=<script>xx",
    "https://www.youtube.com/watch?vv=dQw4w9WgXcQ",
    "https://www.youtube.com/watch/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ/more",
    "https://youtu.be//dQw4w9WgXcQ",
    "https://www.youtube.com/shorts/../watch?v=dQw4w9WgXcQ",
    "https://x.com/jack/status/2a0",
    "https://x.com/jack/status/12345678901234567890",
    "https://x.com/a_name_too_long_/status/20",
    "https://x.com/jack/statuses/20",
    "https://x.com/jack/status/20/photo/1",
    "https://t.me/c/1234/56",
    "https://t.me/abcd/142",
    "https://t.me/1durov/142",
    "https://t.me/durov/12345678901",
    "https://t.me/durov",
    "https://www.instagram.com/p/ab\"cd\"/",
    "https://www.instagram.com/stories/C1a2B3c4D5e/",
    "https://www.instagram.com/p/abc/",
    "https://www.facebook.com/../posts/123",
    "https://www.facebook.com/.kyiv/posts/123",
    "https://www.facebook.com/kyivcity/posts/12x",
    "https://www.facebook.com/kyivcity/photos/123",
    "https://fb.watch/",
    "https://bsky.app/profile/-jay.bsky.team/post/3l6oveex3ii2l",
    "https://bsky.app/profile/jay..team/post/3l6oveex3ii2l",
    "https://bsky.app/profile/localhost/post/3l6oveex3ii2l",
    "https://bsky.app/profile/jay.bsky.123/post/3l6oveex3ii2l",
    "https://bsky.app/profile/jay.bsky.team/post/3L6OVEEX3II2L",
    "https://bsky.app/profile/did:web:evil.org/post/3l6oveex3ii2l",
    "https://bsky.app/profile/jay.bsky.team/feed/3l6oveex3ii2l",
};

static void expect_plain(const char *md)
{
    const char *html = render(md, NULL);
    cr_expect_null(strstr(html, "<figure"), "%s -> %s", md, html);
    cr_expect_null(strstr(html, "data-embed"), "%s -> %s", md, html);
}

Test(content_embed, hostile_and_unknown_links_stay_links)
{
    for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
        struct content_embed e;
        cr_expect_not(content_embed_parse(str_from(refused[i]), &a, &e), "%s", refused[i]);
        expect_plain(refused[i]);
        expect_plain(arena_printf(&a, "[watch](%s)", refused[i]));
        expect_plain(arena_printf(&a, "<%s>", refused[i]));
    }
    struct content_embed e;
    cr_expect_not(content_embed_parse(STR_NULL, &a, &e));
    cr_expect_not(content_embed_parse(STR_LIT(""), &a, &e));
    /* entities and escapes are decoded before the check, so they cannot smuggle a quote */
    expect_plain("[x](https://youtu.be/dQw4w9WgX&quot;Q)");
    expect_plain("[x](https://youtu.be/dQw4w9WgX\\\"Q)");
    expect_plain("[x](<https://youtu.be/dQw4w9WgX Q>)");
    /* a blanked javascript: link is not a card either */
    expect_plain("[https://youtu.be/dQw4w9WgXcQ](javascript:alert(1))");
}

Test(content_embed, url_length_cap)
{
    const char *base = "https://www.youtube.com/watch?v=dQw4w9WgXcQ&pad=";
    size_t n = strlen(base);
    char *pad = test_repeat("a", CONTENT_EMBED_URL_MAX - n);
    const char *at_cap = arena_printf(&a, "%s%s", base, pad);
    cr_assert_eq(strlen(at_cap), CONTENT_EMBED_URL_MAX);
    struct content_embed e;
    cr_expect(content_embed_parse(str_from(at_cap), &a, &e), "exactly the cap");
    cr_expect_neq(strstr(render(at_cap, NULL), "<figure"), NULL);
    const char *past = arena_printf(&a, "%sa", at_cap);
    cr_expect_not(content_embed_parse(str_from(past), &a, &e), "one past the cap");
    expect_plain(past);
    free(pad);
}

/* Only a top-level paragraph that is the link and nothing else becomes a card. */
Test(content_embed, only_a_lone_link_in_a_top_level_paragraph)
{
    static const char *const md[] = {
        "Watch https://youtu.be/dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ.",
        "https://youtu.be/dQw4w9WgXcQ https://x.com/jack/status/20",
        "https://youtu.be/dQw4w9WgXcQ\nhttps://x.com/jack/status/20",
        "[a](https://youtu.be/dQw4w9WgXcQ)[b](https://youtu.be/dQw4w9WgXcQ)",
        "**https://youtu.be/dQw4w9WgXcQ**",
        "- https://youtu.be/dQw4w9WgXcQ",
        "1. https://youtu.be/dQw4w9WgXcQ",
        "> https://youtu.be/dQw4w9WgXcQ",
        "# https://youtu.be/dQw4w9WgXcQ",
        "| a |\n|---|\n| https://youtu.be/dQw4w9WgXcQ |",
        "    https://youtu.be/dQw4w9WgXcQ",
        "```\nhttps://youtu.be/dQw4w9WgXcQ\n```",
        "`https://youtu.be/dQw4w9WgXcQ`",
        "[![pic](https://example.com/p.jpg)](https://youtu.be/dQw4w9WgXcQ)",
        "![pic](https://youtu.be/dQw4w9WgXcQ)",
    };
    for (size_t i = 0; i < ARRAY_LEN(md); i++)
        expect_plain(md[i]);
    /* blank around the link is still alone; raw HTML beside it is dropped first */
    cr_expect_neq(strstr(render("   https://youtu.be/dQw4w9WgXcQ   ", NULL), "<figure"), NULL);
    cr_expect_neq(strstr(render("<b>https://youtu.be/dQw4w9WgXcQ</b>", NULL), "<figure"), NULL);
    /* two cards in a row, and text between them untouched */
    const char *html =
        render("https://youtu.be/dQw4w9WgXcQ\n\nbetween\n\nhttps://t.me/durov/142", NULL);
    cr_expect_eq(strncmp(html, "<figure class=\"embed embed-youtube", 34), 0, "%s", html);
    cr_expect_neq(strstr(html, "</figure>\n<p>between</p>\n<figure class=\"embed embed-telegram"),
                  NULL, "%s", html);
}
