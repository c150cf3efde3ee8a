#!/usr/bin/env python3
"""Writes the chat template strings that the Tealama chat-template reference is built from.

Sources (both read, never modified):
  * the `template_str` values of llama.cpp's tests/test-chat-template.cpp (real Hugging Face chat templates
    that llama.cpp's own test feeds to llama_chat_apply_template), with their test-case names;
  * the `tokenizer.chat_template` of testdata/models/tiny-llama3-Q8_0.gguf (read with llama.cpp's gguf-py).

Output: one record per template, `name<TAB>template` where both fields are JSON strings (so any byte survives).
Usage: extract_test_templates.py LLAMA_CPP_DIR GGUF_FILE > templates.tsv
"""
import json
import sys


def read_c_string_literal(text, start):
    """Decodes the C string literal whose opening quote is at text[start]; returns (value, end index)."""
    assert text[start] == '"'
    out = bytearray()
    i = start + 1
    simple = {'n': b'\n', 't': b'\t', 'r': b'\r', '\\': b'\\', '"': b'"', "'": b"'", '0': b'\0'}
    while True:
        c = text[i]
        if c == '"':
            return out.decode('utf-8'), i + 1
        if c == '\\':
            e = text[i + 1]
            if e not in simple:
                raise ValueError('unsupported escape \\' + e + ' at ' + str(i))
            out += simple[e]
            i += 2
        else:
            out += c.encode('utf-8')
            i += 1


def test_case_templates(source):
    """(name, template) for every test case of test-chat-template.cpp's main_automated_tests."""
    body = source[source.index('int main_automated_tests(void) {'):]
    cases = []
    pos = 0
    while True:
        n = body.find('/* .name= */', pos)
        if n < 0:
            break
        name, after_name = read_c_string_literal(body, body.index('"', n))
        t = body.find('/* .template_str', after_name)
        template, pos = read_c_string_literal(body, body.index('"', t))
        cases.append((name, template))
    return cases


def main():
    llama_cpp, gguf_file = sys.argv[1], sys.argv[2]
    sys.path.insert(0, llama_cpp + '/gguf-py')
    import gguf

    with open(llama_cpp + '/tests/test-chat-template.cpp', encoding='utf-8') as f:
        cases = test_case_templates(f.read())
    field = gguf.GGUFReader(gguf_file).fields['tokenizer.chat_template']
    cases.append(('tokenizer.chat_template of tiny-llama3-Q8_0.gguf',
                  bytes(field.parts[field.data[0]]).decode('utf-8')))
    for name, template in cases:
        print(json.dumps(name) + '\t' + json.dumps(template))


if __name__ == '__main__':
    main()
