/*
 * The WordPress reader: a WXR export (WordPress's Tools → Export, RSS 2.0 with the wp:
 * namespace) read once, node by node, with libxml2's xmlTextReader, each record handed to
 * the sink as soon as its element closes. Memory is one item's fields (each capped) plus
 * the terms seen so far (for the primary category and for tags a "posts only" export
 * names on its items alone), whatever the file's size.
 *
 * Hostile XML. A WXR export has no DOCTYPE, so a file that has one is refused before
 * libxml2 sees it: the input callback scans the prolog (XML declaration, comments,
 * processing instructions) and stops at "<!DOCTYPE", so no entity is ever declared, let
 * alone expanded (billion laughs) or fetched (external entities, external DTDs). A
 * DOCUMENT_TYPE node is refused too, in case an encoding the scan does not follow hid
 * one. The parser runs without XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID and HUGE (so
 * libxml2's own limits on depth, text and name length hold), with NONET, and with
 * structured error handlers so that it prints nothing: its first error becomes the
 * message, with the line. A gzip-compressed file (FILE.xml.gz; zlib reads either form)
 * is capped at IMPORT_FILE_MAX bytes once inflated, against gzip bombs.
 *
 * Mapping decisions (README "Moving from WordPress" says the same for users):
 * - categories and tags are both tags here, ids "category:SLUG" and "post_tag:SLUG" (the
 *   file's percent-encoded slug); wp:term repeats them (WordPress 6.1 lists every term
 *   twice) and is ignored, as are custom taxonomies;
 * - a post's tags: its primary category first, then its other categories, then its tags,
 *   each in the file's order. The primary is Yoast's or Rank Math's primary category when
 *   the post names one; otherwise the category with the lowest term id, which is the one
 *   WordPress itself puts in a %category% permalink (get_permalink sorts by term_id).
 *   "Uncategorized" is WordPress's placeholder for no category: dropped from a post that
 *   has other categories, kept on a post that has only it;
 * - slugs are percent-decoded (WordPress keeps Cyrillic slugs encoded); a decoded slug
 *   that is not a slug here is made one with content_slugify (Київ → kyiv);
 * - old addresses become redirects: a post's link path (old_path), /?p=ID, categories'
 *   /category/PARENT/SLUG/ and /category/SLUG/, /tag/SLUG/ when the slug changed, and
 *   /author/LOGIN/. Paths are handed percent-decoded (UTF-8), for published and scheduled
 *   posts only (a draft had no public address);
 * - comments, menus (nav_menu_item), reusable blocks and custom post types are not
 *   imported: counted in one warning each.
 */
#include "import/import_int.h"

#include "content/content.h"
#include "html/html.h"

#include <errno.h>
#include <inttypes.h>
#include <libxml/xmlreader.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define WXR_FIELD_MAX (64 * 1024)      /* bytes of a title, a slug, a date, ... */
#define WXR_BODY_MAX (HTML_INPUT_MAX)  /* bytes of content:encoded */
#define WXR_ITEM_TERMS_MAX 1000        /* categories and tags on one item */
#define WXR_TERMS_MAX (1u << 20)       /* categories and tags in one file */
#define WXR_PROGRESS_STEP (256 * 1024) /* bytes between progress calls */
#define WXR_SKIPPED_TYPES 16           /* distinct post types counted by name */

static const char wxr_ns_prefix[] = "http://wordpress.org/export/";

enum wxr_ns { NS_NONE, NS_WP, NS_EXCERPT, NS_CONTENT, NS_DC, NS_OTHER };

/* Every text field read, channel, author, term and item alike (one set, reset per record). */
enum wxr_f {
    F_TITLE,
    F_LINK,
    F_DESCRIPTION,
    F_LANGUAGE,
    F_VERSION,
    F_SITE_URL,
    F_BLOG_URL,
    F_LOGIN,
    F_EMAIL,
    F_DISPLAY_NAME,
    F_FIRST_NAME,
    F_LAST_NAME,
    F_TERM_ID,
    F_NICENAME,
    F_PARENT,
    F_NAME,
    F_CREATOR,
    F_CONTENT,
    F_EXCERPT,
    F_POST_ID,
    F_DATE,
    F_DATE_GMT,
    F_MODIFIED,
    F_MODIFIED_GMT,
    F_POST_NAME,
    F_STATUS,
    F_TYPE,
    F_PASSWORD,
    F_STICKY,
    F_ATTACHMENT_URL,
    F_GUID,
    F_CAT_NAME,
    F_META_KEY,
    F_META_VALUE,
    /* postmeta kept, by key (wxr_meta_keys) */
    F_THUMBNAIL,
    F_ATTACHED_FILE,
    F_ALT,
    F_SEO_TITLE,
    F_SEO_DESC,
    F_SEO_CANONICAL,
    F_PRIMARY_CAT,
    F__COUNT
};

struct wxr_leaf {
    enum wxr_ns ns;
    const char *name;
    enum wxr_f f;
};

static const struct wxr_leaf wxr_channel_leaves[] = {
    {NS_NONE, "title", F_TITLE},
    {NS_NONE, "link", F_LINK},
    {NS_NONE, "description", F_DESCRIPTION},
    {NS_NONE, "language", F_LANGUAGE},
    {NS_WP, "wxr_version", F_VERSION},
    {NS_WP, "base_site_url", F_SITE_URL},
    {NS_WP, "base_blog_url", F_BLOG_URL},
    {NS_OTHER, NULL, F__COUNT},
};

static const struct wxr_leaf wxr_author_leaves[] = {
    {NS_WP, "author_login", F_LOGIN},
    {NS_WP, "author_email", F_EMAIL},
    {NS_WP, "author_display_name", F_DISPLAY_NAME},
    {NS_WP, "author_first_name", F_FIRST_NAME},
    {NS_WP, "author_last_name", F_LAST_NAME},
    {NS_OTHER, NULL, F__COUNT},
};

static const struct wxr_leaf wxr_category_leaves[] = {
    {NS_WP, "term_id", F_TERM_ID},
    {NS_WP, "category_nicename", F_NICENAME},
    {NS_WP, "category_parent", F_PARENT},
    {NS_WP, "cat_name", F_NAME},
    {NS_WP, "category_description", F_DESCRIPTION},
    {NS_OTHER, NULL, F__COUNT},
};

static const struct wxr_leaf wxr_tag_leaves[] = {
    {NS_WP, "term_id", F_TERM_ID}, {NS_WP, "tag_slug", F_NICENAME},
    {NS_WP, "tag_name", F_NAME},   {NS_WP, "tag_description", F_DESCRIPTION},
    {NS_OTHER, NULL, F__COUNT},
};

