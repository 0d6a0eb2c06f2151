// The kubeconfig the sandbox hands out: one cluster, user and context per virtual cluster, the CA embedded.
import YAML from 'yaml';

export interface KubeconfigInput {
  clusters: string[];
  baseUrl: string;
  caPem?: string;
  token: string;
  currentContext?: string;
}

export function clusterServerUrl(baseUrl: string, cluster: string): string {
  return `${baseUrl}/clusters/${encodeURIComponent(cluster)}`;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': k.currentContext ?? k.clusters[0] ?? '',
    clusters: k.clusters.map((name) => ({
      name,
      cluster: {
        server: clusterServerUrl(k.baseUrl, name),
        ...(k.caPem ? { 'certificate-authority-data': Buffer.from(k.caPem).toString('base64') } : { 'insecure-skip-tls-verify': true }),
      },
    })),
    users: k.clusters.map((name) => ({ name, user: { token: k.token } })),
    contexts: k.clusters.map((name) => ({ name, context: { cluster: name, user: name, namespace: 'default' } })),
  };
  return YAML.stringify(doc, { lineWidth: 0 });
}
