package dev.slicer.codec;

/** The frame's CRC32C does not match its contents: corrupted in transit or storage. */
public final class ChecksumMismatchException extends MalformedFrameException {
    public ChecksumMismatchException(long offset, int expected, int actual) {
        super(offset, String.format("CRC32C mismatch: frame says %08x, contents give %08x", expected, actual));
    }
}
