// The policy on a goal, before anything is planned for it (compose, decompose, replan). A goal is
// what the agent will be made to say, so it is judged like content, but the route differs:
//   - prompt injection in the goal                  → refused (E1003)
//   - any harm category (critical or high)          → refused (E1006), with the finding
//   - a sensitive topic, or a detector that could
//     not check it                                  → planned, and every result goes to moderators
//                                                     (the Judge reads the goal with each result)
//   - otherwise                                     → clear
import type { ContentPolicy } from './contentPolicy.ts';
import { detectLexical } from './lexicalDetector.ts';
import { withMinorsRule } from './minorsRule.ts';
import { bySeverity, isHarmCategory, type DetectorReport, type PolicyFinding } from './policyTaxonomy.ts';
import { detectPromptInjection, type InjectionSignal } from './promptInjection.ts';

export type GoalVerdict = {
  outcome: 'clear' | 'sensitive' | 'refused';
  error_code: 'E1003' | 'E1006' | null;
  reason: string;
  findings: PolicyFinding[];
  injection: InjectionSignal[];
  detectors: Array<Pick<DetectorReport, 'detector' | 'status' | 'detail'>>;
};

export function judgeGoal(goal: string, policy: ContentPolicy, reports: readonly DetectorReport[] = []): GoalVerdict {
  const lexical: DetectorReport = {
    detector: 'lexical',
    status: 'ok',
    findings: detectLexical(goal, 'goal', { categories: policy.categories, sensitiveTopics: policy.sensitiveTopics }),
    detail: null,
    duration_ms: 0,
  };
  const all = [lexical, ...reports];
  const reported = all
    .filter((r) => r.status === 'ok')
    .flatMap((r) => r.findings)
    .map((f) => ({ ...f, source: 'goal' as const }))
    .filter((f) => policy.categories[f.category].enabled);
  const findings = withMinorsRule(reported, { goal }, policy).sort(bySeverity);
  const detectors = all.map(({ detector, status, detail }) => ({ detector, status, detail }));
  // A detector that could not answer, or a required one that was not there (the LLM reads
  // results, not goals, so it is not asked here).
  const absent = policy.requiredDetectors.filter((d) => d !== 'llm' && !all.some((r) => r.detector === d));
  const unchecked = [...reports.filter((r) => r.status !== 'ok').map((r) => r.detector), ...absent];
  const injection = detectPromptInjection(goal);
  const verdict = (outcome: GoalVerdict['outcome'], error_code: GoalVerdict['error_code'], reason: string): GoalVerdict => ({
    outcome,
    error_code,
    reason,
    findings,
    injection,
    detectors,
  });
  if (injection.length > 0) {
    return verdict('refused', 'E1003', `The goal contains a prompt-injection attempt (${injection.map((s) => s.kind.replace(/_/g, ' ')).join(', ')}); nothing is planned from it.`);
  }
  const harm = findings.filter((f) => isHarmCategory(f.category));
  if (harm.length > 0) {
    const named = [...new Set(harm.map((f) => policy.categories[f.category].label.toLowerCase()))];
    return verdict('refused', 'E1006', `The goal asks for ${named.join(' and ')} ("${harm[0]!.evidence}"); no campaign is planned for it.`);
  }
  if (findings.length > 0 || unchecked.length > 0) {
    const topics = [...new Set(findings.map((f) => f.category))];
    const why = [
      ...(topics.length > 0 ? [`it touches sensitive topics (${topics.join(', ')})`] : []),
      ...(unchecked.length > 0 ? [`the ${unchecked.join(' and ')} detector could not check it`] : []),
    ];
    return verdict('sensitive', 'E1006', `Planned, but ${why.join(' and ')}: every result of it goes to a moderator.`);
  }
  return verdict('clear', null, 'The goal raises no policy finding.');
}
