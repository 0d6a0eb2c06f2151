// `bosun package CHART...`: helm package's archive, flags and messages (Helm 4.1), without network access.
import type { CommandModule } from 'yargs';
import { join } from 'node:path';
import { packageChart, PackageError } from '../chart/package.js';
import { UserError, type CliIO } from './errors.js';
import { stringArray } from './flags.js';

export function packageCommand(io: CliIO): CommandModule {
  return {
    command: 'package [charts..]',
    describe: 'package chart directories into versioned chart archives, exactly as `helm package` does',
    builder: (y) =>
      y
        // helm's --version sets the chart version here; bosun's own version flag stays on the top level.
        .version(false)
        .positional('charts', { describe: 'chart directories', type: 'string', array: true })
        .option('destination', { alias: 'd', type: 'string', default: '.', describe: 'location to write the chart' })
        .option('version', { type: 'string', describe: 'set the version on the chart to this semver version' })
        .option('app-version', { type: 'string', describe: 'set the appVersion on the chart to this version' })
        .option('dependency-update', {
          alias: 'u',
          type: 'boolean',
          default: false,
          describe: 'not supported: bosun never downloads charts; vendor dependencies into charts/ instead',
        }),
    handler: async (argv) => {
      const charts = stringArray(argv.charts);
      if (charts.length === 0) throw new UserError('need at least one argument, the path to the chart');
      if (argv['dependency-update']) {
        throw new UserError(
          '--dependency-update is not supported: bosun does not download charts; vendor the dependencies into charts/ (e.g. with `helm dependency build`) and package again',
        );
      }
      for (const chart of charts) {
        let saved: string;
        try {
          saved = await packageChart(chart, {
            destination: argv.destination as string | undefined,
            version: argv.version as string | undefined,
            appVersion: argv['app-version'] as string | undefined,
          });
        } catch (e) {
          // helm's wording, prefixed with the chart file concerned when helm's message does not name a path.
          if (e instanceof PackageError) {
            throw new UserError(e.file === undefined ? e.message : `${join(chart, e.file)}: ${e.message}`);
          }
          throw e;
        }
        io.stdout.write(`Successfully packaged chart and saved it to: ${saved}\n`);
      }
    },
  };
}
