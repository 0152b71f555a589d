/*
 * The rate limiter's one-step check-and-count (auth_limiter_take), giving a try back,
 * that threads racing for the last tries of one key never get more than the limit, and
 * that a limiter sharing its events through a store (the database) asks it once for a
 * key it refused, not on every try of a flood.
 */
#include "auth/auth.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>

Test(auth_limiter, take_counts_up_to_the_limit_then_refuses)
{
    struct auth_limiter *l = auth_limiter_new(3, 60, 64);
    int64_t wait = 0;
    for (unsigned i = 1; i <= 3; i++)
        cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1000 + i, &wait), i);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1010, &wait), 0);
    cr_assert_eq(wait, 51, "the first try, at 1001, expires at 1061");
    cr_assert(auth_limiter_blocked(l, STR_LIT("a"), 1010, NULL));
    cr_assert_eq(auth_limiter_take(l, STR_LIT("b"), 1010, NULL), 1, "keys are apart");
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1061, NULL), 3, "the oldest expired");
    auth_limiter_free(l);
}

Test(auth_limiter, take_counts_only_tries_in_the_window)
{
    struct auth_limiter *l = auth_limiter_new(5, 60, 64);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1000, NULL), 1);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1030, NULL), 2);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1070, NULL), 2, "the one at 1000 is gone");
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1200, NULL), 1, "a first try again");
    auth_limiter_free(l);
}

Test(auth_limiter, a_try_given_back_can_be_taken_again)
{
    struct auth_limiter *l = auth_limiter_new(2, 60, 64);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1000, NULL), 1);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1001, NULL), 2);
    auth_limiter_give_back(l, STR_LIT("a"));
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1002, NULL), 2);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1003, NULL), 0);
    auth_limiter_give_back(l, STR_LIT("a"));
    auth_limiter_give_back(l, STR_LIT("a"));
    auth_limiter_give_back(l, STR_LIT("a")); /* more than were taken: nothing to give */
    auth_limiter_give_back(l, STR_LIT("never"));
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1004, NULL), 1);
    auth_limiter_clear(l, STR_LIT("a"));
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1005, NULL), 1);
    auth_limiter_free(l);
}

Test(auth_limiter, a_full_ring_given_back_keeps_its_other_tries)
{
    struct auth_limiter *l = auth_limiter_new(2, 60, 64);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1000, NULL), 1);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1050, NULL), 2);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1065, NULL), 2, "over the expired one");
    auth_limiter_give_back(l, STR_LIT("a"));
    int64_t wait = 0;
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1066, &wait), 2);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1067, &wait), 0);
    cr_assert_eq(wait, 43, "the try at 1050 still counts until 1110");
    auth_limiter_free(l);
}

#define THREADS 8
#define TRIES 500
#define LIMIT 20

struct race {
    struct auth_limiter *l;
    atomic_uint granted;
    atomic_uint ready;
};

static void *racer(void *arg)
{
    struct race *r = arg;
    atomic_fetch_add(&r->ready, 1);
    while (atomic_load(&r->ready) < THREADS)
        ; /* start together, so the threads meet at the last tries */
    for (int i = 0; i < TRIES; i++) {
        if (auth_limiter_take(r->l, STR_LIT("10.0.0.1"), 1000, NULL))
            atomic_fetch_add(&r->granted, 1);
        if (i % 3 == 0)
            auth_limiter_blocked(r->l, STR_LIT("10.0.0.1"), 1000, NULL);
    }
    return NULL;
}

Test(auth_limiter, threads_racing_for_one_key_never_get_more_than_the_limit)
{
    for (int round = 0; round < 20; round++) {
        struct race r = {.l = auth_limiter_new(LIMIT, 600, 64)};
        pthread_t t[THREADS];
        for (int i = 0; i < THREADS; i++)
            cr_assert_eq(pthread_create(&t[i], NULL, racer, &r), 0);
        for (int i = 0; i < THREADS; i++)
            pthread_join(t[i], NULL);
        cr_assert_eq(atomic_load(&r.granted), LIMIT, "round %d", round);
        auth_limiter_free(r.l);
    }
}

/* A successful attempt gives its try back while others take: the count stays exact. */
static void *taker_and_giver(void *arg)
{
    struct race *r = arg;
    for (int i = 0; i < TRIES; i++) {
        if (auth_limiter_take(r->l, STR_LIT("k"), 1000, NULL) && i % 2 == 0)
            auth_limiter_give_back(r->l, STR_LIT("k"));
    }
    return NULL;
}

Test(auth_limiter, give_back_under_concurrency_leaves_the_limit_exact)
{
    struct race r = {.l = auth_limiter_new(LIMIT, 600, 64)};
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, taker_and_giver, &r), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    /* every try kept was one of LIMIT: no more can be taken, and none was lost */
    cr_assert_eq(auth_limiter_take(r.l, STR_LIT("k"), 1000, NULL), 0);
    auth_limiter_give_back(r.l, STR_LIT("k"));
    cr_assert_eq(auth_limiter_take(r.l, STR_LIT("k"), 1000, NULL), LIMIT);
    auth_limiter_free(r.l);
}

/* A store as the database's: counts per key, and how often it was asked. */
struct count_store {
    unsigned used[2]; /* keys "a" and "b" */
    unsigned asked;
};

static unsigned count_take(void *ctx, const char *name, struct str key, unsigned max,
                           int64_t window, int64_t now, bool count, int64_t *retry_after)
{
    (void)name, (void)now;
    struct count_store *c = ctx;
    unsigned *u = &c->used[key.ptr[0] == 'b'];
    c->asked++;
    if (*u >= max) {
        *retry_after = window;
        return 0;
    }
    if (count)
        ++*u;
    return *u ? *u : 1;
}

static void count_clear(void *ctx, const char *name, struct str key)
{
    (void)name;
    ((struct count_store *)ctx)->used[key.ptr[0] == 'b'] = 0;
}

Test(auth_limiter, a_shared_limiter_asks_its_store_once_for_a_refused_key)
{
    struct count_store c = {0};
    const struct auth_limit_store store = {&c, count_take, count_clear, count_clear};
    struct auth_limiter *l = auth_limiter_new(3, 900, 64);
    auth_limiter_share(l, "test", &store);
    for (unsigned i = 1; i <= 3; i++)
        cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1000, NULL), i);
    int64_t wait = 0;
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1000, &wait), 0);
    cr_assert_eq(wait, 900);
    unsigned asked = c.asked;
    for (int i = 0; i < 100; i++)
        cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1001, &wait), 0, "a flood is refused");
    cr_assert_eq(c.asked, asked, "without asking the store");
    cr_assert_eq(wait, 899, "and says when the key frees");
    cr_assert(auth_limiter_blocked(l, STR_LIT("a"), 1002, NULL));
    cr_assert_eq(auth_limiter_take(l, STR_LIT("b"), 1002, NULL), 1, "other keys ask");
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1006, NULL), 0, "after a few seconds");
    cr_assert_eq(c.asked, asked + 2, "the store is asked again");
    /* another server cleared the key (an administrator's unlock): seen at the next ask */
    c.used[0] = 0;
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1012, NULL), 1);
    /* a clear here forgets the refusal at once */
    for (unsigned i = 2; i <= 3; i++)
        cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1013, NULL), i);
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1013, NULL), 0);
    auth_limiter_clear(l, STR_LIT("a"));
    cr_assert_eq(auth_limiter_take(l, STR_LIT("a"), 1013, NULL), 1);
    auth_limiter_free(l);
}
