package dev.tealama.cli.store;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The three memory calls of the C library that {@link HugePageSource} needs ({@code mmap}, {@code madvise},
 * {@code munmap}), as FFM downcalls. The flag values are Linux's (its uapi headers, the same on x86-64 and AArch64),
 * so the calls are only offered there: {@link #supported()} says whether this JVM runs on such a system.
 */
final class Libc {
    static final int PROT_READ = 0x1;
    static final int PROT_WRITE = 0x2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MADV_HUGEPAGE = 14;

    /** What {@code mmap} returns on failure: {@code (void *) -1}. */
    private static final long MAP_FAILED = -1L;

    private Libc() {
    }

    /** Whether the process runs on Linux on a processor whose flag values the constants above are. */
    static boolean supported() {
        return supported(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    static boolean supported(String osName, String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return osName.toLowerCase(Locale.ROOT).startsWith("linux")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    /**
     * {@code mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)}: fresh zeroed memory
     * outside the Java heap, not yet backed by physical pages.
     *
     * @return the address of the mapping
     * @throws NativeCallException naming the call and the system's reason (errno)
     */
    static long mmapAnonymous(long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Calls.STATE);
            MemorySegment address = (MemorySegment) Calls.MMAP.invokeExact(state, MemorySegment.NULL, length,
                    PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (address.address() == MAP_FAILED) {
                throw failure("mmap of " + length + " bytes", state);
            }
            return address.address();
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
    }

    /** {@code madvise(address, length, advice)}. */
    static void madvise(long address, long length, int advice) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Calls.STATE);
            int rc = (int) Calls.MADVISE.invokeExact(state, MemorySegment.ofAddress(address), length, advice);
            if (rc != 0) {
                throw failure("madvise(" + advice + ") of " + length + " bytes", state);
            }
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    /** {@code munmap(address, length)}: the pages go back to the system. */
    static void munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Calls.STATE);
            int rc = (int) Calls.MUNMAP.invokeExact(state, MemorySegment.ofAddress(address), length);
            if (rc != 0) {
                throw failure("munmap of " + length + " bytes", state);
            }
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    private static NativeCallException failure(String call, MemorySegment state) {
        int errno = (int) Calls.ERRNO.get(state, 0L);
        return new NativeCallException(call + " failed: " + describe(errno) + " (errno " + errno + ")");
    }

    private static String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) Calls.STRERROR.invokeExact(errno);
            return text.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            return "error";
        }
    }

    /** A libc call that returned an error; the message names the call and the reason. */
    static final class NativeCallException extends RuntimeException {
        NativeCallException(String message) {
            super(message);
        }
    }

    /** The downcall handles, looked up on first use (never on systems where {@link #supported()} is false). */
    private static final class Calls {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
        static final StructLayout STATE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

        static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), ERRNO_OPTION);
        static final MethodHandle MADVISE = downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), ERRNO_OPTION);
        static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), ERRNO_OPTION);
        static final MethodHandle STRERROR = downcall("strerror",
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

        private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
            MemorySegment symbol = LINKER.defaultLookup().find(name)
                    .orElseThrow(() -> new IllegalStateException("the C library has no " + name));
            return LINKER.downcallHandle(symbol, descriptor, options);
        }
    }
}