static const struct wxr_leaf wxr_item_leaves[] = {
    {NS_NONE, "title", F_TITLE},
    {NS_NONE, "link", F_LINK},
    {NS_NONE, "guid", F_GUID},
    {NS_DC, "creator", F_CREATOR},
    {NS_CONTENT, "encoded", F_CONTENT},
    {NS_EXCERPT, "encoded", F_EXCERPT},
    {NS_WP, "post_id", F_POST_ID},
    {NS_WP, "post_date", F_DATE},
    {NS_WP, "post_date_gmt", F_DATE_GMT},
    {NS_WP, "post_modified", F_MODIFIED},
    {NS_WP, "post_modified_gmt", F_MODIFIED_GMT},
    {NS_WP, "post_name", F_POST_NAME},
    {NS_WP, "status", F_STATUS},
    {NS_WP, "post_type", F_TYPE},
    {NS_WP, "post_password", F_PASSWORD},
    {NS_WP, "is_sticky", F_STICKY},
    {NS_WP, "attachment_url", F_ATTACHMENT_URL},
    {NS_OTHER, NULL, F__COUNT},
};

static const struct wxr_leaf wxr_postmeta_leaves[] = {
    {NS_WP, "meta_key", F_META_KEY},
    {NS_WP, "meta_value", F_META_VALUE},
    {NS_OTHER, NULL, F__COUNT},
};

/* The postmeta an import uses; the rest (_pingme, _wp_attachment_metadata, ...) is dropped. */
static const struct {
    const char *key;
    enum wxr_f f;
} wxr_meta_keys[] = {
    {"_thumbnail_id", F_THUMBNAIL},
    {"_wp_attached_file", F_ATTACHED_FILE},
    {"_wp_attachment_image_alt", F_ALT},
    {"_yoast_wpseo_title", F_SEO_TITLE},
    {"_yoast_wpseo_metadesc", F_SEO_DESC},
    {"_yoast_wpseo_canonical", F_SEO_CANONICAL},
    {"_yoast_wpseo_primary_category", F_PRIMARY_CAT},
    {"rank_math_title", F_SEO_TITLE},
    {"rank_math_description", F_SEO_DESC},
    {"rank_math_canonical_url", F_SEO_CANONICAL},
    {"rank_math_primary_category", F_PRIMARY_CAT},
};

enum wxr_section { SEC_NONE, SEC_AUTHOR, SEC_CATEGORY, SEC_TAG, SEC_ITEM };
enum wxr_sub { SUB_NONE, SUB_POSTMETA };
enum wxr_prolog { P_TEXT, P_LT, P_PI, P_BANG, P_BANG_DASH, P_COMMENT, P_DONE };

/* The bytes libxml2 reads: zlib (plain or gzip), the inflated-size cap, the prolog scan. */
struct wxr_input {
    gzFile gz;
    uint64_t read; /* bytes handed to libxml2 */
    uint64_t max;
    bool toobig;
    bool doctype;
    bool nul;
    bool ioerr;
    char gzmsg[128]; /* zlib's reason, with ioerr */
    bool eof;        /* the whole file was handed over */
    enum wxr_prolog prolog;
    char prev;  /* the byte before, in a processing instruction */
    int dashes; /* '-' in a row, in a comment */
};

/* A category or tag once handed on: ids "category:SLUG" / "post_tag:SLUG". */
struct wxr_term {
    struct str id;
    int64_t term_id; /* INT64_MAX: unknown (named only on an item) */
    struct str path; /* categories: "world/europe", decoded */
};

struct wxr_terms {
    struct wxr_term **slots;
    size_t cap; /* a power of two */
    size_t n;
    struct arena a;
};

/* A category or tag on the item being read. */
struct wxr_item_term {
    bool category;
    struct str nicename;
    struct str name;
};

struct wxr {
    const char *path;
    const struct import_sink *sink;
    xmlTextReaderPtr r;
    struct wxr_input in;
    uint64_t size; /* of the file on disk, for progress */
    uint64_t progress_at;
    char xml_msg[256]; /* libxml2's first error */
    int xml_line;
    bool root, root_closed, channel, site_sent;
    enum wxr_section section;
    enum wxr_sub sub;
    int field_depth; /* of the leaf being read; 0: none */
    enum wxr_f field;
    bool overflow;      /* a field of this record passed its cap */
    bool overflow_body; /* that field was the body */
    bool meta_overflow; /* this postmeta's value did */
    struct buf f[F__COUNT];
    struct wxr_item_term *item_terms;
    size_t nitem_terms;
    struct str cat_domain, cat_nicename; /* attributes of the <category> being read */
    int64_t comments;
    struct {
        char type[32];
        int64_t n;
    } skipped[WXR_SKIPPED_TYPES];
    int64_t skipped_other;
    struct wxr_terms terms;
    struct arena item; /* one record's strings, released after each */
};

/* ---- input --------------------------------------------------------------------------- */

/*
 * Follows the prolog until the root element starts: a DOCTYPE there is refused, and so is
 * a NUL byte (UTF-16, where the scan could not see one).
 */
static void wxr_prolog_scan(struct wxr_input *in, const char *p, size_t n)
{
    for (size_t i = 0; i < n && in->prolog != P_DONE && !in->doctype && !in->nul; i++) {
        char c = p[i];
        if (c == '\0') {
            in->nul = true;
            break;
        }
        switch (in->prolog) {
        case P_TEXT:
            in->prolog = c == '<' ? P_LT : P_TEXT;
            break;
        case P_LT:
            in->prolog = c == '?' ? P_PI : c == '!' ? P_BANG : P_DONE;
            in->prev = 0;
            break;
        case P_PI:
            in->prolog = in->prev == '?' && c == '>' ? P_TEXT : P_PI;
            in->prev = c;
            break;
        case P_BANG:
            in->doctype = c == 'D' || c == 'd';
            in->prolog = c == '-' ? P_BANG_DASH : P_DONE;
            break;
        case P_BANG_DASH:
            in->prolog = c == '-' ? P_COMMENT : P_DONE;
            in->dashes = 0;
            break;
        case P_COMMENT:
            in->prolog = c == '>' && in->dashes >= 2 ? P_TEXT : P_COMMENT;
            in->dashes = c == '-' ? in->dashes + 1 : 0;
            break;
        case P_DONE:
            break;
        }
    }
}

static int wxr_input_read(void *ctx, char *buf, int len)
{
    struct wxr_input *in = ctx;
    int n = gzread(in->gz, buf, (unsigned)len);
    int zerr = Z_OK;
    const char *zmsg = n <= 0 ? gzerror(in->gz, &zerr) : NULL;
    if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        in->ioerr = true;
        snprintf(in->gzmsg, sizeof(in->gzmsg), "%s", zmsg && zmsg[0] ? zmsg : "read error");
        return -1;
    }
    in->read += (uint64_t)n;
    in->eof = n == 0;
    if (in->read > in->max) {
        in->toobig = true;
        return -1;
    }
    if (in->prolog != P_DONE)
        wxr_prolog_scan(in, buf, (size_t)n);
    return in->doctype || in->nul ? -1 : n;
}

