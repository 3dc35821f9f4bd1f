import type { Database } from '../adapters/database/database.ts';
import { parseLogPosition, type LogPosition } from '../adapters/eventstore/eventStore.ts';
import { post, changeGoalCommand, type CommandClient } from './commandLoad.ts';
import { summarize } from './percentiles.ts';

// Open loop at a fixed offered rate: a command every 1000/rate ms (to an agent with no
// command in flight), and for each one the time from sending POST /globalstate/update to the
// moment its new state_version is in the `agents` read model. Observed either by polling the
// table (another process projects), or, in the projecting process itself, by waiting for the
// projector's committed checkpoint to pass the command's X-Log-Position.
export async function commandToRead(
  client: CommandClient,
  readModel: Database | { waitFor(position: LogPosition): Promise<void> },
  versions: Map<string, number>,
  options: { rate: number; durationMs: number; warmupMs: number },
): Promise<{ p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; measured: number; offeredPerSecond: number; refused: number }> {
  const agents = [...versions.keys()];
  const busy = new Set<string>();
  const pending = new Map<string, { version: number; sentAt: number; counted: boolean }>();
  const samples: number[] = [];
  let refused = 0;
  let sent = 0;
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let cursor = 0;
  let observing = true;

  const polling = 'db' in readModel;
  const observer = (async () => {
    if (!polling) return;
    while (observing || pending.size > 0) {
      if (pending.size > 0) {
        const ids = [...pending.keys()];
        const rows = await (readModel as Database).db.selectFrom('agents').select(['agent_id', 'state_version']).where('agent_id', 'in', ids).execute();
        const now = performance.now();
        for (const row of rows) {
          const p = pending.get(row.agent_id);
          if (p && row.state_version >= p.version) {
            if (p.counted) samples.push(now - p.sentAt);
            pending.delete(row.agent_id);
            busy.delete(row.agent_id);
          }
        }
        if (!observing && now > end + 30_000) break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();

  const interval = 1000 / options.rate;
  const inflight: Promise<void>[] = [];
  while (performance.now() < end) {
    const due = start + sent * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sent++;
    let agent: string | undefined;
    for (let tries = 0; tries < agents.length; tries++) {
      const candidate = agents[cursor++ % agents.length]!;
      if (!busy.has(candidate)) {
        agent = candidate;
        break;
      }
    }
    if (!agent) continue;
    busy.add(agent);
    const sentAt = performance.now();
    const counted = sentAt >= measureFrom && sentAt < end;
    const id = agent;
    inflight.push(
      post(client, '/globalstate/update', changeGoalCommand(id, versions.get(id)!)).then((r) => {
        if (r.status === 200 && !r.headers['x-log-position']) {
          // Nothing changed (the toggle met a version another writer had moved): not a sample.
          versions.set(id, r.json.new_state_version);
          busy.delete(id);
        } else if (r.status === 200) {
          versions.set(id, r.json.new_state_version);
          if (polling) {
            pending.set(id, { version: r.json.new_state_version, sentAt, counted });
          } else {
            return (readModel as { waitFor(position: LogPosition): Promise<void> }).waitFor(parseLogPosition(String(r.headers['x-log-position']))).then(() => {
              if (counted) samples.push(performance.now() - sentAt);
              busy.delete(id);
            });
          }
        } else {
          refused++;
          busy.delete(id);
          if (r.status === 409) versions.set(id, r.json.new_state_version);
        }
      }),
    );
  }
  await Promise.all(inflight);
  observing = false;
  await observer;
  const s = summarize(samples);
  return { p50Ms: s.p50, p95Ms: s.p95, p99Ms: s.p99, maxMs: s.max, measured: s.n, offeredPerSecond: options.rate, refused };
}
