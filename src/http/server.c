/*
 * The libh2o adapter: listeners, worker threads, and the conversion between h2o's
 * request/response and ours. The only file that includes h2o.h.
 *
 * One h2o evloop and context per worker thread, each with its own SO_REUSEPORT listener,
 * so the kernel spreads connections across cores and no lock is shared on the request
 * path. A single catch-all handler hands every request to our dispatch function: routing
 * stays ours (routes.c), not h2o's path configuration.
 */
#include "http/http.h"
#include "http/http_int.h"

#include <errno.h>
#include <fcntl.h>
#include <h2o.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define SHUTDOWN_GRACE_MS 5000
#define STREAM_BUCKETS 4096
#define SHUTDOWN_IDLE_MS 100
#define LISTEN_BACKLOG 4096

struct worker_thread;

/* A listening address: the site's, and the plain-http one that redirects to https. */
struct listen_addr {
    const char *text; /* as configured */
    struct sockaddr_storage addr;
    socklen_t addrlen;
};

struct server {
    const struct http_config *cfg;
    h2o_globalconf_t globalconf;
    struct listen_addr main, redirect;
    unsigned nthreads;
    struct worker_thread *threads;
    sem_t ready;
    _Atomic uint64_t next_request_id; /* random high half, a count in the low half */
    int access_fd;                    /* -1: no access log */
    char access_path[1024];           /* "" for stdout */
};

struct worker_thread {
    struct server *srv;
    unsigned index;
    pthread_t tid;
    int listen_fd, redirect_fd;
    h2o_context_t ctx; /* first member is not required: we use container_of below */
    h2o_accept_ctx_t accept_ctx;
    h2o_accept_ctx_t redirect_accept_ctx; /* plain http beside https: no TLS */
    h2o_evloop_t *loop;
    h2o_socket_t *listener, *redirect_listener;
    h2o_multithread_queue_t *queue;
    h2o_multithread_receiver_t stop_receiver;
    h2o_multithread_message_t stop_message;
    h2o_multithread_receiver_t wake_receiver; /* http_wake(): this struct is the waker */
    h2o_multithread_message_t wake_message;
    atomic_bool wake_pending;                    /* wake_message is queued: do not queue it twice */
    h2o_linklist_t streams;                      /* the open struct http_streams of this worker */
    struct http_stream *by_conn[STREAM_BUCKETS]; /* the same, by connection (stream_on_read) */
    void *worker;
    size_t inflight;
    bool stopping;
    h2o_timeout_entry_t accept_pause; /* linked while accepting waits for a free descriptor */
    int64_t fd_warned;                /* when the log last said descriptors ran out */
    /* per-route body limits (guard_read): h2o's configuration with one request's limit */
    h2o_globalconf_t limited;
    h2o_socket_cb h1_read; /* h2o's HTTP/1 callbacks: reading a request, a response sent */
    h2o_socket_cb h1_sent;
};

struct catchall_handler {
    h2o_handler_t super;
    struct server *srv;
};

/* What a request owns until h2o disposes of it (STYLE 3.1, 3.9). */
struct req_state {
    struct arena arena;
    struct response res;
    struct worker_thread *wt;
};

#define WT_FROM_CTX(c) ((struct worker_thread *)((char *)(c)-offsetof(struct worker_thread, ctx)))

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 416:
        return "Range Not Satisfiable";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    default:
        return status >= 500 ? "Internal Server Error" : "OK";
    }
}

static enum http_method method_of(h2o_iovec_t m)
{
    static const struct {
        const char *name;
        enum http_method method;
    } table[] = {{"GET", HTTP_GET},        {"HEAD", HTTP_HEAD},     {"POST", HTTP_POST},
                 {"PUT", HTTP_PUT},        {"DELETE", HTTP_DELETE}, {"PATCH", HTTP_PATCH},
                 {"OPTIONS", HTTP_OPTIONS}};
    for (size_t i = 0; i < ARRAY_LEN(table); i++)
        if (h2o_memis(m.base, m.len, table[i].name, strlen(table[i].name)))
            return table[i].method;
    return HTTP_OTHER;
}

static void req_state_dispose(void *p)
{
    struct req_state *rs = p;
    http_response_release(&rs->res);
    arena_release(&rs->arena);
    rs->wt->inflight--;
}

/* ---- per-route body limits, before the body is read -------------------------------- */

/*
 * h2o 2.2 has one limit for every request body (max_request_entity_size), checked when
 * the head is parsed (Content-Length) and as chunks arrive. The largest route's (a photo
 * upload: megabytes) must not become every route's: the others keep their own limits of
 * a few kilobytes, checked before their bodies are read too.
 *
 * Each worker wraps h2o's HTTP/1 read callback. A request's head stays at the start of
 * the socket's input until its response has been sent (see check_framing), so on every
 * read the wrapper can look at its request line; when it names a route with a smaller
 * limit, h2o's callback runs with the worker's own copy of the configuration carrying
 * that limit (ctx.globalconf, which is what h2o reads it from), and h2o refuses with its
 * 413 before reading the body, or cuts a chunked body at the limit. h2o sets its read
 * callback again after each response (reqread_start), so the wrapper is put back when
 * h2o's "response sent" callback returns (guard_sent). Not covered: a request pipelined
 * behind another, already in the buffer when that response completes (its head is parsed
 * inside that callback); dispatch still refuses its body by the route's limit.
 */
static size_t head_limit(struct worker_thread *wt, const h2o_buffer_t *in)
{
    const struct http_config *cfg = wt->srv->cfg;
    const char *p = in->bytes, *end = in->bytes + in->size;
    while (p < end && (*p == '\r' || *p == '\n')) /* empty lines before it (RFC 9112 2.2) */
        p++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    const char *sp = eol ? memchr(p, ' ', (size_t)(eol - p)) : NULL;
    if (!sp || !cfg->body_limit)
        return SIZE_MAX;
    const char *t = sp + 1, *tend = memchr(t, ' ', (size_t)(eol - t));
    if (!tend)
        return SIZE_MAX;
    const char *q = memchr(t, '?', (size_t)(tend - t));
    struct str path = {t, (size_t)((q ? q : tend) - t)};
    return cfg->body_limit(cfg->ctx, method_of(h2o_iovec_init(p, (size_t)(sp - p))), path);
}

static void guard_read(h2o_socket_t *sock, const char *err)
{
    struct worker_thread *wt = WT_FROM_CTX(((h2o_conn_t *)sock->data)->ctx);
    h2o_globalconf_t *global = wt->ctx.globalconf;
    size_t limit = err ? SIZE_MAX : head_limit(wt, sock->input);
    if (limit < global->max_request_entity_size) {
        wt->limited.max_request_entity_size = limit;
        wt->ctx.globalconf = &wt->limited;
    }
    wt->h1_read(sock, err);
    wt->ctx.globalconf = global;
}

/*
 * h2o's "response sent" callback, then the read wrapper back in place. The socket's
 * memory outlives a close inside the callback (evloop frees disposed sockets later, in
 * the loop), and a closed socket is never read again.
 */
static void guard_sent(h2o_socket_t *sock, const char *err)
{
    struct worker_thread *wt = WT_FROM_CTX(((h2o_conn_t *)sock->data)->ctx);
    wt->h1_sent(sock, err);
    if (!err && sock->_cb.read == wt->h1_read)
        sock->_cb.read = guard_read;
}