static int wxr_input_close(void *ctx)
{
    (void)ctx; /* the gzFile is closed by wxr_release, whoever failed first */
    return 0;
}

/* ---- errors ---------------------------------------------------------------------------- */

static void wxr_xml_error(void *ctx, xmlErrorPtr e)
{
    struct wxr *w = ctx;
    if (!e || e->level < XML_ERR_ERROR || w->xml_msg[0])
        return;
    snprintf(w->xml_msg, sizeof(w->xml_msg), "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(w->xml_msg);
    while (n > 0 && (w->xml_msg[n - 1] == '\n' || w->xml_msg[n - 1] == ' '))
        w->xml_msg[--n] = '\0';
    w->xml_line = e->line;
}

static int wxr_line(const struct wxr *w)
{
    return w->r ? xmlTextReaderGetParserLineNumber(w->r) : 1;
}

/* The refusal when reading stopped: the input's own reasons first, then libxml2's. */
static enum err_code wxr_read_failed(const struct wxr *w, struct err *err)
{
    const struct wxr_input *in = &w->in;
    if (in->doctype)
        return err_set(err, ERR_INVALID,
                       "a WXR export has no DOCTYPE; refusing a file that declares entities");
    if (in->nul)
        return err_set(err, ERR_INVALID,
                       "not a WordPress export: a NUL byte before the first element "
                       "(a WXR export is UTF-8 text)");
    if (in->toobig)
        return err_set(err, ERR_TOOBIG, "more than %" PRIu64 " bytes once decompressed; refusing",
                       in->max);
    if (in->ioerr)
        return err_set(err, ERR_IO, "cannot read: %s (a damaged or truncated gzip file?)",
                       in->gzmsg[0] ? in->gzmsg : "read error");
    if (in->eof && !in->read)
        return err_set(err, ERR_INVALID, "the file is empty");
    /* libxml2's reader says "Extra content at the end of the document" of a file cut short */
    if (in->eof && !w->root_closed && (w->root || strstr(w->xml_msg, "Extra content")))
        return err_set(err, ERR_INVALID,
                       "line %d: the file ends before the document does (cut "
                       "short?)%s%s",
                       w->xml_line ? w->xml_line : wxr_line(w), w->xml_msg[0] ? ": " : "",
                       w->xml_msg);
    if (w->xml_msg[0])
        return err_set(err, ERR_INVALID, "line %d: %s", w->xml_line, w->xml_msg);
    return err_set(err, ERR_INVALID, "line %d: malformed XML", wxr_line(w));
}

/* ---- text helpers ------------------------------------------------------------------------ */

static struct str wxr_val(const struct wxr *w, enum wxr_f f)
{
    return str_trim(buf_str(&w->f[f]));
}

/* s with %XX decoded (WordPress's encoded Unicode slugs); s itself when that is not UTF-8. */
static struct str wxr_pct_decode(struct str s, struct arena *a)
{
    if (!memchr(s.ptr ? s.ptr : "", '%', s.len))
        return s;
    char *out = arena_alloc(a, s.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        int hi = i + 2 < s.len ? str_hex_digit(s.ptr[i + 1]) : -1;
        int lo = hi >= 0 ? str_hex_digit(s.ptr[i + 2]) : -1;
        if (s.ptr[i] == '%' && hi >= 0 && lo >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[n++] = s.ptr[i];
        }
    }
    out[n] = '\0';
    if (!utf8_valid(out, n) || memchr(out, '\0', n))
        return s;
    return (struct str){out, n};
}

/* A slug here from WordPress's: decoded, made a slug when it is not one; empty: none. */
static struct str wxr_slug(struct str raw, struct arena *a)
{
    struct str s = wxr_pct_decode(raw, a);
    if (!s.len || content_slug_valid(s))
        return s;
    return content_slugify(s, a);
}

/*
 * The path of an old address ("http://old.example/2024/10/slug/" → "/2024/10/slug/"),
 * percent-decoded; empty for the home page and for a query address (?p=ID: the caller
 * hands /?p=ID itself).
 */
static struct str wxr_link_path(struct str link, struct arena *a)
{
    struct str path = STR_NULL;
    for (size_t i = 0; i + 2 < link.len && !path.ptr; i++)
        if (link.ptr[i] == ':' && link.ptr[i + 1] == '/' && link.ptr[i + 2] == '/')
            path = (struct str){link.ptr + i + 3, link.len - i - 3};
    if (!path.ptr && link.len && link.ptr[0] == '/')
        path = link;
    const char *slash = path.len ? memchr(path.ptr, '/', path.len) : NULL;
    if (!slash)
        return STR_NULL;
    path = (struct str){slash, path.len - (size_t)(slash - path.ptr)};
    const char *hash = memchr(path.ptr, '#', path.len);
    if (hash)
        path.len = (size_t)(hash - path.ptr);
    if (path.len <= 1 || memchr(path.ptr, '?', path.len))
        return STR_NULL;
    return arena_str(a, wxr_pct_decode(path, a));
}

/* WordPress's "YYYY-MM-DD HH:MM:SS" as UTC; 0 for "0000-00-00 00:00:00" and anything unreadable. */
static int64_t wxr_date(struct str s)
{
    int64_t t = 0;
    if (!s.len || str_starts_with(s, "0000-") || !time_parse_iso(s, &t) || t < 0)
        return 0;
    return t;
}

static void wxr_warn(struct wxr *w, const char *fmt, ...) BASE_PRINTF(2, 3);
static void wxr_warn(struct wxr *w, const char *fmt, ...)
{
    if (!w->sink->warn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    w->sink->warn(w->sink->ctx, msg);
}

/* ---- terms: categories and tags handed on so far ------------------------------------------ */

static uint64_t wxr_hash(struct str s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < s.len; i++)
        h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211u;
    return h;
}

static struct wxr_term **wxr_terms_slot(struct wxr_terms *t, struct str id)
{
    size_t i = (size_t)wxr_hash(id) & (t->cap - 1);
    while (t->slots[i] && !str_eq(t->slots[i]->id, id))
        i = (i + 1) & (t->cap - 1);
    return &t->slots[i];
}

static struct wxr_term *wxr_terms_find(struct wxr_terms *t, struct str id)
{
    return t->cap ? *wxr_terms_slot(t, id) : NULL;
}

static void wxr_terms_grow(struct wxr_terms *t)
{
    struct wxr_term **old = t->slots;
    size_t oldcap = t->cap;
    t->cap = oldcap ? oldcap * 2 : 256;
    t->slots = xcalloc(t->cap, sizeof(*t->slots));
    for (size_t i = 0; i < oldcap; i++)
        if (old[i])
            *wxr_terms_slot(t, old[i]->id) = old[i];
    free(old);
}

/* Adds a term not yet known (the caller looked); NULL past WXR_TERMS_MAX. */
static struct wxr_term *wxr_terms_add(struct wxr_terms *t, struct str id, int64_t term_id,
                                      struct str path)
{
    if (t->n >= WXR_TERMS_MAX)
        return NULL;
    if ((t->n + 1) * 2 > t->cap)
        wxr_terms_grow(t);
    struct wxr_term *e = arena_alloc(&t->a, sizeof(*e));
    e->id = arena_str(&t->a, id);
    e->term_id = term_id;
    e->path = arena_str(&t->a, path);
    *wxr_terms_slot(t, e->id) = e;
    t->n++;
    return e;
}

static void wxr_terms_release(struct wxr_terms *t)
{
    free(t->slots);
    arena_release(&t->a);
    t->slots = NULL;
    t->cap = t->n = 0;
}

/* ---- records: site, authors, categories and tags ---------------------------------------- */

static enum err_code wxr_redirect(struct wxr *w, const char *pre, struct str mid, const char *post,
                                  enum import_kind kind, struct str id, struct err *err)
{
    if (!w->sink->redirect || !mid.len)
        return ERR_OK;
    struct str from = arena_cat3(&w->item, pre, mid, post);
    return w->sink->redirect(w->sink->ctx, from, kind, id, err);
}

static bool wxr_version_known(struct str v)
{
    return str_eq_cstr(v, "1.0") || str_eq_cstr(v, "1.1") || str_eq_cstr(v, "1.2");
}

/* The channel's fields, handed on before the first author, term or item. */
static enum err_code wxr_site(struct wxr *w, struct err *err)
{
    struct str version = wxr_val(w, F_VERSION);
    if (!version.len)
        return err_set(err, ERR_INVALID,
                       "line %d: not a WordPress export: no wp:wxr_version in the channel "
                       "(an RSS feed? export from WordPress's Tools → Export)",
                       wxr_line(w));
    if (!wxr_version_known(version))
        return err_set(err, ERR_UNSUPPORTED,
                       "WXR version '%.*s' is not one this reads (1.0 to 1.2)",
                       (int)(version.len > 20 ? 20 : version.len), version.ptr);
    struct import_site s = {0};
    /* the blog address is the public one (WordPress in a subfolder has a different site URL) */
    s.url = wxr_val(w, F_BLOG_URL);
    if (!s.url.len)
        s.url = wxr_val(w, F_SITE_URL);
    if (!s.url.len)
        s.url = wxr_val(w, F_LINK);
    s.title = wxr_val(w, F_TITLE);
    s.description = wxr_val(w, F_DESCRIPTION);
    s.language = wxr_val(w, F_LANGUAGE);
    s.version = version;
    w->site_sent = true;
    return w->sink->site ? w->sink->site(w->sink->ctx, &s, err) : ERR_OK;
}

/* WordPress's author address is /author/NICENAME/, the login made URL-safe (not exported). */
static struct str wxr_nicename(struct str login, struct arena *a)
{
    char *out = arena_strndup(a, login.ptr, login.len);
    for (size_t i = 0; i < login.len; i++) {
        char c = out[i];
        if (c >= 'A' && c <= 'Z')
            out[i] = (char)(c - 'A' + 'a');
        else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_' && c != '-' &&
                 !((unsigned char)c & 0x80))
            out[i] = '-';
    }
    return (struct str){out, login.len};
}

