/*
 * newsdesk doctor: looks at what a server needs (the database, its folder and disk, the
 * themes, a certificate and its key, the logs) and says, one line per check, whether it
 * is well and what to do when it is not. It only reads: it migrates, repairs and creates
 * nothing, so it is safe to run beside a serving server.
 */
#include "cli/cli_int.h"
#include "cli/options.h"

#include "admin/admin.h"
#include "http/http.h"
#include "site/site.h"

#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

static const char usage[] =
    "usage: newsdesk doctor --db FILE [options]\n\n"
    "Checks what a server needs: the database (SQLite's check of its pages, its schema\n"
    "version, free pages, the write-ahead log), its permissions and free disk, the\n"
    "themes, and a TLS certificate, its key and a log file when given. One line per\n"
    "check, ok, warn or fail, with what to do; exits 1 when a check failed (warnings\n"
    "allowed). It only reads, so it is safe while the server runs; run it as the\n"
    "server's user, since permissions are checked for the user running it.\n\n"
    "  --config FILE      take what is not given here from serve's configuration file,\n"
    "                     and check the file itself\n"
    "  --db FILE          the database\n"
    "  --theme DIR        the theme folder to compile (default themes/default)\n"
    "  --admin-theme DIR  the newsroom's theme folder to compile (default themes/admin)\n"
    "  --tls-cert FILE    a PEM certificate: readable, valid now and for 14 more days\n"
    "  --tls-key FILE     its private key: the certificate's, not readable by others\n"
    "  --access-log FILE  the access log: writable by this user\n"
    "  --full             integrity_check (every index against its table; minutes on\n"
    "                     gigabytes) instead of the quicker quick_check\n"
    "  -h, --help         show this help\n";

#define DOCTOR_MIB ((int64_t)1024 * 1024)
/* free pages worth a VACUUM: over a quarter of the file and over 64 MiB */
#define DOCTOR_FREE_SHARE 4
#define DOCTOR_FREE_MIN (64 * DOCTOR_MIB)
/* a write-ahead log this large is held by a long reader, or was never truncated */
#define DOCTOR_WAL_MAX (256 * DOCTOR_MIB)
/* free disk below which SQLite's next large write may fail: 100 MiB or 1% */
#define DOCTOR_DISK_MIN (100 * DOCTOR_MIB)
#define DOCTOR_DISK_SHARE 100
/* a certificate expiring sooner is due for renewal (certbot renews at 30 days) */
#define DOCTOR_CERT_DAYS 14

/*
 * What doctor looks at. The options fill it; the names are serve's options, so that the
 * same values describe the same server.
 */
struct doctor_inputs {
    const char *db;
    const char *theme;
    const char *admin_theme;
    const char *tls_cert;
    const char *tls_key;
    const char *access_log;
    const char *error_log; /* only a configuration file names it here */
    const char *config;
    bool full;
};

enum doctor_level { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL };

/* The checks' tally, and how lines are shown. */
struct doctor {
    unsigned counts[3];
    bool colour;
};

/* One check's line: its status word, then what was found and what to do. */
BASE_PRINTF(3, 4)
static void say(struct doctor *d, enum doctor_level level, const char *fmt, ...)
{
    static const char *const words[] = {"ok", "warn", "fail"};
    static const char *const colours[] = {"\033[32m", "\033[33m", "\033[31m"};
    d->counts[level]++;
    if (d->colour)
        printf("%s%-4s\033[0m  ", colours[level], words[level]);
    else
        printf("%-4s  ", words[level]);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

/* bytes as people read them: "812 MiB", "3.4 GiB", "12 KiB" */
static const char *size_text(int64_t bytes, char out[32])
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024 && u + 1 < ARRAY_LEN(units)) {
        v /= 1024;
        u++;
    }
    snprintf(out, 32, u && v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return out;
}

/* The folder holding path ("." for a bare name), in out. */
static const char *folder_of(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == path)
        snprintf(out, n, "/");
    else
        snprintf(out, n, "%.*s", (int)(slash - path), path);
    return out;
}

static const char *user_name(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw ? pw->pw_name : "this user";
}

/* ---- the database --------------------------------------------------------------- */

