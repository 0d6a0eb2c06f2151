// YAML, JSON and TOML exactly as Helm reads and writes them.
//
// Reading
//   parseYaml(text)              sigs.k8s.io/yaml.Unmarshal into interface{}: first document only, YAML 1.1 scalars
//                                (go-yaml v2), keys made strings, every number float64; null for an empty document.
//   unmarshalYamlInto(text, t)   the same into a map ('map') or []interface{} ('slice') variable, with Go's type errors.
//   splitYamlDocuments / parseYamlDocuments
//                                Helm 4's multi-document values streams (k8s YAMLReader splitting).
//   parseJson / unmarshalJsonInto encoding/json Unmarshal (float64 numbers, Go syntax error texts).
//   parseToml                    BurntSushi/toml decode (int64 integers, time.Time datetimes).
// Writing
//   toYaml(v)                    sigs.k8s.io/yaml.Marshal: the full go-yaml v2 text, trailing "\n" included.
//   toYamlPretty(v)              go-yaml v3 Encoder, SetIndent(2): the full text, trailing "\n" included.
//   toJson(v, opts)              encoding/json Marshal / MarshalIndent / Encoder without HTML escaping (no newline).
//   toToml(v)                    BurntSushi/toml Encoder output.
// Template functions with Helm's exact results and error behaviour (trimmed newline, "" or {"Error": ...} on
// failure, or a thrown error for the must* variants): the helm* functions.
// Go structs (GoStruct) take part through the optional methods described in structs.ts (marshalJSON, marshalText,
// jsonFields); time.Time values are the engine's GoTime.

export { DataFormatError } from './errors.js';
export { parseYaml, parseYamlHead, parseYamlDocuments, splitYamlDocuments, unmarshalYamlInto } from './decode.js';
export { toYaml, toYamlPretty, sortYamlKeys } from './encode.js';
export { toJson, parseJson, unmarshalJsonInto, quoteJsonString, jsonSyntaxError, jsonKindName } from './json.js';
export { toToml, parseToml } from './toml.js';
export type { JsonMarshaler, TextMarshaler, JsonFields } from './structs.js';
export {
  helmToYaml,
  helmMustToYaml,
  helmToYamlPretty,
  helmFromYaml,
  helmFromYamlArray,
  helmToJson,
  helmMustToJson,
  helmToPrettyJson,
  helmMustToPrettyJson,
  helmToRawJson,
  helmMustToRawJson,
  helmFromJson,
  helmFromJsonArray,
  helmMustFromJson,
  helmToToml,
  helmFromToml,
} from './helm.js';
