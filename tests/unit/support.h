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

/* A new database (store_open with STORE_CREATE) in a temporary folder of its own. */
struct test_db {
    char dir[64];
    char path[128];
    struct store *st;
};

/** Creates and opens it; fails the test when it cannot. */
void test_db_open(struct test_db *db);
/** Closes it and removes its folder. */
void test_db_close(struct test_db *db);

/** unit written n times over, NUL-terminated. Caller frees. */
char *test_repeat(const char *unit, size_t n);
/** Reads a whole file; aborts the test on failure. Caller frees. */
char *test_read_file(const char *path, size_t *len);
/** Parses every example of a spec file. Caller frees with spec_free(). */
struct spec_example *spec_load(const char *path, size_t *n);
void spec_free(struct spec_example *ex, size_t n);

#endif
