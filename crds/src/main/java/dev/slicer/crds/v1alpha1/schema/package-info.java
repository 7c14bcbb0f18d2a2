/**
 * Schema-only mirrors of Kubernetes core types (metav1.Condition, LabelSelector, ResourceRequirements,
 * Toleration). The API classes keep the Fabric8 model types in Java and take their OpenAPI schema from these
 * classes via {@code @SchemaFrom}, so that every field of the generated CRD carries a description for
 * {@code kubectl explain} and the upstream constraints (e.g. condition status True/False/Unknown).
 */
package dev.slicer.crds.v1alpha1.schema;
