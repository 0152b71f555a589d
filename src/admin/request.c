/* What the admin's handlers read from a request: form fields, query parameters, {id}. */
#include "admin/admin_int.h"

struct str admin_field_raw(const struct request *req, const char *name)
{
    struct str v;
    return http_form_get(req, name, &v) == ERR_OK ? v : STR_LIT("");
}

struct str admin_field(const struct request *req, const char *name)
{
    return str_trim(admin_field_raw(req, name));
}

struct str admin_query(const struct request *req, const char *name)
{
    struct str v;
    return http_request_query(req, name, &v) == ERR_OK ? v : STR_LIT("");
}

bool admin_query_has(const struct request *req, const char *name)
{
    struct str v;
    return http_request_query(req, name, &v) == ERR_OK;
}

int64_t admin_query_page(const struct request *req)
{
    int64_t n;
    if (str_to_i64(admin_query(req, "page"), &n) && n > 0 && n < 100000)
        return n;
    return 1;
}

int64_t admin_param_id(const struct request *req)
{
    int64_t id;
    struct str p = http_request_param(req, "id");
    return str_to_i64(p, &id) && id > 0 ? id : 0;
}

enum err_code admin_redirect(struct response *res, const char *location)
{
    http_response_redirect(res, 303, str_from(location));
    http_response_header(res, "cache-control", STR_LIT("no-store"));
    return ERR_OK;
}
