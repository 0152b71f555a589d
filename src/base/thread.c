/*
 * Background threads of the server (the scheduler, live updates, WebSub, purges, the
 * change listener), started one way.
 */
#include "base/base.h"

#include <signal.h>

int base_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    int rc = pthread_create(t, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
