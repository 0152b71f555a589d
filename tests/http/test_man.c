/*
 * The manual, man/newsdesk.1: man reads it without a warning, and it and --help never
 * disagree about which commands and options exist. For each command, the options its
 * --help names are exactly those its section of the page (.SS command) names.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAN_PAGE "man/newsdesk.1"
#define CONF_PAGE "man/newsdesk.conf.5"
#define BIN "\"${NEWSDESK_BIN:-build/test/newsdesk}\""
/* every long option a text names, one a line, sorted: --help's text or the page's roff */
#define OPTIONS "grep -o -- '--[a-z][a-z0-9-]*' | sort -u"

TestSuite(man, .timeout = 60);

/* The commands `newsdesk --help` lists, as "init serve post ...". */
static char *commands(void)
{
    return sh_out(BIN " --help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ "
                      "{ printf \"%%s \", $1; next } on { exit }'");
}

Test(man, the_page_has_a_section_for_each_command_and_no_other)
{
    char *help = commands();
    cr_assert(strstr(help, "serve"), "newsdesk --help lists the commands: %s", help);
    char *page = sh_out("awk '/^\\.SS / { printf \"%%s \", $2 }' " MAN_PAGE);
    cr_expect_str_eq(page, help, "the page's sections (left) against --help's commands");
    free(page);
    free(help);
}

Test(man, each_commands_options_are_the_same_in_help_and_page)
{
    char *list = commands();
    int checked = 0;
    for (char *save = NULL, *cmd = strtok_r(list, " ", &save); cmd;
         cmd = strtok_r(NULL, " ", &save)) {
        /* comm -3: what only --help names, then (indented) what only the page names */
        char *diff = sh_out(
            "h=$(mktemp) && m=$(mktemp) && " BIN " %s --help 2>&1 | " OPTIONS " >\"$h\" && "
            "awk -v c=%s '/^\\.S[HS] / { on = ($1 == \".SS\" && $2 == c); next } on' " MAN_PAGE
            " | sed 's/\\\\-/-/g' | " OPTIONS " >\"$m\" && "
            "comm -3 \"$h\" \"$m\"; rm -f \"$h\" \"$m\"",
            cmd, cmd);
        cr_expect_str_empty(diff,
                            "newsdesk %s: options only in --help, then (indented) only in "
                            "the page:\n%s",
                            cmd, diff);
        char *n = sh_out(BIN " %s --help 2>&1 | " OPTIONS " | wc -l", cmd);
        cr_expect_gt(atoi(n), 1, "newsdesk %s --help names its options", cmd);
        free(n);
        free(diff);
        checked++;
    }
    cr_expect_geq(checked, 14, "every command was compared (%d)", checked);
    free(list);
}

Test(man, man_reads_the_page_without_a_warning)
{
    const char *pages[] = {MAN_PAGE, CONF_PAGE};
    for (size_t i = 0; i < 2; i++) {
        char *out = sh_out("command -v man >/dev/null || echo 'man is not installed'; "
                           "LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 "
                           "man --warnings -E UTF-8 -l -Tutf8 -Z %s 2>&1 >/dev/null",
                           pages[i]);
        cr_expect_str_empty(out, "man --warnings %s:\n%s", pages[i], out);
        free(out);
    }
    /* and it reads as a manual: the name line and a command's option */
    char *text = sh_out("MANWIDTH=80 man -l " MAN_PAGE " 2>&1 | col -b");
    cr_expect(strstr(text, "newsdesk - a news-feed publishing engine"), "%.400s", text);
    cr_expect(strstr(text, "--live-queue-bytes N"), "%.400s", text);
    free(text);
}

/* newsdesk.conf(5) names every setting: serve's long options but --config and --help. */
Test(man, the_configuration_page_names_every_setting)
{
    char *missing = sh_out(BIN " serve --help | " OPTIONS " | sed 's/^--//' | "
                               "grep -vx -e config -e help | while read -r k; do "
                               "sed 's/\\\\-/-/g' " CONF_PAGE " | grep -q -- \"$k\" || "
                               "echo \"$k\"; done");
    cr_expect_str_empty(missing, "settings missing from " CONF_PAGE ":\n%s", missing);
    free(missing);
    char *n = sh_out(BIN " serve --help | " OPTIONS " | wc -l");
    cr_expect_gt(atoi(n), 20, "serve --help names its options (%s)", n);
    free(n);
}
