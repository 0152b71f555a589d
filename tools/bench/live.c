/*
 * Many idle live-update streams, and how fast a publish reaches all of them, for
 * tools/bench/live.sh (compiled by it into its temporary directory; libc only).
 *
 *   live PORT CLIENTS TIMEOUT_MS MARKER -- COMMAND [ARG...]
 *
 * Opens CLIENTS connections to http://127.0.0.1:PORT/live/, at most IN_FLIGHT_MAX of them
 * being set up at a time so the listen backlog never overflows (an overflow costs a SYN
 * retransmit, a second or more), and waits until every one has had its 200 head and the
 * first bytes of the stream, "retry:". Then prints
 *
 *   ready clients=N setup_ms=N
 *
 * and reads commands, one a line, on stdin, reading every stream all the while:
 *
 *   publish K [FIRST]
 *               runs COMMAND K times, one after another. Before each run, "{}" in MARKER and
 *               in every ARG is replaced by the publish's number (FIRST, FIRST + 1, ...;
 *               without FIRST, 1 or the one after the last); from the moment COMMAND has
 *               exited (the post is committed), waits up to TIMEOUT_MS until every
 *               stream's data holds MARKER (the new post's slug). One line per publish,
 *               then one for the K:
 *
 *     pub n=N add_us=N first_us=N p50_us=N last_us=N got=N early=N
 *     batch publishes=N deliveries=N missed=N closed=N last_p50_us=N last_p99_us=N
 *           last_max_us=N all_p50_us=N all_p99_us=N all_max_us=N cpu_us=N
 *
 *               (one line; cpu_us is this process's own CPU time over the K). Times are
 *               from COMMAND's exit; a stream that had the event before that ("early": the
 *               server saw the commit before the process was gone) counts 0. "last" is each
 *               publish's slowest stream, "all" every (publish, stream) delivery; a delivery
 *               that timed out is "missed" and left out of both.
 *   quit, or end of input: closes every stream and exits 0.
 *
 * The streams keep only what a match needs: the chunked framing is decoded as it comes and a
 * tail of TAIL_MAX bytes is kept for a MARKER split across reads, so 10,000 streams cost this
 * process about 2 MB, whatever the server sends. A stream the server closes is counted
 * ("closed") and not reopened. One thread reads them all: a publish's last delivery includes
 * the time this process takes to read 10,000 sockets after the server has written them.
 *
 * Exit status 1, with a message on stderr, when a stream cannot be opened (refused, not 200,
 * closed before "retry:"), when setup or a command takes longer than SETUP_TIMEOUT_S or
 * IDLE_TIMEOUT_S, or when COMMAND fails. Missed deliveries are results, not errors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define IN_FLIGHT_MAX 256   /* streams being set up at once: well under the listen backlog */
#define HEAD_MAX 4096       /* a response head longer than this is refused */
#define TAIL_MAX 128        /* bytes kept from one read to the next, for a split MARKER */
#define READ_MAX 65536      /* one read's worth */
#define SETUP_TIMEOUT_S 120 /* for all CLIENTS to be ready */
#define IDLE_TIMEOUT_S 900  /* between two commands on stdin */
#define EVENTS_MAX 1024

static const char REQUEST[] = "GET /live/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Accept: text/event-stream\r\n\r\n";

enum phase { CONNECTING, HEAD, BODY, DEAD };
enum chunk_state { CHUNK_SIZE, CHUNK_EXT, CHUNK_DATA, CHUNK_CRLF, CHUNK_NONE };

struct conn {
    int fd;
    unsigned char phase;
    unsigned char chunk;
    unsigned char tail_len;
    bool chunked;
    bool ready;    /* "retry:" seen */
    uint32_t left; /* bytes of the current chunk still to come */
    uint32_t seen; /* the last publish whose MARKER this stream had */
    uint16_t head_len;
    char *head; /* HEAD_MAX bytes while phase is HEAD, else NULL */
    char tail[TAIL_MAX];
};

