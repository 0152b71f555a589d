/*
 * The purging thread (purge.h). One loop:
 *   1. a server that is not the purger tries to become it, every LEAD_EVERY_MS: on one
 *      SQLite file by a lock on "<db>-purge", which also keeps the position; on
 *      PostgreSQL by the lease "purge" (store_lease_take: a session advisory lock on this
 *      thread's connection), whose position is a row of the database;
 *   2. the holder reads the change log past what it has read; the keys of the changes
 *      read in one go become one purge per endpoint (a change of "*" or "settings", a log
 *      that no longer reaches back, or more than PURGE_KEYS_BYTES of keys: PURGE_KEY_ALL);
 *   3. due purges start, finished ones are judged: 2xx done, else tried again later;
 *   4. the sequence below which nothing waits is written to the file;
 *   5. it sleeps on the change stamp (a write in any process wakes it at once) or, while
 *      requests run, on libcurl's sockets for a few milliseconds at a time.
 *
 * Echo: a purge that succeeded is sent once more PURGE_ECHO_MS later. A shared cache that
 * was fetching a page when the purge came (its request reached us before the write) keeps
 * that older copy; the echo drops it. Rejected: holding the purge back instead, which
 * would delay every purge for a race most purges never meet.
 *
 * The purger on PostgreSQL checks its lease every LEAD_EVERY_MS too: a connection lost
 * and made again has lost its lock, which another server may have taken meanwhile; then
 * it stops purging and drops what it had queued (the new purger starts at the position
 * saved, so nothing is lost; what both send twice is harmless). A server that dies or
 * is cut off frees its lease with its connection.
 *
 * Rejected: every server purging every change (all are idempotent, but n servers send n
 * times the purges, and none can say which of them the cache has seen); only the process
 * that wrote purging (a crash between its COMMIT and its purge loses the purge, and a
 * write from the command line would never be purged).
 */
#include "purge/purge.h"

#include "store/store.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define LEAD_EVERY_MS 500
#define LEASE "purge" /* the lease's name on PostgreSQL (store_lease_take) */
#define CHANGES_BATCH 256
#define IDLE_WAIT_MS 200
#define BUSY_WAIT_MS 5
#define USER_AGENT "Newsdesk-Purge/" BASE_VERSION

/* One purge of some keys at one endpoint. The thread alone. */
struct purge_job {
    struct purge_job *next;
    size_t endpoint;
    int64_t from; /* the first change it covers; INT64_MAX for an echo */
    char *keys;   /* the xkey header's value */
    bool all;
    bool echo;
    int attempt;
    int64_t due; /* monotonic ms before which it waits */
    void *easy;  /* CURL *, while running */
    struct curl_slist *headers;
};

struct purge {
    struct purge_config cfg;
    pthread_t thread;
    _Atomic bool stop;
    struct store *rd;
    void *multi; /* CURLM * */
    char *lock_path;
    int lock_fd;
    _Atomic bool leader;
    int64_t next_lead; /* monotonic ms of the next try for the lock */
    int64_t seq;       /* the change log read so far */
    int64_t saved;     /* the sequence last written to the file */
    uint64_t stamp_seen;
    struct purge_job *queue, *running;
    _Atomic size_t nqueue;
    size_t nrunning;
    _Atomic uint64_t ok, failed, alls, echoes;
};

static int64_t now_ms(void)
{
    return (int64_t)(time_mono_ns() / 1000000);
}

/* ---- keys -------------------------------------------------------------------------- */

static bool key_byte_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$&'*+-.^_`|~:", c));
}