/* The file opens as a Newsdesk database: false when nothing more can be asked of it. */
static bool check_open(struct doctor *d, const struct doctor_inputs *in,
                       struct store_doctor_facts *f)
{
    const char *db = in->db;
    struct err err = {0};
    enum err_code rc = store_doctor_facts(db, in->full, f, &err);
    if (rc == ERR_BUSY)
        say(d, DOCTOR_FAIL,
            "%s: a process holds its write lock that long; look for a stuck one with "
            "'fuser %s'",
            err.msg, db);
    else if (rc == ERR_INVALID)
        say(d, DOCTOR_FAIL,
            "%s: point --db at the site's database, or copy the last good backup in its "
            "place",
            err.msg);
    else if (rc)
        say(d, DOCTOR_FAIL,
            "%s: %s must be able to read the file and to write in its folder (a reader of "
            "the database makes its -shm file there)",
            err.msg, user_name());
    else if (f->empty && f->schema == 0)
        say(d, DOCTOR_FAIL, "database '%s' is empty: create it with 'newsdesk init --db %s'", db,
            db);
    else if (!f->ours)
        say(d, DOCTOR_FAIL,
            "'%s' is an SQLite database, but not Newsdesk's: point --db at the site's "
            "database",
            db);
    else
        return true;
    return false;
}

static void check_schema(struct doctor *d, const struct store_doctor_facts *f)
{
    long long v = (long long)f->schema;
    if (f->schema == STORE_SCHEMA_VERSION)
        say(d, DOCTOR_OK, "schema version %lld, this newsdesk's", v);
    else if (f->schema < STORE_SCHEMA_VERSION)
        say(d, DOCTOR_WARN,
            "schema version %lld, older than this newsdesk's %d: 'newsdesk serve' or any "
            "command that writes migrates it (take a 'newsdesk backup' first)",
            v, STORE_SCHEMA_VERSION);
    else
        say(d, DOCTOR_FAIL,
            "schema version %lld, newer than this newsdesk's %d: this binary is older than "
            "the database; run the newsdesk that last wrote it, or a newer one",
            v, STORE_SCHEMA_VERSION);
}

static void check_integrity(struct doctor *d, const struct doctor_inputs *in,
                            const struct store_doctor_facts *f)
{
    const char *how = in->full ? "integrity_check" : "quick_check";
    if (f->intact) {
        say(d, DOCTOR_OK, "database integrity (%s)", how);
        return;
    }
    /* restore opens the live file first, which a damaged one may not allow */
    say(d, DOCTOR_FAIL,
        "database integrity (%s): %s: stop the server, move '%s' and its -wal file aside "
        "and copy the last good backup into its place; 'sqlite3 %s .recover' may rescue "
        "what was written after that backup",
        how, f->problems, in->db, in->db);
}

/* Free pages and the write-ahead log: disk the database holds beyond its content. */
static void check_pages(struct doctor *d, const struct doctor_inputs *in,
                        const struct store_doctor_facts *f)
{
    int64_t size = f->pages * f->page_size, unused = f->free_pages * f->page_size;
    char a[32], b[32];
    if (unused > size / DOCTOR_FREE_SHARE && unused > DOCTOR_FREE_MIN)
        say(d, DOCTOR_WARN,
            "%s of the database's %s are free pages (%lld%%): only a VACUUM gives them back; "
            "in a quiet hour, with the server stopped and a 'newsdesk backup' taken, run "
            "sqlite3 '%s' VACUUM (it needs as much free disk as the database)",
            size_text(unused, a), size_text(size, b), (long long)(unused * 100 / size), in->db);
    else
        say(d, DOCTOR_OK, "free pages: %s of %s", size_text(unused, a), size_text(size, b));
    if (f->wal_bytes > DOCTOR_WAL_MAX)
        say(d, DOCTOR_WARN,
            "write-ahead log is %s: it keeps its largest size until a checkpoint truncates "
            "it, and a long reader (an export, a backup, a stuck request) keeps it growing; "
            "run sqlite3 -cmd '.timeout 5000' '%s' 'PRAGMA wal_checkpoint(TRUNCATE)' (safe "
            "while the server runs), or restart the server in a quiet moment",
            size_text(f->wal_bytes, a), in->db);
    else
        say(d, DOCTOR_OK, "write-ahead log: %s", size_text(f->wal_bytes, a));
}

/* ---- the files and the disk ----------------------------------------------------- */

