// Templates shared by the lookup tests (test/release/lookup.test.ts, test/plan/lookup.test.ts).

/**
 * A Secret `<release>-pw` whose password is generated on install and read back with lookup afterwards, the way
 * many public charts keep generated credentials: rendered without a cluster it would change on every upgrade.
 */
export const KEPT_PASSWORD_SECRET = [
  '{{- $old := lookup "v1" "Secret" .Release.Namespace (printf "%s-pw" .Release.Name) }}',
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: {{ .Release.Name }}-pw',
  'data:',
  '  password: {{ if $old }}{{ index $old.data "password" }}{{ else }}{{ randAlphaNum 24 | b64enc }}{{ end }}',
  '',
].join('\n');
