#include "staff.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *bin(void)
{
    const char *b = getenv("NEWSDESK_BIN");
    return b ? b : "build/test/newsdesk";
}

int staff_add(struct srv *s, const char *email, const char *name, const char *role,
              const char *password)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "printf '%%s\\n' '%s' | %s user add --db '%s' --email '%s' --name '%s' --role '%s' "
             ">/dev/null 2>&1",
             password, bin(), s->db, email, name, role);
    int st = system(cmd);
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    if (rc == 0)
        srv_login_add(s, email);
    return rc;
}

char *form_enc(const char *s)
{
    char *out = malloc(strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return out;
}

void form_post(const struct srv *s, const char *path, const char *origin, const char *extra,
               const char *body, struct resp *r)
{
    size_t blen = strlen(body);
    size_t cap = blen + 4096;
    char *req = malloc(cap);
    char originh[256] = "";
    if (origin)
        snprintf(originh, sizeof(originh), "Origin: %s\r\n", origin);
    int n = snprintf(req, cap,
                     "POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s"
                     "Content-Type: application/x-www-form-urlencoded\r\n"
                     "Content-Length: %zu\r\n\r\n",
                     path, s->port, originh, extra ? extra : "", blen);
    memcpy(req + n, body, blen);
    http_raw(s, req, (size_t)n + blen, r);
    free(req);
}

static char *cookie_value(const struct resp *r, const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "set-cookie: %s=", name);
    for (const char *p = r->head; *p; p++) {
        if (strncasecmp(p, key, strlen(key)) == 0) {
            p += strlen(key);
            size_t n = strcspn(p, ";\r\n");
            char *v = malloc(n + 1);
            memcpy(v, p, n);
            v[n] = '\0';
            return v;
        }
    }
    return NULL;
}

static void csrf_of(const struct resp *r, char out[64])
{
    const char *p = strstr(r->body, "name=\"csrf\" value=\"");
    out[0] = '\0';
    if (p) {
        p += strlen("name=\"csrf\" value=\"");
        size_t n = strcspn(p, "\"");
        if (n < 64) {
            memcpy(out, p, n);
            out[n] = '\0';
        }
    }
}

int staff_login(const struct srv *s, const char *email, const char *password, struct staff *out)
{
    return staff_login_with(s, email, password, NULL, out);
}

int staff_login_with(const struct srv *s, const char *email, const char *password,
                     const char *headers, struct staff *out)
{
    memset(out, 0, sizeof(*out));
    struct resp r;
    http_req(s, "GET", "/admin/login/", &r);
    char *login = cookie_value(&r, "nd_login");
    char token[64];
    csrf_of(&r, token);
    resp_free(&r);
    cr_assert(login && token[0], "the login form sets a token");
    char origin[64], extra[1024], body[1024];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", s->port);
    snprintf(extra, sizeof(extra), "Cookie: nd_login=%s\r\n%s", login, headers ? headers : "");
    char *e = form_enc(email), *p = form_enc(password);
    snprintf(body, sizeof(body), "csrf=%s&email=%s&password=%s", token, e, p);
    free(e);
    free(p);
    free(login);
    form_post(s, "/admin/login/", origin, extra, body, &r);
    int status = r.status;
    char *session = cookie_value(&r, "nd_session");
    resp_free(&r);
    if (status != 303 || !session) {
        free(session);
        return status;
    }
    snprintf(out->session, sizeof(out->session), "%s", session);
    free(session);
    staff_get(s, out, "/admin/", &r);
    csrf_of(&r, out->csrf);
    resp_free(&r);
    return status;
}

void staff_get(const struct srv *s, const struct staff *st, const char *path, struct resp *r)
{
    /* sized for the path: search tests send queries of many kilobytes */
    char *req;
    int n = asprintf(&req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                     "Cookie: nd_session=%s\r\n\r\n",
                     path, s->port, st->session);
    cr_assert(n > 0);
    http_raw(s, req, (size_t)n, r);
    free(req);
}

void staff_post(const struct srv *s, const struct staff *st, const char *path, const char *form,
                struct resp *r)
{
    char origin[64], extra[256];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", s->port);
    snprintf(extra, sizeof(extra), "Cookie: nd_session=%s\r\n", st->session);
    size_t len = strlen(form) + 128;
    char *body = malloc(len);
    snprintf(body, len, "csrf=%s&%s", st->csrf, form);
    form_post(s, path, origin, extra, body, r);
    free(body);
}

int staff_publish(const struct srv *s, const struct staff *st, const char *title)
{
    char *t = form_enc(title);
    char form[1024];
    snprintf(form, sizeof(form), "title=%s&markdown=Reported.&tags=News+Feed&action=publish", t);
    free(t);
    struct resp r;
    staff_post(s, st, "/admin/posts/new/", form, &r);
    int status = r.status;
    resp_free(&r);
    return status;
}

char *db_query(const struct srv *s, const char *sql)
{
    char cmd[4096];
    /*
     * psql's unaligned tuples-only output is the sqlite3 shell's: columns joined by |. The
     * one SQLite function the tests use that PostgreSQL spells otherwise, group_concat,
     * is string_agg there (every use passes its separator).
     */
    char pg_sql[2048];
    if (s->pg_name[0]) {
        const char *from = sql;
        size_t n = 0;
        for (const char *g; (g = strstr(from, "group_concat(")) && n < sizeof(pg_sql) - 64;
             from = g + 13)
            n += (size_t)snprintf(pg_sql + n, sizeof(pg_sql) - n, "%.*sstring_agg(",
                                  (int)(g - from), from);
        snprintf(pg_sql + n, sizeof(pg_sql) - n, "%s", from);
        snprintf(cmd, sizeof(cmd), "psql -X -A -t -q '%s' -c \"%s\"", s->db, pg_sql);
    } else
        snprintf(cmd, sizeof(cmd), "sqlite3 -cmd '.timeout 5000' '%s' \"%s\"", s->db, sql);
    FILE *f = popen(cmd, "r");
    cr_assert(f);
    char line[4096] = "";
    if (!fgets(line, sizeof(line), f))
        line[0] = '\0';
    pclose(f);
    line[strcspn(line, "\n")] = '\0';
    /* a truth value as the sqlite3 shell prints one */
    if (s->pg_name[0] && (!strcmp(line, "t") || !strcmp(line, "f")))
        return strdup(line[0] == 't' ? "1" : "0");
    return strdup(line);
}

char *db_queryf(const struct srv *s, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return db_query(s, sql);
}

long db_countf(const struct srv *s, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    char *v = db_query(s, sql);
    long n = atol(v);
    free(v);
    return n;
}

long post_id_of(const struct resp *r)
{
    char *loc = resp_header(r, "location");
    long id = 0;
    if (loc && strncmp(loc, "/admin/posts/", 13) == 0)
        id = atol(loc + 13);
    free(loc);
    return id;
}

void staff_save(const struct srv *s, const struct staff *st, long id, const char *form,
                struct resp *r)
{
    char sql[128], path[64];
    snprintf(sql, sizeof(sql), "SELECT coalesce(max(version), 0) FROM posts WHERE id = %ld", id);
    char *version = db_query(s, sql);
    size_t n = strlen(form) + strlen(version) + 16;
    char *body = malloc(n);
    snprintf(body, n, "%s&version=%s", form, version);
    snprintf(path, sizeof(path), "/admin/posts/%ld/", id);
    staff_post(s, st, path, body, r);
    free(body);
    free(version);
}
