#include "base.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_msg(enum log_level level, const char *fmt, ...)
{
    char line[2048];
    char ts[32];
    time_fmt_iso_utc(time_now(), ts);
    int n = snprintf(line, sizeof(line), "%s [%s] ", ts, level_names[level]);
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
