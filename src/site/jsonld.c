/*
 * Structured data for search engines (STANDARDS.md 6): schema.org JSON-LD, built with
 * jansson and made safe to sit inside <script>: "<", ">" and "&" become \u003c, \u003e
 * and \u0026 (they only ever occur inside JSON strings), so no "</script>", "<!--" or
 * "<script" can change how the HTML parser reads the element, whatever a title holds.
 */
#include "site/site_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* path ("/x/") or URL as an absolute URL under the site. */
struct str site_absolute(const struct site *site, struct str url, struct arena *a)
{
    if (url.len && url.ptr[0] == '/' && !(url.len > 1 && url.ptr[1] == '/'))
        return str_from(arena_printf(a, "%.*s%.*s", (int)site->settings.url.len,
                                     site->settings.url.ptr, (int)url.len, url.ptr));
    return url;
}

static json_t *jstr(struct str s)
{
    json_t *v = json_stringn(s.ptr, s.len);
    return v ? v : json_string(""); /* invalid UTF-8 never reaches here; be safe anyway */
}

static struct str dump(json_t *root, struct arena *a)
{
    char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return STR_LIT("");
    size_t n = strlen(text);
    char *out = arena_alloc(a, n * 6 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = text[i] == '<' ? "\\u003c" : text[i] == '>' ? "\\u003e"
                          : text[i] == '&' ? "\\u0026" : NULL;
        if (esc) {
            memcpy(out + k, esc, 6);
            k += 6;
        } else {
            out[k++] = text[i];
        }
    }
    out[k] = '\0';
    free(text);
    return (struct str){out, k};
}

static json_t *thing(const char *type, struct str name, struct str url)
{
    json_t *o = json_object();
    json_object_set_new(o, "@type", json_string(type));
    json_object_set_new(o, "name", jstr(name));
    if (url.len)
        json_object_set_new(o, "url", jstr(url));
    return o;
}

static json_t *publisher(const struct site *site)
{
    return thing("Organization", site->settings.title, site->settings.url);
}

static json_t *root(const char *type)
{
    json_t *o = json_object();
    json_object_set_new(o, "@context", json_string("https://schema.org"));
    json_object_set_new(o, "@type", json_string(type));
    return o;
}

struct str site_jsonld_article(const struct site *site, const struct view_post *p,
                               struct str canonical, struct arena *a)
{
    json_t *o = root("NewsArticle");
    json_object_set_new(o, "headline", jstr(p->title));
    json_object_set_new(o, "datePublished", jstr(p->date_iso));
    json_object_set_new(o, "dateModified", jstr(p->updated_iso));
    json_t *authors = json_array();
    for (size_t i = 0; i < p->nauthors; i++) {
        const struct view_author *au = &p->authors[i];
        json_array_append_new(authors, thing("Person", au->name,
                                             site_absolute(site, au->url, a)));
    }
    json_object_set_new(o, "author", authors);
    if (p->feature_image.len) {
        json_t *img = json_array();
        json_array_append_new(img, jstr(site_absolute(site, p->feature_image, a)));
        json_object_set_new(o, "image", img);
    }
    json_object_set_new(o, "publisher", publisher(site));
    json_t *page = json_object();
    json_object_set_new(page, "@type", json_string("WebPage"));
    json_object_set_new(page, "@id", jstr(canonical));
    json_object_set_new(o, "mainEntityOfPage", page);
    if (p->section)
        json_object_set_new(o, "articleSection", jstr(p->section->name));
    if (p->excerpt.len)
        json_object_set_new(o, "description", jstr(p->excerpt));
    return dump(o, a);
}

struct str site_jsonld_website(const struct site *site, struct arena *a)
{
    json_t *o = root("WebSite");
    json_object_set_new(o, "name", jstr(site->settings.title));
    json_object_set_new(o, "url", jstr(arena_cat3(a, "", site->settings.url, "/")));
    if (site->settings.description.len)
        json_object_set_new(o, "description", jstr(site->settings.description));
    json_object_set_new(o, "publisher", publisher(site));
    return dump(o, a);
}

struct str site_jsonld_author(const struct site *site, const struct view_author *au, bool desk,
                              struct str canonical, struct arena *a)
{
    json_t *o = root(desk ? "Organization" : "Person");
    json_object_set_new(o, "name", jstr(au->name));
    json_object_set_new(o, "url", jstr(canonical));
    if (au->bio.len)
        json_object_set_new(o, "description", jstr(au->bio));
    if (au->avatar.len)
        json_object_set_new(o, "image", jstr(site_absolute(site, au->avatar, a)));
    return dump(o, a);
}

struct str site_jsonld_collection(const struct site *site, const struct view_tag *t,
                                  struct str canonical, struct arena *a)
{
    json_t *o = root("CollectionPage");
    json_object_set_new(o, "name", jstr(t->name));
    json_object_set_new(o, "url", jstr(canonical));
    if (t->description.len)
        json_object_set_new(o, "description", jstr(t->description));
    json_object_set_new(o, "isPartOf", thing("WebSite", site->settings.title,
                                             arena_cat3(a, "", site->settings.url, "/")));
    return dump(o, a);
}
