#include "base.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = {"debug", "info", "warn", "error"};

static atomic_int min_level = LOG_INFO;
static _Thread_local uint64_t current_request;
static pthread_mutex_t path_mu = PTHREAD_MUTEX_INITIALIZER;
static char log_path[PATH_MAX]; /* empty: stderr as the process got it */

void log_set_level(enum log_level level)
{
    atomic_store(&min_level, (int)level);
}

void log_set_request(uint64_t id)
{
    current_request = id;
}

void log_request_id(uint64_t id, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)id);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if ((int)level < atomic_load_explicit(&min_level, memory_order_relaxed))
        return;
    char line[2048];
    char ts[32];
    time_fmt_iso_utc(time_now(), ts);
    int n;
    if (current_request) {
        char id[17];
        log_request_id(current_request, id);
        n = snprintf(line, sizeof(line), "%s [%s] [request %s] ", ts, level_names[level], id);
    } else {
        n = snprintf(line, sizeof(line), "%s [%s] ", ts, level_names[level]);
    }
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    /* one line per record: a message must not forge another log line */
    for (size_t i = (size_t)n; i < len; i++)
        if (line[i] == '\n' || line[i] == '\r')
            line[i] = ' ';
    line[len++] = '\n';
    /* one write(2) so that lines from different threads never interleave */
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

/*
 * The file takes stderr's place with dup2, which swaps the descriptor in one step: a line
 * another thread writes meanwhile goes to the old file or the new, never to a closed or
 * reused descriptor. libvips' and libcurl's own messages follow it there.
 */
static bool open_onto_stderr(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return false;
    bool ok = dup2(fd, STDERR_FILENO) >= 0;
    close(fd);
    return ok;
}

bool log_open(const char *path)
{
    if (!path || strcmp(path, "-") == 0)
        return true;
    if (strlen(path) >= sizeof(log_path))
        return false;
    pthread_mutex_lock(&path_mu);
    bool ok = open_onto_stderr(path);
    if (ok)
        snprintf(log_path, sizeof(log_path), "%s", path);
    pthread_mutex_unlock(&path_mu);
    return ok;
}

bool log_reopen(void)
{
    pthread_mutex_lock(&path_mu);
    bool ok = !log_path[0] || open_onto_stderr(log_path);
    pthread_mutex_unlock(&path_mu);
    return ok;
}
