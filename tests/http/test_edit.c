/* Corrections: `post update` changes what readers see at once, never a post's identity. */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct srv srv;

HTTP_SUITE(http_edit, srv, 60, .posts = 5);

static void write_post(const char *name, const char *text)
{
    srv_write(&srv, name, text, NULL);
}

static int post(const char *cmd, const char *slug, const char *name)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/%s", srv.dir, name);
    char *err = NULL;
    int rc = slug ? run_newsdesk(NULL, &err, "post", cmd, "--db", srv.db, slug, path, NULL)
                  : run_newsdesk(NULL, &err, "post", cmd, "--db", srv.db, path, NULL);
    if (rc)
        fprintf(stderr, "%s", err);
    free(err);
    return rc;
}

/* The text after `after` up to the next '<' or '"' in a body (malloc'd). */
static char *between(const struct resp *r, const char *after)
{
    char *s = body_after(r, after, "<\"");
    cr_assert(s, "no '%s'", after);
    return s;
}

Test(http_edit, a_correction_keeps_ids_and_changes_dates_and_etags)
{
    write_post("v1.md", "---\ntitle: Bridge closed\ntags: [News Feed, Transport]\n"
                        "published_at: 2026-11-25T08:00:00Z\n---\nThe bridge is closed.\n");
    cr_assert_eq(post("add", NULL, "v1.md"), 0);
    struct resp a1, atom1, page1;
    http_req(&srv, "GET", "/rss/", &a1);
    http_req(&srv, "GET", "/atom/", &atom1);
    http_req(&srv, "GET", "/bridge-closed/", &page1);
    char *guid1 = between(&a1, "<guid isPermaLink=\"false\">");
    char *id1 = between(&atom1, "<id>urn:uuid:");
    char *etag1 = resp_header(&page1, "etag");
    cr_assert(body_has(&page1, "The bridge is closed."));
    sleep(1); /* a second later, so updated_at moves */

    write_post("v2.md", "---\ntitle: Bridge reopened\ntags: [News Feed]\n---\n"
                        "Correction: the bridge reopened at noon.\n");
    cr_assert_eq(post("update", "bridge-closed", "v2.md"), 0);
    struct resp a2, atom2, page2, transport, home;
    http_req(&srv, "GET", "/rss/", &a2);
    http_req(&srv, "GET", "/atom/", &atom2);
    http_req(&srv, "GET", "/bridge-closed/", &page2);
    http_req(&srv, "GET", "/tag/transport/", &transport);
    http_req(&srv, "GET", "/", &home);
    char *guid2 = between(&a2, "<guid isPermaLink=\"false\">");
    char *id2 = between(&atom2, "<id>urn:uuid:");
    char *etag2 = resp_header(&page2, "etag");
    cr_expect_str_eq(guid2, guid1, "the RSS guid survives the edit");
    cr_expect_str_eq(id2, id1, "the Atom id survives the edit");
    cr_expect_str_neq(etag2, etag1, "the ETag follows the content");
    cr_expect(body_has(&page2, "Correction: the bridge reopened at noon."), "seen at once");
    cr_expect(body_has(&page2, "<span class=\"updated\">"), "shown as updated");
    cr_expect(body_has(&a2, "<title>Bridge reopened</title>"));
    cr_expect(body_has(&home, "Bridge reopened"));
    cr_expect(!body_has(&transport, "bridge-closed"), "gone from the tag it left");
    char *pub = between(&page2, "article:published_time\" content=\"");
    char *mod = between(&page2, "article:modified_time\" content=\"");
    cr_expect(strcmp(mod, pub) > 0, "modified %s after published %s", mod, pub);
    cr_expect(strncmp(pub, "2026-11-25T08:00:00", 19) == 0, "publication time kept: %s", pub);
    free(guid1), free(guid2), free(id1), free(id2), free(etag1), free(etag2), free(pub), free(mod);
    resp_free(&a1), resp_free(&atom1), resp_free(&page1), resp_free(&a2), resp_free(&atom2);
    resp_free(&page2), resp_free(&transport), resp_free(&home);
}

Test(http_edit, unpublishing_and_bad_updates)
{
    write_post("p.md", "---\ntitle: Short lived\n---\nText.\n");
    cr_assert_eq(post("add", NULL, "p.md"), 0);
    write_post("d.md", "---\ntitle: Short lived\nstatus: draft\n---\nText.\n");
    cr_assert_eq(post("update", "short-lived", "d.md"), 0);
    struct resp r;
    http_req(&srv, "GET", "/short-lived/", &r);
    cr_expect_eq(r.status, 404, "an unpublished post is gone at once");
    resp_free(&r);
    cr_expect_neq(post("update", "no-such-post", "d.md"), 0);
    write_post("bad.md", "---\ntitle: Broken\nwhen: never\n---\nx\n");
    cr_expect_neq(post("update", "short-lived", "bad.md"), 0);
}
