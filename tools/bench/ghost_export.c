/*
 * A Ghost 5 export of N generated posts with the shape of the real one in
 * ../shared/import-fixtures (the same tables, columns, id and date formats, rendered html,
 * __GHOST_URL__ links, internal tag, several authors, posts_meta), for `make bench`'s import
 * figures and the constant-memory check:
 *
 *     build/ghost-export-gen N [BODY_BYTES] > export.json
 *
 * BODY_BYTES (default 1500) is the approximate size of each post's html; 1 GB of export is
 * about 400,000 posts at 2,000 bytes. No library beyond libc: it builds on any machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAGS 10
#define USERS 4

static const char *const words[] = {
    "council", "budget",  "river",  "bridge", "metro",   "energy", "winter",  "market",
    "school",  "reports", "city",   "night",  "service", "repair", "station", "harbour",
    "week",    "mayor",   "street", "lamps",  "evening", "north",  "plan",    "vote"};

static void id(char out[25], unsigned kind, unsigned long n)
{
    snprintf(out, 25, "6b07%04x%016lx", kind, n);
}

static void date(char out[64], unsigned long n)
{
    /* a post every 17 minutes from 2015-01-01 */
    long t = 1420070400L + (long)n * 1020L;
    long days = t / 86400, secs = t % 86400;
    /* civil from days (Howard Hinnant's algorithm) */
    long z = days + 719468, era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, 64, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld", y + (m <= 2), m, d, secs / 3600,
             secs / 60 % 60, secs % 60);
}

static void body(unsigned long n, size_t bytes)
{
    size_t w = n % 24, len = 0;
    fputs("<p>", stdout);
    while (len < bytes) {
        const char *word = words[w++ % 24];
        fputs(word, stdout);
        len += strlen(word) + 1;
        if (w % 61 == 0) {
            fputs(" <a href=\\\"__GHOST_URL__/tag/kyiv/\\\">kyiv</a>", stdout);
            len += 44;
        }
        fputs(w % 97 == 0 ? ".</p><p>" : " ", stdout);
    }
    fputs("end.</p><h2 id=\\\"more\\\">More</h2><blockquote>quoted &amp; kept</blockquote>", stdout);
}

static void post(unsigned long n, size_t bytes)
{
    char pid[25], d[64];
    id(pid, 1, n);
    date(d, n);
    printf("%s{\"id\":\"%s\",\"uuid\":\"%08lx-0000-4000-8000-%012lx\",\"title\":\"%s %s %lu\","
           "\"slug\":\"%s-%s-%lu\",\"mobiledoc\":null,\"lexical\":\"{}\",\"html\":\"",
           n ? "," : "", pid, n, n, words[n % 24], words[(n / 24) % 24], n, words[n % 24],
           words[(n / 24) % 24], n);
    body(n, bytes);
    printf("\",\"comment_id\":\"%s\",\"plaintext\":null,\"feature_image\":null,\"featured\":%d,"
           "\"type\":\"post\",\"status\":\"published\",\"locale\":null,\"visibility\":\"public\","
           "\"email_recipient_filter\":\"all\",\"created_at\":\"%s\",\"updated_at\":\"%s\","
           "\"published_at\":\"%s\",\"custom_excerpt\":%s,\"codeinjection_head\":null,"
           "\"codeinjection_foot\":null,\"custom_template\":null,\"canonical_url\":null,"
           "\"newsletter_id\":null,\"show_title_and_feature_image\":1}",
           pid, n % 50 == 0, d, d, d, n % 3 ? "null" : "\"A short standfirst.\"");
}

