/*
 * Scheduled publishing. A thread of the server wakes four times a second and publishes
 * whatever has come due, so a post set for 09:00:00 is on the site before 09:00:01
 * without waiting for a reader to ask; on start-up the first pass publishes anything
 * that came due while the server was down. The query is an index range on
 * posts(status, published_at), cheap enough to run this often.
 *
 * It writes through its own connection: SQLite serialises it with the editor's writes
 * (busy_timeout), and the change log tells every cache about the publication.
 *
 * On the same tick it takes down breaking news whose time is up (breaking_until): the
 * banner leaves every page within a quarter second, with no reader's request needed,
 * and the change log drops every cached page that showed it.
 *
 * On the same tick it checks that every committed change was announced to the caches
 * (store_stamp_check): a writer killed between its COMMIT and the announcement would
 * otherwise leave cached pages stale until the next write. So nothing stays stale for
 * more than a tick.
 */
#include "newsroom/newsroom.h"

#include "store/store.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#define TICK_NS 250000000L

struct newsroom_scheduler {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cond;
    bool stop;
    struct store *st;
    /* /metrics: passes made, passes with an error, when the last ended (Unix seconds) */
    _Atomic uint64_t runs, failed;
    _Atomic int64_t last_run;
};

/* An audit line for each of ids: action on "post:ID", for why. */
static enum err_code audit_each(struct store *st, struct arena *a, const char *action,
                                const int64_t *ids, size_t n, const char *why, struct err *err)
{
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < n; i++)
        rc = store_audit(st, 0, action, str_from(arena_printf(a, "post:%lld", (long long)ids[i])),
                         str_from(why), STR_LIT(""), err);
    return rc;
}

/* Publishes what is due and notes each in the audit log; inside a transaction. */
static enum err_code publish_step(struct store *st, struct arena *a, size_t *n, struct err *err)
{
    int64_t *ids = NULL;
    enum err_code rc = store_posts_publish_due(st, time_now(), a, &ids, n, err);
    return rc ? rc : audit_each(st, a, "publish", ids, *n, "scheduled", err);
}

/* Unmarks breaking news that expired and notes each in the audit log; likewise. */
static enum err_code expire_step(struct store *st, struct arena *a, size_t *n, struct err *err)
{
    int64_t *ids = NULL;
    enum err_code rc = store_breaking_expire(st, time_now(), a, &ids, n, err);
    return rc ? rc : audit_each(st, a, "unmark-breaking", ids, *n, "expired", err);
}

/*
 * step in one write transaction when next (the earliest time something is due, 0: none)
 * says it is time; *n counts what it did.
 */
static enum err_code
when_due(struct store *st, enum err_code (*next)(struct store *, int64_t *, struct err *),
         enum err_code (*step)(struct store *, struct arena *, size_t *, struct err *), size_t *n,
         struct err *err)
{
    *n = 0;
    int64_t at;
    enum err_code rc = next(st, &at, err);
    if (rc || !at || at > time_now())
        return rc; /* the common case: nothing due, no write transaction */
    struct arena a;
    arena_init(&a);
    rc = store_tx_begin(st, err);
    if (!rc)
        rc = store_tx_end(st, step(st, &a, n, err), err);
    if (rc)
        *n = 0;
    arena_release(&a);
    return rc;
}

enum err_code newsroom_publish_due(struct store *st, size_t *published, struct err *err)
{
    return when_due(st, store_next_scheduled, publish_step, published, err);
}

enum err_code newsroom_breaking_expire(struct store *st, size_t *expired, struct err *err)
{
    return when_due(st, store_breaking_next, expire_step, expired, err);
}

/* One tick's work; false when a step failed (it is logged). */
static bool pass(struct newsroom_scheduler *s, bool first)
{
    struct err err = {0};
    size_t n = 0;
    bool ok = true;
    if (newsroom_publish_due(s->st, &n, &err)) {
        log_error("scheduler: %s", err.msg);
        ok = false;
    } else if (n)
        log_info("scheduler: published %zu post%s", n, n == 1 ? "" : "s");
    if (newsroom_breaking_expire(s->st, &n, &err)) {
        log_error("scheduler: %s", err.msg);
        ok = false;
    } else if (n)
        log_info("scheduler: breaking news ended on %zu post%s", n, n == 1 ? "" : "s");
    bool repaired = false;
    if (store_stamp_check(s->st, &repaired, &err)) {
        log_error("change check: %s", err.msg);
        ok = false;
    } else if (repaired && !first)
        log_warn("a committed change had not reached the caches (its writer stopped "
                 "before telling them); they have it now");
    return ok;
}

static void *run(void *arg)
{
    struct newsroom_scheduler *s = arg;
    bool first = true; /* a stamp file older than the check: its head is not news */
    pthread_mutex_lock(&s->mu);
    while (!s->stop) {
        pthread_mutex_unlock(&s->mu);
        if (!pass(s, first))
            atomic_fetch_add(&s->failed, 1);
        atomic_store(&s->last_run, time_now());
        atomic_fetch_add(&s->runs, 1);
        first = false;
        pthread_mutex_lock(&s->mu);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += TICK_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        while (!s->stop && pthread_cond_timedwait(&s->cond, &s->mu, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

struct newsroom_scheduler *newsroom_scheduler_start(const char *db_path, struct err *err)
{
    struct newsroom_scheduler *s = xcalloc(1, sizeof(*s));
    if (store_open(db_path, STORE_WRITE, &s->st, err)) {
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &attr);
    pthread_condattr_destroy(&attr);
    if (base_thread_start(&s->thread, run, s) != 0) {
        store_close(s->st);
        free(s);
        err_set(err, ERR_INTERNAL, "cannot start the scheduler thread");
        return NULL;
    }
    return s;
}

void newsroom_scheduler_stop(struct newsroom_scheduler *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->stop = true;
    pthread_cond_signal(&s->cond);
    pthread_mutex_unlock(&s->mu);
    pthread_join(s->thread, NULL);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->mu);
    store_close(s->st);
    free(s);
}

enum err_code newsroom_scheduler_metrics_write(const struct newsroom_scheduler *s, struct buf *out)
{
    if (!s)
        return ERR_OK;
    return buf_printf(
        out,
        "# HELP newsdesk_scheduler_runs_total Passes of the scheduler (four a second): "
        "publishing what is due, ending breaking news, checking the caches heard of every "
        "change.\n"
        "# TYPE newsdesk_scheduler_runs_total counter\n"
        "newsdesk_scheduler_runs_total %llu\n"
        "# HELP newsdesk_scheduler_failures_total Passes of the scheduler with an error "
        "(logged).\n"
        "# TYPE newsdesk_scheduler_failures_total counter\n"
        "newsdesk_scheduler_failures_total %llu\n"
        "# HELP newsdesk_scheduler_last_run_timestamp_seconds When the last pass ended.\n"
        "# TYPE newsdesk_scheduler_last_run_timestamp_seconds gauge\n"
        "newsdesk_scheduler_last_run_timestamp_seconds %lld\n",
        (unsigned long long)atomic_load(&s->runs), (unsigned long long)atomic_load(&s->failed),
        (long long)atomic_load(&s->last_run));
}
