{{/* Chart name. */}}
{{- define "slicer-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name, at most 63 characters. */}}
{{- define "slicer-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Common labels. */}}
{{- define "slicer-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "slicer-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: slicer
{{- end }}

{{/* Selector labels. */}}
{{- define "slicer-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slicer-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* ServiceAccount name. */}}
{{- define "slicer-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "slicer-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* A map as comma-separated key=value entries (sorted by key), for list-valued operator properties. */}}
{{- define "slicer-operator.keyValues" -}}
{{- $pairs := list }}
{{- range $k, $v := . }}
{{- $pairs = append $pairs (printf "%s=%s" $k $v) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/* Operator image. */}}
{{- define "slicer-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/*
Rules on the namespaced resources the operator reconciles, in the namespaces it watches. Least privilege: the
operator writes by server-side apply (patch; create for the first apply), deletes only what a precondition can
remove (the edge DaemonSet, the plan ConfigMap), patches only the status of its resource, and creates Events.
Keep in sync with the allowlist in helm/src/test/java/dev/slicer/helm/RbacAllowlist.java.
*/}}
{{- define "slicer-operator.namespacedRules" -}}
- apiGroups: ["slicer.dev"]
  resources: ["splitinferences"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["slicer.dev"]
  resources: ["splitinferences/status"]
  verbs: ["patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["apps"]
  resources: ["daemonsets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# the back-end PodDisruptionBudget exists only while spec.backend.podDisruptionBudget is set
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
# the profiling Job (issue 12) is a non-SSA dependent: it is updated whole
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: ["monitoring.coreos.com"]
  resources: ["servicemonitors", "podmonitors"]
  verbs: ["get", "list", "watch", "create", "patch"]
{{- if eq .Values.metricsSource "direct" }}
# scraping the back-end replicas directly: their addresses come from the back-end Service's EndpointSlices
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["list"]
{{- end }}
{{- end }}
