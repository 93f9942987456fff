/* The IR scanner: one pass over an OpenVINO IR's XML (read by xml_subset.c) that collects
 * its layers, ports, <data> attributes, rt_info entries and edges into flat tables, checks
 * the edges and orders the layers producers-first. It accepts the IRs that save_model writes and declines
 * (IRS_DECLINED) anything it does not handle exactly as the Python reader would, bad input
 * included: the Python reader then reads the document and reports what is wrong.
 *
 * Tables (int64 rows; a string field is an index into `strings`, whose entries are
 * NUL-terminated, each distinct string once; -1 marks an absent one):
 *   layers:  id, name, type, version, output_names, first <data> attribute row, number of
 *            <data> attributes (-1: no <data>), first input port row, input ports, first
 *            output port row, output ports, first rt entry row, rt entries (-1: no
 *            <rt_info>)
 *   ports:   id, precision, names, first dim, dims (output ports; -1 is a dynamic dim),
 *            first rt entry row, rt entries (-1: no <rt_info>), and for input ports the
 *            producer's layer id and output index
 *   rt:      tag, first attribute row, number of attributes
 *   attrs:   key, value
 *   order:   layer rows, each after the layers it reads from
 */
#ifndef OV_IR_SCAN_H
#define OV_IR_SCAN_H

#include <stdint.h>

/* OV_CDEF_BEGIN */
#define IRS_OK 0
#define IRS_DECLINED 1
#define IRS_NO_MEMORY 2
#define IRS_LAYER_FIELDS 13
#define IRS_PORT_FIELDS 9
#define IRS_RT_FIELDS 3

typedef struct {
    int32_t status;
    char *strings;
    int64_t strings_size;
    int64_t *layers;
    int64_t n_layers;
    int64_t *ports;
    int64_t n_ports;
    int64_t *dims;
    int64_t n_dims;
    int64_t *rt;
    int64_t n_rt;
    int64_t *attrs;
    int64_t n_attrs;
    int64_t *order;
    int64_t net_name;
    int64_t net_version;
    int64_t rt_begin;
    int64_t rt_end;
} irs_result;

int32_t irs_scan(const char *xml, int64_t size, irs_result *out);
void irs_free(irs_result *out);
/* OV_CDEF_END */

#endif