static void guard_accepted(struct worker_thread *wt, h2o_socket_t *sock)
{
    if (!wt->h1_read)
        wt->h1_read = sock->_cb.read;
    if (sock->_cb.read == wt->h1_read)
        sock->_cb.read = guard_read;
}

static void guard_responded(struct worker_thread *wt, h2o_req_t *req)
{
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (!sock || !sock->_cb.write || !req->http1_is_persistent)
        return;
    if (!wt->h1_sent)
        wt->h1_sent = sock->_cb.write;
    if (sock->_cb.write == wt->h1_sent)
        sock->_cb.write = guard_sent;
}

/* ---- streams ---------------------------------------------------------------------- */

/*
 * h2o lets a generator have one send in flight: the next waits until h2o calls proceed.
 * So a stream keeps two buffers: `sending`, lent to h2o, and `pending`, where writes
 * gather meanwhile; proceed swaps them. A client that stops reading leaves its send in
 * flight; writes then gather in pending until queue_max, and the stream is dropped by
 * shutting its socket down, which fails h2o's write and closes the connection through
 * h2o's own error path (h2o 2.2 has no call to abort a response in flight).
 */
struct http_stream {
    h2o_generator_t gen;
    h2o_req_t *req;
    struct worker_thread *wt;
    h2o_linklist_t link;       /* in wt->streams while open */
    struct http_stream **prev; /* and in its wt->by_conn chain: what points here */
    struct http_stream *next;
    struct http_stream_spec spec;
    char *sending, *pending;
    size_t sending_len, sending_cap, pending_len, pending_cap;
    bool busy;       /* a send is with h2o */
    bool ending;     /* ends when the send in flight completes */
    bool done;       /* the final send is made or the connection is gone */
    bool closed;     /* spec.closed has been called */
    size_t input_at; /* the input's size when the stream began: after it, what the client
                      * sends meanwhile (stream_on_read) */
};

static int stream_fd(struct http_stream *s)
{
    h2o_socket_t *sock = s->req->conn->callbacks->get_socket(s->req->conn);
    return sock ? h2o_socket_get_fd(sock) : -1;
}

/* The stream is over for its owner: unlink it and say so, once. */
static void stream_closed(struct http_stream *s)
{
    s->done = true;
    if (h2o_linklist_is_linked(&s->link))
        h2o_linklist_unlink(&s->link);
    if (s->prev) {
        *s->prev = s->next;
        if (s->next)
            s->next->prev = s->prev;
        s->prev = NULL;
    }
    if (!s->closed) {
        s->closed = true;
        if (s->spec.closed)
            s->spec.closed(s->spec.arg);
    }
}

static void stream_send(struct http_stream *s)
{
    char *t = s->sending;
    size_t cap = s->sending_cap;
    s->sending = s->pending;
    s->sending_cap = s->pending_cap;
    s->sending_len = s->pending_len;
    s->pending = t;
    s->pending_cap = cap;
    s->pending_len = 0;
    s->busy = true;
    h2o_iovec_t v = h2o_iovec_init(s->sending, s->sending_len);
    h2o_send(s->req, &v, 1, H2O_SEND_STATE_IN_PROGRESS);
}

static void stream_end(struct http_stream *s)
{
    s->busy = true;
    stream_closed(s);
    h2o_send(s->req, NULL, 0, H2O_SEND_STATE_FINAL);
}

/* Drops a client that does not read: see struct http_stream. */
static void stream_drop(struct http_stream *s)
{
    int fd = stream_fd(s);
    if (fd >= 0 && s->req->version < 0x200) /* an HTTP/2 socket carries other streams */
        shutdown(fd, SHUT_RDWR);
    stream_closed(s);
    if (!s->busy) { /* nothing in flight to fail: make a send that does */
        s->busy = true;
        h2o_send(s->req, NULL, 0, H2O_SEND_STATE_ERROR);
    }
}

static void stream_proceed(h2o_generator_t *g, h2o_req_t *req)
{
    (void)req;
    struct http_stream *s = (struct http_stream *)g;
    s->busy = false;
    s->sending_len = 0;
    if (s->done)
        return;
    if (s->ending || s->wt->stopping)
        stream_end(s);
    else if (s->pending_len)
        stream_send(s);
}

/* h2o is disposing of the request (the connection closed): nothing may be sent now. */
static void stream_stop(h2o_generator_t *g, h2o_req_t *req)
{
    (void)req;
    stream_closed((struct http_stream *)g);
}

static void stream_dispose(void *p)
{
    struct http_stream *s = p;
    stream_closed(s);
    free(s->sending);
    free(s->pending);
}

bool http_stream_write(struct http_stream *s, const char *p, size_t n)
{
    if (s->done || s->ending)
        return false;
    if (s->pending_len + n > s->spec.queue_max) {
        stream_drop(s);
        return false;
    }
    if (s->pending_len + n > s->pending_cap) {
        size_t cap = s->pending_cap ? s->pending_cap : 1024;
        while (cap < s->pending_len + n)
            cap *= 2;
        s->pending = xrealloc(s->pending, cap);
        s->pending_cap = cap;
    }
    memcpy(s->pending + s->pending_len, p, n);
    s->pending_len += n;
    if (!s->busy)
        stream_send(s);
    return true;
}

void http_stream_close(struct http_stream *s)
{
    if (s->done || s->ending)
        return;
    s->ending = true;
    if (!s->busy)
        stream_end(s);
}

bool http_stream_alive(struct http_stream *s)
{
    if (s->done)
        return false;
    char c;
    int fd = stream_fd(s);
    ssize_t r = fd < 0 ? 0 : recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        stream_drop(s);
        return false;
    }
    return true;
}

/*
 * An HTTP/1 stream's socket is read while it is open (h2o stops reading once it has the
 * request), so a client that leaves is noticed at once, not at the next write: its
 * address's count and memory are given back. Bytes a client sends meanwhile are kept
 * (and ignored) up to STREAM_INPUT_MAX; past it the client is dropped. The stream is found by its
 * connection in the worker's table of them (a mass departure stays cheap).
 */
#define STREAM_INPUT_MAX 16384

static size_t conn_bucket(const h2o_conn_t *conn)
{
    return (size_t)(((uintptr_t)conn >> 4) * 11400714819323198485ull >> 52) % STREAM_BUCKETS;
}

static void stream_on_read(h2o_socket_t *sock, const char *err)
{
    h2o_conn_t *conn = sock->data;
    struct worker_thread *wt = WT_FROM_CTX(conn->ctx);
    struct http_stream *s = NULL;
    for (struct http_stream *t = wt->by_conn[conn_bucket(conn)]; t && !s; t = t->next)
        if (t->req->conn == conn)
            s = t;
    if (!s) {
        h2o_socket_read_stop(sock);
        return;
    }
    /* the request's head stays at the start of the input (h2o's request points into it) */
    if (err || sock->input->size > s->input_at + STREAM_INPUT_MAX) {
        h2o_socket_read_stop(sock);
        stream_drop(s);
    }
}