static void relations(unsigned long posts)
{
    char pid[25], oid[25];
    printf("],\"posts_tags\":[");
    for (unsigned long n = 0; n < posts; n++) {
        id(pid, 1, n);
        for (unsigned k = 0; k < 2; k++) {
            id(oid, 2, (n + k * 3) % TAGS);
            printf("%s{\"id\":\"%024lx\",\"post_id\":\"%s\",\"tag_id\":\"%s\",\"sort_order\":%u}",
                   n || k ? "," : "", n * 2 + k, pid, oid, k);
        }
    }
    printf("],\"posts_authors\":[");
    for (unsigned long n = 0; n < posts; n++) {
        id(pid, 1, n);
        id(oid, 3, 1 + n % (USERS - 1));
        printf("%s{\"id\":\"%024lx\",\"post_id\":\"%s\",\"author_id\":\"%s\",\"sort_order\":0}",
               n ? "," : "", n, pid, oid);
    }
    printf("],\"posts_meta\":[");
    for (unsigned long n = 0, first = 1; n < posts; n += 100, first = 0) {
        id(pid, 1, n);
        printf("%s{\"id\":\"%024lx\",\"post_id\":\"%s\",\"meta_title\":\"Meta %lu\","
               "\"meta_description\":null,\"og_image\":null,\"og_title\":null,"
               "\"feature_image_alt\":null,\"feature_image_caption\":null}",
               first ? "" : ",", n, pid, n);
    }
}

static void people_and_tags(void)
{
    char uid[25];
    printf("],\"users\":[{\"id\":\"1\",\"name\":\"Site Owner\",\"slug\":\"site\",\"email\":"
           "\"owner@example.com\",\"status\":\"active\",\"bio\":null,\"location\":null}");
    for (unsigned u = 1; u < USERS; u++) {
        id(uid, 3, u);
        printf(",{\"id\":\"%s\",\"name\":\"Reporter %u\",\"slug\":\"reporter-%u\",\"email\":"
               "\"reporter%u@example.com\",\"status\":\"active\",\"bio\":\"Covers the city.\","
               "\"location\":\"Kyiv\"}",
               uid, u, u, u);
    }
    printf("],\"roles\":[{\"id\":\"r1\",\"name\":\"Owner\"},{\"id\":\"r2\",\"name\":\"Author\"}],"
           "\"roles_users\":[{\"id\":\"x1\",\"role_id\":\"r1\",\"user_id\":\"1\"}");
    for (unsigned u = 1; u < USERS; u++) {
        id(uid, 3, u);
        printf(",{\"id\":\"x%u\",\"role_id\":\"r2\",\"user_id\":\"%s\"}", u + 1, uid);
    }
    printf("],\"tags\":[");
    for (unsigned t = 0; t < TAGS; t++) {
        id(uid, 2, t);
        printf("%s{\"id\":\"%s\",\"name\":\"%s%s\",\"slug\":\"%s%s\",\"description\":null,"
               "\"visibility\":\"%s\"}",
               t ? "," : "", uid, t == 9 ? "#" : "", t == 9 ? "breaking" : words[t],
               t == 9 ? "hash-" : "", t == 9 ? "breaking" : words[t], t == 9 ? "internal" : "public");
    }
    printf("],\"settings\":[{\"id\":\"s1\",\"group\":\"site\",\"key\":\"title\",\"value\":"
           "\"Generated Newsroom\",\"type\":\"string\"},{\"id\":\"s2\",\"group\":\"site\","
           "\"key\":\"timezone\",\"value\":\"Etc/UTC\",\"type\":\"string\"}]");
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: ghost-export-gen POSTS [BODY_BYTES] > export.json\n");
        return 2;
    }
    unsigned long posts = strtoul(argv[1], NULL, 10);
    size_t bytes = argc == 3 ? strtoul(argv[2], NULL, 10) : 1500;
    printf("{\"db\":[{\"meta\":{\"exported_on\":1795657386169,\"version\":\"5.130.6\"},"
           "\"data\":{\"newsletters\":[],\"posts\":[");
    for (unsigned long n = 0; n < posts; n++)
        post(n, bytes);
    relations(posts);
    people_and_tags();
    printf("}}]}");
    return ferror(stdout) ? 1 : 0;
}
