/* The descriptors that let templates see the view models (render.h). */
#include "site/site_int.h"

static const struct render_field site_fields[] = {
    RENDER_STR_FIELD(struct view_site, title),
    RENDER_STR_FIELD(struct view_site, description),
    RENDER_STR_FIELD(struct view_site, url),
    RENDER_STR_FIELD(struct view_site, language),
    RENDER_STR_FIELD(struct view_site, contact_email),
    RENDER_STR_FIELD(struct view_site, logo),
    RENDER_INT_FIELD(struct view_site, logo_width),
    RENDER_INT_FIELD(struct view_site, logo_height),
    RENDER_STR_FIELD(struct view_site, icon),
    RENDER_STR_FIELD(struct view_site, icon_type),
};
static const struct render_type site_type = RENDER_TYPE(struct view_site, site_fields);

static const struct render_field nav_fields[] = {
    RENDER_STR_FIELD(struct view_nav, label),
    RENDER_STR_FIELD(struct view_nav, url),
    RENDER_BOOL_FIELD(struct view_nav, current),
};
static const struct render_type nav_type = RENDER_TYPE(struct view_nav, nav_fields);

static const struct render_field tag_fields[] = {
    RENDER_STR_FIELD(struct view_tag, name),
    RENDER_STR_FIELD(struct view_tag, slug),
    RENDER_STR_FIELD(struct view_tag, url),
    RENDER_STR_FIELD(struct view_tag, description),
};
static const struct render_type tag_type = RENDER_TYPE(struct view_tag, tag_fields);

static const struct render_field author_fields[] = {
    RENDER_STR_FIELD(struct view_author, name),
    RENDER_STR_FIELD(struct view_author, slug),
    RENDER_STR_FIELD(struct view_author, url),
    RENDER_STR_FIELD(struct view_author, bio),
    RENDER_STR_FIELD(struct view_author, avatar),
    RENDER_STR_FIELD(struct view_author, initials),
    RENDER_STR_FIELD(struct view_author, website),
    RENDER_STR_FIELD(struct view_author, location),
    RENDER_STR_FIELD(struct view_author, contact_url),
    RENDER_STR_FIELD(struct view_author, mail_url),
    RENDER_STR_FIELD(struct view_author, joiner),
};
static const struct render_type author_type = RENDER_TYPE(struct view_author, author_fields);

static const struct render_field teaser_fields[] = {
    RENDER_INT_FIELD(struct view_teaser, id),
    RENDER_STR_FIELD(struct view_teaser, title),
    RENDER_STR_FIELD(struct view_teaser, url),
    RENDER_STR_FIELD(struct view_teaser, excerpt),
    RENDER_STR_FIELD(struct view_teaser, date_iso),
    RENDER_STR_FIELD(struct view_teaser, date_human),
    RENDER_STR_FIELD(struct view_teaser, time_human),
    RENDER_OBJ_FIELD(struct view_teaser, section, &tag_type),
    RENDER_OBJ_FIELD(struct view_teaser, author, &author_type),
    RENDER_BOOL_FIELD(struct view_teaser, featured),
    RENDER_STR_FIELD(struct view_teaser, label),
    RENDER_BOOL_FIELD(struct view_teaser, pinned),
    RENDER_HTML_FIELD(struct view_teaser, snippet),
};
static const struct render_type teaser_type = RENDER_TYPE(struct view_teaser, teaser_fields);

static const struct render_field picture_fields[] = {
    RENDER_STR_FIELD(struct view_picture, src),
    RENDER_STR_FIELD(struct view_picture, srcset),
    RENDER_STR_FIELD(struct view_picture, srcset_webp),
    RENDER_STR_FIELD(struct view_picture, srcset_avif),
    RENDER_STR_FIELD(struct view_picture, sizes),
    RENDER_INT_FIELD(struct view_picture, width),
    RENDER_INT_FIELD(struct view_picture, height),
    RENDER_STR_FIELD(struct view_picture, alt),
    RENDER_STR_FIELD(struct view_picture, caption),
    RENDER_STR_FIELD(struct view_picture, credit),
    RENDER_BOOL_FIELD(struct view_picture, has_caption),
};
static const struct render_type picture_type = RENDER_TYPE(struct view_picture, picture_fields);

