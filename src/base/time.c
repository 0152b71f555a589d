/*
 * Times are UTC seconds; the site's zone only matters when a time is shown.
 *
 * The zone is glibc's process-wide one (TZ and tzset()), which knows every zone's rules
 * and history. It can change while serving (a new time zone in the settings applies at
 * once), so every conversion to or from local time holds zone_lock for reading and
 * time_zone_set() holds it for writing while it sets TZ and calls tzset(): a date is
 * formatted wholly in the old zone or wholly in the new one, never with a half-switched
 * state. localtime_r() and mktime() read only what tzset() prepared. setenv() is safe
 * next to them, and nothing else reads the environment while serving (glibc never frees
 * an old TZ string, so even a stray getenv() sees one value or the other).
 */
#include "base.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_rwlock_t zone_lock = PTHREAD_RWLOCK_INITIALIZER;

int64_t time_now(void)
{
    return (int64_t)time(NULL);
}

uint64_t time_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool digits(const char *p, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_zone(const char *p, size_t n, int *offset)
{
    int hh, mm;
    if (n == 1 && (p[0] == 'Z' || p[0] == 'z')) {
        *offset = 0;
        return true;
    }
    if ((n != 6 || p[3] != ':') && n != 5)
        return false;
    if (p[0] != '+' && p[0] != '-')
        return false;
    if (!digits(p + 1, 2, &hh) || !digits(p + n - 2, 2, &mm) || hh > 23 || mm > 59)
        return false;
    *offset = (hh * 3600 + mm * 60) * (p[0] == '-' ? -1 : 1);
    return true;
}

static bool valid_date(int y, int mo, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[mo - 1] + (mo == 2 && leap);
}

/* A checked calendar date and clock time in UTC as seconds; a leap second counts as :59. */
static int64_t utc_seconds(int y, int mo, int d, int hh, int mi, int ss)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = hh;
    tm.tm_min = mi;
    tm.tm_sec = ss > 59 ? 59 : ss;
    return (int64_t)timegm(&tm);
}

bool time_parse_iso(struct str s, int64_t *out)
{
    const char *p = s.ptr;
    size_t n = s.len;
    int y, mo, d, hh = 0, mi = 0, ss = 0, offset = 0;
    if (n < 10 || p[4] != '-' || p[7] != '-' || !digits(p, 4, &y) || !digits(p + 5, 2, &mo) ||
        !digits(p + 8, 2, &d) || !valid_date(y, mo, d))
        return false;
    size_t i = 10;
    if (i < n) {
        if ((p[i] != 'T' && p[i] != 't' && p[i] != ' ') || n - i < 6 || p[i + 3] != ':')
            return false;
        if (!digits(p + i + 1, 2, &hh) || !digits(p + i + 4, 2, &mi) || hh > 23 || mi > 59)
            return false;
        i += 6;
        if (i < n && p[i] == ':') {
            if (n - i < 3 || !digits(p + i + 1, 2, &ss) || ss > 60)
                return false;
            i += 3;
            if (i < n && p[i] == '.') {
                i++;
                size_t f = i;
                while (i < n && p[i] >= '0' && p[i] <= '9')
                    i++;
                if (i == f)
                    return false;
            }
        }
        if (i < n && !parse_zone(p + i, n - i, &offset))
            return false;
    }
    *out = utc_seconds(y, mo, d, hh, mi, ss) - offset;
    return true;
}

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

bool time_parse_http(struct str s, int64_t *out)
{
    /* "Sun, 06 Nov 1994 08:49:37 GMT": 29 bytes at fixed places */
    const char *p = s.ptr;
    int d, y, hh, mm, ss, mo = -1;
    if (s.len != 29 || p[3] != ',' || p[4] != ' ' || p[7] != ' ' || p[11] != ' ' || p[16] != ' ' ||
        p[19] != ':' || p[22] != ':' || memcmp(p + 25, " GMT", 4) != 0)
        return false;
    for (int i = 0; i < 12; i++)
        if (memcmp(p + 8, months[i], 3) == 0)
            mo = i + 1;
    if (mo < 0 || !digits(p + 5, 2, &d) || !digits(p + 12, 4, &y) || !digits(p + 17, 2, &hh) ||
        !digits(p + 20, 2, &mm) || !digits(p + 23, 2, &ss) || !valid_date(y, mo, d) || hh > 23 ||
        mm > 59 || ss > 60)
        return false;
    *out = utc_seconds(y, mo, d, hh, mm, ss);
    return true;
}

static void utc(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    gmtime_r(&tt, tm);
}

static void local(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    pthread_rwlock_rdlock(&zone_lock);
    localtime_r(&tt, tm);
    pthread_rwlock_unlock(&zone_lock);
}

