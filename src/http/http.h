/*
 * http: the HTTP server, behind our own request and response types.
 *
 * This is the only module that includes h2o.h. Handlers see a struct request (already
 * checked against our limits, its path percent-decoded and validated) and fill a struct
 * response; the adapter turns that into bytes on the socket. Nothing here knows about
 * pages, posts or the database.
 *
 * Threads: http_server_run() starts one worker thread per event loop (one per core by
 * default), each with its own SO_REUSEPORT listener, and returns when SIGINT or SIGTERM
 * asks it to stop, after in-flight responses are sent. A request and its response live on
 * one worker thread from start to end.
 */
#ifndef HTTP_H
#define HTTP_H

#include "base/base.h"

/* ---- limits ---------------------------------------------------------------------- */

#define HTTP_URI_MAX 8192        /* request target, path and query: 414 past it */
#define HTTP_HEADERS_MAX 16384   /* sum of header names and values: 431 past it */
#define HTTP_HEADER_COUNT_MAX 64 /* header fields: 431 past it */
#define HTTP_BODY_MAX_DEFAULT (1024 * 1024)
#define HTTP_RESPONSE_MAX (16 * 1024 * 1024)
#define HTTP_PARAMS_MAX 4
/* a cached API hit sends 12 (CORS, validators, security headers): room to spare */
#define HTTP_RES_HEADERS_MAX 24
#define HTTP_DEPS_MAX 16

enum http_method {
    HTTP_GET = 1 << 0,
    HTTP_HEAD = 1 << 1,
    HTTP_POST = 1 << 2,
    HTTP_PUT = 1 << 3,
    HTTP_DELETE = 1 << 4,
    HTTP_PATCH = 1 << 5,
    HTTP_OPTIONS = 1 << 6,
    HTTP_OTHER = 1 << 7,
};

struct http_header {
    struct str name; /* lowercase for request headers */
    struct str value;
};

struct http_param {
    struct str name;
    struct str value;
};

/*
 * A request as handlers see it. Everything it points to lives until the response has been
 * sent: in the request's arena or in the server's buffers.
 */
struct request {
    enum http_method method;
    struct str method_name;
    struct str path;     /* percent-decoded, valid UTF-8, no NUL, no "." or ".." segments */
    struct str raw_path; /* as sent, without the query */
    struct str log_path; /* what logs print: raw_path, or with a secret masked (secret_paths) */
    struct str query;    /* after '?', still encoded; empty when there is none */
    struct str host;     /* the Host header (HTTP/1) or :authority (HTTP/2), as sent */
    const struct http_header *headers;
    size_t nheaders;
    struct str body;
    struct http_param params[HTTP_PARAMS_MAX]; /* filled by http_route_match */
    size_t nparams;
    struct arena *arena; /* request-lived memory, released after the response is sent */
    void *worker;        /* the worker thread's state, from http_config.worker_start */
    bool loopback;       /* the client connected from 127.0.0.0/8 or ::1 */
    struct str peer;     /* the client's address as text ("127.0.0.1", "::1") */
    /* the application's own per-request state (who is asking), set by its dispatcher */
    const void *session;
    /*
     * Set when the server refused the request before routing (its framing, a target or
     * header fields past the limits, a path that does not decode), with the reason in
     * refused_msg (lives until dispatch returns). Dispatch is called all the same, so that
     * the refusal is rendered for the audience raw_path names, and must do nothing else:
     * path is then empty, headers may be missing, no handler may run.
     */
    enum err_code refused;
    const char *refused_msg;
    uint64_t id; /* for log lines: unique within the process */
};

