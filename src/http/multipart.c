/*
 * multipart/form-data (RFC 7578, on RFC 2046's multipart syntax), small and strict: what
 * browsers and curl send, nothing more. The body must start with the first delimiter and
 * end with the close delimiter; every part has a Content-Disposition of form-data with a
 * name; header lines are CRLF-ended "Name: value" pairs without folding. Parts are slices
 * of the request body: a photo of 25 MB is never copied.
 */
#include "http/http.h"

#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX 70 /* RFC 2046 5.1.1 */
#define FILENAME_MAX_LEN 255

static bool is_bchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

/* The value of parameter name in a header value's "; a=b; c="d"" list, unquoted. */
static bool param_get(struct str v, const char *name, struct str *out)
{
    size_t nlen = strlen(name);
    const char *p = v.ptr, *end = v.ptr + v.len;
    while ((p = memchr(p, ';', (size_t)(end - p)))) {
        p++;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if ((size_t)(end - p) <= nlen || strncasecmp(p, name, nlen) || p[nlen] != '=')
            continue;
        p += nlen + 1;
        if (p < end && *p == '"') {
            const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
            if (!q)
                return false;
            *out = (struct str){p + 1, (size_t)(q - p - 1)};
            return true;
        }
        const char *q = p;
        while (q < end && *q != ';' && *q != ' ' && *q != '\t')
            q++;
        *out = (struct str){p, (size_t)(q - p)};
        return true;
    }
    return false;
}

bool http_multipart_boundary(struct str content_type, struct str *boundary)
{
    struct str ct = str_trim(content_type);
    static const char mt[] = "multipart/form-data";
    if (ct.len < sizeof(mt) - 1 || strncasecmp(ct.ptr, mt, sizeof(mt) - 1))
        return false;
    struct str rest = str_trim((struct str){ct.ptr + sizeof(mt) - 1, ct.len - sizeof(mt) + 1});
    struct str b;
    if ((rest.len && rest.ptr[0] != ';') || !param_get(rest, "boundary", &b))
        return false;
    if (!b.len || b.len > BOUNDARY_MAX || b.ptr[b.len - 1] == ' ')
        return false;
    for (size_t i = 0; i < b.len; i++)
        if (!is_bchar(b.ptr[i]))
            return false;
    *boundary = b;
    return true;
}

/*
 * The base name of what a browser sent as a file name: what follows the last '/' or '\',
 * without control characters; "upload" when nothing usable is left (".", "..", empty,
 * not UTF-8). Only its slug is kept anyway: this only makes sure no path survives.
 */
static struct str safe_filename(struct str f, struct arena *a)
{
    for (size_t i = f.len; i > 0; i--)
        if (f.ptr[i - 1] == '/' || f.ptr[i - 1] == '\\') {
            f = (struct str){f.ptr + i, f.len - i};
            break;
        }
    char *out = arena_alloc(a, f.len + 1);
    size_t n = 0;
    for (size_t i = 0; i < f.len && n < FILENAME_MAX_LEN; i++)
        if ((unsigned char)f.ptr[i] >= 0x20 && f.ptr[i] != 0x7f)
            out[n++] = f.ptr[i];
    while (n && !utf8_valid(out, n)) /* a cut through a character */
        n--;
    out[n] = '\0';
    struct str s = {out, n};
    if (!n || str_eq_cstr(s, ".") || str_eq_cstr(s, ".."))
        return STR_LIT("upload");
    return s;
}

/* "form-data; name="file"; filename="a.jpg"" */
static enum err_code disposition(struct str v, struct arena *a, struct http_part *part,
                                 struct err *err)
{
    static const char fd[] = "form-data";
    v = str_trim(v);
    if (v.len < sizeof(fd) - 1 || strncasecmp(v.ptr, fd, sizeof(fd) - 1) ||
        (v.len > sizeof(fd) - 1 && v.ptr[sizeof(fd) - 1] != ';'))
        return err_set(err, ERR_INVALID, "multipart: a part is not form-data");
    struct str name, filename;
    if (!param_get(v, "name", &name) || !name.len || !utf8_valid(name.ptr, name.len) ||
        memchr(name.ptr, '\0', name.len))
        return err_set(err, ERR_INVALID, "multipart: a part without a valid name");
    part->name = name;
    if (param_get(v, "filename", &filename)) {
        part->is_file = true;
        part->filename = safe_filename(filename, a);
    }
    return ERR_OK;
}

/* One header line of a part: only Content-Disposition and Content-Type are read. */
static enum err_code part_header(struct str line, struct arena *a, struct http_part *part,
                                 bool *seen, struct err *err)
{
    const char *colon = memchr(line.ptr, ':', line.len);
    if (!colon || colon == line.ptr || line.ptr[0] == ' ' || line.ptr[0] == '\t')
        return err_set(err, ERR_INVALID, "multipart: a malformed part header");
    struct str name = {line.ptr, (size_t)(colon - line.ptr)};
    struct str value = str_trim((struct str){colon + 1, line.len - name.len - 1});
    if (memchr(line.ptr, '\0', line.len))
        return err_set(err, ERR_INVALID, "multipart: NUL in a part header");
    if (str_case_eq(name, "content-disposition")) {
        if (*seen)
            return err_set(err, ERR_INVALID, "multipart: two Content-Disposition headers");
        *seen = true;
        return disposition(value, a, part, err);
    }
    if (str_case_eq(name, "content-type"))
        part->type = value;
    return ERR_OK;
}