/* Sends a stream's head and first body, then hands it to its owner. */
static void start_stream(h2o_req_t *req, struct worker_thread *wt, struct response *res,
                         h2o_iovec_t body)
{
    struct http_stream *s = h2o_mem_alloc_shared(&req->pool, sizeof(*s), stream_dispose);
    memset(s, 0, sizeof(*s));
    s->gen.proceed = stream_proceed;
    s->gen.stop = stream_stop;
    s->req = req;
    s->wt = wt;
    s->spec = *res->stream;
    h2o_linklist_insert(&wt->streams, &s->link);
    struct http_stream **b = &wt->by_conn[conn_bucket(req->conn)];
    s->next = *b;
    if (*b)
        (*b)->prev = &s->next;
    s->prev = b;
    *b = s;
    int fd = stream_fd(s);
    if (fd >= 0 && s->spec.sndbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &s->spec.sndbuf, sizeof(s->spec.sndbuf));
    req->res.content_length = SIZE_MAX;
    /* the connection ends with the stream: no request follows it (and guard_responded,
     * which expects one response per head, is not needed) */
    req->http1_is_persistent = 0;
    h2o_start_response(req, &s->gen);
    s->busy = true; /* the head (and the first body, in res until the request is disposed) */
    h2o_send(req, &body, 1, H2O_SEND_STATE_IN_PROGRESS);
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (sock && req->version < 0x200) { /* an HTTP/2 socket carries other streams too */
        s->input_at = sock->input ? sock->input->size : 0;
        h2o_socket_read_start(sock, stream_on_read);
    }
    if (!s->done && s->spec.opened)
        s->spec.opened(s->spec.arg, s);
}

/* Ends every stream of a stopping worker (after what each has queued). */
static void end_streams(struct worker_thread *wt)
{
    while (!h2o_linklist_is_empty(&wt->streams)) {
        struct http_stream *s = H2O_STRUCT_FROM_MEMBER(struct http_stream, link, wt->streams.next);
        h2o_linklist_unlink(&s->link);
        http_stream_close(s);
    }
}

void http_wake(struct http_waker *w)
{
    struct worker_thread *wt = (struct worker_thread *)w;
    if (!atomic_exchange(&wt->wake_pending, true))
        h2o_multithread_send_message(&wt->wake_receiver, &wt->wake_message);
}

static void on_wake_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct worker_thread *wt =
        (struct worker_thread *)((char *)receiver - offsetof(struct worker_thread, wake_receiver));
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    atomic_store(&wt->wake_pending, false); /* a wake from now on queues the message again */
    if (wt->srv->cfg->on_wake && !wt->stopping)
        wt->srv->cfg->on_wake(wt->srv->cfg->ctx, wt->worker);
}

static bool over_tls(const h2o_req_t *req)
{
    return req->input.scheme == &H2O_URL_SCHEME_HTTPS;
}

static void send_response(h2o_req_t *req, struct response *res)
{
    static h2o_generator_t generator = {NULL, NULL};
    http_response_count(res);
    req->res.status = res->status;
    req->res.reason = reason_phrase(res->status);
    if (res->content_type)
        h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                       res->content_type, strlen(res->content_type));
    struct worker_thread *wt = WT_FROM_CTX(req->conn->ctx);
    struct http_tls *tls = wt->srv->cfg->tls;
    int64_t hsts = tls && over_tls(req) ? http_tls_hsts(tls) : 0;
    if (hsts > 0) {
        char v[48];
        int n = snprintf(v, sizeof(v), "max-age=%lld", (long long)hsts);
        h2o_add_header_by_str(&req->pool, &req->res.headers,
                              H2O_STRLIT("strict-transport-security"), 0, NULL,
                              h2o_strdup(&req->pool, v, (size_t)n).base, (size_t)n);
    }
    for (size_t i = 0; i < res->nheaders; i++) {
        const struct http_header *h = &res->headers[i];
        h2o_add_header_by_str(&req->pool, &req->res.headers, h->name.ptr, h->name.len, 1, NULL,
                              h->value.ptr, h->value.len);
    }
    /* the body stays in rs->res until the pool is disposed: no copy (h2o.h, h2o_send) */
    h2o_iovec_t body = res->body_ref.ptr
                           ? h2o_iovec_init(res->body_ref.ptr, res->body_ref.len)
                           : h2o_iovec_init(res->body.ptr ? res->body.ptr : "", res->body.len);
    /* a 304 has no body and no Content-Length of its own (RFC 9110 8.6, 15.4.5) */
    req->res.content_length = res->status == 304 ? SIZE_MAX : body.len;
    if (res->stream && res->status == 200 && !wt->stopping &&
        !h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) {
        start_stream(req, wt, res, body);
        return;
    }
    if (res->stream && res->stream->closed) /* never opened: its owner still hears the end */
        res->stream->closed(res->stream->arg);
    h2o_start_response(req, &generator);
    if (res->status == 304 || h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD")))
        body.len = 0;
    h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
    guard_responded(WT_FROM_CTX(req->conn->ctx), req);
}

/* Copies h2o's header list into ours, enforcing the header limits. */
static enum err_code copy_headers(h2o_req_t *req, struct request *r, struct err *err)
{
    size_t n = req->headers.size, total = 0;
    if (n > HTTP_HEADER_COUNT_MAX)
        return err_set(err, ERR_HEADERSTOOBIG, "more than %d header fields", HTTP_HEADER_COUNT_MAX);
    struct http_header *hs = arena_calloc(r->arena, n ? n : 1, sizeof(*hs));
    for (size_t i = 0; i < n; i++) {
        const h2o_header_t *h = &req->headers.entries[i];
        hs[i].name = (struct str){h->name->base, h->name->len};
        hs[i].value = (struct str){h->value.base, h->value.len};
        total += h->name->len + h->value.len;
    }
    if (total > HTTP_HEADERS_MAX)
        return err_set(err, ERR_HEADERSTOOBIG, "header fields larger than %d bytes",
                       HTTP_HEADERS_MAX);
    r->headers = hs;
    r->nheaders = n;
    return ERR_OK;
}

/* Whether the client is on this machine, and its address as text. */
static bool peer_of(h2o_conn_t *conn, struct arena *a, struct str *text)
{
    struct sockaddr_storage ss;
    socklen_t len = conn->callbacks->get_peername(conn, (struct sockaddr *)&ss);
    *text = STR_LIT("");
    if (len == 0)
        return false;
    char buf[INET6_ADDRSTRLEN] = "";
    if (ss.ss_family == AF_INET) {
        struct in_addr in = ((struct sockaddr_in *)&ss)->sin_addr;
        inet_ntop(AF_INET, &in, buf, sizeof(buf));
        *text = str_from(arena_strndup(a, buf, strlen(buf)));
        return (ntohl(in.s_addr) >> 24) == 127;
    }
    if (ss.ss_family == AF_INET6) {
        struct in6_addr *in6 = &((struct sockaddr_in6 *)&ss)->sin6_addr;
        inet_ntop(AF_INET6, in6, buf, sizeof(buf));
        *text = str_from(arena_strndup(a, buf, strlen(buf)));
        return IN6_IS_ADDR_LOOPBACK(in6);
    }
    return false;
}

/*
 * h2o has framed an HTTP/1 request by its own rules before we see it (see framing.c). Its
 * head is still at the start of the socket's input, and stays there until the response
 * has been sent: lib/http1.c (2.2.5) consumes it in on_send_complete, and decodes a
 * chunked body in place after it. HTTP/2 streams come on connections whose callbacks log
 * HTTP/2 fields rather than HTTP/1's (so does the first stream after an h2c upgrade,
 * which keeps version 1.1); h2o refuses their transfer-encoding and a content-length the
 * DATA frames do not match itself (RFC 9113 §8.1.1, §8.2.2).
 */
