/*
 * Latency histograms for /metrics. The bounds follow Prometheus' habit of 1-2.5-5 steps
 * (client_golang's DefBuckets start at 5 ms), extended down to 100 us because a cached
 * page is answered in tens of microseconds: with DefBuckets every hit would land in the
 * first bucket and the histogram would say nothing about the hot path.
 */
#include "base.h"

static const uint64_t bounds_ns[HIST_BUCKETS - 1] = {
    100000,   250000,    500000,    1000000,   2500000,    5000000,    10000000,   25000000,
    50000000, 100000000, 250000000, 500000000, 1000000000, 2500000000, 10000000000};

/* the same bounds as text, for le= (Prometheus reads them as floats) */
static const char *const bounds_text[HIST_BUCKETS - 1] = {
    "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025",
    "0.05",   "0.1",     "0.25",   "0.5",   "1",      "2.5",   "10"};

size_t hist_bucket(uint64_t ns)
{
    size_t i = 0;
    while (i < HIST_BUCKETS - 1 && ns > bounds_ns[i])
        i++;
    return i;
}

void hist_add(struct hist *h, uint64_t ns)
{
    atomic_fetch_add_explicit(&h->counts[hist_bucket(ns)], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, ns, memory_order_relaxed);
}

/*
 * One writer: a load and a store instead of a locked read-modify-write, which on x86 is
 * a plain increment; readers on other threads still see whole values (C11 atomics).
 */
static void own_add(_Atomic uint64_t *p, uint64_t v)
{
    atomic_store_explicit(p, atomic_load_explicit(p, memory_order_relaxed) + v,
                          memory_order_relaxed);
}

void hist_add_own(struct hist *h, uint64_t ns)
{
    own_add(&h->counts[hist_bucket(ns)], 1);
    own_add(&h->sum_ns, ns);
}

void hist_gather(const struct hist *h, uint64_t counts[HIST_BUCKETS], uint64_t *sum_ns)
{
    for (size_t i = 0; i < HIST_BUCKETS; i++)
        counts[i] += atomic_load_explicit(&h->counts[i], memory_order_relaxed);
    *sum_ns += atomic_load_explicit(&h->sum_ns, memory_order_relaxed);
}

enum err_code hist_write(struct buf *out, const char *name, const char *labels,
                         const uint64_t counts[HIST_BUCKETS], uint64_t sum_ns)
{
    const char *sep = labels[0] ? "," : "";
    uint64_t total = 0;
    enum err_code rc = ERR_OK;
    for (size_t i = 0; !rc && i < HIST_BUCKETS; i++) {
        total += counts[i];
        rc = buf_printf(out, "%s_bucket{%s%sle=\"%s\"} %llu\n", name, labels, sep,
                        i < HIST_BUCKETS - 1 ? bounds_text[i] : "+Inf", (unsigned long long)total);
    }
    if (!rc)
        rc = buf_printf(out, "%s_sum%s%s%s %llu.%09llu\n", name, labels[0] ? "{" : "", labels,
                        labels[0] ? "}" : "", (unsigned long long)(sum_ns / 1000000000u),
                        (unsigned long long)(sum_ns % 1000000000u));
    if (!rc)
        rc = buf_printf(out, "%s_count%s%s%s %llu\n", name, labels[0] ? "{" : "", labels,
                        labels[0] ? "}" : "", (unsigned long long)total);
    return rc;
}
