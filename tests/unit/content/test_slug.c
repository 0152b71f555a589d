#include "content/content.h"

#include "support.h"

#include <criterion/criterion.h>
#include <string.h>

static const struct {
    const char *title;
    const char *slug;
} cases[] = {
    {"Київ", "kyiv"},
    {"Україна", "ukraina"},
    {"Згорани", "zghorany"},
    {"Юрій Ярошенко", "yurii-yaroshenko"},
    {"Щербухи", "shcherbukhy"},
    {"Їжакевич", "yizhakevych"},
    {"Короп’є", "koropie"},
    {"Йосипівка", "yosypivka"},
    {"Стрий", "stryi"},
    {"Олексій", "oleksii"},
    {"Гаївка", "haivka"},
    {"Розгон", "rozghon"},
    /* more examples from the resolution's own table */
    {"Алушта Андрій", "alushta-andrii"},
    {"Борщагівка", "borshchahivka"},
    {"Вінниця", "vinnytsia"},
    {"Гадяч Богдан Згурський", "hadiach-bohdan-zghurskyi"},
    {"Ґалаґан Ґорґани", "galagan-gorgany"},
    {"Єнакієве Гаєвич", "yenakiieve-haievych"},
    {"Житомир Жежелів", "zhytomyr-zhezheliv"},
    {"Закарпаття", "zakarpattia"},
    {"Михайленко", "mykhailenko"},
    {"Іващенко", "ivashchenko"},
    {"Кадиївка", "kadyivka"},
    {"Мар'їне", "marine"},
    {"Миколаїв", "mykolaiv"},
    {"Наталія", "nataliia"},
    {"Ужгород Уляна", "uzhhorod-uliana"},
    {"Харків Христина", "kharkiv-khrystyna"},
    {"Біла Церква", "bila-tserkva"},
    {"Чернівці", "chernivtsi"},
    {"Шевченко", "shevchenko"},
    {"Гоща", "hoshcha"},
    {"Корюківка", "koriukivka"},
    {"Яготин", "yahotyn"},
    {"Костянтин", "kostiantyn"},
    {"Знам'янка", "znamianka"},
    {"Феодосія", "feodosiia"},
    {"Хмельницький", "khmelnytskyi"},
    {"ЗГУРСЬКИЙ", "zghurskyi"},
    {"Знамʼянка", "znamianka"},
    /* Russian-only letters: ъ dropped, ё yo at a word's start and io inside, ы y, э e */
    {"Объявление съезда", "obiavlenie-sezda"},
    {"Ёлка Щёлково", "yolka-shchiolkovo"},
    {"Мы Эхо", "my-ekho"},
    /* a title with ё ы э ъ (and no є і ї ґ) is Russian: и is i, г is g */
    {"Съезд в Иркутске", "sezd-v-irkutske"},
    {"Гора Эльбрус", "gora-elbrus"},
    {"Город", "horod"},
    {"Їжак и ы", "yizhak-y-y"},
    /* Latin */
    {"Hello, World!", "hello-world"},
    {"  --a--b--  ", "a-b"},
    {"Café déjà vu", "cafe-deja-vu"},
    {"Straße Æsir Øresund", "strasse-aesir-oresund"},
    {"Łódź Crème brûlée", "lodz-creme-brulee"},
    {"naïve façade ÿ", "naive-facade-y"},
    {"don't stop", "dont-stop"},
    {"C++ & C#", "c-c"},
    {"2026 Budget: +5%", "2026-budget-5"},
    {"Kyiv/Київ", "kyiv-kyiv"},
    {"3×4 = 12", "3-4-12"},
    {"日本語 news", "news"},
    {"", ""},
    {"!!!", ""},
    {"’’’", ""},
    {"日本語", ""},
};

Test(content_slug, transliteration)
{
    struct arena a;
    arena_init(&a);
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        struct str s = content_slugify(str_from(cases[i].title), &a);
        cr_expect(str_eq_cstr(s, cases[i].slug), "slug of \"%s\": \"%.*s\", want \"%s\"",
                  cases[i].title, (int)s.len, s.ptr, cases[i].slug);
        cr_expect_eq(s.ptr[s.len], '\0');
        if (s.len)
            cr_expect(content_slug_valid(s), "\"%s\" is not valid", s.ptr);
    }
    arena_release(&a);
}

Test(content_slug, invalid_utf8_and_null)
{
    struct arena a;
    arena_init(&a);
    struct str s = content_slugify(STR_LIT("a\xC3\x28"
                                           "b\xFF"
                                           "c"),
                                   &a);
    cr_expect(str_eq_cstr(s, "a-b-c"), "got \"%s\"", s.ptr);
    s = content_slugify(STR_NULL, &a);
    cr_expect_eq(s.len, 0);
    arena_release(&a);
}

