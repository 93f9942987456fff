/* The IR scanner (see ir_scan.h). Anything outside what it reads exactly as the Python
 * reader does makes it decline, so it never has to describe an error. */
#include "ir_scan.h"

#include "xml_subset.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int64_t *v;
    int64_t n, cap;
} vec;

typedef struct {
    char *v;
    int64_t n, cap;
} text;

enum kind {
    K_NET, K_LAYERS, K_LAYER, K_INPUT, K_OUTPUT, K_PORT_IN, K_PORT_OUT, K_DIM_OUT, K_RT,
    K_EDGES
};

#define MAX_DEPTH 16
#define MAX_DIM_TEXT 64

typedef struct {
    int32_t status;
    int64_t n_strings;
    text strings;
    /* distinct strings: open addressing over (hash, index, offset in `strings`) */
    int64_t *intern;
    int64_t intern_mask;
    vec layers, ports, dims, rt, attrs, edges;
    enum kind stack[MAX_DEPTH];
    int depth;        /* entries of stack in use */
    int64_t skip;     /* depth inside an element whose content is not read */
    int skip_is_rt;   /* the skipped element is <net><rt_info> */
    int seen_root, seen_layers, seen_edges, seen_rt;
    int64_t rt_begin, rt_end;
    int64_t net_name, net_version;
    char dim_text[MAX_DIM_TEXT];
    int dim_len;
} scan;

/* --- growable tables ---------------------------------------------------------------- */

static int vec_reserve(scan *s, vec *a, int64_t more) {
    if (a->n + more <= a->cap) return 1;
    int64_t cap = a->cap ? a->cap * 2 : 256;
    while (cap < a->n + more) cap *= 2;
    int64_t *v = realloc(a->v, (size_t)cap * sizeof(int64_t));
    if (!v) {
        s->status = IRS_NO_MEMORY;
        return 0;
    }
    a->v = v;
    a->cap = cap;
    return 1;
}

static uint64_t string_hash(const char *str, size_t len) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)str[i]) * 1099511628211ull;
    return h;
}

/* Room for one more distinct string in the intern table (rehashing when half full). */
static int intern_reserve(scan *s) {
    if (s->intern && 2 * (s->n_strings + 1) <= s->intern_mask + 1) return 1;
    int64_t cap = s->intern ? 2 * (s->intern_mask + 1) : 4096;
    int64_t *table = malloc((size_t)cap * 3 * sizeof(int64_t));
    if (!table) {
        s->status = IRS_NO_MEMORY;
        return 0;
    }
    for (int64_t i = 0; i < cap; i++) table[3 * i + 1] = -1;
    if (s->intern) {
        for (int64_t i = 0; i <= s->intern_mask; i++) {
            int64_t *e = s->intern + 3 * i;
            if (e[1] < 0) continue;
            uint64_t h = (uint64_t)e[0] & (uint64_t)(cap - 1);
            while (table[3 * h + 1] >= 0) h = (h + 1) & (uint64_t)(cap - 1);
            memcpy(table + 3 * h, e, 3 * sizeof(int64_t));
        }
        free(s->intern);
    }
    s->intern = table;
    s->intern_mask = cap - 1;
    return 1;
}

/* The index of a NUL-terminated string, each distinct string stored once (so that Python
 * makes one object of it); -1 when out of memory. */
static int64_t add_string(scan *s, const char *str) {
    size_t len = strlen(str);
    if (!intern_reserve(s)) return -1;
    uint64_t hash = string_hash(str, len), h = hash & (uint64_t)s->intern_mask;
    for (; s->intern[3 * h + 1] >= 0; h = (h + 1) & (uint64_t)s->intern_mask) {
        int64_t *e = s->intern + 3 * h;
        const char *known = s->strings.v + e[2];
        if ((uint64_t)e[0] == hash && strncmp(known, str, len + 1) == 0) return e[1];
    }
    text *t = &s->strings;
    if (t->n + (int64_t)len + 1 > t->cap) {
        int64_t cap = t->cap ? t->cap * 2 : 65536;
        while (cap < t->n + (int64_t)len + 1) cap *= 2;
        char *v = realloc(t->v, (size_t)cap);
        if (!v) {
            s->status = IRS_NO_MEMORY;
            return -1;
        }
        t->v = v;
        t->cap = cap;
    }
    int64_t *e = s->intern + 3 * h;
    e[0] = (int64_t)hash;
    e[1] = s->n_strings;
    e[2] = t->n;
    memcpy(t->v + t->n, str, len + 1);
    t->n += (int64_t)len + 1;
    return s->n_strings++;
}

