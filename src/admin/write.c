/*
 * The editor's writes: the one write connection, in a transaction, under app.write_mu.
 * Every admin handler that writes goes through these two functions, and only they know
 * how a transaction is begun and ended, so a change of how (store/'s own transaction
 * API) is a change here alone.
 */
#include "admin/admin_int.h"

struct store *admin_write_begin(struct app *app, struct err *err)
{
    pthread_mutex_lock(&app->write_mu);
    if (store_begin(app->writer, err)) {
        pthread_mutex_unlock(&app->write_mu);
        return NULL;
    }
    return app->writer;
}

enum err_code admin_write_end(struct app *app, enum err_code rc, struct err *err)
{
    if (!rc)
        rc = store_commit(app->writer, err);
    if (rc)
        store_rollback(app->writer);
    pthread_mutex_unlock(&app->write_mu);
    return rc;
}
