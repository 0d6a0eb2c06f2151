// `bosun template [NAME] CHART`: helm template's flags, defaults, output and errors.
import type { CommandModule } from 'yargs';
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mergeUserValues } from '../values/index.js';
import { renderChart, HostResolver, formatTemplateOutput, loadReleaseChart, partialManifest, validateReleaseName } from '../render/index.js';
import { UserError, type CliIO } from './errors.js';
import { nameAndChart } from './names.js';
import { restoreOptionalValues, splitCommas, stringArray, valueOptions, withTemplateInertFlags, withValueFlags } from './flags.js';

export function templateCommand(io: CliIO): CommandModule {
  return {
    command: 'template [args..]',
    describe: 'render a chart exactly as `helm template` does, or with no CHART every target of the state file (-f FILE -e ENV)',
    builder: (y) =>
      // helm's --version picks a chart version, so bosun's own --version stays at the top level.
      withTemplateInertFlags(withValueFlags(y.version(false)))
        .positional('args', { describe: '[NAME] CHART', type: 'string', array: true })
        .option('namespace', { alias: 'n', type: 'string', default: 'default', describe: 'namespace scope for this request' })
        .option('kube-version', { type: 'string', describe: 'Kubernetes version used for Capabilities.KubeVersion' })
        .option('api-versions', { alias: 'a', type: 'string', array: true, describe: 'Kubernetes api versions used for Capabilities.APIVersions' })
        .option('include-crds', { type: 'boolean', default: false, describe: 'include CRDs in the templated output' })
        .option('skip-crds', { type: 'boolean', default: false, describe: 'if set, no CRDs will be installed' })
        .option('no-hooks', { type: 'boolean', default: false, describe: 'prevent hooks from running during install' })
        .option('skip-tests', { type: 'boolean', default: false, describe: 'skip tests from templated output' })
        .option('show-only', { alias: 's', type: 'string', array: true, describe: 'only show manifests rendered from the given templates' })
        .option('output-dir', { type: 'string', describe: 'writes the executed templates to files in output-dir instead of stdout' })
        .option('release-name', { type: 'boolean', default: false, describe: 'use release name in the output-dir path' })
        .option('is-upgrade', { type: 'boolean', default: false, describe: 'set .Release.IsUpgrade instead of .Release.IsInstall' })
        .option('skip-schema-validation', { type: 'boolean', default: false, describe: 'if set, disables JSON schema validation' })
        .option('generate-name', { alias: 'g', type: 'boolean', default: false, describe: 'generate the name (and omit the NAME parameter)' })
        .option('debug', { type: 'boolean', default: false, describe: 'enable verbose output (prints what was rendered when a manifest fails)' })
        .option('name-template', { type: 'string', describe: 'specify template used to name the release' })
        .option('dry-run', { type: 'string', describe: 'client (the default: no cluster); server is not supported by bosun template' })
        .option('wait', { type: 'string', describe: 'helm install flag (no effect on a render; accepted as helm accepts it)' })
        .option('repo', { type: 'string', describe: 'chart repository url (not supported yet: bosun renders local charts)' })
        .option('verify', { type: 'boolean', describe: 'verify the package before using it (not supported yet)' })
        .option('post-renderer', { type: 'string', describe: 'a post-renderer plugin (not supported: bosun has no plugins)' })
        .option('post-renderer-args', { type: 'string', array: true, describe: 'arguments to the post-renderer (not supported)' })
        .option('enable-dns', { type: 'boolean', describe: 'enable DNS lookups when rendering templates' })
        // State mode (no CHART): -f names the state file, as in helmfile.
        .option('file', { type: 'string', describe: 'state file (state mode; -f works too when no CHART is given)' })
        .option('environment', { alias: 'e', type: 'string', default: 'default', describe: 'state mode: environment to use' })
        .option('selector', { alias: 'l', type: 'string', array: true, describe: 'state mode: only targets whose labels match' })
        .option('include-needs', { type: 'boolean', default: false, describe: 'state mode: also select direct needs' })
        .option('include-transitive-needs', { type: 'boolean', default: false, describe: 'state mode: also select transitive needs' })
        .option('skip-needs', { type: 'boolean', default: true, describe: 'state mode: do not select unselected needs' })
        .option('state-values-set', { type: 'string', array: true, describe: 'state mode: set state values' })
        .option('state-values-file', { type: 'string', array: true, describe: 'state mode: state values files' })
        .option('allow-exec', { type: 'boolean', default: false, describe: 'state mode: allow the exec template function' })
        .option('concurrency', { type: 'number', default: 0, describe: 'state mode: maximum targets processed at once' }),
    handler: async (argv) => {
      const args = restoreOptionalValues(argv, OPTIONAL_VALUES);
      refuseUnsupported(argv);
      if (args.length === 0) {
        const files = splitCommas(argv.values);
        if (files.length > 1) throw new UserError('state mode takes one state file (-f FILE)');
        // State mode loads the state layer on demand: a plain `bosun template CHART` never pays for it.
        const { templateState } = await import('./state.js');
        await templateState({ ...argv, file: argv.file ?? files[0] }, io, {
          includeCrds: Boolean(argv['include-crds']),
          skipTests: Boolean(argv['skip-tests']),
          noHooks: Boolean(argv['no-hooks']),
          outputDir: argv['output-dir'] as string | undefined,
          kubeVersion: argv['kube-version'] as string | undefined,
          apiVersions: splitCommas(argv['api-versions']),
        });
        return;
      }
      // helm template presets the name "release-name", which wins over --generate-name; a name template wins over both.
      let releaseName: string;
      let chartPath: string;
      try {
        ({ name: releaseName, chart: chartPath } = nameAndChart(args, { generateName: Boolean(argv['generate-name']), nameTemplate: argv['name-template'] as string | undefined, preset: 'release-name' }));
      } catch (e) {
        throw new UserError((e as Error).message);
      }
      try {
        validateReleaseName(releaseName);
      } catch (e) {
        throw new UserError(`release name check failed: ${(e as Error).message}`);
      }
      const chart = await loadReleaseChart(chartPath, { readOnUse: true });
      const userValues = mergeUserValues(valueOptions(argv));
      let r: ReturnType<typeof renderChart>;
      // Helm's warnings of the last render only: with --enable-dns a render may run again once host names resolve.
      let warnings: string[] = [];
      const render = (hostByName?: (name: string) => string) => {
        warnings = [];
        return renderChart(chart, userValues, {
          releaseName,
          namespace: String(argv.namespace),
          isUpgrade: Boolean(argv['is-upgrade']),
          kubeVersion: argv['kube-version'] as string | undefined,
          apiVersions: splitCommas(argv['api-versions']),
          skipSchemaValidation: Boolean(argv['skip-schema-validation']),
          hostByName,
          warn: (m) => warnings.push(m),
        });
      };
      try {
        r = argv['enable-dns'] ? await new HostResolver().render(render) : render();
      } catch (e) {
        for (const m of warnings) io.stderr.write(`level=WARN msg=${JSON.stringify(m)}\n`);
        // As helm's --debug: a failure once the release was made prints what was rendered, then the error. (helm
        // also adds a hint naming --debug after the error; bosun keeps a failure to its one error line.)
        const partial = partialManifest(e);
        if (argv.debug && partial !== undefined) io.stdout.write(partial + '\n');
        throw e;
      }
      for (const m of warnings) io.stderr.write(`level=WARN msg=${JSON.stringify(m)}\n`);
      // --skip-crds only matters to install; helm template prints CRDs whenever --include-crds is given.
      const includeCrds = Boolean(argv['include-crds']);
      const outputDir = argv['output-dir'] as string | undefined;
      if (outputDir !== undefined) {
        writeOutputDir(io, argv['release-name'] ? join(outputDir, releaseName) : outputDir, r, includeCrds, Boolean(argv['no-hooks']), Boolean(argv['skip-tests']));
        return;
      }
      io.stdout.write(
        formatTemplateOutput(r.manifests, r.hooks, {
          crds: r.crds,
          includeCrds,
          noHooks: Boolean(argv['no-hooks']),
          skipTests: Boolean(argv['skip-tests']),
          showOnly: stringArray(argv['show-only']),
        }),
      );
    },
  };
}

