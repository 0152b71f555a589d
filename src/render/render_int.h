/*
 * render internals, shared by the files of src/render/ only.
 *
 * A template compiles to a flat program: an array of ops over a pool of literal text and
 * a pool of pointer offsets. Every name is resolved at compile time to the index of the
 * scope it starts from and the offsets to follow from there, so rendering is a loop over
 * the ops with no lookups and no allocation (the model is cmark's html.c iterator).
 *
 * Invariants of a compiled struct render_tpl:
 * - a section op (LIST, WITH, IF, UNLESS) jumps to the index of its END op (LIST_END or
 *   END), whose jump points back at the section op;
 * - an op's depth is at most the scope index of the innermost scope-pushing section
 *   around it (0 outside any), so scopes[depth] is always filled when the op runs;
 * - scope indexes are at most RENDER_SECTION_DEPTH, so exec's fixed arrays suffice;
 * - the program holds copies of offsets only: the descriptors are needed while compiling,
 *   not afterwards.
 */
#ifndef RENDER_INT_H
#define RENDER_INT_H

#include "render/render.h"

/*
 * Sections may nest this deep, counting those opened inside partials. Real themes use
 * four or five levels; 64 leaves room and keeps exec's stack arrays at a few KB.
 */
#define RENDER_SECTION_DEPTH 64

/*
 * The most template source one compile may process, counting every inlined copy of a
 * partial. Without it a few partials that include each other many times over (a
 * "billion laughs") would grow the program exponentially within RENDER_PARTIAL_DEPTH.
 */
#define RENDER_EXPANDED_MAX (4 * RENDER_TEMPLATE_MAX)

/* Longest name or partial name accepted in a tag; names are identifiers, not prose. */
#define RENDER_NAME_MAX 128

enum render_op_kind {
    RENDER_OP_TEXT,     /* literal bytes t->text[text_off .. text_off + text_len) */
    RENDER_OP_ESCAPED,  /* a RENDER_STR or RENDER_HTML value, HTML-escaped */
    RENDER_OP_RAW,      /* a RENDER_HTML value as it is */
    RENDER_OP_INT,      /* a RENDER_INT value in decimal */
    RENDER_OP_BOOL,     /* a RENDER_BOOL value as "true" or "false" */
    RENDER_OP_LIST,     /* each element of a list, pushed as scope `scope` */
    RENDER_OP_LIST_END, /* next element, or fall out of the loop */
    RENDER_OP_WITH,     /* once with a non-NULL object pushed as scope `scope` */
    RENDER_OP_IF,       /* once when the value is truthy, no push */
    RENDER_OP_UNLESS,   /* once when the value is falsy (inverted section) */
    RENDER_OP_END,      /* closes WITH, IF and UNLESS: nothing to do */
};

struct render_op {
    enum render_op_kind kind;
    enum render_kind vkind; /* the kind of the value the path leads to */
    size_t depth;           /* the scope the path starts from */
    size_t hops, nhops;     /* t->hops[hops .. hops + nhops): RENDER_OBJ pointers to follow */
    size_t offset;          /* of the value in the struct the hops lead to */
    size_t count_offset;    /* RENDER_LIST: of the element count */
    size_t stride;          /* RENDER_LIST: the element size */
    size_t scope;           /* LIST, LIST_END, WITH: the scope index the section fills */
    size_t jump;            /* sections: the matching BEGIN or END op */
    size_t text_off, text_len;
};

struct render_tpl {
    struct render_op *ops;
    size_t nops, ops_cap;
    char *text;
    size_t text_len, text_cap;
    size_t *hops;
    size_t nhops, hops_cap;
};

/* ---- lexer (lex.c) ----------------------------------------------------------------- */

enum render_tag_kind {
    RENDER_TAG_EOF,
    RENDER_TAG_VAR,      /* {{name}} */
    RENDER_TAG_RAW,      /* {{{name}}} or {{&name}} */
    RENDER_TAG_SECTION,  /* {{#name}} */
    RENDER_TAG_INVERTED, /* {{^name}} */
    RENDER_TAG_CLOSE,    /* {{/name}} */
    RENDER_TAG_PARTIAL,  /* {{>name}} */
    RENDER_TAG_COMMENT,  /* {{!...}} */
};

struct render_tag {
    enum render_tag_kind kind;
    struct str name; /* trimmed, validated; empty for EOF and comments */
    int line;        /* where the tag opens */
};

struct render_lexer {
    struct str src;
    const char *file;
    size_t pos;
    int line; /* of src.ptr[pos] */
};

void render_lex_init(struct render_lexer *lx, struct str src, const char *file);
/**
 * Scans the literal text up to the next tag and that tag (RENDER_TAG_EOF at the end).
 * Standalone lines are already cut out of *text. text borrows from the source.
 * Returns ERR_INVALID with "file:line: " for an unterminated or empty tag or a bad name.
 */
enum err_code render_lex_next(struct render_lexer *lx, struct str *text, struct render_tag *tag,
                              struct err *err);

#endif
