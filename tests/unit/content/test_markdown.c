/*
 * Markdown rendering: the golden data in tests/spec/markdown/, the input checks, and the
 * pathological shapes that Debian's cmark-gfm handles in worse than linear time (see
 * src/content/mdguard.c). Inputs are ~100 KB, so each test takes well under a second
 * even under the sanitizers; the timeouts only catch a regression to quadratic time.
 */
#include "content/content.h"
#include "content/content_int.h"

#include "support.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

TestSuite(content_markdown, .init = setup, .fini = teardown, .timeout = 30);

static enum err_code render(struct str md, struct str *html, struct str *text)
{
    return content_markdown_render(md, NULL, &a, html, text, &err);
}

static void run_spec(const char *file, bool plain)
{
    const char *dir = getenv("NEWSDESK_SPEC");
    char path[1024];
    snprintf(path, sizeof(path), "%s/markdown/%s", dir && *dir ? dir : "tests/spec", file);
    size_t n;
    struct spec_example *ex = spec_load(path, &n);
    cr_assert_gt(n, 0, "no examples in %s", path);
    for (size_t i = 0; i < n; i++) {
        struct str html, text;
        enum err_code rc = render(str_from(ex[i].input), &html, &text);
        cr_expect_eq(rc, ERR_OK, "%s:%d (%s): %s", file, ex[i].line, ex[i].name, err.msg);
        if (rc)
            continue;
        const char *got = html.ptr;
        if (plain)
            got = text.len ? arena_printf(&a, "%s\n", text.ptr) : "";
        cr_expect_str_eq(got, ex[i].expected, "%s:%d (%s):\n--- got\n%s--- want\n%s", file,
                         ex[i].line, ex[i].name, got, ex[i].expected);
    }
    spec_free(ex, n);
}

Test(content_markdown, spec_render)
{
    run_spec("render.txt", false);
}

Test(content_markdown, spec_plaintext)
{
    run_spec("plaintext.txt", true);
}

Test(content_markdown, empty_input)
{
    struct str html, text;
    cr_assert_eq(render(STR_LIT(""), &html, &text), ERR_OK);
    cr_expect_eq(html.len, 0);
    cr_expect_eq(text.len, 0);
    cr_assert_eq(render(STR_NULL, &html, &text), ERR_OK);
    cr_expect_str_eq(html.ptr, "");
    /* a NULL err is allowed, and results are NUL-terminated */
    cr_assert_eq(content_markdown_render(STR_LIT("*hi*"), NULL, &a, &html, &text, NULL), ERR_OK);
    cr_expect_str_eq(html.ptr, "<p><em>hi</em></p>\n");
    cr_expect_str_eq(text.ptr, "hi");
}

/* Renders s (freed here) and checks the code; on failure, nothing was written out. */
static void expect_code(char *s, size_t len, enum err_code want, const char *what)
{
    struct str html = STR_LIT("untouched"), text = STR_LIT("untouched");
    enum err_code rc = render((struct str){s, len}, &html, &text);
    cr_expect_eq(rc, want, "%s: got %s (%s), want %s", what, err_name(rc), err.msg, err_name(want));
    if (rc) {
        cr_expect_str_eq(html.ptr, "untouched", "%s", what);
        cr_expect_str_eq(text.ptr, "untouched", "%s", what);
        cr_expect_neq(err.msg[0], '\0', "%s: no message", what);
    }
    free(s);
    err = (struct err){ERR_OK, ""};
}

static void expect_repeat(const char *unit, size_t n, enum err_code want, const char *what)
{
    char *s = test_repeat(unit, n);
    expect_code(s, strlen(s), want, what);
}

Test(content_markdown, size_cap)
{
    expect_repeat("a", CONTENT_MARKDOWN_MAX, ERR_OK, "exactly the cap");
    expect_repeat("a", CONTENT_MARKDOWN_MAX + 1, ERR_TOOBIG, "one past the cap");
}

Test(content_markdown, invalid_utf8)
{
    static const char *const bad[] = {
        "ok \xC3\x28 bad",    /* continuation byte missing */
        "\xC0\xAF",           /* overlong '/' */
        "\xED\xA0\x80",       /* surrogate */
        "\xF4\x90\x80\x80",   /* past U+10FFFF */
        "truncated \xE2\x82", /* cut at the end */
        "\xFF",
    };
    for (size_t i = 0; i < ARRAY_LEN(bad); i++)
        expect_code(strdup(bad[i]), strlen(bad[i]), ERR_INVALID, bad[i]);
    /* NUL is valid UTF-8; cmark makes it U+FFFD */
    struct str html, text;
    cr_assert_eq(render((struct str){"a\0b", 3}, &html, &text), ERR_OK);
    cr_expect_str_eq(html.ptr, "<p>a\xEF\xBF\xBD"
                               "b</p>\n");
}

