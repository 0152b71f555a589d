/*
 * The store suites' fixture: each test gets a new database (created, so migrated to the
 * current schema) in its own temporary directory, and an arena. Included by one test
 * file each: its statics are that file's.
 */
#ifndef TEST_STORE_FIXTURE_H
#define TEST_STORE_FIXTURE_H

#include "store/store.h"
#include "support.h"

#include <criterion/criterion.h>

static struct test_db db;
static struct store *st;
static struct arena a;

static void setup(void)
{
    test_db_make(&db, "ndstore");
    struct err err = {0};
    cr_assert_eq(store_open(db.path, STORE_CREATE, &st, &err), ERR_OK, "%s", err.msg);
    arena_init(&a);
}

static void teardown(void)
{
    store_close(st);
    arena_release(&a);
    test_db_remove(&db);
}

#endif
