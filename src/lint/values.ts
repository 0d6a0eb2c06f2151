// The values rule (helm's rules.ValuesWithOverrides): values.yaml must exist (INFO otherwise) and parse (its first
// document, as common.ReadValuesFile reads it); when values.schema.json is present and not empty, the user's values
// coalesced over values.yaml (tables only, subcharts not involved) must satisfy it.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, newMap, type GoMap, type GoValue } from '../template/value.js';
import { jsonKindName, parseJson, parseYaml } from '../yaml/index.js';
import { coalesceTables, deepCopyMap, validateAgainstSingleSchema } from '../values/index.js';
import { Severity, type Linter } from './support.js';

const FILE = 'values.yaml';

/** common.ReadValuesFile: the first document as a map; Helm's error text otherwise. */
export function readValuesFile(text: string): GoMap {
  const doc = parseYaml(text);
  if (doc === null) return newMap();
  if (!isMap(doc)) {
    throw new Error(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKindName(doc)} into Go value of type common.Values`);
  }
  return doc;
}

function validateValuesFile(chartDir: string, overrides: GoMap, skipSchemaValidation: boolean): string | undefined {
  let values: GoMap;
  try {
    values = readValuesFile(readFileSync(join(chartDir, FILE), 'utf8'));
  } catch (e) {
    return `unable to parse YAML: ${e instanceof Error ? e.message : String(e)}`;
  }
  let coalesced = coalesceTables(newMap(), deepCopyMap(overrides)) ?? newMap();
  coalesced = coalesceTables(coalesced, values) ?? coalesced;
  let schema: Buffer;
  try {
    schema = readFileSync(join(chartDir, 'values.schema.json'));
  } catch {
    return undefined;
  }
  if (schema.length === 0 || skipSchemaValidation) return undefined;
  try {
    // A schema that is not JSON fails with encoding/json's message.
    parseJson(schema.toString('utf8'));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  try {
    return validateAgainstSingleSchema(coalesced, schema);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Runs the values rule. `overrides` are the user's -f/--set values. */
export function lintValues(linter: Linter, overrides: GoMap, skipSchemaValidation = false): void {
  let exists = true;
  try {
    statSync(join(linter.chartDir, FILE));
  } catch {
    exists = false;
  }
  if (!linter.run(Severity.Info, FILE, exists ? undefined : 'file does not exist')) return;
  linter.run(Severity.Error, FILE, validateValuesFile(linter.chartDir, overrides, skipSchemaValidation));
}
