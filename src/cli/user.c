#include "cli/cli_int.h"

#include "auth/auth.h"
#include "content/content.h"
#include "newsroom/newsroom.h"
#include "site/site.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: newsdesk user add --db FILE --email E --name N --role R\n"
    "       newsdesk user list --db FILE\n"
    "       newsdesk user set-role --db FILE EMAIL ROLE\n"
    "       newsdesk user disable --db FILE EMAIL\n"
    "       newsdesk user enable --db FILE EMAIL\n"
    "       newsdesk user password --db FILE EMAIL\n"
    "       newsdesk user reset-link --db FILE EMAIL\n"
    "       newsdesk user invite --db FILE --email E --name N --role R\n"
    "       newsdesk user set --db FILE SLUG-or-EMAIL [--name N] [--slug S] [--bio TEXT]\n"
    "            [--avatar URL] [--website URL] [--location TEXT] [--contact-email E]\n\n"
    "Staff accounts for the editor at /admin/. Roles, as in Ghost:\n"
    "  contributor    writes drafts, never publishes\n"
    "  author         publishes and edits their own posts\n"
    "  editor         any post, tags, authors' profiles, the tips inbox\n"
    "  administrator  everything, including staff accounts and the audit log\n\n"
    "The password is never an argument (it would show in the process list and the shell's\n"
    "history): 'add' and 'password' ask for it on a terminal, or read one line from\n"
    "standard input, as in the example below.\n"
    "reset-link prints a one-time link with which the account's owner sets a new password\n"
    "in the browser: good for an hour, for one use; it replaces the account's earlier\n"
    "links. For an account without a password yet (invited, or imported) it is an\n"
    "invitation, good for a week. invite adds an account without a password and prints\n"
    "its invitation link. Pass links on through a channel you trust: whoever holds one\n"
    "can set the password. Staff who forget a password ask an administrator, who makes\n"
    "the same link on their page under Staff; 'password' remains for a sole administrator.\n"
    "Disabling an account signs it out everywhere; its posts and byline stay.\n"
    "set changes the public profile of a person (by byline slug or login e-mail) or a\n"
    "desk (by slug): only the fields given; an empty value clears one. The rules are the\n"
    "profile form's: name 1 to 191 bytes, bio up to 2,000, location up to 150, avatar\n"
    "and website http(s) addresses or site paths, and a contact e-mail that is not the\n"
    "login e-mail (readers never see that one).\n\n"
    "  --db FILE     the database\n"
    "  --email E     the login e-mail: private, never shown to readers (a public contact\n"
    "                e-mail is set on the profile in the newsroom)\n"
    "  --name N      the name on the byline\n"
    "  --role R      contributor, author, editor or administrator\n"
    "  --slug, --bio, --avatar, --website, --location, --contact-email: see set\n"
    "  -h, --help    show this help\n\n"
    "Example, on a new site (each line can be pasted into a shell as it is):\n"
    "  newsdesk init --db site.db\n"
    "  printf '%s\\n' 'a long passphrase' | newsdesk user add --db site.db --email you@example.org "
    "--name 'Your Name' --role administrator\n"
    "  newsdesk user invite --db site.db --email ana@example.org --name 'Ana Reporter' --role "
    "author\n"
    "  newsdesk user reset-link --db site.db you@example.org\n"
    "  newsdesk user list --db site.db\n";

/* One line from stdin; on a terminal, asked for twice with echo off. */
static int read_password(char *out, size_t n)
{
    bool tty = isatty(STDIN_FILENO);
    for (int round = 0; round < (tty ? 2 : 1); round++) {
        char *dst = round == 0 ? out : out + n / 2;
        size_t cap = round == 0 ? n / 2 : n - n / 2;
        struct termios old, quiet;
        if (tty) {
            fprintf(stderr, round == 0 ? "Password: " : "Again: ");
            tcgetattr(STDIN_FILENO, &old);
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        }
        char *got = fgets(dst, (int)cap, stdin);
        if (tty) {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
            fputc('\n', stderr);
        }
        if (!got)
            return cli_fail("no password given on standard input");
        size_t len = strlen(dst);
        if (len && dst[len - 1] != '\n' && !feof(stdin))
            return cli_fail("the password is longer than %d characters", AUTH_PASSWORD_MAX);
        while (len && (dst[len - 1] == '\n' || dst[len - 1] == '\r'))
            dst[--len] = '\0';
    }
    if (tty && strcmp(out, out + n / 2) != 0)
        return cli_fail("the two passwords differ");
    return CLI_OK;
}

