// Post-processing of the merged canister module with binaryen.js (npm binaryen 132).
//
//   node finish.mjs strip IN OUT         keep only the canister_* exports, drop what nothing uses, validate, and
//                                       fail unless every import is an ic0.* function (the IC accepts no other)
//   node finish.mjs memory-max IN PAGES  set the memory's maximum to PAGES (64 KiB each) in place
//
// TeaVM declares its memory maximum as its own heap size; the weight arena grows the memory above it, so the
// maximum is raised to the Wasm limit (65,536 pages = 4 GiB) after wasm-opt. binaryen's setMemory would rewrite
// the data segments, so the memory section is patched directly.
import binaryen from './node_modules/binaryen/index.js';
import { readFileSync, writeFileSync } from 'node:fs';

function fail(message) {
    console.error('error: ' + message);
    process.exit(1);
}

function strip(input, output) {
    const module = binaryen.readBinary(readFileSync(input));
    module.setFeatures(binaryen.Features.MVP | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt
        | binaryen.Features.NontrappingFPToInt | binaryen.Features.SignExt | binaryen.Features.MutableGlobals
        | binaryen.Features.SIMD128);

    const doomed = [];
    for (let i = 0; i < module.getNumExports(); i++) {
        const info = binaryen.getExportInfo(module.getExportByIndex(i));
        if (!info.name.startsWith('canister_')) {
            doomed.push(info.name);
        } else if (info.kind !== binaryen.ExternalFunction) {
            fail(`export '${info.name}' is not a function`);
        } else {
            const fn = binaryen.getFunctionInfo(module.getFunction(info.value));
            if (fn.params !== binaryen.none || fn.results !== binaryen.none) {
                fail(`export '${info.name}' must have type () -> () (the IC calls canister_* with no arguments)`);
            }
        }
    }
    doomed.forEach(name => module.removeExport(name));
    module.runPasses(['duplicate-import-elimination', 'remove-unused-module-elements']);

    const bad = [];
    for (let i = 0; i < module.getNumFunctions(); i++) {
        const fn = binaryen.getFunctionInfo(module.getFunctionByIndex(i));
        if (fn.module && fn.module !== 'ic0') {
            bad.push(`${fn.module}.${fn.base}`);
        }
    }
    const memory = module.hasMemory() ? module.getMemoryInfo() : null;
    if (memory && memory.module) {
        bad.push(`memory ${memory.module}.${memory.base}`);
    }
    for (let i = 0; i < module.getNumGlobals(); i++) {
        const g = binaryen.getGlobalInfo(module.getGlobalByIndex(i));
        if (g.module) {
            bad.push(`global ${g.module}.${g.base}`);
        }
    }
    if (bad.length > 0) {
        fail('the canister imports something other than ic0 functions (an unshimmed TeaVM runtime or java.lang.Math'
            + ' function?): ' + bad.join(', '));
    }
    if (!module.validate()) {
        fail('the merged module does not validate');
    }
    writeFileSync(output, module.emitBinary());
}

function readLeb(bytes, pos) {
    let result = 0, shift = 0, b;
    do {
        b = bytes[pos++];
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
    } while (b & 0x80);
    return [result, pos];
}

function leb(value) {
    const out = [];
    do {
        let b = value % 128;
        value = Math.floor(value / 128);
        if (value > 0) b |= 0x80;
        out.push(b);
    } while (value > 0);
    return out;
}

function setMemoryMax(file, pages) {
    const bytes = readFileSync(file);
    let pos = 8; // magic and version
    while (pos < bytes.length) {
        const id = bytes[pos];
        const [size, body] = readLeb(bytes, pos + 1);
        if (id === 5) {
            let [count, p] = readLeb(bytes, body);
            if (count !== 1) fail(`expected one memory, found ${count}`);
            const flags = bytes[p++];
            if (flags > 1) fail(`unexpected memory flags ${flags} (shared or 64-bit memory?)`);
            let initial;
            [initial, p] = readLeb(bytes, p);
            if (flags === 1) [, p] = readLeb(bytes, p);
            if (p !== body + size) fail('unexpected bytes after the memory type');
            if (initial > pages) fail(`the memory already starts with ${initial} pages, more than ${pages}`);
            const section = [1, 0x01, ...leb(initial), ...leb(pages)];
            const patched = Buffer.concat([bytes.subarray(0, pos), Buffer.from([5, ...leb(section.length), ...section]),
                bytes.subarray(body + size)]);
            writeFileSync(file, patched);
            return;
        }
        pos = body + size;
    }
    fail('the module has no memory section');
}

const [command, ...args] = process.argv.slice(2);
if (command === 'strip' && args.length === 2) {
    strip(args[0], args[1]);
} else if (command === 'memory-max' && args.length === 2) {
    setMemoryMax(args[0], Number(args[1]));
} else {
    fail('usage: node finish.mjs strip IN OUT | memory-max FILE PAGES');
}
