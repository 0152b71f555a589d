/*
 * newsdesk doctor: one line per check, "ok", "warn" or "fail" with what to do, and exit 1
 * only when something failed. Each test breaks one thing (the schema, the pages, the
 * theme, the certificate, the file's mode) in its own copy and reads what doctor says.
 */
#include "harness.h"
#include "staff.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct srv srv;

HTTP_SUITE(cli_doctor, srv, 120, .prepare_only = true);

/* doctor with the database and up to 6 more arguments; its exit status, output in *out. */
static int doctor(char **out, const char *a1, const char *a2, const char *a3, const char *a4)
{
    char *err = NULL;
    int rc = run_newsdesk(out, &err, "doctor", "--db", srv.db, a1, a2, a3, a4, NULL);
    cr_expect_str_empty(err, "doctor writes its report to standard output: %s", err);
    free(err);
    return rc;
}

/* The file's mode a careful operator gives it: not readable by other users. */
static void db_private(void)
{
    char *o = sh_out("chmod 640 '%s' && echo done", srv.db);
    cr_assert_str_eq(o, "done");
    free(o);
}

/* A self-signed P-256 certificate for CN name valid for days from now, and its key. */
static void cert_new(const char *name, int days)
{
    char *o = sh_out("cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                     "-nodes -keyout %s.key -out %s.pem -days %d -subj /CN=%s 2>&1 && "
                     "chmod 600 %s.key && echo done",
                     srv.dir, name, name, days, name, name);
    cr_assert(strstr(o, "done"), "openssl req: %s", o);
    free(o);
}

/*
 * A certificate that expired on 1 February 2020. `openssl req` of OpenSSL 3.0 takes no
 * start date, so a throwaway CA signs it with -startdate and -enddate.
 */
static void cert_expired(void)
{
    char *o = sh_out(
        "cd '%s' && mkdir ca && cd ca && : >index.txt && echo 01 >serial && "
        "printf '[ca]\\ndefault_ca = d\\n[d]\\ndatabase = index.txt\\nnew_certs_dir = .\\n"
        "serial = serial\\ndefault_md = sha256\\npolicy = p\\n[p]\\ncommonName = supplied\\n'"
        " >ca.cnf && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
        "-keyout ../old.key -out old.csr -subj /CN=old 2>&1 && openssl ca -batch -config ca.cnf "
        "-selfsign -keyfile ../old.key -in old.csr -out ../old.pem -notext "
        "-startdate 20200101000000Z -enddate 20200201000000Z 2>&1 && echo done",
        srv.dir);
    cr_assert(strstr(o, "done"), "openssl ca: %s", o);
    free(o);
}

Test(cli_doctor, a_fresh_database_is_healthy)
{
    db_private();
    char *out = NULL;
    cr_expect_eq(doctor(&out, NULL, NULL, NULL, NULL), 0, "%s", out);
    cr_expect(strstr(out, "ok    schema version "), "%s", out);
    cr_expect(strstr(out, "ok    database integrity (quick_check)"), "%s", out);
    cr_expect(strstr(out, "ok    free pages: "), "%s", out);
    cr_expect(strstr(out, "ok    write-ahead log: "), "%s", out);
    cr_expect(strstr(out, "ok    free disk: "), "%s", out);
    cr_expect(strstr(out, "ok    theme '"), "%s", out);
    cr_expect(strstr(out, "ok    newsroom theme '"), "%s", out);
    cr_expect(strstr(out, " 0 warnings, 0 failed\n"), "%s", out);
    cr_expect(!strstr(out, "\033["), "no colour when the output is not a terminal");
    free(out);
    /* --full, and while a server serves it: doctor only reads */
    srv_start(&srv);
    cr_expect_eq(doctor(&out, "--full", NULL, NULL, NULL), 0, "%s", out);
    cr_expect(strstr(out, "ok    database integrity (integrity_check)"), "%s", out);
    free(out);
    struct resp r;
    http_req(&srv, "GET", "/", &r);
    cr_expect_eq(r.status, 200);
    resp_free(&r);
    srv_stop(&srv);
}

