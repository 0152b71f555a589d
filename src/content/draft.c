/*
 * Post files: a front-matter block in a small subset of YAML, then Markdown.
 *
 * The subset, and why it stops there: one "key: value" per line (split at the first
 * ": ", so titles may hold colons), values plain or quoted ("..." with \" and \\ as the
 * only escapes, '...' with '' for a quote), lists as [a, b], as a, b, or as "- item"
 * lines under an empty key, and '#' comment lines. No nesting, anchors, multi-line
 * scalars or inline comments after plain values: a headline like "We're #1" must
 * survive as written, and a post file is written by hand or by our own export.
 *
 * Lines end in "\n" or "\r\n". Errors carry the line number; values quoted in messages
 * are cut to a few dozen bytes at a character boundary.
 */
#include "content/content.h"
#include "content/content_int.h"

#include <stdio.h>
#include <string.h>

#define DRAFT_FRONT_MAX 65536  /* bytes of front matter */
#define DRAFT_LIST_MAX 64      /* tags, and authors */
#define DRAFT_TITLE_MAX 300    /* bytes */
#define DRAFT_CAPTION_MAX 2000 /* bytes: a photo caption's limit in the library (media.h) */
#define DRAFT_EXCERPT_MAX 300  /* characters, Ghost's limit for custom_excerpt */
#define DRAFT_TAG_MAX 191      /* bytes, Ghost's limit for a tag name */

enum fm_key {
    FM_TITLE,
    FM_SLUG,
    FM_TAGS,
    FM_AUTHORS,
    FM_PUBLISHED_AT,
    FM_EXCERPT,
    FM_FEATURE_IMAGE,
    FM_FEATURE_IMAGE_ALT,
    FM_FEATURE_IMAGE_CAPTION,
    FM_STATUS,
    FM_FEATURED,
    FM_TYPE,
    FM_BREAKING,
    FM_BREAKING_UNTIL,
    FM_LABEL,
    FM_PINNED,
    FM_CORRECTION,
    FM_NONE,
};

static const struct {
    const char *name;
    enum fm_key key;
} fm_keys[] = {
    {"title", FM_TITLE},
    {"slug", FM_SLUG},
    {"tags", FM_TAGS},
    {"authors", FM_AUTHORS},
    {"published_at", FM_PUBLISHED_AT},
    {"excerpt", FM_EXCERPT},
    {"custom_excerpt", FM_EXCERPT},
    {"feature_image", FM_FEATURE_IMAGE},
    {"feature_image_alt", FM_FEATURE_IMAGE_ALT},
    {"feature_image_caption", FM_FEATURE_IMAGE_CAPTION},
    {"status", FM_STATUS},
    {"featured", FM_FEATURED},
    {"type", FM_TYPE},
    {"breaking", FM_BREAKING},
    {"breaking_until", FM_BREAKING_UNTIL},
    {"label", FM_LABEL},
    {"pinned", FM_PINNED},
    {"correction", FM_CORRECTION},
};

struct fm {
    struct arena *a;
    struct err *err;
    struct content_draft d;
    int line;         /* number of the line being parsed */
    unsigned seen;    /* 1 << enum fm_key for each key given */
    enum fm_key list; /* FM_TAGS or FM_AUTHORS while "- item" lines may follow */
    int status_line;
};

/* ---- messages -------------------------------------------------------------------- */

