// Public surface of the values module: the user's values from flags and files (Helm's --set family and -f),
// coalescing with chart defaults, dependency processing (conditions, tags, aliases, import-values), schema
// validation, and the per-chart `.Values` of a render.
export { mergeUserValues, parseValuesFile, defaultReadFile, ValuesError, type ValueOptions, type ReadFile } from './options.js';
export {
  parseSet,
  parseSetString,
  parseSetLiteral,
  parseSetInto,
  parseSetStringInto,
  parseSetFileInto,
  parseSetJsonInto,
  parseSetLiteralInto,
  typedValue,
  StrvalsError,
  MAX_INDEX,
  MAX_NESTED_NAME_LEVEL,
} from './strvals.js';
export {
  coalesceValues,
  mergeValues,
  coalesceTables,
  mergeTables,
  deepCopy,
  deepCopyMap,
  CoalesceError,
  GLOBAL_KEY,
  type Warn,
} from './coalesce.js';
export { processDependencies, checkDependencies, missingDependencies } from './dependencies.js';
export { table, pathValue, NoTableError, NoValueError } from './paths.js';
export {
  validateAgainstSchema,
  validateAgainstSingleSchema,
  SchemaValidationError,
  SchemaCompileError,
  draftOf,
  printerNumber,
} from './schema.js';
export { toRenderValues, valuesView, VALUES_TYPE, type RenderValues, type RenderValuesOptions } from './render-values.js';