enum err_code purge_key_write(struct str key, struct buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    enum err_code rc = ERR_OK;
    for (size_t i = 0; i < key.len && !rc; i++) {
        unsigned char c = (unsigned char)key.ptr[i];
        if (key_byte_ok(c) && c != '%')
            rc = buf_putc(out, (char)c);
        else
            rc = buf_printf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
    return rc;
}

enum err_code purge_urls_add(struct purge_urls *l, const char *url, struct err *err)
{
    size_t n = strlen(url);
    const char *host = !strncmp(url, "http://", 7)    ? url + 7
                       : !strncmp(url, "https://", 8) ? url + 8
                                                      : NULL;
    if (!host || !host[0] || host[0] == '/')
        return err_set(err, ERR_INVALID, "must be an http:// or https:// URL with a host");
    const char *end = host + strcspn(host, "/?#");
    if (memchr(host, '@', (size_t)(end - host)) || strchr(url, '#') || strpbrk(url, " \t\r\n"))
        return err_set(err, ERR_INVALID, "must have no user, fragment or spaces");
    if (n > PURGE_URL_MAX)
        return err_set(err, ERR_INVALID, "must be at most %d bytes", PURGE_URL_MAX);
    if (l->n == PURGE_URLS_MAX)
        return err_set(err, ERR_LIMIT, "is given more than %d times", PURGE_URLS_MAX);
    l->url[l->n++] = url;
    return ERR_OK;
}

/* ---- the queue ----------------------------------------------------------------------- */

static void job_free(struct purge *p, struct purge_job *j)
{
    if (!j)
        return;
    if (j->easy) {
        curl_multi_remove_handle(p->multi, j->easy);
        curl_easy_cleanup(j->easy);
    }
    curl_slist_free_all(j->headers);
    free(j->keys);
    free(j);
}

static void queue_push(struct purge *p, struct purge_job *j)
{
    struct purge_job **pp = &p->queue;
    while (*pp)
        pp = &(*pp)->next;
    j->next = NULL;
    *pp = j;
    atomic_fetch_add(&p->nqueue, 1);
}

/*
 * An endpoint too far behind (down for a while, or slower than the writes): what waits
 * for it becomes one purge of everything, covering the oldest change that waited. A purge
 * of everything already waiting covers whatever comes after it, until it starts.
 */
static bool absorbed(struct purge *p, size_t endpoint, int64_t from)
{
    size_t waiting = 0;
    struct purge_job *all = NULL;
    for (struct purge_job *j = p->queue; j; j = j->next)
        if (j->endpoint == endpoint && !j->echo) {
            waiting++;
            all = j->all ? j : all;
        }
    if (all || waiting < PURGE_BEHIND_MAX) {
        if (all && from < all->from)
            all->from = from;
        return all != NULL;
    }
    int64_t oldest = from;
    for (struct purge_job **pp = &p->queue; *pp;) {
        struct purge_job *j = *pp;
        if (j->endpoint != endpoint || j->echo) {
            pp = &j->next;
            continue;
        }
        oldest = j->from < oldest ? j->from : oldest;
        *pp = j->next;
        atomic_fetch_sub(&p->nqueue, 1);
        job_free(p, j);
    }
    log_warn("purge: %s is more than %d purges behind: purging everything there",
             p->cfg.urls.url[endpoint], PURGE_BEHIND_MAX);
    atomic_fetch_add(&p->alls, 1);
    struct purge_job *j = xcalloc(1, sizeof(*j));
    *j = (struct purge_job){.endpoint = endpoint, .from = oldest, .all = true};
    j->keys = xstrdup(PURGE_KEY_ALL);
    queue_push(p, j);
    return true;
}

/* Queues a purge of keys (or everything) for changes from `from` on, at every endpoint. */
static void queue_keys(struct purge *p, int64_t from, const char *keys, bool all)
{
    for (size_t e = 0; e < p->cfg.urls.n; e++) {
        if (absorbed(p, e, from))
            continue;
        struct purge_job *j = xcalloc(1, sizeof(*j));
        *j = (struct purge_job){.endpoint = e, .from = from, .all = all};
        j->keys = xstrdup(all ? PURGE_KEY_ALL : keys);
        queue_push(p, j);
    }
}

/* ---- following the change log -------------------------------------------------------- */

/* Whether the space-separated list holds tok. */
static bool has_token(struct str list, struct str tok)
{
    while (list.len) {
        const char *sp = memchr(list.ptr, ' ', list.len);
        size_t n = sp ? (size_t)(sp - list.ptr) : list.len;
        if (n == tok.len && !memcmp(list.ptr, tok.ptr, n))
            return true;
        list.ptr += n + (sp ? 1 : 0);
        list.len -= n + (sp ? 1 : 0);
    }
    return false;
}

/* Adds one change's keys ("post:12 list tag:3") to b, once each; false: purge all. */
static bool gather(struct str deps, struct buf *b)
{
    bool ok = true;
    while (deps.len && ok) {
        const char *sp = memchr(deps.ptr, ' ', deps.len);
        struct str d = {deps.ptr, sp ? (size_t)(sp - deps.ptr) : deps.len};
        deps.ptr += d.len + (sp ? 1 : 0);
        deps.len -= d.len + (sp ? 1 : 0);
        if (str_eq_cstr(d, "*") || str_eq_cstr(d, "settings"))
            return false;
        struct buf k;
        buf_init(&k, PURGE_KEYS_BYTES);
        ok = !purge_key_write(d, &k);
        struct str ks = buf_str(&k);
        if (ok && ks.len && !has_token(buf_str(b), ks))
            ok = !(b->len && buf_putc(b, ' ')) && !buf_append_str(b, ks);
        buf_release(&k);
    }
    return ok;
}

/* Reads what the log holds past p->seq and queues its purges. */
static void follow(struct purge *p)
{
    uint64_t stamp = atomic_load(store_stamp(p->rd));
    if (stamp == p->stamp_seen)
        return;
    p->stamp_seen = stamp;
    struct arena a;
    arena_init(&a);
    size_t n;
    do {
        struct store_change *ch;
        bool complete;
        struct err err = {0};
        int64_t from = p->seq + 1;
        if (store_changes_since(p->rd, p->seq, CHANGES_BATCH, &a, &ch, &n, &complete, &err)) {
            log_error("purge: cannot read the change log: %s", err.msg);
            p->stamp_seen = 0; /* read again on the next turn */
            break;
        }
        struct buf keys;
        buf_init(&keys, PURGE_KEYS_BYTES);
        bool all = !complete && n;
        for (size_t i = 0; i < n && !all; i++)
            all = !gather(ch[i].deps, &keys);
        if (n && (all || keys.len))
            queue_keys(p, from, buf_str(&keys).ptr, all);
        buf_release(&keys);
        if (n)
            p->seq = ch[n - 1].seq;
    } while (n == CHANGES_BATCH);
    arena_release(&a);
}

/* ---- the lock and the sequence purged ------------------------------------------------- */

static void save(struct purge *p)
{
    int64_t done = p->seq;
    for (const struct purge_job *j = p->queue; j; j = j->next)
        done = j->from - 1 < done ? j->from - 1 : done;
    for (const struct purge_job *j = p->running; j; j = j->next)
        done = j->from - 1 < done ? j->from - 1 : done;
    if (done == p->saved)
        return;
    struct err err = {0};
    if (p->lock_fd < 0 && store_lease_save(p->rd, LEASE, done, &err))
        log_error("purge: %s", err.msg); /* tried again at the next turn */
    else if (p->lock_fd < 0)
        p->saved = done;
    else if (pwrite(p->lock_fd, &done, sizeof(done), 0) != (ssize_t)sizeof(done))
        log_error("purge: cannot write '%s': %s", p->lock_path, strerror(errno));
    else
        p->saved = done;
}

/*
 * Takes the lock (the lease) if no other server holds it, and resumes where the last
 * holder stopped. No position saved (the first holder ever) starts at the log's head: no
 * cache could have relied on purges before.
 */
static void lead(struct purge *p, int64_t now)
{
    if (now < p->next_lead)
        return;
    p->next_lead = now + LEAD_EVERY_MS;
    int64_t at = -1;
    struct err err = {0};
    if (p->lock_fd < 0) {
        bool held;
        if (store_lease_take(p->rd, LEASE, &held, &at, &err))
            log_error("purge: %s", err.msg);
        if (!held)
            return;
    } else if (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        return;
    } else if (pread(p->lock_fd, &at, sizeof(at), 0) != (ssize_t)sizeof(at)) {
        at = -1;
    }
    if (at < 0 && store_changes_head(p->rd, &at, &err)) {
        log_error("purge: %s", err.msg);
        if (p->lock_fd >= 0)
            flock(p->lock_fd, LOCK_UN);
        return;
    }
    p->seq = at;
    p->saved = -1; /* written at once: a file without one would lose what comes next */
    p->stamp_seen = atomic_load(store_stamp(p->rd)) - 1; /* read the log once now */
    atomic_store(&p->leader, true);
    log_info("purge: this server purges shared caches now, from change %lld", (long long)at);
}

/*
 * The purger on PostgreSQL asks every LEAD_EVERY_MS whether it still holds its lease (a
 * reconnected connection does not); when another server has it, this one stops and
 * drops its queue. An error (the database away) changes nothing: it is asked again.
 */
static void still_lead(struct purge *p, int64_t now)
{
    if (p->lock_fd >= 0 || now < p->next_lead)
        return;
    p->next_lead = now + LEAD_EVERY_MS;
    bool held;
    int64_t at;
    struct err err = {0};
    if (store_lease_take(p->rd, LEASE, &held, &at, &err) || held)
        return;
    while (p->queue) {
        struct purge_job *j = p->queue;
        p->queue = j->next;
        job_free(p, j);
    }
    atomic_store(&p->nqueue, 0);
    atomic_store(&p->leader, false);
    log_info("purge: another server purges shared caches now");
}

/* ---- transfers --------------------------------------------------------------------- */

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
    (void)ptr;
    (void)arg;
    return size * n;
}

