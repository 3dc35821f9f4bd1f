import fs from 'node:fs';
import pg from 'pg';

// The benchmarks share a small machine (and its PostgreSQL server) with whatever else runs on
// it. These helpers wait for the machine to be quiet before a measurement and tell afterwards
// how much CPU went to others during it (Linux /proc; elsewhere they do nothing and say so).

const USER_HZ = 100;
const TICK_US = 1e6 / USER_HZ;

type MachineTimes = { busyUs: number; totalUs: number; processUs: number };

function machineTimes(): MachineTimes | undefined {
  try {
    // user nice system idle iowait irq softirq steal ...
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
    const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
    const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
    // Time in processes only (user, nice, system), comparable with what /proc/<pid>/stat counts;
    // interrupts and softirqs (the loopback network, the disk) are left out of "others".
    const processes = (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0);
    return { busyUs: (total - idle) * TICK_US, totalUs: total * TICK_US, processUs: processes * TICK_US };
  } catch {
    return undefined;
  }
}

function processCpuUs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US; // utime + stime
  } catch {
    return 0;
  }
}

// Waits until the machine has been at least `minIdle` idle over one second, or `timeoutMs`.
// Resolves to the idle share last seen (undefined without /proc).
export async function waitForQuietMachine(options: { minIdle?: number; timeoutMs?: number } = {}): Promise<number | undefined> {
  const minIdle = options.minIdle ?? 0.85;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const a = machineTimes();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const b = machineTimes();
    if (!a || !b) return undefined;
    const idle = 1 - (b.busyUs - a.busyUs) / Math.max(1, b.totalUs - a.totalUs);
    if (idle >= minIdle || Date.now() > deadline) return idle;
  }
}

export type LoadMeter = {
  // CPU (in cores) used during the window by processes other than this one and the server
  // sessions on `database`, interrupts not counted: the server's background processes (WAL
  // writer, autovacuum...), kernel threads and anything else running (undefined without /proc).
  stop(): Promise<{ othersCores: number | undefined; ownCores: number }>;
};

// Starts measuring: call stop() at the end of the measured window. `database` names the
// server database whose sessions count as the benchmark's own (the server must be local).
export async function startLoadMeter(connectionString: string, database: string | undefined): Promise<LoadMeter> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => {});
  await client.connect();
  const sessions = async () => {
    if (!database) return 0;
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows.reduce((sum, r) => sum + processCpuUs(r.pid), 0);
  };
  const t0 = process.hrtime.bigint();
  const machine0 = machineTimes();
  const own0 = process.cpuUsage();
  const sessions0 = await sessions();
  return {
    async stop() {
      const sessions1 = await sessions();
      const own = process.cpuUsage(own0);
      const machine1 = machineTimes();
      const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
      await client.end().catch(() => {});
      const ownUs = own.user + own.system;
      const ownCores = (ownUs + sessions1 - sessions0) / wallUs;
      if (!machine0 || !machine1) return { othersCores: undefined, ownCores };
      const processCores = (machine1.processUs - machine0.processUs) / wallUs;
      return { othersCores: Math.max(0, processCores - ownCores), ownCores };
    },
  };
}
