import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Why the real-daemon tests cannot run here, or undefined. In CI (CI set) a missing containerd is a failure, not a skip. */
export function daemonUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'containerd needs root to start (run the tests as root, as CI does)';
  if (spawnSync('containerd', ['--version']).error && !process.env.CI) return 'containerd is not installed (apt-get install containerd)';
  return undefined;
}

/**
 * A containerd config that keeps everything inside `dir`: root, state, temp,
 * sockets, the opt plugin and CNI directories (nothing system-wide is created).
 */
export function daemonConfig(dir: string, extra = ''): string {
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
temp = "${dir}/tmp"
${extra}
[grpc]
  address = "${dir}/c.sock"
[ttrpc]
  address = "${dir}/c.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.10.2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "${dir}/cni-bin"
    conf_dir = "${dir}/cni-conf"
`;
}

/** A running containerd started by a test. */
export interface Daemon {
  socket: string;
  process: ChildProcess;
  /** Stop it with a signal and wait for it to exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  log: () => string;
}

/** Start containerd with `configFile` and wait (at most 10 s) until its socket answers. */
export async function startDaemon(dir: string, configFile: string): Promise<Daemon> {
  const socket = join(dir, 'c.sock');
  mkdirSync(dir, { recursive: true });
  const logFile = join(dir, 'containerd.log');
  writeFileSync(logFile, '');
  const out = spawn('containerd', ['--config', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  out.stderr!.on('data', (d: Buffer) => writeFileSync(logFile, d, { flag: 'a' }));
  const exited = new Promise<void>((resolve) => out.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (out.exitCode === null && out.signalCode === null) out.kill(signal);
    await exited;
  };
  for (let i = 0; i < 400; i++) {
    if (existsSync(socket) && spawnSync('ctr', ['--address', socket, 'version']).status === 0)
      return { socket, process: out, stop, log: () => readFileSync(logFile, 'utf8') };
    if (out.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await stop('SIGKILL');
  throw new Error(`containerd did not come up: ${readFileSync(logFile, 'utf8').slice(-2000)}`);
}
