{{/*
Plain Go-template helpers (no Sprig): the chart renders with Helm and with any text/template
engine given .Values, .Release and .Chart (deploy-checks renders it with one from npm).
*/}}

{{- define "virga.kafka" -}}
{{- if .Values.kafka.bundled -}}{{ .Release.Name }}-kafka:9092{{- else -}}{{ .Values.kafka.bootstrapServers }}{{- end -}}
{{- end }}

{{- define "virga.pgHost" -}}
{{- if .Values.postgres.bundled -}}{{ .Release.Name }}-postgres{{- else -}}{{ .Values.postgres.host }}{{- end -}}
{{- end }}

{{/* Security context of the unprivileged services (user virga of the images). */}}
{{- define "virga.podSecurity" }}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile: { type: RuntimeDefault }
{{- end }}

{{- define "virga.containerSecurity" }}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
{{- end }}

{{/* Probes on the HTTP port named "http": SmallRye Health's liveness, readiness and startup. */}}
{{- define "virga.probes" }}
          startupProbe:
            httpGet: { path: /q/health/started, port: http }
            periodSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet: { path: /q/health/live, port: http }
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          readinessProbe:
            httpGet: { path: /q/health/ready, port: http }
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
{{- end }}

{{/* Bundled PostgreSQL: one login and one database per service (argument: <service>.database), indented for
the block scalar it is written into. */}}
{{- define "virga.dbInit" }}
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{{ .username }}') THEN
        CREATE ROLE "{{ .username }}" LOGIN PASSWORD '{{ .password }}';
      END IF;
    END $$;
    CREATE DATABASE "{{ .name }}" OWNER "{{ .username }}";
{{- end }}
