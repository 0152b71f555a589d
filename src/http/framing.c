/*
 * Where a request ends (request smuggling, RFC 9112 §6.3).
 *
 * libh2o 2.2 settles an HTTP/1 request's length by its own rules before any handler runs:
 * the last Transfer-Encoding field wins over every Content-Length, the first of several
 * Content-Length fields wins, and repeated Host fields are not counted. A proxy in front
 * may choose otherwise, and then the bytes one of us reads as body the other reads as the
 * next request. h2o keeps these fields out of the header list it hands handlers, so this
 * reads them from the head as it arrived and refuses any head two readers could take two
 * ways; the server then closes the connection, so nothing after it is read as a request.
 */
#include "http/http_int.h"

#include <string.h>

/* What the fields that frame a request say, counted over the whole head. */
struct head_fields {
    size_t hosts;         /* Host fields */
    size_t lengths;       /* Content-Length fields */
    size_t coding_fields; /* Transfer-Encoding fields */
    size_t codings;       /* transfer codings they list, in all */
    bool last_chunked;    /* the last coding listed is "chunked" */
};

/* Splits the next line off *rest, without its CRLF or LF; false when no line end is left. */
static bool next_line(struct str *rest, struct str *line)
{
    const char *nl = memchr(rest->ptr, '\n', rest->len);
    if (!nl)
        return false;
    size_t n = (size_t)(nl - rest->ptr);
    *line = (struct str){rest->ptr, n && nl[-1] == '\r' ? n - 1 : n};
    rest->ptr = nl + 1;
    rest->len -= n + 1;
    return true;
}

/* Counts the codings of one Transfer-Encoding value, a list (RFC 9110 §5.6.1). */
static void count_codings(struct str value, struct head_fields *f)
{
    while (value.len) {
        const char *comma = memchr(value.ptr, ',', value.len);
        size_t n = comma ? (size_t)(comma - value.ptr) : value.len;
        struct str coding = str_trim((struct str){value.ptr, n});
        if (coding.len) { /* a list may hold empty elements: "chunked, ," */
            f->codings++;
            f->last_chunked = str_case_eq(coding, "chunked");
        }
        value.ptr += comma ? n + 1 : n;
        value.len -= comma ? n + 1 : n;
    }
}

static enum err_code count_field(struct str line, struct head_fields *f, struct err *err)
{
    /* RFC 9112 §5.2: refusing a folded line is allowed, and never mis-joins one */
    if (line.ptr[0] == ' ' || line.ptr[0] == '\t')
        return err_set(err, ERR_INVALID, "folded header field line");
    const char *colon = memchr(line.ptr, ':', line.len);
    if (!colon)
        return err_set(err, ERR_INVALID, "header field line without a colon");
    struct str name = {line.ptr, (size_t)(colon - line.ptr)};
    struct str value = str_trim((struct str){colon + 1, line.len - name.len - 1});
    if (str_case_eq(name, "host"))
        f->hosts++;
    else if (str_case_eq(name, "content-length"))
        f->lengths++;
    else if (str_case_eq(name, "transfer-encoding")) {
        f->coding_fields++;
        count_codings(value, f);
    }
    return ERR_OK;
}

static enum err_code judge(const struct head_fields *f, bool http11, struct err *err)
{
    if (f->coding_fields && f->lengths)
        return err_set(err, ERR_INVALID, "both content-length and transfer-encoding");
    if (f->lengths > 1)
        return err_set(err, ERR_INVALID, "more than one content-length");
    if (f->coding_fields && (f->codings != 1 || !f->last_chunked))
        return err_set(err, ERR_INVALID, "transfer-encoding other than 'chunked'");
    if (f->coding_fields && !http11) /* RFC 9112 §6.1 */
        return err_set(err, ERR_INVALID, "transfer-encoding in an HTTP/1.0 request");
    if (f->hosts > 1)
        return err_set(err, ERR_INVALID, "more than one host");
    if (!f->hosts && http11)
        return err_set(err, ERR_INVALID, "no host in an HTTP/1.1 request");
    return ERR_OK;
}

/* Whether line is the request line of a request whose method is method. */
static bool is_request_line(struct str line, struct str method)
{
    return line.len > method.len && memcmp(line.ptr, method.ptr, method.len) == 0 &&
           line.ptr[method.len] == ' ';
}

enum err_code http_head_check(struct str head, struct str method, bool http11, struct err *err)
{
    struct str rest = head, line;
    do {
        if (!next_line(&rest, &line))
            return err_set(err, ERR_INTERNAL, "no request line in the request head");
    } while (!line.len);
    if (!is_request_line(line, method))
        return err_set(err, ERR_INTERNAL, "the input does not start with this request");
    struct head_fields f = {0};
    while (next_line(&rest, &line)) {
        if (!line.len)
            return judge(&f, http11, err);
        enum err_code rc = count_field(line, &f, err);
        if (rc)
            return rc;
    }
    return err_set(err, ERR_INTERNAL, "no end to the request head");
}
