package dev.slicer.crds.v1alpha1;

/** Regular expressions shared by the schema ({@code pattern}) and by code that parses the same strings. */
public final class Patterns {

    /** A Go-style duration as Kubernetes writes them: {@code 250ms}, {@code 1.5s}, {@code 1m30s}. */
    public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

    /** A non-negative byte quantity: {@code 512Mi}, {@code 2Gi}, {@code 1500M}, {@code 1048576}. */
    public static final String BYTES = "^[0-9]+(\\.[0-9]+)?([KMGTPE]i|[kMGTPE])?$";

    /** A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /** A DNS-1123 subdomain: DNS labels joined by '.', as the names of most Kubernetes objects. */
    public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A URI with a scheme, or {@code builtin:NAME} (a model the services carry or generate themselves). */
    public static final String URI = "^([a-zA-Z][a-zA-Z0-9+.-]*://\\S+|builtin:[a-z0-9]([-a-z0-9]*[a-z0-9])?)$";

    /** An http or https URL. */
    public static final String HTTP_URL = "^https?://\\S+$";

    private Patterns() {}
}