static enum err_code wxr_author(struct wxr *w, struct err *err)
{
    struct import_user u = {0};
    u.id = wxr_val(w, F_LOGIN);
    if (!u.id.len) {
        wxr_warn(w, "an author before line %d has no login: not imported", wxr_line(w));
        return ERR_OK;
    }
    u.email = wxr_val(w, F_EMAIL);
    u.name = wxr_val(w, F_DISPLAY_NAME);
    struct str first = wxr_val(w, F_FIRST_NAME), last = wxr_val(w, F_LAST_NAME);
    if (!u.name.len && (first.len || last.len))
        u.name = str_trim(str_from(arena_printf(&w->item, "%.*s %.*s", (int)first.len, first.ptr,
                                                (int)last.len, last.ptr)));
    if (!u.name.len)
        u.name = u.id;
    enum err_code rc = w->sink->user ? w->sink->user(w->sink->ctx, &u, err) : ERR_OK;
    if (rc)
        return rc;
    return wxr_redirect(w, "/author/", wxr_nicename(u.id, &w->item), "/", IMPORT_USERS, u.id, err);
}

/*
 * Hands on a category or tag (raw: the file's slug, percent-encoded) with its old
 * addresses, and remembers it; path is a category's decoded "parent/child".
 */
static enum err_code wxr_term_out(struct wxr *w, bool category, struct str raw, struct str name,
                                  struct str description, int64_t term_id, struct str path,
                                  struct err *err)
{
    struct import_tag t = {0};
    t.id = arena_cat3(&w->item, category ? "category:" : "post_tag:", raw, "");
    if (!wxr_terms_add(&w->terms, t.id, term_id, path))
        return err_set(err, ERR_TOOBIG, "line %d: more than %u categories and tags", wxr_line(w),
                       WXR_TERMS_MAX);
    struct str decoded = wxr_pct_decode(raw, &w->item);
    t.slug = wxr_slug(raw, &w->item);
    t.name = name.len ? name : decoded;
    t.description = description;
    enum err_code rc = w->sink->tag ? w->sink->tag(w->sink->ctx, &t, err) : ERR_OK;
    if (rc)
        return rc;
    if (!category)
        return str_eq(t.slug, decoded)
                   ? ERR_OK
                   : wxr_redirect(w, "/tag/", decoded, "/", IMPORT_TAGS, t.id, err);
    rc = wxr_redirect(w, "/category/", path, "/", IMPORT_TAGS, t.id, err);
    if (rc || str_eq(path, decoded))
        return rc;
    return wxr_redirect(w, "/category/", decoded, "/", IMPORT_TAGS, t.id, err);
}

/* "world/europe": the parent's path (categories come parents first) and the slug, decoded. */
static struct str wxr_category_path(struct wxr *w, struct str raw, struct str parent)
{
    struct str decoded = wxr_pct_decode(raw, &w->item);
    if (!parent.len)
        return decoded;
    struct wxr_term *p = wxr_terms_find(&w->terms, arena_cat3(&w->item, "category:", parent, ""));
    struct str ppath = p ? p->path : wxr_pct_decode(parent, &w->item);
    if (ppath.len + decoded.len > 2048)
        return decoded;
    return str_from(arena_printf(&w->item, "%.*s/%.*s", (int)ppath.len, ppath.ptr, (int)decoded.len,
                                 decoded.ptr));
}

