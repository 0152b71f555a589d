/*
 * Running it for real: the configuration file and its checker, flags over the file,
 * links when no public address is set, https over HTTP/1.1 and HTTP/2 with a
 * certificate made here, old protocols and weak ciphers refused, the plain-http
 * redirect, HSTS, SIGHUP reloading the theme and the certificate under wrk's load,
 * request ids, the JSON access log and SIGUSR1 reopening the logs.
 */
#include "harness.h"
#include "staff.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BIN "\"${NEWSDESK_BIN:-build/test/newsdesk}\""

static struct srv srv;

HTTP_SUITE(http_ops, srv, 180, .posts = 3, .prepare_only = true);

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

/* A self-signed certificate for 127.0.0.1 in dir/NAME.crt and NAME.key. */
static void make_cert(const char *name, int days)
{
    char *out = sh_out("cd '%s' && openssl req -x509 -newkey rsa:2048 -nodes -keyout %s.key "
                       "-out %s.crt -days %d -subj /CN=127.0.0.1 "
                       "-addext subjectAltName=IP:127.0.0.1 2>&1 >/dev/null || echo failed",
                       srv.dir, name, name, days);
    cr_assert(!strstr(out, "failed"), "openssl: %s", out);
    free(out);
}

static void start_tls(const char *const *more)
{
    make_cert("site", 30);
    static char cert[400], key[400];
    snprintf(cert, sizeof(cert), "%s/site.crt", srv.dir);
    snprintf(key, sizeof(key), "%s/site.key", srv.dir);
    const char *args[24] = {"--tls-cert", cert, "--tls-key", key};
    size_t n = 4;
    for (size_t i = 0; more && more[i] && n < 23; i++)
        args[n++] = more[i];
    srv_start_args(&srv, args);
}

Test(http_ops, config_check_names_every_bad_line)
{
    char path[400];
    snprintf(path, sizeof(path), "%s/bad.conf", srv.dir);
    char longline[300];
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = '\0';
    char text[1200];
    snprintf(text, sizeof(text),
             "# a comment\n"
             "db = site.db\n"
             "threads = 0\n"
             "no equals sign here\n"
             "cache-mb = lots\n"
             "colour = blue\n"
             "db = other.db\n"
             "config = /etc/x\n"
             "theme = %s\n",
             longline);
    write_file(path, text);
    char *out = NULL, *err = NULL;
    int rc = run_newsdesk(&out, &err, "config", "check", path, NULL);
    cr_expect_eq(rc, 1, "a bad file fails: %s %s", out, err);
    const char *want[] = {":3: threads must be a number from 1 to 256",
                          ":5: cache-mb must be a number of MiB",
                          ":6: unknown setting 'colour'",
                          ":7: 'db' is set a second time",
                          ":8: 'config' is for the command line only",
                          ":9: this line is longer than"};
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_expect(strstr(out, want[i]), "names '%s':\n%s", want[i], out);
    free(out);
    free(err);
    /* the server refuses it too, with the same messages, and starts nothing */
    rc = run_newsdesk(&out, &err, "serve", "--config", path, NULL);
    cr_expect_eq(rc, 1, "serve refuses it: %s", err);
    cr_expect(strstr(err, ":6: unknown setting 'colour'") && strstr(err, "nothing was started"),
              "%s", err);
    free(out);
    free(err);
    /* a good one */
    snprintf(text, sizeof(text), "db = %s\nlisten = [::1]:8443\ntrust-proxy = yes\n", srv.db);
    write_file(path, text);
    rc = run_newsdesk(&out, &err, "config", "check", path, NULL);
    cr_expect_eq(rc, 0, "%s %s", out, err);
    cr_expect(strstr(out, "good"), "%s", out);
    free(out);
    free(err);
    /* settings that only make sense together */
    snprintf(text, sizeof(text), "db = %s\nredirect-listen = 127.0.0.1:80\n", srv.db);
    write_file(path, text);
    rc = run_newsdesk(&out, &err, "config", "check", path, NULL);
    cr_expect_eq(rc, 1);
    cr_expect(strstr(out, "needs --tls-cert"), "%s", out);
    free(out);
    free(err);
    rc = run_newsdesk(&out, &err, "config", "check", "/nonexistent/newsdesk.conf", NULL);
    cr_expect_eq(rc, 1);
    cr_expect(strstr(out, "No such file"), "%s", out);
    free(out);
    free(err);
}