/** The values --dry-run and --wait take on template (anything else was a positional; see restoreOptionalValues). */
const OPTIONAL_VALUES = { 'dry-run': new Set(['', 'client', 'server', 'true', 'false', 'unset']), wait: new Set(['', 'watcher', 'hookOnly', 'legacy', 'true', 'false']) };

/** Flags helm refuses together, and flags whose effect bosun template cannot give yet: an error naming the flag rather than a different render. */
function refuseUnsupported(argv: Record<string, unknown>): void {
  if (argv['force-replace'] && argv['force-conflicts']) {
    throw new UserError('if any flags in the group [force-replace force-conflicts] are set none of the others can be; [force-conflicts force-replace] were all set');
  }
  if (argv['dry-run'] === 'server') throw new UserError('--dry-run=server is not supported by bosun template (it renders without a cluster); bosun install --dry-run=server renders against one');
  if (argv.repo !== undefined) throw new UserError(`--repo ${String(argv.repo)}: chart repositories are not supported yet; bosun renders a chart directory or .tgz`);
  if (argv.verify) throw new UserError('--verify: verifying chart provenance is not supported yet');
  if (argv['post-renderer'] !== undefined || argv['post-renderer-args'] !== undefined) throw new UserError('--post-renderer: post-renderer plugins are not supported (bosun runs no helm plugins)');
}

/** --output-dir: one file per template, documents appended, a `wrote <file>` line per write (as helm). */
function writeOutputDir(
  io: CliIO,
  dir: string,
  r: ReturnType<typeof renderChart>,
  includeCrds: boolean,
  noHooks: boolean,
  skipTests: boolean,
): void {
  const written = new Set<string>();
  const write = (name: string, data: string) => {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    const text = `---\n# Source: ${name}\n${data}\n`;
    if (written.has(name)) appendFileSync(file, text);
    else writeFileSync(file, text);
    written.add(name);
    io.stdout.write(`wrote ${file}\n`);
  };
  if (includeCrds) for (const c of r.crds) write(c.path, c.data);
  for (const m of r.manifests) write(m.path, m.content);
  if (!noHooks) {
    for (const h of r.hooks) {
      if (skipTests && h.events.includes('test')) continue;
      write(h.path, h.content);
    }
  }
  io.stdout.write('\n');
}