/* wp:category or wp:tag; a term already handed on (listed twice) is passed over. */
static enum err_code wxr_term(struct wxr *w, bool category, struct err *err)
{
    struct str raw = wxr_val(w, F_NICENAME);
    if (!raw.len) {
        wxr_warn(w, "a %s before line %d has no slug: not imported", category ? "category" : "tag",
                 wxr_line(w));
        return ERR_OK;
    }
    struct str id = arena_cat3(&w->item, category ? "category:" : "post_tag:", raw, "");
    if (wxr_terms_find(&w->terms, id))
        return ERR_OK;
    int64_t term_id = INT64_MAX;
    if (!str_to_i64(wxr_val(w, F_TERM_ID), &term_id))
        term_id = INT64_MAX;
    struct str path = category ? wxr_category_path(w, raw, wxr_val(w, F_PARENT)) : STR_NULL;
    return wxr_term_out(w, category, raw, wxr_val(w, F_NAME), wxr_val(w, F_DESCRIPTION), term_id,
                        path, err);
}

/* ---- records: items ------------------------------------------------------------------------ */

static bool wxr_uncategorized(const struct wxr_item_term *t)
{
    return t->category && str_eq_cstr(t->nicename, "uncategorized");
}

static int64_t wxr_term_id_of(struct wxr *w, const struct wxr_item_term *t)
{
    struct wxr_term *e =
        wxr_terms_find(&w->terms, arena_cat3(&w->item, "category:", t->nicename, ""));
    return e ? e->term_id : INT64_MAX;
}

/*
 * The primary category's index in the item's terms (SIZE_MAX: no category): Yoast's or
 * Rank Math's when named, else the lowest term id, as WordPress's %category% permalinks.
 */
static size_t wxr_primary(struct wxr *w, bool others)
{
    int64_t named = 0;
    bool has_named = str_to_i64(wxr_val(w, F_PRIMARY_CAT), &named);
    size_t best = SIZE_MAX;
    int64_t best_id = INT64_MAX;
    for (size_t i = 0; i < w->nitem_terms; i++) {
        const struct wxr_item_term *t = &w->item_terms[i];
        if (!t->category || (others && wxr_uncategorized(t)))
            continue;
        int64_t id = wxr_term_id_of(w, t);
        if (has_named && id == named)
            return i;
        if (best == SIZE_MAX || id < best_id) {
            best = i;
            best_id = id;
        }
    }
    return best;
}

/* One of a post's tags, the term handed on first when the channel did not list it. */
static enum err_code wxr_post_term(struct wxr *w, struct str post_id, const struct wxr_item_term *t,
                                   int64_t order, struct err *err)
{
    struct str id = arena_cat3(&w->item, t->category ? "category:" : "post_tag:", t->nicename, "");
    if (!wxr_terms_find(&w->terms, id)) {
        struct str path = t->category ? wxr_pct_decode(t->nicename, &w->item) : STR_NULL;
        enum err_code rc =
            wxr_term_out(w, t->category, t->nicename, t->name, STR_NULL, INT64_MAX, path, err);
        if (rc)
            return rc;
    }
    return w->sink->post_tag ? w->sink->post_tag(w->sink->ctx, post_id, id, order, err) : ERR_OK;
}

/* Primary category, other categories, tags: each in the file's order. */
static enum err_code wxr_post_terms(struct wxr *w, struct str post_id, struct err *err)
{
    bool others = false;
    for (size_t i = 0; i < w->nitem_terms; i++)
        others |= w->item_terms[i].category && !wxr_uncategorized(&w->item_terms[i]);
    size_t primary = wxr_primary(w, others);
    int64_t order = 0;
    enum err_code rc = ERR_OK;
    if (primary != SIZE_MAX)
        rc = wxr_post_term(w, post_id, &w->item_terms[primary], order++, err);
    for (int pass = 0; pass < 2 && !rc; pass++) {
        for (size_t i = 0; i < w->nitem_terms && !rc; i++) {
            const struct wxr_item_term *t = &w->item_terms[i];
            if (t->category != (pass == 0) || i == primary || (others && wxr_uncategorized(t)))
                continue;
            rc = wxr_post_term(w, post_id, t, order++, err);
        }
    }
    return rc;
}

/* The status here; false: not imported (in the trash, or a status WordPress exports rarely). */
static bool wxr_status(struct wxr *w, const char *label, enum content_status *out)
{
    struct str s = wxr_val(w, F_STATUS);
    bool password = wxr_val(w, F_PASSWORD).len > 0;
    if (str_eq_cstr(s, "publish") || str_eq_cstr(s, "future")) {
        *out = s.ptr[0] == 'p' ? CONTENT_PUBLISHED : CONTENT_SCHEDULED;
        if (password) {
            wxr_warn(w, "%s was password-protected: imported as a draft (no passwords here)",
                     label);
            *out = CONTENT_DRAFT;
        }
        return true;
    }
    *out = CONTENT_DRAFT;
    if (str_eq_cstr(s, "draft") || str_eq_cstr(s, "pending"))
        return true;
    if (str_eq_cstr(s, "private")) {
        wxr_warn(w, "%s was private: imported as a draft", label);
        return true;
    }
    if (str_eq_cstr(s, "trash"))
        wxr_warn(w, "%s is in the trash: not imported", label);
    else
        wxr_warn(w, "%s has status '%.*s': not imported", label, (int)(s.len > 32 ? 32 : s.len),
                 s.ptr);
    return false;
}

static void wxr_dates(const struct wxr *w, struct import_post *p)
{
    /*
     * A draft has no GMT date (0000-00-00): its post_date is when it was saved, in the
     * site's zone, which the file does not name; it is taken as UTC.
     */
    p->created_at = wxr_date(wxr_val(w, F_DATE_GMT));
    if (!p->created_at)
        p->created_at = wxr_date(wxr_val(w, F_DATE));
    p->updated_at = wxr_date(wxr_val(w, F_MODIFIED_GMT));
    if (!p->updated_at)
        p->updated_at = wxr_date(wxr_val(w, F_MODIFIED));
    if (!p->updated_at)
        p->updated_at = p->created_at;
    p->published_at = p->status == CONTENT_DRAFT ? 0 : p->created_at;
}

/* content:encoded made HTML (html_wp_prepare); false: the post is not imported (warned). */
static bool wxr_body(struct wxr *w, const char *label, struct str *html)
{
    struct html_report rep = {0};
    struct err perr = {0};
    if (html_wp_prepare(buf_str(&w->f[F_CONTENT]), &w->item, html, &rep, &perr)) {
        wxr_warn(w, "%s: its body cannot be read (%s): not imported", label, perr.msg);
        return false;
    }
    if (rep.total) {
        struct str what = html_report_format(&rep, &w->item);
        wxr_warn(w, "%s: shortcodes and markup with no equivalent here, removed (text kept): %.*s",
                 label, (int)what.len, what.ptr);
    }
    return true;
}

