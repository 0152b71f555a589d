/*
 * Word count, image count and reading time against Ghost's algorithm (readtime.c has
 * it in full). Each expected value follows from the regexes by hand; the reasoning for
 * the less obvious ones is beside them.
 */
#include "content/content.h"

#include <criterion/criterion.h>
#include <string.h>

static const struct {
    const char *html;
    size_t words;
    size_t images;
} counts[] = {
    /* Ghost's own test cases */
    {"Some words here", 3, 0},
    {"<p>This is a text example! Count me in ;)</p>", 8, 0},
    /* a tag becomes a space: "a c" */
    {"a<b>c", 2, 0},
    /* "(.|\n)" lets a tag span \n ... */
    {"<a\nhref='x'>word</a>", 1, 0},
    /* ... but not \r: the '<' stays as text, and a, b, word are words */
    {"<a\rb>word", 3, 0},
    /* nor U+2028 / U+2029: "a", then "<b" + U+2028 + ">" is text, then "c"; b is a word */
    {"a\xE2\x80\xA8<b\xE2\x80\xA8>c", 3, 0},
    /* an unclosed '<' is text */
    {"<p text", 2, 0},
    /* lazy: "<<p>" is one tag, then ">word" */
    {"<<p>>word", 1, 0},
    /* "< y >" looks like a tag to the regex */
    {"x < y > z", 2, 0},
    {"<!-- a comment --> text", 1, 0},
    /* entities are not decoded: "amp" is a word, as for Ghost */
    {"Tom &amp; Jerry", 3, 0},
    {"don't", 2, 0},
    {"snake_case_word 42", 2, 0},
    /* Cyrillic: U+0410..U+04F9 */
    {"Київ — столиця України", 3, 0},
    /* І (U+0406) is below U+0410, so it is not a letter to Ghost: "вано", "Франківськ" */
    {"Івано-Франківськ", 2, 0},
    {"І", 0, 0},
    {"Ґава ґава", 2, 0},
    /* Greek starts at U+0392: Α (U+0391) is not a letter, θήνα is one word */
    {"Αθήνα", 1, 0},
    {"Α", 0, 0},
    {"ε ζ", 2, 0},
    /* À-ÿ, which includes × (U+00D7) */
    {"café", 1, 0},
    {"ÀÉÎ ÕÜ", 2, 0},
    {"2×3", 1, 0},
    {"l'été", 2, 0},
    /* a CJK run starting at or above U+4E00 counts each character */
    {"我爱北京", 4, 0},
    {"안녕하세요", 5, 0},
    /* 日本語の is one run (hiragana is in the class) of 4; katakana is not in it */
    {"日本語のテキスト", 4, 0},
    /* a run starting with hiragana (U+3072 < U+4E00) counts once, kanji and all */
    {"ひらがな漢字", 1, 0},
    {"abc漢字def", 4, 0},
    {"", 0, 0},
    /* images: case-sensitive, the tag must close before \r, U+2028, U+2029 */
    {"<img src=a>", 0, 1},
    {"<IMG src=a>", 0, 0},
    {"<img", 1, 0},
    {"<img\nsrc=a>", 0, 1},
    {"<img\rsrc=a>", 3, 0},
    {"<img src=a\xE2\x80\xA9>", 3, 0},
    {"<imgx>", 0, 1},
    {"<img src=a><img src=b>", 0, 2},
    {"<p>one<br>two</p>", 2, 0},
};

Test(content_readtime, word_and_image_counts)
{
    for (size_t i = 0; i < ARRAY_LEN(counts); i++) {
        struct str h = str_from(counts[i].html);
        cr_expect_eq(content_word_count(h), counts[i].words, "words in \"%s\": %zu, want %zu",
                     counts[i].html, content_word_count(h), counts[i].words);
        cr_expect_eq(content_image_count(h), counts[i].images, "images in \"%s\": %zu, want %zu",
                     counts[i].html, content_image_count(h), counts[i].images);
    }
}

Test(content_readtime, null_and_pathological_input)
{
    cr_expect_eq(content_word_count(STR_NULL), 0);
    cr_expect_eq(content_image_count(STR_NULL), 0);
    cr_expect_eq(content_reading_minutes(STR_NULL, 0), 0);
    /* many unclosed '<' must not rescan the rest each time: 200000 of them finish at once */
    size_t n = 200000;
    char *s = malloc(n + 1);
    memset(s, '<', n);
    s[n] = '\0';
    cr_expect_eq(content_word_count((struct str){s, n}), 0);
    memcpy(s, "<img", 4);
    for (size_t i = 4; i + 4 <= n; i += 4)
        memcpy(s + i, "<img", 4);
    cr_expect_eq(content_image_count((struct str){s, n}), 0);
    free(s);
}