static void check_permissions(struct doctor *d, const char *db, const struct stat *sb)
{
    char dir[4096];
    folder_of(db, dir, sizeof(dir));
    bool file_ok = access(db, R_OK | W_OK) == 0, dir_ok = access(dir, W_OK | X_OK) == 0;
    if (!file_ok)
        say(d, DOCTOR_FAIL,
            "'%s' is not writable by %s: the server writes to it; chown it to the user that "
            "runs the server (and run doctor as that user)",
            db, user_name());
    if (!dir_ok)
        say(d, DOCTOR_FAIL,
            "the folder '%s' is not writable by %s: SQLite makes the database's -wal and "
            "-shm files there, and newsdesk its -stamp file; let the server's user write it",
            dir, user_name());
    if (file_ok && dir_ok)
        say(d, DOCTOR_OK, "'%s' and its folder are writable by %s", db, user_name());
    unsigned mode = (unsigned)sb->st_mode & 0777;
    if (sb->st_mode & S_IROTH)
        say(d, DOCTOR_WARN,
            "'%s' is readable by every user of this machine (mode %03o): it holds password "
            "hashes and session tokens; chmod 640 '%s'",
            db, mode, db);
    else
        say(d, DOCTOR_OK, "'%s' is not readable by other users (mode %03o)", db, mode);
}

static void check_disk(struct doctor *d, const char *db, int64_t db_bytes)
{
    char dir[4096], a[32], b[32];
    folder_of(db, dir, sizeof(dir));
    struct statvfs vs;
    if (statvfs(dir, &vs) != 0) {
        say(d, DOCTOR_WARN, "cannot tell the free disk of '%s': %s", dir, strerror(errno));
        return;
    }
    int64_t avail = (int64_t)vs.f_bavail * (int64_t)vs.f_frsize;
    int64_t total = (int64_t)vs.f_blocks * (int64_t)vs.f_frsize;
    if (avail < DOCTOR_DISK_MIN || avail < total / DOCTOR_DISK_SHARE)
        say(d, DOCTOR_FAIL,
            "only %s free on the database's filesystem (%s in all): writes fail when it "
            "fills; free some space or grow the disk",
            size_text(avail, a), size_text(total, b));
    else if (avail < db_bytes)
        say(d, DOCTOR_WARN,
            "%s free on the database's filesystem, less than the database's %s: a backup or "
            "a VACUUM there needs about as much again",
            size_text(avail, a), size_text(db_bytes, b));
    else
        say(d, DOCTOR_OK, "free disk: %s on the database's filesystem", size_text(avail, a));
}

/* The database: the file, then what SQLite says of it, then its folder and disk. */
/*
 * A PostgreSQL database: whether it answers at the schema this program writes. Its files,
 * pages and disk are PostgreSQL's to check (its own tools: pg_amcheck, the server's log).
 */
static void check_pg(struct doctor *d, const struct doctor_inputs *in)
{
    struct store *st = NULL;
    struct err err = {0};
    if (store_open(in->db, STORE_READ, &st, &err) || store_ready(st, &err))
        say(d, DOCTOR_FAIL, "database: %s", err.msg);
    else
        say(d, DOCTOR_OK,
            "database answers at schema %d (PostgreSQL: its pages and disk are "
            "for pg_amcheck and the server's own monitoring)",
            STORE_SCHEMA_VERSION);
    store_close(st);
}

static void check_database(struct doctor *d, const struct doctor_inputs *in)
{
    if (store_path_is_pg(in->db)) {
        check_pg(d, in);
        return;
    }
    struct stat sb;
    bool missing = stat(in->db, &sb) != 0;
    if (missing || !S_ISREG(sb.st_mode)) {
        say(d, DOCTOR_FAIL,
            "database '%s' %s: create it with 'newsdesk init --db %s', or point --db at the "
            "site's database",
            in->db, missing ? "cannot be found" : "is not a file", in->db);
        return;
    }
    struct store_doctor_facts f;
    if (check_open(d, in, &f)) {
        check_schema(d, &f);
        check_integrity(d, in, &f);
        check_pages(d, in, &f);
    }
    check_permissions(d, in->db, &sb);
    check_disk(d, in->db, (int64_t)sb.st_size + f.wal_bytes);
}

/* ---- the themes ----------------------------------------------------------------- */

