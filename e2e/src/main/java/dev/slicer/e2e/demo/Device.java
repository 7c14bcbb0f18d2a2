package dev.slicer.e2e.demo;

/**
 * One emulated edge device: its node name, device class (with the class's memory budget from the resource) and the
 * uplink rate the demo's network emulation starts it with.
 */
public record Device(String name, String deviceClass, String memoryBudget, long linkBytesPerSecond) {
    /**
     * {@code count} devices of a fleet, named {@code <prefix>-<i>-<class>}, cycling through its device classes (with
     * their memory budgets) and through {@code linkRates} (bytes/s).
     */
    public static java.util.List<Device> of(
            dev.slicer.crds.v1alpha1.SplitInference si, String prefix, int count, long[] linkRates) {
        var classes = si.getSpec().getEdges().getDeviceClasses();
        java.util.List<Device> devices = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            var dc = classes.get(i % classes.size());
            devices.add(new Device(
                    prefix + "-" + i + "-" + dc.getName(),
                    dc.getName(),
                    dc.getMemoryBudget(),
                    linkRates[i % linkRates.length]));
        }
        return java.util.List.copyOf(devices);
    }
}
