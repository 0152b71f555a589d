/*
 * Slugs. Ukrainian follows the national romanization (Cabinet of Ministers of Ukraine,
 * resolution no. 55 of 27 January 2010): є ї й ю я are spelt ye yi y yu ya at the start of
 * a word and ie i i iu ia elsewhere, "зг" is "zgh" (to keep it apart from "zh" for ж),
 * ь and the apostrophe are dropped. The apostrophe does not end a word, so "Короп’є"
 * gives "koropie".
 *
 * Russian-only letters take their closest Ukrainian-table spelling: ы y, э e, ъ dropped,
 * and ё yo at the start of a word, io elsewhere (by analogy with є and ю). A title with
 * one of ё ы э ъ and none of є і ї ґ is taken for Russian, where и and г sound as i and g,
 * not as Ukrainian y and h: "Объявление съезда" gives "obiavlenie-sezda", not
 * "obiavlenye-sezda". Other Russian titles read as Ukrainian; the two alphabets share
 * everything else. A few other Cyrillic letters (Belarusian ў, Serbian and Macedonian
 * ђ ј љ њ ћ џ ...) get a plain spelling too rather than splitting the word. Latin letters
 * lose their diacritics (é e, ß ss, æ ae, ł l). Anything else separates words.
 */
#include "content/content.h"

#include <string.h>