static const struct render_field share_fields[] = {
    RENDER_STR_FIELD(struct view_share, url),      RENDER_STR_FIELD(struct view_share, x),
    RENDER_STR_FIELD(struct view_share, facebook), RENDER_STR_FIELD(struct view_share, linkedin),
    RENDER_STR_FIELD(struct view_share, telegram), RENDER_STR_FIELD(struct view_share, whatsapp),
    RENDER_STR_FIELD(struct view_share, email),
};
static const struct render_type share_type = RENDER_TYPE(struct view_share, share_fields);
static const struct render_field para_fields[] = {
    RENDER_STR_FIELD(struct view_para, text),
};
static const struct render_type para_type = RENDER_TYPE(struct view_para, para_fields);

static const struct render_field post_fields[] = {
    RENDER_STR_FIELD(struct view_post, title),
    RENDER_STR_FIELD(struct view_post, url),
    RENDER_HTML_FIELD(struct view_post, html),
    RENDER_STR_FIELD(struct view_post, excerpt),
    RENDER_STR_FIELD(struct view_post, standfirst),
    RENDER_OBJ_FIELD(struct view_post, share, &share_type),
    RENDER_STR_FIELD(struct view_post, date_iso),
    RENDER_STR_FIELD(struct view_post, date_human),
    RENDER_STR_FIELD(struct view_post, time_human),
    RENDER_STR_FIELD(struct view_post, updated_iso),
    RENDER_STR_FIELD(struct view_post, updated_human),
    RENDER_BOOL_FIELD(struct view_post, updated),
    RENDER_STR_FIELD(struct view_post, correction),
    RENDER_LIST_FIELD(struct view_post, correction_paras, ncorrection_paras, &para_type),
    RENDER_STR_FIELD(struct view_post, corrected_iso),
    RENDER_STR_FIELD(struct view_post, corrected_human),
    RENDER_STR_FIELD(struct view_post, reading_time),
    RENDER_STR_FIELD(struct view_post, feature_image),
    RENDER_STR_FIELD(struct view_post, feature_image_alt),
    RENDER_STR_FIELD(struct view_post, feature_image_caption),
    RENDER_OBJ_FIELD(struct view_post, feature, &picture_type),
    RENDER_OBJ_FIELD(struct view_post, section, &tag_type),
    RENDER_LIST_FIELD(struct view_post, tags, ntags, &tag_type),
    RENDER_LIST_FIELD(struct view_post, authors, nauthors, &author_type),
    RENDER_OBJ_FIELD(struct view_post, author, &author_type),
    RENDER_STR_FIELD(struct view_post, label),
};
static const struct render_type post_type = RENDER_TYPE(struct view_post, post_fields);

static const struct render_field feed_fields[] = {
    RENDER_STR_FIELD(struct view_feed, heading),
    RENDER_LIST_FIELD(struct view_feed, teasers, nteasers, &teaser_type),
    RENDER_BOOL_FIELD(struct view_feed, has_more),
    RENDER_STR_FIELD(struct view_feed, more_url),
    RENDER_STR_FIELD(struct view_feed, next_url),
    RENDER_STR_FIELD(struct view_feed, prev_url),
    RENDER_INT_FIELD(struct view_feed, page),
    RENDER_STR_FIELD(struct view_feed, live_url),
    RENDER_INT_FIELD(struct view_feed, live_since),
    RENDER_INT_FIELD(struct view_feed, live_exclude),
};
static const struct render_type feed_type = RENDER_TYPE(struct view_feed, feed_fields);

static const struct render_field error_fields[] = {
    RENDER_INT_FIELD(struct view_error, status),
    RENDER_STR_FIELD(struct view_error, heading),
    RENDER_STR_FIELD(struct view_error, message),
};
static const struct render_type error_type = RENDER_TYPE(struct view_error, error_fields);