/* Everything the event loop works on: one instance, on main's stack. */
struct bench {
    int port, ep, sigfd;
    size_t n, opened, in_flight, nready, closed;
    struct conn *conns;
    const char *marker_tpl;
    char **cmd_tpl;
    uint32_t pub; /* the current publish's number; 0 before the first */
    char marker[TAIL_MAX];
    size_t marker_len;
    int64_t *seen_at; /* per stream, when it had the current MARKER; 0: not yet */
    size_t got;
    char scratch[TAIL_MAX + READ_MAX];
    char stdin_buf[256];
    size_t stdin_len;
    bool stdin_eof;
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void die(const char *msg)
{
    fprintf(stderr, "live: %s\n", msg);
    exit(1);
}

static void die_errno(const char *what)
{
    fprintf(stderr, "live: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        die("out of memory");
    return p;
}

/* TEMPLATE with every "{}" replaced by n; the result is malloc'd. */
static char *expand(const char *tpl, uint32_t n)
{
    char num[16];
    int nl = snprintf(num, sizeof(num), "%u", n);
    size_t cap = strlen(tpl) + 1;
    for (const char *p = tpl; (p = strstr(p, "{}")); p += 2)
        cap += (size_t)nl;
    char *out = xcalloc(1, cap), *o = out;
    for (const char *p = tpl; *p;) {
        if (p[0] == '{' && p[1] == '}') {
            memcpy(o, num, (size_t)nl);
            o += nl;
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    return out;
}

static void watch(struct bench *b, int fd, uint32_t events, uint64_t tag)
{
    struct epoll_event ev = {.events = events, .data.u64 = tag};
    if (epoll_ctl(b->ep, EPOLL_CTL_ADD, fd, &ev) != 0)
        die_errno("epoll_ctl");
}

/*
 * An abortive close (RST): 20,000 sockets in TIME_WAIT would hold as many ephemeral ports
 * for a minute, and a second run of the script could then find none.
 */
static void conn_close(struct conn *c)
{
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(c->fd);
    c->fd = -1;
    free(c->head);
    c->head = NULL;
    c->phase = DEAD;
}

static void conn_open(struct bench *b, size_t i)
{
    struct conn *c = &b->conns[i];
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        die_errno("socket");
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)b->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0 && errno != EINPROGRESS) {
        fprintf(stderr, "live: connection %zu of %zu to 127.0.0.1:%d: %s\n", i + 1, b->n, b->port,
                strerror(errno));
        exit(1);
    }
    c->phase = CONNECTING;
    watch(b, c->fd, EPOLLOUT | EPOLLIN | EPOLLRDHUP, i);
    b->opened++;
    b->in_flight++;
}

/* Connected: sends the request and waits for the head. */
static void conn_send(struct bench *b, size_t i)
{
    struct conn *c = &b->conns[i];
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
        fprintf(stderr, "live: connection %zu of %zu to 127.0.0.1:%d: %s (after %zu ready)\n",
                i + 1, b->n, b->port, strerror(err), b->nready);
        exit(1);
    }
    /* a fresh socket's send buffer holds far more than the request */
    if (write(c->fd, REQUEST, sizeof(REQUEST) - 1) != (ssize_t)(sizeof(REQUEST) - 1))
        die_errno("write of the request");
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = i};
    if (epoll_ctl(b->ep, EPOLL_CTL_MOD, c->fd, &ev) != 0)
        die_errno("epoll_ctl");
    c->phase = HEAD;
    c->head = xcalloc(1, HEAD_MAX + 1);
}

