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
{{- $guid := "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" -}}
{{- $tenant := "^(([a-zA-Z0-9-]{1,63}\\.)+[a-zA-Z]{2,63})$" -}}
{{- if not (regexMatch $guid .Values.paraaf.appId) -}}
{{- fail (printf "paraaf.appId: %q is not a client id; set the app registration's Application (client) id, a GUID such as 00000000-0000-0000-0000-000000000000 (PARAAF_APP_ID)." .Values.paraaf.appId) -}}
{{- end -}}
{{- required "paraaf.publicUrl: the public https address (PARAAF_PUBLIC_URL)" .Values.paraaf.publicUrl | substr 0 0 -}}
{{- if not (regexMatch "^https://[^\\s/?#@]+(/[^\\s?#]*)?$" .Values.paraaf.publicUrl) -}}
{{- fail (printf "paraaf.publicUrl: %q is not an https address; Teams reaches the bot only over https: set https://<host> (PARAAF_PUBLIC_URL)." .Values.paraaf.publicUrl) -}}
{{- end -}}
{{- required "existingSecret: the Secret with PARAAF_APP_PASSWORD and the other credentials" .Values.existingSecret | substr 0 0 -}}
{{- $type := .Values.paraaf.appType | default "multitenant" -}}
{{- if and (has $type (list "singletenant" "userassignedmsi")) (not .Values.paraaf.appTenantId) -}}
{{- fail (printf "paraaf.appTenantId: appType %s needs the tenant of the app registration; set paraaf.appTenantId to your tenant id (az account show --query tenantId -o tsv), PARAAF_APP_TENANT_ID." $type) -}}
{{- end -}}
{{- with .Values.paraaf.appTenantId -}}
{{- if not (or (regexMatch $guid .) (regexMatch $tenant .)) -}}
{{- fail (printf "paraaf.appTenantId: %q is not a tenant id; set the tenant's GUID or its domain (contoso.onmicrosoft.com), PARAAF_APP_TENANT_ID." .) -}}
{{- end -}}
{{- end -}}
{{- with .Values.paraaf.otlpEndpoint -}}
{{- if not (regexMatch "^https?://[^\\s/?#]+(/[^\\s]*)?$" .) -}}
{{- fail (printf "paraaf.otlpEndpoint: %q is not an http(s) address; set the OTLP/HTTP collector's base address, e.g. http://otel-collector.monitoring:4318, or leave it empty (PARAAF_OTLP_ENDPOINT)." .) -}}
{{- end -}}
{{- end -}}
{{- if eq .Values.paraaf.backend "graph" -}}
{{- include "paraaf.graphChecks" . -}}
{{- end -}}
{{- end -}}

{{/* The Microsoft 365 backend's settings, as bot/settings.py checks them at start. */}}
{{- define "paraaf.graphChecks" -}}
{{- $guid := "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$" -}}
{{- $tenant := "^(([a-zA-Z0-9-]{1,63}\\.)+[a-zA-Z]{2,63})$" -}}
{{- $p := .Values.paraaf -}}
{{- required "paraaf.siteUrl: backend graph keeps its data in a SharePoint site; set its address, e.g. https://gemeente.sharepoint.com/sites/paraaf (PARAAF_SITE_URL)" $p.siteUrl | substr 0 0 -}}
{{- if or (not (regexMatch "^https://[a-zA-Z0-9.-]+(/[^\\s?#%:\\\\]*)?$" $p.siteUrl)) (regexMatch "(?i)(\\.aspx|/_layouts|/lists/)" $p.siteUrl) -}}
{{- fail (printf "paraaf.siteUrl: %q is not a SharePoint site address; set https://<tenant>.sharepoint.com/sites/<site> (PARAAF_SITE_URL)." $p.siteUrl) -}}
{{- end -}}
{{- $graphTenant := $p.graphTenantId | default $p.appTenantId -}}
{{- if not $graphTenant -}}
{{- fail "paraaf.graphTenantId: backend graph needs the tenant of the SharePoint site and the directory; set paraaf.graphTenantId (or paraaf.appTenantId) to your tenant id (PARAAF_GRAPH_TENANT_ID)." -}}
{{- end -}}
{{- if not (or (regexMatch $guid $graphTenant) (regexMatch $tenant $graphTenant)) -}}
{{- fail (printf "paraaf.graphTenantId: %q is not a tenant id; set the tenant's GUID or its domain (contoso.onmicrosoft.com), PARAAF_GRAPH_TENANT_ID." $graphTenant) -}}
{{- end -}}
{{- $client := $p.graphClientId | default $p.appId -}}
{{- if not (regexMatch $guid $client) -}}
{{- fail (printf "paraaf.graphClientId: %q is not a client id; set the app registration's Application (client) id, a GUID (PARAAF_GRAPH_CLIENT_ID)." $client) -}}
{{- end -}}
{{- if and (eq ($p.graphAuth | default "secret") "certificate") (not (index ($p.extraEnv | default dict) "PARAAF_GRAPH_CERT_FILE")) -}}
{{- fail "paraaf.extraEnv.PARAAF_GRAPH_CERT_FILE: graphAuth certificate needs the path of the certificate file, mounted from a Secret; set paraaf.extraEnv.PARAAF_GRAPH_CERT_FILE, or use graphAuth secret." -}}
{{- end -}}
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

{{/* PARAAF_METRICS: "on" or "off" (YAML reads an unquoted on/off as true/false). */}}
{{- define "paraaf.metrics" -}}
{{- $m := .Values.paraaf.metrics -}}
{{- if or (eq (toString $m) "on") (eq (toString $m) "true") -}}on{{- else -}}off{{- end -}}
{{- end -}}
