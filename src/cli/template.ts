// `bosun template [NAME] CHART`: helm template's flags, defaults, output and errors.
import type { CommandModule } from 'yargs';
import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mergeUserValues } from '../values/index.js';
import { renderChart, formatTemplateOutput, loadReleaseChart } from '../render/index.js';
import { UserError, type CliIO } from './errors.js';
import { splitCommas, stringArray, valueOptions, withValueFlags } from './flags.js';

export function templateCommand(io: CliIO): CommandModule {
  return {
    command: 'template [args..]',
    describe: 'render a chart exactly as `helm template` does, or with no CHART every target of the state file (-f FILE -e ENV)',
    builder: (y) =>
      withValueFlags(y)
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
      const args = stringArray(argv.args);
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
      if (args.length > 2) throw new UserError(`expected at most two arguments, unexpected arguments: ${args.slice(2).join(', ')}`);
      if (args.length === 2 && argv['generate-name']) throw new UserError('cannot set --generate-name and also specify a name');
      // helm template presets the name "release-name", which wins over --generate-name for a single argument.
      const [releaseName, chartPath] = args.length === 2 ? [args[0]!, args[1]!] : ['release-name', args[0]!];
      const chart = await loadReleaseChart(chartPath);
      const userValues = mergeUserValues(valueOptions(argv));
      const r = renderChart(chart, userValues, {
        releaseName,
        namespace: String(argv.namespace),
        isUpgrade: Boolean(argv['is-upgrade']),
        kubeVersion: argv['kube-version'] as string | undefined,
        apiVersions: splitCommas(argv['api-versions']),
        skipSchemaValidation: Boolean(argv['skip-schema-validation']),
        warn: (m) => io.stderr.write(`level=WARN msg=${JSON.stringify(m)}\n`),
      });
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