static void expect_links(const char *origin)
{
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect_eq(r.status, 200);
    char want[200];
    snprintf(want, sizeof(want), "<link rel=\"canonical\" href=\"%s/\"", origin);
    cr_expect(body_has(&r, want), "links name %s", origin);
    resp_free(&r);
}

Test(http_ops, flags_win_over_the_file)
{
    char path[400], text[800];
    snprintf(path, sizeof(path), "%s/site.conf", srv.dir);
    snprintf(text, sizeof(text), "db = %s\nsite-url = https://file.example.org\n", srv.db);
    write_file(path, text);
    /* the file alone (the harness's --db names the same database) */
    srv_start_args(&srv, (const char *const[]){"--config", path, NULL});
    expect_links("https://file.example.org");
    srv_stop(&srv);
    srv_start_args(&srv, (const char *const[]){"--config", path, "--site-url",
                                               "https://flag.example.org", NULL});
    expect_links("https://flag.example.org");
    srv_stop(&srv);
}

Test(http_ops, links_name_the_address_served_when_none_is_set)
{
    free(db_query(&srv, "DELETE FROM settings WHERE key = 'url'"));
    srv_start(&srv);
    char origin[64];
    snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", srv.port);
    expect_links(origin);
    srv_stop(&srv);
    char *n = sh_out("grep -c 'public address is not set' '%s/server.log'", srv.dir);
    cr_expect_eq(atoi(n), 1, "the log says it once (%s)", n);
    free(n);
    /* once the url setting is stored, it wins */
    char *out = NULL, *err = NULL;
    cr_expect_eq(run_newsdesk(&out, &err, "settings", "set", "--db", srv.db, "url",
                              "https://news.example.org", NULL),
                 0, "%s", err);
    free(out);
    free(err);
    srv_start(&srv);
    expect_links("https://news.example.org");
    srv_stop(&srv);
}

Test(http_ops, https_over_http1_and_http2_with_hsts_and_a_redirect)
{
    char redirect[32], hsts[] = "600";
    int rport = free_port();
    snprintf(redirect, sizeof(redirect), "127.0.0.1:%d", rport);
    start_tls((const char *const[]){"--redirect-listen", redirect, "--hsts", hsts, NULL});
    char *v = sh_out("curl -sk --http1.1 -o /dev/null -w '%%{http_version} %%{http_code}' "
                     "https://127.0.0.1:%d/",
                     srv.port);
    cr_expect_str_eq(v, "1.1 200");
    free(v);
    v = sh_out("curl -sk --http2 -o /dev/null -w '%%{http_version} %%{http_code}' "
               "https://127.0.0.1:%d/",
               srv.port);
    cr_expect_str_eq(v, "2 200");
    free(v);
    /* the pages, feeds and the newsroom's login over HTTP/2: each whole, each a 200 */
    const char *paths[] = {"/rss/",           "/atom/",        "/feed.json", "/sitemap.xml",
                           "/search/?q=news", "/admin/login/", "/healthz",   "/opensearch.xml"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        v = sh_out("curl -sk --http2 -o /dev/null -w '%%{http_version} %%{http_code}' "
                   "'https://127.0.0.1:%d%s'",
                   srv.port, paths[i]);
        cr_expect_str_eq(v, "2 200", "%s over HTTP/2", paths[i]);
        free(v);
    }
    /* a live stream over HTTP/2: its header names must be lower case, or the stream is reset */
    v = sh_out("timeout 2 curl -sk --http2 -N https://127.0.0.1:%d/live/ | head -c 12", srv.port);
    cr_expect_str_eq(v, "retry: 5000", "a live stream over HTTP/2");
    free(v);
    /* nghttp2's own client: ALPN picks h2, the page comes whole */
    v = sh_out("nghttp -nv https://127.0.0.1:%d/ 2>&1 | grep -c -e 'negotiated protocol: h2$' "
               "-e ':status: 200'",
               srv.port);
    cr_expect_eq(atoi(v), 2, "nghttp: h2 negotiated and 200 (%s)", v);
    free(v);
    v = sh_out("curl -skI https://127.0.0.1:%d/ | tr -d '\\r' | grep -i "
               "'^strict-transport-security:'",
               srv.port);
    cr_expect(strstr(v, "max-age=600"), "HSTS over https: %s", v);
    free(v);
    /* plain http on the redirect listener: 301 to the same path and query over https */
    v = sh_out("curl -sI 'http://127.0.0.1:%d/tag/news/?page=2' | tr -d '\\r' | "
               "awk 'NR == 1 { print $2 } tolower($1) == \"location:\" { print $2 }' | "
               "paste -sd ' '",
               rport);
    char want[120];
    snprintf(want, sizeof(want), "301 https://127.0.0.1:%d/tag/news/?page=2", srv.port);
    cr_expect_str_eq(v, want);
    free(v);
    /* no HSTS over plain http (RFC 6797 7.2) */
    v = sh_out("curl -sI http://127.0.0.1:%d/ | grep -ci strict-transport || true", rport);
    cr_expect_eq(atoi(v), 0);
    free(v);
    /* plain http to the https port is not served */
    v = sh_out("curl -s -m 5 -o /dev/null -w '%%{http_code}' http://127.0.0.1:%d/ || true",
               srv.port);
    cr_expect_neq(atoi(v), 200, "plain http on the https port: %s", v);
    free(v);
    srv_stop(&srv);
}