/* Yoast's or Rank Math's title and description, when set and not a template ("%%title%%"). */
static enum err_code wxr_post_meta(struct wxr *w, struct str post_id, struct err *err)
{
    struct import_post_meta m = {0};
    m.post_id = post_id;
    struct str title = wxr_val(w, F_SEO_TITLE), desc = wxr_val(w, F_SEO_DESC);
    m.meta.meta_title = strstr(buf_str(&w->f[F_SEO_TITLE]).ptr, "%%") ? STR_NULL : title;
    m.meta.meta_description = strstr(buf_str(&w->f[F_SEO_DESC]).ptr, "%%") ? STR_NULL : desc;
    m.meta.canonical_url = wxr_val(w, F_SEO_CANONICAL);
    if (!m.meta.meta_title.len && !m.meta.meta_description.len && !m.meta.canonical_url.len)
        return ERR_OK;
    return w->sink->post_meta ? w->sink->post_meta(w->sink->ctx, &m, err) : ERR_OK;
}

/* The post's links: its author, tags, meta and the old addresses of a public post. */
static enum err_code wxr_post_links(struct wxr *w, const struct import_post *p, struct err *err)
{
    struct str creator = wxr_val(w, F_CREATOR);
    enum err_code rc = ERR_OK;
    if (creator.len && w->sink->post_author)
        rc = w->sink->post_author(w->sink->ctx, p->id, creator, 0, err);
    if (!rc)
        rc = wxr_post_terms(w, p->id, err);
    if (!rc)
        rc = wxr_post_meta(w, p->id, err);
    if (rc || p->status == CONTENT_DRAFT)
        return rc;
    enum import_kind kind = p->page ? IMPORT_PAGES : IMPORT_POSTS;
    rc = wxr_redirect(w, "/?p=", p->id, "", kind, p->id, err);
    if (!rc && p->page)
        rc = wxr_redirect(w, "/?page_id=", p->id, "", kind, p->id, err);
    return rc;
}

static enum err_code wxr_post(struct wxr *w, bool page, struct err *err)
{
    struct import_post p = {0};
    p.id = wxr_val(w, F_POST_ID);
    p.title = wxr_val(w, F_TITLE);
    struct str raw_slug = wxr_val(w, F_POST_NAME);
    const char *label =
        arena_printf(&w->item, "%s %.*s '%.*s'", page ? "page" : "post", (int)p.id.len, p.id.ptr,
                     (int)(raw_slug.len ? raw_slug.len : p.title.len),
                     raw_slug.len ? raw_slug.ptr : p.title.ptr);
    if (!wxr_status(w, label, &p.status) || !wxr_body(w, label, &p.body))
        return ERR_OK;
    p.page = page;
    p.slug = wxr_slug(raw_slug, &w->item);
    p.body_kind = IMPORT_BODY_HTML;
    p.custom_excerpt = wxr_val(w, F_EXCERPT);
    p.feature_image_attachment = wxr_val(w, F_THUMBNAIL);
    p.featured = str_eq_cstr(wxr_val(w, F_STICKY), "1");
    wxr_dates(w, &p);
    if (p.status != CONTENT_DRAFT)
        p.old_path = wxr_link_path(wxr_val(w, F_LINK), &w->item);
    enum err_code rc = w->sink->post ? w->sink->post(w->sink->ctx, &p, err) : ERR_OK;
    return rc ? rc : wxr_post_links(w, &p, err);
}

static enum err_code wxr_attachment(struct wxr *w, struct err *err)
{
    struct import_attachment at = {0};
    at.id = wxr_val(w, F_POST_ID);
    at.url = wxr_val(w, F_ATTACHMENT_URL);
    if (!at.url.len)
        at.url = wxr_val(w, F_GUID);
    at.file = wxr_val(w, F_ATTACHED_FILE);
    at.alt = wxr_val(w, F_ALT);
    at.caption = wxr_val(w, F_EXCERPT);
    at.title = wxr_val(w, F_TITLE);
    return w->sink->attachment ? w->sink->attachment(w->sink->ctx, &at, err) : ERR_OK;
}

/* An item of another type (menus, reusable blocks, custom types): counted by type. */
static void wxr_skip_type(struct wxr *w, struct str type)
{
    for (size_t i = 0; i < WXR_SKIPPED_TYPES; i++) {
        if (!w->skipped[i].n && type.len < sizeof(w->skipped[i].type)) {
            memcpy(w->skipped[i].type, type.ptr, type.len);
            w->skipped[i].type[type.len] = '\0';
        }
        if (str_eq_cstr(type, w->skipped[i].type)) {
            w->skipped[i].n++;
            return;
        }
    }
    w->skipped_other++;
}

static enum err_code wxr_item(struct wxr *w, struct err *err)
{
    struct str type = wxr_val(w, F_TYPE);
    if (!str_to_i64(wxr_val(w, F_POST_ID), &(int64_t){0})) {
        wxr_warn(w, "an item before line %d has no wp:post_id: not imported", wxr_line(w));
        return ERR_OK;
    }
    if (str_eq_cstr(type, "post") || str_eq_cstr(type, "page"))
        return wxr_post(w, type.ptr[1] == 'a', err);
    if (str_eq_cstr(type, "attachment"))
        return wxr_attachment(w, err);
    wxr_skip_type(w, type);
    return ERR_OK;
}

/* ---- the walk over the document ------------------------------------------------------------ */

static enum wxr_ns wxr_node_ns(xmlTextReaderPtr r)
{
    const char *uri = (const char *)xmlTextReaderConstNamespaceUri(r);
    if (!uri)
        return NS_NONE;
    if (!strncmp(uri, wxr_ns_prefix, sizeof(wxr_ns_prefix) - 1))
        return strstr(uri, "/excerpt") ? NS_EXCERPT : NS_WP;
    if (!strcmp(uri, "http://purl.org/rss/1.0/modules/content/"))
        return NS_CONTENT;
    if (!strcmp(uri, "http://purl.org/dc/elements/1.1/"))
        return NS_DC;
    return NS_OTHER;
}

/* Starts reading a leaf of table into its field; false when the element is not one. */
static bool wxr_open_leaf(struct wxr *w, const struct wxr_leaf *table, enum wxr_ns ns,
                          const char *name, int depth)
{
    for (const struct wxr_leaf *l = table; l->name; l++) {
        if (l->ns == ns && !strcmp(l->name, name)) {
            w->field = l->f;
            w->field_depth = depth;
            buf_reset(&w->f[l->f]);
            return true;
        }
    }
    return false;
}

static void wxr_record_begin(struct wxr *w, enum wxr_section sec)
{
    for (size_t i = 0; i < F__COUNT; i++)
        buf_reset(&w->f[i]);
    arena_release(&w->item);
    w->section = sec;
    w->sub = SUB_NONE;
    w->overflow = false;
    w->overflow_body = false;
    w->item_terms = NULL;
    w->nitem_terms = 0;
}

