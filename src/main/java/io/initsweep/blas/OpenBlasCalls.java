package io.initsweep.blas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.util.Locale;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.SymbolLookup;

/**
 * Asks a loaded OpenBLAS what it is, through {@code jdk.incubator.foreign} (Java 17's foreign
 * function API). Only {@link Blas} calls it, inside a catch of {@link LinkageError}: a JVM started
 * without the module cannot load this class, and then the version and kernel are unknown.
 */
final class OpenBlasCalls {
    /**
     * The library's version ({@code OpenBLAS 0.3.31}), kernel ({@code SkylakeX}) and thread count;
     * the texts may be null, the count 0 when unknown.
     */
    record Described(String version, String kernel, int threads) {}

    private OpenBlasCalls() {}

    /**
     * Reads {@code openblas_get_config} and {@code openblas_get_corename} from the libraries this
     * class loader loaded; with {@code oneThread}, first calls {@code openblas_set_num_threads(1)}.
     */
    static Described describe(String library, boolean oneThread) {
        SymbolLookup lookup = SymbolLookup.loaderLookup();
        CLinker linker = CLinker.getInstance();
        String config = string(lookup, linker, "openblas_get_config");
        String kernel = string(lookup, linker, "openblas_get_corename");
        if (config == null && kernel == null) {
            throw new IllegalStateException(library + " is not an OpenBLAS this class loader loaded");
        }
        if (oneThread) {
            lookup.lookup("openblas_set_num_threads").ifPresent(symbol -> {
                MethodHandle set = linker.downcallHandle(symbol, MethodType.methodType(void.class, int.class),
                        FunctionDescriptor.ofVoid(CLinker.C_INT));
                try {
                    set.invokeExact(1);
                } catch (Throwable e) {
                    throw new IllegalStateException("openblas_set_num_threads failed", e);
                }
            });
        }
        int threads = lookup.lookup("openblas_get_num_threads").map(symbol -> {
            MethodHandle get = linker.downcallHandle(symbol, MethodType.methodType(int.class), FunctionDescriptor.of(CLinker.C_INT));
            try {
                return (int) get.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException("openblas_get_num_threads failed", e);
            }
        }).orElse(0);
        return new Described(version(config), kernel == null ? null : kernel.trim(), threads);
    }

    /** "OpenBLAS 0.3.31" from a config text such as "OpenBLAS 0.3.31  DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64". */
    static String version(String config) {
        if (config == null) {
            return null;
        }
        String[] words = config.trim().split("\\s+");
        if (words.length >= 2 && words[0].toLowerCase(Locale.ROOT).equals("openblas")) {
            return words[0] + " " + words[1];
        }
        return config.trim();
    }

    private static String string(SymbolLookup lookup, CLinker linker, String function) {
        return lookup.lookup(function).map(symbol -> {
            MethodHandle h = linker.downcallHandle(symbol, MethodType.methodType(MemoryAddress.class),
                    FunctionDescriptor.of(CLinker.C_POINTER));
            try {
                MemoryAddress text = (MemoryAddress) h.invokeExact();
                return CLinker.toJavaString(text);
            } catch (Throwable e) {
                throw new IllegalStateException(function + " failed", e);
            }
        }).orElse(null);
    }
}
