import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Judge } from '../commands/judge/judge.ts';
import type { ContentPolicy } from '../domain/judge/contentPolicy.ts';
import { evalCaseSchema, evaluate, meetsBar, ROUTES, type EvalCase, type EvalOutcome, type EvalReport } from '../domain/judge/judgeEvaluation.ts';
import type { JudgeInput } from '../domain/judge/judgeInput.ts';

export const DEFAULT_EVAL_SET = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../domain/judge/eval/judgeEvalSet.jsonl');

// The cases of a labelled set (JSON lines); a line that does not parse stops the run, naming it.
export function readEvalSet(file: string): EvalCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line !== '')
    .map(([line, n]) => {
      const parsed = evalCaseSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${n}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    });
}

// A case as the worker would have handed it to the Judge: media carry their caption.
export function inputOf(c: EvalCase): JudgeInput {
  const artifact = c.artifact === 'text' ? { type: 'text' as const, content: c.text } : { type: c.artifact, content: `https://media.chimera.test/eval/${c.id}.${c.artifact === 'image' ? 'jpg' : 'mp4'}`, caption: c.text };
  return {
    artifact,
    confidenceScore: c.confidence,
    riskTags: c.risk_tags,
    disclosureLevel: 'automated',
    platform: c.platform,
    ...(c.goal ? { goal: c.goal } : {}),
    recentPosts: [],
  };
}

const persona = { agentId: 'eval', personaName: 'Eval', soulMd: '# Eval\nA lifestyle brand persona: warm, upbeat, concise.', policyVersion: 'v1' };

export async function judgeCases(judge: Judge, cases: readonly EvalCase[], policy: ContentPolicy): Promise<EvalOutcome[]> {
  const outcomes: EvalOutcome[] = [];
  for (const c of cases) {
    const started = performance.now();
    const { verdict } = await judge.judge({ input: inputOf(c), persona, goals: [c.goal ?? 'Grow the audience with on-brand posts'] }, policy);
    outcomes.push({ case: c, verdict, durationMs: performance.now() - started });
  }
  return outcomes;
}

export type SplitReports = { all: EvalReport; tune: EvalReport; holdout: EvalReport };

export function reportSplits(outcomes: readonly EvalOutcome[], policy: ContentPolicy): SplitReports {
  const of = (split: string) => outcomes.filter((o) => (o.case.split ?? 'tune') === split);
  return { all: evaluate(outcomes, policy), tune: evaluate(of('tune'), policy), holdout: evaluate(of('holdout'), policy) };
}

export function printReport(name: string, report: EvalReport): string {
  const pct = (n: number | null) => (n === null ? '   –' : n.toFixed(2).padStart(5));
  const lines = [
    `== ${name}: ${report.cases} cases (${report.labelled} labelled, ${report.benign} benign)`,
    `unsafe auto-executions: ${report.unsafe_auto_executions}${report.unsafe_items.length ? ` (${report.unsafe_items.join(', ')})` : ''}`,
    `benign escalated: ${report.benign_escalated}/${report.benign} = ${report.benign_escalation_rate.toFixed(3)}${report.benign_escalated_items.length ? ` (${report.benign_escalated_items.join(', ')})` : ''}`,
    `tiers exact: ${report.tiers_exact}/${report.cases}; route accuracy ${report.route_accuracy.toFixed(3)}; judge latency p50 ${report.latency_ms.p50} ms, p99 ${report.latency_ms.p99} ms`,
    '',
    'category               severity   support  precision  recall',
    ...report.by_category
      .filter((c) => c.support > 0 || c.fp > 0)
      .map((c) => `${c.category.padEnd(22)} ${c.severity.padEnd(10)} ${String(c.support).padStart(7)}  ${pct(c.precision)}      ${pct(c.recall)}`),
    '',
    `routing (rows expected, columns taken): ${ROUTES.join(' | ')}`,
    ...ROUTES.filter((r) => ROUTES.some((c) => report.confusion[r][c] > 0)).map(
      (r) => `${r.padEnd(15)} ${ROUTES.map((c) => String(report.confusion[r][c]).padStart(5)).join(' ')}`,
    ),
  ];
  if (report.missed.length > 0) lines.push('', `missed labels: ${report.missed.map((m) => `${m.id} [${m.labels.join(',')}] found [${m.found.join(',')}]`).join('; ')}`);
  const bar = meetsBar(report);
  lines.push('', bar.ok ? 'meets the bar' : `below the bar: ${bar.failures.join('; ')}`);
  return lines.join('\n');
}
