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
