// `bosun sandbox up`: run the local multi-cluster Kubernetes API server in the foreground and write a kubeconfig.
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { startSandbox, type Sandbox } from '../sandbox/index.js';

interface UpArgs {
  clusters: string;
  port: number;
  kubeconfig?: string;
  'state-dir'?: string;
  'controller-delay': number;
  verbose: boolean;
}

export interface SandboxCommandIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  /** Resolves when the sandbox should stop (default: SIGINT or SIGTERM). */
  stopSignal?: () => Promise<void>;
  /** Receives the running sandbox (tests). */
  onStarted?: (sb: Sandbox) => void;
}

function waitForSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The `sandbox` command with injectable streams (tests); `sandboxCommand` uses the process's. */
export function makeSandboxCommand(io: SandboxCommandIO): CommandModule {
  return {
    command: 'sandbox <action>',
    describe: 'Run a local Kubernetes API server serving several virtual clusters (for demos and tests)',
    builder: (y: Argv) =>
      y
        .positional('action', { choices: ['up'] as const, describe: 'up: start in the foreground until interrupted' })
        .option('clusters', { type: 'string', default: 'sandbox', describe: 'Comma-separated cluster names (one kubeconfig context each)' })
        .option('port', { type: 'number', default: 0, describe: 'Port on 127.0.0.1 (0 picks a free one)' })
        .option('kubeconfig', { type: 'string', describe: 'Where to write the kubeconfig (default ./bosun-sandbox.kubeconfig, or <state-dir>/kubeconfig)' })
        .option('state-dir', { type: 'string', describe: 'Keep objects across restarts (JSON snapshot per cluster)' })
        .option('controller-delay', { type: 'number', default: 200, describe: 'Milliseconds simulated controllers take (pods ready, jobs done)' })
        .option('verbose', { type: 'boolean', default: false, describe: 'Log every request to stderr' }) as unknown as Argv,
    handler: async (raw) => {
      const args = raw as unknown as UpArgs;
      const clusters = args.clusters.split(',').map((c) => c.trim()).filter(Boolean);
      const stateDir = args['state-dir'] ? resolve(args['state-dir']) : undefined;
      const kubeconfig = resolve(args.kubeconfig ?? (stateDir ? `${stateDir}/kubeconfig` : 'bosun-sandbox.kubeconfig'));
      const sb = await startSandbox({
        clusters,
        port: args.port,
        stateDir,
        controllerDelayMs: args['controller-delay'],
        onRequest: args.verbose ? (r) => io.stderr.write(`${r.cluster ?? '-'} ${r.method} ${r.path} ${r.code} ${r.ms}ms\n`) : undefined,
      });
      sb.writeKubeconfig(kubeconfig);
      io.stdout.write(
        `bosun sandbox serving ${clusters.length} cluster${clusters.length === 1 ? '' : 's'} at ${sb.url}\n` +
          clusters.map((c) => `  ${c}\t${sb.serverUrl(c)}\n`).join('') +
          `kubeconfig written to ${kubeconfig} (contexts: ${clusters.join(', ')})\n` +
          (stateDir ? `state kept in ${stateDir}\n` : '') +
          `  export KUBECONFIG=${kubeconfig}\n` +
          `Press Ctrl-C to stop.\n`,
      );
      io.onStarted?.(sb);
      await (io.stopSignal ?? waitForSignal)();
      await sb.close();
      io.stdout.write('bosun sandbox stopped\n');
    },
  };
}

export const sandboxCommand: CommandModule = makeSandboxCommand({ stdout: process.stdout, stderr: process.stderr });
export default sandboxCommand;