static int hash_from_stdin(char hash[AUTH_HASH_MAX])
{
    char pw[2 * (AUTH_PASSWORD_MAX + 2)];
    if (read_password(pw, sizeof(pw)))
        return CLI_FAIL;
    struct err err = {0};
    enum err_code rc = auth_password_hash(str_from(pw), hash, &err);
    memset(pw, 0, sizeof(pw));
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

static bool email_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || !at[1] || strlen(e) > 254 || !strchr(at, '.'))
        return false;
    for (const char *p = e; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"')
            return false;
    return true;
}

/* Inserts u with the first free slug from base, and notes it in the audit log. */
static enum err_code add_account(struct store *st, struct store_user *u, struct str base,
                                 struct arena *a, int64_t *id, struct err *err)
{
    enum err_code rc = store_slug_unique(st, STORE_SLUG_AUTHOR, base, a, &u->slug, err);
    if (!rc)
        rc = store_user_insert(st, u, id, err);
    if (!rc)
        rc = store_audit(st, 0, "add account", u->slug, u->role, STR_LIT("command line"), err);
    return rc;
}

/* What add and invite need: an e-mail, a name and a role, each valid; CLI_OK or a failure. */
static int newcomer_check(const char *cmd, const char *email, const char *name,
                          const char *role_name)
{
    enum auth_role role;
    if (!email || !name || !role_name)
        return cli_fail("user %s needs --email, --name and --role (see --help)", cmd);
    if (!email_ok(email))
        return cli_fail("'%s' is not an e-mail address", email);
    if (!*name || strlen(name) > 191)
        return cli_fail("the name must be 1 to 191 bytes");
    if (!auth_role_parse(str_from(role_name), &role))
        return cli_fail("unknown role '%s': contributor, author, editor or administrator",
                        role_name);
    return CLI_OK;
}

static int add(struct store *st, const char *email, const char *name, const char *role_name)
{
    if (newcomer_check("add", email, name, role_name))
        return CLI_FAIL;
    char hash[AUTH_HASH_MAX];
    if (hash_from_stdin(hash))
        return CLI_FAIL;
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_user u = {.name = str_from(name),
                           .email = str_from(email), /* private: no contact e-mail */
                           .role = str_from(role_name),
                           .password_hash = str_from(hash)};
    struct str base = content_slugify(u.name, &a);
    if (!base.len)
        base = STR_LIT("author");
    int64_t id = 0;
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, add_account(st, &u, base, &a, &id, &err), &err);
    if (!rc)
        printf("added %s <%s> as %s (/author/%.*s/); log in at /admin/login/\n", name, email,
               role_name, (int)u.slug.len, u.slug.ptr);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

static int list(struct store *st)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_user *u;
    size_t n;
    if (store_users_all(st, &a, &u, &n, &err)) {
        arena_release(&a);
        return cli_fail("%s", err.msg);
    }
    printf("%-14s %-9s %-28s %s\n", "ROLE", "STATUS", "LOGIN", "NAME");
    for (size_t i = 0; i < n; i++) {
        /* an invitation not yet used: the login is known, the password is not set */
        bool invited =
            u[i].email.len && !u[i].password_hash.len && str_eq_cstr(u[i].status, "active");
        struct str status = invited ? STR_LIT("invited") : u[i].status;
        struct str login = u[i].email.len ? u[i].email : STR_LIT("-");
        printf("%-14.*s %-9.*s %-28.*s %.*s\n", (int)u[i].role.len, u[i].role.ptr, (int)status.len,
               status.ptr, (int)login.len, login.ptr, (int)u[i].name.len, u[i].name.ptr);
    }
    arena_release(&a);
    return CLI_OK;
}

