/*
 * libFuzzer target for the HTML converters (html/html.h) on untrusted bytes, with checks
 * beyond the sanitizers: HTML, WordPress's post_content (html_wp_prepare then
 * html_to_markdown), Lexical and Mobiledoc each give valid UTF-8 Markdown without NUL
 * bytes or fail with a message; that Markdown rendered by content/ holds no tag outside
 * what Markdown and our cards produce, and no href or src with a scheme the allowlist
 * refuses; the plain text is valid UTF-8. And the fast parser (src/html/fastparse.c), when
 * it takes an input, gives the Markdown gumbo's tree gives.
 *
 * Build with `make fuzz` (clang -fsanitize=fuzzer); the seeds are fuzz/corpus/html.
 * -max_len=65536 reaches the nesting bounds of src/html/depth.c; -timeout=5 flags a slow
 * input (gumbo's tree builder is quadratic in depth without them).
 */
#include "content/content.h"
#include "html/html.h"
#include "html/html_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_html: %s\n", what);
        abort();
    }
}

static bool allowed_tag(const char *p)
{
    static const char *const tags[] = {
        "p",  "h1",  "h2",     "h3",         "h4",     "h5",    "h6",      "blockquote",
        "ul", "ol",  "li",     "pre",        "code",   "em",    "strong",  "del",
        "a",  "img", "br",     "hr",         "table",  "thead", "tbody",   "tr",
        "th", "td",  "figure", "figcaption", "button", "span",  "picture", "source",
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

static void check_rendered(struct str md, struct arena *a)
{
    struct str html, text;
    struct err err = {ERR_OK, ""};
    if (content_markdown_render(md, NULL, a, &html, &text, &err) != ERR_OK)
        return; /* too large or too pathological for cmark: refused, as any post would be */
    for (const char *p = html.ptr; (p = strchr(p, '<')); p++)
        check(allowed_tag(p + 1), "a tag Markdown does not produce");
    static const char *const bad[] = {"href=\"javascript:", "src=\"javascript:", "href=\"data:",
                                      "src=\"data:", "href=\"vbscript:"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        check(!strcasestr(html.ptr, bad[i]), "a refused scheme in a URL");
}

static void check_md(enum err_code rc, struct str md, struct arena *a)
{
    if (rc) {
        check(rc == ERR_INVALID || rc == ERR_TOOBIG, "unexpected error code");
        check(!md.ptr, "Markdown written on failure");
        return;
    }
    check(utf8_valid(md.ptr, md.len) && strlen(md.ptr) == md.len, "bad Markdown bytes");
    check_rendered(md, a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    arena_init(&a);
    struct str in = {(const char *)data, size}, md, text, wp;
    struct html_report rep = {0};
    check_md(html_to_markdown(in, NULL, &a, &md, &rep, NULL), md, &a);
    struct str ref;
    if (html_to_markdown_gumbo(in, &a, &ref, NULL) == ERR_OK && md.ptr)
        check(str_eq(md, ref), "the fast parser and gumbo disagree");
    if (html_to_plaintext(in, &a, &text, NULL) == ERR_OK)
        check(utf8_valid(text.ptr, text.len) && strlen(text.ptr) == text.len, "bad text");
    if (html_wp_prepare(in, &a, &wp, &rep, NULL) == ERR_OK)
        check_md(html_to_markdown(wp, NULL, &a, &md, &rep, NULL), md, &a);
    check_md(html_lexical_to_markdown(in, NULL, &a, &md, &rep, NULL), md, &a);
    check_md(html_mobiledoc_to_markdown(in, NULL, &a, &md, &rep, NULL), md, &a);
    html_report_format(&rep, &a);
    arena_release(&a);
    return 0;
}
