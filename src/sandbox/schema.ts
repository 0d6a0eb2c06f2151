// How lists and objects merge, per field: the knowledge server-side apply (list-type map/set/atomic, atomic
// structs) and strategic merge patch (patchMergeKey / patchStrategy) need. Built-in kinds use a table keyed by
// field names; custom resources read their CRD's openAPIV3Schema (x-kubernetes-list-type, -list-map-keys,
// -map-type); anything unknown is "deduced": objects merge granularly, lists are atomic.
import type { Obj } from './util.js';
import { isObj } from './util.js';

export type ListType = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };
export interface SmpStrategy {
  merge: boolean;
  key?: string;
  retainKeys?: boolean;
}

export interface SchemaNode {
  field(name: string): SchemaNode;
  item(): SchemaNode;
  listType(): ListType;
  smp(): SmpStrategy;
  /** Object replaced as a whole by apply (structType/mapType atomic). */
  atomic(): boolean;
  /** Object whose keys are user data (labels, data) rather than a struct's fields. */
  isMap(): boolean;
  /** Default for an absent list-map key field (ports' protocol is TCP). */
  keyDefault(key: string): unknown;
}

const ATOMIC = { type: 'atomic' } as const;
const REPLACE: SmpStrategy = { merge: false };

const MAP_FIELDS = new Set([
  'labels', 'annotations', 'data', 'binaryData', 'stringData', 'nodeSelector', 'matchLabels', 'limits', 'requests',
  'capacity', 'allocatable', 'parameters', 'hard', 'used', 'volumeAttributes', 'overhead', 'attributes', 'options',
]);
const ATOMIC_OBJECTS = new Set([
  'selector', 'namespaceSelector', 'podSelector', 'labelSelector', 'configMapKeyRef', 'secretKeyRef', 'fieldRef',
  'resourceFieldRef', 'roleRef', 'nodeSelector', 'objectSelector', 'scaleTargetRef',
]);
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

class BuiltinNode implements SchemaNode {
  constructor(
    readonly path: readonly string[],
    readonly kind: string,
  ) {}

  private get last(): string {
    return this.path[this.path.length - 1] ?? '';
  }
  private get parent(): string {
    return this.path[this.path.length - 2] ?? '';
  }

  field(name: string): SchemaNode {
    return new BuiltinNode([...this.path, name], this.kind);
  }
  item(): SchemaNode {
    return this;
  }
  listType(): ListType {
    const f = this.last;
    if (CONTAINER_LISTS.has(f)) return { type: 'map', keys: ['name'] };
    switch (f) {
      case 'env':
      case 'volumes':
      case 'imagePullSecrets':
      case 'resourceClaims':
        return { type: 'map', keys: ['name'] };
      case 'volumeMounts':
        return { type: 'map', keys: ['mountPath'] };
      case 'volumeDevices':
        return { type: 'map', keys: ['devicePath'] };
      case 'hostAliases':
        return { type: 'map', keys: ['ip'] };
      case 'topologySpreadConstraints':
        return { type: 'map', keys: ['topologyKey', 'whenUnsatisfiable'] };
      case 'conditions':
        return { type: 'map', keys: ['type'] };
      case 'ownerReferences':
        return { type: 'map', keys: ['uid'] };
      case 'finalizers':
        return this.parent === 'metadata' ? { type: 'set' } : ATOMIC;
      case 'ports':
        if (CONTAINER_LISTS.has(this.parent)) return { type: 'map', keys: ['containerPort', 'protocol'] };
        if (this.kind === 'Service' && this.parent === 'spec') return { type: 'map', keys: ['port', 'protocol'] };
        return ATOMIC;
      default:
        return ATOMIC;
    }
  }
  smp(): SmpStrategy {
    const f = this.last;
    if (CONTAINER_LISTS.has(f)) return { merge: true, key: 'name' };
    switch (f) {
      case 'env':
      case 'imagePullSecrets':
      case 'secrets':
        return { merge: true, key: 'name' };
      case 'volumes':
      case 'resourceClaims':
        return { merge: true, key: 'name', retainKeys: true };
      case 'volumeMounts':
        return { merge: true, key: 'mountPath' };
      case 'volumeDevices':
        return { merge: true, key: 'devicePath' };
      case 'hostAliases':
        return { merge: true, key: 'ip' };
      case 'topologySpreadConstraints':
        return { merge: true, key: 'topologyKey' };
      case 'conditions':
        return { merge: true, key: 'type' };
      case 'ownerReferences':
        return { merge: true, key: 'uid' };
      case 'finalizers':
        return this.parent === 'metadata' ? { merge: true } : REPLACE;
      case 'ports':
        if (CONTAINER_LISTS.has(this.parent)) return { merge: true, key: 'containerPort' };
        if (this.kind === 'Service' && this.parent === 'spec') return { merge: true, key: 'port' };
        return REPLACE;
      case 'strategy':
      case 'updateStrategy':
        return { merge: false, retainKeys: true };
      default:
        return REPLACE;
    }
  }
  atomic(): boolean {
    const f = this.last;
    if (f === 'selector') return this.path.length >= 2 && this.parent === 'spec';
    return ATOMIC_OBJECTS.has(f);
  }
  isMap(): boolean {
    if (this.last === 'selector' && this.kind === 'Service') return true;
    return MAP_FIELDS.has(this.last);
  }
  keyDefault(key: string): unknown {
    return key === 'protocol' ? 'TCP' : undefined;
  }
}

