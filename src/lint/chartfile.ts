// The Chart.yaml rule (helm's rules.Chartfile): the file is read on its own, without the rest of the chart, first
// leniently (a failure stops the rule), then strictly (unknown fields and duplicate keys are warnings), then each
// field is checked in helm's order. Every message has the path `Chart.yaml`.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyMetadata, emptyMetadata, goQuote, type Metadata } from '../chart/metadata.js';
import { ChartError } from '../chart/errors.js';
import { parseSemVer } from '../chart/semver.js';
import { isMap, type GoValue } from '../template/value.js';
import { parseYaml } from '../yaml/index.js';
import { Severity, type Linter } from './support.js';
import { strictChartfileError } from './strict.js';
import { isEmail, isRequestURL, isURL } from './validators.js';

const FILE = 'Chart.yaml';

/** Go's %T of a value decoded by sigs.k8s.io/yaml into interface{}. */
export function goTypeOf(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return 'float64';
}

/** Go's filepath.Base. */
function goBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

const STRICT_SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function checkName(md: Metadata): string | undefined {
  if (md.name === '') return 'name is required';
  if (goBase(md.name) !== md.name) return `chart name ${goQuote(md.name)} is invalid`;
  return undefined;
}

function checkApiVersion(md: Metadata): string | undefined {
  if (md.apiVersion === '') return 'apiVersion is required. The value must be either "v1" or "v2"';
  if (md.apiVersion !== 'v1' && md.apiVersion !== 'v2') return `apiVersion '${md.apiVersion}' is not valid. The value must be either "v1" or "v2"`;
  return undefined;
}

function checkStringType(raw: GoValue, key: string): string | undefined {
  if (!isMap(raw) || !Object.hasOwn(raw, key)) return undefined;
  const t = goTypeOf(raw[key]!);
  return t === 'string' ? undefined : `${key} should be of type string but it's of type ${t}`;
}

function checkVersion(md: Metadata): string | undefined {
  if (md.version === '') return 'version is required';
  let v;
  try {
    v = parseSemVer(md.version);
  } catch {
    return `version '${md.version}' is not a valid SemVer`;
  }
  // The constraint ">0.0.0-0": only 0.0.0-0 itself is not above it.
  if (v.major === 0n && v.minor === 0n && v.patch === 0n && v.pre === '0') return `version ${md.version} is less than or equal to 0.0.0-0`;
  return undefined;
}

function checkMaintainers(md: Metadata): string | undefined {
  for (const m of md.maintainers ?? []) {
    if (m === null) return 'a maintainer entry is empty';
    if (m.name === '') return 'each maintainer requires a name';
    if (m.email !== '' && !isEmail(m.email)) return `invalid email '${m.email}' for maintainer '${m.name}'`;
    if (m.url !== '' && !isURL(m.url)) return `invalid url '${m.url}' for maintainer '${m.name}'`;
  }
  return undefined;
}

function checkSources(md: Metadata): string | undefined {
  for (const s of md.sources ?? []) {
    if (s === '' || !isRequestURL(s)) return `invalid source URL '${s}'`;
  }
  return undefined;
}

/** Runs the Chart.yaml rule on the chart directory `linter.chartDir`. */
export function lintChartfile(linter: Linter): void {
  const path = join(linter.chartDir, FILE);
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    isDir = false;
  }
  linter.run(Severity.Error, FILE, isDir ? 'should be a file, not a directory' : undefined);

  let text: string;
  let md: Metadata;
  let raw: GoValue = null;
  try {
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      const why = code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' ? 'no such file or directory' : (e as Error).message;
      throw new Error(code === 'EISDIR' ? `read ${path}: ${why}` : `open ${path}: ${why}`);
    }
    const doc = parseYaml(text);
    md = applyMetadata(emptyMetadata(), doc, FILE);
    raw = doc;
  } catch (e) {
    let msg = e instanceof ChartError ? e.helmMessage : e instanceof Error ? e.message : String(e);
    msg = msg.replace(/^cannot load Chart\.yaml: /, '');
    linter.run(Severity.Error, FILE, `unable to parse YAML\n\t${msg}`);
    return;
  }

  const strict = strictChartfileError(text);
  linter.run(Severity.Warning, FILE, strict === undefined ? undefined : `failed to strictly parse chart metadata file\n\t${strict}`);

  linter.run(Severity.Error, FILE, checkName(md));
  linter.run(Severity.Error, FILE, checkApiVersion(md));
  linter.run(Severity.Error, FILE, checkStringType(raw, 'version'));
  linter.run(Severity.Error, FILE, checkVersion(md));
  linter.run(Severity.Error, FILE, checkStringType(raw, 'appVersion'));
  linter.run(Severity.Error, FILE, checkMaintainers(md));
  linter.run(Severity.Error, FILE, checkSources(md));
  linter.run(Severity.Info, FILE, md.icon === '' ? 'icon is recommended' : undefined);
  linter.run(Severity.Error, FILE, md.icon !== '' && !isRequestURL(md.icon) ? `invalid icon URL '${md.icon}'` : undefined);
  linter.run(
    Severity.Error,
    FILE,
    md.type.length > 0 && md.apiVersion !== 'v2' ? `chart type is not valid in apiVersion '${md.apiVersion}'. It is valid in apiVersion 'v2'` : undefined,
  );
  linter.run(
    Severity.Error,
    FILE,
    (md.dependencies ?? []).length > 0 && md.apiVersion !== 'v2'
      ? `dependencies are not valid in the Chart file with apiVersion '${md.apiVersion}'. They are valid in apiVersion 'v2'`
      : undefined,
  );
  linter.run(Severity.Warning, FILE, STRICT_SEMVER.test(md.version) ? undefined : `version '${md.version}' is not a valid SemVerV2`);
}
