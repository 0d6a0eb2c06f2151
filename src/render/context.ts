// The parts of a template's context that come from the chart and the release: `.Chart` as Helm 4's map (Go field
// names, every list present, Annotations a possibly-nil map[string]string) and `.Release`.
import { type GoMap, type GoValue, gofn, goInt, isMap, newMap, newSlice, nilMap, registerMethods } from '../template/value.js';
import { asUntypedMap } from '../template/funcs/dicts.js';
import { helmMustToYaml } from '../yaml/index.js';
import { valuesView } from '../values/index.js';
import type { Chart, Dependency, Metadata } from '../chart/index.js';

/**
 * Methods of common.Values (the type of `.`, `.Values` and `.Template`) that templates can call. Go looks methods
 * up before map keys, so `.Values.AsMap` is the method even when values hold an `AsMap` key.
 */
registerMethods('common.Values', {
  AsMap: gofn([], (v: GoValue) => asUntypedMap(v as GoMap), undefined, 'map[string]interface {}'),
  YAML: gofn([], (v: GoValue) => helmMustToYaml(v) + '\n', undefined, 'string'),
  Table: gofn(['string'], (v: GoValue, path: string) => valuesTable(v as GoMap, path), undefined, 'common.Values'),
});

/**
 * Values.Table: the map at a dotted path, as common.Values (a view: Go converts the map without copying it); an
 * error when a step is missing or not a map.
 */
function valuesTable(v: GoMap, path: string): GoValue {
  let cur: GoMap = v;
  for (const part of path.split('.')) {
    const next: GoValue | undefined = Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (next === undefined || !isMap(next)) throw new Error(`no table named "${path}"`);
    cur = next;
  }
  return valuesView(cur);
}

function stringList(xs: readonly string[] | undefined): GoValue {
  return newSlice([...(xs ?? [])]);
}

function dependencyMap(d: Dependency): GoMap {
  const m = newMap();
  m.Alias = d.alias;
  m.Condition = d.condition;
  m.Enabled = d.enabled;
  m.ImportValues = newSlice((d.importValues ?? []).map((iv) => (isMap(iv) ? { ...iv } : iv)) as GoValue[]);
  m.Name = d.name;
  m.Repository = d.repository;
  m.Tags = stringList(d.tags);
  m.Version = d.version;
  return m;
}

/** `.Chart` for one chart of the tree, as Helm 4 builds it from Chart.yaml. */
export function chartMap(metadata: Metadata, isRoot: boolean): GoMap {
  const m = newMap();
  m.APIVersion = metadata.apiVersion;
  if (metadata.annotations === undefined) m.Annotations = nilMap('map[string]string');
  else {
    const a = newMap('map[string]string');
    for (const [k, v] of Object.entries(metadata.annotations)) a[k] = v;
    m.Annotations = a;
  }
  m.AppVersion = metadata.appVersion;
  m.Condition = metadata.condition;
  m.Dependencies = newSlice((metadata.dependencies ?? []).filter((d): d is Dependency => d !== null).map(dependencyMap));
  m.Deprecated = metadata.deprecated;
  m.Description = metadata.description;
  m.Home = metadata.home;
  m.Icon = metadata.icon;
  m.IsRoot = isRoot;
  m.Keywords = stringList(metadata.keywords);
  m.KubeVersion = metadata.kubeVersion;
  m.Maintainers = newSlice(
    (metadata.maintainers ?? []).map((mt) => {
      const x = newMap();
      x.Email = mt?.email ?? '';
      x.Name = mt?.name ?? '';
      x.URL = mt?.url ?? '';
      return x;
    }),
  );
  m.Name = metadata.name;
  m.Sources = stringList(metadata.sources);
  m.Tags = metadata.tags;
  m.Type = metadata.type;
  m.Version = metadata.version;
  return m;
}

export interface ReleaseInfo {
  readonly name: string;
  readonly namespace: string;
  readonly revision?: number;
  readonly isUpgrade?: boolean;
}

/** `.Release`: a map with Name, Namespace, IsUpgrade, IsInstall, Revision (Go int) and Service "Helm". */
export function releaseMap(r: ReleaseInfo): GoMap {
  const m = newMap();
  m.Name = r.name;
  m.Namespace = r.namespace;
  m.IsUpgrade = r.isUpgrade ?? false;
  m.IsInstall = !(r.isUpgrade ?? false);
  m.Revision = goInt(r.revision ?? 1);
  m.Service = 'Helm';
  return m;
}

export function chartOf(c: Chart): GoMap {
  return chartMap(c.metadata, c.isRoot);
}
