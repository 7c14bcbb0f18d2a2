package dev.slicer.backend.batch;

import dev.slicer.backend.tail.Port;
import dev.slicer.backend.tail.TailSpec;
import dev.slicer.model.split.HostTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks the inputs of several requests of one tail on axis 0, zero-padding sequence axes to the longest request
 * (a zero attention mask hides the padding, zero ids are the pad token), and slices the batch's outputs back to each
 * request's rows and sequence length.
 */
public final class BatchAssembler {
    private BatchAssembler() {}

    /** Rows and sequence length of one request, read from its inputs. */
    record Extent(long rows, long sequence) {}

    public static Map<String, HostTensor> stack(TailSpec tail, List<Map<String, HostTensor>> requests) {
        if (requests.size() == 1) {
            return requests.get(0);
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Port port : tail.inputs()) {
            long[] target = requests.get(0).get(port.name()).shape();
            target[0] = 0;
            for (Map<String, HostTensor> r : requests) {
                long[] s = r.get(port.name()).shape();
                target[0] += s[0];
                for (int a = 1; a < s.length; a++) {
                    target[a] = Math.max(target[a], s[a]);
                }
            }
            HostTensor first = requests.get(0).get(port.name());
            Object data = TensorBlocks.zeros(first.data(), HostTensor.elementCount(target));
            long row = 0;
            for (Map<String, HostTensor> r : requests) {
                HostTensor t = r.get(port.name());
                long[] s = t.shape();
                TensorBlocks.copy(t.data(), s, 0, data, target, row, s);
                row += s[0];
            }
            out.put(port.name(), new HostTensor(first.dataType(), target, data));
        }
        return out;
    }

    public static List<Map<String, HostTensor>> unstack(
            TailSpec tail, List<Map<String, HostTensor>> requests, Map<String, HostTensor> outputs) {
        if (requests.size() == 1) {
            return List.of(outputs);
        }
        List<Extent> extents = requests.stream().map(r -> extent(tail, r)).toList();
        List<Map<String, HostTensor>> result = new ArrayList<>();
        long row = 0;
        for (Extent e : extents) {
            Map<String, HostTensor> mine = new LinkedHashMap<>();
            for (Port port : tail.outputs()) {
                HostTensor t = outputs.get(port.name());
                long[] shape = t.shape();
                long[] block = shape.clone();
                block[0] = e.rows();
                for (int a = 1; a < block.length; a++) {
                    if (port.isSequence(a)) {
                        block[a] = e.sequence();
                    }
                }
                Object data = TensorBlocks.zeros(t.data(), HostTensor.elementCount(block));
                TensorBlocks.copy(t.data(), shape, row, data, block, 0, block);
                mine.put(port.name(), new HostTensor(t.dataType(), block, data));
            }
            result.add(mine);
            row += e.rows();
        }
        return result;
    }

    static Extent extent(TailSpec tail, Map<String, HostTensor> request) {
        long rows = -1;
        long sequence = -1;
        for (Port port : tail.inputs()) {
            long[] s = request.get(port.name()).shape();
            rows = s[0];
            for (int a = 1; a < s.length; a++) {
                if (port.isSequence(a)) {
                    sequence = s[a];
                }
            }
        }
        return new Extent(rows, sequence);
    }
}