static enum err_code check_framing(h2o_req_t *req, struct err *err)
{
    const h2o_conn_callbacks_t *cb = req->conn->callbacks;
    if (!cb->log_.http1.request_index || cb->log_.http2.stream_id)
        return ERR_OK;
    h2o_socket_t *sock = cb->get_socket(req->conn);
    if (!sock || !sock->input)
        return err_set(err, ERR_INTERNAL, "no input to check the request head against");
    struct str head = {sock->input->bytes, sock->input->size};
    struct str method = {req->input.method.base, req->input.method.len};
    return http_head_check(head, method, req->version >= 0x101, err);
}

static enum err_code fill_request(h2o_req_t *req, struct request *r, struct err *err)
{
    h2o_iovec_t target = req->input.path;
    r->method = method_of(req->method);
    r->method_name = (struct str){req->method.base, req->method.len};
    size_t qat = req->input.query_at;
    r->raw_path = (struct str){target.base, qat == SIZE_MAX ? target.len : qat};
    r->query =
        qat == SIZE_MAX ? STR_LIT("") : (struct str){target.base + qat + 1, target.len - qat - 1};
    r->body = (struct str){req->entity.base ? req->entity.base : "", req->entity.len};
    r->host = (struct str){req->input.authority.base ? req->input.authority.base : "",
                           req->input.authority.len};
    r->loopback = peer_of(req->conn, r->arena, &r->peer);
    enum err_code rc = check_framing(req, err);
    if (rc)
        return rc;
    if (target.len > HTTP_URI_MAX)
        return err_set(err, ERR_URITOOLONG, "request target longer than %d bytes", HTTP_URI_MAX);
    rc = copy_headers(req, r, err);
    if (rc)
        return rc;
    return http_path_decode(r->raw_path, r->arena, &r->path, err);
}

/*
 * req->input.path's query with the values of secret_params as "SECRET" (the parameter's
 * name as sent: an escaped spelling of the name is not looked for), or false when none.
 */
static bool mask_params(const struct server *srv, h2o_req_t *req, h2o_iovec_t *out)
{
    if (!srv->cfg->secret_params || req->input.query_at == SIZE_MAX)
        return false;
    const char *q = req->input.path.base + req->input.query_at;
    size_t qlen = req->input.path.len - req->input.query_at;
    char *buf = h2o_mem_alloc_pool(&req->pool, qlen + 1);
    size_t len = 0, at = 0;
    bool masked = false;
    while (at < qlen) {
        const char *amp = memchr(q + at + 1, '&', qlen - at - 1);
        size_t end = amp ? (size_t)(amp - q) : qlen; /* q[at] is '?' or '&' */
        const char *eq = memchr(q + at, '=', end - at);
        size_t keep = end - at;
        for (const char *const *p = srv->cfg->secret_params; eq && *p; p++)
            if ((size_t)(eq - q) - at - 1 == strlen(*p) && !memcmp(q + at + 1, *p, strlen(*p))) {
                keep = (size_t)(eq - q) + 1 - at;
                masked = true;
            }
        memcpy(buf + len, q + at, keep);
        len += keep;
        if (keep < end - at) {
            memcpy(buf + len, "SECRET", 6);
            len += 6;
        }
        at = end;
    }
    if (!masked)
        return false;
    *out = h2o_concat(&req->pool, h2o_iovec_init(req->input.path.base, req->input.query_at),
                      h2o_iovec_init(buf, len));
    return true;
}

/*
 * The access log prints the request line from req->input.path (h2o 2.2.5
 * lib/core/logconf.c, %r). For a path under a secret prefix it is replaced, for the logs
 * only, by the decoded path with its secret segment masked (r->log_path too); routing
 * reads r's own copies.
 */
static void mask_secret(const struct server *srv, h2o_req_t *req, struct request *r)
{
    struct str path = r->path;
    r->log_path = r->raw_path;
    h2o_iovec_t query_masked;
    if (mask_params(srv, req, &query_masked)) {
        req->input.path = query_masked; /* routing reads r's own copy of the query */
    }
    for (const char *const *p = srv->cfg->secret_paths; p && *p; p++) {
        if (!str_starts_with(path, *p))
            continue;
        size_t at = strlen(*p);
        const char *end = memchr(path.ptr + at, '/', path.len - at);
        size_t rest = end ? (size_t)(path.ptr + path.len - end) : 0;
        h2o_iovec_t masked =
            h2o_concat(&req->pool, h2o_iovec_init(path.ptr, at),
                       h2o_iovec_init(H2O_STRLIT("SECRET")), h2o_iovec_init(end ? end : "", rest));
        req->input.path = masked;
        req->input.query_at = SIZE_MAX;
        r->log_path = (struct str){masked.base, masked.len};
        return;
    }
}

/* ---- plain http beside https ------------------------------------------------------- */

/* The Host field's name without its port, when it is a plain DNS name or address. */
static bool host_name(h2o_iovec_t authority, h2o_iovec_t *out)
{
    size_t n = authority.len;
    const char *p = authority.base;
    if (n && p[0] == '[') {
        const char *close = memchr(p, ']', n);
        if (!close)
            return false;
        n = (size_t)(close - p) + 1;
    } else {
        const char *colon = memchr(p, ':', n);
        if (colon)
            n = (size_t)(colon - p);
    }
    if (n == 0 || n > 253)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '[' || c == ']' || (p[0] == '[' && c == ':');
        if (!ok)
            return false;
    }
    *out = h2o_iovec_init(p, n);
    return true;
}

/*
 * A certificate authority's http-01 challenge (RFC 8555 8.3), from the folder certbot's
 * --webroot writes to: the token is base64url, so no other file can be named.
 */
static bool answer_acme(struct server *srv, h2o_req_t *req)
{
    static const char prefix[] = "/.well-known/acme-challenge/";
    h2o_iovec_t path = req->path_normalized;
    if (!srv->cfg->acme_dir || path.len <= sizeof(prefix) - 1 || path.len > 300 ||
        memcmp(path.base, prefix, sizeof(prefix) - 1) != 0)
        return false;
    const char *token = path.base + sizeof(prefix) - 1;
    size_t tlen = path.len - (sizeof(prefix) - 1);
    for (size_t i = 0; i < tlen; i++) {
        char c = token[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    }
    char file[1400];
    snprintf(file, sizeof(file), "%s%s%.*s", srv->cfg->acme_dir, prefix, (int)tlen, token);
    char body[1024];
    FILE *f = fopen(file, "r");
    size_t n = f ? fread(body, 1, sizeof(body), f) : 0;
    if (f)
        fclose(f);
    if (!f) {
        h2o_send_error_404(req, "Not Found", "no such challenge\n", 0);
        return true;
    }
    req->res.status = 200;
    req->res.reason = "OK";
    h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL,
                   H2O_STRLIT("text/plain"));
    h2o_send_inline(req, body, n);
    return true;
}

