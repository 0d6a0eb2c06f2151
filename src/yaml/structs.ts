// How Go structs (GoStruct values) present themselves to the encoders. A struct may implement any of these optional
// methods, mirroring the Go interfaces the real libraries consult; without them its exported fields are used in
// declaration order (fieldNames()/field()).
import { GoStruct, type GoValue } from '../template/value.js';
import { GoTime, formatTime } from '../template/funcs/gotime.js';

/** json.Marshaler: the raw JSON text the Go type's MarshalJSON returns. */
export interface JsonMarshaler {
  marshalJSON(): string;
}
/** encoding.TextMarshaler: the text the Go type's MarshalText returns (encoded as a string by JSON/YAML/TOML). */
export interface TextMarshaler {
  marshalText(): string;
}
/** The struct's JSON object members in order, after json tags and omitempty (what encoding/json would write). */
export interface JsonFields {
  jsonFields(): Array<[string, GoValue]>;
}
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';

/** A time.Time (the engine's GoTime): encoders write it as RFC 3339 with nanoseconds (YAML v3 and TOML unquoted). */
export function isTimeLike(v: GoStruct): v is GoTime {
  return v instanceof GoTime;
}

/** time.Time.Format(time.RFC3339Nano). */
export function rfc3339Nano(t: GoTime): string {
  return formatTime(t, RFC3339_NANO);
}
export function jsonMarshaler(v: GoStruct): (GoStruct & JsonMarshaler) | undefined {
  return typeof (v as Partial<JsonMarshaler>).marshalJSON === 'function' ? (v as GoStruct & JsonMarshaler) : undefined;
}
export function textMarshaler(v: GoStruct): (GoStruct & TextMarshaler) | undefined {
  return typeof (v as Partial<TextMarshaler>).marshalText === 'function' ? (v as GoStruct & TextMarshaler) : undefined;
}

const EXPORTED = /^\p{Lu}/u;

/** Exported fields (Go: the name starts with an upper-case letter) in declaration order. */
export function exportedFields(v: GoStruct): Array<[string, GoValue]> {
  const out: Array<[string, GoValue]> = [];
  for (const name of v.fieldNames()) {
    if (!EXPORTED.test(name)) continue;
    const f = v.field(name);
    out.push([name, f === undefined ? null : f]);
  }
  return out;
}

/** The struct's fields as encoding/json would see them (jsonFields() when the struct defines it). */
export function jsonFieldsOf(v: GoStruct): Array<[string, GoValue]> {
  const jf = (v as Partial<JsonFields>).jsonFields;
  if (typeof jf === 'function') return jf.call(v);
  return exportedFields(v);
}

/** The struct's fields as go-yaml v3 would see them: lower-cased field names, declaration order. */
export function yamlFieldsOf(v: GoStruct): Array<[string, GoValue]> {
  return exportedFields(v).map(([k, f]) => [k.toLowerCase(), f]);
}

/** Calls a struct's MarshalJSON/MarshalText, reporting failures as encoding/json does. */
export function callMarshaler(v: GoStruct, method: 'MarshalJSON' | 'MarshalText', f: () => string): string {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new MarshalerError(`json: error calling ${method} for type ${v.typeName}: ${msg}`);
  }
}

/** A MarshalJSON/MarshalText failure (encoders turn it into their DataFormatError). */
export class MarshalerError extends Error {}
