package dev.slicer.edge.ar;

import java.nio.charset.StandardCharsets;

/** The byte-level tokenizer of {@code builtin:tiny-llama} (vocabulary 256): one token per UTF-8 byte. */
public final class ByteTokenizer implements ArTokenizer {
    @Override
    public long[] encode(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xFF;
        }
        return ids;
    }

    @Override
    public String decode(long[] ids) {
        byte[] b = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            b[i] = (byte) ids[i];
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
