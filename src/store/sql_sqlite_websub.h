/* The statements of the WebSub hub's subscriptions (store/websub.c); part of STORE_SQL. */
#ifndef STORE_SQL_SQLITE_WEBSUB_H
#define STORE_SQL_SQLITE_WEBSUB_H

/* A subscription (websub.c sub_cols): columns 0..7 */
#define SQL_WEBSUB_COLS "id, topic, callback, host, dep, secret, lease_seconds, expires_at"

#define STORE_SQL_WEBSUB(X)                                                                        \
    /* a verified subscription; the same (topic, callback) again renews it (WebSub 5.1) */         \
    X(WEBSUB_PUT,                                                                                  \
      "INSERT INTO websub_subscriptions(topic, callback, host, dep, secret,"                       \
      " lease_seconds, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"            \
      " ON CONFLICT(topic, callback) DO UPDATE SET host = excluded.host,"                          \
      " dep = excluded.dep, secret = excluded.secret,"                                             \
      " lease_seconds = excluded.lease_seconds, expires_at = excluded.expires_at")                 \
    X(WEBSUB_DROP, "DELETE FROM websub_subscriptions WHERE topic = ?1 AND callback = ?2")          \
    X(WEBSUB_PURGE, "DELETE FROM websub_subscriptions WHERE expires_at <= ?1")                     \
    X(WEBSUB_COUNT_HOST, "SELECT count(*) FROM websub_subscriptions WHERE host = ?1"               \
                         " AND expires_at > ?2")                                                   \
    X(WEBSUB_COUNT_TOPIC, "SELECT count(*) FROM websub_subscriptions WHERE topic = ?1"             \
                          " AND expires_at > ?2")                                                  \
    X(WEBSUB_COUNT, "SELECT count(*) FROM websub_subscriptions WHERE expires_at > ?1")             \
    X(WEBSUB_TOPICS_DEP, "SELECT DISTINCT topic FROM websub_subscriptions WHERE dep = ?1"          \
                         " AND expires_at > ?2 ORDER BY topic LIMIT ?3")                           \
    X(WEBSUB_TOPICS_ALL, "SELECT DISTINCT topic FROM websub_subscriptions"                         \
                         " WHERE expires_at > ?1 ORDER BY topic LIMIT ?2")                         \
    X(WEBSUB_SUBSCRIBERS, "SELECT " SQL_WEBSUB_COLS " FROM websub_subscriptions"                   \
                          " WHERE topic = ?1 AND expires_at > ?2 ORDER BY id LIMIT ?3")

#endif