/* Every request on the plain listener: to the same address over https. */
static void answer_plain(struct server *srv, h2o_req_t *req)
{
    if (answer_acme(srv, req))
        return;
    h2o_iovec_t host;
    if (!host_name(req->input.authority, &host)) {
        h2o_send_error_400(req, "Bad Request", "this address needs a Host field\n",
                           H2O_SEND_ERROR_KEEP_HEADERS);
        return;
    }
    unsigned port = ntohs(srv->main.addr.ss_family == AF_INET6
                              ? ((struct sockaddr_in6 *)&srv->main.addr)->sin6_port
                              : ((struct sockaddr_in *)&srv->main.addr)->sin_port);
    char portpart[8] = "";
    if (port != 443)
        snprintf(portpart, sizeof(portpart), ":%u", port);
    h2o_iovec_t url = h2o_concat(&req->pool, h2o_iovec_init(H2O_STRLIT("https://")), host,
                                 h2o_iovec_init(portpart, strlen(portpart)), req->input.path);
    h2o_send_redirect(req, 301, "Moved Permanently", url.base, url.len);
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
    struct server *srv = ((struct catchall_handler *)self)->srv;
    struct worker_thread *wt = WT_FROM_CTX(req->conn->ctx);
    uint64_t id = atomic_fetch_add(&srv->next_request_id, 1) + 1;
    char idtext[17];
    log_request_id(id, idtext);
    h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-request-id"), 0, NULL,
                          h2o_strdup(&req->pool, idtext, 16).base, 16);
    if (srv->cfg->tls && !over_tls(req)) {
        answer_plain(srv, req);
        return 0;
    }
    struct req_state *rs = h2o_mem_alloc_shared(&req->pool, sizeof(*rs), req_state_dispose);
    rs->wt = wt;
    wt->inflight++;
    arena_init(&rs->arena);
    http_response_init(&rs->res, &rs->arena, HTTP_RESPONSE_MAX);
    rs->res.error_page = srv->cfg->error_page;
    rs->res.error_ctx = srv->cfg->ctx;

    struct request r = {0};
    r.arena = &rs->arena;
    r.worker = wt->worker;
    r.id = id;
    struct err err = {0};
    enum err_code rc = fill_request(req, &r, &err);
    if (rc) {
        /*
         * A request we refuse may have been framed wrongly (RFC 9112 §6.3): close after
         * the response rather than read what follows it as the next request. h2o then
         * sends "Connection: close"; a connection header of our own would only repeat it.
         * The dispatcher still renders the refusal, for the audience of the path asked
         * (Ghost's JSON under the API), and runs nothing else (http_dispatch_fn).
         */
        req->http1_is_persistent = 0;
        r.refused = rc;
        r.refused_msg = err.msg;
        r.path = STR_LIT("");
    }
    mask_secret(srv, req, &r);
    log_set_request(id);
    srv->cfg->dispatch(srv->cfg->ctx, &r, &rs->res);
    send_response(req, &rs->res);
    log_set_request(0);
    return 0;
}

static void on_accept(h2o_socket_t *listener, const char *errstr);

static void on_accept_resume(h2o_timeout_entry_t *entry)
{
    struct worker_thread *wt =
        (struct worker_thread *)((char *)entry - offsetof(struct worker_thread, accept_pause));
    if (wt->stopping)
        return;
    if (wt->listener)
        h2o_socket_read_start(wt->listener, on_accept);
    if (wt->redirect_listener)
        h2o_socket_read_start(wt->redirect_listener, on_accept);
}

/*
 * Out of descriptors (EMFILE, ENFILE): the pending connection stays in the backlog and the
 * listener stays readable, so accepting again at once would spin the loop. Stop listening
 * for a tenth of a second instead (nginx pauses its accept events the same way); the
 * connections already open are served meanwhile, and the waiting ones when some close.
 */
static void pause_accepting(struct worker_thread *wt)
{
    int64_t now = time_now();
    if (now - wt->fd_warned >= 60) {
        log_warn("worker %u: out of file descriptors (%s); new connections wait", wt->index,
                 strerror(errno));
        wt->fd_warned = now;
    }
    h2o_socket_read_stop(wt->listener);
    if (wt->redirect_listener)
        h2o_socket_read_stop(wt->redirect_listener);
    wt->accept_pause.cb = on_accept_resume;
    h2o_timeout_link(wt->loop, &wt->ctx.hundred_ms_timeout, &wt->accept_pause);
}

static void on_accept(h2o_socket_t *listener, const char *errstr)
{
    struct worker_thread *wt = listener->data;
    if (errstr)
        return;
    /* take a few per wake-up: a spike arrives as a burst of connections */
    for (int i = 0; i < 16; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (!sock) {
            if (errno == EMFILE || errno == ENFILE)
                pause_accepting(wt);
            return;
        }
        /*
         * The body-limit guard wraps h2o's HTTP/1 reader, which a TLS connection only gets
         * after its handshake: over https the route's limit is checked at dispatch, and
         * h2o's own limit (the largest route's) bounds what is read before it.
         */
        bool plain = listener == wt->redirect_listener || !wt->accept_ctx.ssl_ctx;
        h2o_accept(listener == wt->redirect_listener ? &wt->redirect_accept_ctx : &wt->accept_ctx,
                   sock);
        if (plain)
            guard_accepted(wt, sock);
    }
}

static void on_stop_message(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
    struct worker_thread *wt =
        (struct worker_thread *)((char *)receiver - offsetof(struct worker_thread, stop_receiver));
    while (!h2o_linklist_is_empty(messages))
        h2o_linklist_unlink(messages->next);
    if (wt->stopping)
        return;
    wt->stopping = true;
    end_streams(wt);
    if (h2o_timeout_is_linked(&wt->accept_pause))
        h2o_timeout_unlink(&wt->accept_pause);
    h2o_socket_t **ls[] = {&wt->listener, &wt->redirect_listener};
    for (size_t i = 0; i < ARRAY_LEN(ls); i++)
        if (*ls[i]) {
            h2o_socket_read_stop(*ls[i]);
            h2o_socket_close(*ls[i]);
            *ls[i] = NULL;
        }
}

/*
 * Runs on the worker's own thread: libh2o keeps per-thread buffer pools (thread-local
 * prototypes), and a socket created on one thread recycles its buffers into that thread's
 * pool, so a loop and its listener must be born on the thread that runs them.
 */