/*
 * The request of the xkey form: PURGE at the URL with the keys in "xkey". Fastly's form
 * (POST /service/ID/purge with Surrogate-Key and Fastly-Key) would be a second case here
 * and a form per endpoint.
 */
static bool request_setup(struct purge *p, struct purge_job *j)
{
    CURL *e = j->easy;
    struct buf h;
    buf_init(&h, PURGE_KEYS_BYTES + 16);
    bool ok = !buf_printf(&h, "xkey: %s", j->keys);
    j->headers = ok ? curl_slist_append(NULL, buf_str(&h).ptr) : NULL;
    buf_release(&h);
    ok = j->headers && curl_easy_setopt(e, CURLOPT_URL, p->cfg.urls.url[j->endpoint]) == CURLE_OK &&
         curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PURGE");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PROXY, "");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)PURGE_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)PURGE_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    return ok;
}

static void start_due(struct purge *p, int64_t now)
{
    struct purge_job **pp = &p->queue;
    while (*pp) {
        struct purge_job *j = *pp;
        if (j->due > now) {
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        atomic_fetch_sub(&p->nqueue, 1);
        j->easy = curl_easy_init();
        if (!j->easy || !request_setup(p, j) || curl_multi_add_handle(p->multi, j->easy)) {
            log_error("purge: cannot start a request to %s", p->cfg.urls.url[j->endpoint]);
            curl_easy_cleanup(j->easy);
            curl_slist_free_all(j->headers);
            j->easy = NULL, j->headers = NULL;
            j->due = now + PURGE_RETRY_MAX_MS;
            queue_push(p, j);
            continue;
        }
        j->next = p->running;
        p->running = j;
        p->nrunning++;
    }
}

/* A purge ended: done (its echo queued), or tried again later. */
static void judged(struct purge *p, struct purge_job *j, CURLcode res, long status)
{
    const char *url = p->cfg.urls.url[j->endpoint];
    if (res == CURLE_OK && status >= 200 && status <= 299) {
        atomic_fetch_add(j->echo ? &p->echoes : &p->ok, 1);
        if (j->attempt)
            log_info("purge: %s answered again after %d failures", url, j->attempt);
        if (j->echo || j->all) {
            job_free(p, j);
            return;
        }
        *j = (struct purge_job){.endpoint = j->endpoint,
                                .from = INT64_MAX,
                                .keys = j->keys,
                                .echo = true,
                                .due = now_ms() + PURGE_ECHO_MS};
        queue_push(p, j);
        return;
    }
    atomic_fetch_add(&p->failed, 1);
    j->attempt++;
    if (j->attempt == 1 || j->attempt % 10 == 0) {
        char tmp[32];
        snprintf(tmp, sizeof(tmp), "it answered %ld", status);
        log_warn("purge: %s failed (try %d, retrying): %s", url, j->attempt,
                 res != CURLE_OK ? curl_easy_strerror(res) : tmp);
    }
    int shift = j->attempt - 1 < 20 ? j->attempt - 1 : 20;
    int64_t delay = p->cfg.retry_ms << shift;
    j->due = now_ms() + (delay < PURGE_RETRY_MAX_MS ? delay : PURGE_RETRY_MAX_MS);
    if (j->echo && j->attempt > 3) { /* an echo is a precaution: not worth a backlog */
        job_free(p, j);
        return;
    }
    queue_push(p, j);
}

static void finish_done(struct purge *p)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(p->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *e = m->easy_handle;
        CURLcode res = m->data.result;
        struct purge_job *j = NULL;
        long status = 0;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&j);
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
        curl_multi_remove_handle(p->multi, e);
        curl_easy_cleanup(e);
        j->easy = NULL;
        curl_slist_free_all(j->headers);
        j->headers = NULL;
        struct purge_job **pp = &p->running;
        while (*pp != j)
            pp = &(*pp)->next;
        *pp = j->next;
        p->nrunning--;
        judged(p, j, res, status);
    }
}

