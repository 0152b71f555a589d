/*
 * sqlmap (Debian's package) against the reader's search, /search/?q=, on this test's own
 * server on 127.0.0.1: boolean, error, UNION, stacked and time-based techniques at level 2,
 * risk 1, about ten seconds. It must find nothing injectable: the query reaches the index
 * only as bound, quoted terms (search/, store/search.c). docs/security.md shows a run.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct srv srv;
/* sqlmap sends hundreds of distinct queries in seconds: the per-address limit would answer */
static const char *const no_limit[] = {"--search-limit", "0", NULL};
HTTP_SUITE(http_sqlmap, srv, 240, .posts = 5, .serve_args = no_limit);

Test(http_sqlmap, search_query_is_not_injectable)
{
    char out[SRV_PATH_MAX + 16], cmd[2048];
    snprintf(out, sizeof(out), "%s/sqlmap.txt", srv.dir);
    snprintf(cmd, sizeof(cmd),
             "timeout 200 sqlmap -u 'http://127.0.0.1:%d/search/?q=kyiv' -p q --batch "
             "--level 2 --risk 1 --timeout 10 --retries 0 --threads 2 --disable-coloring "
             "--flush-session --output-dir '%s/sqlmap' >'%s' 2>&1 </dev/null",
             srv.port, srv.dir, out);
    int status = system(cmd);
    size_t len;
    char *text = file_slurp(out, &len);
    cr_assert(status != -1 && !strstr(text, "command not found"), "cannot run sqlmap:\n%s", text);
    cr_expect(strstr(text, "all tested parameters do not appear to be injectable"),
              "sqlmap did not conclude (status %d):\n%s", status, text);
    cr_expect(!strstr(text, "identified the following injection point"),
              "sqlmap found an injection:\n%s", text);
    cr_expect(!strstr(text, "CRITICAL"), "sqlmap could not test:\n%s", text);
    free(text);
}
