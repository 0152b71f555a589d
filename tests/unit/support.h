/*
 * Helpers shared by the unit tests: reading files and golden-data examples.
 *
 * Golden data lives in tests/spec/<area>/NAME.txt in cmark's example format:
 *
 *   ```````````````````````````````` example name of the case
 *   input bytes
 *   .
 *   expected bytes
 *   ````````````````````````````````
 *
 * A "→" in either part stands for a tab, as in cmark's spec.
 */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stddef.h>

struct spec_example {
    char *name;     /* text after "example", may be empty */
    char *input;    /* NUL-terminated */
    char *expected; /* NUL-terminated */
    int line;       /* line of the opening fence */
};

struct store;

/** unit written n times over, NUL-terminated. Caller frees. */
char *test_repeat(const char *unit, size_t n);
/** Reads a whole file; aborts the test on failure. Caller frees. */
char *test_read_file(const char *path, size_t *len);
/** Parses every example of a spec file. Caller frees with spec_free(). */
struct spec_example *spec_load(const char *path, size_t *n);
void spec_free(struct spec_example *ex, size_t n);

/* A temporary directory for a test's database ("<dir>/t.db"), and the database once open. */
struct test_db {
    char dir[64];
    char path[128];
    struct store *st; /* test_db_open's connection; NULL after test_db_make alone */
};

/** Makes a fresh directory under /tmp named after prefix; aborts the test on failure. */
void test_db_make(struct test_db *d, const char *prefix);
/** Removes the directory and every file in it. */
void test_db_remove(const struct test_db *d);
/** test_db_make, then a new database there (store_open with STORE_CREATE) in db->st. */
void test_db_open(struct test_db *db);
/** Closes db->st and removes the directory. */
void test_db_close(struct test_db *db);

#endif