Test(cli_doctor, a_database_every_user_can_read_is_a_warning)
{
    char *o = sh_out("chmod 644 '%s' && echo done", srv.db);
    free(o);
    char *out = NULL;
    cr_expect_eq(doctor(&out, NULL, NULL, NULL, NULL), 0, "a warning is no failure: %s", out);
    cr_expect(strstr(out, "warn  ") && strstr(out, "readable by every user") &&
                  strstr(out, "chmod 640"),
              "%s", out);
    cr_expect(strstr(out, " 1 warning, 0 failed\n"), "%s", out);
    free(out);
}

Test(cli_doctor, a_newer_schema_fails_and_an_older_one_warns)
{
    db_private();
    free(db_query(&srv, "PRAGMA user_version = 99"));
    char *out = NULL;
    cr_expect_eq(doctor(&out, NULL, NULL, NULL, NULL), 1, "%s", out);
    cr_expect(strstr(out, "fail  schema version 99") &&
                  strstr(out, "this binary is older than the database"),
              "%s", out);
    free(out);
    free(db_query(&srv, "PRAGMA user_version = 1"));
    cr_expect_eq(doctor(&out, NULL, NULL, NULL, NULL), 0, "%s", out);
    cr_expect(strstr(out, "warn  schema version 1,") && strstr(out, "migrates it"), "%s", out);
    free(out);
}

Test(cli_doctor, damaged_pages_fail_with_what_to_do_never_a_crash)
{
    char bad[SRV_PATH_MAX];
    snprintf(bad, sizeof(bad), "%s/bad.db", srv.dir);
    /* pages 2 to 4 zeroed: the tables' roots; the header (page 1) is intact */
    char *o = sh_out("cp '%s' '%s' && dd if=/dev/zero of='%s' bs=4096 seek=1 count=3 "
                     "conv=notrunc 2>/dev/null && chmod 640 '%s' && echo done",
                     srv.db, bad, bad, bad);
    cr_assert_str_eq(o, "done");
    free(o);
    char *out = NULL, *err = NULL;
    for (int full = 0; full < 2; full++) {
        int rc = run_newsdesk(&out, &err, "doctor", "--db", bad, full ? "--full" : NULL, NULL);
        cr_expect_eq(rc, 1, "exit 1, not a crash (%d): %s%s", rc, out, err);
        cr_expect(strstr(out, full ? "fail  database integrity (integrity_check): "
                                   : "fail  database integrity (quick_check): "),
                  "%s", out);
        cr_expect(strstr(out, "Page 2") && strstr(out, "last good backup"), "%s", out);
        free(out);
        free(err);
    }
    /* the first page overwritten: not a database any more */
    o = sh_out("dd if=/dev/urandom of='%s' bs=4096 count=1 conv=notrunc 2>/dev/null; echo done",
               bad);
    free(o);
    cr_expect_eq(run_newsdesk(&out, NULL, "doctor", "--db", bad, NULL), 1);
    cr_expect(strstr(out, "fail  ") && strstr(out, "is not an SQLite database"), "%s", out);
    free(out);
}

/*
 * Disk the database holds beyond its content: 95 MiB of pages freed by a dropped table,
 * and a write-ahead log of 300 MiB (a sparse file: its header is no WAL header, so
 * SQLite reads it as an empty log, and doctor goes by its size).
 */
Test(cli_doctor, free_pages_and_a_large_write_ahead_log_are_warnings)
{
    db_private();
    char *o = sh_out("sqlite3 '%s' 'CREATE TABLE pad(x); INSERT INTO pad SELECT zeroblob(1000000) "
                     "FROM generate_series(1, 100); DROP TABLE pad' && echo done",
                     srv.db);
    cr_assert_str_eq(o, "done");
    free(o);
    char *out = NULL;
    cr_expect_eq(doctor(&out, NULL, NULL, NULL, NULL), 0, "%s", out);
    cr_expect(strstr(out, "warn  9") && strstr(out, " MiB are free pages (9") &&
                  strstr(out, "VACUUM"),
              "%s", out);
    cr_expect(strstr(out, "ok    write-ahead log: "), "%s", out);
    free(out);
    o = sh_out("truncate -s 300M '%s-wal' && echo done", srv.db);
    cr_assert_str_eq(o, "done");
    free(o);
    cr_expect_eq(doctor(&out, NULL, NULL, NULL, NULL), 0, "%s", out);
    cr_expect(strstr(out, "warn  write-ahead log is 300 MiB") && strstr(out, "wal_checkpoint"),
              "%s", out);
    cr_expect(strstr(out, " 2 warnings, 0 failed\n"), "%s", out);
    free(out);
}