/* Decodes chunked framing from in[0..n) into out; returns the bytes of data written. */
static size_t dechunk(struct conn *c, const char *in, size_t n, char *out)
{
    if (!c->chunked) {
        memcpy(out, in, n);
        return n;
    }
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        char ch = in[i];
        switch (c->chunk) {
        case CHUNK_SIZE: {
            int d = ch >= '0' && ch <= '9'   ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                             : -1;
            if (d >= 0)
                c->left = c->left * 16 + (uint32_t)d;
            else
                c->chunk = ch == '\n' ? (c->left ? CHUNK_DATA : CHUNK_NONE) : CHUNK_EXT;
            i++;
            break;
        }
        case CHUNK_EXT:
            if (ch == '\n')
                c->chunk = c->left ? CHUNK_DATA : CHUNK_NONE;
            i++;
            break;
        case CHUNK_DATA: {
            size_t k = n - i < c->left ? n - i : c->left;
            memcpy(out + w, in + i, k);
            w += k;
            i += k;
            c->left -= (uint32_t)k;
            if (!c->left)
                c->chunk = CHUNK_CRLF;
            break;
        }
        case CHUNK_CRLF:
            if (ch == '\n')
                c->chunk = CHUNK_SIZE;
            i++;
            break;
        default: /* the last chunk: the stream has ended; the close follows */
            return w;
        }
    }
    return w;
}

/* Data of stream i (after the head): looks for "retry:" first, then the current MARKER. */
static void conn_data(struct bench *b, size_t i, const char *in, size_t n, int64_t t)
{
    struct conn *c = &b->conns[i];
    char *s = b->scratch;
    memcpy(s, c->tail, c->tail_len);
    size_t len = c->tail_len + dechunk(c, in, n, s + c->tail_len);
    if (!c->ready) {
        if (!memmem(s, len, "retry:", 6)) {
            goto keep;
        }
        c->ready = true;
        c->seen = b->pub;
        b->nready++;
        b->in_flight--;
    }
    if (c->seen != b->pub && memmem(s, len, b->marker, b->marker_len)) {
        c->seen = b->pub;
        b->seen_at[i] = t;
        b->got++;
    }
keep:;
    size_t keep = len < TAIL_MAX - 1 ? len : TAIL_MAX - 1;
    memcpy(c->tail, s + len - keep, keep);
    c->tail_len = (unsigned char)keep;
}

/* The head so far: returns the bytes past its end, -1 while incomplete; dies when not 200. */
static ssize_t conn_head(struct bench *b, size_t i)
{
    struct conn *c = &b->conns[i];
    c->head[c->head_len] = '\0';
    char *eoh = strstr(c->head, "\r\n\r\n");
    if (!eoh) {
        if (c->head_len >= HEAD_MAX)
            die("a response head longer than 4 KB");
        return -1;
    }
    if (strncmp(c->head, "HTTP/1.1 200", 12) != 0) {
        char *eol = strstr(c->head, "\r\n");
        fprintf(stderr, "live: stream %zu of %zu answered '%.*s' (after %zu ready)\n", i + 1, b->n,
                (int)(eol - c->head), c->head, b->nready);
        exit(1);
    }
    *eoh = '\0';
    for (char *h = strstr(c->head, "\r\n"); h; h = strstr(h + 2, "\r\n"))
        if (strncasecmp(h + 2, "transfer-encoding:", 18) == 0 && strstr(h + 20, "chunked"))
            c->chunked = true;
    return (eoh + 4) - c->head;
}

/* Reads stream i until the socket is empty; a close counts it as closed. */
static void conn_read(struct bench *b, size_t i, int64_t t)
{
    struct conn *c = &b->conns[i];
    static char in[READ_MAX];
    for (;;) {
        char *dst = c->phase == HEAD ? c->head + c->head_len : in;
        size_t room = c->phase == HEAD ? HEAD_MAX - c->head_len : READ_MAX;
        ssize_t r = read(c->fd, dst, room);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (r <= 0) {
            if (!c->ready) {
                fprintf(stderr, "live: stream %zu of %zu closed before its first bytes: %s\n",
                        i + 1, b->n, r < 0 ? strerror(errno) : "end of stream");
                exit(1);
            }
            conn_close(c);
            b->closed++;
            return;
        }
        if (c->phase == HEAD) {
            c->head_len += (uint16_t)r;
            ssize_t past = conn_head(b, i);
            if (past < 0)
                continue;
            size_t rest = c->head_len - (size_t)past;
            memcpy(in, c->head + past, rest);
            free(c->head);
            c->head = NULL;
            c->phase = BODY;
            conn_data(b, i, in, rest, t);
            continue;
        }
        conn_data(b, i, in, (size_t)r, t);
        /*
         * A short read emptied the socket: epoll (level-triggered) reports it again when more
         * comes. The read that would return EAGAIN costs 10,000 system calls a publish.
         */
        if ((size_t)r < room)
            return;
    }
}

