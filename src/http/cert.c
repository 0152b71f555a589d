/*
 * A TLS certificate and its key as files: what `newsdesk doctor` checks before a server
 * is started with them (OpenSSL, which libh2o's TLS uses already).
 */
#include "http/http.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* OpenSSL's reason for the last failure, and its queue emptied for the next caller. */
static const char *ssl_reason(char *buf, size_t n)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    snprintf(buf, n, "%s", r ? r : "no PEM data");
    ERR_clear_error();
    return buf;
}

/* A passphrase is never asked for: doctor runs unattended, and so does the server. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

static bool asn1_to_unix(const ASN1_TIME *t, int64_t *out)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return false;
    *out = (int64_t)timegm(&tm);
    return true;
}

static enum err_code read_cert(const char *path, X509 **x, struct http_cert_info *out,
                               struct err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    *x = PEM_read_X509(f, NULL, no_passphrase, NULL);
    fclose(f);
    char why[160];
    if (!*x)
        return err_set(err, ERR_INVALID, "'%s' holds no PEM certificate: %s", path,
                       ssl_reason(why, sizeof(why)));
    X509_NAME_oneline(X509_get_subject_name(*x), out->subject, (int)sizeof(out->subject));
    if (!asn1_to_unix(X509_get0_notBefore(*x), &out->not_before) ||
        !asn1_to_unix(X509_get0_notAfter(*x), &out->not_after))
        return err_set(err, ERR_INVALID, "'%s': cannot read the certificate's dates", path);
    return ERR_OK;
}

static enum err_code check_key(const char *path, X509 *x, struct http_cert_info *out,
                               struct err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
    fclose(f);
    char why[160];
    if (!key)
        return err_set(err, ERR_INVALID,
                       "'%s' holds no private key that can be read without a passphrase: %s", path,
                       ssl_reason(why, sizeof(why)));
    out->key_matches = X509_check_private_key(x, key) == 1;
    ERR_clear_error();
    EVP_PKEY_free(key);
    return ERR_OK;
}

enum err_code http_cert_inspect(const char *cert_path, const char *key_path,
                                struct http_cert_info *out, struct err *err)
{
    *out = (struct http_cert_info){0};
    X509 *x = NULL;
    enum err_code rc = read_cert(cert_path, &x, out, err);
    if (!rc && key_path)
        rc = check_key(key_path, x, out, err);
    X509_free(x);
    return rc;
}
