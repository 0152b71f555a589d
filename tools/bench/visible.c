/*
 * Publish-to-visible timer for tools/bench.sh (compiled by it into its temporary directory).
 *
 *   visible PORT MARKER TIMEOUT_MS PATH... -- COMMAND [ARG...]
 *
 * Opens one keep-alive connection to 127.0.0.1:PORT per PATH, runs COMMAND (the publishing
 * `newsdesk post add`) and waits for it; from the moment it has exited, asks for each PATH in
 * turn, again and again, until the body holds MARKER (the new post's slug) or TIMEOUT_MS
 * have passed. Prints one line:
 *
 *   add_us=N polls=N PATH=US|timeout ...
 *
 * Polling from here rather than with curl keeps a process start-up (tens of milliseconds on
 * a loaded 2-core machine) out of every sample: what is left is the server's own delay plus
 * one request's time under the same load, as a reader with an open connection would see.
 * COMMAND's output goes to stderr. Exit status: 0 when COMMAND succeeded (timeouts are
 * results, not errors), else 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PATHS 8
#define HEAD_MAX 16384

struct conn {
    const char *path;
    int fd;
    int64_t seen_us; /* -1: not yet */
};

static int port;
static char *buf;
static size_t cap;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Reads at least one more byte into buf[*len..] before the deadline: >0, 0 on EOF, -1. */
static ssize_t fill(int fd, size_t *len, int64_t deadline)
{
    if (*len + 65536 > cap) {
        cap = (*len + 65536) * 2;
        buf = realloc(buf, cap);
        if (!buf) {
            perror("visible: realloc");
            exit(1);
        }
    }
    for (;;) {
        int64_t left = deadline - now_us();
        if (left <= 0)
            return -1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)(left / 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t n = read(fd, buf + *len, cap - *len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n > 0)
            *len += (size_t)n;
        return n;
    }
}

/*
 * One GET of c->path on its connection; the body ends up in buf[*body..*end]. Returns 0, or
 * -1 when the connection failed or the deadline passed (the connection is then closed).
 */
static int get(struct conn *c, size_t *body, size_t *end, int64_t deadline)
{
    char req[1024];
    int n =
        snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", c->path, port);
    if (n < 0 || (size_t)n >= sizeof(req))
        return -1;
    if (c->fd < 0 && (c->fd = dial()) < 0)
        return -1;
    if (write(c->fd, req, (size_t)n) != n)
        goto fail;
    size_t len = 0;
    char *eoh = NULL;
    while (!eoh) {
        if (len > HEAD_MAX || fill(c->fd, &len, deadline) <= 0)
            goto fail;
        buf[len] = '\0';
        eoh = strstr(buf, "\r\n\r\n");
    }
    *body = (size_t)(eoh + 4 - buf);
    long clen = -1;
    for (char *h = strstr(buf, "\r\n"); h && h < eoh; h = strstr(h + 2, "\r\n"))
        if (strncasecmp(h + 2, "content-length:", 15) == 0)
            clen = strtol(h + 17, NULL, 10);
    if (clen >= 0) {
        while (len < *body + (size_t)clen)
            if (fill(c->fd, &len, deadline) <= 0)
                goto fail;
        *end = *body + (size_t)clen; /* a keep-alive response: nothing follows it */
    } else {
        ssize_t r; /* no length: the body ends when the server closes */
        while ((r = fill(c->fd, &len, deadline)) > 0)
            ;
        if (r < 0)
            goto fail;
        *end = len;
        close(c->fd);
        c->fd = -1;
    }
    buf[*end] = '\0';
    return 0;
fail:
    close(c->fd);
    c->fd = -1;
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: visible PORT MARKER TIMEOUT_MS PATH... -- COMMAND [ARG...]\n");
        return 1;
    }
    port = (int)strtol(argv[1], NULL, 10);
    const char *marker = argv[2];
    int64_t timeout_us = (int64_t)strtol(argv[3], NULL, 10) * 1000;
    if (port <= 0 || port > 65535 || timeout_us <= 0) {
        fprintf(stderr, "visible: bad PORT or TIMEOUT_MS\n");
        return 1;
    }
    struct conn conns[MAX_PATHS];
    int nconns = 0, i = 4;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (nconns == MAX_PATHS) {
            fprintf(stderr, "visible: at most %d paths\n", MAX_PATHS);
            return 1;
        }
        conns[nconns++] = (struct conn){.path = argv[i], .fd = dial(), .seen_us = -1};
    }
    if (i + 1 >= argc || nconns == 0) {
        fprintf(stderr, "visible: need PATH... -- COMMAND\n");
        return 1;
    }
    char **cmd = argv + i + 1;

    int64_t start = now_us();
    pid_t pid = fork();
    if (pid < 0) {
        perror("visible: fork");
        return 1;
    }
    if (pid == 0) {
        dup2(STDERR_FILENO, STDOUT_FILENO); /* our stdout carries the result line only */
        execvp(cmd[0], cmd);
        perror("visible: exec");
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            perror("visible: waitpid");
            return 1;
        }
    int64_t t0 = now_us(); /* the command has exited: the post is committed */
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "visible: %s failed (status %d)\n", cmd[0], status);
        return 1;
    }

    int64_t deadline = t0 + timeout_us;
    long polls = 0;
    int pending = nconns;
    while (pending && now_us() < deadline) {
        for (int k = 0; k < nconns; k++) {
            struct conn *c = &conns[k];
            size_t body, end;
            if (c->seen_us >= 0 || get(c, &body, &end, deadline) != 0)
                continue;
            polls++;
            if (memmem(buf + body, end - body, marker, strlen(marker))) {
                c->seen_us = now_us() - t0;
                pending--;
            }
        }
    }
    printf("add_us=%lld polls=%ld", (long long)(t0 - start), polls);
    for (int k = 0; k < nconns; k++) {
        if (conns[k].seen_us >= 0)
            printf(" %s=%lld", conns[k].path, (long long)conns[k].seen_us);
        else
            printf(" %s=timeout", conns[k].path);
        if (conns[k].fd >= 0)
            close(conns[k].fd);
    }
    printf("\n");
    free(buf);
    return 0;
}