/** Unknown structure: objects granular, lists atomic. */
class DeducedNode implements SchemaNode {
  field(): SchemaNode {
    return this;
  }
  item(): SchemaNode {
    return this;
  }
  listType(): ListType {
    return ATOMIC;
  }
  smp(): SmpStrategy {
    return REPLACE;
  }
  atomic(): boolean {
    return false;
  }
  isMap(): boolean {
    return true;
  }
  keyDefault(): unknown {
    return undefined;
  }
}
const DEDUCED = new DeducedNode();

/** A node of a CRD's structural schema. */
class CrdNode implements SchemaNode {
  constructor(readonly s: Obj) {}
  field(name: string): SchemaNode {
    const p = isObj(this.s.properties) ? this.s.properties[name] : undefined;
    if (isObj(p)) return new CrdNode(p);
    if (isObj(this.s.additionalProperties)) return new CrdNode(this.s.additionalProperties);
    return DEDUCED;
  }
  item(): SchemaNode {
    return isObj(this.s.items) ? new CrdNode(this.s.items) : DEDUCED;
  }
  listType(): ListType {
    const t = this.s['x-kubernetes-list-type'];
    if (t === 'set') return { type: 'set' };
    if (t === 'map') return { type: 'map', keys: (this.s['x-kubernetes-list-map-keys'] as string[]) ?? [] };
    return ATOMIC;
  }
  smp(): SmpStrategy {
    return REPLACE;
  }
  atomic(): boolean {
    return this.s['x-kubernetes-map-type'] === 'atomic';
  }
  isMap(): boolean {
    return !isObj(this.s.properties) || isObj(this.s.additionalProperties);
  }
  keyDefault(key: string): unknown {
    const p = isObj(this.s.items) && isObj(this.s.items.properties) ? this.s.items.properties[key] : undefined;
    return isObj(p) ? p.default : undefined;
  }
}

/** Root of a custom resource: metadata follows the built-in rules, the rest the CRD schema. */
class CustomRoot implements SchemaNode {
  constructor(
    readonly schema: Obj | undefined,
    readonly kind: string,
  ) {}
  field(name: string): SchemaNode {
    if (name === 'metadata') return new BuiltinNode(['metadata'], this.kind);
    if (!this.schema) return DEDUCED;
    return new CrdNode(this.schema).field(name);
  }
  item(): SchemaNode {
    return DEDUCED;
  }
  listType(): ListType {
    return ATOMIC;
  }
  smp(): SmpStrategy {
    return REPLACE;
  }
  atomic(): boolean {
    return false;
  }
  isMap(): boolean {
    return false;
  }
  keyDefault(): unknown {
    return undefined;
  }
}

export function builtinSchema(kind: string): SchemaNode {
  return new BuiltinNode([], kind);
}

/** The openAPIV3Schema of a CRD version, when it has one. */
export function crdVersionSchema(crd: Obj | undefined, version: string): Obj | undefined {
  const v = (crd?.spec?.versions as Obj[] | undefined)?.find((x) => x.name === version);
  const s = v?.schema?.openAPIV3Schema;
  return isObj(s) ? s : undefined;
}

export function customSchema(crd: Obj | undefined, version: string, kind: string): SchemaNode {
  const s = crdVersionSchema(crd, version);
  return new CustomRoot(s, kind);
}

/** The value of a list item's key fields (with schema defaults for absent ones), or undefined if not keyed. */
export function itemKey(item: unknown, keys: string[], node: SchemaNode): Obj | undefined {
  if (!isObj(item)) return undefined;
  const k: Obj = {};
  for (const key of keys) {
    let v = item[key];
    if (v === undefined) v = node.keyDefault(key);
    if (v === undefined) continue;
    k[key] = v;
  }
  return Object.keys(k).length ? k : undefined;
}

/** A stable string for comparing list-map keys and set values. */
export function keyString(k: unknown): string {
  if (isObj(k)) {
    const sorted: Obj = {};
    for (const name of Object.keys(k).sort()) sorted[name] = k[name];
    return JSON.stringify(sorted);
  }
  return JSON.stringify(k);
}