Test(cli_doctor, a_broken_theme_fails_naming_it)
{
    db_private();
    char *out = NULL;
    cr_expect_eq(doctor(&out, "--theme", "/nonexistent/theme", NULL, NULL), 1, "%s", out);
    cr_expect(strstr(out, "fail  theme '/nonexistent/theme': "), "%s", out);
    free(out);
    char theme[SRV_PATH_MAX];
    snprintf(theme, sizeof(theme), "%s/theme", srv.dir);
    const char *src = getenv("NEWSDESK_THEME");
    char *o = sh_out("cp -r '%s' '%s' && echo done", src ? src : "themes/default", theme);
    cr_assert_str_eq(o, "done");
    free(o);
    srv_write(&srv, "theme/error.html", "{{> head}}\n<p>{{no_such_field}}</p>\n{{> foot}}\n", NULL);
    cr_expect_eq(doctor(&out, "--theme", theme, NULL, NULL), 1, "%s", out);
    cr_expect(strstr(out, "fail  theme '") && strstr(out, "error.html:2:") &&
                  strstr(out, "no_such_field"),
              "%s", out);
    cr_expect(strstr(out, "ok    newsroom theme '"), "the other checks go on: %s", out);
    free(out);
    cr_expect_eq(doctor(&out, "--admin-theme", theme, NULL, NULL), 1, "%s", out);
    cr_expect(strstr(out, "fail  newsroom theme '"), "%s", out);
    free(out);
}

Test(cli_doctor, certificates_near_expiry_warn_and_expired_ones_fail)
{
    db_private();
    cert_new("soon", 5);
    cert_new("later", 90);
    cert_expired();
    char cert[SRV_PATH_MAX], key[SRV_PATH_MAX], other[SRV_PATH_MAX];
    snprintf(cert, sizeof(cert), "%s/soon.pem", srv.dir);
    snprintf(key, sizeof(key), "%s/soon.key", srv.dir);
    snprintf(other, sizeof(other), "%s/later.key", srv.dir);
    char *out = NULL;
    cr_expect_eq(doctor(&out, "--tls-cert", cert, "--tls-key", key), 0, "%s", out);
    cr_expect(strstr(out, "warn  certificate '") && strstr(out, "(/CN=soon) expires in 5 days") &&
                  strstr(out, "certbot renew"),
              "%s", out);
    cr_expect(strstr(out, "ok    key '"), "%s", out);
    free(out);
    cr_expect_eq(doctor(&out, "--tls-cert", cert, "--tls-key", other), 1, "%s", out);
    cr_expect(strstr(out, "fail  key '") && strstr(out, "is not the certificate's"), "%s", out);
    free(out);
    snprintf(cert, sizeof(cert), "%s/later.pem", srv.dir);
    cr_expect_eq(doctor(&out, "--tls-cert", cert, "--tls-key", other), 0, "%s", out);
    cr_expect(strstr(out, "ok    certificate '") && strstr(out, "is valid until"), "%s", out);
    free(out);
    snprintf(cert, sizeof(cert), "%s/old.pem", srv.dir);
    cr_expect_eq(doctor(&out, "--tls-cert", cert, NULL, NULL), 1, "%s", out);
    cr_expect(strstr(out, "fail  certificate '") && strstr(out, "expired on 2020-02-01"), "%s",
              out);
    free(out);
    /* not a certificate at all */
    cr_expect_eq(doctor(&out, "--tls-cert", srv.db, NULL, NULL), 1, "%s", out);
    cr_expect(strstr(out, "fail  ") && strstr(out, "holds no PEM certificate"), "%s", out);
    free(out);
}

