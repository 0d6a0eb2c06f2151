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
    describe: 'locally render a chart exactly as `helm template` does',
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
        .option('generate-name', { alias: 'g', type: 'boolean', default: false, describe: 'generate the name (and omit the NAME parameter)' }),
    handler: async (argv) => {
      const args = stringArray(argv.args);
      if (args.length === 0) throw new UserError('"bosun template" requires at least 1 argument\n\nUsage:  bosun template [NAME] [CHART] [flags]');
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


