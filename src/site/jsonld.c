/*
 * Structured data for search engines (STANDARDS.md 6): schema.org JSON-LD, built with
 * json/ and written with JSON_WRITE_SCRIPT_SAFE to sit inside <script>: "<", ">" and "&"
 * become \u003c, \u003e and \u0026 (they only ever occur inside JSON strings), so no
 * "</script>", "<!--" or "<script" can change how the HTML parser reads the element,
 * whatever a title holds.
 */
#include "site/site_int.h"

#include "json/json.h"

/* path ("/x/") or URL as an absolute URL under the site. */
struct str site_absolute(const struct site *site, struct str url, struct arena *a)
{
    if (url.len && url.ptr[0] == '/' && !(url.len > 1 && url.ptr[1] == '/'))
        return str_from(arena_printf(a, "%.*s%.*s", (int)site->settings.url.len,
                                     site->settings.url.ptr, (int)url.len, url.ptr));
    return url;
}

/* A block's bytes: far more than any title, byline and excerpt make together. */
#define JSONLD_MAX (1024 * 1024)

/* Invalid UTF-8 never reaches here (stored text is checked): "" if it did, to be safe. */
static struct json *jstr(struct str s)
{
    struct json *v = json_str_new(s);
    return v ? v : json_str_new(STR_LIT(""));
}

/* The block's text, in a; "" if it could not be written (it is an optional extra). */
static struct str dump(struct json *root, struct arena *a)
{
    struct buf b;
    buf_init(&b, JSONLD_MAX);
    enum err_code rc = json_write(root, JSON_WRITE_SCRIPT_SAFE, &b, NULL);
    json_free(root);
    struct str out = rc ? STR_LIT("") : arena_str(a, buf_str(&b));
    buf_release(&b);
    return out;
}

static struct json *thing(const char *type, struct str name, struct str url)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "@type", str_from(type));
    json_obj_set(o, "name", jstr(name));
    if (url.len)
        json_obj_set(o, "url", jstr(url));
    return o;
}

static struct json *publisher(const struct site *site)
{
    return thing("Organization", site->settings.title, site->settings.url);
}

static struct json *root(const char *type)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "@context", STR_LIT("https://schema.org"));
    json_obj_set_str(o, "@type", str_from(type));
    return o;
}

/*
 * The page's image as an ImageObject: with its width and height when it is a photo of
 * ours (Google wants them, and at least 1200 px wide for large previews), else its URL.
 */
static struct json *image_object(const struct view_page *page)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "@type", STR_LIT("ImageObject"));
    json_obj_set(o, "url", jstr(page->image));
    if (page->image_width && page->image_height) {
        json_obj_set(o, "width", json_int_new(page->image_width));
        json_obj_set(o, "height", json_int_new(page->image_height));
    }
    return o;
}

/* schema.org's CorrectionComment: the note as readers see it, and when it was written. */
static struct json *correction_comment(const struct view_post *p)
{
    struct json *o = json_obj_new();
    json_obj_set_str(o, "@type", STR_LIT("CorrectionComment"));
    json_obj_set(o, "text", jstr(p->correction));
    json_obj_set(o, "datePublished", jstr(p->corrected_iso));
    return o;
}

struct str site_jsonld_article(const struct site *site, const struct view_page *page,
                               struct arena *a)
{
    const struct view_post *p = page->post;
    struct json *o = root("NewsArticle");
    json_obj_set(o, "headline", jstr(p->title));
    json_obj_set(o, "datePublished", jstr(p->date_iso));
    json_obj_set(o, "dateModified", jstr(p->updated_iso)); /* revised_at, else published */
    if (p->correction.len)
        json_obj_set(o, "correction", correction_comment(p));
    struct json *authors = json_arr_new();
    for (size_t i = 0; i < p->nauthors; i++) {
        const struct view_author *au = &p->authors[i];
        json_arr_push(authors, thing("Person", au->name, site_absolute(site, au->url, a)));
    }
    json_obj_set(o, "author", authors);
    if (page->image.len)
        json_obj_set(o, "image", image_object(page));
    json_obj_set(o, "publisher", publisher(site));
    struct json *main = json_obj_new();
    json_obj_set_str(main, "@type", STR_LIT("WebPage"));
    json_obj_set(main, "@id", jstr(page->canonical));
    json_obj_set(o, "mainEntityOfPage", main);
    if (p->section)
        json_obj_set(o, "articleSection", jstr(p->section->name));
    if (p->excerpt.len)
        json_obj_set(o, "description", jstr(p->excerpt));
    return dump(o, a);
}

/*
 * The site's search as schema.org's SearchAction (Google's "sitelinks search box"): the
 * results page's address with the query where {search_term_string} stands.
 */
static struct json *search_action(const struct site *site, struct arena *a)
{
    struct json *o = json_obj_new();
    json_obj_set(o, "@type", jstr(STR_LIT("SearchAction")));
    struct json *target = json_obj_new();
    json_obj_set(target, "@type", jstr(STR_LIT("EntryPoint")));
    json_obj_set(target, "urlTemplate",
                 jstr(arena_cat3(a, "", site->settings.url, "/search/?q={search_term_string}")));
    json_obj_set(o, "target", target);
    json_obj_set(o, "query-input", jstr(STR_LIT("required name=search_term_string")));
    return o;
}

struct str site_jsonld_website(const struct site *site, struct arena *a)
{
    struct json *o = root("WebSite");
    json_obj_set(o, "name", jstr(site->settings.title));
    json_obj_set(o, "url", jstr(arena_cat3(a, "", site->settings.url, "/")));
    if (site->settings.description.len)
        json_obj_set(o, "description", jstr(site->settings.description));
    json_obj_set(o, "publisher", publisher(site));
    json_obj_set(o, "potentialAction", search_action(site, a));
    return dump(o, a);
}

struct str site_jsonld_author(const struct site *site, const struct view_author *au, bool desk,
                              struct str canonical, struct arena *a)
{
    struct json *o = root(desk ? "Organization" : "Person");
    json_obj_set(o, "name", jstr(au->name));
    json_obj_set(o, "url", jstr(canonical));
    if (au->bio.len)
        json_obj_set(o, "description", jstr(au->bio));
    if (au->avatar.len)
        json_obj_set(o, "image", jstr(site_absolute(site, au->avatar, a)));
    return dump(o, a);
}

struct str site_jsonld_collection(const struct site *site, const struct view_tag *t,
                                  struct str canonical, struct arena *a)
{
    struct json *o = root("CollectionPage");
    json_obj_set(o, "name", jstr(t->name));
    json_obj_set(o, "url", jstr(canonical));
    if (t->description.len)
        json_obj_set(o, "description", jstr(t->description));
    json_obj_set(
        o, "isPartOf",
        thing("WebSite", site->settings.title, arena_cat3(a, "", site->settings.url, "/")));
    return dump(o, a);
}
