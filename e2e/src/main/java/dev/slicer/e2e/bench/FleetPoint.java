package dev.slicer.e2e.bench;

/**
 * One measured point of the fleet benchmark: a strategy at an edge count.
 *
 * @param backendCpuMs the back-end process's own CPU time (user + system) over the point's requests, without its JIT
 *     compiler threads (a one-time cost a long-running back-end no longer pays; see ProcessCpu)
 * @param wallSeconds wall time from the first request sent to the last answered
 * @param uplinkBytes sum over answered requests of the bytes the edge sent (IF frame or raw inputs)
 * @param fidelityMean mean output cosine against the unsplit model over answered requests
 * @param fidelityMin lowest output cosine
 */
record FleetPoint(
        Strategy strategy,
        int edges,
        int requests,
        int failed,
        double backendCpuMs,
        double wallSeconds,
        double p50Seconds,
        double p95Seconds,
        double uplinkBytes,
        double fidelityMean,
        double fidelityMin) {

    int answered() {
        return requests - failed;
    }

    /** Back-end CPU milliseconds per request (failed requests count: they cost the back-end too). */
    double cpuMsPerRequest() {
        return backendCpuMs / Math.max(1, requests);
    }

    /** Requests answered per wall second with this many edges sending as fast as they are allowed. */
    double throughput() {
        return wallSeconds <= 0 ? 0 : answered() / wallSeconds;
    }

    /** Requests per second one fully busy back-end core would serve at this CPU cost. */
    double capacityPerCore() {
        return backendCpuMs <= 0 ? 0 : 1000.0 * requests / backendCpuMs;
    }

    double uplinkBytesPerRequest() {
        return uplinkBytes / Math.max(1, answered());
    }
}
