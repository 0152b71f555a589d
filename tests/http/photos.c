#include "photos.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void photo_make(const struct srv *s, const char *name, int width, int height,
                char path[SRV_PATH_MAX])
{
    char cmd[4096];
    int w = width / 20 > 0 ? width / 20 : 1, h = height / 20 > 0 ? height / 20 : 1;
    snprintf(path, SRV_PATH_MAX, "%s/%s", s->dir, name);
    /*
     * noise a twentieth of the size, enlarged: soft blotches of colour that the encoders
     * code as they code a photo (about 750 KB of JPEG at 3000 × 2000, about 100 KB of
     * WebP at 960 px wide), made in about a second
     */
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && for c in r g b; do vips gaussnoise n$c.v %d %d --mean 128 --sigma 50 "
             "|| exit 1; done && vips bandjoin 'nr.v ng.v nb.v' s.v && "
             "vips resize s.v big.v %f --vscale %f --kernel cubic && vips cast big.v u.v uchar && "
             "vips copy u.v '%s[Q=85]' --interpretation srgb && rm -f n?.v s.v big.v u.v",
             s->dir, w, h, (double)width / w, (double)height / h, name);
    cr_assert_eq(system(cmd), 0, "vips cannot make %s", name);
}

void photo_add(const struct srv *s, const char *file, const char *alt, const char *caption,
               const char *credit, char url[PHOTO_URL_MAX])
{
    char *out = NULL, *err = NULL;
    const char *cap = caption ? caption : "", *cred = credit ? credit : "";
    int rc = alt ? run_newsdesk(&out, &err, "media", "add", "--db", s->db, file, "--alt", alt,
                                "--caption", cap, "--credit", cred, NULL)
                 : run_newsdesk(&out, &err, "media", "add", "--db", s->db, file, "--decorative",
                                "--caption", cap, "--credit", cred, NULL);
    cr_assert_eq(rc, 0, "media add %s: %s", file, err ? err : "");
    const char *u = out ? strstr(out, "/content/images/") : NULL;
    cr_assert(u, "media add printed no URL: %s", out ? out : "");
    size_t n = strcspn(u, " \r\n");
    cr_assert_lt(n, (size_t)PHOTO_URL_MAX);
    memcpy(url, u, n);
    url[n] = '\0';
    free(out);
    free(err);
}

void photo_key(const char *url, char key[17])
{
    const char *k = strstr(url, "/content/images/");
    cr_assert(k);
    k += strlen("/content/images/");
    memcpy(key, k, 16);
    key[16] = '\0';
}

void photo_story_add(const struct srv *s, struct photo_story *out)
{
    static const char *const names[] = {"harbour-at-dawn.jpg", "fire-on-pier.jpg",
                                        "crowd-on-quay.jpg", "boats.jpg"};
    static const int sizes[][2] = {{3000, 2000}, {2400, 1600}, {2000, 3000}, {1600, 1200}};
    char path[SRV_PATH_MAX];
    photo_make(s, names[0], sizes[0][0], sizes[0][1], path);
    photo_add(s, path, "Fishing boats moored in the harbour at dawn", NULL,
              "Photo: Ana Reporter / Newsdesk", out->feature);
    for (int i = 0; i < 3; i++) {
        photo_make(s, names[i + 1], sizes[i + 1][0], sizes[i + 1][1], path);
        photo_add(s, path, i == 2 ? NULL : "Smoke rises over the pier as crews work",
                  "Firefighters on the pier at noon", "Photo: Bo Stringer", out->body[i]);
    }
    char md[8192];
    snprintf(md, sizeof(md),
             "---\ntitle: Fire on the harbour pier\nslug: photo-story\n"
             "tags: [News Feed]\nfeature_image: %s\n"
             "feature_image_alt: Fishing boats in the harbour before the fire\n"
             "feature_image_caption: The harbour at dawn, hours before the fire\n---\n"
             "A fire broke out on the harbour pier on Monday morning. Crews from three "
             "stations worked for four hours to bring it under control.\n\n"
             "![Smoke over the pier](%s \"Smoke over the pier at noon\")\n\n"
             "Fishermen moved their boats out of the harbour as the smoke spread across the "
             "water. Nobody was hurt, the port authority said.\n\n"
             "![Crowds on the quay](%s)\n\n"
             "By the afternoon, crowds had gathered on the quay to watch the crews.\n\n"
             "![](%s)\n\nThe pier will stay closed until engineers have checked it.\n",
             out->feature, out->body[0], out->body[1], out->body[2]);
    srv_add_post(s, "photo-story.md", md);
}