Test(http_ops, old_protocols_and_weak_ciphers_are_refused)
{
    start_tls(NULL);
    /* the client is allowed everything (SECLEVEL=0), so only the server can refuse */
    const char *refused[] = {"-tls1 -cipher DEFAULT@SECLEVEL=0",
                             "-tls1_1 -cipher DEFAULT@SECLEVEL=0",
                             "-tls1_2 -cipher AES128-SHA:@SECLEVEL=0",
                             "-tls1_2 -cipher RC4-SHA:DES-CBC3-SHA:@SECLEVEL=0",
                             "-tls1_2 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0"};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        char *v = sh_out("echo | openssl s_client -connect 127.0.0.1:%d %s 2>&1 | "
                         "grep -c 'Cipher is [A-Z]' || true",
                         srv.port, refused[i]);
        cr_expect_eq(atoi(v), 0, "refused: %s", refused[i]);
        free(v);
    }
    const char *accepted[] = {"-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", "-tls1_3"};
    for (size_t i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
        char *v = sh_out("echo | openssl s_client -connect 127.0.0.1:%d %s 2>&1 | "
                         "grep -c 'Cipher is [A-Z]' || true",
                         srv.port, accepted[i]);
        cr_expect_eq(atoi(v), 1, "accepted: %s", accepted[i]);
        free(v);
    }
    srv_stop(&srv);
}

/* The serial of the certificate the server presents now. */
static char *served_serial(void)
{
    return sh_out("echo | openssl s_client -connect 127.0.0.1:%d 2>/dev/null | "
                  "openssl x509 -noout -serial",
                  srv.port);
}

