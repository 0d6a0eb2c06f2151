// The data-format template functions exactly as Helm 4 (pkg/engine/funcs.go) and Sprig define them: what each
// returns, and whether it swallows errors ("" / {"Error": ...}) or fails the template (throws).
import { newMap, newSlice, type GoMap, type GoSlice, type GoValue } from '../template/value.js';
import { DataFormatError } from './errors.js';
import { toYaml, toYamlPretty } from './encode.js';
import { unmarshalYamlInto } from './decode.js';
import { parseJson, toJson, unmarshalJsonInto } from './json.js';
import { parseToml, toToml } from './toml.js';

function trimNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}

function message(e: unknown): string {
  if (e instanceof DataFormatError) return e.message;
  throw e;
}

/** toYaml: sigs.k8s.io/yaml.Marshal with one trailing newline trimmed; "" when the value cannot be encoded. */
export function helmToYaml(v: GoValue): string {
  try {
    return trimNewline(toYaml(v));
  } catch (e) {
    message(e);
    return '';
  }
}

/** mustToYaml: like toYaml but throws DataFormatError ("error marshaling into JSON: ..."). */
export function helmMustToYaml(v: GoValue): string {
  return trimNewline(toYaml(v));
}

/** toYamlPretty: go-yaml v3 encoder, indent 2, one trailing newline trimmed; "" on error. */
export function helmToYamlPretty(v: GoValue): string {
  try {
    return trimNewline(toYamlPretty(v));
  } catch (e) {
    message(e);
    return '';
  }
}

function errorMap(msg: string): GoMap {
  const m = newMap();
  m.Error = msg;
  return m;
}

/** fromYaml: a map[string]interface{}; on failure a map holding only "Error". */
export function helmFromYaml(s: string): GoMap {
  try {
    return (unmarshalYamlInto(s, 'map') as GoMap | undefined) ?? newMap();
  } catch (e) {
    return errorMap(message(e));
  }
}

/** fromYamlArray: a []interface{}; on failure a one-element list holding the error text. */
export function helmFromYamlArray(s: string): GoSlice {
  try {
    return (unmarshalYamlInto(s, 'slice') as GoSlice | undefined) ?? newSlice([]);
  } catch (e) {
    return newSlice([message(e)]);
  }
}

/** toJson (Helm's and Sprig's): encoding/json.Marshal; "" on error. */
export function helmToJson(v: GoValue): string {
  try {
    return toJson(v);
  } catch (e) {
    message(e);
    return '';
  }
}

/** mustToJson: encoding/json.Marshal; throws ("json: unsupported value: NaN"). */
export function helmMustToJson(v: GoValue): string {
  return toJson(v);
}

/** toPrettyJson: json.MarshalIndent(v, "", "  "); "" on error. */
export function helmToPrettyJson(v: GoValue): string {
  try {
    return toJson(v, { indent: '  ' });
  } catch (e) {
    message(e);
    return '';
  }
}

/** mustToPrettyJson: json.MarshalIndent(v, "", "  "); throws. */
export function helmMustToPrettyJson(v: GoValue): string {
  return toJson(v, { indent: '  ' });
}

/** toRawJson: Encoder without HTML escaping, trailing newline trimmed. Sprig panics on error: this throws too. */
export function helmToRawJson(v: GoValue): string {
  return toJson(v, { escapeHtml: false });
}

/** mustToRawJson: as toRawJson; throws on error. */
export function helmMustToRawJson(v: GoValue): string {
  return toJson(v, { escapeHtml: false });
}

/** fromJson (Helm): a map[string]interface{}; on failure a map holding only "Error". */
export function helmFromJson(s: string): GoMap {
  try {
    return (unmarshalJsonInto(s, 'map') as GoMap | undefined) ?? newMap();
  } catch (e) {
    return errorMap(message(e));
  }
}

/** fromJsonArray (Helm): a []interface{}; on failure a one-element list holding the error text. */
export function helmFromJsonArray(s: string): GoSlice {
  try {
    return (unmarshalJsonInto(s, 'slice') as GoSlice | undefined) ?? newSlice([]);
  } catch (e) {
    return newSlice([message(e)]);
  }
}

/** mustFromJson (Sprig): json.Unmarshal into interface{}; throws on error. */
export function helmMustFromJson(s: string): GoValue {
  return parseJson(s);
}

/** toToml: BurntSushi/toml encoding; on failure the error text itself. */
export function helmToToml(v: GoValue): string {
  try {
    return toToml(v);
  } catch (e) {
    return message(e);
  }
}

/** fromToml: a map[string]interface{}; on failure a map holding only "Error". */
export function helmFromToml(s: string): GoMap {
  try {
    return parseToml(s) as GoMap;
  } catch (e) {
    return errorMap(message(e));
  }
}
