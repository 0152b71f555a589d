#include "content/content.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct arena a;
static struct err err;
static struct content_draft d;

static void setup(void)
{
    arena_init(&a);
    err = (struct err){ERR_OK, ""};
    memset(&d, 0, sizeof(d));
}

static void teardown(void)
{
    arena_release(&a);
}

TestSuite(content_draft, .init = setup, .fini = teardown);

static enum err_code parse(const char *file)
{
    return content_draft_parse(str_from(file), &a, &d, &err);
}

static void expect_str(struct str got, const char *want, const char *what)
{
    cr_expect(str_eq_cstr(got, want), "%s: \"%.*s\", want \"%s\"", what, (int)got.len,
              got.ptr ? got.ptr : "", want);
}

static const char full[] = "---\n"
                           "title: Kyiv metro extends night service\n"
                           "slug: kyiv-metro-night\n"
                           "tags: [News Feed, Transport]\n"
                           "authors: [news-desk]\n"
                           "published_at: 2026-11-26T08:15:00+02:00\n"
                           "excerpt: Trains every 20 minutes\n"
                           "feature_image: https://cdn.example.com/metro.jpg\n"
                           "status: draft\n"
                           "featured: true\n"
                           "---\n"
                           "The **metro** will run.\n"
                           "---\n"
                           "Not front matter.\n";

static void expect_full(const char *body)
{
    expect_str(d.title, "Kyiv metro extends night service", "title");
    expect_str(d.slug, "kyiv-metro-night", "slug");
    cr_assert_eq(d.ntags, 2);
    expect_str(d.tags[0], "News Feed", "tag 0");
    expect_str(d.tags[1], "Transport", "tag 1");
    cr_assert_eq(d.nauthors, 1);
    expect_str(d.authors[0], "news-desk", "author");
    cr_expect(d.has_published_at);
    cr_expect_eq(d.published_at, 1795673700); /* 2026-11-26T06:15:00Z */
    expect_str(d.custom_excerpt, "Trains every 20 minutes", "excerpt");
    expect_str(d.feature_image, "https://cdn.example.com/metro.jpg", "feature_image");
    cr_expect_eq(d.status, CONTENT_DRAFT);
    cr_expect(d.featured);
    expect_str(d.markdown, body, "markdown");
}

Test(content_draft, full_example)
{
    cr_assert_eq(parse(full), ERR_OK, "%s", err.msg);
    expect_full("The **metro** will run.\n---\nNot front matter.\n");
}

/* The same file with CRLF line endings and a byte-order mark. */
Test(content_draft, crlf_and_bom)
{
    char buf[2048] = "\xEF\xBB\xBF";
    size_t n = 3;
    for (const char *p = full; *p; p++) {
        if (*p == '\n')
            buf[n++] = '\r';
        buf[n++] = *p;
    }
    buf[n] = '\0';
    cr_assert_eq(parse(buf), ERR_OK, "%s", err.msg);
    expect_full("The **metro** will run.\r\n---\r\nNot front matter.\r\n");
}

