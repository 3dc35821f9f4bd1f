// Learning from moderators: every approve, edit and reject of a result the Judge held is a label.
// An approval overturns the Judge (it held something a person let through); a rejection or an
// edit upholds it. Reported per category the Judge found and per confidence band, with the
// thresholds that would have matched the moderators' decisions.

export type DecidedReview = {
  review_id: string;
  confidence: number;
  hitl_category: string | null;
  // The categories the Judge found, with the semantic classifier's score where it gave one.
  findings: Array<{ category: string; score: number | null }>;
  decision: 'approved' | 'rejected' | 'edited';
};

export type Tally = { decided: number; approved: number; rejected: number; edited: number; overturned: number; overturn_rate: number | null };

export type CategoryCalibration = Tally & {
  category: string;
  // The lowest classifier score among the findings moderators upheld: a threshold just below it
  // keeps every upheld one and would have spared the overturned ones under it.
  suggested_semantic_threshold: number | null;
  overturned_below_suggestion: number;
};

export type Calibration = {
  overall: Tally;
  by_category: CategoryCalibration[];
  by_confidence_band: Array<Tally & { band: string }>;
  // For results held only for their confidence: the lowest auto-publish threshold above which
  // moderators approved everything, and how many reviews it would have spared.
  auto_execute_threshold: { current: number; suggested: number | null; reviews_spared: number; low_confidence_decided: number };
};

export const CONFIDENCE_BANDS: ReadonlyArray<[string, number, number]> = [
  ['0.00–0.70', 0, 0.7],
  ['0.70–0.80', 0.7, 0.8],
  ['0.80–0.90', 0.8, 0.9],
  ['0.90–1.00', 0.9, 1.0000001],
];

export function calibrate(reviews: readonly DecidedReview[], currentThreshold: number): Calibration {
  const categories = [...new Set(reviews.flatMap((r) => r.findings.map((f) => f.category)))].sort();
  return {
    overall: tally(reviews),
    by_category: categories.map((category) => {
      const held = reviews.filter((r) => r.findings.some((f) => f.category === category));
      const scoreOf = (r: DecidedReview) => Math.max(...r.findings.filter((f) => f.category === category && f.score !== null).map((f) => f.score!));
      const upheldScores = held.filter((r) => r.decision !== 'approved').map(scoreOf).filter(Number.isFinite);
      const suggestion = upheldScores.length > 0 ? Math.floor(Math.min(...upheldScores) * 1000) / 1000 : null;
      const spared = suggestion === null ? 0 : held.filter((r) => r.decision === 'approved' && scoreOf(r) < suggestion).length;
      return { category, ...tally(held), suggested_semantic_threshold: suggestion, overturned_below_suggestion: spared };
    }),
    by_confidence_band: CONFIDENCE_BANDS.map(([band, low, high]) => ({ band, ...tally(reviews.filter((r) => r.confidence >= low && r.confidence < high)) })),
    auto_execute_threshold: thresholdFor(reviews.filter((r) => r.hitl_category === 'low_confidence'), currentThreshold),
  };
}

function tally(reviews: readonly DecidedReview[]): Tally {
  const count = (d: DecidedReview['decision']) => reviews.filter((r) => r.decision === d).length;
  const approved = count('approved');
  return {
    decided: reviews.length,
    approved,
    rejected: count('rejected'),
    edited: count('edited'),
    overturned: approved,
    overturn_rate: reviews.length === 0 ? null : Math.round((approved / reviews.length) * 1000) / 1000,
  };
}

// The smallest threshold t such that every result with confidence above t was approved as it was.
function thresholdFor(reviews: readonly DecidedReview[], current: number): Calibration['auto_execute_threshold'] {
  if (reviews.length === 0) return { current, suggested: null, reviews_spared: 0, low_confidence_decided: 0 };
  const upheld = reviews.filter((r) => r.decision !== 'approved').map((r) => r.confidence);
  const suggested = upheld.length === 0 ? Math.min(...reviews.map((r) => r.confidence)) - 0.001 : Math.max(...upheld);
  const rounded = Math.round(Math.min(current, Math.max(0, suggested)) * 1000) / 1000;
  return { current, suggested: rounded, reviews_spared: reviews.filter((r) => r.confidence > rounded).length, low_confidence_decided: reviews.length };
}
