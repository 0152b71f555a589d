/*
 * Embed cards against the real server: an article with one card per site
 * (tests/browser/embed.mjs watches a real browser's network: nothing leaves 127.0.0.1
 * until the reader clicks, then exactly the player's address), the page's CSP lets that
 * one frame in, and the newsroom's live preview of the same Markdown is byte for byte the
 * body the article shows (one render function for both).
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EMAIL "editor@example.org"
#define PASSWORD "a long and private passphrase"

/* The article's body: a card of each site, with text around them that stays text. */
#define EMBED_MD                                                                                   \
    "The council's statement went out on every channel.\n\n"                                       \
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"                                              \
    "[The mayor's post](https://x.com/kyivcity/status/1234567890123456789)\n\n"                    \
    "<https://t.me/kyiv_metro/142>\n\n"                                                            \
    "https://www.instagram.com/p/C1a2B3c4D5e/\n\n"                                                 \
    "https://www.facebook.com/kyivcity/posts/123456789012345\n\n"                                  \
    "https://bsky.app/profile/kyiv.bsky.social/post/3l6oveex3ii2l\n\n"                             \
    "A link in a sentence stays a link: https://youtu.be/dQw4w9WgXcQ.\n"

static struct srv srv;

static void embed_post(struct srv *s)
{
    srv_add_post(s, "embeds.md",
                 "---\n"
                 "title: The council's statement, everywhere at once\n"
                 "slug: embeds\n"
                 "tags: [News Feed]\n"
                 "authors: [news-desk]\n"
                 "published_at: 2026-11-20T13:00:00Z\n"
                 "---\n" EMBED_MD);
    cr_assert_eq(staff_add(s, EMAIL, "An Editor", "editor", PASSWORD), 0);
}

HTTP_SUITE(http_browser_embed, srv, 300, .posts = 3, .before_start = embed_post);

static int embed(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/embed.mjs %s 'http://127.0.0.1:%d/embeds/' "
                    "'%s/build/artifacts/browser-embed'",
                    check, srv.port, cwd);
}

Test(http_browser_embed, no_request_leaves_until_the_reader_clicks)
{
    cr_expect_eq(embed("click"), 0, "embed.mjs click failed (its checks are above)");
}

Test(http_browser_embed, without_javascript_a_card_is_a_link)
{
    cr_expect_eq(embed("no-js"), 0, "embed.mjs no-js failed (its checks are above)");
}

Test(http_browser_embed, cards_fit_a_phone)
{
    cr_expect_eq(embed("phone"), 0, "embed.mjs phone failed (its checks are above)");
}

/* The quality gates of the reader's pages (tests/browser/gates.mjs) on the cards' page. */
static int gate(const char *name)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/gates.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser-embed' /embeds/",
                    name, srv.port, cwd);
}

Test(http_browser_embed, axe_wcag21_aa_on_the_cards)
{
    cr_expect_eq(gate("axe"), 0, "axe-core found violations on the cards (above)");
}

Test(http_browser_embed, nu_html_checker_on_the_cards)
{
    cr_expect_eq(gate("vnu"), 0, "the Nu HTML Checker found errors on the cards (above)");
}

Test(http_browser_embed, six_cards_and_a_frame_src_for_their_players)
{
    struct resp r;
    http_req(&srv, "GET", "/embeds/", &r);
    cr_assert_eq(r.status, 200);
    cr_expect_eq(body_count(&r, "<figure class=\"embed embed-"), 6);
    static const char *const players[] = {
        "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\"",
        "data-embed=\"https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789\"",
        "data-embed=\"https://t.me/kyiv_metro/142?embed=1\"",
        "data-embed=\"https://www.instagram.com/p/C1a2B3c4D5e/embed/\"",
        "data-embed=\"https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww.facebook."
        "com%2Fkyivcity%2Fposts%2F123456789012345\"",
        "data-embed=\"https://embed.bsky.app/embed/kyiv.bsky.social/app.bsky.feed.post/"
        "3l6oveex3ii2l\"",
    };
    for (size_t i = 0; i < sizeof(players) / sizeof(players[0]); i++)
        cr_expect(body_has(&r, players[i]), "no %s", players[i]);
    cr_expect(body_has(&r, "<p>A link in a sentence stays a link: <a "
                           "href=\"https://youtu.be/dQw4w9WgXcQ\">"));
    cr_expect_eq(body_count(&r, "<iframe"), 0, "no frame until a click");
    char *csp = resp_header(&r, "content-security-policy");
    cr_expect(csp && strstr(csp, "; frame-src https://www.youtube-nocookie.com "
                                 "https://platform.twitter.com https://t.me "
                                 "https://www.instagram.com https://www.facebook.com "
                                 "https://embed.bsky.app; "),
              "%s", csp);
    free(csp);
    resp_free(&r);
}

/* The preview is the article's body exactly: the same function renders both. */
Test(http_browser_embed, the_newsroom_preview_shows_the_same_cards)
{
    struct staff st;
    cr_assert_eq(staff_login(&srv, EMAIL, PASSWORD, &st), 303);
    char *md = form_enc(EMBED_MD);
    size_t n = strlen(md) + 16;
    char *form = malloc(n);
    snprintf(form, n, "markdown=%s", md);
    struct resp preview, article;
    staff_post(&srv, &st, "/admin/preview/", form, &preview);
    cr_assert_eq(preview.status, 200, "%s", preview.body);
    cr_expect_eq(body_count(&preview, "<figure class=\"embed embed-"), 6, "%s", preview.body);
    http_req(&srv, "GET", "/embeds/", &article);
    cr_assert_eq(article.status, 200);
    cr_expect(body_has(&article, preview.body), "the article's body differs from the preview:\n%s",
              preview.body);
    char *csp = resp_header(&preview, "content-security-policy");
    cr_expect(!csp || !strstr(csp, "frame-src https:"), "the newsroom frames nothing: %s", csp);
    free(csp);
    resp_free(&article);
    resp_free(&preview);
    free(form);
    free(md);
}
