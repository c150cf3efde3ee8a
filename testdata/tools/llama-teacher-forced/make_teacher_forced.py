#!/usr/bin/env python3
"""Writes testdata/reference/teacher-forced.jsonl: for every model of ../shared/reference/greedy.jsonl, the top-5
logits llama.cpp computes at each step when fed the reference sequence (prompt_ids + gen_ids), from two builds of
llama.cpp de3ff81: the prebuilt AVX2 ("haswell") CPU backend of the npm package @node-llama-cpp/linux-x64 3.22.1,
which made the reference files, and a native AVX-512 build (cmake -DGGML_NATIVE=OFF -DGGML_AVX512=ON ..., no AMX).

usage: make_teacher_forced.py TF_PREBUILT HASWELL_BACKEND_SO TF_NATIVE MODEL_DIR... > teacher-forced.jsonl
"""
import json
import os
import subprocess
import sys

tf_prebuilt, haswell_so, tf_native = sys.argv[1:4]
model_dirs = sys.argv[4:]
shared = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'shared')
for line in open(os.path.join(shared, 'reference', 'greedy.jsonl')):
    ref = json.loads(line)
    path = next((os.path.join(d, ref['model']) for d in model_dirs if os.path.exists(os.path.join(d, ref['model']))), None)
    if path is None:
        sys.exit('missing model ' + ref['model'])
    tokens = [str(t) for t in ref['prompt_ids'] + ref['gen_ids'][:-1]]
    for build, cmd in (('llama.cpp de3ff81 prebuilt haswell (AVX2)', [tf_prebuilt]),
                       ('llama.cpp de3ff81 native AVX-512', [tf_native])):
        args = cmd + [path, str(len(ref['prompt_ids'])), '5'] + tokens
        if 'haswell' in build:
            args += ['--backend', haswell_so]
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        steps = json.loads(out)['steps']
        print(json.dumps({'model': ref['model'], 'build': build, 'prompt_ids': ref['prompt_ids'],
                          'forced_ids': ref['gen_ids'], 'top5': steps}), flush=True)
