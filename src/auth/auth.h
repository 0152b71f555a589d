/*
 * auth: who may do what. Staff roles and their permissions (Ghost's four roles),
 * password hashing (argon2id through libsodium), session tokens, API key checks, and the
 * in-memory rate limits that slow down password guessing and tip floods.
 *
 * Nothing here touches the database or HTTP: store/ keeps accounts and sessions, admin/
 * asks this module whether an action is allowed.
 */
#ifndef AUTH_H
#define AUTH_H

#include "base/base.h"

/* ---- roles and permissions ------------------------------------------------------- */

/* Ordered: a higher role can do everything a lower one can. */
enum auth_role {
    AUTH_NONE = 0, /* no session, or a desk byline (which never logs in) */
    AUTH_CONTRIBUTOR,
    AUTH_AUTHOR,
    AUTH_EDITOR,
    AUTH_ADMINISTRATOR,
};

/** "contributor", "author", "editor", "administrator" ("" for AUTH_NONE). */
const char *auth_role_name(enum auth_role role);
/** The role named s; false when s names none of the four (desk included). */
bool auth_role_parse(struct str s, enum auth_role *out);

enum auth_action {
    AUTH_POST_WRITE,   /* change a post's text, tags, authors, fields */
    AUTH_POST_PUBLISH, /* publish, schedule, unpublish, correct a published post */
    AUTH_POST_DELETE,
    AUTH_TAG_CREATE,   /* name a tag that does not exist yet, in a post */
    AUTH_TAGS_MANAGE,  /* rename, re-slug, describe tags */
    AUTH_TIPS_READ,    /* the readers' tips inbox */
    AUTH_STAFF_MANAGE, /* edit other people's profiles and desks, add staff */
    AUTH_STAFF_ROLES,  /* change roles, disable accounts */
    AUTH_AUDIT_READ,
};

/*
 * What a post is to the one asking: whether they are among its authors, and whether it
 * is (or was) published — a contributor may change only their own unpublished drafts.
 */
struct auth_post {
    bool own;
    bool published;
};

/** Whether role may do act (to post, for the post actions; NULL otherwise). */
bool auth_can(enum auth_role role, enum auth_action act, const struct auth_post *post);
/** Whether role may edit the profile of someone with role other (self: always). */
bool auth_can_edit_profile(enum auth_role role, bool self, enum auth_role other, bool desk);
/** Whether role may give other accounts the role target (add staff, change a role). */
bool auth_can_grant(enum auth_role role, enum auth_role target);

/* ---- passwords ------------------------------------------------------------------- */

#define AUTH_PASSWORD_MIN 10   /* characters (bytes); OWASP ASVS 2.1.1 asks 12 for new */
#define AUTH_PASSWORD_MAX 1024 /* longer is refused: hashing has a cost per byte */
#define AUTH_HASH_MAX 128      /* room for an encoded argon2id hash */

/** Initialises libsodium; call once at start-up. ERR_INTERNAL when it cannot. */
enum err_code auth_init(struct err *err);
/** Length and content rules for a new password; ERR_INVALID with a message saying why. */
enum err_code auth_password_check(struct str pw, struct err *err);
/**
 * Hashes pw with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane) into out
 * ("$argon2id$v=19$m=19456,t=2,p=1$..."). Takes tens of milliseconds on purpose.
 */
enum err_code auth_password_hash(struct str pw, char out[AUTH_HASH_MAX], struct err *err);
/**
 * True when pw matches hash. A NULL or empty hash (a desk, an account without a
 * password) never matches, but costs the same time, so timing does not tell accounts
 * from non-accounts.
 */
bool auth_password_verify(const char *hash, struct str pw);

/* ---- tokens ---------------------------------------------------------------------- */

#define AUTH_TOKEN_LEN 43 /* 32 random bytes, base64url without padding */

/** A fresh random token, NUL-terminated. */
void auth_token_new(char out[AUTH_TOKEN_LEN + 1]);
/** SHA-256 of a token: what the database keeps instead of the token itself. */
void auth_token_hash(struct str token, unsigned char out[32]);
/** SHA-256 of any bytes (migrate's row checksums). Thread-safe. */
void auth_sha256(struct str bytes, unsigned char out[32]);
/** Compares two secrets in time that depends only on their lengths. */
bool auth_secret_eq(struct str a, struct str b);
/**
 * HMAC-SHA256 (RFC 2104) of msg under key, which may have any length (WebSub's hub.secret),
 * as 64 lowercase hex digits and a NUL. Thread-safe.
 */
void auth_hmac_sha256_hex(struct str key, struct str msg, char out[65]);

/* ---- preview links --------------------------------------------------------------- */

/*
 * A preview link's token lets anyone holding it read one unpublished post until a time:
 * "ID.EXPIRES.MAC", the post id and the expiry (Unix seconds) in decimal without sign
 * or leading zeros, and MAC the HMAC-SHA256 of "ID.EXPIRES" under the key, in base64url
 * without padding (43 characters). Only the holder of the key can make one; nothing is
 * stored per link, so a link cannot be revoked early: it ends at its expiry.
 */
