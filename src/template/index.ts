// Public surface of the Go text/template engine: the Go value model, template sets, their errors, and Go's fmt.
export * from './value.js';
export { Template, type TemplateOptions } from './template.js';
export { TemplateError, ParseError, ExecError, type ExecErrorLocation } from './errors.js';
export { MAX_TEMPLATE_DEPTH, type MissingKey } from './exec.js';
export { MAX_PARSE_DEPTH } from './parse.js';
export { builtins, GoComplex, htmlEscape, jsEscape, urlQueryEscape } from './builtins.js';
export * as fmt from './fmt.js';
export { sprintf, sprint, sprintln, formatFloat, quote } from './fmt.js';