Test(content_slug, length_cap)
{
    struct arena a;
    arena_init(&a);
    /* "word-" * 100: cut at the last hyphen before the limit, never after it */
    char *t = test_repeat("word ", 100);
    struct str s = content_slugify(str_from(t), &a);
    cr_expect_leq(s.len, CONTENT_SLUG_MAX);
    cr_expect_eq(s.len, 184, "len %zu", s.len); /* 37 words of 5 bytes, less the last '-' */
    cr_expect(content_slug_valid(s));
    free(t);
    /* one long word: cut at the limit itself */
    t = test_repeat("a", 300);
    s = content_slugify(str_from(t), &a);
    cr_expect_eq(s.len, CONTENT_SLUG_MAX);
    free(t);
    /* the limit falls exactly on a separator */
    t = test_repeat("a", CONTENT_SLUG_MAX + 10);
    t[CONTENT_SLUG_MAX] = ' ';
    s = content_slugify(str_from(t), &a);
    cr_expect_eq(s.len, CONTENT_SLUG_MAX);
    cr_expect(content_slug_valid(s));
    free(t);
    /* exactly the limit */
    t = test_repeat("b", CONTENT_SLUG_MAX);
    s = content_slugify(str_from(t), &a);
    cr_expect_eq(s.len, CONTENT_SLUG_MAX);
    free(t);
    /* a four-letter spelling (щ: shch) that straddles the limit, no hyphen to go back to */
    t = test_repeat("a", CONTENT_SLUG_MAX - 2);
    char *u = malloc(strlen(t) + 3);
    memcpy(u, t, strlen(t));
    memcpy(u + strlen(t), "щ", 3);
    s = content_slugify((struct str){u, strlen(t) + 2}, &a);
    cr_expect_eq(s.len, CONTENT_SLUG_MAX);
    cr_expect(content_slug_valid(s));
    free(u);
    free(t);
    /* words that end exactly at the limit: 62 "ab" and 61 hyphens are 185 bytes */
    t = test_repeat("ab ", 100);
    s = content_slugify(str_from(t), &a);
    cr_expect(content_slug_valid(s));
    cr_expect_eq(s.len, 185, "len %zu", s.len);
    free(t);
    arena_release(&a);
}

Test(content_slug, valid)
{
    cr_expect(content_slug_valid(STR_LIT("kyiv")));
    cr_expect(content_slug_valid(STR_LIT("a-b")));
    cr_expect(content_slug_valid(STR_LIT("0")));
    cr_expect(content_slug_valid(STR_LIT("kyiv-metro-2026")));
    cr_expect_not(content_slug_valid(STR_LIT("")));
    cr_expect_not(content_slug_valid(STR_NULL));
    cr_expect_not(content_slug_valid(STR_LIT("-a")));
    cr_expect_not(content_slug_valid(STR_LIT("a-")));
    cr_expect_not(content_slug_valid(STR_LIT("-")));
    cr_expect_not(content_slug_valid(STR_LIT("a--b")));
    cr_expect_not(content_slug_valid(STR_LIT("A")));
    cr_expect_not(content_slug_valid(STR_LIT("a_b")));
    cr_expect_not(content_slug_valid(STR_LIT("a b")));
    cr_expect_not(content_slug_valid(STR_LIT("a/b")));
    cr_expect_not(content_slug_valid(STR_LIT("київ")));
    cr_expect_not(content_slug_valid((struct str){"a\0b", 3}));
    char *t = test_repeat("x", CONTENT_SLUG_MAX + 1);
    cr_expect_not(content_slug_valid(str_from(t)));
    cr_expect(content_slug_valid((struct str){t, CONTENT_SLUG_MAX}));
    free(t);
}

Test(content_slug, the_sites_own_first_segments_are_reserved)
{
    static const char *const taken[] = {"tag",  "author", "page", "rss",    "admin", "ghost",
                                        "tips", "search", "live", "assets", "more"};
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
        cr_expect(content_slug_reserved(str_from(taken[i])), "%s", taken[i]);
    cr_expect_not(content_slug_reserved(STR_LIT("tags")));
    cr_expect_not(content_slug_reserved(STR_LIT("ta")));
    cr_expect_not(content_slug_reserved(STR_LIT("kyiv-metro")));
    cr_expect_not(content_slug_reserved(STR_LIT("")));
}
