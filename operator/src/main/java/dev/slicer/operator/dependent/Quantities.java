package dev.slicer.operator.dependent;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Quantities in the canonical form the API server stores (apimachinery's {@code Quantity.CanonicalizeBytes}):
 * {@code 0.5} becomes {@code 500m}, {@code 1024Mi} becomes {@code 1Gi}, {@code 1000} becomes {@code 1k}. Desired
 * objects carry this form, so a settled object compares equal to what the server returns and no reconcile writes it
 * again. Values are rounded up to nano units first, as the server does.
 */
public final class Quantities {

    private static final List<String> BINARY = List.of("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei");
    private static final Map<Integer, String> DECIMAL =
            Map.of(-9, "n", -6, "u", -3, "m", 0, "", 3, "k", 6, "M", 9, "G", 12, "T", 15, "P", 18, "E");
    private static final BigInteger KI = BigInteger.valueOf(1024);

    private Quantities() {}

    /** The canonical form of {@code q}; an unparseable quantity throws {@link IllegalArgumentException}. */
    public static Quantity canonical(Quantity q) {
        return new Quantity(canonicalText(q));
    }

    static String canonicalText(Quantity q) {
        String format = q.getFormat() == null ? "" : q.getFormat();
        BigDecimal value;
        try {
            value = q.getNumericalAmount();
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a quantity: " + q, e);
        }
        value = value.setScale(9, RoundingMode.UP);
        if (value.signum() == 0) {
            return "0";
        }
        boolean binary = BINARY.contains(format) && !format.isEmpty();
        boolean exponent = format.startsWith("e") || format.startsWith("E");
        if (binary
                && value.abs().compareTo(BigDecimal.valueOf(1024)) >= 0
                && value.stripTrailingZeros().scale() <= 0) {
            BigInteger amount = value.toBigIntegerExact();
            int power = 0;
            while (power < BINARY.size() - 1 && amount.mod(KI).signum() == 0) {
                amount = amount.divide(KI);
                power++;
            }
            return amount + BINARY.get(power);
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exp = -stripped.scale();
        int adjust = Math.floorMod(exp, 3);
        mantissa = mantissa.multiply(BigInteger.TEN.pow(adjust));
        exp -= adjust;
        if (exponent || !DECIMAL.containsKey(exp)) {
            return exp == 0 ? mantissa.toString() : mantissa + "e" + exp;
        }
        return mantissa + DECIMAL.get(exp);
    }

    /** Requests and limits in canonical form; {@code null} stays {@code null}. */
    public static ResourceRequirements canonical(ResourceRequirements r) {
        if (r == null) {
            return null;
        }
        return new ResourceRequirementsBuilder(r)
                .withRequests(canonical(r.getRequests()))
                .withLimits(canonical(r.getLimits()))
                .build();
    }

    private static Map<String, Quantity> canonical(Map<String, Quantity> m) {
        if (m == null || m.isEmpty()) {
            return null;
        }
        Map<String, Quantity> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, canonical(v)));
        return out;
    }
}
