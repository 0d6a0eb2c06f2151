// .Capabilities as Helm 4.1 presents it without a cluster: *common.Capabilities with KubeVersion (client-go's minor
// by default, or --kube-version), APIVersions (the built-in scheme's group/versions plus --api-versions) and
// HelmVersion. Printed forms and type names match the real helm v4.1.4 (checked against .tools/helm4).
import { GoStruct, type GoFunc, type GoValue, gofn, newSlice, registerMethods, goInt } from '../template/value.js';

/** Helm 4.1.4 was built against client-go v0.35: its default Kubernetes version. */
export const DEFAULT_KUBE_VERSION = 'v1.35.0';
export const HELM_VERSION = 'v4.1.4';

/** Group/versions of client-go's scheme as helm v4.1.4 lists them (its order), plus apiextensions v1beta1/v1. */
export const DEFAULT_API_VERSIONS: readonly string[] = [
  'v1', 'admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1alpha1', 'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1', 'apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1', 'authentication.k8s.io/v1beta1', 'authorization.k8s.io/v1', 'authorization.k8s.io/v1beta1',
  'autoscaling/v1', 'autoscaling/v2', 'autoscaling/v2beta1', 'autoscaling/v2beta2', 'batch/v1', 'batch/v1beta1',
  'certificates.k8s.io/v1', 'certificates.k8s.io/v1beta1', 'certificates.k8s.io/v1alpha1', 'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'discovery.k8s.io/v1beta1', 'events.k8s.io/v1',
  'events.k8s.io/v1beta1', 'extensions/v1beta1', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2', 'flowcontrol.apiserver.k8s.io/v1beta3', 'networking.k8s.io/v1', 'networking.k8s.io/v1beta1',
  'node.k8s.io/v1', 'node.k8s.io/v1alpha1', 'node.k8s.io/v1beta1', 'policy/v1', 'policy/v1beta1', 'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1', 'resource.k8s.io/v1', 'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1', 'resource.k8s.io/v1alpha3', 'scheduling.k8s.io/v1alpha1', 'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1', 'storage.k8s.io/v1beta1', 'storage.k8s.io/v1', 'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1beta1', 'apiextensions.k8s.io/v1beta1', 'apiextensions.k8s.io/v1',
];

const VERSION_SET = 'common.VersionSet';
registerMethods(VERSION_SET, {
  Has: gofn(['string'], (set: GoValue, v: string) => (set as string[]).includes(v)),
});

/** Parses a --kube-version the way Helm 4.1 does: a leading v is optional; major and minor are required. */
export class KubeVersion extends GoStruct {
  readonly version: string;
  readonly normalized: string;
  readonly major: string;
  readonly minor: string;
  constructor(input: string) {
    super();
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(input.trim());
    if (!m) throw new Error(`invalid kube version "${input}": expected a version like 1.30.0`);
    this.version = input.startsWith('v') ? input : `v${input}`;
    this.major = String(Number(m[1]));
    this.minor = String(Number(m[2]));
    this.normalized = m[3] === undefined ? `v${m[1]}.${m[2]}` : `v${m[1]}.${m[2]}.${m[3]}`;
  }
  get typeName(): string {
    return 'common.KubeVersion';
  }
  override fieldNames(): readonly string[] {
    return ['Version', 'normalizedVersion', 'Major', 'Minor'];
  }
  override field(name: string): GoValue | undefined {
    switch (name) {
      case 'Version':
        return this.version;
      case 'Major':
        return this.major;
      case 'Minor':
        return this.minor;
      case 'normalizedVersion':
        return this.normalized; // unexported: printed by %v, not reachable from templates (see method/field use)
    }
    return undefined;
  }
  override method(name: string): GoFunc | undefined {
    if (name === 'String') return gofn([], () => this.normalized);
    if (name === 'GitVersion') return gofn([], () => this.version);
    return undefined;
  }
  // String has a pointer receiver: an action printing .Capabilities.KubeVersion prints it.
  override pointerString(): string {
    return this.normalized;
  }
}

export class HelmBuildInfo extends GoStruct {
  get typeName(): string {
    return 'version.BuildInfo';
  }
  private static readonly FIELDS: Record<string, string> = {
    Version: HELM_VERSION,
    GitCommit: '05fa37973dc9e42b76e1d2883494c87174b6074f',
    GitTreeState: 'clean',
    GoVersion: 'go1.25.9',
    KubeClientVersion: 'v1.35',
  };
  override fieldNames(): readonly string[] {
    return Object.keys(HelmBuildInfo.FIELDS);
  }
  override field(name: string): GoValue | undefined {
    return HelmBuildInfo.FIELDS[name];
  }
}

export class Capabilities extends GoStruct {
  readonly kubeVersion: KubeVersion;
  readonly apiVersions: GoValue;
  readonly helmVersion = new HelmBuildInfo();
  constructor(options: { kubeVersion?: string; apiVersions?: readonly string[] } = {}) {
    super();
    this.kubeVersion = new KubeVersion(options.kubeVersion ?? DEFAULT_KUBE_VERSION);
    this.apiVersions = newSlice([...DEFAULT_API_VERSIONS, ...(options.apiVersions ?? [])], VERSION_SET);
  }
  get typeName(): string {
    return '*common.Capabilities';
  }
  override fieldNames(): readonly string[] {
    return ['KubeVersion', 'APIVersions', 'HelmVersion'];
  }
  override field(name: string): GoValue | undefined {
    switch (name) {
      case 'KubeVersion':
        return this.kubeVersion;
      case 'APIVersions':
        return this.apiVersions;
      case 'HelmVersion':
        return this.helmVersion;
    }
    return undefined;
  }
}

/** Helm's release revision is a Go int. */
export function revision(n: number): GoValue {
  return goInt(n);
}
