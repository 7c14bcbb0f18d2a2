package dev.slicer.edge.ar;

/** Text to token ids and back, for a decoder served by the OpenAI-compatible API. */
public interface ArTokenizer extends AutoCloseable {
    long[] encode(String text);

    /** The text of {@code ids}; an incomplete multi-byte character at the end decodes to U+FFFD. */
    String decode(long[] ids);

    @Override
    default void close() {}
}