static void *worker_main(void *arg)
{
    struct worker_thread *wt = arg;
    struct server *srv = wt->srv;
    wt->loop = h2o_evloop_create();
    h2o_context_init(&wt->ctx, wt->loop, &srv->globalconf);
    wt->limited = srv->globalconf;
    wt->accept_ctx.ctx = &wt->ctx;
    wt->accept_ctx.hosts = srv->globalconf.hosts;
    wt->redirect_accept_ctx = wt->accept_ctx;
    if (srv->cfg->tls)
        wt->accept_ctx.ssl_ctx = http_tls_ctx(srv->cfg->tls);
    wt->queue = h2o_multithread_create_queue(wt->loop);
    h2o_multithread_register_receiver(wt->queue, &wt->stop_receiver, on_stop_message);
    h2o_multithread_register_receiver(wt->queue, &wt->wake_receiver, on_wake_message);
    h2o_linklist_init_anchor(&wt->streams);
    if (srv->cfg->worker_start)
        wt->worker =
            srv->cfg->worker_start(srv->cfg->ctx, wt->index, (struct http_waker *)(void *)wt);
    wt->listener = h2o_evloop_socket_create(wt->loop, wt->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
    wt->listener->data = wt;
    h2o_socket_read_start(wt->listener, on_accept);
    if (wt->redirect_fd >= 0) {
        wt->redirect_listener =
            h2o_evloop_socket_create(wt->loop, wt->redirect_fd, H2O_SOCKET_FLAG_DONT_READ);
        wt->redirect_listener->data = wt;
        h2o_socket_read_start(wt->redirect_listener, on_accept);
    }
    return NULL;
}

static bool worker_busy(struct worker_thread *wt)
{
    return wt->inflight > 0 || !h2o_linklist_is_empty(&wt->ctx.http1._conns) ||
           !h2o_linklist_is_empty(&wt->ctx.http2._conns);
}

/* h2o_context_dispose asserts that no timer is pending: check first, never abort. */
static bool timers_idle(struct worker_thread *wt)
{
    h2o_context_t *c = &wt->ctx;
    if (h2o_timeout_is_linked(&c->http2._graceful_shutdown_timeout))
        h2o_timeout_unlink(&c->http2._graceful_shutdown_timeout);
    h2o_timeout_t *all[] = {&c->zero_timeout,
                            &c->one_sec_timeout,
                            &c->hundred_ms_timeout,
                            &c->handshake_timeout,
                            &c->http1.req_timeout,
                            &c->http2.idle_timeout,
                            &c->http2.graceful_shutdown_timeout,
                            &c->proxy.io_timeout};
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        if (!h2o_linklist_is_empty(&all[i]->_entries))
            return false;
    return true;
}

/* Frees the loop's resources; only safe once no connection is left on it. */
static void worker_dispose(struct worker_thread *wt)
{
    /*
     * A wake sent after the loop last ran (the live hub publishes until worker_stop takes
     * this worker off its list) is still queued, and h2o asserts that a receiver it
     * unregisters has none: nobody can send any more, so they are dropped here.
     */
    while (!h2o_linklist_is_empty(&wt->wake_receiver._messages))
        h2o_linklist_unlink(wt->wake_receiver._messages.next);
    h2o_multithread_unregister_receiver(wt->queue, &wt->stop_receiver);
    h2o_multithread_unregister_receiver(wt->queue, &wt->wake_receiver);
    h2o_multithread_destroy_queue(wt->queue);
    h2o_context_dispose(&wt->ctx);
    h2o_evloop_destroy(wt->loop);
}

static void *worker_run(void *arg)
{
    struct worker_thread *wt = arg;
    /*
     * Yield after each batch of events. Under a spike a worker always has work, so the
     * scheduler treats it as CPU-bound and lets it run whole slices while other runnable
     * threads on its core (the other worker's neighbours, the writer, a log shipper)
     * wait, and requests queued behind a preempted worker wait a slice or two: p99 at 64
     * connections was 8 ms against a p50 of 0.25 ms on 2 cores shared with the load
     * generator. Giving the core up between batches bounds that wait to one batch:
     * p99 1.3 ms, the same CPU time per request, and slightly more requests per second
     * (measured with wrk, see docs/benchmarks.md). When nothing else is runnable the call
     * returns at once.
     */
    while (!wt->stopping) {
        h2o_evloop_run(wt->loop, INT32_MAX);
        sched_yield();
    }
    /*
     * Graceful: no new connections; responses in flight finish, connections close after
     * their current response, and idle keep-alive connections are closed by shortening
     * their timeout (h2o 2.2 has no call to close an idle HTTP/1 connection).
     */
    h2o_context_request_shutdown(&wt->ctx);
    wt->ctx.http1.req_timeout.timeout = SHUTDOWN_IDLE_MS;
    uint64_t deadline = h2o_now(wt->loop) + SHUTDOWN_GRACE_MS;
    while (worker_busy(wt) && h2o_now(wt->loop) < deadline)
        h2o_evloop_run(wt->loop, 50);
    if (wt->srv->cfg->worker_stop)
        wt->srv->cfg->worker_stop(wt->srv->cfg->ctx, wt->worker);
    if (worker_busy(wt) || !timers_idle(wt))
        log_warn("worker %u: connections still open after %d ms; leaving them", wt->index,
                 SHUTDOWN_GRACE_MS);
    else
        worker_dispose(wt);
    return NULL;
}

enum err_code http_parse_listen(const char *listen, char *host, size_t hostlen, unsigned *port,
                                struct err *err)
{
    const char *colon = strrchr(listen, ':');
    if (!colon)
        return err_set(err, ERR_INVALID, "cannot parse listen address '%s' (want HOST:PORT)",
                       listen);
    const char *h = listen;
    size_t hl = (size_t)(colon - listen);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
        h++, hl -= 2;
    int64_t p;
    if (!str_to_i64(str_from(colon + 1), &p) || p < 0 || p > 65535)
        return err_set(err, ERR_INVALID, "bad port in listen address '%s'", listen);
    if (hl >= hostlen)
        return err_set(err, ERR_INVALID, "host too long in listen address '%s'", listen);
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = (unsigned)p;
    return ERR_OK;
}

static enum err_code resolve(struct listen_addr *l, struct err *err)
{
    char host[256];
    unsigned port;
    enum err_code rc = http_parse_listen(l->text, host, sizeof(host), &port, err);
    if (rc)
        return rc;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    char portstr[8];
    snprintf(portstr, sizeof(portstr), "%u", port);
    int gai = getaddrinfo(host[0] ? host : NULL, portstr, &hints, &res);
    if (gai != 0)
        return err_set(err, ERR_INVALID, "cannot resolve '%s': %s", host, gai_strerror(gai));
    memcpy(&l->addr, res->ai_addr, res->ai_addrlen);
    l->addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return ERR_OK;
}

static int bind_socket(const struct sockaddr_storage *addr, socklen_t len, bool reuseport)
{
    int fd = socket(addr->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (reuseport)
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof(on));
    if (bind(fd, (const struct sockaddr *)addr, len) != 0 || listen(fd, LISTEN_BACKLOG) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

static void set_port(struct sockaddr_storage *addr, unsigned port)
{
    if (addr->ss_family == AF_INET6)
        ((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)port);
}

static unsigned get_port(const struct sockaddr_storage *addr)
{
    if (addr->ss_family == AF_INET6)
        return ntohs(((const struct sockaddr_in6 *)addr)->sin6_port);
    return ntohs(((const struct sockaddr_in *)addr)->sin_port);
}

/*
 * One listening socket per thread. A first bind without SO_REUSEPORT makes a port already
 * taken (by another newsdesk too) an error instead of a silently shared port; with port 0
 * it also picks the port the other sockets then share. fd_at: the field of struct
 * worker_thread that gets each thread's socket.
 */
static enum err_code bind_addr(struct server *srv, struct listen_addr *l, size_t fd_at,
                               struct err *err)
{
    int probe = bind_socket(&l->addr, l->addrlen, false);
    if (probe < 0)
        return err_set(err, ERR_IO, "cannot listen on %s: %s", l->text, strerror(errno));
    struct sockaddr_storage bound;
    socklen_t blen = sizeof(bound);
    getsockname(probe, (struct sockaddr *)&bound, &blen);
    set_port(&l->addr, get_port(&bound));
    close(probe);
    for (unsigned i = 0; i < srv->nthreads; i++) {
        int *fd = (int *)((char *)&srv->threads[i] + fd_at);
        *fd = bind_socket(&l->addr, l->addrlen, true);
        if (*fd < 0) {
            int e = errno;
            for (unsigned j = 0; j < i; j++)
                close(*(int *)((char *)&srv->threads[j] + fd_at));
            return err_set(err, ERR_IO, "cannot listen on %s: %s", l->text, strerror(e));
        }
    }
    return ERR_OK;
}

static enum err_code bind_all(struct server *srv, struct err *err)
{
    for (unsigned i = 0; i < srv->nthreads; i++)
        srv->threads[i].redirect_fd = -1;
    enum err_code rc = bind_addr(srv, &srv->main, offsetof(struct worker_thread, listen_fd), err);
    if (!rc && srv->redirect.text) {
        rc = bind_addr(srv, &srv->redirect, offsetof(struct worker_thread, redirect_fd), err);
        if (rc)
            for (unsigned i = 0; i < srv->nthreads; i++)
                close(srv->threads[i].listen_fd);
    }
    return rc;
}

/* ---- the access log ------------------------------------------------------------------ */

/*
 * One line per request, written with one write(2) (lines from different threads never
 * interleave) to a descriptor that SIGUSR1 replaces with dup2 (logrotate's copy is never
 * written to after the signal, and no line is lost meanwhile). The target is the one
 * mask_secret left: a secret path segment or query value reads "SECRET"; the referrer
 * loses its query and fragment, which may carry another site's tokens or ours.
 */
struct access_logger {
    h2o_logger_t super;
    struct server *srv;
};

#define LOG_LINE_MAX 8192

struct logline {
    char buf[LOG_LINE_MAX];
    size_t len;
};

static void put(struct logline *l, const char *p, size_t n)
{
    if (n > sizeof(l->buf) - 2 - l->len)
        n = sizeof(l->buf) - 2 - l->len;
    memcpy(l->buf + l->len, p, n);
    l->len += n;
}

static void puts_(struct logline *l, const char *p)
{
    put(l, p, strlen(p));
}

/* Apache's escaping for the combined format: \xHH for what is not printable ASCII, '"' and '\\'. */
static void put_escaped(struct logline *l, const char *p, size_t n, bool json)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n && l->len < sizeof(l->buf) - 16; i++) {
        unsigned char c = (unsigned char)p[i];
        if (json && c >= 0x80) {
            uint32_t cp;
            size_t k = utf8_decode(p + i, n - i, &cp);
            if (k) {
                put(l, p + i, k);
                i += k - 1;
                continue;
            }
        }
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            l->buf[l->len++] = (char)c;
        } else if (json && (c == '"' || c == '\\')) {
            l->buf[l->len++] = '\\';
            l->buf[l->len++] = (char)c;
        } else {
            puts_(l, json ? "\\u00" : "\\x");
            l->buf[l->len++] = hex[c >> 4];
            l->buf[l->len++] = hex[c & 15];
        }
    }
}