/* Latin-1 Supplement and Latin Extended-A, by ranges; NULL: not a letter (× ÷) */
static const struct {
    uint16_t lo, hi;
    const char *ascii;
} latin[] = {
    {0xC0, 0xC5, "a"},   {0xC6, 0xC6, "ae"},   {0xC7, 0xC7, "c"},   {0xC8, 0xCB, "e"},
    {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},    {0xD1, 0xD1, "n"},   {0xD2, 0xD6, "o"},
    {0xD7, 0xD7, NULL},  {0xD8, 0xD8, "o"},    {0xD9, 0xDC, "u"},   {0xDD, 0xDD, "y"},
    {0xDE, 0xDE, "th"},  {0xDF, 0xDF, "ss"},   {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
    {0xE7, 0xE7, "c"},   {0xE8, 0xEB, "e"},    {0xEC, 0xEF, "i"},   {0xF0, 0xF0, "d"},
    {0xF1, 0xF1, "n"},   {0xF2, 0xF6, "o"},    {0xF7, 0xF7, NULL},  {0xF8, 0xF8, "o"},
    {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},    {0xFE, 0xFE, "th"},  {0xFF, 0xFF, "y"},
    {0x100, 0x105, "a"}, {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
    {0x11C, 0x123, "g"}, {0x124, 0x127, "h"},  {0x128, 0x131, "i"}, {0x132, 0x133, "ij"},
    {0x134, 0x135, "j"}, {0x136, 0x138, "k"},  {0x139, 0x142, "l"}, {0x143, 0x14B, "n"},
    {0x14C, 0x151, "o"}, {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
    {0x162, 0x167, "t"}, {0x168, 0x173, "u"},  {0x174, 0x175, "w"}, {0x176, 0x178, "y"},
    {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},  {0x218, 0x219, "s"}, {0x21A, 0x21B, "t"},
};

/* Lower-case Cyrillic U+0430..U+045F: the spelling inside a word and at its start */
static const struct {
    const char *inner, *initial;
} cyrillic[] = {
    {"a", "a"},       /* а */
    {"b", "b"},       /* б */
    {"v", "v"},       /* в */
    {"h", "h"},       /* г */
    {"d", "d"},       /* д */
    {"e", "e"},       /* е */
    {"zh", "zh"},     /* ж */
    {"z", "z"},       /* з */
    {"y", "y"},       /* и */
    {"i", "y"},       /* й */
    {"k", "k"},       /* к */
    {"l", "l"},       /* л */
    {"m", "m"},       /* м */
    {"n", "n"},       /* н */
    {"o", "o"},       /* о */
    {"p", "p"},       /* п */
    {"r", "r"},       /* р */
    {"s", "s"},       /* с */
    {"t", "t"},       /* т */
    {"u", "u"},       /* у */
    {"f", "f"},       /* ф */
    {"kh", "kh"},     /* х */
    {"ts", "ts"},     /* ц */
    {"ch", "ch"},     /* ч */
    {"sh", "sh"},     /* ш */
    {"shch", "shch"}, /* щ */
    {"", ""},         /* ъ */
    {"y", "y"},       /* ы */
    {"", ""},         /* ь */
    {"e", "e"},       /* э */
    {"iu", "yu"},     /* ю */
    {"ia", "ya"},     /* я */
    {"e", "e"},       /* ѐ */
    {"io", "yo"},     /* ё */
    {"d", "d"},       /* ђ */
    {"g", "g"},       /* ѓ */
    {"ie", "ye"},     /* є */
    {"dz", "dz"},     /* ѕ */
    {"i", "i"},       /* і */
    {"i", "yi"},      /* ї */
    {"j", "j"},       /* ј */
    {"lj", "lj"},     /* љ */
    {"nj", "nj"},     /* њ */
    {"c", "c"},       /* ћ */
    {"k", "k"},       /* ќ */
    {"y", "y"},       /* ѝ */
    {"u", "u"},       /* ў */
    {"dz", "dz"},     /* џ */
};

#define CYR_ZE 0x437
#define CYR_GHE 0x433
#define CYR_I 0x438

static uint32_t cyrillic_lower(uint32_t c)
{
    if (c >= 0x410 && c <= 0x42F)
        return c + 0x20;
    if (c >= 0x400 && c <= 0x40F)
        return c + 0x50;
    if (c == 0x490)
        return 0x491;
    return c;
}

/* Whether the title has Russian-only letters and no Ukrainian-only ones. */
static bool looks_russian(struct str title)
{
    bool ru = false;
    size_t i = 0;
    while (title.ptr && i < title.len) {
        uint32_t c;
        size_t n = utf8_decode(title.ptr + i, title.len - i, &c);
        i += n ? n : 1;
        c = cyrillic_lower(c);
        if (c == 0x451 || c == 0x44B || c == 0x44D || c == 0x44A)
            ru = true;
        else if (c == 0x454 || c == 0x456 || c == 0x457 || c == 0x491)
            return false;
    }
    return ru;
}

static bool is_apostrophe(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == 0x02BC;
}

/*
 * The ASCII spelling of one character into *len bytes: "" for a letter that is dropped,
 * NULL for a separator. prev is the previous character of the same word in lower case,
 * 0 at the start of a word; russian: see the top of the file.
 */
static const char *translit(uint32_t c, uint32_t prev, bool russian, size_t *len)
{
    static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    *len = 1;
    if (c >= 'A' && c <= 'Z')
        return alnum + (c - 'A');
    if (c >= 'a' && c <= 'z')
        return alnum + (c - 'a');
    if (c >= '0' && c <= '9')
        return alnum + 26 + (c - '0');
    c = cyrillic_lower(c);
    const char *sp = NULL;
    if (c == 0x491)
        sp = "g";
    else if (russian && (c == CYR_GHE || c == CYR_I))
        sp = c == CYR_GHE ? "g" : "i";
    else if (c == CYR_GHE && prev == CYR_ZE)
        sp = "gh";
    else if (c >= 0x430 && c <= 0x45F)
        sp = prev ? cyrillic[c - 0x430].inner : cyrillic[c - 0x430].initial;
    for (size_t i = 0; !sp && c >= 0x80 && i < ARRAY_LEN(latin); i++) {
        if (c >= latin[i].lo && c <= latin[i].hi)
            sp = latin[i].ascii;
    }
    if (sp)
        *len = strlen(sp);
    return sp;
}

struct slug {
    char out[CONTENT_SLUG_MAX + 8]; /* room for one spelling ("shch") past the limit */
    size_t len;
    bool pending_hyphen;
};

/* Appends the spelling of one character; false once the slug has grown past the limit. */
static bool slug_put(struct slug *s, const char *spelling, size_t n)
{
    if (!n)
        return true;
    if (s->pending_hyphen && s->len)
        s->out[s->len++] = '-';
    s->pending_hyphen = false;
    memcpy(s->out + s->len, spelling, n);
    s->len += n;
    return s->len <= CONTENT_SLUG_MAX;
}

/* Cuts a slug that grew past the limit at its last hyphen, else at the limit itself. */
static void slug_trim(struct slug *s)
{
    if (s->len <= CONTENT_SLUG_MAX)
        return;
    size_t cut = CONTENT_SLUG_MAX;
    if (s->out[cut] != '-') {
        while (cut > 0 && s->out[cut - 1] != '-')
            cut--;
        cut = cut ? cut - 1 : CONTENT_SLUG_MAX;
    }
    s->len = cut;
    while (s->len && s->out[s->len - 1] == '-')
        s->len--;
}

struct str content_slugify(struct str title, struct arena *a)
{
    struct slug s = {.len = 0};
    uint32_t prev = 0;
    bool russian = looks_russian(title);
    size_t i = 0;
    while (title.ptr && i < title.len) {
        uint32_t c;
        size_t n = utf8_decode(title.ptr + i, title.len - i, &c);
        i += n ? n : 1;
        if (is_apostrophe(c))
            continue;
        size_t len;
        const char *sp = translit(c, prev, russian, &len);
        if (!sp) {
            s.pending_hyphen = true;
            prev = 0;
            continue;
        }
        prev = cyrillic_lower(c);
        if (!slug_put(&s, sp, len))
            break;
    }
    slug_trim(&s);
    return arena_str(a, (struct str){s.out, s.len});
}

struct str content_tag_slugify(struct str name, struct arena *a)
{
    if (!name.len || name.ptr[0] != '#')
        return content_slugify(name, a);
    struct str rest = content_slugify((struct str){name.ptr + 1, name.len - 1}, a);
    if (!rest.len)
        return rest;
    char *s = arena_printf(a, "hash-%.*s", (int)rest.len, rest.ptr);
    struct str out = str_from(s);
    if (out.len > CONTENT_SLUG_MAX) { /* cut at a hyphen, as content_slugify cuts */
        out.len = CONTENT_SLUG_MAX;
        while (out.len > 5 && out.ptr[out.len] != '-')
            out.len--;
        while (out.len && out.ptr[out.len - 1] == '-')
            out.len--;
    }
    return out;
}

bool content_slug_valid(struct str s)
{
    if (!s.ptr || s.len == 0 || s.len > CONTENT_SLUG_MAX)
        return false;
    if (s.ptr[0] == '-' || s.ptr[s.len - 1] == '-')
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == '-') {
            if (s.ptr[i - 1] == '-')
                return false;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return false;
        }
    }
    return true;
}

/* First segments that fixed routes own, now or in planned ones: never post slugs. */
static const char *const reserved[] = {
    "page",    "more",        "tag",        "author",    "assets",      "rss",
    "atom",    "ghost",       "admin",      "tips",      "search",      "live",
    "metrics", "sitemap.xml", "robots.txt", "feed.json", "favicon.ico", "healthz",
    "readyz",  "preview",     "content",    "websub",
};

bool content_slug_reserved(struct str slug)
{
    for (size_t i = 0; i < ARRAY_LEN(reserved); i++)
        if (str_eq_cstr(slug, reserved[i]))
            return true;
    return false;
}
