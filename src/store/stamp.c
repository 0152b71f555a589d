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
#include <stdatomic.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define STAMP_SIZE 4096

enum err_code store_stamp_map(struct store *st, struct err *err)
{
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
    if (st->stamp)
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
