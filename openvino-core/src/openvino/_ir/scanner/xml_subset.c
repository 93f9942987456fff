/* A strict reader for a plain subset of XML 1.0, the form save_model writes: ASCII text,
 * no DTD, no CDATA, no entity or character references, no processing instructions but the
 * XML declaration, no namespaces. Within it, it checks well-formedness as an XML parser
 * does (names, attribute syntax, repeated attributes, tag nesting, one root, characters
 * allowed); a document outside it, or not well-formed, is declined and goes to
 * ElementTree (expat) in Python, which reads everything XML allows and reports the errors.
 * It parses in place, writing NULs into the caller's copy of the document. */
#include "xml_subset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ATTRIBUTES 64
#define MAX_NESTING 256

typedef struct {
    char *p, *end, *base;
    const char *atts[2 * MAX_ATTRIBUTES + 2];
    const char *open[MAX_NESTING];
    int depth;
} reader;

/* Character classes. The document ends in a NUL (see xml_subset.h), which is in none of
 * them, so the loops below stop at the end without testing for it. */
enum {
    C_SPACE = 1,      /* XML white space */
    C_NAME_START = 2, /* ASCII letters and '_' */
    C_NAME = 4,       /* those, digits, '.' and '-' */
    C_PLAIN = 8,      /* what the subset allows anywhere: printable ASCII, \t \n \r */
    C_TEXT = 16,      /* plain text that needs no closer look: not '<', '&', '>' */
    C_VALUE = 32      /* the same in attribute values: printable, not '<' '&' or quotes */
};

static unsigned char classes[256];