static void wxr_progress(struct wxr *w, bool last)
{
    if (!w->sink->progress)
        return;
    z_off_t at = gzoffset(w->in.gz);
    uint64_t done = at > 0 ? (uint64_t)at : 0;
    if (!last && done < w->progress_at + WXR_PROGRESS_STEP)
        return;
    w->progress_at = done;
    w->sink->progress(w->sink->ctx, last && w->size ? w->size : done, w->size);
}

static enum err_code wxr_record_end(struct wxr *w, enum wxr_section sec, struct err *err)
{
    static const char *const names[] = {"", "an author", "a category", "a tag", "an item"};
    if (w->overflow) {
        wxr_warn(w, "%s before line %d has a field over its size limit (%s): not imported",
                 names[sec], wxr_line(w), w->overflow_body ? "4 MiB of body" : "64 KiB");
        return ERR_OK;
    }
    enum err_code rc = ERR_OK;
    switch (sec) {
    case SEC_AUTHOR:
        rc = wxr_author(w, err);
        break;
    case SEC_CATEGORY:
    case SEC_TAG:
        rc = wxr_term(w, sec == SEC_CATEGORY, err);
        break;
    case SEC_ITEM:
        rc = wxr_item(w, err);
        break;
    case SEC_NONE:
        break;
    }
    wxr_progress(w, false);
    return rc;
}

static enum err_code wxr_root(struct wxr *w, enum wxr_ns ns, const char *name, struct err *err)
{
    if (ns != NS_NONE || strcmp(name, "rss") != 0)
        return err_set(err, ERR_INVALID,
                       "line %d: not a WordPress export: the document is <%.40s>, not <rss>",
                       wxr_line(w), name);
    w->root = true;
    return ERR_OK;
}

static enum err_code wxr_channel_child(struct wxr *w, enum wxr_ns ns, const char *name,
                                       struct err *err)
{
    if (wxr_open_leaf(w, wxr_channel_leaves, ns, name, 2))
        return ERR_OK;
    enum wxr_section sec = SEC_NONE;
    if (ns == NS_WP && !strcmp(name, "author"))
        sec = SEC_AUTHOR;
    else if (ns == NS_WP && !strcmp(name, "category"))
        sec = SEC_CATEGORY;
    else if (ns == NS_WP && !strcmp(name, "tag"))
        sec = SEC_TAG;
    else if (ns == NS_NONE && !strcmp(name, "item"))
        sec = SEC_ITEM;
    if (sec == SEC_NONE)
        return ERR_OK; /* wp:term (the same terms again), generator, custom elements */
    enum err_code rc = w->site_sent ? ERR_OK : wxr_site(w, err);
    if (!rc)
        wxr_record_begin(w, sec);
    return rc;
}

/* A <category domain="..." nicename="..."> on an item: its name is read as a leaf. */
static void wxr_item_category_begin(struct wxr *w)
{
    xmlChar *domain = xmlTextReaderGetAttribute(w->r, (const xmlChar *)"domain");
    xmlChar *nicename = xmlTextReaderGetAttribute(w->r, (const xmlChar *)"nicename");
    w->cat_domain = arena_str(&w->item, str_from((const char *)domain));
    w->cat_nicename = arena_str(&w->item, str_from((const char *)nicename));
    xmlFree(domain);
    xmlFree(nicename);
    w->field = F_CAT_NAME;
    w->field_depth = 3;
    buf_reset(&w->f[F_CAT_NAME]);
}

/* The item's category read: kept when it is a category or tag not already on the item. */
static void wxr_item_category_end(struct wxr *w)
{
    struct str d = w->cat_domain;
    bool category = str_eq_cstr(d, "category");
    /* WXR 1.0 wrote tags as domain "tag"; other domains are custom taxonomies, not imported */
    if ((!category && !str_eq_cstr(d, "post_tag") && !str_eq_cstr(d, "tag")) ||
        !w->cat_nicename.len || w->nitem_terms >= WXR_ITEM_TERMS_MAX)
        return;
    for (size_t i = 0; i < w->nitem_terms; i++)
        if (w->item_terms[i].category == category &&
            str_eq(w->item_terms[i].nicename, w->cat_nicename))
            return;
    if (!w->item_terms)
        w->item_terms = arena_calloc(&w->item, WXR_ITEM_TERMS_MAX, sizeof(*w->item_terms));
    struct wxr_item_term *t = &w->item_terms[w->nitem_terms++];
    t->category = category;
    t->nicename = w->cat_nicename;
    t->name = arena_str(&w->item, wxr_val(w, F_CAT_NAME));
}

static void wxr_item_child(struct wxr *w, enum wxr_ns ns, const char *name)
{
    if (wxr_open_leaf(w, wxr_item_leaves, ns, name, 3))
        return;
    if (ns == NS_NONE && !strcmp(name, "category")) {
        wxr_item_category_begin(w);
    } else if (ns == NS_WP && !strcmp(name, "postmeta")) {
        w->sub = SUB_POSTMETA;
        w->meta_overflow = false;
        buf_reset(&w->f[F_META_KEY]);
        buf_reset(&w->f[F_META_VALUE]);
    } else if (ns == NS_WP && !strcmp(name, "comment")) {
        w->comments++;
    }
}

static void wxr_record_child(struct wxr *w, enum wxr_ns ns, const char *name)
{
    switch (w->section) {
    case SEC_AUTHOR:
        wxr_open_leaf(w, wxr_author_leaves, ns, name, 3);
        break;
    case SEC_CATEGORY:
        wxr_open_leaf(w, wxr_category_leaves, ns, name, 3);
        break;
    case SEC_TAG:
        wxr_open_leaf(w, wxr_tag_leaves, ns, name, 3);
        break;
    case SEC_ITEM:
        wxr_item_child(w, ns, name);
        break;
    case SEC_NONE:
        break;
    }
}

/* A postmeta read: the keys an import uses go to their fields. */
static void wxr_meta_end(struct wxr *w)
{
    struct str key = wxr_val(w, F_META_KEY);
    if (w->meta_overflow)
        return;
    for (size_t i = 0; i < ARRAY_LEN(wxr_meta_keys); i++) {
        if (str_eq_cstr(key, wxr_meta_keys[i].key)) {
            struct buf *to = &w->f[wxr_meta_keys[i].f];
            buf_reset(to);
            if (buf_append_str(to, buf_str(&w->f[F_META_VALUE])))
                w->overflow = true;
            return;
        }
    }
}

