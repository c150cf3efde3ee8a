/*
 * A minimal hsdis plug-in on the Capstone disassembler, so that -XX:+PrintAssembly shows the machine code C2 made of
 * a kernel (the JDK ships no disassembler; Debian's capstone is enough for AVX-512). A developer's tool, not part of
 * the build:
 *
 *   apt-get install libcapstone-dev
 *   gcc -O2 -shared -fPIC -o hsdis-amd64.so bench/tools/hsdis-capstone.c -lcapstone
 *   LD_LIBRARY_PATH=. java -jar bench/target/benchmarks.jar MatmulBenchmark -p type=Q4_0 -p shape=512x2048 \
 *       -p kernel=vector -f 1 -wi 3 -i 1 -jvmArgsAppend "--add-modules jdk.incubator.vector \
 *       --enable-native-access=ALL-UNNAMED -XX:+UnlockDiagnosticVMOptions \
 *       -XX:CompileCommand=print,dev.tealama.cli.kernels.Q4_0Kernel::wideDot -XX:PrintAssemblyOptions=intel"
 *
 * The JVM looks the plug-in up by this one entry point; it calls it for each stretch of code and expects the
 * instructions printed through printf_callback, each between an "insn" and an "/insn" event.
 */
#include <capstone/capstone.h>
#include <stdint.h>

typedef void *(*event_callback_t)(void *stream, const char *event, void *argument);
typedef int (*printf_callback_t)(void *stream, const char *format, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  event_callback_t event_callback, void *event_stream,
                                  printf_callback_t printf_callback, void *printf_stream, const char *options,
                                  int newline) {
    (void) end_va;
    (void) options;
    csh handle;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) {
        return NULL;
    }
    cs_insn *insn;
    size_t count = cs_disasm(handle, buffer, length, (uint64_t) start_va, 0, &insn);
    for (size_t i = 0; i < count; i++) {
        event_callback(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
        printf_callback(printf_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
        event_callback(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
        if (newline) {
            printf_callback(printf_stream, "\n");
        }
    }
    if (count > 0) {
        cs_free(insn, count);
    }
    cs_close(&handle);
    return (void *) (start_va + length);
}