/* ---- the thread -------------------------------------------------------------------- */

/* Until the next write, the next due purge or the next try for the lock. */
static void sleep_a_while(struct purge *p, int64_t now)
{
    if (p->nrunning) {
        curl_multi_poll(p->multi, NULL, 0, BUSY_WAIT_MS, NULL);
        return;
    }
    int64_t wait = IDLE_WAIT_MS;
    for (const struct purge_job *j = p->queue; j; j = j->next)
        wait = j->due - now < wait ? j->due - now : wait;
    if (wait <= 0)
        return;
    if (atomic_load(&p->leader))
        store_stamp_wait(p->rd, p->stamp_seen, (int)wait);
    else
        curl_multi_poll(p->multi, NULL, 0, (int)wait, NULL);
}

static void *run(void *arg)
{
    struct purge *p = arg;
    while (!atomic_load(&p->stop)) {
        int64_t now = now_ms();
        if (!atomic_load(&p->leader))
            lead(p, now);
        else
            still_lead(p, now);
        if (atomic_load(&p->leader))
            follow(p);
        start_due(p, now_ms());
        int active;
        curl_multi_perform(p->multi, &active);
        finish_done(p);
        if (atomic_load(&p->leader))
            save(p);
        sleep_a_while(p, now_ms());
    }
    return NULL;
}

