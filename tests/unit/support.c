#include "support.h"

#include "store/store.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *test_repeat(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    cr_assert(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "cannot open '%s'", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    cr_assert(p);
    cr_assert(fread(p, 1, (size_t)n, f) == (size_t)n);
    p[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return p;
}

#define FENCE "````````````````````````````````"

static char *untab(const char *p, size_t n)
{
    /* "→" (E2 86 92) stands for a tab */
    char *out = malloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 2 < n && (unsigned char)p[i] == 0xE2 && (unsigned char)p[i + 1] == 0x86 &&
            (unsigned char)p[i + 2] == 0x92) {
            out[j++] = '\t';
            i += 2;
        } else {
            out[j++] = p[i];
        }
    }
    out[j] = '\0';
    return out;
}

struct spec_example *spec_load(const char *path, size_t *n)
{
    char *text = test_read_file(path, NULL);
    struct spec_example *ex = NULL;
    size_t count = 0;
    int line = 1;
    char *p = text;
    while (*p) {
        char *eol = strchr(p, '\n');
        size_t llen = eol ? (size_t)(eol - p) : strlen(p);
        if (strncmp(p, FENCE " example", strlen(FENCE " example")) == 0) {
            int open_line = line;
            char *name = p + strlen(FENCE " example");
            while (*name == ' ')
                name++;
            char *nm = strndup(name, (size_t)(p + llen - name));
            p = eol ? eol + 1 : p + llen;
            line++;
            char *in_start = p, *in_end = NULL, *exp_start = NULL, *exp_end = NULL;
            while (*p) {
                char *e = strchr(p, '\n');
                size_t l = e ? (size_t)(e - p) : strlen(p);
                if (!in_end && l == 1 && p[0] == '.') {
                    in_end = p;
                    exp_start = e ? e + 1 : p + l;
                } else if (in_end && l == strlen(FENCE) && strncmp(p, FENCE, l) == 0) {
                    exp_end = p;
                    p = e ? e + 1 : p + l;
                    line++;
                    break;
                }
                p = e ? e + 1 : p + l;
                line++;
            }
            cr_assert(in_end && exp_end, "%s:%d: unterminated example", path, open_line);
            ex = realloc(ex, (count + 1) * sizeof(*ex));
            ex[count].name = nm;
            ex[count].input = untab(in_start, (size_t)(in_end - in_start));
            ex[count].expected = untab(exp_start, (size_t)(exp_end - exp_start));
            ex[count].line = open_line;
            count++;
            continue;
        }
        p = eol ? eol + 1 : p + llen;
        line++;
    }
    free(text);
    *n = count;
    return ex;
}

void spec_free(struct spec_example *ex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ex[i].name);
        free(ex[i].input);
        free(ex[i].expected);
    }
    free(ex);
}

void test_db_make(struct test_db *d, const char *prefix)
{
    snprintf(d->dir, sizeof(d->dir), "/tmp/%s-XXXXXX", prefix);
    cr_assert(mkdtemp(d->dir), "cannot make a directory under /tmp");
    snprintf(d->path, sizeof(d->path), "%s/t.db", d->dir);
}

void test_db_remove(const struct test_db *d)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
    cr_assert(system(cmd) == 0);
}

void test_db_open(struct test_db *db)
{
    test_db_make(db, "ndunit");
    struct err err = {0};
    cr_assert_eq(store_open(db->path, STORE_CREATE, &db->st, &err), ERR_OK, "%s", err.msg);
}

void test_db_close(struct test_db *db)
{
    store_close(db->st);
    db->st = NULL;
    test_db_remove(db);
}
