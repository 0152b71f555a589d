/*
 * The response cache keeps to its --cache-mb budget under a churn of distinct pages
 * (tests/js/memory.mjs): the optimised server (build/newsdesk: the sanitizers' allocator
 * would measure itself) holds at most a quarter more than its budget beyond what it holds
 * with the cache off. `make test-long` runs the same over 200,000 pages.
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <unistd.h>

Test(memory, the_cache_keeps_to_its_budget_under_a_churn_of_pages, .timeout = 3600)
{
    char cwd[512];
    cr_assert(getcwd(cwd, sizeof(cwd)));
    const char *pages = getenv("NEWSDESK_MEMORY_PAGES");
    cr_expect_eq(
        node_run("tests/js/memory.mjs '%s/build/newsdesk' '%s/build/artifacts/memory' %s 32 2", cwd,
                 cwd, pages ? pages : "3000"),
        0, "memory.mjs failed (above)");
}
