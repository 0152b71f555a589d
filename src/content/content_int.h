/*
 * Shared only by the files of src/content/.
 */
#ifndef CONTENT_INT_H
#define CONTENT_INT_H

#include "content/content.h"

/*
 * Limits that keep Debian's cmark-gfm 0.29.0.gfm.6 linear (see mdguard.c for the
 * measurements behind each one). Exposed here so the tests can build inputs just
 * inside and just outside them.
 */
#define CONTENT_MD_MAX_DEPTH 100          /* nesting of blocks and inlines */
#define CONTENT_MD_MAX_QUOTE_PREFIX 32    /* container markers opening one line */
#define CONTENT_MD_MAX_TABLE_PIPES 64     /* '|' on one line of a table paragraph */
#define CONTENT_MD_MAX_TABLE_CELLS 100000 /* cells of all tables, autocompleted ones too */
#define CONTENT_MD_MAX_TABLE_REPARSE 50000000ULL
#define CONTENT_MD_MAX_BRACKET_WORK 20000000ULL
#define CONTENT_MD_MAX_AUTOLINK_WORK 10000000ULL
#define CONTENT_MD_MAX_REF_EXPANSION 16000000ULL

/**
 * Rejects Markdown whose shape would make cmark-gfm take more than linear time or
 * memory: ERR_TOOBIG with a message naming the construct. Conservative: it may refuse
 * text cmark would have handled cheaply, never the other way round. md is valid UTF-8
 * of at most CONTENT_MARKDOWN_MAX bytes.
 */
enum err_code content_md_guard(struct str md, struct err *err);

#endif
