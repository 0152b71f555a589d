/* A PostgreSQL cluster of a test's own (cluster.h). */
#include "cluster.h"

#include "harness.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The cluster is stopped whatever becomes of this test's process: a watchdog waits for
 * the end of a pipe only this process holds (close-on-exec: the servers and shells it
 * starts do not inherit it) and then stops the cluster, so an assertion in the setup, a
 * crash or a timeout leaves no PostgreSQL running. After pg_cluster_stop it finds nothing.
 */
static void cluster_watch(const char *dir)
{
    int p[2];
    cr_assert(pipe2(p, O_CLOEXEC) == 0);
    pid_t w = fork();
    cr_assert(w >= 0);
    if (w == 0) {
        close(p[1]);
        char c;
        while (read(p[0], &c, 1) > 0)
            ;
        execl("/bin/sh", "sh", "-c", "tools/pg-cluster.sh stop \"$0\" >/dev/null 2>&1", dir,
              (char *)NULL);
        _exit(0);
    }
    close(p[0]); /* p[1] stays open for as long as this process lives */
}

char *pg_cluster_start(char dir[64])
{
    snprintf(dir, 64, "/tmp/ndpgt-XXXXXX");
    cr_assert(mkdtemp(dir));
    rmdir(dir); /* the script makes it, and refuses one that exists */
    cluster_watch(dir);
    char *url = sh_out("tools/pg-cluster.sh start %s 2>&1", dir);
    cr_assert(!strncmp(url, "postgresql://", 13), "no cluster: %s", url);
    return url;
}

void pg_cluster_stop(const char *dir)
{
    if (dir[0] && sh_status("tools/pg-cluster.sh stop %s", dir) != 0)
        fprintf(stderr, "cannot stop the cluster in %s\n", dir);
}