static h2o_iovec_t header_of(const h2o_headers_t *hs, const h2o_token_t *token)
{
    ssize_t at = h2o_find_header(hs, token, -1);
    return at < 0 ? h2o_iovec_init(NULL, 0) : hs->entries[at].value;
}

static h2o_iovec_t referrer_of(h2o_req_t *req)
{
    h2o_iovec_t v = header_of(&req->headers, H2O_TOKEN_REFERER);
    for (size_t i = 0; i < v.len; i++)
        if (v.base[i] == '?' || v.base[i] == '#') {
            v.len = i;
            break;
        }
    return v;
}

/* What a line says about a request, gathered once for either format. */
struct access_fields {
    char peer[INET6_ADDRSTRLEN];
    h2o_iovec_t id, ua, ref;
    const char *proto;
    struct tm tm;
    long ms;    /* the milliseconds of the time */
    int64_t us; /* from the request's first byte to now, the response handed to the kernel */
};

static void access_fields(h2o_req_t *req, struct access_fields *f)
{
    snprintf(f->peer, sizeof(f->peer), "-");
    struct sockaddr_storage ss;
    socklen_t sl = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
    if (sl)
        getnameinfo((struct sockaddr *)&ss, sl, f->peer, sizeof(f->peer), NULL, 0, NI_NUMERICHOST);
    ssize_t at = h2o_find_header_by_str(&req->res.headers, H2O_STRLIT("x-request-id"), -1);
    f->id = at < 0 ? h2o_iovec_init(H2O_STRLIT("-")) : req->res.headers.entries[at].value;
    f->ua = header_of(&req->headers, H2O_TOKEN_USER_AGENT);
    f->ref = referrer_of(req);
    f->proto = req->version >= 0x200 ? "HTTP/2" : req->version == 0x101 ? "HTTP/1.1" : "HTTP/1.0";
    time_t secs = req->processed_at.at.tv_sec;
    gmtime_r(&secs, &f->tm);
    f->ms = (long)(req->processed_at.at.tv_usec / 1000);
    struct timeval end;
    gettimeofday(&end, NULL);
    f->us = h2o_timeval_is_null(&req->timestamps.request_begin_at)
                ? 0
                : h2o_timeval_subtract(&req->timestamps.request_begin_at, &end);
}

static void access_json(h2o_req_t *req, const struct access_fields *f, struct logline *l)
{
    char num[96];
    strftime(num, sizeof(num), "{\"time\":\"%Y-%m-%dT%H:%M:%S", &f->tm);
    puts_(l, num);
    snprintf(num, sizeof(num), ".%03ldZ\",\"request_id\":\"", f->ms);
    puts_(l, num);
    put_escaped(l, f->id.base, f->id.len, true);
    puts_(l, "\",\"remote\":\"");
    puts_(l, f->peer);
    puts_(l, "\",\"method\":\"");
    put_escaped(l, req->input.method.base, req->input.method.len, true);
    puts_(l, "\",\"path\":\"");
    put_escaped(l, req->input.path.base, req->input.path.len, true);
    snprintf(num, sizeof(num), "\",\"protocol\":\"%s\",\"status\":%d,\"bytes\":%zu", f->proto,
             req->res.status, req->bytes_sent);
    puts_(l, num);
    snprintf(num, sizeof(num), ",\"duration_ms\":%.3f,\"referer\":\"", (double)f->us / 1000.0);
    puts_(l, num);
    put_escaped(l, f->ref.base, f->ref.len, true);
    puts_(l, "\",\"user_agent\":\"");
    put_escaped(l, f->ua.base, f->ua.len, true);
    puts_(l, "\"}");
}

static void access_combined(h2o_req_t *req, const struct access_fields *f, struct logline *l)
{
    char num[96];
    puts_(l, f->peer);
    strftime(num, sizeof(num), " - - [%d/%b/%Y:%H:%M:%S +0000] \"", &f->tm);
    puts_(l, num);
    put_escaped(l, req->input.method.base, req->input.method.len, false);
    puts_(l, " ");
    put_escaped(l, req->input.path.base, req->input.path.len, false);
    snprintf(num, sizeof(num), " %s\" %d %zu \"", f->proto, req->res.status, req->bytes_sent);
    puts_(l, num);
    f->ref.len ? put_escaped(l, f->ref.base, f->ref.len, false) : puts_(l, "-");
    puts_(l, "\" \"");
    f->ua.len ? put_escaped(l, f->ua.base, f->ua.len, false) : puts_(l, "-");
    puts_(l, "\" ");
    put_escaped(l, f->id.base, f->id.len, false);
}

static void log_access(h2o_logger_t *self, h2o_req_t *req)
{
    struct server *srv = ((struct access_logger *)self)->srv;
    struct access_fields f;
    access_fields(req, &f);
    struct logline l = {.len = 0};
    if (srv->cfg->access_format == HTTP_LOG_JSON)
        access_json(req, &f, &l);
    else
        access_combined(req, &f, &l);
    l.buf[l.len++] = '\n';
    ssize_t w = write(srv->access_fd, l.buf, l.len);
    (void)w;
}

/* Opens the access log named in the configuration (again, for SIGUSR1). */
static bool access_open(struct server *srv)
{
    if (!srv->access_path[0])
        return true; /* stdout */
    int fd = open(srv->access_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0)
        return false;
    if (srv->access_fd < 0) {
        srv->access_fd = fd;
        return true;
    }
    bool ok = dup2(fd, srv->access_fd) >= 0;
    close(fd);
    return ok;
}

