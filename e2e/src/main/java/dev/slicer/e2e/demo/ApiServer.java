package dev.slicer.e2e.demo;

import io.fabric8.kubernetes.client.KubernetesClient;

/** A Kubernetes API on loopback for the demo: the real control plane when it is built here, else the mock. */
public interface ApiServer extends AutoCloseable {
    /** {@code real} or {@code mock}, as the summary line reports it. */
    String kind();

    /** The URL the operator's client is given. */
    String url();

    /** The environment that points the operator's process at this API (URL, trust, credentials). */
    java.util.Map<String, String> operatorEnv();

    /** A client for the demo itself (the kubelet stand-in, applying resources). */
    KubernetesClient client();

    @Override
    void close();
}
