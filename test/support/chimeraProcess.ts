import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve('bin/chimera.mjs');

export type ChimeraProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

// Starts `chimera <role>` as its own process and resolves once its output matches `ready`.
export async function startChimeraProcess(role: string, env: Record<string, string>, ready: RegExp, timeoutMs = 60_000): Promise<ChimeraProcess> {
  const child = spawn(process.execPath, [bin, role], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`chimera ${role} not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`chimera ${role} exited ${code} before it was ready:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}

export async function stopChimeraProcess(p: ChimeraProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  p.child.kill(signal);
  return p.exited;
}
