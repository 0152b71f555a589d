/*
 * A PostgreSQL cluster of a test's own (tools/pg-cluster.sh: initdb in a temporary folder,
 * a Unix socket there), for the tests of several servers and of migrate.
 */
#ifndef TEST_CLUSTER_H
#define TEST_CLUSTER_H

/**
 * Starts a cluster in a new folder under /tmp (dir gets its path) and returns the URL of
 * its database "newsdesk" (malloc'd). It is stopped whatever becomes of the test's
 * process (an assertion, a crash, a timeout); pg_cluster_stop stops it sooner.
 */
char *pg_cluster_start(char dir[64]);
/** Stops the cluster in dir and removes the folder (nothing when dir is ""). */
void pg_cluster_stop(const char *dir);

#endif