/* The change to account u, refused if it leaves no active administrator; in a transaction. */
static enum err_code apply(struct store *st, const char *what, const struct store_user *u,
                           enum auth_role role, const char *hash, const char *arg, struct err *err)
{
    enum err_code rc;
    if (role)
        rc = store_user_set_role(st, u->id, auth_role_name(role), err);
    else if (strcmp(what, "password") == 0)
        rc = store_user_set_password(st, u->id, hash, NULL, err);
    else
        rc = store_user_set_status(st, u->id, strcmp(what, "disable") == 0 ? "disabled" : "active",
                                   err);
    int64_t admins = 1;
    if (!rc)
        rc = store_admins_count(st, &admins, err);
    if (!rc && admins == 0 && !str_eq_cstr(u->role, "administrator"))
        admins = 1; /* there were none before: not this change's doing */
    if (!rc && admins == 0)
        rc = err_set(err, ERR_CONFLICT, "that would leave no active administrator");
    if (!rc)
        rc = store_audit(st, 0, strcmp(what, "set-role") == 0 ? "change role" : what, u->slug,
                         str_from(arg ? arg : ""), STR_LIT("command line"), err);
    return rc;
}

/* set-role, disable, enable, password: one account by login e-mail, one change. */
static int change(struct store *st, const char *what, const char *email, const char *arg)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_user u;
    enum auth_role role = AUTH_NONE;
    char hash[AUTH_HASH_MAX] = "";
    if (strcmp(what, "set-role") == 0 && !auth_role_parse(str_from(arg), &role)) {
        arena_release(&a);
        return cli_fail("unknown role '%s': contributor, author, editor or administrator", arg);
    }
    enum err_code rc = store_user_by_email(st, str_from(email), &a, &u, &err);
    if (rc == ERR_NOTFOUND)
        err_set(&err, rc, "no account with the login %s", email);
    if (!rc && strcmp(what, "password") == 0 && hash_from_stdin(hash)) {
        arena_release(&a);
        return CLI_FAIL;
    }
    if (!rc)
        rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, apply(st, what, &u, role, hash, arg, &err), &err);
    if (!rc)
        printf("%s: %s%s%s\n", email, what, arg ? " " : "", arg ? arg : "");
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

/* ---- one-time links: reset-link, invite -------------------------------------------- */

/* Makes u's link in a transaction and prints it with what to do with it. */
static enum err_code print_link(struct store *st, const struct store_user *u, struct arena *a,
                                struct err *err)
{
    struct site_settings site;
    enum err_code rc = site_settings_load(st, a, &site, err);
    struct newsroom_link l;
    if (!rc)
        rc = newsroom_link_make(st, u, 0, STR_LIT("command line"), site.url, a, &l, err);
    if (rc)
        return rc;
    char until[64];
    time_t t = (time_t)l.expires_at;
    strftime(until, sizeof(until), "%Y-%m-%d %H:%M UTC", gmtime(&t));
    printf("%s link for %.*s, good once until %s:\n%.*s\n"
           "Pass it on through a channel you trust: whoever holds it can set the password.\n",
           l.invite ? "Invitation" : "Password reset", (int)u->name.len, u->name.ptr, until,
           (int)l.url.len, l.url.ptr);
    return ERR_OK;
}

/* The person whose login e-mail is email, password or not, if a link may be made for them. */
static enum err_code link_target(struct store *st, const char *email, struct arena *a,
                                 struct store_user *u, struct err *err)
{
    int64_t id = 0;
    enum err_code rc = store_user_by_login(st, str_from(email), &id, err);
    if (rc == ERR_NOTFOUND)
        return err_set(err, rc, "no account with the login %s", email);
    if (!rc)
        rc = store_user_by_id(st, id, a, u, err);
    if (!rc && str_eq_cstr(u->status, "disabled"))
        return err_set(err, ERR_CONFLICT,
                       "%s is disabled and cannot log in with any password: 'user enable' first",
                       email);
    return rc;
}

static int reset_link(struct store *st, const char *email)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_user u;
    enum err_code rc = link_target(st, email, &a, &u, &err);
    if (!rc)
        rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, print_link(st, &u, &a, &err), &err);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

/* An account without a password and its invitation link, refused if the login is taken. */
static enum err_code invite_write(struct store *st, struct store_user *u, struct str base,
                                  struct arena *a, struct err *err)
{
    int64_t taken = 0;
    enum err_code rc = store_user_by_login(st, u->email, &taken, err);
    if (!rc)
        return err_set(err, ERR_CONFLICT,
                       "%.*s already has an account: nothing was added ('user reset-link' "
                       "makes it a new link)",
                       (int)u->email.len, u->email.ptr);
    if (rc != ERR_NOTFOUND)
        return rc;
    rc = add_account(st, u, base, a, &u->id, err);
    return rc ? rc : print_link(st, u, a, err);
}

