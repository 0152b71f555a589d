/*
 * The work queue: what each photo still lacks (the stripped original, then its
 * renditions) is made once, whatever the number of threads asking.
 *
 * Every key being worked on or waiting has one job. A thread that wants a key finds its
 * job and waits on the condition variable until it is done, so no key is ever worked
 * twice at once. With the background thread (serve), jobs are queued to it (one that a
 * reader waits for moves to the front); without one (the CLI, the importers), the first
 * thread to ask works on its own thread with the store it was given.
 *
 * Each step is a short transaction of its own: the original with the upload's removal
 * and the ready mark in one, then each rendition in its own, so readers and the
 * newsroom's writes never wait for an encoder. A restart resumes every photo that is
 * not ready or lacks its last rendition (store_media_pending).
 */
#include "media/media_int.h"
#include "store/store.h"

#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Photos resumed at start: more than this are made on first request instead. */
#define MEDIA_RESUME_MAX 10000

struct media_job {
    char key[MEDIA_KEY_LEN + 1];
    bool running;
    bool done;
    int waiters;
    struct err result; /* when done */
    struct media_job *next;
};

struct media {
    struct media_config cfg;
    char *db_path;
    pthread_mutex_t mu;
    pthread_cond_t cv;      /* a job was queued or finished, or stop was set */
    struct media_job *jobs; /* queued (in order), running and finished-but-awaited */
    bool stop;
    bool thread_started;
    pthread_t thread;
    struct store *st; /* the background thread's own write connection */
};

/* ---- jobs (m->mu held) ------------------------------------------------------------- */

static struct media_job *job_find(struct media *m, struct str key)
{
    for (struct media_job *j = m->jobs; j; j = j->next)
        if (!j->done && str_eq_cstr(key, j->key))
            return j;
    return NULL;
}

static void job_unlink(struct media *m, struct media_job *job)
{
    for (struct media_job **p = &m->jobs; *p; p = &(*p)->next)
        if (*p == job) {
            *p = job->next;
            return;
        }
}

/* A new job for key at the end of the queue (or the front: one someone waits for). */
static struct media_job *job_add(struct media *m, struct str key, bool front)
{
    struct media_job *job = xcalloc(1, sizeof(*job));
    snprintf(job->key, sizeof(job->key), "%.*s", (int)key.len, key.ptr);
    struct media_job **p = &m->jobs;
    while (!front && *p)
        p = &(*p)->next;
    job->next = *p;
    *p = job;
    pthread_cond_broadcast(&m->cv);
    return job;
}

/* Marks job done with rc and wakes its waiters; frees it when nobody waits. */
static void job_finish(struct media *m, struct media_job *job, enum err_code rc,
                       const struct err *e)
{
    job->done = true;
    job->result.code = rc;
    snprintf(job->result.msg, sizeof(job->result.msg), "%s", rc ? e->msg : "");
    if (job->waiters == 0) {
        job_unlink(m, job);
        free(job);
    }
    pthread_cond_broadcast(&m->cv);
}

/* Waits for job to finish and returns its result; the last waiter frees it. */
static enum err_code job_wait(struct media *m, struct media_job *job, struct err *err)
{
    job->waiters++;
    while (!job->done)
        pthread_cond_wait(&m->cv, &m->mu);
    enum err_code rc = job->result.code;
    if (rc)
        err_set(err, rc, "%s", job->result.msg);
    if (--job->waiters == 0) {
        job_unlink(m, job);
        free(job);
    }
    return rc;
}

/* ---- the work on one photo ----------------------------------------------------------- */

/* What the work on a photo needs from the store, read in one transaction. */
struct media_state {
    struct media_item item;
    bool keep_rights;
    bool has_last;                 /* the last rendition exists */
    struct store_media_file input; /* 'upload' when not ready, else 'orig' (when needed) */
};

static enum err_code has_file(struct store *st, int64_t id, const char *variant, struct arena *a,
                              bool *has, struct err *err)
{
    struct store_media_file f;
    enum err_code rc = store_media_file_get(st, id, variant, a, &f, err);
    *has = rc == ERR_OK;
    free(f.data);
    return rc == ERR_NOTFOUND ? ERR_OK : rc;
}

/* The fallback rendition of the widest width: "w480" for a photo 480 px wide. */
static const char *widest_variant(const struct media_item *m, struct arena *a)
{
    int w[MEDIA_WIDTHS_MAX];
    size_t n = media_widths(m, w);
    return arena_printf(a, "w%d", w[n - 1]);
}

