{{/* The release's name for every object, at most 63 characters. */}}
{{- define "paraaf.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "paraaf.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "paraaf.labels" -}}
{{ include "paraaf.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "paraaf.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* What the chart refuses to render, with the reason. */}}
{{- define "paraaf.checks" -}}
{{- if and (eq .Values.paraaf.backend "local") (gt (int .Values.replicaCount) 1) -}}
{{- fail "replicaCount: the local backend is one SQLite file on a ReadWriteOnce volume, so it runs as one replica. Several replicas need paraaf.backend=graph." -}}
{{- end -}}
{{- if ne .Values.paraaf.mode "production" -}}
{{- fail "paraaf.mode: a cluster runs paraaf in production mode (local mode has no authentication and answers only loopback)." -}}
{{- end -}}
{{- required "paraaf.appId: the app registration's client id (PARAAF_APP_ID)" .Values.paraaf.appId | substr 0 0 -}}
{{- required "paraaf.publicUrl: the public https address (PARAAF_PUBLIC_URL)" .Values.paraaf.publicUrl | substr 0 0 -}}
{{- required "existingSecret: the Secret with PARAAF_APP_PASSWORD and the other credentials" .Values.existingSecret | substr 0 0 -}}
{{- end -}}

{{/* Settings from the ConfigMap, credentials from the cluster's Secret. */}}
{{- define "paraaf.envFrom" -}}
- configMapRef:
    name: {{ include "paraaf.fullname" . }}
- secretRef:
    name: {{ .Values.existingSecret }}
{{- end -}}

{{/* The data folder (the volume on the local backend), and a writable /tmp. */}}
{{- define "paraaf.volumes" -}}
- name: data
{{- if eq .Values.paraaf.backend "local" }}
  persistentVolumeClaim:
    claimName: {{ .Values.persistence.existingClaim | default (printf "%s-data" (include "paraaf.fullname" .)) }}
{{- else }}
  emptyDir:
    sizeLimit: 256Mi
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 256Mi
{{- end -}}

{{- define "paraaf.volumeMounts" -}}
- name: data
  mountPath: /home/paraaf/data
- name: tmp
  mountPath: /tmp
{{- end -}}