Test(http_ops, sighup_reloads_theme_and_certificate_under_load)
{
    /* a theme of our own to edit, and the certificate's files to replace */
    char *v = sh_out("cp -r \"${NEWSDESK_THEME:-themes/default}\" '%s/theme' && echo ok", srv.dir);
    cr_assert_str_eq(v, "ok");
    free(v);
    char theme[400];
    snprintf(theme, sizeof(theme), "%s/theme", srv.dir);
    start_tls((const char *const[]){"--theme", theme, NULL});
    char *before = served_serial();
    /* wrk keeps 8 connections busy for 6 s while the theme and certificate change twice */
    char wrkout[400];
    snprintf(wrkout, sizeof(wrkout), "%s/wrk.txt", srv.dir);
    v = sh_out("(wrk -t2 -c8 -d6s https://127.0.0.1:%d/ > '%s' 2>&1 &) ; echo started", srv.port,
               wrkout);
    free(v);
    for (int round = 0; round < 2; round++) {
        usleep(1500 * 1000);
        v = sh_out(
            "cd '%s' && sed -i 's|</body>|<p>reloaded %d</p></body>|' theme/partials/foot.html "
            "&& echo ok",
            srv.dir, round);
        cr_expect_str_eq(v, "ok");
        free(v);
        make_cert("site", 60 + round);
        kill(srv.pid, SIGHUP);
    }
    sleep(4);
    char *report = sh_out("cat '%s'", wrkout);
    cr_assert(report && strstr(report, "Requests/sec"), "wrk ran: %s", report ? report : "");
    cr_expect(!strstr(report, "Non-2xx"), "every answer was 200:\n%s", report);
    cr_expect(!strstr(report, "Socket errors"), "no connection failed:\n%s", report);
    free(report);
    char *page = sh_out("curl -sk https://127.0.0.1:%d/", srv.port);
    cr_expect(strstr(page, "reloaded 1"), "the edited theme is served");
    free(page);
    char *after = served_serial();
    cr_expect(strncmp(after, "serial=", 7) == 0 && strcmp(before, after) != 0,
              "the new certificate is presented (%s, then %s)", before, after);
    free(before);
    free(after);
    srv_stop(&srv);
}

Test(http_ops, request_ids_json_access_log_and_sigusr1)
{
    char alog[400], elog[400], moved[400];
    snprintf(alog, sizeof(alog), "%s/access.log", srv.dir);
    snprintf(elog, sizeof(elog), "%s/error.log", srv.dir);
    snprintf(moved, sizeof(moved), "%s/access.log.1", srv.dir);
    srv_start_args(&srv, (const char *const[]){"--access-log", alog, "--access-log-format", "json",
                                               "--error-log", elog, NULL});
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    char *id = resp_header(&r, "x-request-id");
    cr_assert(id && strlen(id) == 16, "X-Request-Id: %s", id ? id : "none");
    resp_free(&r);
    /* the line names the same id, as valid JSON */
    char *line = sh_out("grep '\"request_id\":\"%s\"' '%s'", id, alog);
    cr_expect(strstr(line, "\"method\":\"GET\",\"path\":\"/\"") && strstr(line, "\"status\":200"),
              "%s", line);
    free(line);
    char *ok = sh_out("node -e 'for (const l of require(\"fs\").readFileSync(process.argv[1], "
                      "\"utf8\").trim().split(\"\\n\")) JSON.parse(l); console.log(\"ok\")' '%s' "
                      "2>&1",
                      alog);
    cr_expect_str_eq(ok, "ok");
    free(ok);
    /* a secret never reaches the log: a reset link's token, a preview link's */
    http_req(&srv, "GET", "/admin/reset/s3cr3tt0ken0123456789/", &r);
    resp_free(&r);
    http_req(&srv, "GET", "/admin/?preview_link=s3cr3tpreview", &r);
    resp_free(&r);
    /* logrotate moves the file, then SIGUSR1: new lines go to a new file */
    cr_assert(rename(alog, moved) == 0);
    kill(srv.pid, SIGUSR1);
    usleep(300 * 1000);
    http_req(&srv, "GET", "/healthz", &r);
    resp_free(&r);
    usleep(200 * 1000);
    char *n = sh_out("grep -c healthz '%s'; grep -c healthz '%s' || true", alog, moved);
    cr_expect_str_eq(n, "1\n0", "the new line went to the new file");
    free(n);
    n = sh_out("cat '%s' '%s' '%s' | grep -c -e s3cr3t || true", alog, moved, elog);
    cr_expect_eq(atoi(n), 0, "no secret in any log");
    free(n);
    n = sh_out("grep -c 'logs reopened' '%s'", elog);
    cr_expect_eq(atoi(n), 1, "the error log went to its file and was reopened (%s)", n);
    free(n);
    free(id);
    srv_stop(&srv);
}