/* The header section of a part (without its final empty line). */
static enum err_code part_headers(struct str head, struct arena *a, struct http_part *part,
                                  struct err *err)
{
    bool seen = false;
    while (head.len) {
        const char *crlf = memmem(head.ptr, head.len, "\r\n", 2);
        size_t n = crlf ? (size_t)(crlf - head.ptr) : head.len;
        enum err_code rc = part_header((struct str){head.ptr, n}, a, part, &seen, err);
        if (rc)
            return rc;
        head.ptr += crlf ? n + 2 : n;
        head.len -= crlf ? n + 2 : n;
    }
    if (!seen)
        return err_set(err, ERR_INVALID, "multipart: a part without Content-Disposition");
    return ERR_OK;
}

/* One part: p points after a delimiter's CRLF; *next after the following delimiter. */
static enum err_code one_part(struct str body, size_t at, struct str delim, struct arena *a,
                              struct http_part *part, size_t *next, struct err *err)
{
    const char *p = body.ptr + at, *end = body.ptr + body.len;
    size_t window = (size_t)(end - p) < HTTP_MULTIPART_HEAD_MAX + 4 ? (size_t)(end - p)
                                                                    : HTTP_MULTIPART_HEAD_MAX + 4;
    const char *blank =
        p + 2 <= end && !memcmp(p, "\r\n", 2) ? p : memmem(p, window, "\r\n\r\n", 4);
    if (!blank)
        return err_set(err, ERR_INVALID,
                       "multipart: part headers unfinished or over %d bytes "
                       "at byte %zu",
                       HTTP_MULTIPART_HEAD_MAX, at);
    enum err_code rc = part_headers((struct str){p, (size_t)(blank - p)}, a, part, err);
    if (rc)
        return rc;
    const char *data = blank + (blank == p ? 2 : 4);
    const char *d = memmem(data, (size_t)(end - data), delim.ptr, delim.len);
    if (!d)
        return err_set(err, ERR_INVALID, "multipart: a part without its closing boundary");
    part->body = (struct str){data, (size_t)(d - data)};
    *next = (size_t)(d - body.ptr) + delim.len;
    return ERR_OK;
}

/* The parts after the first delimiter, which ends at at. */
static enum err_code parts(struct str body, size_t at, struct str delim, struct arena *a,
                           struct http_multipart *out, struct err *err)
{
    for (;;) {
        if (body.len - at >= 2 && !memcmp(body.ptr + at, "--", 2))
            return out->n ? ERR_OK : err_set(err, ERR_INVALID, "multipart: no part");
        if (body.len - at < 2 || memcmp(body.ptr + at, "\r\n", 2))
            return err_set(err, ERR_INVALID, "multipart: junk after a boundary at byte %zu", at);
        if (out->n == HTTP_MULTIPART_PARTS_MAX)
            return err_set(err, ERR_INVALID, "multipart: more than %d parts",
                           HTTP_MULTIPART_PARTS_MAX);
        struct http_part *part = &out->parts[out->n];
        *part = (struct http_part){.type = STR_LIT("")};
        enum err_code rc = one_part(body, at + 2, delim, a, part, &at, err);
        if (rc)
            return rc;
        out->n++;
    }
}

enum err_code http_multipart_parse(struct str content_type, struct str body, struct arena *a,
                                   struct http_multipart *out, struct err *err)
{
    struct str b;
    out->n = 0;
    if (!http_multipart_boundary(content_type, &b))
        return err_set(err, ERR_INVALID, "not multipart/form-data with a valid boundary");
    /* the delimiter: CRLF "--" boundary; the first one comes without its CRLF */
    struct str delim = str_from(arena_printf(a, "\r\n--%.*s", (int)b.len, b.ptr));
    if (body.len < delim.len - 2 || memcmp(body.ptr, delim.ptr + 2, delim.len - 2))
        return err_set(err, ERR_INVALID, "multipart: the body does not start with the boundary");
    enum err_code rc = parts(body, delim.len - 2, delim, a, out, err);
    if (rc)
        out->n = 0;
    return rc;
}

const struct http_part *http_multipart_get(const struct http_multipart *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (str_eq_cstr(m->parts[i].name, name))
            return &m->parts[i];
    return NULL;
}

enum err_code http_multipart_field(const struct http_multipart *m, const char *name,
                                   struct str *out)
{
    const struct http_part *p = http_multipart_get(m, name);
    if (!p || p->is_file)
        return ERR_NOTFOUND;
    if (!utf8_valid(p->body.ptr, p->body.len) || memchr(p->body.ptr, '\0', p->body.len))
        return ERR_INVALID;
    *out = p->body;
    return ERR_OK;
}

bool http_request_is_multipart(const struct request *req)
{
    struct str b;
    return http_multipart_boundary(http_request_header(req, "content-type"), &b);
}