#define AUTH_PREVIEW_TOKEN_MAX 96 /* 19 + 1 + 19 + 1 + 43 + NUL, rounded up */

enum auth_preview_check {
    AUTH_PREVIEW_OK,
    AUTH_PREVIEW_INVALID, /* not a token, or not one made with this key */
    AUTH_PREVIEW_EXPIRED, /* a genuine token whose time has passed */
};

/** The token for post_id (> 0) valid until expires (> 0), NUL-terminated in out. */
void auth_preview_sign(struct str key, int64_t post_id, int64_t expires,
                       char out[AUTH_PREVIEW_TOKEN_MAX]);
/**
 * Checks token against key at time now. OK and EXPIRED set *post_id and *expires; the
 * MAC is compared in constant time, before the expiry is looked at, so a forged token is
 * INVALID whatever its time says. Any malformed input (an overflowing number, a sign, a
 * leading zero, bad base64, trailing bytes) is INVALID. Thread-safe.
 */
enum auth_preview_check auth_preview_verify(struct str key, struct str token, int64_t now,
                                            int64_t *post_id, int64_t *expires);

/* ---- API keys -------------------------------------------------------------------- */

/**
 * Whether key is one of the active keys' secrets (store_api_keys_active: a revoked key is
 * not among them, so it stops at the next check). Compares with every secret, each with
 * auth_secret_eq, and never stops at a match: the time taken depends on the number and
 * lengths of the secrets, not on which one matched or how much of it. An empty key
 * matches nothing.
 */
bool auth_apikey_known(struct str key, const struct str *active, size_t n);

/* ---- Ghost's Admin API tokens (jwt.c) ---------------------------------------------- */

/*
 * Ghost's Admin API authenticates each request with "Authorization: Ghost <JWT>": a JSON
 * Web Token (RFC 7519) signed with HS256 under the hex-decoded secret of an admin key,
 * its header's kid naming the key's id, its payload's aud "/admin/" (or a versioned
 * "/v2/admin/" ... "/v5/admin/", "/canary/admin/"), iat and exp at most 5 minutes apart.
 *
 * Checking is two steps, as Ghost's: auth_jwt_decode reads the kid without trusting
 * anything (the caller then looks the key up), and auth_jwt_verify checks the signature
 * (in constant time) before anything else of the payload. A refusal's err message is
 * Ghost's: "message\n\nCODE", the empty middle part being the error's context and CODE
 * Ghost's code (INVALID_JWT, MISSING_ADMIN_API_KID), as api_error_page renders it.
 */
#define AUTH_JWT_MAX 4096        /* bytes of a token; longer is refused */
#define AUTH_JWT_MAX_AGE 300     /* seconds: Ghost's maxAge "5m", and the longest exp - iat */
#define AUTH_JWT_FUTURE_SKEW 60  /* seconds an iat may be ahead of our clock */
#define AUTH_ADMIN_SECRET_HEX 64 /* an admin key's secret: 32 bytes in hex */

/* What a token's header says, read before its signature is checked: not to be trusted. */
struct auth_jwt {
    struct str kid; /* lives in the arena given to auth_jwt_decode */
};

/**
 * Splits token and reads its header's kid into *out (in a). ERR_INVALID with Ghost's
 * "Invalid token" (INVALID_JWT) when it is not three base64url parts with a JSON object
 * header, or "Admin API kid missing." (MISSING_ADMIN_API_KID) when the header has no
 * kid. Thread-safe.
 */
enum err_code auth_jwt_decode(struct str token, struct arena *a, struct auth_jwt *out,
                              struct err *err);
/**
 * Verifies token, signed with secret_hex (AUTH_ADMIN_SECRET_HEX hex digits) at time now:
 * alg HS256 (none, RS256 or any other is "invalid algorithm"), then the HMAC in constant
 * time ("invalid signature"), then the payload: exp present and in the future ("jwt
 * expired"), aud one of Ghost's admin audiences ("jwt audience invalid. expected:
 * /admin/"), iat present, not more than AUTH_JWT_MAX_AGE seconds old ("maxAge exceeded"),
 * not more than AUTH_JWT_FUTURE_SKEW in the future, and exp - iat at most
 * AUTH_JWT_MAX_AGE. Every refusal is ERR_AUTH "Invalid token: <why>" (INVALID_JWT).
 * Scratch memory comes from a. Thread-safe.
 */
enum err_code auth_jwt_verify(struct str token, struct str secret_hex, int64_t now, struct arena *a,
                              struct err *err);
/**
 * Whether the key a kid named may sign Admin API tokens: found (else ERR_AUTH "Unknown
 * Admin API Key", UNKNOWN_ADMIN_API_KEY), not revoked (Ghost deletes a revoked key, so
 * the same), and of type "admin" (else ERR_AUTH "Invalid API Key type",
 * INVALID_API_KEY_TYPE).
 */
