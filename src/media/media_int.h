/*
 * Shared only by the files of src/media/: the processing engine (process.c: libvips),
 * the work queue (worker.c), and the store's media tables as media.c and serve.c use them.
 */
#ifndef MEDIA_INT_H
#define MEDIA_INT_H

#include "media/media.h"

/* ---- processing (process.c): pure functions over bytes, thread-safe ----------------- */

/* What an upload is, read from its header alone (no pixel decoded). */
struct media_probe {
    enum media_format format;
    int width, height; /* upright: swapped when the EXIF orientation turns it */
    bool alpha;
    bool animated;     /* an animated GIF or WebP: its first frame is what is kept */
    char removed[256]; /* as struct media_item.removed: what stripping will take away */
};

/**
 * Sniffs and reads the header: ERR_UNSUPPORTED (not one of the six formats), ERR_INVALID
 * (empty, truncated or corrupt header), ERR_TOOBIG (bytes or width × height over the
 * limits). Bounded time and memory whatever the input.
 */
enum err_code media_probe(const void *bytes, size_t len, size_t bytes_max, uint64_t pixels_max,
                          struct media_probe *out, struct err *err);

/* Bytes made by libvips, owned by the caller: media_blob_free(). */
struct media_blob {
    void *data;
    size_t len;
    int width, height;
};
void media_blob_free(struct media_blob *b);

/**
 * The original as stored and served: decoded, upright, sRGB, every piece of metadata
 * gone (with keep_rights: all but the copyright and artist fields), encoded as format
 * (MEDIA_JPEG or MEDIA_PNG: probe->alpha decides). ERR_INVALID when the pixels cannot
 * be decoded (truncated, corrupt).
 */
enum err_code media_make_original(const void *bytes, size_t len, enum media_format format,
                                  bool keep_rights, struct media_blob *out, struct err *err);

/* One rendition made by media_make_renditions. */
typedef enum err_code (*media_emit_fn)(void *ctx, int width, enum media_format format,
                                       const struct media_blob *b, struct err *err);

/**
 * Every rendition of a stored original (media_widths' widths in each format of formats,
 * MEDIA_SOCIAL_WIDTH in fallback), decoding the original once; calls emit for each as it
 * is made (emit's error stops the run). fallback is the original's format.
 */
enum err_code media_make_renditions(const void *orig, size_t len, enum media_format fallback,
                                    unsigned formats, media_emit_fn emit, void *ctx,
                                    struct err *err);

/** The formats renditions are made in here: WebP always, AVIF when libvips can write it. */
unsigned media_rendition_formats(void);

/* ---- the work queue (worker.c) --------------------------------------------------------- */

/**
 * Makes what key still lacks (the stripped original, then the renditions), once: a key
 * already being worked on is waited for, not worked twice. With the background thread
 * the work is handed to it and this waits; without, it runs on the calling thread using
 * st (the writer). ERR_NOTFOUND for an unknown key.
 */
enum err_code media_work(struct media *m, struct store *st, struct str key, struct err *err);
/** Queues key for the background thread (no wait); without one, does nothing. */
void media_enqueue(struct media *m, struct str key);

#endif
