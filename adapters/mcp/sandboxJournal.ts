import { closeSync, existsSync, fdatasyncSync, ftruncateSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// The sandbox platform's own store, kept apart from Chimera's database on purpose: it plays an
// outside party, and exactly-once publishing is only proven if Chimera cannot peek into it.
// An append-only JSON-lines file, replayed on open; or nothing but memory.

export type SandboxJournal<E> = {
  // Entries replayed from the file, oldest first.
  readonly replayed: readonly E[];
  // Durable (fdatasync) before it returns: a post the platform reports must survive a crash.
  append(entry: E): void;
  close(): void;
};

export const JOURNAL_FILE = 'sandbox-platform.jsonl';
const LOCK_FILE = 'sandbox-platform.lock';

export function openSandboxJournal<E>(store: 'memory' | string): SandboxJournal<E> {
  if (store === 'memory') return { replayed: [], append: () => {}, close: () => {} };
  mkdirSync(store, { recursive: true });
  const lockPath = join(store, LOCK_FILE);
  takeLock(lockPath);
  try {
    const path = join(store, JOURNAL_FILE);
    const { entries, validBytes } = replay<E>(path);
    const fd = openSync(path, 'a+');
    // A crash mid-write leaves a partial last line: cut it so the next entry starts clean.
    ftruncateSync(fd, validBytes);
    let closed = false;
    return {
      replayed: entries,
      append(entry) {
        if (closed) throw new Error('sandbox journal is closed');
        writeSync(fd, JSON.stringify(entry) + '\n');
        fdatasyncSync(fd);
      },
      close() {
        if (closed) return;
        closed = true;
        closeSync(fd);
        unlinkSync(lockPath);
      },
    };
  } catch (error) {
    unlinkSync(lockPath);
    throw error;
  }
}

function replay<E>(path: string): { entries: E[]; validBytes: number } {
  if (!existsSync(path)) return { entries: [], validBytes: 0 };
  const text = readFileSync(path);
  const entries: E[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf(0x0a, start);
    if (end < 0) break; // unterminated last line: never acknowledged, dropped
    const line = text.subarray(start, end).toString('utf8');
    try {
      entries.push(JSON.parse(line) as E);
    } catch {
      throw new Error(`sandbox journal ${path} is corrupt at byte ${start}`);
    }
    start = end + 1;
  }
  return { entries, validBytes: start };
}

// One process owns a directory. The lock names its pid; a lock whose process is gone is stale
// (a crash) and is taken over.
function takeLock(lockPath: string): void {
  const candidate = `${lockPath}.${process.pid}`;
  try {
    takeLockVia(candidate, lockPath);
  } finally {
    rmSync(candidate, { force: true });
  }
}

function takeLockVia(candidate: string, lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // Written aside and linked into place, so a lock is never seen without its pid.
      writeFileSync(candidate, String(process.pid));
      linkSync(candidate, lockPath);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(`sandbox platform directory is owned by process ${owner} (${lockPath})`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
