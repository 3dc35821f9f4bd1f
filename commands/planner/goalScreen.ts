import type { DomainError } from '../../domain/decider.ts';
import type { GoalVerdict } from '../../domain/judge/judgeGoal.ts';

// The policy's word on a goal before the planner plans it (commands/judge/judge.ts judgeGoal).
export type GoalScreen = (goal: string) => Promise<GoalVerdict>;

export type ScreenedGoals = { ok: true; verdicts: GoalVerdict[] } | { ok: false; error: DomainError };

// Every goal is checked; the first refused one refuses the request, with its finding, before
// the model is asked anything or an event is appended.
export async function screenGoals(screen: GoalScreen | undefined, goals: readonly string[]): Promise<ScreenedGoals> {
  if (!screen) return { ok: true, verdicts: [] };
  const verdicts = await Promise.all(goals.map((goal) => screen(goal)));
  const refusedAt = verdicts.findIndex((v) => v.outcome === 'refused');
  if (refusedAt < 0) return { ok: true, verdicts };
  const verdict = verdicts[refusedAt]!;
  return {
    ok: false,
    error: {
      code: verdict.error_code === 'E1003' ? 'goal_prompt_injection' : 'goal_refused',
      message: verdict.reason,
      details: {
        error_code: verdict.error_code,
        goal: goals[refusedAt],
        findings: verdict.findings,
        ...(verdict.injection.length > 0 ? { prompt_injection: verdict.injection } : {}),
      },
    },
  };
}

// What the answer says about the goals that were planned: sensitive ones send results to people.
export function goalReview(verdicts: readonly GoalVerdict[]): { outcome: 'clear' | 'sensitive'; reason: string; findings: GoalVerdict['findings'] } {
  const sensitive = verdicts.filter((v) => v.outcome === 'sensitive');
  if (sensitive.length === 0) return { outcome: 'clear', reason: 'No policy finding in the goal.', findings: [] };
  return { outcome: 'sensitive', reason: sensitive.map((v) => v.reason).join(' '), findings: sensitive.flatMap((v) => v.findings) };
}