/* "w w w ... " with n words and k images, as HTML */
static char *article(size_t words, size_t images)
{
    char *s = malloc(words * 2 + images * 16 + 1), *p = s;
    for (size_t i = 0; i < words; i++) {
        memcpy(p, "w ", 2);
        p += 2;
    }
    for (size_t i = 0; i < images; i++) {
        memcpy(p, "<img src=\"x\"> ", 14);
        p += 14;
    }
    *p = '\0';
    return s;
}

static int minutes_for(size_t words, size_t images)
{
    char *s = article(words, images);
    cr_assert_eq(content_word_count(str_from(s)), words);
    cr_assert_eq(content_image_count(str_from(s)), images);
    int m = content_reading_minutes(str_from(s), 0);
    free(s);
    return m;
}

Test(content_readtime, minutes)
{
    /* 275 words / (275/60 words per second) = 60 s = 1 min */
    cr_expect_eq(minutes_for(275, 0), 1);
    /* 412 * 60 / 275 = 89.89 s = 1.498 min, rounds down */
    cr_expect_eq(minutes_for(412, 0), 1);
    /* 413 * 60 / 275 = 90.11 s = 1.502 min, rounds up */
    cr_expect_eq(minutes_for(413, 0), 2);
    /* 137 words = 29.89 s = 0.498 min: 0; 138 words = 30.11 s = 0.502 min: 1 */
    cr_expect_eq(minutes_for(137, 0), 0);
    cr_expect_eq(minutes_for(138, 0), 1);
    /* one image alone: 12 s = 0.2 min */
    cr_expect_eq(minutes_for(0, 1), 0);
    /* 800 words = 174.55 s, + 12 + 11 + 10 = 207.55 s = 3.46 min */
    cr_expect_eq(minutes_for(800, 3), 3);
    /* 30 images: 12 + 11 + ... + 3 = 75 s for the first ten, 20 * 3 = 60 s more: 2.25 min */
    cr_expect_eq(minutes_for(0, 30), 2);
    /*
     * 220 words = 48 s (exactly, in doubles too), + 12 + 11 + 10 + 9 = 90 s = 1.5 min:
     * Math.round takes halves up
     */
    cr_expect_eq(minutes_for(220, 4), 2);
    /* 110 words = 24 s + 42 s = 1.1 min; 330 words = 72 s + 42 s = 1.9 min */
    cr_expect_eq(minutes_for(110, 4), 1);
    cr_expect_eq(minutes_for(330, 4), 2);
    /* 1237 words = 269.89 s = 4.498 min; 1238 words = 270.11 s = 4.502 min */
    cr_expect_eq(minutes_for(1237, 0), 4);
    cr_expect_eq(minutes_for(1238, 0), 5);
    cr_expect_eq(minutes_for(0, 0), 0);
}

Test(content_readtime, cyrillic_and_cjk_minutes)
{
    /* 300 Cyrillic words "слово " = 65.45 s = 1.09 min */
    static char s[300 * 11 + 1];
    for (int i = 0; i < 300; i++)
        memcpy(s + i * 11, "слово ", 11);
    cr_expect_eq(content_word_count(str_from(s)), 300);
    cr_expect_eq(content_reading_minutes(str_from(s), 0), 1);
    /* 700 CJK characters count 700 words: 152.7 s = 2.55 min */
    static char cjk[700 * 3 + 1];
    for (int i = 0; i < 700; i++)
        memcpy(cjk + i * 3, "字", 3);
    cr_expect_eq(content_word_count(str_from(cjk)), 700);
    cr_expect_eq(content_reading_minutes(str_from(cjk), 0), 3);
}

Test(content_readtime, label)
{
    char out[32];
    cr_expect_str_eq(content_reading_label(0, out), "1 min read");
    cr_expect_str_eq(content_reading_label(1, out), "1 min read");
    cr_expect_str_eq(content_reading_label(2, out), "2 min read");
    cr_expect_str_eq(content_reading_label(17, out), "17 min read");
    cr_expect_eq(content_reading_label(5, out), out);
}

Test(content_readtime, feature_image_counts_as_ghost_counts_it)
{
    /* 0 words: one image alone is 12 s, rounds to 0; 18 more images make 12+11+...+3+3+3+3+3+3 */
    cr_expect_eq(content_reading_minutes(STR_LIT("<p><img src=\"a\"></p>"), 0), 0);
    /* 137 words (29.9 s) + the feature image (12 s) = 41.9 s → 1 minute; alone → 0 */
    char html[2048] = "<p>";
    for (int i = 0; i < 137; i++)
        strcat(html, "word ");
    strcat(html, "</p>");
    cr_expect_eq(content_reading_minutes(str_from(html), 0), 0);
    cr_expect_eq(content_reading_minutes(str_from(html), 1), 1);
}