/*
 * The server's user cannot write the database or its folder. Permissions are the running
 * user's, and root may write anything, so this runs doctor as nobody (setpriv), and only
 * where the tests run as root.
 */
Test(cli_doctor, a_database_the_user_cannot_write_fails)
{
    if (geteuid() != 0)
        cr_skip_test("needs root to run doctor as another user");
    char *o = sh_out("command -v setpriv >/dev/null && chmod 755 '%s' && echo done", srv.dir);
    if (strcmp(o, "done") != 0)
        cr_skip_test("no setpriv");
    free(o);
    const char *theme = getenv("NEWSDESK_THEME");
    char *out = sh_out("cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "
                       "\"${NEWSDESK_BIN:-build/test/newsdesk}\" doctor --db '%s' "
                       "--theme '%s' 2>&1; echo \"exit $?\"",
                       srv.db, theme ? theme : "themes/default");
    cr_expect(strstr(out, "\nexit 1"), "%s", out);
    cr_expect(strstr(out, "fail  '") && strstr(out, "' is not writable by "), "%s", out);
    cr_expect(strstr(out, "fail  the folder '") && strstr(out, "-shm"), "%s", out);
    free(out);
}

Test(cli_doctor, usage_errors)
{
    char *err = NULL;
    cr_expect_eq(run_newsdesk(NULL, &err, "doctor", NULL), 1);
    cr_expect(strstr(err, "--db FILE is required"), "%s", err);
    free(err);
    cr_expect_eq(run_newsdesk(NULL, NULL, "doctor", "--db", srv.db, "--bogus", NULL), 2);
    cr_expect_eq(run_newsdesk(NULL, NULL, "doctor", "--db", srv.db, "extra", NULL), 2);
    char *out = NULL;
    cr_expect_eq(run_newsdesk(&out, NULL, "doctor", "--help", NULL), 0);
    cr_expect(strstr(out, "usage: newsdesk doctor"), "%s", out);
    free(out);
    char missing[SRV_PATH_MAX];
    snprintf(missing, sizeof(missing), "%s/none.db", srv.dir);
    cr_expect_eq(run_newsdesk(&out, NULL, "doctor", "--db", missing, NULL), 1);
    cr_expect(strstr(out, "fail  database '") && strstr(out, "newsdesk init"), "%s", out);
    free(out);
    char *o = sh_out("test -e '%s' && echo created || echo absent", missing);
    cr_expect_str_eq(o, "absent", "doctor creates nothing");
    free(o);
}

/* --config: what serve's configuration file names is what doctor checks, the file too. */
Test(cli_doctor, reads_serves_configuration_file)
{
    db_private();
    cert_new("site", 5);
    char conf[400];
    snprintf(conf, sizeof(conf), "%s/newsdesk.conf", srv.dir);
    FILE *f = fopen(conf, "w");
    cr_assert(f);
    fprintf(f, "db = %s\ntls-cert = %s/site.pem\ntls-key = %s/site.key\n", srv.db, srv.dir,
            srv.dir);
    fclose(f);
    char *out = NULL, *err = NULL;
    int rc = run_newsdesk(&out, &err, "doctor", "--config", conf, NULL);
    cr_expect_eq(rc, 0, "%s %s", out, err);
    cr_expect(strstr(out, "ok    configuration "), "%s", out);
    cr_expect(strstr(out, "ok    schema version "), "the file's database was checked: %s", out);
    cr_expect(strstr(out, "warn  certificate"), "the file's certificate was checked: %s", out);
    free(out);
    free(err);
    /* a bad line is a failure that names the line and the way to check it */
    f = fopen(conf, "a");
    cr_assert(f);
    fputs("cache-mb = plenty\n", f);
    fclose(f);
    rc = run_newsdesk(&out, &err, "doctor", "--config", conf, NULL);
    cr_expect_eq(rc, 1, "%s", out);
    cr_expect(strstr(out, "newsdesk.conf:4: cache-mb must be") &&
                  strstr(out, "newsdesk config check"),
              "%s", out);
    free(out);
    free(err);
}
