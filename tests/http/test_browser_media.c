/*
 * Photos in the newsroom in a real browser (tests/browser/media.mjs): issue 13's
 * acceptance (a photo dropped on the editor, its alt text written in the dialog, the post
 * published; the article's <picture> with srcset, width and height, a WebP or AVIF chosen
 * at 360 px and 1280 px, no layout shift, axe-core on the article, the editor with the
 * dialog open and the library), the editor's picker, paste and rich-mode drop, a refused
 * upload, and the feature image.
 */
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define EMAIL "photos@example.org"
#define PASSWORD "a long and private passphrase"

static struct srv srv;
static char photo[SRV_PATH_MAX];

/*
 * An editor, and a 1600 × 1000 JPEG from a phone: noise (so renditions differ in size),
 * GPS coordinates and a camera serial number in its EXIF, which the editor is told were
 * removed.
 */
static void editor_and_photo(struct srv *s)
{
    cr_assert_eq(staff_add(s, EMAIL, "Pho Editor", "editor", PASSWORD), 0);
    snprintf(photo, sizeof(photo), "%s/IMG_2041.jpg", s->dir);
    char cmd[8 * SRV_PATH_MAX + 512];
    snprintf(cmd, sizeof(cmd),
             "vips gaussnoise '%s.v' 1600 1000 && vips colourspace '%s.v' '%s.c.v' srgb && "
             "vips bandjoin \"%s.c.v %s.c.v %s.c.v\" '%s[Q=85]' >/dev/null && "
             "exiftool -q -overwrite_original -GPSLatitude=50.4501 -GPSLatitudeRef=N "
             "-GPSLongitude=30.5234 -GPSLongitudeRef=E -SerialNumber=CAM123456 "
             "-Make=Phone '%s'",
             photo, photo, photo, photo, photo, photo, photo, photo);
    cr_assert_eq(system(cmd), 0, "cannot make the test photo");
}

HTTP_SUITE(http_browser_media, srv, 400, .posts = 2, .before_start = editor_and_photo);

static int media(const char *check)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    return node_run("tests/browser/media.mjs %s 'http://127.0.0.1:%d/' "
                    "'%s/build/artifacts/browser' '" EMAIL "' '" PASSWORD "' '%s'",
                    check, srv.port, cwd, photo);
}

Test(http_browser_media, a_photo_dropped_in_the_editor_reaches_the_article)
{
    cr_expect_eq(media("acceptance"), 0, "media.mjs acceptance failed (above)");
}

Test(http_browser_media, picker_paste_rich_mode_and_a_refused_upload)
{
    cr_expect_eq(media("editor"), 0, "media.mjs editor failed (above)");
}

Test(http_browser_media, the_feature_image_uploaded_chosen_and_removed)
{
    cr_expect_eq(media("feature"), 0, "media.mjs feature failed (above)");
}
