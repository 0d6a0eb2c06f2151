// Public surface of the chart module: loading charts (directories, .tgz, bytes, memory), the Chart model, Chart.yaml
// metadata, .helmignore rules, the `.Files` object and the semver helpers Helm applies to charts.
export { Chart, type ChartFile, type ChartInit, type CrdObject } from './chart.js';
export { ChartError, ChartValidationError, ChartArchiveError } from './errors.js';
export { loadChart, loadChartSync, loadFiles, loadArchive, loadFromMemory, compareWalkOrder, type LoadOptions } from './load.js';
export {
  readArchiveFiles,
  ensureArchive,
  cleanPath,
  MAX_DECOMPRESSED_CHART_SIZE,
  MAX_DECOMPRESSED_FILE_SIZE,
  type ArchiveLimits,
} from './archive.js';
export { readDirectoryFilesSync, type DirectoryOptions } from './directory.js';
export { IgnoreRules, HELMIGNORE } from './ignore.js';
export { goPathMatch, compileGoPattern, BadPatternError } from './match.js';
export { compileGlob, globMatcher, GlobSyntaxError } from './glob.js';
export { newFiles, FILES_TYPE } from './files.js';
export {
  type Metadata,
  type Dependency,
  type Maintainer,
  type Lock,
  API_VERSION_V1,
  API_VERSION_V2,
  validateMetadata,
  sanitizeString,
  copyMetadata,
  emptyMetadata,
  goQuote,
} from './metadata.js';
export { loadValues, mergeMaps, splitYamlStream, decodeValuesDocument, ValuesFileError } from './values-file.js';
export { parseSemVer, isValidSemVer, compareSemVer, isCompatibleRange, SemVerConstraint, SemVerError, type SemVer } from './semver.js';
export {
  packageChart,
  chartArchive,
  archiveEntries,
  writeTar,
  gzipHelm,
  serializeChartfile,
  serializeLock,
  metadataValue,
  listArchive,
  PackageError,
  type PackageOptions,
  type ArchiveEntry,
} from './package.js';
