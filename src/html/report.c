/*
 * What a conversion dropped, counted by kind (html.h).
 */
#include "html/html.h"

#include <stdlib.h>
#include <string.h>

static void add_n(struct html_report *r, const char *what, size_t n)
{
    size_t len = strlen(what);
    if (len > sizeof(r->kinds[0].what) - 1)
        len = sizeof(r->kinds[0].what) - 1;
    r->total += n;
    for (size_t i = 0; i < r->nkinds; i++) {
        if (strncmp(r->kinds[i].what, what, len) == 0 && r->kinds[i].what[len] == '\0') {
            r->kinds[i].count += n;
            return;
        }
    }
    if (r->nkinds == HTML_REPORT_KINDS - 1 && strcmp(what, "other") != 0) {
        add_n(r, "other", n);
        r->total -= n;
        return;
    }
    memcpy(r->kinds[r->nkinds].what, what, len);
    r->kinds[r->nkinds].what[len] = '\0';
    r->kinds[r->nkinds].count = n;
    r->nkinds++;
}

void html_report_add(struct html_report *r, const char *what)
{
    add_n(r, what, 1);
}

void html_report_merge(struct html_report *into, const struct html_report *from)
{
    for (size_t i = 0; i < from->nkinds; i++)
        add_n(into, from->kinds[i].what, from->kinds[i].count);
    /* drops that were counted without a kind of their own */
    size_t counted = 0;
    for (size_t i = 0; i < from->nkinds; i++)
        counted += from->kinds[i].count;
    into->total += from->total > counted ? from->total - counted : 0;
}

static int by_count(const void *x, const void *y)
{
    const size_t *a = x, *b = y;
    return a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : a[0] < b[0] ? -1 : a[0] > b[0];
}

struct str html_report_format(const struct html_report *r, struct arena *a)
{
    size_t order[HTML_REPORT_KINDS][2];
    for (size_t i = 0; i < r->nkinds; i++) {
        order[i][0] = i;
        order[i][1] = r->kinds[i].count;
    }
    qsort(order, r->nkinds, sizeof(order[0]), by_count);
    struct buf b;
    buf_init(&b, 4096);
    for (size_t i = 0; i < r->nkinds; i++) {
        size_t k = order[i][0];
        buf_printf(&b, "%s%s \xc3\x97%zu", i ? ", " : "", r->kinds[k].what, r->kinds[k].count);
    }
    struct str s = arena_str(a, buf_str(&b));
    buf_release(&b);
    return s;
}