enum err_code auth_jwt_key_usable(bool found, struct str type, int64_t revoked_at, struct err *err);
/**
 * Makes an HS256 token for kid signed with secret_hex, {"iat": iat, "exp": exp, "aud":
 * aud}, as Ghost's clients do (for tests and tools). The result lives in a; NULL when
 * secret_hex is not hex.
 */
char *auth_jwt_sign(struct str kid, struct str secret_hex, const char *aud, int64_t iat,
                    int64_t exp, struct arena *a);

/* ---- rate limits ----------------------------------------------------------------- */

/*
 * A fixed-size table of counters by key (an address, an account), each counting events
 * in a sliding window. When full, the oldest key is forgotten: memory stays bounded
 * whatever a flood sends. Keys longer than 128 bytes count under their first 128 bytes.
 * Every function is thread-safe, each call one step under the limiter's lock.
 */
struct auth_limiter;

/*
 * The login limits (admin/session.c), keyed by the e-mail as typed (lowercased) and the
 * client's address. Each failed login is counted up front, before the password is checked,
 * so that concurrent attempts cannot exceed a limit; a correct password gives the tries back.
 *
 * - Per account and address pair: 5 failures in 15 minutes, then that pair waits. This is
 *   the tight limit, and it locks out only the address that failed: the owner logging in
 *   from anywhere else is not held up by a stranger who knows their (public) e-mail.
 * - Per address: failures for 20 distinct accounts in 15 minutes, then the address waits
 *   for every account. A person mistyping five times costs their office's shared address
 *   one, not five; a sprayer trying one password on many accounts is stopped at 20. With
 *   the pair limit, an address gets at most 20 x 5 = 100 argon2 checks per 15 minutes.
 * - Per account, across all addresses: 50 failures in an hour, past which the account is
 *   slowed, never locked: one attempt per 5 seconds (429, Retry-After up to 5) from any
 *   address. Distributed guessing is held to 50 + 720 tries an hour; the owner waits seconds.
 */
#define AUTH_LOGIN_PAIR_FAILS 5
#define AUTH_LOGIN_PAIR_WINDOW (15 * 60)
#define AUTH_LOGIN_ADDRESS_ACCOUNTS 20
#define AUTH_LOGIN_ADDRESS_WINDOW (15 * 60)
#define AUTH_LOGIN_ACCOUNT_FAILS 50
#define AUTH_LOGIN_ACCOUNT_WINDOW (60 * 60)
#define AUTH_LOGIN_SLOW_SECONDS 5

/** A limiter of max_events (1 to 64) per window_seconds, for capacity keys; never NULL. */
struct auth_limiter *auth_limiter_new(unsigned max_events, int64_t window_seconds, size_t capacity);
/** Frees l; NULL does nothing. */
void auth_limiter_free(struct auth_limiter *l);
/**
 * True when key has used up its events in the window ending now; *retry_after then says
 * in how many seconds one expires. Only a look: a caller that goes on to act should use
 * auth_limiter_take, or concurrent callers may all see the last free event.
 */
bool auth_limiter_blocked(struct auth_limiter *l, struct str key, int64_t now,
                          int64_t *retry_after);
/** Counts one event for key. */
void auth_limiter_hit(struct auth_limiter *l, struct str key, int64_t now);
/**
 * Checks and counts in one step: when key has an event left in the window, counts one now
 * and returns how many key has in the window, this one included (so 1: its first).
 * Otherwise returns 0 and sets *retry_after (may be NULL) as auth_limiter_blocked does.
 */
unsigned auth_limiter_take(struct auth_limiter *l, struct str key, int64_t now,
                           int64_t *retry_after);
/** Takes back one event of key's (the newest): an attempt that turned out not to count. */
void auth_limiter_give_back(struct auth_limiter *l, struct str key);
/** Forgets key's events (a successful login clears its account and address pair). */
void auth_limiter_clear(struct auth_limiter *l, struct str key);

/*
 * A limiter whose events live in a store every server shares (the database), so that
 * several servers hold one limit. Each call of a shared limiter is one call here, with
 * the limiter's name, max and window; these functions are the whole of the sharing.
 * take returns what auth_limiter_take does (count false: only look, as
 * auth_limiter_blocked); when the store fails it refuses, with *retry_after 1: a limit
 * that cannot be counted is not lifted.
 */
struct auth_limit_store {
    void *ctx;
    unsigned (*take)(void *ctx, const char *name, struct str key, unsigned max, int64_t window,
                     int64_t now, bool count, int64_t *retry_after);
    void (*give_back)(void *ctx, const char *name, struct str key);
    void (*clear)(void *ctx, const char *name, struct str key);
};

/** From now on l keeps its events in s under name (a static string); s must outlive l. */
void auth_limiter_share(struct auth_limiter *l, const char *name, const struct auth_limit_store *s);

#endif
