#!/usr/bin/env python3
"""Builds the GGUF reader/writer fixtures in testdata/gguf/ with llama.cpp's gguf-py (the reference).

  PYTHONPATH=<llama.cpp>/gguf-py python3 testdata/tools/gguf_fixtures.py

1. writer-reference.gguf: a small file written by gguf-py's GGUFWriter with every metadata value type (nested
   arrays too), alignment 64 and tensors of several types and ranks. GgufWriterTest writes the same content with
   Tealama's GgufWriter and expects identical bytes.
2. <model>.json for each testdata/models/*.gguf and for writer-reference.gguf: what gguf-py's GGUFReader reads
   (header facts, every key with its type and value, arrays as count, first elements, last element and a SHA-256
   of all elements, every tensor's name, type, dims and absolute offset). GgufReaderTest compares Tealama's reader
   against these.
"""
import hashlib
import json
import os
import struct
import sys

import numpy as np
import gguf
from gguf import GGUFValueType as VT, GGMLQuantizationType as QT

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
OUT = os.path.join(ROOT, 'gguf')
HEAD = 5  # array elements kept verbatim in the JSON

PACK = {VT.UINT8: '<B', VT.INT8: '<b', VT.UINT16: '<H', VT.INT16: '<h', VT.UINT32: '<I', VT.INT32: '<i',
        VT.FLOAT32: '<f', VT.UINT64: '<Q', VT.INT64: '<q', VT.FLOAT64: '<d', VT.BOOL: '<B'}


def element_bytes(value, vtype):
    """The canonical bytes of one array element for the digest: GGUF's own encoding of the value."""
    if vtype == VT.STRING:
        raw = value.encode('utf-8')
        return struct.pack('<Q', len(raw)) + raw
    return struct.pack(PACK[vtype], int(value) if vtype == VT.BOOL else value)


def json_number(v):
    # JSON has no NaN or infinities; the Java side reads these strings back the same way.
    if isinstance(v, float) and (v != v or v in (float('inf'), float('-inf'))):
        return repr(v)
    return v


def field_json(key, field):
    types = field.types
    entry = {'key': key, 'type': types[0].name}
    if types[0] != VT.ARRAY:
        entry['value'] = json_number(field.contents())
        return entry
    values = field.contents()  # gguf-py flattens nested arrays to their leaves
    entry['element_type'] = types[1].name
    if types[1] == VT.ARRAY:
        entry['types'] = [t.name for t in types]
        entry['flat_values'] = [json_number(v) for v in values]
        return entry
    entry['count'] = len(values)
    entry['head'] = [json_number(v) for v in values[:HEAD]]
    if values:
        entry['last'] = json_number(values[-1])
    digest = hashlib.sha256()
    for v in values:
        digest.update(element_bytes(v, types[1]))
    entry['sha256'] = digest.hexdigest()
    return entry


def dump(path):
    r = gguf.GGUFReader(path)
    fields = [(k, f) for k, f in r.fields.items() if not k.startswith('GGUF.')]
    out = {
        'file': os.path.basename(path),
        'size': os.path.getsize(path),
        'version': int(r.fields['GGUF.version'].parts[0][0]),
        'tensor_count': int(r.fields['GGUF.tensor_count'].parts[0][0]),
        'kv_count': int(r.fields['GGUF.kv_count'].parts[0][0]),
        'alignment': int(r.alignment),
        'data_offset': int(r.data_offset),
        'kv': [field_json(k, f) for k, f in fields],
        'tensors': [{
            'name': t.name,
            'type': t.tensor_type.name,
            'type_id': int(t.tensor_type),
            'dims': [int(d) for d in t.shape],  # ggml order, ne0 first
            'offset': int(t.data_offset),
            'n_bytes': int(t.n_bytes),
        } for t in r.tensors],
    }
    target = os.path.join(OUT, os.path.basename(path) + '.json')
    with open(target, 'w', encoding='utf-8') as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write('\n')
    print('wrote', os.path.relpath(target, ROOT))


def pattern(n, seed):
    """Tensor bytes: byte k of tensor `seed` is (31 k + 7 seed + 1) mod 256. GgufWriterTest uses the same."""
    return np.array([(31 * k + 7 * seed + 1) & 0xFF for k in range(n)], dtype=np.uint8)


