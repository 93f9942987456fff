/* A strict reader for a plain subset of XML (see xml_subset.c). */
#ifndef OV_XML_SUBSET_H
#define OV_XML_SUBSET_H

#include <stdint.h>

#define XS_OK 0
#define XS_DECLINED 1
#define XS_NO_MEMORY 2

/* Each returns 1 to go on, 0 to decline the document, 2 when out of memory. Offsets are
 * bytes from the start of the document: a start tag's first and one-past-last byte, and
 * one past the last byte of an element (its end tag, or the empty-element tag). */
typedef struct {
    int (*start)(void *ctx, const char *name, const char **atts, int64_t begin, int64_t end);
    int (*end)(void *ctx, const char *name, int64_t end);
    int (*text)(void *ctx, const char *text, int64_t size);
} xs_handlers;

/* Parses `doc` in place (it writes NULs into it): XS_OK, XS_DECLINED or XS_NO_MEMORY.
 * `doc[size]` must be a NUL. */
int xs_parse(char *doc, int64_t size, const xs_handlers *h, void *ctx);

#endif