/* Compiled as serve compiles them (load_site in serve.c), with no settings applied. */
static void check_themes(struct doctor *d, const struct doctor_inputs *in)
{
    struct err err = {0};
    struct site_settings none = {0};
    struct site *site = NULL;
    if (site_open(in->theme, &none, &site, &err))
        say(d, DOCTOR_FAIL,
            "theme '%s': %s: fix the template, or point --theme at a working theme "
            "(themes/default comes with Newsdesk)",
            in->theme, err.msg);
    else
        say(d, DOCTOR_OK, "theme '%s' compiles", in->theme);
    site_free(site);
    struct admin_theme *admin = NULL;
    if (admin_theme_load(in->admin_theme, &admin, &err))
        say(d, DOCTOR_FAIL,
            "newsroom theme '%s': %s: fix the template, or point --admin-theme at a working "
            "one (themes/admin comes with Newsdesk)",
            in->admin_theme, err.msg);
    else
        say(d, DOCTOR_OK, "newsroom theme '%s' compiles", in->admin_theme);
    admin_theme_free(admin);
}

/* ---- the certificate and the logs ------------------------------------------------ */

/* A time left as people say it: "within a day", "in 1 day", "in 5 days" (rounded). */
static const char *days_text(int64_t seconds, char out[32])
{
    long long days = (long long)((seconds + 43200) / 86400);
    if (seconds < 86400)
        snprintf(out, 32, "within a day");
    else
        snprintf(out, 32, "in %lld day%s", days, days == 1 ? "" : "s");
    return out;
}

/* The certificate's validity period against the clock. */
static void check_cert_dates(struct doctor *d, const char *path, const struct http_cert_info *ci)
{
    int64_t now = time_now(), left = ci->not_after - now;
    char date[32], when[32];
    if (now < ci->not_before) {
        time_fmt_iso_utc(ci->not_before, date);
        say(d, DOCTOR_FAIL,
            "certificate '%s' (%s) is not valid before %s: check the machine's clock "
            "(timedatectl)",
            path, ci->subject, date);
        return;
    }
    time_fmt_iso_utc(ci->not_after, date);
    if (left <= 0)
        say(d, DOCTOR_FAIL,
            "certificate '%s' (%s) expired on %s: browsers refuse the site; renew it "
            "(certbot renew) and restart the server",
            path, ci->subject, date);
    else if (left < DOCTOR_CERT_DAYS * 86400)
        say(d, DOCTOR_WARN,
            "certificate '%s' (%s) expires %s, on %s: renew it (certbot renew) and restart "
            "the server",
            path, ci->subject, days_text(left, when), date);
    else
        say(d, DOCTOR_OK, "certificate '%s' (%s) is valid until %s", path, ci->subject, date);
}

static void check_key(struct doctor *d, const char *path, const struct http_cert_info *ci)
{
    struct stat sb;
    if (!ci->key_matches) {
        say(d, DOCTOR_FAIL,
            "key '%s' is not the certificate's: point --tls-key at the key the certificate "
            "was issued for (privkey.pem beside certbot's fullchain.pem)",
            path);
        return;
    }
    if (stat(path, &sb) == 0 && (sb.st_mode & S_IROTH))
        say(d, DOCTOR_WARN,
            "key '%s' is the certificate's, but every user of this machine can read it "
            "(mode %03o): chmod 600 '%s'",
            path, (unsigned)sb.st_mode & 0777, path);
    else
        say(d, DOCTOR_OK, "key '%s' is the certificate's", path);
}

static void check_cert(struct doctor *d, const struct doctor_inputs *in)
{
    if (!in->tls_cert) {
        if (in->tls_key)
            say(d, DOCTOR_WARN, "key '%s' given without --tls-cert: nothing to check it against",
                in->tls_key);
        return;
    }
    struct http_cert_info ci;
    struct err err = {0};
    if (http_cert_inspect(in->tls_cert, in->tls_key, &ci, &err)) {
        say(d, DOCTOR_FAIL,
            "%s: point --tls-cert and --tls-key at PEM files %s can read (certbot's "
            "fullchain.pem and privkey.pem)",
            err.msg, user_name());
        return;
    }
    check_cert_dates(d, in->tls_cert, &ci);
    if (in->tls_key)
        check_key(d, in->tls_key, &ci);
}

/* A log the server appends to: writable, or its folder is (it is created). */
static void check_log(struct doctor *d, const char *what, const char *path)
{
    if (!path || strcmp(path, "-") == 0 || strcmp(path, "off") == 0)
        return;
    char dir[4096];
    if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
        say(d, DOCTOR_FAIL, "%s '%s' is not writable by %s: chown it to the server's user", what,
            path, user_name());
    else if (access(path, F_OK) != 0 && access(folder_of(path, dir, sizeof(dir)), W_OK) != 0)
        say(d, DOCTOR_FAIL,
            "%s '%s' cannot be created: the folder '%s' is missing or not writable by %s", what,
            path, dir, user_name());
    else
        say(d, DOCTOR_OK, "%s '%s' is writable", what, path);
}

