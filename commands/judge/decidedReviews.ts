import type { Database } from '../../adapters/database/database.ts';
import type { DecidedReview } from '../../domain/judge/judgeCalibration.ts';

type Finding = { category?: unknown; score?: unknown };

// The results moderators decided, from the work read model (built from ResultReviewed and the
// ReviewApproved/Rejected/Edited events): the Judge's findings and the worker's confidence.
export async function decidedReviews(database: Database): Promise<DecidedReview[]> {
  const rows = await database.db
    .selectFrom('judge_reviews as r')
    .innerJoin('assets as a', 'a.asset_id', 'r.result_id')
    .select(['r.review_id', 'r.status', 'r.hitl_category', 'r.validation_result', 'a.confidence_score'])
    .where('r.status', 'in', ['approved', 'rejected', 'edited'])
    .where('r.judge_type', '=', 'content')
    .orderBy('r.created_at')
    .execute();
  return rows.map((r) => {
    const validation = r.validation_result as { findings?: Finding[]; sensitive_topics_detected?: string[] };
    const findings = (validation.findings ?? [])
      .filter((f): f is { category: string; score: unknown } => typeof f.category === 'string')
      .map((f) => ({ category: f.category, score: typeof f.score === 'number' ? f.score : null }));
    // Reviews recorded before the taxonomy name their topics only.
    const topics = findings.length > 0 ? [] : (validation.sensitive_topics_detected ?? []).map((category) => ({ category, score: null }));
    return {
      review_id: r.review_id,
      confidence: Number(r.confidence_score),
      hitl_category: r.hitl_category,
      findings: [...findings, ...topics],
      decision: r.status as DecidedReview['decision'],
    };
  });
}
