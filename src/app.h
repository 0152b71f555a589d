/*
 * The process's wiring: what main.c builds at start-up and every handler receives.
 * Not a module: it holds no logic, only the pointers that tie modules together.
 *
 * struct app is created before the server starts and is read-only while it serves.
 * struct worker is one per server thread: its own read connection to the database.
 */
#ifndef APP_H
#define APP_H

#include "http/http.h"

struct api;
struct cache;
struct site;
struct store;

struct app {
    const char *db_path;
    struct site *site;
    struct api *api;     /* the Content API's settings */
    struct cache *cache; /* NULL: every request renders */
};

struct worker {
    unsigned index;
    struct store *store;
};

/** The calling worker's read connection. */
static inline struct store *app_store(const struct request *req)
{
    return ((struct worker *)req->worker)->store;
}

#endif
