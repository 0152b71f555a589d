/*
 * The change stamp: one 64-bit counter in "<db>-stamp", mapped shared by every process
 * that opens the database. Writers bump it after COMMIT; servers read it on each request.
 *
 * Rejected: PRAGMA data_version (a call into SQLite on every cache hit, per connection)
 * and inotify on the WAL (asynchronous: a reader could look before the event arrives,
 * and see a stale page after the write returned).
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define STAMP_SIZE 4096

/*
 * A PostgreSQL database has no file beside it to map: the stamp is a page of this
 * process's, one per database URL, shared by every connection the process opens to it
 * (the writer's and each worker's). The other servers hear of a change through
 * LISTEN/NOTIFY (store_listen), which bumps the same page.
 */
#define PG_STAMPS_MAX 8

static struct {
    char *url;
    void *page;
} pg_stamps[PG_STAMPS_MAX];
static pthread_mutex_t pg_stamps_mu = PTHREAD_MUTEX_INITIALIZER;

static enum err_code pg_stamp_map(struct store *st, struct err *err)
{
    pthread_mutex_lock(&pg_stamps_mu);
    size_t i = 0;
    while (i < PG_STAMPS_MAX && pg_stamps[i].url && strcmp(pg_stamps[i].url, st->path))
        i++;
    if (i < PG_STAMPS_MAX && !pg_stamps[i].url) {
        void *p = mmap(NULL, STAMP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED) {
            pg_stamps[i].url = xstrdup(st->path);
            pg_stamps[i].page = p;
        }
    }
    void *page = i < PG_STAMPS_MAX ? pg_stamps[i].page : NULL;
    pthread_mutex_unlock(&pg_stamps_mu);
    if (!page)
        return err_set(err, ERR_INTERNAL, "cannot keep a change stamp for more databases");
    st->stamp = page;
    return ERR_OK;
}

enum err_code store_stamp_map(struct store *st, struct err *err)
{
    if (store_path_is_pg(st->path))
        return pg_stamp_map(st, err);
    char path[4096];
    if ((size_t)snprintf(path, sizeof(path), "%s-stamp", st->path) >= sizeof(path))
        return err_set(err, ERR_INVALID, "database path too long");
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    /* ftruncate only grows a new (empty) file: an existing counter is kept */
    off_t end = lseek(fd, 0, SEEK_END);
    if (end < STAMP_SIZE && ftruncate(fd, STAMP_SIZE) != 0) {
        int e = errno;
        close(fd);
        return err_set(err, ERR_IO, "cannot size '%s': %s", path, strerror(e));
    }
    void *p = mmap(NULL, STAMP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return err_set(err, ERR_IO, "cannot map '%s': %s", path, strerror(errno));
    st->stamp = p;
    return ERR_OK;
}

void store_stamp_unmap(struct store *st)
{
    if (st->stamp && !store_path_is_pg(st->path)) /* a process's page lives as long as it */
        munmap((void *)st->stamp, STAMP_SIZE);
    st->stamp = NULL;
}

/*
 * Waiting for the counter: a futex on its low 32 bits, shared by every process that maps
 * the file (a futex on a shared file mapping is keyed by the file, not the process), so
 * a server hears of a write the moment it is announced, whichever process made it.
 */
static uint32_t *stamp_word(const struct store *st)
{
    return (uint32_t *)(void *)st->stamp; /* the low half of stamp[0] (little-endian) */
}

void store_stamp_wake(struct store *st)
{
    if (st->stamp)
        syscall(SYS_futex, stamp_word(st), FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

void store_stamp_wait(const struct store *st, uint64_t seen, int timeout_ms)
{
    if (!st->stamp || atomic_load(&st->stamp[0]) != seen)
        return;
    struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
    syscall(SYS_futex, stamp_word(st), FUTEX_WAIT, (uint32_t)seen, &ts, NULL, 0);
}
