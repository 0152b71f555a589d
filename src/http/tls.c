/*
 * https: one OpenSSL context for the whole server, TLS 1.2 and 1.3 only, with Mozilla's
 * "intermediate" cipher list (forward secrecy and AEAD ciphers only). The certificate
 * is not installed in the context but handed to each handshake by a callback from a
 * slot a reload replaces under a lock: a renewed certificate applies to the next
 * handshake, and connections already open keep theirs.
 *
 * OCSP stapling is not offered: libh2o 2.2.5 as Debian builds it has no call for it
 * (its standalone server fetches responses with an external helper of its own).
 */
#include "http/http.h"
#include "http/http_int.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Mozilla's intermediate configuration, version 5.7, for TLS 1.2 (1.3 has its own) */
#define TLS12_CIPHERS                                                                              \
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"     \
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"       \
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"

struct keypair {
    X509 *cert;
    STACK_OF(X509) * chain;
    EVP_PKEY *key;
};

struct http_tls {
    SSL_CTX *ctx;
    pthread_mutex_t mu; /* guards pair */
    struct keypair pair;
    atomic_llong hsts;
};

static void keypair_free(struct keypair *p)
{
    X509_free(p->cert);
    sk_X509_pop_free(p->chain, X509_free);
    EVP_PKEY_free(p->key);
    *p = (struct keypair){0};
}

/* OpenSSL's reason for the last failure, for a message a person can act on. */
static const char *ssl_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    ERR_clear_error();
    return r ? r : "not a PEM file";
}

static enum err_code load_pair(const char *cert, const char *key, struct keypair *out,
                               struct err *err)
{
    struct keypair p = {0};
    FILE *f = fopen(cert, "r");
    if (!f)
        return err_set(err, ERR_IO, "cannot read the certificate %s: %s", cert, strerror(errno));
    p.cert = PEM_read_X509(f, NULL, NULL, NULL);
    p.chain = sk_X509_new_null();
    X509 *ca;
    while (p.cert && (ca = PEM_read_X509(f, NULL, NULL, NULL)))
        sk_X509_push(p.chain, ca);
    fclose(f);
    ERR_clear_error(); /* the end of the file ends the loop with an error queued */
    if (!p.cert) {
        keypair_free(&p);
        return err_set(err, ERR_INVALID, "%s holds no PEM certificate", cert);
    }
    f = fopen(key, "r");
    if (!f) {
        keypair_free(&p);
        return err_set(err, ERR_IO, "cannot read the key %s: %s", key, strerror(errno));
    }
    p.key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    fclose(f);
    if (!p.key) {
        const char *why = ssl_reason();
        keypair_free(&p);
        return err_set(err, ERR_INVALID, "cannot read the key %s: %s", key, why);
    }
    if (X509_check_private_key(p.cert, p.key) != 1) {
        ERR_clear_error();
        keypair_free(&p);
        return err_set(err, ERR_INVALID, "the key %s is not the certificate %s's key", key, cert);
    }
    *out = p;
    return ERR_OK;
}

/* Each handshake: the certificate in the slot now. */
static int use_current(SSL *ssl, void *arg)
{
    struct http_tls *t = arg;
    pthread_mutex_lock(&t->mu);
    int ok = SSL_use_cert_and_key(ssl, t->pair.cert, t->pair.key, t->pair.chain, 1);
    pthread_mutex_unlock(&t->mu);
    return ok == 1;
}

enum err_code http_tls_new(const char *cert, const char *key, struct http_tls **out,
                           struct err *err)
{
    struct http_tls *t = xcalloc(1, sizeof(*t));
    enum err_code rc = load_pair(cert, key, &t->pair, err);
    if (rc) {
        free(t);
        return rc;
    }
    pthread_mutex_init(&t->mu, NULL);
    t->ctx = SSL_CTX_new(TLS_server_method());
    if (!t->ctx || !SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION) ||
        !SSL_CTX_set_cipher_list(t->ctx, TLS12_CIPHERS)) {
        http_tls_free(t);
        return err_set(err, ERR_INTERNAL, "cannot set up TLS: %s", ssl_reason());
    }
    SSL_CTX_set_options(t->ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_cert_cb(t->ctx, use_current, t);
    *out = t;
    return ERR_OK;
}

enum err_code http_tls_reload(struct http_tls *t, const char *cert, const char *key,
                              struct err *err)
{
    struct keypair p;
    enum err_code rc = load_pair(cert, key, &p, err);
    if (rc)
        return rc;
    pthread_mutex_lock(&t->mu);
    struct keypair old = t->pair;
    t->pair = p;
    pthread_mutex_unlock(&t->mu);
    keypair_free(&old);
    return ERR_OK;
}

int64_t http_tls_expiry(struct http_tls *t)
{
    pthread_mutex_lock(&t->mu);
    struct tm tm = {0};
    int64_t at = 0;
    if (ASN1_TIME_to_tm(X509_get0_notAfter(t->pair.cert), &tm) == 1)
        at = (int64_t)timegm(&tm);
    pthread_mutex_unlock(&t->mu);
    return at;
}

void http_tls_set_hsts(struct http_tls *t, int64_t max_age)
{
    atomic_store(&t->hsts, (long long)max_age);
}

int64_t http_tls_hsts(struct http_tls *t)
{
    return atomic_load_explicit(&t->hsts, memory_order_relaxed);
}

void *http_tls_ctx(struct http_tls *t)
{
    return t->ctx;
}

void http_tls_free(struct http_tls *t)
{
    if (!t)
        return;
    SSL_CTX_free(t->ctx);
    keypair_free(&t->pair);
    pthread_mutex_destroy(&t->mu);
    free(t);
}