/* Whether an href or src attribute in html starts with a scheme we blank. */
static bool has_dangerous_url(const char *html)
{
    static const char *const schemes[] = {"javascript:", "vbscript:", "file:", "data:"};
    for (const char *p = html; (p = strchr(p, '=')); p++) {
        bool attr = (p - html >= 4 && strncmp(p - 4, "href", 4) == 0) ||
                    (p - html >= 3 && strncmp(p - 3, "src", 3) == 0);
        for (size_t i = 0; attr && i < ARRAY_LEN(schemes); i++) {
            if (strncasecmp(p + 2, schemes[i], strlen(schemes[i])) == 0)
                return true;
        }
    }
    return false;
}

Test(content_markdown, urls_blanked_everywhere)
{
    /* cmark itself lets data:image/png through; we must not */
    static const char *const md[] = {
        "[x](data:image/png;base64,AAAA)",
        "![x](data:image/webp;base64,AAAA)",
        "[x](  JAVASCRIPT:alert(1))",
        "[x](java&#x0A;script:alert(1))",
        "[x](&#x20;&#x01;javascript:alert(1))",
        "[x][r]\n\n[r]: <vbscript:msgbox(1)>",
        "![x][r]\n\n[r]: file:///etc/passwd",
        "<data:text/html,x>",
        "<DATA:text/html,x>",
        "| a |\n|---|\n| [x](javascript:alert(1)) |",
        "> - [x](javascript:alert(1))",
        "[![img](javascript:a)](javascript:b)",
    };
    cr_assert(has_dangerous_url("<a href=\"JavaScript:x\">"), "the check itself works");
    cr_assert(has_dangerous_url("<img src=\"data:x\" />"), "the check itself works");
    for (size_t i = 0; i < ARRAY_LEN(md); i++) {
        struct str html, text;
        cr_assert_eq(render(str_from(md[i]), &html, &text), ERR_OK, "%s", md[i]);
        cr_expect_not(has_dangerous_url(html.ptr), "%s -> %s", md[i], html.ptr);
        cr_expect_null(strstr(html.ptr, "<script"), "%s -> %s", md[i], html.ptr);
    }
}

/*
 * A long, ordinary article: tables, links, code, quotes, lists. None of the guards may
 * refuse it, and it must render at a normal speed.
 */
static char *ordinary_article(size_t *len)
{
    struct buf b;
    buf_init(&b, 1 << 22);
    for (int i = 0; i < 300; i++) {
        buf_printf(&b,
                   "## Section %d\n\nKyiv — the city council said on [Monday](https://kyivcity."
                   "gov.ua/news/%d) that **night** metro service, see www.example.com/m%d, "
                   "and desk%d@example.com for tips.\n\n",
                   i, i, i, i);
        buf_printf(&b, "> Quote number %d.\n>\n> — Speaker %d\n\n- item\n- item [ref][r%d]\n\n", i,
                   i, i % 20);
        if (i % 30 == 0) {
            buf_puts(&b, "| a | b | c | d | e | f | g | h | i | j |\n|---|---|---|---|---|---|"
                         "---|---|---|---|\n");
            for (int r = 0; r < 200; r++)
                buf_puts(&b, "| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |\n");
            buf_puts(&b, "\n```json\n[[1, 2], [3, [4, [5]]], {\"a\": \"b\"}]\n```\n\n");
        }
    }
    for (int r = 0; r < 20; r++)
        buf_printf(&b, "[r%d]: https://example.com/reference/%d \"Title %d\"\n", r, r, r);
    return buf_detach(&b, len);
}

Test(content_markdown, ordinary_article_passes)
{
    size_t len;
    char *s = ordinary_article(&len);
    cr_assert_gt(len, 100000);
    struct str html, text;
    cr_assert_eq(render((struct str){s, len}, &html, &text), ERR_OK, "%s", err.msg);
    cr_expect_gt(content_word_count(html), 10000);
    cr_expect_neq(strstr(text.ptr, "Kyiv — the city council said on Monday that night"), NULL);
    free(s);
}

