/* A real Varnish in front of test servers (varnish.h). */
#include "varnish.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The VCL of varnish_start, written to dir/newsdesk.vcl. */
static void write_vcl(const char *dir, const int *backends, size_t n, char path[SRV_PATH_MAX])
{
    snprintf(path, SRV_PATH_MAX, "%s/newsdesk.vcl", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f, "cannot write %s", path);
    fprintf(f, "vcl 4.1;\nimport directors;\nimport xkey;\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "backend s%zu { .host = \"127.0.0.1\"; .port = \"%d\"; }\n", i, backends[i]);
    fprintf(f, "acl purgers { \"127.0.0.1\"; }\n"
               "sub vcl_init {\n new rr = directors.round_robin();\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " rr.add_backend(s%zu);\n", i);
    fprintf(f,
            "}\n"
            "sub vcl_recv {\n if (req.method == \"PURGE\") {\n"
            "  if (client.ip !~ purgers) { return (synth(403, \"Forbidden\")); }\n"
            "  if (!req.http.xkey) { return (synth(400, \"No xkey\")); }\n"
            "  set req.http.n-gone = xkey.purge(req.http.xkey);\n"
            "  return (synth(200, \"Purged \" + req.http.n-gone));\n }\n"
            " set req.backend_hint = rr.backend();\n"
            " if (req.http.Authorization || req.http.Cookie ~ \"nd_session=\") "
            "{ return (pass); }\n unset req.http.Cookie;\n}\n"
            "sub vcl_backend_response {\n set beresp.http.X-Backend = beresp.backend.name;\n"
            " if (!beresp.http.Surrogate-Key) {\n  set beresp.uncacheable = true;\n"
            "  set beresp.ttl = 0s;\n  return (deliver);\n }\n"
            " set beresp.http.xkey = beresp.http.Surrogate-Key;\n}\n"
            "sub vcl_deliver {\n if (obj.hits > 0) { set resp.http.X-Varnish-Cache = \"HIT\"; }\n"
            " else { set resp.http.X-Varnish-Cache = \"MISS\"; }\n unset resp.http.xkey;\n}\n");
    fclose(f);
}

/*
 * varnishd in the foreground, by its own PID; -j none runs it as whoever runs the test
 * (root or not) without the privilege-separated jail, which needs the varnish users.
 */
pid_t varnish_start(const char *dir, int port, const int *backends, size_t n)
{
    cr_assert(access(VARNISHD, X_OK) == 0,
              "varnishd is missing (%s): install varnish and varnish-modules "
              "(tools/bootstrap.sh) to test purging",
              VARNISHD);
    char vcl[SRV_PATH_MAX], work[SRV_PATH_MAX], listen[64], log[SRV_PATH_MAX];
    write_vcl(dir, backends, n, vcl);
    snprintf(work, sizeof(work), "%s/varnish", dir);
    snprintf(log, sizeof(log), "%s/varnish.log", dir);
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        FILE *f = freopen(log, "a", stderr);
        (void)f;
        dup2(2, 1);
        execl(VARNISHD, "varnishd", "-F", "-j", "none", "-n", work, "-a", listen, "-f", vcl, "-s",
              "malloc,64m", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 300 && !port_open(port); i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            char *out = sh_out("cat '%s'", log);
            cr_assert_fail("varnishd exited at start:\n%s", out);
        }
        usleep(50 * 1000);
    }
    cr_assert(port_open(port), "varnishd does not listen on %d", port);
    return pid;
}

void varnish_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}