static void init_classes(void) {
    if (classes['a']) return;
    for (int c = 0; c < 256; c++) {
        unsigned char k = 0;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') k |= C_SPACE;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
            k |= C_NAME_START | C_NAME;
        if ((c >= '0' && c <= '9') || c == '.' || c == '-') k |= C_NAME;
        if ((c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r') k |= C_PLAIN;
        if ((k & C_PLAIN) && c != '<' && c != '&' && c != '>') k |= C_TEXT;
        if (c >= 0x20 && c < 0x80 && c != '<' && c != '&' && c != '"' && c != '\'')
            k |= C_VALUE;
        classes[c] = k;
    }
}

#define IS(c, k) (classes[(unsigned char)(c)] & (k))

static int is_space(char c) {
    return IS(c, C_SPACE);
}

static int plain(unsigned char c) {
    return IS(c, C_PLAIN);
}

static void skip_space(reader *r) {
    while (IS(*r->p, C_SPACE)) r->p++;
}

/* A name at p; it returns its end (not yet terminated), or NULL. */
static char *read_name(reader *r) {
    if (!IS(*r->p, C_NAME_START)) return NULL;
    while (IS(*r->p, C_NAME)) r->p++;
    return r->p;
}

static int starts(const reader *r, const char *text) {
    size_t n = strlen(text);
    return (size_t)(r->end - r->p) >= n && memcmp(r->p, text, n) == 0;
}

/* `S? = S? quote` after an attribute's name: the quote (p then at the value), or 0. */
static char value_start(reader *r) {
    skip_space(r);
    if (r->p >= r->end || *r->p != '=') return 0;
    r->p++;
    skip_space(r);
    if (r->p >= r->end || (*r->p != '"' && *r->p != '\'')) return 0;
    return *r->p++;
}

/* <!-- ... --> with no "--" inside; p is at "<!--". */
static int comment(reader *r) {
    r->p += 4;
    for (; r->p + 1 < r->end; r->p++) {
        if (!plain((unsigned char)*r->p)) return 0;
        if (r->p[0] == '-' && r->p[1] == '-') {
            if (r->p + 2 < r->end && r->p[2] == '>') {
                r->p += 3;
                return 1;
            }
            return 0;
        }
    }
    return 0;
}

/* The XML declaration, in the forms `<?xml version="1.0"[ encoding="UTF-8"|"US-ASCII"]
 * [ standalone="yes"|"no"]?>` (either quote); p is at "<?xml". */
static int declaration(reader *r) {
    static const char *keys[3] = {"version", "encoding", "standalone"};
    r->p += 5;
    for (int k = 0; k < 3; k++) {
        char *save = r->p;
        skip_space(r);
        if (r->p == save || !starts(r, keys[k])) {
            r->p = save;
            if (k == 0) return 0;
            continue;
        }
        r->p += strlen(keys[k]);
        char quote = value_start(r);
        if (!quote) return 0;
        char *value = r->p;
        while (r->p < r->end && *r->p != quote) r->p++;
        if (r->p >= r->end) return 0;
        size_t n = (size_t)(r->p - value);
        r->p++;
        if (k == 0 && !(n == 3 && memcmp(value, "1.0", 3) == 0)) return 0;
        if (k == 1 && !((n == 5 && strncasecmp(value, "utf-8", 5) == 0) ||
                        (n == 8 && strncasecmp(value, "us-ascii", 8) == 0)))
            return 0;
        if (k == 2 && !((n == 3 && memcmp(value, "yes", 3) == 0) ||
                        (n == 2 && memcmp(value, "no", 2) == 0)))
            return 0;
    }
    skip_space(r);
    if (!starts(r, "?>")) return 0;
    r->p += 2;
    return 1;
}

/* Comments and whitespace, before or after the root element. */
static int misc(reader *r) {
    for (;;) {
        skip_space(r);
        if (starts(r, "<!--")) {
            if (!comment(r)) return 0;
        } else {
            return 1;
        }
    }
}

/* A start tag; p is after "<". Fills atts, terminates the strings, tells if it is empty. */
static int start_tag(reader *r, const char **name, int *empty) {
    char *name_begin = r->p, *name_end = read_name(r);
    if (!name_end) return 0;
    int n = 0;
    for (;;) {
        char *before = r->p;
        skip_space(r);
        if (r->p >= r->end) return 0;
        if (*r->p == '>' || *r->p == '/') break;
        if (r->p == before || n == MAX_ATTRIBUTES) return 0; /* attributes need a space */
        char *key = r->p, *key_end = read_name(r);
        if (!key_end) return 0;
        char quote = value_start(r);
        if (!quote) return 0;
        char *value = r->p;
        for (;; r->p++) {
            while (IS(*r->p, C_VALUE)) r->p++;
            char c = *r->p;
            if (c == quote && r->p < r->end) break;
            if (c == '\t' || c == '\n') {
                *r->p = ' '; /* attribute-value normalization */
            } else if (c != '"' && c != '\'') {
                return 0; /* '<', '&', '\r', a character outside the subset, or the end */
            }
        }
        *r->p++ = 0; /* the closing quote */
        *key_end = 0;
        for (int i = 0; i < n; i++)
            if (strcmp(r->atts[2 * i], key) == 0) return 0;
        r->atts[2 * n] = key;
        r->atts[2 * n + 1] = value;
        n++;
    }
    r->atts[2 * n] = r->atts[2 * n + 1] = NULL;
    if (*r->p == '/') {
        if (r->p + 1 >= r->end || r->p[1] != '>') return 0;
        *empty = 1;
        r->p += 2;
    } else {
        *empty = 0;
        r->p++;
    }
    *name_end = 0; /* after the loop: the terminator may have been the '>' or '/' read */
    *name = name_begin;
    return 1;
}

int xs_parse(char *doc, int64_t size, const xs_handlers *h, void *ctx) {
    init_classes();
    reader *r = malloc(sizeof(reader));
    if (!r) return XS_NO_MEMORY;
    r->base = r->p = doc;
    r->end = doc + size;
    r->depth = 0;
    int result = XS_DECLINED;
    if (size >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0) r->p += 3;
    if (starts(r, "<?xml") && (r->p + 5 < r->end && (is_space(r->p[5]) || r->p[5] == '?'))) {
        if (!declaration(r)) goto done;
    }
    if (!misc(r) || r->p >= r->end || *r->p != '<') goto done;
    for (;;) {
        /* p is at '<' */
        int64_t begin = r->p - r->base;
        r->p++;
        if (r->p >= r->end) goto done;
        if (*r->p == '/') {
            r->p++;
            char *name = r->p, *name_end = read_name(r);
            if (!name_end || r->depth == 0) goto done;
            skip_space(r);
            if (r->p >= r->end || *r->p != '>') goto done;
            r->p++;
            const char *open = r->open[r->depth - 1];
            size_t n = (size_t)(name_end - name);
            if (strlen(open) != n || memcmp(open, name, n) != 0) goto done;
            r->depth--;
            int ok = h->end(ctx, open, r->p - r->base);
            if (ok != 1) {
                result = ok == 0 ? XS_DECLINED : XS_NO_MEMORY;
                goto done;
            }
        } else if (*r->p == '!') {
            r->p--;
            if (!starts(r, "<!--") || !comment(r)) goto done; /* CDATA, DOCTYPE: declined */
        } else {
            const char *name;
            int empty;
            if (!start_tag(r, &name, &empty)) goto done;
            int ok = h->start(ctx, name, r->atts, begin, r->p - r->base);
            if (ok == 1 && empty) ok = h->end(ctx, name, r->p - r->base);
            if (ok != 1) {
                result = ok == 0 ? XS_DECLINED : XS_NO_MEMORY;
                goto done;
            }
            if (!empty) {
                if (r->depth == MAX_NESTING) goto done;
                r->open[r->depth++] = name;
            }
        }
        if (r->depth == 0) break; /* the root element has ended */
        /* text up to the next '<' */
        char *text = r->p;
        for (;;) {
            while (IS(*r->p, C_TEXT)) r->p++;
            if (*r->p == '<' && r->p < r->end) break;
            if (*r->p != '>' || (r->p - text >= 2 && r->p[-1] == ']' && r->p[-2] == ']'))
                goto done; /* '&', a character outside the subset, "]]>", or the end */
            r->p++;
        }
        if (r->p > text && h->text(ctx, text, r->p - text) != 1) goto done;
    }
    if (!misc(r) || r->p != r->end) goto done;
    result = XS_OK;
done:
    free(r);
    return result;
}
