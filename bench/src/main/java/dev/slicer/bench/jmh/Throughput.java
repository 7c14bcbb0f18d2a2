package dev.slicer.bench.jmh;

/**
 * Measured throughput in MB/s (10^6 bytes) of fp32 data.
 *
 * @param mbPerSecond mean score
 * @param error JMH's 99.9% confidence half-width (NaN when too few iterations)
 */
public record Throughput(double mbPerSecond, double error) {}
