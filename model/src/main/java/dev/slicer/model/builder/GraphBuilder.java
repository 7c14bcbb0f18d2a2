package dev.slicer.model.builder;

import dev.slicer.model.onnx.Tensors;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto;
import dev.slicer.model.onnx.proto.Onnx.AttributeProto.AttributeType;
import dev.slicer.model.onnx.proto.Onnx.GraphProto;
import dev.slicer.model.onnx.proto.Onnx.ModelProto;
import dev.slicer.model.onnx.proto.Onnx.NodeProto;
import dev.slicer.model.onnx.proto.Onnx.OperatorSetIdProto;
import dev.slicer.model.onnx.proto.Onnx.TensorProto;
import dev.slicer.model.onnx.proto.Onnx.TensorShapeProto;
import dev.slicer.model.onnx.proto.Onnx.TypeProto;
import dev.slicer.model.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small fluent helper that assembles an ONNX graph: seeded weights, constants, nodes named
 * {@code module.path/OpType}, inputs and outputs with symbolic dimensions.
 */
public final class GraphBuilder {
    /** ONNX IR version written by the builder (ONNX 1.14+; read by ONNX Runtime 1.16+). */
    public static final int IR_VERSION = 9;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Random rng;
    private final Map<String, Integer> nameCounts = new LinkedHashMap<>();

    public GraphBuilder(String name, long seed) {
        graph.setName(name);
        this.rng = new Random(seed);
    }

    /** Node attributes in insertion order. */
    public static final class Attrs {
        private final List<AttributeProto> list = new ArrayList<>();

        public static Attrs of() {
            return new Attrs();
        }

        public Attrs i(String name, long v) {
            list.add(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeType.INT)
                    .setI(v)
                    .build());
            return this;
        }

        public Attrs f(String name, float v) {
            list.add(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeType.FLOAT)
                    .setF(v)
                    .build());
            return this;
        }

        public Attrs ints(String name, long... v) {
            AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
            for (long x : v) {
                b.addInts(x);
            }
            list.add(b.build());
            return this;
        }

        public Attrs tensor(String name, TensorProto t) {
            list.add(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeType.TENSOR)
                    .setT(t)
                    .build());
            return this;
        }
    }

    /** Declares a graph input; each dim is a number or a symbolic name. */
    public String input(String name, int elemType, String... dims) {
        graph.addInput(valueInfo(name, elemType, dims));
        return name;
    }

    public void output(String name, int elemType, String... dims) {
        graph.addOutput(valueInfo(name, elemType, dims));
    }

    /** An {@code If} node {@code name}: {@code output = condition ? then : otherwise}. */
    public static NodeProto ifNode(
            String name, String condition, String output, GraphProto then, GraphProto otherwise) {
        return NodeProto.newBuilder()
                .setName(name)
                .setOpType("If")
                .addInput(condition)
                .addOutput(output)
                .addAttribute(AttributeProto.newBuilder()
                        .setName("then_branch")
                        .setType(AttributeType.GRAPH)
                        .setG(then))
                .addAttribute(AttributeProto.newBuilder()
                        .setName("else_branch")
                        .setType(AttributeType.GRAPH)
                        .setG(otherwise))
                .build();
    }

    /** Builds a value info with numeric or symbolic dims. */
    public static ValueInfoProto valueInfo(String name, int elemType, String... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (String d : dims) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (!d.isEmpty() && d.chars().allMatch(Character::isDigit)) {
                db.setDimValue(Long.parseLong(d));
            } else {
                db.setDimParam(d);
            }
            shape.addDim(db);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(elemType)
                                .setShape(shape)))
                .build();
    }

    /** A float initializer with values drawn from N(mean, std^2). */
    public String normal(String name, float mean, float std, long... dims) {
        float[] v = new float[Math.toIntExact(count(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * (float) rng.nextGaussian();
        }
        return floats(name, dims, v);
    }

    /** A float initializer with values drawn uniformly from [lo, hi). */
    public String uniform(String name, float lo, float hi, long... dims) {
        float[] v = new float[Math.toIntExact(count(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextFloat();
        }
        return floats(name, dims, v);
    }

    public String floats(String name, long[] dims, float... values) {
        graph.addInitializer(Tensors.floats(name, dims, values));
        return name;
    }

    public String longs(String name, long[] dims, long... values) {
        graph.addInitializer(Tensors.longs(name, dims, values));
        return name;
    }

    /** Adds a node with one output named {@code nodeName + "_output_0"}; returns that name. */
    public String op(String nodeName, String opType, Attrs attrs, String... inputs) {
        String unique = unique(nodeName);
        String out = unique + "_output_0";
        NodeProto.Builder n = NodeProto.newBuilder().setName(unique).setOpType(opType);
        n.addAllInput(List.of(inputs)).addOutput(out).addAllAttribute(attrs.list);
        graph.addNode(n);
        return out;
    }

    public String op(String nodeName, String opType, String... inputs) {
        return op(nodeName, opType, Attrs.of(), inputs);
    }

    /** Adds a node whose outputs carry the given names (e.g. graph outputs). */
    public void node(String nodeName, String opType, Attrs attrs, List<String> inputs, List<String> outputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setName(unique(nodeName)).setOpType(opType);
        n.addAllInput(inputs).addAllOutput(outputs).addAllAttribute(attrs.list);
        graph.addNode(n);
    }

    private String unique(String name) {
        int c = nameCounts.merge(name, 1, Integer::sum);
        return c == 1 ? name : name + "_" + (c - 1);
    }

    public ModelProto build(int opset, String producer) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer)
                .setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph)
                .build();
    }

    private static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
