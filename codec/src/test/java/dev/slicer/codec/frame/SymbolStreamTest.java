package dev.slicer.codec.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slicer.codec.MalformedFrameException;
import dev.slicer.codec.bits.ByteIo;
import dev.slicer.codec.rans.RansCoder;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SymbolStreamTest {
    private final SymbolStream stream = new SymbolStream(new RansCoder());

    static int[] symbols(SplittableRandom r, int n, int bits, int spread) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            // skewed: mostly small values, so rANS wins often
            v[i] = Math.min((1 << bits) - 1, Math.abs((int) (r.nextGaussian() * spread)));
        }
        return v;
    }

    @Property(tries = 300)
    void blocksRoundTripAndNeverExceedTheirBound(
            @ForAll @IntRange(min = 1, max = 16) int bits,
            @ForAll @IntRange(min = 0, max = 3000) int n,
            @ForAll @IntRange(min = 0, max = 300) int spread,
            @ForAll boolean entropy,
            @ForAll long seed) {
        int[] v = symbols(new SplittableRandom(seed), n, bits, spread);
        byte[] buf = new byte[(int) SymbolStream.maxBlockBytes(n, bits) + 8];
        Arrays.fill(buf, (byte) 0x5A);
        int len = stream.writeBlock(v, 0, n, bits, entropy, buf, 3);
        assertThat((long) len).isLessThanOrEqualTo(SymbolStream.maxBlockBytes(n, bits));
        assertThat(buf[3 + len]).as("nothing written past the block").isEqualTo((byte) 0x5A);
        int[] out = new int[n];
        ByteIo.Reader in = new ByteIo.Reader(buf, 3, len, 0);
        stream.readBlock(in, n, bits, out, 0);
        assertThat(in.remaining()).isZero();
        assertThat(out).containsExactly(v);
    }

    /** The bound a decoder sizes by never rejects a real encoding, even at the most compressible skew. */
    @Test
    void maxSymbolsBoundsEveryRealRansBlock() {
        RansCoder rans = new RansCoder();
        SplittableRandom r = new SplittableRandom(5);
        for (int n : new int[] {2, 17, 1000, 1 << 16, 1 << 20, 3 << 20}) {
            for (int rare : new int[] {1, 2, 16, n / 3}) {
                byte[] src = new byte[n];
                for (int i = 0; i < Math.min(rare, n); i++) {
                    src[r.nextInt(n)] = (byte) (1 + r.nextInt(200));
                }
                byte[] enc = new byte[RansCoder.maxEncodedLength(n)];
                int len = rans.encode(src, 0, n, enc, 0);
                assertThat(RansCoder.maxSymbols(enc, 0, len))
                        .as("n=%d rare=%d len=%d", n, rare, len)
                        .isGreaterThanOrEqualTo(n);
            }
        }
    }

    @Test
    void declaredCountsBeyondWhatTheBytesHoldAreRejectedBeforeDecoding() {
        int n = 1 << 20;
        byte[] src = new byte[n];
        src[7] = 1;
        byte[] enc = new byte[RansCoder.maxEncodedLength(n)];
        int len = new RansCoder().encode(src, 0, n, enc, 0);
        long most = RansCoder.maxSymbols(enc, 0, len);
        assertThat(most).isLessThan(Integer.MAX_VALUE);
        byte[] block = new byte[len + 6];
        block[0] = SymbolStream.RANS8;
        int head = 1 + ByteIo.putVarint(block, 1, len);
        System.arraycopy(enc, 0, block, head, len);
        ByteIo.Reader in = new ByteIo.Reader(block, 0, head + len, 0);
        assertThatThrownBy(() -> stream.readBlock(in, (int) most + 1, 8))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("too short");
        // a packed block must have exactly the packed length; a coding must fit the width
        byte[] packed = {SymbolStream.PACKED, 2, 0, 0};
        assertThatThrownBy(() -> stream.readBlock(new ByteIo.Reader(packed, 0, 4, 0), 5, 4))
                .isInstanceOf(MalformedFrameException.class);
        byte[] wide = {SymbolStream.RANS16, 2, 1, 0};
        assertThatThrownBy(() -> stream.readBlock(new ByteIo.Reader(wide, 0, 4, 0), 5, 8))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("coding");
    }

    @Test
    void symbolsWiderThanTheWidthAreRejected() {
        byte[] sym = new byte[64];
        Arrays.fill(sym, (byte) 9);
        sym[3] = 1;
        byte[] enc = new byte[RansCoder.maxEncodedLength(64)];
        int len = new RansCoder().encode(sym, 0, 64, enc, 0);
        assertThatThrownBy(() -> stream.decode(enc, 0, len, SymbolStream.RANS8, 64, 3, new int[64], 0))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("wider");
    }

    /** Peaked byte blocks (the quantizers' codes) take Huffman; flat ones do not; both come back exactly. */
    @Test
    void byteBlocksTakeHuffmanWhereItCostsAtMostOnePercentMore() {
        SplittableRandom r = new SplittableRandom(11);
        byte[] peaked = new byte[6000];
        for (int i = 0; i < peaked.length; i++) {
            int q = (int) Math.rint(r.nextGaussian() * 2);
            peaked[i] = (byte) ((q << 1) ^ (q >> 31));
        }
        byte[] flat = new byte[6000];
        for (int i = 0; i < flat.length; i++) {
            // four equally likely symbols: Huffman and rANS both need 2 bits, and the rANS table is the smaller
            flat[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt(4));
        }
        RansCoder rans = new RansCoder();
        for (byte[] v : new byte[][] {peaked, flat}) {
            int size = stream.prepareByteBlock(v, 0, v.length, true);
            byte[] buf = new byte[size];
            assertThat(stream.putByteBlock(buf, 0)).isEqualTo(size);
            byte[] ransBlock = new byte[RansCoder.maxEncodedLength(v.length)];
            int ransLen = rans.encode(v, 0, v.length, ransBlock, 0);
            int streamLen = size - 1 - ByteIo.varintSize(size);
            if (v == peaked) {
                assertThat(buf[0]).isEqualTo((byte) SymbolStream.HUFF8);
            }
            assertThat((double) streamLen).isLessThanOrEqualTo(SymbolStream.HUFFMAN_SLACK * ransLen + 1);
            ByteIo.Reader in = new ByteIo.Reader(buf, 0, size, 0);
            byte[] out = new byte[v.length];
            stream.readByteBlock(in, v.length, out, 0);
            assertThat(out).isEqualTo(v);
        }
        byte[] wide = {SymbolStream.HUFF8, 2, 1, 0};
        assertThatThrownBy(() -> stream.readBlock(new ByteIo.Reader(wide, 0, 4, 0), 5, 9))
                .isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("coding");
    }
}