static void configure(struct server *srv)
{
    h2o_globalconf_t *gc = &srv->globalconf;
    h2o_config_init(gc);
    gc->server_name = h2o_iovec_init(H2O_STRLIT("newsdesk"));
    gc->max_request_entity_size = srv->cfg->body_max ? srv->cfg->body_max : HTTP_BODY_MAX_DEFAULT;
    /*
     * No cleartext HTTP/2 (h2c): HTTP/2 is meant to come with TLS. In h2o 2.2.5 this one
     * flag gates both ways in (lib/core/http1.c): "Upgrade: h2c" is then ignored and the
     * request answered in HTTP/1.1, and a prior-knowledge preface ("PRI * HTTP/2.0") is
     * parsed as HTTP/1, refused with a 400 and the connection closed.
     */
    gc->http1.upgrade_to_http2 = 0;
    h2o_hostconf_t *host =
        h2o_config_register_host(gc, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
    struct catchall_handler *h = (void *)h2o_create_handler(path, sizeof(*h));
    h->super.on_req = on_req;
    h->srv = srv;
    if (srv->access_fd >= 0) {
        struct access_logger *l = (void *)h2o_create_logger(path, sizeof(*l));
        l->super.log_access = log_access;
        l->srv = srv;
    }
}

static unsigned thread_count(const struct http_config *cfg)
{
    if (cfg->threads)
        return cfg->threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static void format_addr(const struct listen_addr *l, char *out, size_t n)
{
    char host[INET6_ADDRSTRLEN] = "?";
    getnameinfo((const struct sockaddr *)&l->addr, l->addrlen, host, sizeof(host), NULL, 0,
                NI_NUMERICHOST);
    snprintf(out, n, l->addr.ss_family == AF_INET6 ? "[%s]" : "%s", host);
}

static void stop_all(struct server *srv)
{
    for (unsigned i = 0; i < srv->nthreads; i++)
        h2o_multithread_send_message(&srv->threads[i].stop_receiver, &srv->threads[i].stop_message);
}

/*
 * Waits for SIGINT or SIGTERM (blocked in every thread), then wakes every loop. SIGHUP
 * and SIGUSR1 are handled here too, on this thread, between requests of the others.
 */
static void wait_and_stop(struct server *srv, const sigset_t *set)
{
    const struct http_config *cfg = srv->cfg;
    int sig = 0;
    for (;;) {
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            log_info("received SIGHUP, reading the settings again");
            if (cfg->on_hangup)
                cfg->on_hangup(cfg->owner_ctx);
        } else if (sig == SIGUSR1) {
            if (!access_open(srv))
                log_error("SIGUSR1: cannot open the access log %s again: %s; still writing "
                          "to the old file",
                          srv->access_path, strerror(errno));
            if (cfg->on_reopen)
                cfg->on_reopen(cfg->owner_ctx);
        } else {
            break;
        }
    }
    log_info("received %s, finishing in-flight requests", sig == SIGINT ? "SIGINT" : "SIGTERM");
    stop_all(srv);
}

static void *worker_thread(void *arg)
{
    struct worker_thread *wt = arg;
    worker_main(wt);
    sem_post(&wt->srv->ready);
    return worker_run(wt);
}

/* Starts every worker and waits until each has its loop and receiver, so a stop can reach them all.
 */
static enum err_code start_threads(struct server *srv, struct err *err)
{
    sem_init(&srv->ready, 0, 0);
    unsigned started = 0;
    for (unsigned i = 0; i < srv->nthreads; i++) {
        struct worker_thread *wt = &srv->threads[i];
        wt->srv = srv;
        wt->index = i;
        if (pthread_create(&wt->tid, NULL, worker_thread, wt) != 0)
            break;
        started++;
    }
    for (unsigned i = 0; i < started; i++)
        sem_wait(&srv->ready);
    if (started < srv->nthreads) {
        srv->nthreads = started; /* those running are stopped and joined as usual */
        return err_set(err, ERR_INTERNAL, "cannot start worker thread %u", started);
    }
    return ERR_OK;
}

/*
 * Every connection is a descriptor, and the usual soft limit (1,024) is what a spike
 * reaches first: raise it to the hard limit, as nginx's worker_rlimit_nofile would.
 */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
        return;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        log_warn("cannot raise the open-file limit: %s", strerror(errno));
}

/* The access log: stdout, or a file opened now (and again at SIGUSR1). */
static enum err_code access_start(struct server *srv, struct err *err)
{
    const char *log = srv->cfg->access_log;
    srv->access_fd = -1;
    if (!log)
        return ERR_OK;
    if (strcmp(log, "-") == 0) {
        srv->access_fd = STDOUT_FILENO;
        return ERR_OK;
    }
    if (strlen(log) >= sizeof(srv->access_path))
        return err_set(err, ERR_INVALID, "the access log's path is too long");
    snprintf(srv->access_path, sizeof(srv->access_path), "%s", log);
    if (!access_open(srv))
        return err_set(err, ERR_IO, "cannot open the access log %s: %s", log, strerror(errno));
    return ERR_OK;
}

static enum err_code listen_all(struct server *srv, struct err *err)
{
    srv->main.text = srv->cfg->listen;
    srv->redirect.text = srv->cfg->tls ? srv->cfg->redirect_listen : NULL;
    enum err_code rc = resolve(&srv->main, err);
    if (!rc && srv->redirect.text)
        rc = resolve(&srv->redirect, err);
    if (rc)
        return rc;
    srv->threads = xcalloc(srv->nthreads, sizeof(*srv->threads));
    rc = bind_all(srv, err);
    if (rc) {
        free(srv->threads);
        srv->threads = NULL;
    }
    return rc;
}

/* A random start for request ids, so that ids from different runs do not repeat. */
static uint64_t request_id_base(void)
{
    uint64_t r = 0;
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(&r, sizeof(r), 1, f) != 1)
        r = (uint64_t)time_now() * 2654435761u;
    if (f)
        fclose(f);
    return r & ~(uint64_t)0xffffffffu;
}

enum err_code http_server_run(const struct http_config *cfg, struct err *err)
{
    raise_fd_limit();
    struct server srv = {0};
    srv.cfg = cfg;
    srv.nthreads = thread_count(cfg);
    srv.next_request_id = request_id_base();
    enum err_code rc = access_start(&srv, err);
    if (!rc)
        rc = listen_all(&srv, err);
    if (rc) {
        if (srv.access_fd > STDERR_FILENO)
            close(srv.access_fd);
        return rc;
    }
    if (cfg->tls)
        h2o_ssl_register_alpn_protocols(http_tls_ctx(cfg->tls), h2o_http2_alpn_protocols);
    configure(&srv);

    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    char host[INET6_ADDRSTRLEN + 2];
    format_addr(&srv.main, host, sizeof(host));
    if (cfg->on_listening)
        cfg->on_listening(cfg->owner_ctx, cfg->tls ? "https" : "http", host,
                          get_port(&srv.main.addr), srv.nthreads);
    if (srv.redirect.text) {
        format_addr(&srv.redirect, host, sizeof(host));
        log_info("redirecting http://%s:%u/ to https", host, get_port(&srv.redirect.addr));
    }
    rc = start_threads(&srv, err);
    if (!rc)
        wait_and_stop(&srv, &set);
    else
        stop_all(&srv);
    for (unsigned i = 0; i < srv.nthreads; i++)
        pthread_join(srv.threads[i].tid, NULL);
    sem_destroy(&srv.ready);
    h2o_config_dispose(&srv.globalconf);
    free(srv.threads);
    if (srv.access_fd > STDERR_FILENO)
        close(srv.access_fd);
    return rc;
}