/* ---- the command ---------------------------------------------------------------- */

static int parse(int argc, char **argv, struct doctor_inputs *in)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'C'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"theme", required_argument, NULL, 't'},
                                         {"admin-theme", required_argument, NULL, 'A'},
                                         {"tls-cert", required_argument, NULL, 'c'},
                                         {"tls-key", required_argument, NULL, 'k'},
                                         {"access-log", required_argument, NULL, 'a'},
                                         {"full", no_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        switch (c) {
        case 'h':
            cli_usage(usage, false);
            return -1; /* help shown: stop, success */
        case 'C':
            in->config = optarg;
            break;
        case 'd':
            in->db = optarg;
            break;
        case 't':
            in->theme = optarg;
            break;
        case 'A':
            in->admin_theme = optarg;
            break;
        case 'c':
            in->tls_cert = optarg;
            break;
        case 'k':
            in->tls_key = optarg;
            break;
        case 'a':
            in->access_log = optarg;
            break;
        case 'f':
            in->full = true;
            break;
        default:
            return cli_usage(usage, true);
        }
    }
    return optind == argc ? CLI_OK : cli_usage(usage, true);
}

static void config_problem(void *ctx, const char *file, unsigned line, const char *msg)
{
    say(ctx, DOCTOR_FAIL, "configuration %s:%u: %s — fix it ('newsdesk config check %s')", file,
        line, msg, file);
}

/*
 * serve's configuration file (--config) fills what the options left empty, so that doctor
 * checks exactly what serve would use; options win over the file, as they do for serve.
 * Then the themes' defaults, as serve has them.
 */
static void inputs_complete(struct doctor *d, struct doctor_inputs *in, struct serve_opts *o,
                            char *theme, char *admin, size_t n)
{
    if (in->config) {
        struct config_report r = {.path = in->config, .say = config_problem, .ctx = d};
        if (!serve_opts_read_file(in->config, o, &r))
            say(d, DOCTOR_OK, "configuration %s", in->config);
        in->db = in->db ? in->db : o->db;
        in->theme = in->theme ? in->theme : o->theme;
        in->admin_theme = in->admin_theme ? in->admin_theme : o->admin_theme;
        in->tls_cert = in->tls_cert ? in->tls_cert : o->tls_cert;
        in->tls_key = in->tls_key ? in->tls_key : o->tls_key;
        if (!in->access_log && o->access_log && strcmp(o->access_log, "-") != 0)
            in->access_log = o->access_log;
        if (o->error_log && strcmp(o->error_log, "-") != 0)
            in->error_log = o->error_log;
    }
    if (!in->theme)
        in->theme = cli_default_theme(theme, n);
    if (!in->admin_theme)
        in->admin_theme = cli_admin_theme(admin, n);
}

int cli_doctor(int argc, char **argv)
{
    struct doctor_inputs in = {0};
    int rc = parse(argc, argv, &in);
    if (rc)
        return rc < 0 ? CLI_OK : rc;
    char theme[1100], admin[1100];
    const char *no_colour = getenv("NO_COLOR");
    struct doctor d = {.colour = isatty(STDOUT_FILENO) && !(no_colour && *no_colour)};
    struct serve_opts o;
    serve_opts_init(&o);
    inputs_complete(&d, &in, &o, theme, admin, sizeof(theme));
    if (!in.db) {
        serve_opts_release(&o);
        return cli_fail("--db FILE is required (or 'db' in --config's file)");
    }
    check_database(&d, &in);
    check_themes(&d, &in);
    check_cert(&d, &in);
    check_log(&d, "access log", in.access_log);
    check_log(&d, "error log", in.error_log);
    unsigned fails = d.counts[DOCTOR_FAIL], warns = d.counts[DOCTOR_WARN];
    printf("doctor: %u ok, %u warning%s, %u failed\n", d.counts[DOCTOR_OK], warns,
           warns == 1 ? "" : "s", fails);
    serve_opts_release(&o);
    return fails ? CLI_FAIL : CLI_OK;
}