static void free_list(struct purge *p, struct purge_job *j)
{
    while (j) {
        struct purge_job *next = j->next;
        job_free(p, j);
        j = next;
    }
}

static void purge_free(struct purge *p)
{
    free_list(p, p->queue);
    free_list(p, p->running);
    if (p->multi)
        curl_multi_cleanup(p->multi);
    if (p->lock_fd >= 0)
        close(p->lock_fd); /* lets the lock go: another server takes over */
    free(p->lock_path);
    store_close(p->rd);
    free(p);
    curl_global_cleanup();
}

enum err_code purge_start(const struct purge_config *cfg, struct purge **out, struct err *err)
{
    *out = NULL;
    if (!cfg->urls.n)
        return ERR_OK;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return err_set(err, ERR_INTERNAL, "cannot initialise libcurl");
    struct purge *p = xcalloc(1, sizeof(*p));
    p->cfg = *cfg;
    if (p->cfg.retry_ms <= 0)
        p->cfg.retry_ms = PURGE_RETRY_MS_DEFAULT;
    enum err_code rc = ERR_OK;
    p->lock_fd = -1;
    if (!store_path_is_pg(cfg->db_path)) {
        size_t n = strlen(cfg->db_path) + sizeof("-purge");
        p->lock_path = xmalloc(n);
        snprintf(p->lock_path, n, "%s-purge", cfg->db_path);
        p->lock_fd = open(p->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (p->lock_fd < 0)
            rc = err_set(err, ERR_INVALID, "cannot open '%s': %s", p->lock_path, strerror(errno));
    }
    /* on PostgreSQL the connection also saves the position (store_lease_save) */
    if (!rc)
        rc = store_open(cfg->db_path, p->lock_fd < 0 ? STORE_WRITE : STORE_READ, &p->rd, err);
    p->multi = rc ? NULL : curl_multi_init();
    if (!rc && !p->multi)
        rc = err_set(err, ERR_INTERNAL, "cannot start libcurl's multi interface");
    if (!rc && base_thread_start(&p->thread, run, p) != 0)
        rc = err_set(err, ERR_INTERNAL, "cannot start the purging thread");
    if (rc) {
        purge_free(p);
        return rc;
    }
    *out = p;
    return ERR_OK;
}

void purge_stop(struct purge *p)
{
    if (!p)
        return;
    atomic_store(&p->stop, true);
    curl_multi_wakeup(p->multi);
    pthread_join(p->thread, NULL);
    purge_free(p);
}

enum err_code purge_metrics_write(const struct purge *p, struct buf *out)
{
    if (!p)
        return ERR_OK;
    return buf_printf(
        out,
        "# HELP newsdesk_purge_requests_total Purge requests sent to shared caches, by "
        "result (an echo repeats a purge that succeeded).\n"
        "# TYPE newsdesk_purge_requests_total counter\n"
        "newsdesk_purge_requests_total{result=\"ok\"} %llu\n"
        "newsdesk_purge_requests_total{result=\"failed\"} %llu\n"
        "newsdesk_purge_requests_total{result=\"echo\"} %llu\n"
        "# HELP newsdesk_purge_everything_total Times an endpoint fell too far behind and "
        "everything was purged there.\n"
        "# TYPE newsdesk_purge_everything_total counter\n"
        "newsdesk_purge_everything_total %llu\n"
        "# HELP newsdesk_purge_waiting Purges waiting to be sent or retried.\n"
        "# TYPE newsdesk_purge_waiting gauge\n"
        "newsdesk_purge_waiting %zu\n"
        "# HELP newsdesk_purge_leader 1 when this server is the one sending purges for its "
        "database.\n"
        "# TYPE newsdesk_purge_leader gauge\n"
        "newsdesk_purge_leader %d\n",
        (unsigned long long)atomic_load(&p->ok), (unsigned long long)atomic_load(&p->failed),
        (unsigned long long)atomic_load(&p->echoes), (unsigned long long)atomic_load(&p->alls),
        atomic_load(&p->nqueue), atomic_load(&p->leader) ? 1 : 0);
}