/* The response handlers fill. http_response_init() sets status 200 and an empty body. */
struct response {
    int status;
    const char *content_type;
    struct http_header headers[HTTP_RES_HEADERS_MAX];
    size_t nheaders;
    struct buf body;
    /*
     * A body owned elsewhere (a cache entry), sent instead of body when body_ref.ptr is
     * set; body_release(body_release_arg) runs once the response has been sent.
     */
    struct str body_ref;
    void (*body_release)(void *arg);
    void *body_release_arg;
    /* when what the response shows last changed (Unix seconds; 0: unknown) */
    int64_t last_modified;
    /* how long others may keep it (a Cache-Control value); NULL: the cache's default */
    const char *cache_control;
    /*
     * Keys of the data the response shows ("post:12", "list", "tag:3"), so that a cache
     * knows which writes make it stale. Past HTTP_DEPS_MAX, deps_overflow is set.
     */
    struct str deps[HTTP_DEPS_MAX];
    size_t ndeps;
    bool deps_overflow;
    struct arena *arena;
    /* how http_send_err() renders an error page: set by the server, see http_config */
    enum err_code (*error_page)(void *ctx, const struct request *req, struct response *res,
                                enum err_code code, const char *msg);
    void *error_ctx;
    enum err_code err_code; /* set by http_send_err: what the error counters file it under */
    /* set by a handler whose response stays open (see "streams" below); NULL: it ends */
    const struct http_stream_spec *stream;
};

/* ---- requests -------------------------------------------------------------------- */

/** The value of the first header named name (lowercase), or STR_NULL with ptr NULL. */
struct str http_request_header(const struct request *req, const char *name);
/** The route parameter named name, or an empty slice. */
struct str http_request_param(const struct request *req, const char *name);
/**
 * The first query parameter named name, percent- and '+'-decoded, in *out (lives in
 * req->arena). ERR_NOTFOUND when absent, ERR_INVALID when its encoding is bad (a bad
 * escape, NUL, invalid UTF-8): the caller refuses the request rather than ignoring it.
 */
enum err_code http_request_query(const struct request *req, const char *name, struct str *out);
/**
 * An optional query parameter: as http_request_query, but absence is not an error
 * (*present says whether it came; *out is then STR_NULL), and a bad encoding is
 * ERR_INVALID with "cannot read the 'name' parameter: bad encoding" in err.
 */
enum err_code http_request_query_opt(const struct request *req, const char *name, struct str *out,
                                     bool *present, struct err *err);

/** True when the body is application/x-www-form-urlencoded (an HTML form's POST). */
bool http_request_is_form(const struct request *req);
/**
 * The first field named name of a form body, decoded as http_request_query does, or of a
 * multipart/form-data body (a part that is not a file; its bytes must be UTF-8 without
 * NUL, else ERR_INVALID); ERR_NOTFOUND when absent or when the body is neither.
 */
enum err_code http_form_get(const struct request *req, const char *name, struct str *out);
/* ---- multipart/form-data (multipart.c) ------------------------------------------ */

#define HTTP_MULTIPART_PARTS_MAX 16  /* an upload form has six fields */
#define HTTP_MULTIPART_HEAD_MAX 2048 /* one part's header section */

/* One part of a multipart/form-data body. Slices into the body (no copy) or req->arena. */
struct http_part {
    struct str name;     /* the Content-Disposition name: valid UTF-8, no NUL */
    bool is_file;        /* it had a filename parameter */
    struct str filename; /* its base name: no '/', '\', NUL or control character, never
                          * "." or ".."; "upload" when nothing usable was sent */
    struct str type;     /* its Content-Type as sent; "" when none */
    struct str body;     /* the part's bytes, a slice of the request body */
};

struct http_multipart {
    struct http_part parts[HTTP_MULTIPART_PARTS_MAX];
    size_t n;
};

/** The boundary of a "multipart/form-data; boundary=..." Content-Type (RFC 2046 5.1.1). */
bool http_multipart_boundary(struct str content_type, struct str *boundary);
/**
 * Splits body into its parts (RFC 7578). ERR_INVALID with the reason (and the byte) in err
 * for anything but a well-formed body: no valid boundary, a body not starting with it or
 * not closed by it, a part without a form-data Content-Disposition and a name, a part
 * header section over HTTP_MULTIPART_HEAD_MAX, more than HTTP_MULTIPART_PARTS_MAX parts;
 * out->n is then 0. Bounded time: one pass over body.
 */
enum err_code http_multipart_parse(struct str content_type, struct str body, struct arena *a,
                                   struct http_multipart *out, struct err *err);
/** The first part named name, or NULL. */
const struct http_part *http_multipart_get(const struct http_multipart *m, const char *name);
/**
 * The text of field name (a part that is not a file) in *out, a slice of the body;
 * ERR_NOTFOUND when absent, ERR_INVALID when it is not UTF-8 or holds a NUL.
 */
