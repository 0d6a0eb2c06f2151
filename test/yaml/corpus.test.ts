// Documents in the helm v4.1.4 corpus goldens that were written by go-yaml v2 (CRDs generated with
// sigs.k8s.io/yaml, copied into chart templates): reading them with parseYaml and writing them with toYaml must give
// back the exact bytes helm printed (~3 MB of sorted keys, folded and quoted scalars, literal blocks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml, toYaml } from '../../src/yaml/index.js';
import { sharedDir } from '../support/paths.js';

const golden = join(sharedDir, 'corpus', 'golden', 'v4') + '/';

// `template` lists documents the chart's template edited (here: a blank line it leaves), which are not pure
// go-yaml output.
const CASES: Array<{ file: string; source: string; docs: number; template?: number[] }> = [
  { file: 'cloudnative-pg.yaml', source: 'cloudnative-pg/templates/crds/crds.yaml', docs: 11 },
  { file: 'cloudnative-pg.extra.yaml', source: 'cloudnative-pg/templates/crds/crds.yaml', docs: 11 },
  { file: 'opentelemetry-operator.yaml', source: 'opentelemetry-operator/templates/admission-webhooks/operator-webhook.yaml', docs: 4, template: [2] },
];

function documents(file: string, source: string): string[] {
  const text = readFileSync(golden + file, 'utf8');
  const header = `# Source: ${source}\n`;
  return text
    .split(/^---\n/m)
    .filter((d) => d.startsWith(header))
    .map((d) => d.slice(header.length));
}

for (const c of CASES) {
  test(`corpus round trip: ${c.file} ${c.source}`, { skip: !existsSync(golden + c.file) }, () => {
    const docs = documents(c.file, c.source);
    assert.equal(docs.length, c.docs);
    docs.forEach((body, i) => {
      if (!c.template?.includes(i)) assert.equal(toYaml(parseYaml(body)), body, `document ${i}`);
    });
  });
}