/* Tags above the streams' indexes. */
#define TAG_STDIN ((uint64_t)1 << 40)
#define TAG_SIGNAL ((uint64_t)2 << 40)

static void read_stdin(struct bench *b)
{
    size_t room = sizeof(b->stdin_buf) - 1 - b->stdin_len;
    if (!room)
        die("a command line longer than 255 bytes on stdin");
    ssize_t r = read(STDIN_FILENO, b->stdin_buf + b->stdin_len, room);
    if (r < 0 && errno != EINTR && errno != EAGAIN)
        die_errno("read from stdin");
    if (r == 0) {
        b->stdin_eof = true;
        epoll_ctl(b->ep, EPOLL_CTL_DEL, STDIN_FILENO, NULL);
    }
    if (r > 0)
        b->stdin_len += (size_t)r;
}

/*
 * One turn of the event loop: waits up to timeout_ms (or until the deadline, -1: none)
 * and reads whatever is ready. Returns true when the child exited (SIGCHLD) in that turn.
 */
static bool loop_once(struct bench *b, int timeout_ms)
{
    static struct epoll_event evs[EVENTS_MAX];
    int n = epoll_wait(b->ep, evs, EVENTS_MAX, timeout_ms);
    if (n < 0 && errno != EINTR)
        die_errno("epoll_wait");
    int64_t t = now_us();
    bool child = false;
    for (int k = 0; k < n; k++) {
        uint64_t tag = evs[k].data.u64;
        if (tag == TAG_STDIN) {
            read_stdin(b);
            continue;
        }
        if (tag == TAG_SIGNAL) {
            struct signalfd_siginfo si;
            while (read(b->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                child = true;
            continue;
        }
        struct conn *c = &b->conns[tag];
        if (c->phase == DEAD)
            continue;
        if (c->phase == CONNECTING)
            conn_send(b, tag);
        else
            conn_read(b, tag, t);
    }
    return child;
}

static void setup(struct bench *b)
{
    int64_t start = now_us(), deadline = start + (int64_t)SETUP_TIMEOUT_S * 1000000;
    while (b->nready < b->n) {
        while (b->opened < b->n && b->in_flight < IN_FLIGHT_MAX)
            conn_open(b, b->opened);
        if (now_us() > deadline) {
            fprintf(stderr, "live: only %zu of %zu streams ready after %d s\n", b->nready, b->n,
                    SETUP_TIMEOUT_S);
            exit(1);
        }
        loop_once(b, 100);
    }
    printf("ready clients=%zu setup_ms=%lld\n", b->n, (long long)(now_us() - start) / 1000);
    fflush(stdout);
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, c = *(const int64_t *)y;
    return (a > c) - (a < c);
}

/* Nearest-rank percentile p of sorted v[0..n); 0 when n is 0. */
static int64_t pct(const int64_t *v, size_t n, int p)
{
    if (!n)
        return 0;
    size_t r = (n * (size_t)p + 99) / 100;
    return v[r ? r - 1 : 0];
}

/* Runs COMMAND for publish number b->pub; returns when it has exited, at *exited. */
static int64_t run_command(struct bench *b)
{
    size_t argc = 0;
    while (b->cmd_tpl[argc])
        argc++;
    char **argv = xcalloc(argc + 1, sizeof(*argv));
    for (size_t k = 0; k < argc; k++)
        argv[k] = expand(b->cmd_tpl[k], b->pub);
    pid_t pid = fork();
    if (pid < 0)
        die_errno("fork");
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        dup2(STDERR_FILENO, STDOUT_FILENO); /* our stdout carries the result lines only */
        execvp(argv[0], argv);
        perror("live: exec");
        _exit(127);
    }
    for (size_t k = 0; k < argc; k++)
        free(argv[k]);
    free(argv);
    int64_t deadline = now_us() + (int64_t)IDLE_TIMEOUT_S * 1000000;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            int64_t exited = now_us();
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "live: %s failed (status %d)\n", b->cmd_tpl[0], status);
                exit(1);
            }
            return exited;
        }
        if (r < 0 && errno != EINTR)
            die_errno("waitpid");
        if (now_us() > deadline)
            die("the publish command did not exit");
        loop_once(b, 50); /* wakes up at once on SIGCHLD */
    }
}