static enum err_code read_state(struct store *st, struct str key, struct arena *a,
                                struct media_state *s, struct err *err)
{
    memset(s, 0, sizeof(*s));
    enum err_code rc = store_media_by_key(st, key, a, &s->item, err);
    if (rc)
        return rc;
    rc = has_file(st, s->item.id, STORE_MEDIA_LAST_VARIANT, a, &s->has_last, err);
    if (!rc && s->has_last) /* a photo made before its widest width was one of them */
        rc = has_file(st, s->item.id, widest_variant(&s->item, a), a, &s->has_last, err);
    if (rc)
        return rc;
    if (s->item.ready && s->has_last)
        return ERR_OK;
    struct str v = STR_NULL;
    rc = store_setting_get(st, "media_keep_rights", a, &v, err);
    s->keep_rights = rc == ERR_OK && str_eq_cstr(v, "true");
    if (rc && rc != ERR_NOTFOUND)
        return rc;
    const char *variant = s->item.ready ? "orig" : "upload";
    return store_media_file_get(st, s->item.id, variant, a, &s->input, err);
}

static enum err_code state_of(struct store *st, struct str key, struct arena *a,
                              struct media_state *s, struct err *err)
{
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    /* a transaction for a read: the writer may be shared, and then every use is in one */
    return store_tx_end(st, read_state(st, key, a, s, err), err);
}

/* Stores the original, drops the upload and marks the photo ready, in one transaction. */
static enum err_code save_original(struct store *st, const struct media_item *item,
                                   const struct media_blob *b, struct err *err)
{
    enum err_code rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_media_file_put(st, item->id, "orig", media_mime(item->format), b->width, b->height,
                              b->data, b->len, err);
    if (!rc)
        rc = store_media_upload_drop(st, item->id, err);
    unsigned formats = media_rendition_formats() | 1u << item->format;
    if (!rc)
        rc = store_media_set_ready(st, item->id, (int64_t)b->len, formats, err);
    rc = store_tx_end(st, rc, err);
    /* the upload's earlier pages leave the write-ahead log too */
    struct err e = {0};
    if (!rc && store_checkpoint(st, &e))
        log_warn("media: the log still holds %s's upload: %s", item->key, e.msg);
    return rc;
}

/* A photo whose upload cannot be decoded is removed: it was never shown anywhere. */
static void drop_broken(struct store *st, const struct media_item *item, const struct err *why)
{
    struct err e = {0};
    log_warn("media: %s cannot be decoded (%s): removed", item->key, why->msg);
    enum err_code rc = store_tx_begin(st, &e);
    if (!rc)
        rc = store_tx_end(st, store_media_delete(st, str_from(item->key), &e), &e);
    if (!rc)
        rc = store_checkpoint(st, &e);
    if (rc)
        log_error("media: %s could not be removed: %s", item->key, e.msg);
}

static enum err_code make_original(struct store *st, struct media_state *s, struct err *err)
{
    struct media_blob b;
    enum err_code rc =
        media_make_original(s->input.data, s->input.len, s->item.format, s->keep_rights, &b, err);
    free(s->input.data);
    s->input = (struct store_media_file){0};
    if (rc == ERR_INVALID || rc == ERR_UNSUPPORTED)
        drop_broken(st, &s->item, err);
    if (rc)
        return rc;
    rc = save_original(st, &s->item, &b, err);
    if (!rc) {
        s->input.data = b.data; /* the renditions are made from it */
        s->input.len = b.len;
        b.data = NULL;
    }
    media_blob_free(&b);
    return rc;
}

struct emit_ctx {
    struct store *st;
    int64_t id;
    enum media_format fallback;
};

/* Stores one rendition in its own transaction: "w640" (fallback) or "w640.webp". */
static enum err_code emit_rendition(void *ctx, int width, enum media_format format,
                                    const struct media_blob *b, struct err *err)
{
    struct emit_ctx *c = ctx;
    char variant[32];
    if (format == c->fallback)
        snprintf(variant, sizeof(variant), "w%d", width);
    else
        snprintf(variant, sizeof(variant), "w%d.%s", width, media_ext(format));
    enum err_code rc = store_tx_begin(c->st, err);
    if (rc)
        return rc;
    rc = store_media_file_put(c->st, c->id, variant, media_mime(format), b->width, b->height,
                              b->data, b->len, err);
    return store_tx_end(c->st, rc, err);
}

static enum err_code work_key(struct store *st, struct str key, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct media_state s;
    enum err_code rc = state_of(st, key, &a, &s, err);
    if (!rc && !s.item.ready)
        rc = make_original(st, &s, err);
    if (!rc && !s.has_last) {
        struct emit_ctx c = {st, s.item.id, s.item.format};
        rc = media_make_renditions(s.input.data, s.input.len, s.item.format,
                                   media_rendition_formats(), emit_rendition, &c, err);
    }
    free(s.input.data);
    arena_release(&a);
    /* the decoders' buffers go back to the system, not only to malloc's free lists */
    malloc_trim(0);
    return rc;
}

/* ---- the background thread ----------------------------------------------------------- */

static struct media_job *next_queued(struct media *m)
{
    for (struct media_job *j = m->jobs; j; j = j->next)
        if (!j->running && !j->done)
            return j;
    return NULL;
}