static enum err_code wxr_end(struct wxr *w, int depth, struct err *err)
{
    if (w->field_depth && w->field_depth == depth) {
        w->field_depth = 0;
        if (w->field == F_CAT_NAME)
            wxr_item_category_end(w);
        return ERR_OK;
    }
    if (depth == 3 && w->sub == SUB_POSTMETA) {
        wxr_meta_end(w);
        w->sub = SUB_NONE;
    } else if (depth == 2 && w->section != SEC_NONE) {
        enum wxr_section sec = w->section;
        w->section = SEC_NONE;
        return wxr_record_end(w, sec, err);
    } else if (depth == 1) {
        w->channel = false;
    } else if (depth == 0) {
        w->root_closed = true;
    }
    return ERR_OK;
}

static enum err_code wxr_element(struct wxr *w, int depth, struct err *err)
{
    if (w->field_depth)
        return ERR_OK; /* markup inside a field: its text is the field's */
    enum wxr_ns ns = wxr_node_ns(w->r);
    const char *name = (const char *)xmlTextReaderConstLocalName(w->r);
    enum err_code rc = ERR_OK;
    if (!name)
        return err_set(err, ERR_INVALID, "line %d: malformed XML", wxr_line(w));
    if (depth == 0)
        rc = wxr_root(w, ns, name, err);
    else if (depth == 1 && ns == NS_NONE && !strcmp(name, "channel"))
        w->channel = true;
    else if (depth == 2 && w->channel)
        rc = wxr_channel_child(w, ns, name, err);
    else if (depth == 3)
        wxr_record_child(w, ns, name);
    else if (depth == 4 && w->sub == SUB_POSTMETA)
        wxr_open_leaf(w, wxr_postmeta_leaves, ns, name, 4);
    if (rc || !xmlTextReaderIsEmptyElement(w->r))
        return rc;
    return wxr_end(w, depth, err);
}

static void wxr_text(struct wxr *w)
{
    if (!w->field_depth)
        return;
    const char *v = (const char *)xmlTextReaderConstValue(w->r);
    if (!v || !buf_puts(&w->f[w->field], v))
        return;
    if (w->field == F_META_VALUE) {
        w->meta_overflow = true;
    } else {
        w->overflow = true;
        w->overflow_body |= w->field == F_CONTENT;
    }
}

static enum err_code wxr_node(struct wxr *w, struct err *err)
{
    int depth = xmlTextReaderDepth(w->r);
    switch (xmlTextReaderNodeType(w->r)) {
    case XML_READER_TYPE_ELEMENT:
        return wxr_element(w, depth, err);
    case XML_READER_TYPE_END_ELEMENT:
        return wxr_end(w, depth, err);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        wxr_text(w);
        return ERR_OK;
    case XML_READER_TYPE_DOCUMENT_TYPE:
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
        w->in.doctype = true;
        return wxr_read_failed(w, err);
    default:
        return ERR_OK;
    }
}

/* ---- the reader -------------------------------------------------------------------------- */

static void wxr_init(struct wxr *w, const char *path, const struct import_sink *sink, uint64_t max)
{
    w->path = path;
    w->sink = sink;
    w->in.max = max;
    for (size_t i = 0; i < F__COUNT; i++)
        buf_init(&w->f[i], i == F_CONTENT ? WXR_BODY_MAX : WXR_FIELD_MAX);
    arena_init(&w->item);
    arena_init(&w->terms.a);
}

static void wxr_release(struct wxr *w)
{
    if (w->r)
        xmlFreeTextReader(w->r);
    if (w->in.gz)
        gzclose(w->in.gz);
    for (size_t i = 0; i < F__COUNT; i++)
        buf_release(&w->f[i]);
    arena_release(&w->item);
    wxr_terms_release(&w->terms);
}

static enum err_code wxr_open(struct wxr *w, struct err *err)
{
    struct stat st;
    if (stat(w->path, &st) != 0)
        return err_set(err, ERR_IO, "cannot open: %s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(err, ERR_INVALID, "not a file");
    w->size = (uint64_t)st.st_size;
    w->in.gz = gzopen(w->path, "rb");
    if (!w->in.gz)
        return err_set(err, ERR_IO, "cannot open: %s", strerror(errno));
    gzbuffer(w->in.gz, 128 * 1024);
    /*
     * No NOENT, DTDLOAD, DTDATTR, DTDVALID or HUGE: see the top of this file. NOERROR and
     * NOWARNING keep libxml2 from printing; the structured handler takes the messages.
     */
    w->r = xmlReaderForIO(wxr_input_read, wxr_input_close, &w->in, w->path, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!w->r)
        return wxr_read_failed(w, err);
    xmlTextReaderSetStructuredErrorHandler(w->r, wxr_xml_error, w);
    return ERR_OK;
}

static enum err_code wxr_walk(struct wxr *w, struct err *err)
{
    int ret;
    while ((ret = xmlTextReaderRead(w->r)) == 1) {
        enum err_code rc = wxr_node(w, err);
        if (rc)
            return rc;
    }
    if (ret < 0 || w->xml_msg[0] || w->in.toobig || w->in.ioerr)
        return wxr_read_failed(w, err);
    return ERR_OK;
}

/* The end of a good file: a WXR file with nothing in it still names its version. */
static enum err_code wxr_finish(struct wxr *w, struct err *err)
{
    enum err_code rc = w->site_sent ? ERR_OK : wxr_site(w, err);
    if (rc)
        return rc;
    if (w->comments)
        wxr_warn(w, "%" PRId64 " comment%s not imported: Newsdesk has no comments", w->comments,
                 w->comments == 1 ? "" : "s");
    for (size_t i = 0; i < WXR_SKIPPED_TYPES && w->skipped[i].n; i++)
        wxr_warn(w,
                 "%" PRId64 " items of type '%s' not imported (only posts, pages and "
                 "attachments are)",
                 w->skipped[i].n, w->skipped[i].type);
    if (w->skipped_other)
        wxr_warn(w, "%" PRId64 " items of other types not imported", w->skipped_other);
    wxr_progress(w, true);
    return ERR_OK;
}

enum err_code import_read_wordpress_max(const char *path, uint64_t max_bytes,
                                        const struct import_sink *sink, struct err *err)
{
    xmlInitParser();
    /* errors raised before the reader has its handler go to this thread's handler */
    xmlStructuredErrorFunc saved = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    struct wxr *w = xcalloc(1, sizeof(*w));
    wxr_init(w, path, sink, max_bytes);
    xmlSetStructuredErrorFunc(w, wxr_xml_error);
    enum err_code rc = wxr_open(w, err);
    if (!rc)
        rc = wxr_walk(w, err);
    if (!rc)
        rc = wxr_finish(w, err);
    wxr_release(w);
    xmlSetStructuredErrorFunc(saved_ctx, saved);
    free(w);
    return rc;
}

enum err_code import_read_wordpress(const char *path, const struct import_sink *sink,
                                    struct err *err)
{
    return import_read_wordpress_max(path, (uint64_t)IMPORT_FILE_MAX, sink, err);
}