/* --- helpers -------------------------------------------------------------------------- */

/* Records why the scan stops; the handler's return value (see xml_subset.h). */
static int stop(scan *s, int32_t status) {
    if (s->status == IRS_OK) s->status = status;
    return s->status == IRS_NO_MEMORY ? 2 : 0;
}

static int go_on(scan *s) {
    return s->status == IRS_OK ? 1 : stop(s, s->status);
}

static const char *attr(const char **atts, const char *name) {
    for (; atts[0]; atts += 2)
        if (strcmp(atts[0], name) == 0) return atts[1];
    return NULL;
}

/* A plain decimal integer ("-12", "7"; at most 18 digits, nothing else around it). */
static int plain_int(const char *t, int64_t *out) {
    int neg = 0, n = 0;
    int64_t v = 0;
    if (*t == '-') {
        neg = 1;
        t++;
    }
    for (; *t >= '0' && *t <= '9'; t++, n++) {
        if (n == 18) return 0;
        v = v * 10 + (*t - '0');
    }
    if (n == 0 || *t) return 0;
    *out = neg ? -v : v;
    return 1;
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Namespace declarations: ElementTree reads the names under them differently. (Prefixed
 * names never get here: the XML subset has no ':' in names.) */
static int namespaced(const char *name, const char **atts) {
    (void)name;
    for (; atts[0]; atts += 2)
        if (atts[0][0] == 'x' && strncmp(atts[0], "xmlns", 5) == 0) return 1;
    return 0;
}

static int push(scan *s, enum kind k) {
    if (s->depth == MAX_DEPTH) return 0;
    s->stack[s->depth++] = k;
    return 1;
}

/* All attributes as rows (key string, value string) of the attrs table: the first row. */
static int64_t add_attributes(scan *s, const char **atts, int64_t *count) {
    int64_t first = s->attrs.n / 2;
    *count = 0;
    for (; atts[0]; atts += 2, (*count)++) {
        int64_t key = add_string(s, atts[0]), value = add_string(s, atts[1]);
        if (key < 0 || value < 0 || !vec_reserve(s, &s->attrs, 2)) return -1;
        s->attrs.v[s->attrs.n++] = key;
        s->attrs.v[s->attrs.n++] = value;
    }
    return first;
}

static int64_t optional_string(scan *s, const char *value) {
    return value ? add_string(s, value) : -1;
}

/* --- elements --------------------------------------------------------------------------- */

#define LAYER(s) (&(s)->layers.v[(s)->layers.n - IRS_LAYER_FIELDS])
#define PORT(s) (&(s)->ports.v[(s)->ports.n - IRS_PORT_FIELDS])

static int start_layer(scan *s, const char **atts) {
    int64_t id;
    const char *raw_id = attr(atts, "id"), *type = attr(atts, "type");
    if (!raw_id || !plain_int(raw_id, &id) || !type || !*type) return 0;
    const char *name = attr(atts, "name"), *version = attr(atts, "version");
    if (!vec_reserve(s, &s->layers, IRS_LAYER_FIELDS)) return 0;
    int64_t *row = s->layers.v + s->layers.n;
    s->layers.n += IRS_LAYER_FIELDS;
    row[0] = id;
    row[1] = add_string(s, name ? name : "");
    row[2] = add_string(s, type);
    row[3] = add_string(s, version ? version : "opset1");
    row[4] = optional_string(s, attr(atts, "output_names"));
    row[5] = -1;
    row[6] = -1;
    row[7] = row[9] = s->ports.n / IRS_PORT_FIELDS;
    row[8] = row[10] = -1; /* -1: no <input> / <output> element yet */
    row[11] = 0;
    row[12] = -1;
    return s->status == IRS_OK;
}

static int start_port(scan *s, const char **atts) {
    int64_t id;
    const char *raw_id = attr(atts, "id");
    if (!raw_id || !plain_int(raw_id, &id)) return 0;
    if (!vec_reserve(s, &s->ports, IRS_PORT_FIELDS)) return 0;
    int64_t *row = s->ports.v + s->ports.n;
    s->ports.n += IRS_PORT_FIELDS;
    row[0] = id;
    row[1] = optional_string(s, attr(atts, "precision"));
    row[2] = optional_string(s, attr(atts, "names"));
    row[3] = s->dims.n;
    row[4] = 0;
    row[5] = 0;
    row[6] = -1;
    row[7] = row[8] = -1;
    return s->status == IRS_OK;
}

static int start_rt_entry(scan *s, const char *tag, const char **atts) {
    if (!vec_reserve(s, &s->rt, IRS_RT_FIELDS)) return 0;
    int64_t *row = s->rt.v + s->rt.n;
    s->rt.n += IRS_RT_FIELDS;
    row[0] = add_string(s, tag);
    row[1] = add_attributes(s, atts, &row[2]);
    return s->status == IRS_OK;
}

static int start_edge(scan *s, const char **atts) {
    static const char *names[4] = {"from-layer", "from-port", "to-layer", "to-port"};
    if (!vec_reserve(s, &s->edges, 4)) return 0;
    for (int i = 0; i < 4; i++) {
        const char *v = attr(atts, names[i]);
        if (!v || !plain_int(v, &s->edges.v[s->edges.n + i])) return 0;
    }
    s->edges.n += 4;
    return 1;
}

/* An element whose children fill a span of rows (first row, count) of a table: `span` is
 * that pair in a layer's or port's row, its count -1 until the element is seen (once). */
static int open_section(scan *s, int64_t *span, int64_t first, enum kind k) {
    if (span[1] >= 0) return 0;
    span[0] = first;
    span[1] = 0;
    return push(s, k);
}

/* Returns 1 to read the element, 0 to decline the document, 2 to skip its content. */
static int start_in(scan *s, enum kind where, const char *name, const char **atts,
                    int64_t begin) {
    int64_t *row;
    switch (where) {
    case K_NET:
        if (strcmp(name, "layers") == 0 && !s->seen_layers) {
            s->seen_layers = 1;
            return push(s, K_LAYERS);
        }
        if (strcmp(name, "edges") == 0 && !s->seen_edges) {
            s->seen_edges = 1;
            return push(s, K_EDGES);
        }
        if (strcmp(name, "rt_info") == 0 && !s->seen_rt) {
            s->seen_rt = 1;
            s->skip_is_rt = 1;
            s->rt_begin = begin;
        }
        return 2;
    case K_LAYERS:
        if (strcmp(name, "layer") != 0) return 0;
        return start_layer(s, atts) && push(s, K_LAYER);
    case K_LAYER:
        row = LAYER(s);
        if (strcmp(name, "data") == 0) {
            if (row[6] >= 0) return 0;
            row[5] = add_attributes(s, atts, &row[6]);
            return row[5] >= 0 ? 2 : 0;
        }
        if (strcmp(name, "input") == 0)
            return open_section(s, row + 7, s->ports.n / IRS_PORT_FIELDS, K_INPUT);
        if (strcmp(name, "output") == 0)
            return open_section(s, row + 9, s->ports.n / IRS_PORT_FIELDS, K_OUTPUT);
        if (strcmp(name, "rt_info") == 0)
            return open_section(s, row + 11, s->rt.n / IRS_RT_FIELDS, K_RT);
        return 0;
    case K_INPUT:
    case K_OUTPUT:
        if (strcmp(name, "port") != 0 || !start_port(s, atts)) return 0;
        LAYER(s)[where == K_INPUT ? 8 : 10]++;
        return push(s, where == K_INPUT ? K_PORT_IN : K_PORT_OUT);
    case K_PORT_IN:
    case K_PORT_OUT:
        row = PORT(s);
        if (strcmp(name, "dim") == 0) {
            if (where == K_PORT_IN) return 2;
            s->dim_len = 0;
            return push(s, K_DIM_OUT);
        }
        if (strcmp(name, "rt_info") == 0)
            return open_section(s, row + 5, s->rt.n / IRS_RT_FIELDS, K_RT);
        return 0;
    case K_RT:
        if (!start_rt_entry(s, name, atts)) return 0;
        return 2;
    case K_EDGES:
        if (strcmp(name, "edge") != 0) return 2;
        return start_edge(s, atts) ? 2 : 0;
    case K_DIM_OUT:
        return 0;
    }
    return 0;
}

static int on_start(void *data, const char *name, const char **atts, int64_t begin,
                    int64_t end) {
    scan *s = data;
    (void)end;
    if (namespaced(name, atts)) return stop(s, IRS_DECLINED);
    if (s->skip) {
        s->skip++;
        return 1;
    }
    if (!s->seen_root) {
        s->seen_root = 1;
        if (strcmp(name, "net") != 0) return stop(s, IRS_DECLINED);
        s->net_name = optional_string(s, attr(atts, "name"));
        s->net_version = optional_string(s, attr(atts, "version"));
        if (s->status == IRS_OK && !push(s, K_NET)) return stop(s, IRS_DECLINED);
        return go_on(s);
    }
    int r = start_in(s, s->stack[s->depth - 1], name, atts, begin);
    if (r == 0) return stop(s, IRS_DECLINED);
    if (r == 2) s->skip = 1;
    return go_on(s);
}

static int end_dim(scan *s) {
    int a = 0, b = s->dim_len;
    while (a < b && is_space(s->dim_text[a])) a++;
    while (b > a && is_space(s->dim_text[b - 1])) b--;
    char buf[MAX_DIM_TEXT + 1];
    memcpy(buf, s->dim_text + a, (size_t)(b - a));
    buf[b - a] = 0;
    int64_t v;
    if (!plain_int(buf, &v) || v < -1 || !vec_reserve(s, &s->dims, 1)) return 0;
    s->dims.v[s->dims.n++] = v;
    PORT(s)[4]++;
    return 1;
}

static int on_end(void *data, const char *name, int64_t end) {
    scan *s = data;
    (void)name;
    if (s->skip) {
        if (--s->skip == 0 && s->skip_is_rt) {
            s->skip_is_rt = 0;
            s->rt_end = end;
        }
        return 1;
    }
    enum kind k = s->stack[--s->depth];
    if (k == K_DIM_OUT && !end_dim(s)) return stop(s, IRS_DECLINED);
    if (k == K_RT) { /* the entries' count, in the layer's or the port's row */
        int on_layer = s->stack[s->depth - 1] == K_LAYER;
        int64_t *row = on_layer ? LAYER(s) : PORT(s);
        int first = on_layer ? 11 : 5;
        row[first + 1] = s->rt.n / IRS_RT_FIELDS - row[first];
    }
    return go_on(s);
}

static int on_text(void *data, const char *t, int64_t len) {
    scan *s = data;
    if (s->skip || !s->depth || s->stack[s->depth - 1] != K_DIM_OUT) return 1;
    if (s->dim_len + len > MAX_DIM_TEXT) return stop(s, IRS_DECLINED);
    memcpy(s->dim_text + s->dim_len, t, (size_t)len);
    s->dim_len += (int)len;
    return 1;
}

/* --- edges and order ---------------------------------------------------------------------- */

typedef struct {
    int64_t *keys, *rows;
    int64_t mask;
} id_map;

static uint64_t mix(int64_t k) {
    uint64_t x = (uint64_t)k * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

/* Fills the map from layer ids to rows; 0 when an id repeats or memory runs out. */
static int map_build(id_map *m, const int64_t *layers, int64_t n) {
    int64_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    m->mask = cap - 1;
    m->keys = malloc((size_t)cap * sizeof(int64_t));
    m->rows = malloc((size_t)cap * sizeof(int64_t));
    if (!m->keys || !m->rows) return 0;
    for (int64_t i = 0; i < cap; i++) m->rows[i] = -1;
    for (int64_t r = 0; r < n; r++) {
        int64_t id = layers[r * IRS_LAYER_FIELDS];
        uint64_t h = mix(id) & (uint64_t)m->mask;
        while (m->rows[h] >= 0) {
            if (m->keys[h] == id) return 0;
            h = (h + 1) & (uint64_t)m->mask;
        }
        m->keys[h] = id;
        m->rows[h] = r;
    }
    return 1;
}

static int64_t map_find(const id_map *m, int64_t id) {
    uint64_t h = mix(id) & (uint64_t)m->mask;
    while (m->rows[h] >= 0) {
        if (m->keys[h] == id) return m->rows[h];
        h = (h + 1) & (uint64_t)m->mask;
    }
    return -1;
}

/* Index of the port with `id` among `count` port rows from `first`, or -1. */
static int64_t port_index(const int64_t *ports, int64_t first, int64_t count, int64_t id) {
    for (int64_t i = 0; i < count; i++)
        if (ports[(first + i) * IRS_PORT_FIELDS] == id) return i;
    return -1;
}

static int ports_unique(const int64_t *row, const int64_t *ports) {
    int64_t n_in = row[8] < 0 ? 0 : row[8], n_out = row[10] < 0 ? 0 : row[10];
    int64_t n = n_in + n_out;
    for (int64_t i = 0; i < n; i++) {
        int64_t a = ports[(i < n_in ? row[7] + i : row[9] + i - n_in) * IRS_PORT_FIELDS];
        for (int64_t j = i + 1; j < n; j++) {
            int64_t b = ports[(j < n_in ? row[7] + j : row[9] + j - n_in) * IRS_PORT_FIELDS];
            if (a == b) return 0;
        }
    }
    return 1;
}

/* Connects the input ports and orders the layers; IRS_DECLINED for anything the Python
 * reader would report (unknown layers or ports, doubled or missing inputs, cycles). */
static int32_t connect(scan *s, int64_t **order_out) {
    int64_t n = s->layers.n / IRS_LAYER_FIELDS, n_edges = s->edges.n / 4;
    int64_t *L = s->layers.v, *P = s->ports.v, *E = s->edges.v;
    id_map m = {0};
    int64_t *count = calloc((size_t)n + 1, sizeof(int64_t));
    int64_t *pending = malloc(((size_t)n + 1) * sizeof(int64_t));
    int64_t *next = malloc(((size_t)n_edges + 1) * sizeof(int64_t));
    int64_t *order = malloc(((size_t)n + 1) * sizeof(int64_t));
    int64_t *edge_rows = malloc((2 * (size_t)n_edges + 1) * sizeof(int64_t)); /* src, dst */
    int64_t *fill = NULL;
    int32_t status = IRS_NO_MEMORY;
    if (!count || !pending || !next || !order || !edge_rows) goto done;
    status = IRS_DECLINED;
    if (!map_build(&m, L, n)) {
        if (!m.keys || !m.rows) status = IRS_NO_MEMORY;
        goto done;
    }
    for (int64_t r = 0; r < n; r++) {
        int64_t *row = L + r * IRS_LAYER_FIELDS;
        if (row[8] < 0) row[8] = 0;
        if (row[10] < 0) row[10] = 0;
        if (!ports_unique(row, P)) goto done;
        pending[r] = row[8];
    }
    for (int64_t e = 0; e < n_edges; e++) {
        int64_t *edge = E + 4 * e;
        int64_t src = map_find(&m, edge[0]), dst = map_find(&m, edge[2]);
        if (src < 0 || dst < 0) goto done;
        int64_t *srow = L + src * IRS_LAYER_FIELDS, *drow = L + dst * IRS_LAYER_FIELDS;
        int64_t oi = port_index(P, srow[9], srow[10], edge[1]);
        int64_t ii = port_index(P, drow[7], drow[8], edge[3]);
        if (oi < 0 || ii < 0) goto done;
        int64_t *port = P + (drow[7] + ii) * IRS_PORT_FIELDS;
        if (port[8] >= 0) goto done; /* a second edge into this input */
        port[7] = edge[0];
        port[8] = oi;
        edge_rows[2 * e] = src;
        edge_rows[2 * e + 1] = dst;
        count[src]++;
    }
    for (int64_t r = 0; r < n; r++) {
        int64_t *row = L + r * IRS_LAYER_FIELDS;
        for (int64_t i = 0; i < row[8]; i++)
            if (P[(row[7] + i) * IRS_PORT_FIELDS + 8] < 0) goto done;
    }
    /* consumers of each layer in edge order: a CSR table over `next` */
    for (int64_t r = 0, sum = 0; r <= n; r++) {
        int64_t c = r < n ? count[r] : 0;
        count[r] = sum;
        sum += c;
    }
    fill = malloc(((size_t)n + 1) * sizeof(int64_t));
    if (!fill) {
        status = IRS_NO_MEMORY;
        goto done;
    }
    memcpy(fill, count, ((size_t)n + 1) * sizeof(int64_t));
    for (int64_t e = 0; e < n_edges; e++) {
        next[fill[edge_rows[2 * e]]++] = edge_rows[2 * e + 1];
    }
    int64_t head = 0, tail = 0;
    for (int64_t r = 0; r < n; r++)
        if (pending[r] == 0) order[tail++] = r;
    while (head < tail) {
        int64_t r = order[head++];
        for (int64_t c = count[r]; c < count[r + 1]; c++)
            if (--pending[next[c]] == 0) order[tail++] = next[c];
    }
    if (tail != n) goto done;
    *order_out = order;
    order = NULL;
    status = IRS_OK;
done:
    free(m.keys);
    free(m.rows);
    free(count);
    free(pending);
    free(next);
    free(order);
    free(edge_rows);
    free(fill);
    return status;
}

/* --- entry points ----------------------------------------------------------------------- */

int32_t irs_scan(const char *xml, int64_t size, irs_result *out) {
    memset(out, 0, sizeof *out);
    out->net_name = out->net_version = out->rt_begin = out->rt_end = -1;
    if (size < 0 || size > INT_MAX) return out->status = IRS_DECLINED;
    scan s;
    memset(&s, 0, sizeof s);
    s.rt_begin = s.rt_end = -1;
    s.net_name = s.net_version = -1;
    char *copy = malloc((size_t)size + 1); /* parsed in place */
    if (!copy) return out->status = IRS_NO_MEMORY;
    memcpy(copy, xml, (size_t)size);
    copy[size] = 0;
    static const xs_handlers handlers = {on_start, on_end, on_text};
    int parsed = xs_parse(copy, size, &handlers, &s);
    free(copy);
    if (parsed != XS_OK && s.status == IRS_OK)
        s.status = parsed == XS_NO_MEMORY ? IRS_NO_MEMORY : IRS_DECLINED;
    int64_t *order = NULL;
    if (s.status == IRS_OK && !s.seen_root) s.status = IRS_DECLINED;
    if (s.status == IRS_OK) s.status = connect(&s, &order);
    free(s.edges.v);
    out->strings = s.strings.v;
    out->strings_size = s.strings.n;
    out->layers = s.layers.v;
    out->n_layers = s.layers.n / IRS_LAYER_FIELDS;
    out->ports = s.ports.v;
    out->n_ports = s.ports.n / IRS_PORT_FIELDS;
    out->dims = s.dims.v;
    out->n_dims = s.dims.n;
    out->rt = s.rt.v;
    out->n_rt = s.rt.n / IRS_RT_FIELDS;
    out->attrs = s.attrs.v;
    out->n_attrs = s.attrs.n / 2;
    free(s.intern);
    out->order = order;
    out->net_name = s.net_name;
    out->net_version = s.net_version;
    out->rt_begin = s.rt_begin;
    out->rt_end = s.rt_end;
    out->status = s.status;
    if (s.status != IRS_OK) irs_free(out);
    return s.status;
}

void irs_free(irs_result *out) {
    int32_t status = out->status;
    free(out->strings);
    free(out->layers);
    free(out->ports);
    free(out->dims);
    free(out->rt);
    free(out->attrs);
    free(out->order);
    memset(out, 0, sizeof *out);
    out->status = status;
}