static int invite(struct store *st, const char *email, const char *name, const char *role_name)
{
    if (newcomer_check("invite", email, name, role_name))
        return CLI_FAIL;
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_user u = {
        .name = str_from(name), .email = str_from(email), .role = str_from(role_name)};
    struct str base = content_slugify(u.name, &a);
    if (!base.len)
        base = STR_LIT("author");
    enum err_code rc = store_tx_begin(st, &err);
    if (!rc)
        rc = store_tx_end(st, invite_write(st, &u, base, &a, &err), &err);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

/* ---- set: the public profile ------------------------------------------------------- */

/* The profile fields `user set` may change; NULL: left as it is. */
struct profile_opts {
    const char *name, *slug, *bio, *avatar, *website, *location, *contact_email;
};

static bool web_ok(struct str u)
{
    return !u.len ||
           (u.len <= 2000 && (str_starts_with(u, "https://") || str_starts_with(u, "http://") ||
                              (u.ptr[0] == '/' && (u.len == 1 || u.ptr[1] != '/'))));
}

/* The account or desk whose byline slug or login e-mail is who (e-mail: any case). */
static enum err_code find_person(struct store *st, const char *who, struct arena *a,
                                 struct store_user *out, struct err *err)
{
    struct store_user *all;
    size_t n;
    enum err_code rc = store_users_all(st, a, &all, &n, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (str_eq_cstr(all[i].slug, who) ||
            (all[i].email.len &&
             strcasecmp(who, arena_strndup(a, all[i].email.ptr, all[i].email.len)) == 0)) {
            *out = all[i];
            return ERR_OK;
        }
    return rc ? rc
              : err_set(err, ERR_NOTFOUND, "no person or desk with the slug or login '%s'", who);
}

/* What is wrong with the new profile, as the newsroom's profile form says it, or NULL. */
static const char *profile_problem(const struct store_user *u, struct str location)
{
    if (!u->name.len || u->name.len > 191)
        return "the name must be 1 to 191 bytes";
    if (!content_slug_valid(u->slug))
        return "the slug may hold only a-z, 0-9 and single hyphens";
    if (u->bio.len > 2000)
        return "the bio is longer than 2,000 bytes";
    if (location.len > 150)
        return "the location is longer than 150 bytes";
    if (!web_ok(u->avatar) || !web_ok(u->website))
        return "the avatar and website must be http(s) addresses or site paths";
    if (u->contact_email.len && !email_ok(u->contact_email.ptr))
        return "the contact e-mail is not an e-mail address";
    if (u->contact_email.len && u->email.len && !u->contact_confirmed &&
        strcasecmp(u->contact_email.ptr, u->email.ptr) == 0)
        return "the contact e-mail is the login e-mail, which readers never see: give another "
               "address";
    return NULL;
}

/* u with the fields o gives; a confirmed public login e-mail stays confirmed if unchanged. */
static void profile_apply(struct store_user *u, const struct profile_opts *o, struct arena *a)
{
    const char *const *src[] = {&o->name,   &o->slug,    &o->bio,
                                &o->avatar, &o->website, &o->contact_email};
    struct str *dst[] = {&u->name, &u->slug, &u->bio, &u->avatar, &u->website, &u->contact_email};
    struct str old_contact = u->contact_email;
    for (size_t i = 0; i < ARRAY_LEN(src); i++)
        if (*src[i])
            *dst[i] = str_from(*src[i]);
    /* NUL-terminated copies, for the checks that read C strings */
    u->contact_email = str_from(arena_strndup(a, u->contact_email.ptr, u->contact_email.len));
    u->email = str_from(arena_strndup(a, u->email.ptr, u->email.len));
    u->contact_confirmed = u->contact_confirmed && str_eq(old_contact, u->contact_email);
}

static enum err_code profile_write(struct store *st, const struct store_user *u,
                                   const char *location, struct err *err)
{
    enum err_code rc = store_user_update_profile(st, u->id, u, err);
    if (!rc && location)
        rc = store_user_location_set(st, u->id, str_from(location), err);
    if (!rc)
        rc = store_audit(st, 0, "edit profile", u->slug, STR_LIT(""), STR_LIT("command line"), err);
    return rc;
}

static int set_profile(struct store *st, const char *who, const struct profile_opts *o)
{
    struct arena a;
    arena_init(&a);
    struct err err = {0};
    struct store_user u;
    enum err_code rc = find_person(st, who, &a, &u, &err);
    if (!rc) {
        profile_apply(&u, o, &a);
        const char *bad = profile_problem(&u, str_from(o->location ? o->location : ""));
        rc = bad ? err_set(&err, ERR_INVALID, "%s", bad) : store_tx_begin(st, &err);
    }
    if (!rc)
        rc = store_tx_end(st, profile_write(st, &u, o->location, &err), &err);
    if (!rc)
        printf("%.*s (/author/%.*s/): profile saved\n", (int)u.name.len, u.name.ptr,
               (int)u.slug.len, u.slug.ptr);
    arena_release(&a);
    return rc ? cli_fail("%s", err.msg) : CLI_OK;
}

/* The option's destination for `user set`, or NULL when it is not a profile option. */
static const char **profile_slot(struct profile_opts *p, int c)
{
    switch (c) {
    case 's':
        return &p->slug;
    case 'b':
        return &p->bio;
    case 'A':
        return &p->avatar;
    case 'w':
        return &p->website;
    case 'l':
        return &p->location;
    case 'c':
        return &p->contact_email;
    default:
        return NULL;
    }
}

struct user_opts {
    const char *db, *email, *name, *role;
    struct profile_opts prof;
};

/* The options; returns -1 to go on, or the exit status (help shown, or a usage error). */
static int user_options(int argc, char **argv, struct user_opts *o)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"email", required_argument, NULL, 'e'},
        {"name", required_argument, NULL, 'n'},     {"role", required_argument, NULL, 'r'},
        {"slug", required_argument, NULL, 's'},     {"bio", required_argument, NULL, 'b'},
        {"avatar", required_argument, NULL, 'A'},   {"website", required_argument, NULL, 'w'},
        {"location", required_argument, NULL, 'l'}, {"contact-email", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},           {0}};
    int c;
    while ((c = cli_getopt(argc, argv, "h", opts)) != -1) {
        const char **slot = profile_slot(&o->prof, c);
        if (!slot)
            slot = c == 'd'   ? &o->db
                   : c == 'e' ? &o->email
                   : c == 'n' ? &o->name
                   : c == 'r' ? &o->role
                              : NULL;
        if (c == 'h')
            return cli_usage(usage, false);
        if (!slot)
            return cli_usage(usage, true);
        *slot = optarg;
    }
    o->prof.name = o->name;
    return -1;
}