Test(content_draft, defaults)
{
    cr_assert_eq(parse("---\ntitle: Short\n---\nbody"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "Short", "title");
    cr_expect_eq(d.slug.len, 0);
    cr_expect_eq(d.ntags, 0);
    cr_expect_eq(d.nauthors, 0);
    cr_expect_not(d.has_published_at);
    cr_expect_eq(d.status, CONTENT_PUBLISHED);
    cr_expect_not(d.featured);
    cr_expect_eq(d.custom_excerpt.len, 0);
    expect_str(d.markdown, "body", "markdown");
    /* no body at all, a closing fence with trailing blanks */
    cr_assert_eq(parse("---\ntitle: x\n---  "), ERR_OK, "%s", err.msg);
    cr_expect_eq(d.markdown.len, 0);
    /* comments, blank lines and empty optional values */
    cr_assert_eq(parse("---\n# a comment\n\ntitle: x\n  \nslug:\nexcerpt:\npublished_at:\n---\n"),
                 ERR_OK, "%s", err.msg);
    cr_expect_eq(d.slug.len, 0);
    cr_expect_not(d.has_published_at);
}

Test(content_draft, values)
{
    cr_assert_eq(parse("---\ntitle: Breaking: Kyiv: metro\n---\n"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "Breaking: Kyiv: metro", "colons");
    cr_assert_eq(parse("---\ntitle: We're #1 at 10:30\n---\n"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "We're #1 at 10:30", "no inline comments in plain values");
    cr_assert_eq(parse("---\ntitle: \"He said \\\"no\\\" \\\\ left\"\n---\n"), ERR_OK, "%s",
                 err.msg);
    expect_str(d.title, "He said \"no\" \\ left", "double quotes");
    cr_assert_eq(parse("---\ntitle: 'It''s here'\n---\n"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "It's here", "single quotes");
    cr_assert_eq(parse("---\ntitle: \"a # b\"   # comment\n---\n"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "a # b", "comment after a quoted value");
    cr_assert_eq(parse("---\ntitle: \"C:\\path\"\n---\n"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "C:\\path", "other backslashes stay");
    cr_assert_eq(parse("---\ntitle:\tTabbed\t\n---\n"), ERR_OK, "%s", err.msg);
    expect_str(d.title, "Tabbed", "tab after the colon");
    cr_assert_eq(parse("---\ntitle: x\nfeatured: FALSE\nstatus: published\n---\n"), ERR_OK);
    cr_expect_not(d.featured);
    cr_expect_eq(d.status, CONTENT_PUBLISHED);
    cr_assert_eq(parse("---\ntitle: x\ncustom_excerpt: 'Short one'\n---\n"), ERR_OK);
    expect_str(d.custom_excerpt, "Short one", "custom_excerpt synonym");
    cr_assert_eq(parse("---\ntitle: x\nfeature_image: /content/images/a.jpg\n---\n"), ERR_OK);
    cr_assert_eq(parse("---\ntitle: x\nstatus: scheduled\npublished_at: 2026-01-02\n---\n"), ERR_OK,
                 "%s", err.msg);
    cr_expect_eq(d.status, CONTENT_SCHEDULED);
    cr_expect_eq(d.published_at, 1767312000);
    /* the title borrows from the file when it needs no unescaping */
    const char *file = "---\ntitle: Borrowed\n---\n";
    cr_assert_eq(content_draft_parse(str_from(file), &a, &d, NULL), ERR_OK);
    cr_expect_eq(d.title.ptr, file + 11);
}

Test(content_draft, lists)
{
    cr_assert_eq(parse("---\ntitle: x\ntags: News Feed, Transport\n---\n"), ERR_OK, "%s", err.msg);
    cr_assert_eq(d.ntags, 2);
    expect_str(d.tags[1], "Transport", "plain list");
    cr_assert_eq(parse("---\ntitle: x\ntags:\n  - News Feed\n  - \"Kyiv, city\"\n  -\n- 'B'\n"
                       "authors:\n- news-desk\n- olena-k\n---\n"),
                 ERR_OK, "%s", err.msg);
    cr_assert_eq(d.ntags, 3);
    expect_str(d.tags[0], "News Feed", "block list");
    expect_str(d.tags[1], "Kyiv, city", "quoted item");
    expect_str(d.tags[2], "B", "unindented item");
    cr_assert_eq(d.nauthors, 2);
    expect_str(d.authors[1], "olena-k", "author list");
    cr_assert_eq(parse("---\ntitle: x\ntags: [\"a, b\", 'c]', , d,]\n---\n"), ERR_OK, "%s",
                 err.msg);
    cr_assert_eq(d.ntags, 3);
    expect_str(d.tags[0], "a, b", "quoted comma");
    expect_str(d.tags[1], "c]", "quoted bracket");
    expect_str(d.tags[2], "d", "after an empty item");
    cr_assert_eq(parse("---\ntitle: x\ntags: []\n---\n"), ERR_OK);
    cr_expect_eq(d.ntags, 0);
    /* duplicates go, whatever their case; the first spelling stays */
    cr_assert_eq(parse("---\ntitle: x\ntags: [News, news, NEWS, Новини, НОВИНИ, Łódź, ŁÓDŹ]\n"
                       "---\n"),
                 ERR_OK, "%s", err.msg);
    cr_assert_eq(d.ntags, 3);
    expect_str(d.tags[0], "News", "dedup ascii");
    expect_str(d.tags[1], "Новини", "dedup cyrillic");
    expect_str(d.tags[2], "Łódź", "dedup latin");
}

static char *many_tags(int n)
{
    char *s = malloc(64 + (size_t)n * 8);
    int len = snprintf(s, 64, "---\ntitle: x\ntags: [");
    for (int i = 0; i < n; i++)
        len += snprintf(s + len, 8, "t%d,", i);
    snprintf(s + len, 8, "]\n---\n");
    return s;
}

Test(content_draft, list_limits)
{
    char *s = many_tags(64);
    cr_assert_eq(parse(s), ERR_OK, "%s", err.msg);
    cr_expect_eq(d.ntags, 64);
    free(s);
    s = many_tags(65);
    cr_expect_eq(parse(s), ERR_INVALID);
    cr_expect_str_eq(err.msg, "line 3: more than 64 tags");
    free(s);
}

static void expect_error(const char *file, enum err_code code, const char *msg)
{
    memset(&d, 0x5A, sizeof(d));
    struct content_draft before = d;
    err = (struct err){ERR_OK, ""};
    enum err_code rc = parse(file);
    cr_expect_eq(rc, code, "%s: got %s (%s)", msg, err_name(rc), err.msg);
    cr_expect_str_eq(err.msg, msg);
    cr_expect(memcmp(&d, &before, sizeof(d)) == 0, "%s: out was written", msg);
}

Test(content_draft, errors)
{
    expect_error("", ERR_INVALID, "line 1: missing front matter (expected '---')");
    expect_error("title: x\n", ERR_INVALID, "line 1: missing front matter (expected '---')");
    expect_error("----\ntitle: x\n---\n", ERR_INVALID,
                 "line 1: missing front matter (expected '---')");
    expect_error("---\ntitle: x\n", ERR_INVALID, "line 1: front matter is not closed");
    expect_error("---\ntitle: x\nfoo: bar\n---\n", ERR_INVALID, "line 3: unknown key 'foo'");
    expect_error("---\ntitle: x\nTitle: y\n---\n", ERR_INVALID, "line 3: unknown key 'Title'");
    expect_error("---\ntitle: x\njust text\n---\n", ERR_INVALID, "line 3: expected 'key: value'");
    expect_error("---\ntitle:x\n---\n", ERR_INVALID, "line 2: expected 'key: value'");
    expect_error("---\n: x\n---\n", ERR_INVALID, "line 2: expected 'key: value'");
    expect_error("---\ntitle: x\n- item\n---\n", ERR_INVALID, "line 3: expected 'key: value'");
    expect_error("---\ntitle: x\n\ntitle: y\n---\n", ERR_INVALID, "line 4: duplicate key 'title'");
    expect_error("---\ntitle: x\nexcerpt: a\ncustom_excerpt: b\n---\n", ERR_INVALID,
                 "line 4: duplicate key 'custom_excerpt'");
    expect_error("---\npublished_at: tomorrow\ntitle: x\n---\n", ERR_INVALID,
                 "line 2: cannot parse date 'tomorrow'");
    expect_error("---\ntitle: x\nstatus: archived\n---\n", ERR_INVALID,
                 "line 3: unknown status 'archived'");
    expect_error("---\nslug: a\n---\nbody\n", ERR_INVALID, "line 1: missing title");
    expect_error("---\ntitle: x\nstatus: scheduled\n---\n", ERR_INVALID,
                 "line 3: status 'scheduled' needs published_at");
    expect_error("---\ntitle: \"\"\n---\n", ERR_INVALID, "line 2: empty title");
    expect_error("---\ntitle:\n---\n", ERR_INVALID, "line 2: empty title");
    expect_error("---\ntitle: \"open\n---\n", ERR_INVALID, "line 2: unterminated quoted value");
    expect_error("---\ntitle: 'a' b\n---\n", ERR_INVALID,
                 "line 2: unexpected text after closing quote: 'b'");
    expect_error("---\ntitle: x\ntags: [a, b\n---\n", ERR_INVALID,
                 "line 3: unterminated list (expected ']')");
    expect_error("---\ntitle: x\ntags: \"a\" b, c\n---\n", ERR_INVALID,
                 "line 3: expected ',' between list items");
    expect_error("---\ntitle: x\nauthors: [News Desk]\n---\n", ERR_INVALID,
                 "line 3: invalid author slug 'News Desk'");
    expect_error("---\ntitle: x\nslug: Not A Slug\n---\n", ERR_INVALID,
                 "line 3: invalid slug 'Not A Slug'");
    expect_error("---\ntitle: x\nfeatured: yes\n---\n", ERR_INVALID,
                 "line 3: featured must be true or false, not 'yes'");
    expect_error("---\ntitle: x\nfeature_image: javascript:alert(1)\n---\n", ERR_INVALID,
                 "line 3: feature_image is not an http(s) URL or a path: 'javascript:alert(1)'");
    expect_error("---\ntitle: ok\ntags: [caf\xC3\x28]\n---\n", ERR_INVALID,
                 "line 3: invalid UTF-8");
    expect_error("---\ntitle: ok\n---\nbody \xFF\n", ERR_INVALID, "line 4: invalid UTF-8");
    expect_error("\xEF\xBB\xBF---\r\ntitle: x\r\nbad line\r\n---\r\n", ERR_INVALID,
                 "line 3: expected 'key: value'");
}

static char *with_title(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 32);
    memcpy(s, "---\ntitle: ", 11);
    for (size_t i = 0; i < n; i++)
        memcpy(s + 11 + i * len, unit, len);
    memcpy(s + 11 + len * n, "\n---\n", 6);
    return s;
}

Test(content_draft, limits)
{
    char *s = with_title("x", 300);
    cr_expect_eq(parse(s), ERR_OK, "%s", err.msg);
    free(s);
    s = with_title("x", 301);
    expect_error(s, ERR_INVALID, "line 2: title is longer than 300 bytes");
    free(s);
    /* messages quote at most ~60 bytes, cut between characters */
    s = with_title("ї", 100);
    memcpy(s, "---\nslug: ", 10);
    s[10] = ' ';
    cr_expect_eq(parse(s), ERR_INVALID);
    cr_expect(utf8_valid(err.msg, strlen(err.msg)), "%s", err.msg);
    cr_expect_lt(strlen(err.msg), 100, "%s", err.msg);
    free(s);
    /* a body past the Markdown cap */
    size_t n = CONTENT_MARKDOWN_MAX + 1;
    s = malloc(n + 32);
    memcpy(s, "---\ntitle: x\n---\n", 17);
    memset(s + 17, 'a', n);
    s[17 + n] = '\0';
    cr_expect_eq(parse(s), ERR_TOOBIG);
    free(s);
    /* front matter that never ends within 64 KiB */
    n = 70000;
    s = malloc(n + 32);
    memcpy(s, "---\ntitle: x\n", 13);
    for (size_t i = 13; i < n; i++)
        s[i] = i % 2 ? '\n' : '#';
    memcpy(s + n, "---\n", 5);
    cr_expect_eq(parse(s), ERR_TOOBIG, "%s", err.msg);
    free(s);
    /* excerpt: 300 characters */
    char ex[2048] = "---\ntitle: x\nexcerpt: ";
    size_t len = strlen(ex);
    for (int i = 0; i < 300; i++, len += 2)
        memcpy(ex + len, "є", 2);
    memcpy(ex + len, "\n---\n", 6);
    cr_expect_eq(parse(ex), ERR_OK, "%s", err.msg);
    memcpy(ex + len, "x\n---\n", 7);
    cr_expect_eq(parse(ex), ERR_INVALID);
    cr_expect_str_eq(err.msg, "line 3: excerpt is longer than 300 characters");
}

Test(content_draft, null_file)
{
    cr_expect_eq(content_draft_parse(STR_NULL, &a, &d, &err), ERR_INVALID);
    cr_expect_str_eq(err.msg, "line 1: missing front matter (expected '---')");
}

Test(content_draft, desk_fields)
{
    cr_assert_eq(parse("---\ntitle: x\n---\n"), ERR_OK, "%s", err.msg);
    cr_expect(!d.breaking);
    cr_expect_eq(d.breaking_until, 0);
    cr_expect_eq(d.label, CONTENT_LABEL_NONE);
    cr_expect_eq(d.pinned, 0);
    cr_expect_eq(d.correction.len, 0);
    cr_expect(!d.minor, "a file is never a minor edit");

    cr_assert_eq(parse("---\ntitle: x\nbreaking: true\nlabel: Live\npinned: section, home\n"
                       "correction: \"An earlier version misstated the date.\"\n---\n"),
                 ERR_OK, "%s", err.msg);
    cr_expect(d.breaking);
    cr_expect_eq(d.breaking_until, 0, "breaking: true lasts until unmarked");
    cr_expect_eq(d.label, CONTENT_LABEL_LIVE);
    cr_expect_eq(d.pinned, CONTENT_PIN_HOME | CONTENT_PIN_SECTION);
    expect_str(d.correction, "An earlier version misstated the date.", "correction");

    cr_assert_eq(parse("---\ntitle: x\nbreaking_until: 2026-12-03T18:00:00+02:00\n"
                       "pinned: home\nlabel: none\n---\n"),
                 ERR_OK, "%s", err.msg);
    cr_expect(d.breaking, "an expiry implies the flag");
    cr_expect_eq(d.breaking_until, 1796313600); /* 2026-12-03T16:00:00Z */
    cr_expect_eq(d.pinned, CONTENT_PIN_HOME);
    cr_expect_eq(d.label, CONTENT_LABEL_NONE);

    cr_assert_eq(parse("---\ntitle: x\npinned: false\n---\n"), ERR_OK, "%s", err.msg);
    cr_expect_eq(d.pinned, 0);
}

Test(content_draft, desk_field_errors)
{
    expect_error("---\ntitle: x\nbreaking: soon\n---\n", ERR_INVALID,
                 "line 3: breaking must be true or false, not 'soon'");
    expect_error("---\ntitle: x\nbreaking_until: tonight\n---\n", ERR_INVALID,
                 "line 3: cannot parse breaking_until 'tonight'");
    expect_error("---\ntitle: x\nlabel: urgent\n---\n", ERR_INVALID,
                 "line 3: label must be breaking, live or none, not 'urgent'");
    expect_error("---\ntitle: x\npinned: home, top\n---\n", ERR_INVALID,
                 "line 3: pinned must be home, section or both, not 'top'");
    /* a correction is a paragraph or two, not an article */
    size_t n = CONTENT_CORRECTION_MAX + 1;
    char *s = malloc(n + 64);
    int k = snprintf(s, 64, "---\ntitle: x\ncorrection: ");
    memset(s + k, 'a', n);
    memcpy(s + k + n, "\n---\n", 6);
    expect_error(s, ERR_TOOBIG, "line 3: correction is longer than 2000 bytes");
    memcpy(s + k + n - 1, "\n---\n", 6);
    cr_expect_eq(parse(s), ERR_OK, "%s", err.msg);
    free(s);
    /* and from a form */
    struct content_draft f = {.title = STR_LIT("x")};
    char big[CONTENT_CORRECTION_MAX + 1];
    memset(big, 'a', sizeof(big));
    f.correction = (struct str){big, sizeof(big)};
    cr_expect_eq(content_draft_check(&f, &err), ERR_TOOBIG);
    cr_expect_str_eq(err.msg, "the correction note is longer than 2000 bytes");
}
