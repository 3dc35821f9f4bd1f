import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const bin = path.resolve('bin/chimera.mjs');

export type ServerProcess = { url: string; token: string; child: ChildProcess; dataDir: string; stop(): Promise<void> };

// `chimera <role>` in its own process, as it runs in production; resolves once it listens.
export async function startServerProcess(role: string, env: Record<string, string>, ready = /listening on (http:\/\/\S+)/, nodeArgs: string[] = []): Promise<ServerProcess> {
  const dataDir = env.CHIMERA_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-bench-'));
  const child = spawn(process.execPath, [...nodeArgs, bin, role], { env: { ...process.env, PORT: '0', ...env, CHIMERA_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chimera ${role} did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] ?? '');
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`chimera ${role} exited ${code}:\n${output}`)));
  });
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'token', '--role', 'operator', '--sub', 'bench', '--ttl', '7200'], {
    env: { ...process.env, CHIMERA_DATA_DIR: dataDir },
  });
  return {
    url,
    token: stdout.trim(),
    child,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
