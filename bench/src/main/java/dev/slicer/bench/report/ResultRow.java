package dev.slicer.bench.report;

import dev.slicer.bench.jmh.Throughput;
import dev.slicer.bench.metrics.Quality;

/**
 * One method measured on one data set.
 *
 * @param dataset data set name (e.g. {@code minilm})
 * @param methodId method id
 * @param family plot series / method family
 * @param settings human description of the settings
 * @param slicer whether this is a SLICER codec setting
 * @param lossless whether the method is lossless (verified bit-exact)
 * @param reference whether this is the reference point
 * @param modeToken one-token label (codec label with spaces replaced)
 * @param quality rate and distortion
 * @param encode encode throughput
 * @param decode decode throughput
 * @param timing how the throughput was measured (short tag)
 */
public record ResultRow(
        String dataset,
        String methodId,
        String family,
        String settings,
        boolean slicer,
        boolean lossless,
        boolean reference,
        String modeToken,
        Quality quality,
        Throughput encode,
        Throughput decode,
        String timing) {}
