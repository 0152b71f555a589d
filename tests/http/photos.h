/*
 * Photos for the tests of what readers and machines see of them: real JPEGs made in the
 * test with the vips CLI (never downloaded), taken in with `newsdesk media add`, and an
 * article that shows them.
 */
#ifndef TEST_PHOTOS_H
#define TEST_PHOTOS_H

#include "harness.h"

#define PHOTO_URL_MAX 512

/**
 * Makes a width × height JPEG of smooth random colour (a photo's size and weight, unlike
 * a flat test card) as `name` in the server's folder; *path names it.
 */
void photo_make(const struct srv *s, const char *name, int width, int height,
                char path[SRV_PATH_MAX]);
/** `newsdesk media add` of file with alt text (NULL: --decorative), the rest as given
 * (NULL: none); url receives the printed URL. Fails the test if the command fails. */
void photo_add(const struct srv *s, const char *file, const char *alt, const char *caption,
               const char *credit, char url[PHOTO_URL_MAX]);
/** The 16 hex digits of url's key ("/content/images/KEY/..."). */
void photo_key(const char *url, char key[17]);

/* The article the tests read: a feature image and three body photos, at /photo-story/. */
struct photo_story {
    char feature[PHOTO_URL_MAX];
    char body[3][PHOTO_URL_MAX];
};
/** Makes the four photos, adds them and the article (before the server starts). */
void photo_story_add(const struct srv *s, struct photo_story *out);

#endif