/* This process's CPU time (user + system; not the commands it runs), in microseconds. */
static int64_t cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

static void publish_batch(struct bench *b, uint32_t count, int64_t timeout_us)
{
    int64_t cpu0 = cpu_us();
    int64_t *all = xcalloc((size_t)count * b->n + 1, sizeof(*all));
    int64_t *last = xcalloc(count + 1, sizeof(*last));
    int64_t *one = xcalloc(b->n + 1, sizeof(*one));
    size_t nall = 0, nlast = 0, missed = 0;
    for (uint32_t k = 0; k < count; k++) {
        b->pub++;
        char *m = expand(b->marker_tpl, b->pub);
        b->marker_len = strlen(m);
        memcpy(b->marker, m, b->marker_len);
        free(m);
        memset(b->seen_at, 0, b->n * sizeof(*b->seen_at));
        b->got = 0;
        int64_t t_start = now_us();
        int64_t t0 = run_command(b);
        int64_t deadline = t0 + timeout_us;
        size_t alive = b->n - b->closed;
        while (b->got < alive && now_us() < deadline) {
            loop_once(b, 10);
            alive = b->n - b->closed;
        }
        size_t got = 0, early = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (!b->seen_at[i])
                continue;
            int64_t d = b->seen_at[i] - t0;
            early += d < 0;
            one[got++] = d < 0 ? 0 : d;
        }
        qsort(one, got, sizeof(*one), cmp_i64);
        memcpy(all + nall, one, got * sizeof(*one));
        nall += got;
        missed += b->n - got;
        if (got == b->n)
            last[nlast++] = one[got - 1];
        printf("pub n=%u add_us=%lld first_us=%lld p50_us=%lld last_us=%lld got=%zu early=%zu\n",
               b->pub, (long long)(t0 - t_start), (long long)pct(one, got, 0),
               (long long)pct(one, got, 50), (long long)(got ? one[got - 1] : -1), got, early);
        fflush(stdout);
    }
    qsort(all, nall, sizeof(*all), cmp_i64);
    qsort(last, nlast, sizeof(*last), cmp_i64);
    printf("batch publishes=%u deliveries=%zu missed=%zu closed=%zu last_p50_us=%lld "
           "last_p99_us=%lld last_max_us=%lld all_p50_us=%lld all_p99_us=%lld "
           "all_max_us=%lld cpu_us=%lld\n",
           count, nall, missed, b->closed, (long long)pct(last, nlast, 50),
           (long long)pct(last, nlast, 99), (long long)pct(last, nlast, 100),
           (long long)pct(all, nall, 50), (long long)pct(all, nall, 99),
           (long long)pct(all, nall, 100), (long long)(cpu_us() - cpu0));
    fflush(stdout);
    free(all);
    free(last);
    free(one);
}

/* Takes one whole line off the stdin buffer into line; false when there is none. */
static bool next_line(struct bench *b, char *line, size_t cap)
{
    char *nl = memchr(b->stdin_buf, '\n', b->stdin_len);
    if (!nl)
        return false;
    size_t n = (size_t)(nl - b->stdin_buf);
    snprintf(line, cap, "%.*s", (int)n, b->stdin_buf);
    memmove(b->stdin_buf, nl + 1, b->stdin_len - n - 1);
    b->stdin_len -= n + 1;
    return true;
}