def write_reference(path):
    w = gguf.GGUFWriter(path, arch='tealama-test')  # puts general.architecture first
    w.add_string('general.name', 'writer reference')
    w.add_custom_alignment(64)
    kv = w.add_key_value
    kv('test.u8', 255, VT.UINT8)
    kv('test.i8', -128, VT.INT8)
    kv('test.u16', 65535, VT.UINT16)
    kv('test.i16', -32768, VT.INT16)
    kv('test.u32', 4294967295, VT.UINT32)
    kv('test.i32', -2147483648, VT.INT32)
    kv('test.f32', 0.1, VT.FLOAT32)
    kv('test.bool_true', True, VT.BOOL)
    kv('test.bool_false', False, VT.BOOL)
    kv('test.string', 'h\u00e9llo, w\u00f6rld \u2713 \U0001D11E\n"quoted" \\ tab\t', VT.STRING)
    kv('test.empty_string', '', VT.STRING)
    kv('test.u64', 18446744073709551615, VT.UINT64)
    kv('test.i64', -9223372036854775808, VT.INT64)
    kv('test.f64', 0.1, VT.FLOAT64)
    kv('test.arr.u8', [0, 1, 127, 128, 255], VT.ARRAY, VT.UINT8)
    kv('test.arr.i8', [-128, -1, 0, 1, 127], VT.ARRAY, VT.INT8)
    kv('test.arr.u16', [0, 1, 32768, 65535], VT.ARRAY, VT.UINT16)
    kv('test.arr.i16', [-32768, -1, 0, 32767], VT.ARRAY, VT.INT16)
    kv('test.arr.u32', [0, 1, 2147483648, 4294967295], VT.ARRAY, VT.UINT32)
    kv('test.arr.i32', [-2147483648, -1, 0, 2147483647], VT.ARRAY, VT.INT32)
    kv('test.arr.f32', [0.0, -1.5, 3.4028234663852886e38, 1e-45, 0.1], VT.ARRAY, VT.FLOAT32)
    kv('test.arr.bool', [True, False, True], VT.ARRAY, VT.BOOL)
    kv('test.arr.string', ['a', '', '\u00fc', '\U0001F600', 'two words'], VT.ARRAY, VT.STRING)
    kv('test.arr.u64', [0, 9223372036854775808, 18446744073709551615], VT.ARRAY, VT.UINT64)
    kv('test.arr.i64', [-9223372036854775808, -1, 0, 9223372036854775807], VT.ARRAY, VT.INT64)
    kv('test.arr.f64', [0.1, -2.5, 1e300, 5e-324], VT.ARRAY, VT.FLOAT64)
    # Inner arrays take the element type gguf-py infers from their first element: int -> i32, str -> str,
    # float -> f32.
    kv('test.arr.nested_i32', [[1, 2, 3], [4, 5]], VT.ARRAY, VT.ARRAY)
    kv('test.arr.nested_strings', [['x', 'y'], ['z']], VT.ARRAY, VT.ARRAY)
    kv('test.arr.nested3_f32', [[[1.5], [2.5, 3.5]], [[-4.0]]], VT.ARRAY, VT.ARRAY)

    def add(name, qtype, dims, seed):
        """A tensor of ggml shape `dims` (ne0 first) whose bytes are pattern(...)."""
        block, type_size = gguf.GGML_QUANT_SIZES[qtype]
        n_elements = int(np.prod(dims))
        n_bytes = n_elements // block * type_size
        raw = pattern(n_bytes, seed)
        byte_shape = list(reversed(dims))
        byte_shape[-1] = byte_shape[-1] // block * type_size
        w.add_tensor(name, raw.reshape(byte_shape), raw_dtype=qtype)

    add('t.f32', QT.F32, [3], 0)
    add('t.f16', QT.F16, [5, 2], 1)
    add('t.q8_0', QT.Q8_0, [64, 2], 2)
    add('t.q4_k', QT.Q4_K, [256], 3)
    add('t.i32.3d', QT.I32, [2, 3, 4], 4)
    add('t.bf16.4d', QT.BF16, [2, 1, 3, 2], 5)
    add('t.iq2_xxs', QT.IQ2_XXS, [256, 1], 6)
    add('t.q4_0', QT.Q4_0, [32, 3], 7)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    print('wrote', os.path.relpath(path, ROOT))


def main():
    os.makedirs(OUT, exist_ok=True)
    reference = os.path.join(OUT, 'writer-reference.gguf')
    write_reference(reference)
    models = sorted(os.path.join(ROOT, 'models', f) for f in os.listdir(os.path.join(ROOT, 'models'))
                    if f.endswith('.gguf'))
    for path in models + [reference]:
        dump(path)


if __name__ == '__main__':
    sys.exit(main())