static const struct render_field tips_fields[] = {
    RENDER_BOOL_FIELD(struct view_tips, sent), RENDER_STR_FIELD(struct view_tips, error),
    RENDER_STR_FIELD(struct view_tips, about), RENDER_STR_FIELD(struct view_tips, about_name),
    RENDER_STR_FIELD(struct view_tips, post),  RENDER_STR_FIELD(struct view_tips, post_title),
    RENDER_STR_FIELD(struct view_tips, name),  RENDER_STR_FIELD(struct view_tips, email),
    RENDER_STR_FIELD(struct view_tips, link),  RENDER_STR_FIELD(struct view_tips, message),
};
static const struct render_type tips_type = RENDER_TYPE(struct view_tips, tips_fields);

static const struct render_field search_fields[] = {
    RENDER_STR_FIELD(struct view_search, query),
    RENDER_STR_FIELD(struct view_search, message),
    RENDER_BOOL_FIELD(struct view_search, searched),
    RENDER_STR_FIELD(struct view_search, count),
    RENDER_LIST_FIELD(struct view_search, results, nresults, &teaser_type),
    RENDER_STR_FIELD(struct view_search, more_url),
};
static const struct render_type search_type = RENDER_TYPE(struct view_search, search_fields);

static const struct render_field banner_fields[] = {
    RENDER_STR_FIELD(struct view_banner, title),
    RENDER_STR_FIELD(struct view_banner, url),
    RENDER_STR_FIELD(struct view_banner, label),
};
static const struct render_type banner_type = RENDER_TYPE(struct view_banner, banner_fields);

static const struct render_field breaking_fields[] = {
    RENDER_LIST_FIELD(struct view_breaking, items, nitems, &banner_type),
};
static const struct render_type breaking_type = RENDER_TYPE(struct view_breaking, breaking_fields);

static const struct render_field page_fields[] = {
    RENDER_OBJ_FIELD(struct view_page, site, &site_type),
    RENDER_STR_FIELD(struct view_page, title),
    RENDER_STR_FIELD(struct view_page, description),
    RENDER_STR_FIELD(struct view_page, canonical),
    RENDER_STR_FIELD(struct view_page, css_url),
    RENDER_STR_FIELD(struct view_page, js_url),
    RENDER_STR_FIELD(struct view_page, feeds_base),
    RENDER_STR_FIELD(struct view_page, feeds_title),
    RENDER_STR_FIELD(struct view_page, og_type),
    RENDER_STR_FIELD(struct view_page, image),
    RENDER_INT_FIELD(struct view_page, image_width),
    RENDER_INT_FIELD(struct view_page, image_height),
    RENDER_STR_FIELD(struct view_page, image_type),
    RENDER_STR_FIELD(struct view_page, image_alt),
    RENDER_STR_FIELD(struct view_page, og_title),
    RENDER_STR_FIELD(struct view_page, og_description),
    RENDER_STR_FIELD(struct view_page, twitter_title),
    RENDER_STR_FIELD(struct view_page, twitter_description),
    RENDER_STR_FIELD(struct view_page, twitter_image),
    RENDER_HTML_FIELD(struct view_page, jsonld),
    RENDER_BOOL_FIELD(struct view_page, is_home),
    RENDER_BOOL_FIELD(struct view_page, preview),
    RENDER_LIST_FIELD(struct view_page, nav, nnav, &nav_type),
    RENDER_OBJ_FIELD(struct view_page, post, &post_type),
    RENDER_OBJ_FIELD(struct view_page, tag, &tag_type),
    RENDER_OBJ_FIELD(struct view_page, author, &author_type),
    RENDER_OBJ_FIELD(struct view_page, feed, &feed_type),
    RENDER_OBJ_FIELD(struct view_page, error, &error_type),
    RENDER_OBJ_FIELD(struct view_page, tips, &tips_type),
    RENDER_OBJ_FIELD(struct view_page, search, &search_type),
    RENDER_BOOL_FIELD(struct view_page, noindex),
    RENDER_INT_FIELD(struct view_page, year),
    RENDER_OBJ_FIELD(struct view_page, breaking, &breaking_type),
};
const struct render_type site_view_page_type = RENDER_TYPE(struct view_page, page_fields);
