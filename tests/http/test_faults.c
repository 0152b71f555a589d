/*
 * The store failing under a write: a locked database, a full disk, a disk that fails, memory
 * run out. The test build injects each one (NEWSDESK_FAULT, src/store/sqlite.c) into every
 * statement that writes; a publish must then end in a clean error response (503 with
 * Retry-After for busy, 500 for the others) and a log line, change nothing, and leave the
 * site's pages served; once the fault is lifted, the same publish goes through.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PW "correct horse battery"

static struct srv srv;
static struct staff ed;
static char fault_path[SRV_PATH_MAX];

/* The server reads the fault from this file while it exists (the variable names it). */
static void with_faults(struct srv *s)
{
    cr_assert_eq(staff_add(s, "ed@example.org", "Ed Editor", "editor", PW), 0);
    snprintf(fault_path, sizeof(fault_path), "%s/fault", s->dir);
    setenv("NEWSDESK_FAULT", fault_path, 1);
}

HTTP_SUITE(http_faults, srv, 60, .posts = 3, .before_start = with_faults);

static void fault_set(const char *what)
{
    FILE *f = fopen(fault_path, "w");
    cr_assert(f);
    fputs(what, f);
    fclose(f);
}

static void fault_lift(void)
{
    cr_assert_eq(unlink(fault_path), 0);
}

static long count(const char *sql)
{
    char *v = db_query(&srv, sql);
    long n = atol(v);
    free(v);
    return n;
}

static long posts(void)
{
    return count("SELECT count(*) FROM posts");
}

static int publish(const char *title, struct resp *r)
{
    char *t = form_enc(title);
    char form[512];
    snprintf(form, sizeof(form), "title=%s&markdown=Filed+under+a+fault.&action=publish", t);
    free(t);
    staff_post(&srv, &ed, "/admin/posts/new/", form, r);
    return r->status;
}

static void expect_page(const char *path, const char *has)
{
    struct resp r;
    http_req(&srv, "GET", path, &r);
    cr_expect_eq(r.status, 200, "GET %s under a fault: %d", path, r.status);
    if (has)
        cr_expect(body_has(&r, has), "GET %s under a fault lacks '%s'", path, has);
    resp_free(&r);
}

/* Whether the server's log holds needle (the log goes to server.log in its folder). */
static bool log_has(const char *needle)
{
    char path[SRV_PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/server.log", srv.dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[2048];
    bool found = false;
    while (!found && fgets(line, sizeof(line), f))
        found = strstr(line, needle) != NULL;
    fclose(f);
    return found;
}

/*
 * One trial: logged in and the home page cached before the fault; under it a publish gets
 * `status` and the log gets `logged` (the database's message), no post is added, the home
 * page (cached) and a post's page (rendered afresh: a read) are served; lifted, it works.
 */
static void trial(const char *fault, int status, const char *logged)
{
    cr_assert_eq(staff_login(&srv, "ed@example.org", PW, &ed), 303);
    expect_page("/", NULL);
    long before = posts();
    fault_set(fault);

    struct resp r;
    cr_expect_eq(publish("Written under a fault", &r), status, "%s: publish answered %d", fault,
                 r.status);
    char *retry = resp_header(&r, "retry-after");
    if (status == 503)
        cr_expect(retry && atoi(retry) > 0, "%s: no Retry-After on the 503", fault);
    free(retry);
    cr_expect(r.body_len > 0, "%s: an empty error page", fault);
    /* the error line names the request, as its X-Request-Id does */
    char *id = resp_header(&r, "x-request-id");
    char tag[64];
    snprintf(tag, sizeof(tag), "[request %s] ", id ? id : "(none)");
    cr_expect(id && log_has(tag), "%s: no error line with '%s'", fault, tag);
    free(id);
    resp_free(&r);
    cr_expect_eq(posts(), before, "%s: the failed publish changed the posts", fault);
    cr_expect(log_has(logged), "%s: no log line with '%s'", fault, logged);
    expect_page("/", NULL);
    expect_page("/rss/", "<rss");
    char *slug = db_query(&srv, "SELECT slug FROM posts WHERE status = 'published' LIMIT 1");
    char path[300];
    snprintf(path, sizeof(path), "/%s/", slug);
    free(slug);
    expect_page(path, NULL);

    fault_lift();
    cr_expect_eq(publish("Written after the fault", &r), 303, "%s lifted: publish answered %d",
                 fault, r.status);
    resp_free(&r);
    cr_expect_eq(posts(), before + 1);
    expect_page("/", "Written after the fault");
}

Test(http_faults, busy_is_503_with_retry_after)
{
    trial("busy", 503, "database is locked");
}

Test(http_faults, full_disk_is_500)
{
    trial("full", 500, "database or disk is full");
}

Test(http_faults, io_error_is_500)
{
    trial("ioerr", 500, "disk I/O error");
}

Test(http_faults, out_of_memory_is_500)
{
    trial("nomem", 500, "out of memory");
}

/*
 * Every tenth write fails, so publishes fail at different steps of their transaction: each one
 * answers 303 or a clean 5xx, and the posts added are exactly the publishes acknowledged
 * (none half there: every post has its body).
 */
Test(http_faults, intermittent_failures_leave_no_half_writes)
{
    cr_assert_eq(staff_login(&srv, "ed@example.org", PW, &ed), 303);
    long before = posts();
    fault_set("ioerr:15");
    int acked = 0;
    for (int i = 0; i < 12; i++) {
        char title[64];
        snprintf(title, sizeof(title), "Intermittent %d", i);
        struct resp r;
        int st = publish(title, &r);
        resp_free(&r);
        cr_expect(st == 303 || st == 500, "publish %d answered %d", i, st);
        acked += st == 303;
    }
    fault_lift();
    cr_expect(acked > 0 && acked < 12, "%d of 12 publishes went through", acked);
    cr_expect_eq(posts(), before + acked);
    cr_expect_eq(count("SELECT count(*) FROM posts p WHERE NOT EXISTS"
                       " (SELECT 1 FROM post_bodies b WHERE b.post_id = p.id)"),
                 0);
    cr_expect_eq(count("SELECT count(*) FROM posts WHERE title LIKE 'Intermittent %'"), acked);
    expect_page("/", NULL);
}