enum err_code http_multipart_field(const struct http_multipart *m, const char *name,
                                   struct str *out);
/** True when the body is multipart/form-data with a valid boundary. */
bool http_request_is_multipart(const struct request *req);

/** The value of cookie name as sent (not decoded), or STR_NULL. */
struct str http_request_cookie(const struct request *req, const char *name);

/**
 * The query reduced to the parameters named in keep (a NULL-terminated list), in the order
 * they came, as sent (still encoded); "" when none is left. So "/?utm_source=x" and "/"
 * are one page to a cache. Result lives in req->arena.
 */
struct str http_query_keep(const struct request *req, const char *const *keep);

/**
 * Decodes and checks a request path: percent-decoding (bad escapes, %00 and invalid
 * UTF-8 are ERR_INVALID), no NUL, no "." or ".." segment, must start with '/'.
 * Result lives in a.
 */
enum err_code http_path_decode(struct str raw, struct arena *a, struct str *out, struct err *err);
/** Percent- and '+'-decodes a query component. Result lives in a. False on bad input. */
bool http_query_decode(struct str s, struct arena *a, struct str *out);

/**
 * Matches path against a pattern of literal segments, segments with one "{name}" (a
 * non-empty part of one segment, with literal text around it allowed: "posts-{n}.xml") and
 * a final "{*name}" (the rest, may be empty). A pattern ending in '/'
 * needs a path ending in '/'. Fills req->params on success.
 */
bool http_route_match(const char *pattern, struct str path, struct request *req);

/* ---- reverse proxies ------------------------------------------------------------- */

#define HTTP_PROXIES_MAX 32

/* An IPv4 or IPv6 network: an address and how many leading bits of it count. */
struct http_net {
    int family;             /* AF_INET or AF_INET6 */
    unsigned char addr[16]; /* network byte order; IPv4 in the first 4 bytes */
    unsigned bits;          /* 0-32 or 0-128 */
};

/*
 * The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: filled at
 * start-up, read-only (and so safe to share between threads) while serving. Empty: no
 * proxy is trusted and those headers are never read.
 */
struct http_proxies {
    struct http_net nets[HTTP_PROXIES_MAX];
    size_t n;
};

/** Empties p. */
void http_proxies_init(struct http_proxies *p);
/**
 * Adds a comma-separated list of addresses and networks ("10.0.0.0/8, ::1, fd00::/8"),
 * read with inet_pton. ERR_INVALID names the bad entry in err (not an address, a prefix
 * length out of range, bits set past the prefix, an empty entry); ERR_TOOBIG past
 * HTTP_PROXIES_MAX. On error p keeps the entries before the bad one.
 */
enum err_code http_proxies_add(struct http_proxies *p, const char *list, struct err *err);
/** True when address (text: "10.1.2.3", "::1") is in one of p's networks; p may be NULL. */
bool http_proxies_has(const struct http_proxies *p, struct str address);
/** True when the request's peer is one of the trusted proxies. */
bool http_request_via_proxy(const struct request *req, const struct http_proxies *trusted);
/**
 * The client's address, for rate limits and the audit log. The peer's, unless the peer is
 * a trusted proxy: then the right-most X-Forwarded-For entry that is not a trusted proxy
 * (the left-most when all are), or the peer's when an entry on the way is not an IP
 * address (a key a client could choose freely). The result points into req (request-lived).
 */
struct str http_client_address(const struct request *req, const struct http_proxies *trusted);

/* ---- responses ------------------------------------------------------------------- */

void http_response_init(struct response *res, struct arena *a, size_t body_max);
void http_response_release(struct response *res);
/** Adds a header; name and value are copied into the response's arena. */
void http_response_header(struct response *res, const char *name, struct str value);
/** Adds a header without copying: name and value must outlive the response. */
void http_response_header_ref(struct response *res, struct str name, struct str value);
/** Records that the response shows the data named key (copied), e.g. "tag:3". */
void http_response_dep(struct response *res, const char *fmt, ...) BASE_PRINTF(2, 3);
/** Sets a redirect (301, 302, 303, 307, 308) to location. */
void http_response_redirect(struct response *res, int status, struct str location);
/**
 * The one place an error becomes a response: resets res, sets the code's status, and
 * renders through res->error_page when set (a themed page, which may choose another
 * status: a login redirect), else a short text body. A 4xx message may reach the client
 * (escaped by the page); a 5xx message is logged with the request id and the client gets
 * the generic text.
 */
