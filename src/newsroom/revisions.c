/*
 * Revisions as the newsroom keeps them: every field a revision's page compares, taken
 * from the draft that was saved, and given back to a draft when a revision is restored.
 */
#include "newsroom/newsroom.h"

#include "store/store.h"

#include <string.h>

size_t newsroom_list_split(struct str s, struct arena *a, struct str **out)
{
    size_t cap = 1;
    for (size_t i = 0; i < s.len; i++)
        cap += s.ptr[i] == ',';
    struct str *v = arena_calloc(a, cap + 1, sizeof(*v)); /* room for one more (a tag) */
    size_t n = 0;
    while (s.len) {
        const char *at = memchr(s.ptr, ',', s.len);
        size_t len = at ? (size_t)(at - s.ptr) : s.len;
        struct str item = str_trim((struct str){s.ptr, len});
        if (item.len)
            v[n++] = item;
        s.ptr += len + (at ? 1 : 0);
        s.len -= len + (at ? 1 : 0);
    }
    *out = v;
    return n;
}

/* "a, b, c", in a. */
static struct str list_join(const struct str *v, size_t n, struct arena *a)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += v[i].len + 2;
    char *out = arena_alloc(a, len + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i) {
            memcpy(out + k, ", ", 2);
            k += 2;
        }
        memcpy(out + k, v[i].ptr, v[i].len);
        k += v[i].len;
    }
    out[k] = '\0';
    return (struct str){out, k};
}

void newsroom_revision_of(const struct content_draft *d, const char *action, struct arena *a,
                          struct store_revision *r)
{
    *r = (struct store_revision){
        .action = str_from(action),
        .title = str_trim(d->title),
        .markdown = d->markdown,
        .excerpt = d->custom_excerpt,
        .tags = list_join(d->tags, d->ntags, a),
        .authors = list_join(d->authors, d->nauthors, a),
        .feature_image = d->feature_image,
        .feature_image_alt = d->feature_image_alt,
        .feature_image_caption = d->feature_image_caption,
        .correction = str_trim(d->correction),
        .minor = d->minor,
        .recorded = true,
    };
}

void newsroom_revision_restore(const struct store_revision *r, struct arena *a,
                               struct content_draft *d)
{
    d->title = r->title;
    d->markdown = r->markdown;
    if (!r->recorded) /* an older revision kept only these two */
        return;
    d->custom_excerpt = r->excerpt;
    d->ntags = newsroom_list_split(r->tags, a, &d->tags);
    d->nauthors = newsroom_list_split(r->authors, a, &d->authors);
    d->feature_image = r->feature_image;
    d->feature_image_alt = r->feature_image_alt;
    d->feature_image_caption = r->feature_image_caption;
    d->correction = r->correction;
}