static void *worker_main(void *arg)
{
    struct media *m = arg;
    pthread_mutex_lock(&m->mu);
    while (!m->stop) {
        struct media_job *job = next_queued(m);
        if (!job) {
            pthread_cond_wait(&m->cv, &m->mu);
            continue;
        }
        job->running = true;
        pthread_mutex_unlock(&m->mu);
        struct err e = {0};
        enum err_code rc = work_key(m->st, str_from(job->key), &e);
        if (rc && rc != ERR_NOTFOUND)
            log_warn("media: %s: %s", job->key, e.msg);
        pthread_mutex_lock(&m->mu);
        job_finish(m, job, rc, &e);
    }
    /* what is still queued is resumed at the next start */
    struct err stopping = {ERR_BUSY, "the server is stopping"};
    for (struct media_job *j; (j = next_queued(m)) != NULL;)
        job_finish(m, j, ERR_BUSY, &stopping);
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

/* ---- the module ------------------------------------------------------------------------ */

enum err_code media_work(struct media *m, struct store *st, struct str key, struct err *err)
{
    pthread_mutex_lock(&m->mu);
    struct media_job *job = job_find(m, key);
    if (job || m->thread_started) {
        if (!job)
            job = job_add(m, key, true);
        else if (!job->running && job != m->jobs) { /* to the front: a reader waits */
            job_unlink(m, job);
            job->next = m->jobs;
            m->jobs = job;
        }
        enum err_code rc = job_wait(m, job, err);
        pthread_mutex_unlock(&m->mu);
        return rc;
    }
    job = job_add(m, key, false);
    job->running = true;
    pthread_mutex_unlock(&m->mu);
    enum err_code rc = work_key(st, key, err);
    pthread_mutex_lock(&m->mu);
    job_finish(m, job, rc, err);
    pthread_mutex_unlock(&m->mu);
    return rc;
}

void media_enqueue(struct media *m, struct str key)
{
    if (!m->thread_started)
        return;
    pthread_mutex_lock(&m->mu);
    if (!job_find(m, key))
        job_add(m, key, false);
    pthread_mutex_unlock(&m->mu);
}

const struct media_config *media_config_of(const struct media *m)
{
    return &m->cfg;
}

/* Queues every photo a previous run left unfinished. */
static enum err_code resume(struct media *m, struct err *err)
{
    struct arena a;
    arena_init(&a);
    struct str *keys;
    size_t n = 0;
    enum err_code rc = store_media_pending(m->st, MEDIA_RESUME_MAX, &a, &keys, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        media_enqueue(m, keys[i]);
    if (n)
        log_info("media: %zu photos to finish from the last run", n);
    arena_release(&a);
    return rc;
}

static enum err_code start_thread(struct media *m, struct err *err)
{
    if (!m->cfg.db_path)
        return err_set(err, ERR_INTERNAL, "media: the background worker needs db_path");
    enum err_code rc = store_open(m->cfg.db_path, STORE_WRITE, &m->st, err);
    if (rc)
        return rc;
    if (pthread_create(&m->thread, NULL, worker_main, m))
        return err_set(err, ERR_INTERNAL, "media: cannot start the worker thread");
    m->thread_started = true;
    return resume(m, err);
}

/*
 * The worker thread starts with every signal blocked: a process-directed SIGTERM must
 * reach the thread that waits for it (the server's), never a thread of ours whose
 * default action would end the process mid-request. libvips itself starts on first use
 * (process.c), so a server that is never sent a photo never loads it: no start-up time,
 * no memory, no threads of its own.
 */
static enum err_code start(struct media *m, struct err *err)
{
    if (!m->cfg.background)
        return ERR_OK;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    enum err_code rc = start_thread(m, err);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

enum err_code media_new(const struct media_config *cfg, struct media **out, struct err *err)
{
    *out = NULL;
    struct media *m = xcalloc(1, sizeof(*m));
    m->cfg = *cfg;
    m->cfg.bytes_max = cfg->bytes_max ? cfg->bytes_max : MEDIA_BYTES_MAX_DEFAULT;
    m->cfg.pixels_max = cfg->pixels_max ? cfg->pixels_max : MEDIA_PIXELS_MAX_DEFAULT;
    m->db_path = cfg->db_path ? xstrdup(cfg->db_path) : NULL;
    m->cfg.db_path = m->db_path;
    pthread_mutex_init(&m->mu, NULL);
    pthread_cond_init(&m->cv, NULL);
    enum err_code rc = start(m, err);
    if (rc) {
        media_free(m);
        return rc;
    }
    *out = m;
    return ERR_OK;
}

void media_free(struct media *m)
{
    if (!m)
        return;
    if (m->thread_started) {
        pthread_mutex_lock(&m->mu);
        m->stop = true;
        pthread_cond_broadcast(&m->cv);
        pthread_mutex_unlock(&m->mu);
        pthread_join(m->thread, NULL);
    }
    store_close(m->st);
    for (struct media_job *j = m->jobs, *next; j; j = next) {
        next = j->next;
        free(j);
    }
    pthread_cond_destroy(&m->cv);
    pthread_mutex_destroy(&m->mu);
    free(m->db_path);
    free(m);
}