/* Shapes cmark handles in linear time: they must simply complete. */
Test(content_markdown, pathological_accepted)
{
    expect_repeat("[", 50000, ERR_OK, "unclosed brackets");
    char *s = malloc(100001);
    memset(s, '[', 50000);
    memset(s + 50000, ']', 50000);
    expect_code(s, 100000, ERR_OK, "nested brackets");
    expect_repeat("*a ", 30000, ERR_OK, "emphasis openers");
    expect_repeat("a* ", 30000, ERR_OK, "emphasis closers");
    expect_repeat("*a_ ", 25000, ERR_OK, "mismatched emphasis");
    expect_repeat("[a](", 25000, ERR_OK, "unclosed links");
    expect_repeat("[ (](", 20000, ERR_OK, "cmark pattern [ (](");
    expect_repeat("**x [a*b**c*](d)", 6000, ERR_OK, "hard link/emph case");
    expect_repeat("<!--", 25000, ERR_OK, "unclosed comments");
    expect_repeat("<?", 50000, ERR_OK, "unclosed processing instructions");
    expect_repeat("&# ", 30000, ERR_OK, "entity starts");
    expect_repeat("`a", 50000, ERR_OK, "backticks");
    expect_repeat("~~a ", 25000, ERR_OK, "strikethrough");
    expect_repeat("- a\n", 25000, ERR_OK, "a long list");
    expect_repeat("![[]()", 4000, ERR_OK, "image openers, below the limit");
    expect_repeat("> > > > a\n", 10000, ERR_OK, "shallow quotes, many lines");
    s = malloc(100001);
    memset(s, 0, 100000);
    expect_code(s, 100000, ERR_OK, "NUL bytes");
    /* a long list of sources, each used five times */
    struct buf b;
    buf_init(&b, 1 << 20);
    for (int i = 0; i < 600; i++)
        buf_printf(&b, "[r%d]: https://example.com/source/%d \"Source %d\"\n", i, i, i);
    buf_puts(&b, "\n");
    for (int i = 0; i < 3000; i++)
        buf_printf(&b, "[see][r%d] ", i % 600);
    size_t len;
    s = buf_detach(&b, &len);
    expect_code(s, len, ERR_OK, "600 reference definitions");
}

static void expect_toobig(char *s, const char *what)
{
    expect_code(s, strlen(s), ERR_TOOBIG, what);
}

static char *table_with_rows(size_t cols, const char *row, size_t rows)
{
    char *head = test_repeat("a|", cols - 1), *delim = test_repeat("-|", cols - 1),
         *body = test_repeat(row, rows);
    size_t n = strlen(head) + strlen(delim) + strlen(body) + 8;
    char *s = malloc(n);
    snprintf(s, n, "%sa\n%s-\n%s", head, delim, body);
    free(head);
    free(delim);
    free(body);
    return s;
}

/* Shapes Debian's cmark-gfm handles in quadratic time or memory: refused up front. */
Test(content_markdown, pathological_refused)
{
    expect_toobig(test_repeat(">", 100000), "nested block quotes");
    expect_toobig(test_repeat("> - ", 25000), "nested quotes and lists");
    expect_toobig(test_repeat("![[]()", 17000), "cmark pattern ![[]()");
    expect_toobig(test_repeat("www.a_", 17000), "www. links re-scanned");
    expect_toobig(test_repeat("a@", 50000), "email scans");
    expect_toobig(table_with_rows(60, "a\n", 2000), "autocompleted table cells");
    char *row = test_repeat("x|", 66);
    row[strlen(row) - 1] = '\n';
    expect_toobig(table_with_rows(2, row, 100), "table rows with 65 pipes");
    free(row);
    expect_toobig(table_with_rows(100, "a\n", 1), "a table with 100 columns");
    char *s = test_repeat("x\n", 50000);
    memcpy(s + 100000 - 4, "-|-\n", 4);
    expect_toobig(s, "a table header after 50000 lines");
    /* "*a _a *a ... b ... a* a_ a*" nests one emphasis per marker */
    char *open = test_repeat("*a _a ", 100), *close = test_repeat(" a_ a*", 100);
    size_t n = strlen(open) + strlen(close) + 2;
    s = malloc(n);
    snprintf(s, n, "%sb%s", open, close);
    expect_toobig(s, "200 nested emphases");
    free(open);
    free(close);
    /* a 50 KB destination used 2000 times */
    char *url = test_repeat("x", 50000), *uses = test_repeat("[a] ", 2000);
    n = strlen(url) + strlen(uses) + 16;
    s = malloc(n);
    snprintf(s, n, "[a]: /%s\n\n%s", url, uses);
    expect_toobig(s, "reference expansion");
    free(url);
    free(uses);
    /* a title of 30 KB over many lines, with escaped quotes that do not close it */
    char *title = test_repeat("x\\\" y\n", 5000);
    uses = test_repeat("[a] ", 2000);
    n = strlen(title) + strlen(uses) + 32;
    s = malloc(n);
    snprintf(s, n, "[a]: /u \"%s\"\n\n%s", title, uses);
    expect_toobig(s, "a long title expanded");
    free(title);
    free(uses);
    url = test_repeat(")", 50000);
    n = strlen(url) + 16;
    s = malloc(n);
    snprintf(s, n, "www.a.com/%s", url);
    expect_toobig(s, "trailing parentheses of an autolink");
    free(url);
}