void time_fmt_iso_utc(int64_t t, char out[32])
{
    struct tm tm;
    utc(t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void time_fmt_http(int64_t t, char out[40])
{
    /* by hand, not strftime: %a and %b follow the locale, HTTP dates must not */
    struct tm tm;
    utc(t, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Writes v as exactly width digits (v >= 0); returns the end. */
static char *put_digits(char *p, long v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + width;
}

static char *put_iso_local(char *p, const struct tm *tm)
{
    long off = tm->tm_gmtoff;
    p = put_digits(p, tm->tm_year + 1900, 4);
    *p++ = '-';
    p = put_digits(p, tm->tm_mon + 1, 2);
    *p++ = '-';
    p = put_digits(p, tm->tm_mday, 2);
    *p++ = 'T';
    p = put_digits(p, tm->tm_hour, 2);
    *p++ = ':';
    p = put_digits(p, tm->tm_min, 2);
    *p++ = ':';
    p = put_digits(p, tm->tm_sec, 2);
    *p++ = off < 0 ? '-' : '+';
    off = off < 0 ? -off : off;
    p = put_digits(p, off / 3600, 2);
    *p++ = ':';
    return put_digits(p, (off % 3600) / 60, 2);
}

/*
 * By hand rather than with snprintf or strftime: a list page formats dozens of dates,
 * and this costs a tenth as much (measured with callgrind on a deep page).
 */
void time_fmt_local(int64_t t, struct time_local *out)
{
    struct tm tm;
    local(t, &tm);
    *put_iso_local(out->iso, &tm) = '\0';
    char *p = put_digits(out->date, tm.tm_mday, tm.tm_mday >= 10 ? 2 : 1);
    *p++ = ' ';
    size_t mlen = strlen(month_names[tm.tm_mon]);
    memcpy(p, month_names[tm.tm_mon], mlen);
    p += mlen;
    *p++ = ' ';
    *put_digits(p, tm.tm_year + 1900, 4) = '\0';
    p = put_digits(out->clock, tm.tm_hour, 2);
    *p++ = ':';
    *put_digits(p, tm.tm_min, 2) = '\0';
}

void time_fmt_iso_local(int64_t t, char out[40])
{
    struct time_local l;
    time_fmt_local(t, &l);
    memcpy(out, l.iso, sizeof(l.iso));
}

void time_fmt_human_date(int64_t t, char out[40])
{
    struct time_local l;
    time_fmt_local(t, &l);
    memcpy(out, l.date, sizeof(l.date));
}

void time_fmt_human_time(int64_t t, char out[16])
{
    struct time_local l;
    time_fmt_local(t, &l);
    memcpy(out, l.clock, sizeof(l.clock));
}

bool time_zone_valid(const char *name)
{
    if (!name || !*name || name[0] == '/' || strstr(name, "..") || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == '_' || c == '-' || c == '+';
        if (!ok)
            return false;
    }
    if (strcmp(name, "UTC") == 0)
        return true;
    char path[128];
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char magic[4] = {0};
    size_t got = fread(magic, 1, 4, f);
    fclose(f);
    return got == 4 && memcmp(magic, "TZif", 4) == 0;
}

static int cmp_str(const void *x, const void *y)
{
    const struct str *a = x, *b = y;
    int c = memcmp(a->ptr, b->ptr, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The third column of each zone line of a zone1970.tab or zone.tab. */
static void zones_of_tab(FILE *f, struct arena *a, struct str *out, size_t max, size_t *n)
{
    char line[1024];
    while (*n < max && fgets(line, sizeof(line), f)) {
        if (line[0] == '#')
            continue;
        char *c1 = strchr(line, '\t'), *c2 = c1 ? strchr(c1 + 1, '\t') : NULL;
        if (!c2)
            continue;
        size_t len = strcspn(c2 + 1, "\t\r\n");
        out[(*n)++] = str_from(arena_strndup(a, c2 + 1, len));
    }
}

size_t time_zone_names(struct arena *a, struct str **out)
{
    enum { MAX = 1000 };
    static const char *const tabs[] = {"/usr/share/zoneinfo/zone1970.tab",
                                       "/usr/share/zoneinfo/zone.tab"};
    struct str *names = arena_calloc(a, MAX, sizeof(*names));
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(tabs) && n == 0; i++) {
        FILE *f = fopen(tabs[i], "r");
        if (f) {
            zones_of_tab(f, a, names, MAX - 1, &n);
            fclose(f);
        }
    }
    names[n++] = STR_LIT("UTC");
    qsort(names, n, sizeof(*names), cmp_str);
    *out = names;
    return n;
}

bool time_zone_set(const char *name)
{
    if (!time_zone_valid(name))
        return false;
    pthread_rwlock_wrlock(&zone_lock);
    setenv("TZ", name, 1);
    tzset();
    pthread_rwlock_unlock(&zone_lock);
    return true;
}

bool time_parse_local(struct str s, int64_t *out)
{
    int64_t as_utc;
    if (!time_parse_iso(s, &as_utc))
        return false;
    /* an explicit zone ("Z", "+02:00") says it all */
    for (size_t i = 10; i < s.len; i++)
        if (s.ptr[i] == 'Z' || s.ptr[i] == 'z' || s.ptr[i] == '+' || s.ptr[i] == '-') {
            *out = as_utc;
            return true;
        }
    /* the same wall-clock reading, in the site's zone */
    time_t t = (time_t)as_utc;
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_isdst = -1;
    pthread_rwlock_rdlock(&zone_lock);
    time_t local = mktime(&tm);
    pthread_rwlock_unlock(&zone_lock);
    if (local == (time_t)-1)
        return false;
    *out = (int64_t)local;
    return true;
}

void time_fmt_input_local(int64_t t, char out[20])
{
    struct tm tm;
    local(t, &tm);
    strftime(out, 20, "%Y-%m-%dT%H:%M", &tm);
}
