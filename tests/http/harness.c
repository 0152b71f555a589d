#include "harness.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *bin(void)
{
    const char *b = getenv("NEWSDESK_BIN");
    return b ? b : "build/test/newsdesk";
}

static char *slurp_fd_len(int fd, size_t *outlen)
{
    size_t cap = 4096, len = 0;
    char *p = malloc(cap);
    ssize_t n;
    while ((n = read(fd, p + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2048) {
            cap *= 2;
            p = realloc(p, cap);
        }
    }
    p[len] = '\0';
    if (outlen)
        *outlen = len;
    return p;
}

static char *slurp_fd(int fd)
{
    return slurp_fd_len(fd, NULL);
}

int run_newsdesk(char **out, char **errout, const char *arg, ...)
{
    const char *argv[32];
    int argc = 0;
    argv[argc++] = bin();
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a && argc < 31; a = va_arg(ap, const char *))
        argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    char outpath[] = "/tmp/ndtest-out-XXXXXX", errpath[] = "/tmp/ndtest-err-XXXXXX";
    int ofd = mkstemp(outpath), efd = mkstemp(errpath);
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDONLY);
        dup2(nul, 0);
        dup2(ofd, 1);
        dup2(efd, 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    lseek(ofd, 0, SEEK_SET);
    lseek(efd, 0, SEEK_SET);
    char *o = slurp_fd(ofd), *e = slurp_fd(efd);
    close(ofd);
    close(efd);
    unlink(outpath);
    unlink(errpath);
    if (out)
        *out = o;
    else
        free(o);
    if (errout)
        *errout = e;
    else
        free(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * The database of a test site: a file in its folder, or, when NEWSDESK_TEST_PG names a
 * PostgreSQL cluster's URL (tools/pg-cluster.sh prints one), a database of its own there,
 * named after the folder and dropped with it (srv_cleanup).
 */
static void db_make(struct srv *s)
{
    const char *pg = getenv("NEWSDESK_TEST_PG");
    if (!pg || !*pg) {
        snprintf(s->db, sizeof(s->db), "%s/site.db", s->dir);
        return;
    }
    const char *q = strchr(pg, '?');
    const char *slash = pg + strlen(pg);
    while (slash > pg && (slash[-1] != '/' || (q && slash > q)))
        slash--;
    cr_assert(slash > pg && q, "NEWSDESK_TEST_PG is not a URL with a database and a query: %s", pg);
    snprintf(s->pg_name, sizeof(s->pg_name), "nd_%s", strrchr(s->dir, '-') + 1);
    for (char *c = s->pg_name; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    snprintf(s->db, sizeof(s->db), "%.*s%s%s", (int)(slash - pg), pg, s->pg_name, q);
    cr_assert_eq(
        sh_status("psql -X -q -v ON_ERROR_STOP=1 '%s' -c 'CREATE DATABASE %s'", pg, s->pg_name), 0,
        "cannot create the test database %s", s->pg_name);
}

void srv_prepare(struct srv *s, int posts)
{
    memset(s, 0, sizeof(*s));
    snprintf(s->dir, sizeof(s->dir), "/tmp/ndtest-XXXXXX");
    cr_assert(mkdtemp(s->dir));
    db_make(s);
    char *err = NULL;
    int rc = run_newsdesk(NULL, &err, "init", "--db", s->db, NULL);
    cr_assert_eq(rc, 0, "init failed: %s", err);
    free(err);
    /*
     * A configured public address, as a real site has, so that links do not depend on
     * the random port (unset, they name the address served: tests/http/test_ops.c).
     */
    rc = run_newsdesk(NULL, &err, "settings", "set", "--db", s->db, "url", "http://127.0.0.1:8080",
                      NULL);
    cr_assert_eq(rc, 0, "settings set url failed: %s", err);
    free(err);
    if (posts > 0) {
        char n[16];
        snprintf(n, sizeof(n), "%d", posts);
        rc = run_newsdesk(NULL, &err, "demo", "--db", s->db, "--posts", n, "--until",
                          "2026-11-20T12:00:00Z", NULL);
        cr_assert_eq(rc, 0, "demo failed: %s", err);
        free(err);
    }
}

void srv_start(struct srv *s)
{
    srv_start_args(s, NULL);
}

void srv_start_with(struct srv *s, const char *opt, const char *val)
{
    const char *const args[] = {opt, val, NULL};
    srv_start_args(s, args);
}

void srv_start_args(struct srv *s, const char *const *args)
{
    /* every server keeps an access log, which srv_stop reads for secrets */
    char alog[400];
    snprintf(alog, sizeof(alog), "%s/access.log", s->dir);
    const char *argv[32] = {bin(),         "serve",     "--db", s->db,          "--listen",
                            "127.0.0.1:0", "--threads", "2",    "--access-log", alog};
    size_t argc = 10;
    for (size_t i = 0; args && args[i] && argc < 31; i++)
        argv[argc++] = args[i];
    int pfd[2];
    cr_assert(pipe(pfd) == 0);
    char log[400];
    snprintf(log, sizeof(log), "%s/server.log", s->dir);
    s->pid = fork();
    if (s->pid == 0) {
        int lfd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(lfd, 2);
        dup2(pfd[1], 1);
        close(pfd[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(pfd[1]);
    /* the first line names the URL: "... serving http://127.0.0.1:PORT/ ..." */
    char line[512];
    size_t n = 0;
    while (n < sizeof(line) - 1) {
        ssize_t r = read(pfd[0], line + n, 1);
        if (r <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    close(pfd[0]);
    const char *p = strstr(line, "://127.0.0.1:"); /* http or https */
    cr_assert(p, "server did not start: '%s'", line);
    s->port = atoi(p + strlen("://127.0.0.1:"));
    cr_assert(s->port > 0);
}

/*
 * Nothing secret in any log line: not the tests' password, not a session cookie or a
 * bearer token, and a one-time link's token (a preview's, a password reset's) only as
 * "SECRET". Checked after every server of every suite, the newsroom's included.
 */
static void expect_no_secret_logged(const struct srv *s)
{
    static const char marks[] = "(/preview/|/admin/reset/|preview_link=)";
    char *leaks = sh_out("cd '%s' && cat access.log server.log 2>/dev/null | "
                         "grep -a -E 'correct horse|nd_session=[A-Za-z0-9]|nd_login=[A-Za-z0-9]|"
                         "Bearer [A-Za-z0-9]|%s[^/ \"&?]' | grep -a -v -E '%sSECRET([/ \"&?]|$)' "
                         "| head -n 5",
                         s->dir, marks, marks);
    cr_expect_str_empty(leaks, "a secret in the server's logs:\n%s", leaks);
    free(leaks);
}

void srv_stop(struct srv *s)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, SIGTERM);
    int st = 0;
    waitpid(s->pid, &st, 0);
    s->pid = 0;
    bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    if (!ok) {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "cat '%s/server.log' >&2", s->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "no server log\n");
    }
    cr_expect(ok, "server exit status %d (its log is above)", st);
    expect_no_secret_logged(s);
}

void srv_cleanup(struct srv *s)
{
    const char *pg = getenv("NEWSDESK_TEST_PG");
    if (s->pg_name[0] && pg &&
        sh_status("psql -X -q '%s' -c 'DROP DATABASE IF EXISTS %s WITH (FORCE)'", pg, s->pg_name) !=
            0)
        fprintf(stderr, "cannot drop the test database %s\n", s->pg_name);
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
    if (s->dir[0] && system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", s->dir);
}

void suite_start(struct srv *s, const struct suite_opts *o)
{
    srv_prepare(s, o->posts);
    if (o->before_start)
        o->before_start(s);
    if (!o->prepare_only)
        srv_start_args(s, o->serve_args);
}

void suite_stop(struct srv *s)
{
    srv_stop(s);
    srv_cleanup(s);
}

void srv_write(const struct srv *s, const char *name, const char *text, char path[SRV_PATH_MAX])
{
    char buf[SRV_PATH_MAX];
    char *p = path ? path : buf;
    snprintf(p, SRV_PATH_MAX, "%s/%s", s->dir, name);
    FILE *f = fopen(p, "w");
    cr_assert(f, "cannot write '%s'", p);
    fputs(text, f);
    fclose(f);
}

void srv_add_post(const struct srv *s, const char *name, const char *text)
{
    char path[SRV_PATH_MAX];
    srv_write(s, name, text, path);
    char *err = NULL;
    int rc = run_newsdesk(NULL, &err, "post", "add", "--db", s->db, path, NULL);
    cr_assert_eq(rc, 0, "post add %s: %s", name, err);
    free(err);
}

const char *srv_save(const struct srv *s, const struct resp *r, const char *name,
                     char path[SRV_PATH_MAX])
{
    snprintf(path, SRV_PATH_MAX, "%s/%s", s->dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert(f, "cannot write '%s'", path);
    fwrite(r->body, 1, r->body_len, f);
    fclose(f);
    return path;
}

int xml_check(const char *schema, const char *file)
{
    const char *dir = getenv("NEWSDESK_SCHEMAS");
    if (!dir)
        dir = "tests/schemas";
    char cmd[1400];
    size_t n = schema ? strlen(schema) : 0;
    if (!schema)
        snprintf(cmd, sizeof(cmd), "xmllint --noout --nonet '%s'", file);
    else if (n > 4 && strcmp(schema + n - 4, ".rnc") == 0)
        snprintf(cmd, sizeof(cmd), "jing -c '%s/%s' '%s' 2>/dev/null", dir, schema, file);
    else
        snprintf(cmd, sizeof(cmd), "xmllint --noout --nonet --schema '%s/%s' '%s' 2>/dev/null", dir,
                 schema, file);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int node_run(const char *fmt, ...)
{
    char args[1800], cmd[2000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof(args), fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof(cmd), "node %s >&2", args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int connect_to(const struct srv *s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)s->port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert(connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0, "connect: %s", strerror(errno));
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    return fd;
}

static void parse_resp(char *raw, size_t len, struct resp *r)
{
    memset(r, 0, sizeof(*r));
    char *end = memmem(raw, len, "\r\n\r\n", 4);
    cr_assert(end, "no header end in response: '%.200s'", raw);
    size_t hlen = (size_t)(end - raw);
    r->head = strndup(raw, hlen);
    r->body_len = len - hlen - 4;
    r->body = malloc(r->body_len + 1);
    memcpy(r->body, end + 4, r->body_len);
    r->body[r->body_len] = '\0';
    cr_assert(sscanf(raw, "HTTP/1.%*d %d", &r->status) == 1);
}

int http_open(const struct srv *s)
{
    return connect_to(s);
}

void http_send_all(int fd, const char *req, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server may answer and close before reading everything */
        off += (size_t)w;
    }
}

void http_read_response(int fd, struct resp *r)
{
    size_t got;
    char *raw = slurp_fd_len(fd, &got);
    close(fd);
    parse_resp(raw, got, r);
    free(raw);
}

void srv_login_add(struct srv *s, const char *email)
{
    cr_assert_lt(s->nlogins, SRV_LOGINS_MAX, "too many logins for one test server");
    cr_assert_lt(strlen(email), sizeof(s->logins[0]));
    snprintf(s->logins[s->nlogins++], sizeof(s->logins[0]), "%s", email);
}

void srv_login_public(struct srv *s, const char *email)
{
    for (int i = 0; i < s->nlogins; i++)
        if (strcasecmp(s->logins[i], email) == 0)
            memmove(s->logins[i], s->logins[--s->nlogins], sizeof(s->logins[0]));
}

/* Whether needle (ASCII, any case) is in p[0..n). */
static bool has_nocase(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k && i + k <= n; i++)
        if (strncasecmp(p + i, needle, k) == 0)
            return true;
    return false;
}

/* The target of the request line in req ("GET /x HTTP/1.1" → "/x"), in out; "" if none. */
static void target_of(const char *req, size_t len, char out[512])
{
    const char *sp = memchr(req, ' ', len);
    out[0] = '\0';
    if (!sp)
        return;
    size_t rest = len - (size_t)(sp + 1 - req);
    size_t n = strcspn(sp + 1, " \r\n");
    n = n < rest ? n : rest;
    snprintf(out, 512, "%.*s", (int)(n < 511 ? n : 511), sp + 1);
}

/* Readers never see a login e-mail: checked on every public response of every suite. */
static void check_no_login(const struct srv *s, const char *req, size_t len, const struct resp *r)
{
    char path[512];
    target_of(req, len, path);
    if (!s->nlogins || strncmp(path, "/admin/", 7) == 0)
        return;
    for (int i = 0; i < s->nlogins; i++) {
        bool leak = has_nocase(r->body, r->body_len, s->logins[i]) ||
                    has_nocase(r->head, strlen(r->head), s->logins[i]);
        cr_expect(!leak, "the login e-mail %s is on the public response to %s", s->logins[i], path);
    }
}

void http_raw(const struct srv *s, const char *req, size_t len, struct resp *r)
{
    int fd = connect_to(s);
    http_send_all(fd, req, len);
    shutdown(fd, SHUT_WR);
    http_read_response(fd, r);
    check_no_login(s, req, len, r);
}

void http_req(const struct srv *s, const char *method, const char *path, struct resp *r)
{
    char req[16384];
    int n =
        snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                 method, path);
    http_raw(s, req, (size_t)n, r);
}

void resp_free(struct resp *r)
{
    free(r->head);
    free(r->body);
}

char *resp_header(const struct resp *r, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(r->head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        const char *h = p + 2;
        if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
            h += n + 1;
            while (*h == ' ')
                h++;
            const char *e = strstr(h, "\r\n");
            return strndup(h, e ? (size_t)(e - h) : strlen(h));
        }
    }
    return NULL;
}

size_t body_count(const struct resp *r, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(r->body, needle); p; p = strstr(p + len, needle))
        n++;
    return n;
}

bool body_has(const struct resp *r, const char *needle)
{
    return strstr(r->body, needle) != NULL;
}

char *body_attr(const struct resp *r, const char *attr)
{
    char pat[128];
    snprintf(pat, sizeof(pat), "%s=\"", attr);
    return body_between(r, pat, "\"");
}

char *body_after(const struct resp *r, const char *open, const char *stop)
{
    const char *p = strstr(r->body, open);
    if (!p)
        return NULL;
    p += strlen(open);
    return strndup(p, strcspn(p, stop));
}

char *body_between(const struct resp *r, const char *open, const char *close)
{
    const char *p = strstr(r->body, open);
    if (!p)
        return NULL;
    p += strlen(open);
    const char *e = strstr(p, close);
    return e ? strndup(p, (size_t)(e - p)) : NULL;
}

void srv_content_key(const struct srv *s, char key[27])
{
    char *out = NULL;
    cr_assert_eq(run_newsdesk(&out, NULL, "apikey", "add", "--db", s->db, "--type", "content",
                              "--name", "tests", NULL),
                 0);
    cr_assert(out && strlen(out) == 27, "a key of 26 hex digits: '%s'", out);
    memcpy(key, out, 26);
    key[26] = '\0';
    free(out);
}

int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t n = sizeof(a);
    cr_assert(bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
    cr_assert(getsockname(fd, (struct sockaddr *)&a, &n) == 0);
    close(fd);
    return ntohs(a.sin_port);
}

bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

int sh_status(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

char *sh_out(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    cr_assert(p, "cannot run %s", cmd);
    char *out = calloc(1, 65536);
    size_t n = fread(out, 1, 65535, p);
    pclose(p);
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
    return out;
}

char *file_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n, "cannot read %s", path);
    fclose(f);
    *len = (size_t)n;
    return b;
}