void http_send_err(const struct request *req, struct response *res, enum err_code code,
                   const char *msg);
/**
 * Counts res once, as it is sent, when its status is 400 or more: under the code
 * http_send_err gave it, else the code of its status (a form shown again with a 400).
 * The server calls it for every response, so no error goes uncounted.
 */
void http_response_count(const struct response *res);
/** Responses sent per error code since start (for stats and tests). */
uint64_t http_err_count(enum err_code code);
/** Appends the server's counters in Prometheus' text format. */
enum err_code http_metrics_write(struct buf *out);

/* ---- streams (server-sent events) ------------------------------------------------ */

/*
 * A response that stays open. The handler fills status, type, headers and a first body
 * as usual and points res->stream at a spec that outlives the request (the owner's). The
 * server sends the head and that body, then calls opened(arg, s) on the request's worker
 * thread; from then on the owner writes with http_stream_write() from that thread only,
 * until closed(arg) says the stream has ended: the client went away, fell more than
 * queue_max bytes behind, the owner closed it, or the server is stopping. closed() is
 * called exactly once, also when opened() never was (the client left at once), and s is
 * invalid from then on.
 *
 * Cheap by design: no thread and no buffer per idle stream. Bytes a client has not yet
 * taken wait in the kernel's send buffer (sndbuf bytes, set on the socket) and then in
 * one queue of ours, allocated while it is non-empty.
 */
struct http_stream;

struct http_stream_spec {
    void (*opened)(void *arg, struct http_stream *s);
    void (*closed)(void *arg);
    void *arg;
    size_t queue_max; /* bytes waiting beyond the socket's buffer before the client is dropped */
    int sndbuf;       /* the socket's send buffer in bytes (0: the system's) */
};

/**
 * Queues n bytes for the client. False when the stream has ended or is ending, or when
 * the client is now more than queue_max behind: it is then dropped (closed() follows).
 */
bool http_stream_write(struct http_stream *s, const char *p, size_t n);
/** Ends the stream once what is queued has been sent; closed() follows. */
void http_stream_close(struct http_stream *s);
/**
 * Whether the client is still there: a peer that has closed its end is noticed without
 * writing to it (and dropped: false, closed() follows). An idle stream is otherwise only
 * found gone when a write to it fails.
 */
bool http_stream_alive(struct http_stream *s);

/* ---- the server ------------------------------------------------------------------ */

/*
 * Another thread's way to make a worker run code on its own thread: http_wake() from any
 * thread makes the server call http_config.on_wake(ctx, worker) on that worker's thread
 * soon after; wakes that come before it runs are one call.
 */
struct http_waker;
void http_wake(struct http_waker *w);

/*
 * Answers a request by filling res. Called for every request, including those the server
 * refused before routing (req->refused): those are only to be rendered as errors.
 */
typedef void (*http_dispatch_fn)(void *ctx, struct request *req, struct response *res);

/* ---- https (tls.c) ----------------------------------------------------------------- */

struct http_tls;
/**
 * An https set-up from a PEM certificate chain (the server's certificate first) and its
 * key: TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 by ALPN. ERR_IO or ERR_INVALID when a file
 * cannot be read, holds no certificate or key, or the key is not the certificate's.
 */
enum err_code http_tls_new(const char *cert, const char *key, struct http_tls **out,
                           struct err *err);
/** Reads the files again; the next handshake uses them. On failure the old pair stays. */
enum err_code http_tls_reload(struct http_tls *t, const char *cert, const char *key,
                              struct err *err);
/** When the certificate in use expires (Unix seconds; 0: unknown). */
int64_t http_tls_expiry(struct http_tls *t);
/** Strict-Transport-Security's max-age for responses over https (0: none). */
void http_tls_set_hsts(struct http_tls *t, int64_t max_age);
int64_t http_tls_hsts(struct http_tls *t);
void http_tls_free(struct http_tls *t);

/* The access log's line format. */
enum http_log_format { HTTP_LOG_COMBINED, HTTP_LOG_JSON };