/* s as a NUL-terminated string for a message: at most ~60 bytes, cut between characters. */
static const char *quote(struct str s, char out[72])
{
    size_t n = s.len;
    if (n > 60) {
        n = 60;
        while (n > 0 && ((unsigned char)s.ptr[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(out, s.ptr, n);
    if (n < s.len) {
        memcpy(out + n, "\xE2\x80\xA6", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

static enum err_code fm_fail(struct fm *p, const char *what, struct str subject)
{
    char q[72];
    return err_set(p->err, ERR_INVALID, "line %d: %s '%s'", p->line, what, quote(subject, q));
}

static enum err_code fm_fail_msg(struct fm *p, const char *msg)
{
    return err_set(p->err, ERR_INVALID, "line %d: %s", p->line, msg);
}

/* ---- scalars --------------------------------------------------------------------- */

/*
 * A quoted scalar starting at s.ptr[0]: *out gets its value (borrowed from the file
 * when it needs no unescaping) and *used the bytes it took, quotes included.
 */
static enum err_code parse_quoted(struct fm *p, struct str s, struct str *out, size_t *used)
{
    char q = s.ptr[0];
    char *buf = NULL;
    size_t n = 0, i = 1;
    for (; i < s.len; i++) {
        char c = s.ptr[i];
        bool escape =
            q == '"' ? c == '\\' && i + 1 < s.len && (s.ptr[i + 1] == '"' || s.ptr[i + 1] == '\\')
                     : c == '\'' && i + 1 < s.len && s.ptr[i + 1] == '\'';
        if (!escape && c == q)
            break;
        if (escape && !buf) {
            buf = arena_alloc(p->a, s.len);
            memcpy(buf, s.ptr + 1, i - 1);
            n = i - 1;
        }
        if (escape)
            c = s.ptr[++i];
        if (buf)
            buf[n++] = c;
    }
    if (i >= s.len)
        return fm_fail_msg(p, "unterminated quoted value");
    *out = buf ? (struct str){buf, n} : (struct str){s.ptr + 1, i - 1};
    *used = i + 1;
    return ERR_OK;
}

/* A whole value: quoted (with nothing but a comment after it) or plain. */
static enum err_code parse_scalar(struct fm *p, struct str v, struct str *out)
{
    if (!v.len || (v.ptr[0] != '"' && v.ptr[0] != '\'')) {
        *out = v;
        return ERR_OK;
    }
    size_t used;
    enum err_code rc = parse_quoted(p, v, out, &used);
    if (rc)
        return rc;
    struct str rest = str_trim((struct str){v.ptr + used, v.len - used});
    if (rest.len && rest.ptr[0] != '#')
        return fm_fail(p, "unexpected text after closing quote:", rest);
    return ERR_OK;
}

/* ---- lists ----------------------------------------------------------------------- */

/* Simple case folding, for telling "Kyiv" from "kyiv" and "Новини" from "новини". */
static uint32_t fold(uint32_t c)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (c == 0x490)
        return 0x491;
    if (c == 0x178)
        return 0xFF;
    if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
        c != 0x178 && c != 0x17F) {
        bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
        if ((c % 2 == 1) == odd_upper)
            return c + 1;
    }
    return c;
}

static bool same_folded(struct str x, struct str y)
{
    size_t i = 0, j = 0;
    while (i < x.len && j < y.len) {
        uint32_t a, b;
        size_t n = utf8_decode(x.ptr + i, x.len - i, &a);
        size_t m = utf8_decode(y.ptr + j, y.len - j, &b);
        if (fold(a) != fold(b))
            return false;
        i += n ? n : 1;
        j += m ? m : 1;
    }
    return i == x.len && j == y.len;
}

static enum err_code list_add(struct fm *p, enum fm_key key, struct str item)
{
    item = str_trim(item);
    if (!item.len)
        return ERR_OK;
    bool tags = key == FM_TAGS;
    struct str *list = tags ? p->d.tags : p->d.authors;
    size_t *n = tags ? &p->d.ntags : &p->d.nauthors;
    if (tags && item.len > DRAFT_TAG_MAX)
        return fm_fail(p, "tag name longer than 191 bytes:", item);
    if (!tags && !content_slug_valid(item))
        return fm_fail(p, "invalid author slug", item);
    for (size_t i = 0; i < *n; i++) {
        if (same_folded(list[i], item))
            return ERR_OK;
    }
    if (*n == DRAFT_LIST_MAX)
        return err_set(p->err, ERR_INVALID, "line %d: more than %d %s", p->line, DRAFT_LIST_MAX,
                       tags ? "tags" : "authors");
    list[(*n)++] = item;
    return ERR_OK;
}

/* Items separated by ',', each plain or quoted; an empty item is skipped. */
static enum err_code parse_items(struct fm *p, enum fm_key key, struct str s)
{
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t'))
            i++;
        struct str item;
        size_t end = i;
        if (i < s.len && (s.ptr[i] == '"' || s.ptr[i] == '\'')) {
            size_t used;
            enum err_code rc = parse_quoted(p, (struct str){s.ptr + i, s.len - i}, &item, &used);
            if (rc)
                return rc;
            end = i + used;
            while (end < s.len && (s.ptr[end] == ' ' || s.ptr[end] == '\t'))
                end++;
            if (end < s.len && s.ptr[end] != ',')
                return fm_fail_msg(p, "expected ',' between list items");
        } else {
            while (end < s.len && s.ptr[end] != ',')
                end++;
            item = (struct str){s.ptr + i, end - i};
        }
        enum err_code rc = list_add(p, key, item);
        if (rc)
            return rc;
        i = end + 1;
    }
    return ERR_OK;
}

static enum err_code parse_list(struct fm *p, enum fm_key key, struct str v)
{
    if (!v.len) {
        p->list = key; /* "- item" lines follow */
        return ERR_OK;
    }
    if (v.ptr[0] != '[')
        return parse_items(p, key, v);
    if (v.ptr[v.len - 1] != ']')
        return fm_fail_msg(p, "unterminated list (expected ']')");
    return parse_items(p, key, (struct str){v.ptr + 1, v.len - 2});
}

/* ---- keys ------------------------------------------------------------------------ */

static size_t count_chars(struct str s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

static enum err_code set_title(struct fm *p, struct str v)
{
    if (!str_trim(v).len)
        return fm_fail_msg(p, "empty title");
    if (v.len > DRAFT_TITLE_MAX)
        return err_set(p->err, ERR_INVALID, "line %d: title is longer than %d bytes", p->line,
                       DRAFT_TITLE_MAX);
    p->d.title = v;
    return ERR_OK;
}

static enum err_code set_slug(struct fm *p, struct str v)
{
    if (v.len && !content_slug_valid(v))
        return fm_fail(p, "invalid slug", v);
    p->d.slug = v;
    return ERR_OK;
}

static enum err_code set_published_at(struct fm *p, struct str v)
{
    if (!v.len)
        return ERR_OK;
    if (!time_parse_iso(v, &p->d.published_at))
        return fm_fail(p, "cannot parse date", v);
    p->d.has_published_at = true;
    return ERR_OK;
}

static enum err_code set_excerpt(struct fm *p, struct str v)
{
    if (count_chars(v) > DRAFT_EXCERPT_MAX)
        return err_set(p->err, ERR_INVALID, "line %d: excerpt is longer than %d characters",
                       p->line, DRAFT_EXCERPT_MAX);
    p->d.custom_excerpt = v;
    return ERR_OK;
}

/* A feature image is shown by URL in pages and feeds: a web address or a site path. */
static enum err_code set_feature_image(struct fm *p, struct str v)
{
    struct str head = {v.ptr, v.len < 8 ? v.len : 8};
    bool web = str_case_eq((struct str){v.ptr, v.len < 7 ? v.len : 7}, "http://") ||
               str_case_eq(head, "https://") || (v.len && v.ptr[0] == '/');
    if (v.len && !web)
        return fm_fail(p, "feature_image is not an http(s) URL or a path:", v);
    p->d.feature_image = v;
    return ERR_OK;
}

static enum err_code set_status(struct fm *p, struct str v)
{
    if (!content_status_parse(v, &p->d.status))
        return fm_fail(p, "unknown status", v);
    p->status_line = p->line;
    return ERR_OK;
}

/* "true" or "false" for the flag named name ("featured", "breaking") */
static enum err_code set_bool(struct fm *p, const char *name, struct str v, bool *out)
{
    if (str_case_eq(v, "true"))
        *out = true;
    else if (str_case_eq(v, "false"))
        *out = false;
    else {
        char what[48];
        snprintf(what, sizeof(what), "%s must be true or false, not", name);
        return fm_fail(p, what, v);
    }
    return ERR_OK;
}

/* "post" (the default) or "page": a static page beside the posts, e.g. About */
static enum err_code set_type(struct fm *p, struct str v)
{
    if (str_eq_cstr(v, "page"))
        p->d.page = true;
    else if (str_eq_cstr(v, "post"))
        p->d.page = false;
    else
        return fm_fail(p, "type must be post or page, not", v);
    return ERR_OK;
}

/* A time ("2026-12-03T18:00:00+02:00"): breaking until then. Implies breaking: true. */
static enum err_code set_breaking_until(struct fm *p, struct str v)
{
    if (!time_parse_iso(v, &p->d.breaking_until))
        return fm_fail(p, "cannot parse breaking_until", v);
    p->d.breaking = true;
    return ERR_OK;
}

static enum err_code set_label(struct fm *p, struct str v)
{
    if (!content_label_parse(v, &p->d.label))
        return fm_fail(p, "label must be breaking, live or none, not", v);
    return ERR_OK;
}

/* "home", "section", "home, section" (either order), or "false"/"none" */
static enum err_code set_pinned(struct fm *p, struct str v)
{
    p->d.pinned = 0;
    if (str_case_eq(v, "false") || str_case_eq(v, "none") || !v.len)
        return ERR_OK;
    while (v.len) {
        const char *comma = memchr(v.ptr, ',', v.len);
        size_t n = comma ? (size_t)(comma - v.ptr) : v.len;
        struct str item = str_trim((struct str){v.ptr, n});
        if (str_case_eq(item, "home"))
            p->d.pinned |= CONTENT_PIN_HOME;
        else if (str_case_eq(item, "section"))
            p->d.pinned |= CONTENT_PIN_SECTION;
        else
            return fm_fail(p, "pinned must be home, section or both, not", item);
        v.ptr += comma ? n + 1 : n;
        v.len -= comma ? n + 1 : n;
    }
    return ERR_OK;
}

static enum err_code set_correction(struct fm *p, struct str v)
{
    if (v.len > CONTENT_CORRECTION_MAX)
        return err_set(p->err, ERR_TOOBIG, "line %d: correction is longer than %d bytes", p->line,
                       CONTENT_CORRECTION_MAX);
    p->d.correction = v;
    return ERR_OK;
}

static enum err_code set_value(struct fm *p, enum fm_key key, struct str raw)
{
    if (key == FM_TAGS || key == FM_AUTHORS)
        return parse_list(p, key, raw);
    struct str v;
    enum err_code rc = parse_scalar(p, raw, &v);
    if (rc)
        return rc;
    switch (key) {
    case FM_TITLE:
        return set_title(p, v);
    case FM_SLUG:
        return set_slug(p, v);
    case FM_PUBLISHED_AT:
        return set_published_at(p, v);
    case FM_EXCERPT:
        return set_excerpt(p, v);
    case FM_FEATURE_IMAGE:
        return set_feature_image(p, v);
    case FM_FEATURE_IMAGE_ALT:
        if (v.len > DRAFT_TITLE_MAX)
            return fm_fail(p, "feature_image_alt is too long:", v);
        p->d.feature_image_alt = v;
        return ERR_OK;
    case FM_FEATURE_IMAGE_CAPTION:
        if (v.len > DRAFT_CAPTION_MAX)
            return fm_fail(p, "feature_image_caption is too long:", v);
        p->d.feature_image_caption = v;
        return ERR_OK;
    case FM_STATUS:
        return set_status(p, v);
    case FM_FEATURED:
        return set_bool(p, "featured", v, &p->d.featured);
    case FM_TYPE:
        return set_type(p, v);
    case FM_BREAKING:
        return set_bool(p, "breaking", v, &p->d.breaking);
    case FM_BREAKING_UNTIL:
        return set_breaking_until(p, v);
    case FM_LABEL:
        return set_label(p, v);
    case FM_PINNED:
        return set_pinned(p, v);
    case FM_CORRECTION:
        return set_correction(p, v);
    default:
        return err_set(p->err, ERR_INTERNAL, "line %d: unhandled key", p->line);
    }
}

/* ---- lines ----------------------------------------------------------------------- */

static enum fm_key find_key(struct str name)
{
    for (size_t i = 0; i < ARRAY_LEN(fm_keys); i++) {
        if (str_eq_cstr(name, fm_keys[i].name))
            return fm_keys[i].key;
    }
    return FM_NONE;
}

static enum err_code parse_key_line(struct fm *p, struct str t)
{
    size_t colon = 0;
    while (colon < t.len &&
           !(t.ptr[colon] == ':' &&
             (colon + 1 == t.len || t.ptr[colon + 1] == ' ' || t.ptr[colon + 1] == '\t')))
        colon++;
    if (colon == t.len || colon == 0)
        return fm_fail_msg(p, "expected 'key: value'");
    struct str name = str_trim((struct str){t.ptr, colon});
    struct str value = str_trim((struct str){t.ptr + colon + 1, t.len - colon - 1});
    enum fm_key key = find_key(name);
    if (key == FM_NONE)
        return fm_fail(p, "unknown key", name);
    if (p->seen & (1u << key))
        return fm_fail(p, "duplicate key", name);
    p->seen |= 1u << key;
    p->list = FM_NONE;
    return set_value(p, key, value);
}

static enum err_code parse_line(struct fm *p, struct str line)
{
    struct str t = str_trim(line);
    if (!t.len || t.ptr[0] == '#')
        return ERR_OK;
    if (t.ptr[0] == '-' && (t.len == 1 || t.ptr[1] == ' ' || t.ptr[1] == '\t')) {
        if (p->list == FM_NONE)
            return fm_fail_msg(p, "expected 'key: value'");
        struct str v = str_trim((struct str){t.ptr + 1, t.len - 1}), item;
        enum err_code rc = parse_scalar(p, v, &item);
        return rc ? rc : list_add(p, p->list, item);
    }
    return parse_key_line(p, t);
}

/* The next line of *rest without its "\n" or "\r\n"; false at the end. */
static bool next_line(struct str *rest, struct str *line)
{
    if (!rest->len)
        return false;
    const char *nl = memchr(rest->ptr, '\n', rest->len);
    size_t n = nl ? (size_t)(nl - rest->ptr) : rest->len;
    size_t skip = nl ? n + 1 : n;
    *line = (struct str){rest->ptr, n};
    if (line->len && line->ptr[line->len - 1] == '\r')
        line->len--;
    rest->ptr += skip;
    rest->len -= skip;
    return true;
}

static bool is_fence(struct str line)
{
    while (line.len && (line.ptr[line.len - 1] == ' ' || line.ptr[line.len - 1] == '\t'))
        line.len--;
    return str_eq_cstr(line, "---");
}

/* ---- the file -------------------------------------------------------------------- */

static enum err_code check_file(struct str file, struct err *err)
{
    if (file.len > CONTENT_MARKDOWN_MAX + DRAFT_FRONT_MAX)
        return err_set(err, ERR_TOOBIG, "post file is larger than %d bytes",
                       CONTENT_MARKDOWN_MAX + DRAFT_FRONT_MAX);
    size_t bad = utf8_invalid_at(file.ptr, file.len);
    if (bad == file.len)
        return ERR_OK;
    int line = 1;
    for (size_t i = 0; i < bad; i++)
        line += file.ptr[i] == '\n';
    return err_set(err, ERR_INVALID, "line %d: invalid UTF-8", line);
}

/* Reads the front matter up to and including the closing "---"; rest is left after it. */
static enum err_code parse_front(struct fm *p, struct str *rest)
{
    const char *start = rest->ptr;
    struct str line;
    while (next_line(rest, &line)) {
        p->line++;
        if (is_fence(line))
            return ERR_OK;
        if ((size_t)(rest->ptr - start) > DRAFT_FRONT_MAX)
            return err_set(p->err, ERR_TOOBIG, "line %d: front matter is larger than %d bytes",
                           p->line, DRAFT_FRONT_MAX);
        enum err_code rc = parse_line(p, line);
        if (rc)
            return rc;
    }
    return err_set(p->err, ERR_INVALID, "line 1: front matter is not closed");
}

static enum err_code check_draft(struct fm *p, struct str body)
{
    if (!(p->seen & (1u << FM_TITLE)))
        return err_set(p->err, ERR_INVALID, "line 1: missing title");
    if (p->d.status == CONTENT_SCHEDULED && !p->d.has_published_at)
        return err_set(p->err, ERR_INVALID, "line %d: status 'scheduled' needs published_at",
                       p->status_line);
    if (body.len > CONTENT_MARKDOWN_MAX)
        return err_set(p->err, ERR_TOOBIG, "markdown is larger than %d bytes",
                       CONTENT_MARKDOWN_MAX);
    return ERR_OK;
}

enum err_code content_draft_parse(struct str file, struct arena *a, struct content_draft *out,
                                  struct err *err)
{
    if (!file.ptr)
        file = STR_LIT("");
    enum err_code rc = check_file(file, err);
    if (rc)
        return rc;
    struct fm p = {.a = a, .err = err, .line = 1, .list = FM_NONE};
    p.d.status = CONTENT_PUBLISHED;
    p.d.tags = arena_alloc(a, DRAFT_LIST_MAX * sizeof(struct str));
    p.d.authors = arena_alloc(a, DRAFT_LIST_MAX * sizeof(struct str));
    struct str rest = file, line;
    if (str_starts_with(rest, "\xEF\xBB\xBF")) {
        rest.ptr += 3;
        rest.len -= 3;
    }
    if (!next_line(&rest, &line) || !is_fence(line))
        return err_set(err, ERR_INVALID, "line 1: missing front matter (expected '---')");
    rc = parse_front(&p, &rest);
    if (rc)
        return rc;
    rc = check_draft(&p, rest);
    if (rc)
        return rc;
    p.d.markdown = rest;
    *out = p.d;
    return ERR_OK;
}

/* The feature image rule of set_feature_image, for a value that came from a form. */
static bool image_url_ok(struct str v)
{
    return !v.len || str_case_eq((struct str){v.ptr, v.len < 7 ? v.len : 7}, "http://") ||
           str_case_eq((struct str){v.ptr, v.len < 8 ? v.len : 8}, "https://") || v.ptr[0] == '/';
}

enum err_code content_draft_check(const struct content_draft *d, struct err *err)
{
    if (!str_trim(d->title).len)
        return err_set(err, ERR_INVALID, "the title is empty");
    if (d->title.len > DRAFT_TITLE_MAX)
        return err_set(err, ERR_INVALID, "the title is longer than %d bytes", DRAFT_TITLE_MAX);
    if (d->slug.len && !content_slug_valid(d->slug))
        return err_set(err, ERR_INVALID, "the slug may hold only a-z, 0-9 and single hyphens");
    if (count_chars(d->custom_excerpt) > DRAFT_EXCERPT_MAX)
        return err_set(err, ERR_INVALID, "the excerpt is longer than %d characters",
                       DRAFT_EXCERPT_MAX);
    if (!image_url_ok(d->feature_image))
        return err_set(err, ERR_INVALID, "the feature image is not an http(s) URL or a path");
    if (d->feature_image_caption.len > DRAFT_CAPTION_MAX)
        return err_set(err, ERR_INVALID, "the image's caption is longer than %d bytes",
                       DRAFT_CAPTION_MAX);
    if (d->feature_image_alt.len > DRAFT_TITLE_MAX)
        return err_set(err, ERR_INVALID, "the image's alt text is longer than %d bytes",
                       DRAFT_TITLE_MAX);
    if (d->markdown.len > CONTENT_MARKDOWN_MAX)
        return err_set(err, ERR_TOOBIG, "the body is larger than %d bytes", CONTENT_MARKDOWN_MAX);
    if (d->correction.len > CONTENT_CORRECTION_MAX)
        return err_set(err, ERR_TOOBIG, "the correction note is longer than %d bytes",
                       CONTENT_CORRECTION_MAX);
    if (d->ntags > DRAFT_LIST_MAX || d->nauthors > DRAFT_LIST_MAX)
        return err_set(err, ERR_INVALID, "more than %d tags or authors", DRAFT_LIST_MAX);
    for (size_t i = 0; i < d->ntags; i++)
        if (d->tags[i].len > DRAFT_TAG_MAX)
            return err_set(err, ERR_INVALID, "a tag name is longer than %d bytes", DRAFT_TAG_MAX);
    for (size_t i = 0; i < d->nauthors; i++)
        if (!content_slug_valid(d->authors[i]))
            return err_set(err, ERR_INVALID, "'%.*s' is not an author's slug",
                           (int)d->authors[i].len, d->authors[i].ptr);
    return ERR_OK;
}
