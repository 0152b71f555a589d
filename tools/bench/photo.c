/*
 * `make bench`'s photo figures: the media engine on one photo, as the worker runs it.
 *
 *   build/photo-bench PHOTO.jpg DB_DIR ROUNDS
 *
 * Each round stores PHOTO as an upload in a new database in DB_DIR and runs media_work on
 * it (the stripped original, then every rendition, each stored), timing the original and
 * the renditions apart with media_make_original/media_make_renditions on the same bytes.
 * Per round it prints one tab-separated line:
 *
 *   cpu_orig_s  cpu_rend_s  cpu_work_s  wall_work_s  base_mb  peak_added_mb  after_added_mb
 *   renditions  rendition_bytes
 *
 * CPU is the process's user + system time (getrusage), so libvips's own threads count.
 * Peak memory is VmHWM after resetting it (/proc/self/clear_refs "5") less the resident
 * size before the round; "after" is the resident size once the round's memory is freed
 * and malloc_trim has run, less the same baseline.
 */
#include "media/media_int.h"
#include "store/store.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double cpu_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double wall_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A field of /proc/self/status in MB ("VmRSS", "VmHWM"). */
static double status_mb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double kb = 0;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof(line), f))
        if (!strncmp(line, field, n) && line[n] == ':')
            kb = strtod(line + n + 1, NULL);
    if (f)
        fclose(f);
    return kb / 1024;
}

static void reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}

static void *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = malloc((size_t)n);
    *len = p && fread(p, 1, (size_t)n, f) == (size_t)n ? (size_t)n : 0;
    fclose(f);
    return p;
}

struct tally {
    int n;
    size_t bytes;
};

static enum err_code count(void *ctx, int width, enum media_format format,
                           const struct media_blob *b, struct err *err)
{
    (void)width, (void)format, (void)err;
    struct tally *t = ctx;
    t->n++;
    t->bytes += b->len;
    return ERR_OK;
}

/* The photo as media_add leaves it: a row and its upload, not ready. */
static enum err_code add_upload(struct store *st, const void *p, size_t len, struct err *err)
{
    struct media_probe pr;
    enum err_code rc = media_probe(p, len, 0, 0, &pr, err);
    if (rc)
        return rc;
    struct media_item m = {.key = "0123456789abcdef", .name = STR_LIT("bench"),
                           .source = pr.format, .format = pr.alpha ? MEDIA_PNG : MEDIA_JPEG,
                           .width = pr.width, .height = pr.height, .alt = STR_LIT("bench")};
    int64_t id;
    rc = store_tx_begin(st, err);
    if (rc)
        return rc;
    rc = store_media_insert(st, &m, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                            &id, err);
    if (!rc)
        rc = store_media_file_put(st, id, "upload", media_mime(pr.format), pr.width, pr.height, p,
                                  len, err);
    return store_tx_end(st, rc, err);
}

/* The original and the renditions timed apart, on the process functions alone. */
static enum err_code phases(const void *p, size_t len, double *orig_s, double *rend_s,
                            struct tally *t, struct err *err)
{
    double c0 = cpu_now();
    struct media_blob b;
    enum err_code rc = media_make_original(p, len, MEDIA_JPEG, false, &b, err);
    double c1 = cpu_now();
    if (!rc)
        rc = media_make_renditions(b.data, b.len, MEDIA_JPEG, media_rendition_formats(), count, t,
                                   err);
    *orig_s = c1 - c0;
    *rend_s = cpu_now() - c1;
    media_blob_free(&b);
    return rc;
}

static int round_once(struct media *m, const void *p, size_t len, const char *dir, int i)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/photo-%d.db", dir, i);
    struct err err = {0};
    struct store *st = NULL;
    malloc_trim(0);
    double base = status_mb("VmRSS");
    reset_peak();
    double orig_s = 0, rend_s = 0;
    struct tally t = {0};
    enum err_code rc = phases(p, len, &orig_s, &rend_s, &t, &err);
    if (!rc)
        rc = store_open(path, STORE_CREATE, &st, &err);
    if (!rc)
        rc = add_upload(st, p, len, &err);
    double c0 = cpu_now(), w0 = wall_now();
    if (!rc)
        rc = media_work(m, st, STR_LIT("0123456789abcdef"), &err);
    double work_cpu = cpu_now() - c0, work_wall = wall_now() - w0;
    double peak = status_mb("VmHWM");
    store_close(st);
    if (rc) {
        fprintf(stderr, "photo-bench: %s\n", err.msg);
        return 1;
    }
    malloc_trim(0);
    double after = status_mb("VmRSS");
    printf("%.3f\t%.3f\t%.3f\t%.3f\t%.1f\t%.1f\t%.1f\t%d\t%zu\n", orig_s, rend_s, work_cpu,
           work_wall, base, peak - base, after - base, t.n, t.bytes);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s PHOTO DB_DIR ROUNDS\n", argv[0]);
        return 2;
    }
    size_t len = 0;
    void *p = read_all(argv[1], &len);
    if (!p || !len) {
        fprintf(stderr, "photo-bench: cannot read %s\n", argv[1]);
        return 1;
    }
    struct media *m;
    struct err err = {0};
    struct media_config cfg = {0};
    if (media_new(&cfg, &m, &err)) {
        fprintf(stderr, "photo-bench: %s\n", err.msg);
        return 1;
    }
    int rc = 0;
    for (int i = 0; i < atoi(argv[3]) && !rc; i++)
        rc = round_once(m, p, len, argv[2], i);
    media_free(m);
    free(p);
    return rc;
}
