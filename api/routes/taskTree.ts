import type { Database } from '../../adapters/database/database.ts';

// A campaign's tasks as the dashboard draws them (seed 000 §2.8.2): roots, tasks with their
// current status, edges from dependencies, and a Mermaid flowchart of the same.
export async function taskTree(database: Database, campaignId: string) {
  const rows = await database.db.selectFrom('tasks').selectAll().where('campaign_id', '=', campaignId).orderBy('created_at').orderBy('task_id').execute();
  if (rows.length === 0) return null;
  const tasks = dependenciesFirst(rows).map((t) => ({
    task_id: t.task_id,
    agent_id: t.agent_id,
    task_type: t.task_type,
    priority: t.priority,
    status: t.status,
    dependencies: t.dependencies,
    context: t.context,
    parameters: t.parameters,
    attempt: t.attempt,
    assigned_worker_id: t.assigned_worker_id,
    result_id: t.result_id,
    review_id: t.review_id,
    created_at: new Date(t.created_at).toISOString(),
    completed_at: t.completed_at ? new Date(t.completed_at).toISOString() : null,
  }));
  const edges = tasks.flatMap((t) => t.dependencies.map((d) => ({ from_task_id: d, to_task_id: t.task_id })));
  return { root_tasks: tasks.filter((t) => t.dependencies.length === 0).map((t) => t.task_id), tasks, edges, visualization: mermaid(tasks, edges) };
}

function mermaid(tasks: Array<{ task_id: string; task_type: string; status: string }>, edges: Array<{ from_task_id: string; to_task_id: string }>): string {
  const node = new Map(tasks.map((t, i) => [t.task_id, `t${i + 1}`]));
  const lines = ['flowchart TD'];
  for (const t of tasks) lines.push(`  ${node.get(t.task_id)}["${t.task_type}<br/>${t.status}"]:::${t.status}`);
  for (const e of edges) if (node.has(e.from_task_id)) lines.push(`  ${node.get(e.from_task_id)} --> ${node.get(e.to_task_id)}`);
  lines.push('  classDef completed fill:#d4f7d4', '  classDef failed fill:#f7d4d4', '  classDef cancelled fill:#eeeeee', '  classDef review fill:#fff3c4');
  return lines.join('\n');
}

// Tasks after the ones they depend on (rows of one plan share a creation time).
function dependenciesFirst<T extends { task_id: string; dependencies: string[] }>(rows: T[]): T[] {
  const placed = new Set<string>();
  const ordered: T[] = [];
  const ids = new Set(rows.map((r) => r.task_id));
  while (ordered.length < rows.length) {
    const next = rows.filter((r) => !placed.has(r.task_id) && r.dependencies.every((d) => placed.has(d) || !ids.has(d)));
    if (next.length === 0) return [...ordered, ...rows.filter((r) => !placed.has(r.task_id))];
    for (const r of next) {
      placed.add(r.task_id);
      ordered.push(r);
    }
  }
  return ordered;
}
