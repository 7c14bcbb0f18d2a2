package dev.slicer.operator.metrics;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which Prometheus URLs a SplitInference may name in {@code spec.policy.metricsUrl}: only those under an entry of
 * {@code slicer.operator.metrics-url-allowlist} (default: the operator's own Prometheus URL). Without it any resource
 * author could make the operator GET an arbitrary URL (with its Prometheus credentials) and read the answer back in
 * the status. A URL is allowed when scheme, host and port equal an entry's and its path lies under the entry's path
 * (at a segment boundary); user info, query and fragment are never allowed.
 */
public final class MetricsUrlAllowlist {

    private record Entry(String scheme, String host, int port, String path) {}

    private final List<Entry> entries;

    /** Parses the configured entries; a malformed one throws {@link IllegalArgumentException} naming it. */
    public MetricsUrlAllowlist(List<String> urls) {
        this.entries = urls.stream()
                .map(u -> parse(u).orElseThrow(() -> new IllegalArgumentException(
                        "slicer.operator.metrics-url-allowlist: '" + u + "' is not an http(s) URL")))
                .toList();
    }

    /** Why {@code url} may not be used, or empty when it may. */
    public Optional<String> problem(String url) {
        Optional<Entry> candidate = parse(url);
        if (candidate.isEmpty()) {
            return Optional.of("spec.policy.metricsUrl " + url + " is not a plain http(s) URL");
        }
        Entry c = candidate.get();
        for (Entry e : entries) {
            if (e.scheme.equals(c.scheme)
                    && e.host.equals(c.host)
                    && e.port == c.port
                    && (c.path.equals(e.path) || c.path.startsWith(e.path.endsWith("/") ? e.path : e.path + "/"))) {
                return Optional.empty();
            }
        }
        return Optional.of("spec.policy.metricsUrl " + url
                + " is not in the operator's allowlist (slicer.operator.metrics-url-allowlist)");
    }

    private static Optional<Entry> parse(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https"))
                    || u.getHost() == null
                    || u.getRawUserInfo() != null
                    || u.getRawQuery() != null
                    || u.getRawFragment() != null) {
                return Optional.empty();
            }
            int port = u.getPort() != -1 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            String path =
                    u.normalize().getRawPath() == null ? "" : u.normalize().getRawPath();
            if (path.contains("/../") || path.endsWith("/..")) {
                return Optional.empty();
            }
            path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            return Optional.of(new Entry(scheme, u.getHost().toLowerCase(Locale.ROOT), port, path));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