/*
 * Commands come on a pipe or a terminal, read as they come; epoll refuses a regular file
 * (and /dev/null), which is then read whole at once.
 */
static void watch_stdin(struct bench *b)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = TAG_STDIN};
    if (epoll_ctl(b->ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev) == 0)
        return;
    if (errno != EPERM)
        die_errno("epoll_ctl on stdin");
    while (!b->stdin_eof && b->stdin_len < sizeof(b->stdin_buf) - 1) {
        ssize_t r = read(STDIN_FILENO, b->stdin_buf + b->stdin_len,
                         sizeof(b->stdin_buf) - 1 - b->stdin_len);
        if (r < 0 && errno != EINTR)
            die_errno("read from stdin");
        b->stdin_eof = r == 0;
        if (r > 0)
            b->stdin_len += (size_t)r;
    }
    b->stdin_eof = true;
}

static void commands(struct bench *b, int64_t timeout_us)
{
    for (;;) {
        int64_t deadline = now_us() + (int64_t)IDLE_TIMEOUT_S * 1000000;
        char line[256];
        while (!next_line(b, line, sizeof(line))) {
            if (b->stdin_eof)
                return;
            if (now_us() > deadline)
                die("no command on stdin for 900 s");
            loop_once(b, 1000);
        }
        unsigned long k, first = 0;
        if (strcmp(line, "quit") == 0)
            return;
        int got = sscanf(line, "publish %lu %lu", &k, &first);
        if (got < 1 || k == 0 || k > 100000 || first > 100000) {
            fprintf(stderr, "live: unknown command '%s' (publish K [FIRST], quit)\n", line);
            continue;
        }
        if (got == 2 && first > 0)
            b->pub = (uint32_t)first - 1;
        publish_batch(b, (uint32_t)k, timeout_us);
    }
}

/* Raises the soft limit on descriptors to the hard one; dies when n streams cannot fit. */
static void raise_nofile(size_t n)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        die_errno("getrlimit");
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < n + 16) {
        fprintf(stderr, "live: %zu streams need %zu descriptors; the hard limit is %llu\n", n,
                n + 16, (unsigned long long)rl.rlim_cur);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    if (argc < 7 || strcmp(argv[5], "--") != 0) {
        fprintf(stderr, "usage: live PORT CLIENTS TIMEOUT_MS MARKER -- COMMAND [ARG...]\n");
        return 1;
    }
    static struct bench b;
    b.port = (int)strtol(argv[1], NULL, 10);
    long n = strtol(argv[2], NULL, 10);
    int64_t timeout_us = (int64_t)strtol(argv[3], NULL, 10) * 1000;
    b.marker_tpl = argv[4];
    b.cmd_tpl = argv + 6;
    if (b.port <= 0 || b.port > 65535 || n <= 0 || n > 1000000 || timeout_us <= 0)
        die("bad PORT, CLIENTS or TIMEOUT_MS");
    if (strlen(b.marker_tpl) + 10 >= TAIL_MAX)
        die("MARKER is too long");
    b.n = (size_t)n;
    raise_nofile(b.n);
    b.conns = xcalloc(b.n, sizeof(*b.conns));
    b.seen_at = xcalloc(b.n, sizeof(*b.seen_at));
    signal(SIGPIPE, SIG_IGN);

    b.ep = epoll_create1(EPOLL_CLOEXEC);
    if (b.ep < 0)
        die_errno("epoll_create1");
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    b.sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
    if (b.sigfd < 0)
        die_errno("signalfd");
    watch(&b, b.sigfd, EPOLLIN, TAG_SIGNAL);
    fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);

    setup(&b);
    watch_stdin(&b);
    commands(&b, timeout_us);
    for (size_t i = 0; i < b.n; i++)
        if (b.conns[i].phase != DEAD)
            conn_close(&b.conns[i]);
    printf("bye closed=%zu\n", b.closed);
    return 0;
}
