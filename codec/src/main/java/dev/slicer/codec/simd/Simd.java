package dev.slicer.codec.simd;

/**
 * Whether the codec runs its Vector API kernels ({@link VectorMagnitudeScan}). The JDK 17 Vector API is an incubator
 * module, so it is used only when the JVM was started with {@code --add-modules jdk.incubator.vector} (the launcher,
 * the benchmark and the test JVMs do) and the CPU has at least 256-bit vectors; otherwise, or with
 * {@code -Dslicer.codec.simd=false}, the scalar code runs. Both give the same bytes: the kernels compute exactly what
 * the scalar loops do.
 */
public final class Simd {
    /** System property that turns the kernels off when set to {@code false}. */
    public static final String PROPERTY = "slicer.codec.simd";

    private static final String MODULE = "jdk.incubator.vector";
    private static final boolean ENABLED = detect();

    private Simd() {}

    /** True when the Vector API kernels are in use. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** True when the kernels can run in this JVM (the module is present), whatever the CPU and the property say. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY)) || !available()) {
            return false;
        }
        try {
            return VectorMagnitudeScan.fast();
        } catch (LinkageError e) {
            return false;
        }
    }
}
