// `bosun lint [CHART...]`: helm lint's checks, flags, output and exit code (Helm 4.1).
import type { CommandModule } from 'yargs';
import { mergeUserValues } from '../values/index.js';
import { lintPaths, subchartPaths, KubeVersionError } from '../lint/index.js';
import { UserError, type CliIO } from './errors.js';
import { stringArray, valueOptions, withValueFlags } from './flags.js';

export function lintCommand(io: CliIO): CommandModule {
  return {
    command: 'lint [charts..]',
    describe: 'examine a chart for possible issues, exactly as `helm lint` does',
    builder: (y) =>
      withValueFlags(y)
        .positional('charts', { describe: 'chart directories or archives', type: 'string', array: true })
        .option('strict', { type: 'boolean', default: false, describe: 'fail on lint warnings' })
        .option('with-subcharts', { type: 'boolean', default: false, describe: 'lint dependent charts' })
        .option('quiet', { type: 'boolean', default: false, describe: 'print only warnings and errors' })
        .option('skip-schema-validation', { type: 'boolean', default: false, describe: 'if set, disables JSON schema validation' })
        .option('kube-version', { type: 'string', describe: 'Kubernetes version used for capabilities and deprecation checks' })
        .option('namespace', { alias: 'n', type: 'string', describe: 'namespace scope for this request' }),
    handler: async (argv) => {
      let paths = stringArray(argv.charts);
      if (paths.length === 0) throw new UserError('"bosun lint" requires at least 1 argument\n\nUsage:  bosun lint PATH [flags]');
      if (argv['with-subcharts']) paths = [...paths, ...paths.flatMap((p) => subchartPaths(p))];
      const values = mergeUserValues(valueOptions(argv));
      const namespace = (argv.namespace as string | undefined) ?? process.env.HELM_NAMESPACE ?? 'default';
      let run;
      try {
        run = await lintPaths(paths, values, {
          namespace,
          kubeVersion: argv['kube-version'] as string | undefined,
          strict: Boolean(argv.strict),
          quiet: Boolean(argv.quiet),
          skipSchemaValidation: Boolean(argv['skip-schema-validation']),
          log: (line) => io.stderr.write(line + '\n'),
        });
      } catch (e) {
        if (e instanceof KubeVersionError) throw new UserError(e.message);
        throw e;
      }
      io.stdout.write(run.stdout);
      if (run.failed > 0) throw new UserError(run.summary);
    },
  };
}
