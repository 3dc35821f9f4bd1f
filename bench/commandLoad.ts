import http from 'node:http';
import { summarize } from './percentiles.ts';

export type CommandClient = { url: string; token: string };

// node:http with keep-alive: on 2 cores the load generator must cost little, and fetch
// (undici) alone tops out near 2,300 requests/s here against a server that does nothing.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the load generator reads any JSON reply
export function post(client: CommandClient, path: string, body: unknown): Promise<{ status: number; json: any; headers: http.IncomingHttpHeaders }> {
  const url = new URL(path, client.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()), headers: res.headers });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

// Agents created over HTTP, each with one goal that the load then keeps changing, so every
// command appends exactly one event and agent states stay the same size.
export async function createLoadAgents(client: CommandClient, count: number): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const created = await post(client, '/agents', { name: `Load ${i}`, soul_md: '# load', budget: { daily_usd: 10, total_usd: 100 } });
      if (created.status !== 201) throw new Error(`create agent: ${created.status} ${JSON.stringify(created.json)}`);
      const id = created.json.agent_id as string;
      // At the version the agent was created with, or the one a 409 names: the cfo role may
      // have recorded the agent's wallet in between.
      let version = created.json.state_version as number;
      for (let tries = 0; ; tries++) {
        const goal = await post(client, '/globalstate/update', {
          agent_id: id,
          input_state_version: version,
          updates: { goals: [{ action: 'add', goal: { goal_id: 'g', description: 'load', priority: 'low' } }] },
        });
        if (goal.status === 200) {
          versions.set(id, goal.json.new_state_version);
          break;
        }
        if (goal.status !== 409 || tries === 5) throw new Error(`add goal: ${goal.status}`);
        version = goal.json.new_state_version;
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return versions;
}

export function changeGoalCommand(agentId: string, version: number) {
  return {
    agent_id: agentId,
    input_state_version: version,
    // Named after the version it was made at, so every accepted command changes something.
    updates: { goals: [{ action: 'update', goal: { goal_id: 'g', description: `load at ${version}` } }] },
  };
}

// Closed loop: `concurrency` clients, each with its own agents (so no conflicts by design),
// send POST /globalstate/update back to back. Counts accepted commands after the warm-up.
export async function closedLoopCommands(
  client: CommandClient,
  versions: Map<string, number>,
  options: { concurrency: number; durationMs: number; warmupMs: number },
): Promise<{ commandsPerSecond: number; accepted: number; refused: number; p50Ms: number; p99Ms: number }> {
  const agents = [...versions.keys()];
  const start = Date.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let accepted = 0;
  let refused = 0;
  const latencies: number[] = [];
  const loop = async (k: number) => {
    const mine = agents.filter((_, i) => i % options.concurrency === k);
    let i = 0;
    while (Date.now() < end) {
      const agent = mine[i++ % mine.length]!;
      const sent = performance.now();
      const r = await post(client, '/globalstate/update', changeGoalCommand(agent, versions.get(agent)!));
      const took = performance.now() - sent;
      const counting = Date.now() >= measureFrom && Date.now() < end;
      if (r.status === 200) {
        versions.set(agent, r.json.new_state_version);
        if (counting) {
          accepted++;
          latencies.push(took);
        }
      } else {
        if (counting) refused++;
        if (r.status === 409) versions.set(agent, r.json.new_state_version ?? r.json.error?.details?.current_state_version);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, k) => loop(k)));
  const s = summarize(latencies);
  return { commandsPerSecond: accepted / (options.durationMs / 1000), accepted, refused, p50Ms: s.p50, p99Ms: s.p99 };
}
