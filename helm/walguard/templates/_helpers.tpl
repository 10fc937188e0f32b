{{/* Names. With the release name `walguard` they are the conventional ones the operator defaults to. */}}
{{- define "walguard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "walguard.fullname" -}}
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

{{- define "walguard.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "walguard.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "walguard.webhookService" -}}
{{- printf "%s-webhook" (include "walguard.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "walguard.webhookConfig" -}}
{{- include "walguard.fullname" . }}
{{- end }}

{{- define "walguard.tlsSecret" -}}
{{- printf "%s-webhook-tls" (include "walguard.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "walguard.certificate" -}}
{{- printf "%s-webhook" (include "walguard.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "walguard.driversConfigMap" -}}
{{- default (printf "%s-drivers" (include "walguard.fullname" .) | trunc 63 | trimSuffix "-") .Values.drivers.existingConfigMap }}
{{- end }}

{{- define "walguard.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The JVM flags the image sets in JAVA_TOOL_OPTIONS (a test keeps them equal to the Dockerfile's). The pod sets
JAVA_TOOL_OPTIONS itself to add javaOpts, so it repeats them: a container heap sized from the memory limit, exit on
OutOfMemoryError so the kubelet restarts the pod, the C1 compiler only (less memory, a faster start), the SQLite native library unpacked into the writable /tmp/sqlite,
and no Nagle delay on the webhook's small HTTPS responses.
*/}}
{{- define "walguard.jvmFlags" -}}
-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -Dorg.sqlite.tmpdir=/tmp/sqlite -Dsun.net.httpserver.nodelay=true
{{- end }}

{{- define "walguard.certMode" -}}
{{- if .Values.certManager.enabled }}cert-manager{{ else }}self{{ end }}
{{- end }}

{{/* Labels. */}}
{{- define "walguard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "walguard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "walguard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "walguard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: walguard
{{- end }}

{{/*
What the operator reads and changes in the namespaces it watches. In cluster-wide mode these rules go into the
ClusterRole; with watchNamespaces into a Role in each watched namespace.
*/}}
{{- define "walguard.rules.namespaced" -}}
- apiGroups: [""]
  resources: [persistentvolumeclaims, pods]
  verbs: [get, list, watch]
# The journal remedy sets an app's own journal switch in a DaemonSet's pod template (a DaemonSet cannot be pinned).
- apiGroups: [apps]
  resources: [daemonsets]
  verbs: [get, list, watch, patch]
# Pin patches on the workloads that open a database.
- apiGroups: [apps]
  resources: [deployments, statefulsets, replicasets]
  verbs: [get, list, watch, patch]
# The checkpoint CronJob (kept up to date with a patch) and the journal and probe Jobs (created once, never changed).
- apiGroups: [batch]
  resources: [cronjobs]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, delete]
- apiGroups: [autoscaling]
  resources: [horizontalpodautoscalers]
  verbs: [get, list, watch]
# create: the SqliteDatabase of an opt-in; update/patch: the finalizer (JOSDK).
- apiGroups: [walguard.io]
  resources: [sqlitedatabases]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [walguard.io]
  resources: [sqlitedatabases/status, sqlitedatabases/finalizers]
  verbs: [update, patch]
# Every Event walguard records is a new core/v1 Event.
- apiGroups: [""]
  resources: [events]
  verbs: [create]
{{- end }}

{{/* Cluster-scoped reads, needed in every mode, and the webhook configuration whose caBundle walguard keeps. */}}
{{- define "walguard.rules.cluster" -}}
- apiGroups: [""]
  resources: [persistentvolumes, namespaces]
  verbs: [get, list, watch]
- apiGroups: [storage.k8s.io]
  resources: [storageclasses]
  verbs: [get, list, watch]
{{- if and .Values.webhook.enabled (not .Values.certManager.enabled) }}
# walguard writes its own CA into the caBundle; with cert-manager, cert-manager's cainjector does.
- apiGroups: [admissionregistration.k8s.io]
  resources: [validatingwebhookconfigurations]
  resourceNames: [{{ include "walguard.webhookConfig" . }}]
  verbs: [get, patch]
{{- end }}
{{- end }}