/* One emphasis per marker: "*a _a *a ... b ... a* a_ a*" nests `levels` <em>. */
static char *nested_emphasis(size_t levels)
{
    struct buf b;
    buf_init(&b, 1 << 20);
    for (size_t i = 0; i < levels; i++)
        buf_puts(&b, i % 2 ? "_a " : "*a ");
    buf_putc(&b, 'b');
    for (size_t i = levels; i-- > 0;)
        buf_puts(&b, i % 2 ? " a_" : " a*");
    size_t len;
    return buf_detach(&b, &len);
}

Test(content_markdown, depth_limit)
{
    /* document and paragraph are two levels */
    char *s = nested_emphasis(CONTENT_MD_MAX_DEPTH - 2);
    struct str html, text;
    cr_assert_eq(render(str_from(s), &html, &text), ERR_OK, "%s", err.msg);
    cr_expect_eq(strlen(text.ptr), 2 * (CONTENT_MD_MAX_DEPTH - 2) * 2 + 1, "%s", text.ptr);
    free(s);
    expect_toobig(nested_emphasis(CONTENT_MD_MAX_DEPTH - 1), "one level too deep");
    /* quotes: the line-prefix limit comes first */
    char *q = test_repeat("> ", CONTENT_MD_MAX_QUOTE_PREFIX);
    expect_code(q, strlen(q), ERR_OK, "32 nested quotes");
    expect_toobig(test_repeat("> ", CONTENT_MD_MAX_QUOTE_PREFIX + 1), "33 nested quotes");
    /* a thematic break made of many spaced stars is not a nest of lists */
    q = test_repeat("* ", 100);
    expect_code(q, strlen(q), ERR_OK, "a long thematic break");
    expect_toobig(test_repeat("* - ", 50), "mixed markers are nested lists, not a break");
}

Test(content_markdown, table_limits)
{
    char *row = test_repeat("x|", CONTENT_MD_MAX_TABLE_PIPES);
    row[strlen(row) - 1] = '\n';
    char *s = table_with_rows(2, row, 100);
    expect_code(s, strlen(s), ERR_OK, "table rows with 64 pipes");
    free(row);
    s = table_with_rows(CONTENT_MD_MAX_TABLE_PIPES + 1, "a\n", 1000);
    expect_code(s, strlen(s), ERR_OK, "65 columns, 1000 rows");
}

static void *render_in_thread(void *arg)
{
    struct arena ta;
    arena_init(&ta);
    bool ok = true;
    for (int i = 0; i < 20 && ok; i++) {
        struct str h, t;
        enum err_code rc = content_markdown_render(STR_LIT("| a |\n|---|\n| ~~b~~ www.x.com |"),
                                                   NULL, &ta, &h, &t, NULL);
        ok = rc == ERR_OK && strstr(h.ptr, "<del>b</del>") && strstr(h.ptr, "<td>");
    }
    arena_release(&ta);
    return ok ? arg : NULL;
}

/* Criterion forks per test, so the extensions get registered here, by racing threads. */
Test(content_markdown, concurrent_first_use)
{
    pthread_t th[8];
    int ids[8];
    for (size_t i = 0; i < ARRAY_LEN(th); i++)
        cr_assert_eq(pthread_create(&th[i], NULL, render_in_thread, &ids[i]), 0);
    for (size_t i = 0; i < ARRAY_LEN(th); i++) {
        void *ret;
        pthread_join(th[i], &ret);
        cr_expect_eq(ret, &ids[i]);
    }
}