int cli_user(int argc, char **argv)
{
    struct user_opts o = {0};
    int status = user_options(argc, argv, &o);
    if (status >= 0)
        return status;
    int left = argc - optind;
    const char *cmd = left ? argv[optind] : "";
    bool ok = (strcmp(cmd, "add") == 0 && left == 1) || (strcmp(cmd, "list") == 0 && left == 1) ||
              (strcmp(cmd, "invite") == 0 && left == 1) ||
              (strcmp(cmd, "reset-link") == 0 && left == 2) ||
              (strcmp(cmd, "set-role") == 0 && left == 3) ||
              ((strcmp(cmd, "disable") == 0 || strcmp(cmd, "enable") == 0 ||
                strcmp(cmd, "password") == 0 || strcmp(cmd, "set") == 0) &&
               left == 2);
    if (!ok)
        return cli_usage(usage, true);
    struct err err = {0};
    if (auth_init(&err))
        return cli_fail("%s", err.msg);
    struct store *st;
    if (cli_open(o.db, STORE_WRITE, &st))
        return CLI_FAIL;
    if (strcmp(cmd, "add") == 0)
        status = add(st, o.email, o.name, o.role);
    else if (strcmp(cmd, "list") == 0)
        status = list(st);
    else if (strcmp(cmd, "set") == 0)
        status = set_profile(st, argv[optind + 1], &o.prof);
    else if (strcmp(cmd, "invite") == 0)
        status = invite(st, o.email, o.name, o.role);
    else if (strcmp(cmd, "reset-link") == 0)
        status = reset_link(st, argv[optind + 1]);
    else
        status = change(st, cmd, argv[optind + 1], left == 3 ? argv[optind + 2] : NULL);
    store_close(st);
    return status;
}
