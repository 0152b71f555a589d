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
    test_db_open(&db);
    st = db.st;
    arena_init(&a);
}

static void teardown(void)
{
    test_db_close(&db);
    arena_release(&a);
}

#endif