struct http_config {
    const char *listen;     /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
    unsigned threads;       /* 0: one per core */
    size_t body_max;        /* largest request body accepted by any route */
    const char *access_log; /* a path, "-" for stdout, NULL for none */
    enum http_log_format access_format;
    /* https on listen (NULL: plain http); owned by the caller, who may reload it */
    struct http_tls *tls;
    /*
     * With tls: a plain-http address whose every request is redirected to https (301),
     * except /.well-known/acme-challenge/, answered from acme_dir when set (a
     * certificate authority's http-01 challenge, certbot's --webroot).
     */
    const char *redirect_listen;
    const char *acme_dir;
    /*
     * Paths that carry a secret (a one-time link's token), NULL-terminated prefixes or
     * NULL: the access log shows the path segment after the prefix as "SECRET" (the
     * path as decoded, so an escaped spelling is caught too).
     */
    const char *const *secret_paths;
    /*
     * Query parameters that carry a secret (the editor's ?preview_link=), NULL-terminated
     * names or NULL: the access log shows their values as "SECRET".
     */
    const char *const *secret_params;
    http_dispatch_fn dispatch;
    void *ctx; /* passed to dispatch, error_page and worker_* */
    /* the error page unless dispatch chooses another (see struct response) */
    enum err_code (*error_page)(void *ctx, const struct request *req, struct response *res,
                                enum err_code code, const char *msg);
    /* per-thread state: worker_start(ctx, i) runs once per worker before any thread
     * serves; what it returns is only ever used by worker i */
    void *(*worker_start)(void *ctx, unsigned index, struct http_waker *waker);
    void (*worker_stop)(void *ctx, void *worker);
    /* runs on a worker's thread after http_wake() on its waker (NULL: none) */
    void (*on_wake)(void *ctx, void *worker);
    /*
     * The largest body the route a request names accepts (its method and its path as
     * sent), checked before the body is read: a larger Content-Length is refused with 413
     * and a chunked body cut at it. NULL: body_max for every request.
     */
    size_t (*body_limit)(void *ctx, enum http_method method, struct str raw_path);
    /*
     * The owner's callbacks, on the thread that called http_server_run, with owner_ctx.
     * on_listening: every listener is bound and no request has been read yet (scheme
     * "http" or "https", the address as text, the port bound). on_hangup: SIGHUP came.
     * on_reopen: SIGUSR1 came, and the access log was opened again.
     */
    void *owner_ctx;
    void (*on_listening)(void *owner_ctx, const char *scheme, const char *addr, unsigned port,
                         unsigned threads);
    void (*on_hangup)(void *owner_ctx);
    void (*on_reopen)(void *owner_ctx);
};

/**
 * Binds, serves until SIGINT or SIGTERM (SIGHUP and SIGUSR1 call on_hangup and
 * on_reopen), then stops accepting, finishes in-flight
 * responses (up to a few seconds) and returns. Returns ERR_IO when the address cannot be
 * bound (message says why), ERR_INVALID for a malformed address.
 */
enum err_code http_server_run(const struct http_config *cfg, struct err *err);
/** Parses "host:port" into its parts (for validation before start-up). */
enum err_code http_parse_listen(const char *listen, char *host, size_t hostlen, unsigned *port,
                                struct err *err);

/* ---- certificates (cert.c) --------------------------------------------------------- */

/* What a TLS certificate file says of itself, and whether a key file goes with it. */
struct http_cert_info {
    char subject[256];  /* the subject, one line: "/CN=news.example.org" (cut short) */
    int64_t not_before; /* the validity period, Unix seconds */
    int64_t not_after;
    bool key_matches; /* a key file was given and holds the certificate's private key */
};

/**
 * Reads the first certificate of the PEM file cert_path (the server's own in a full
 * chain) and, when key_path is not NULL, the private key in that PEM file and whether it
 * belongs to the certificate. A key protected by a passphrase is not asked for: it is
 * ERR_INVALID. ERR_IO when a file cannot be opened (the message names it and says why),
 * ERR_INVALID when it holds no certificate or key that can be read. Keeps nothing;
 * thread-safe.
 */
enum err_code http_cert_inspect(const char *cert_path, const char *key_path,
                                struct http_cert_info *out, struct err *err);

#endif
