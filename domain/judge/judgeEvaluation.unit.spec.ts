import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultContentPolicy } from './contentPolicy.ts';
import { calibrate, type DecidedReview } from './judgeCalibration.ts';
import { evaluate, expectedRoute, meetsBar, type EvalCase, type EvalOutcome } from './judgeEvaluation.ts';
import type { JudgeVerdict } from './judgeVerdict.ts';
import type { PolicyCategory } from './policyTaxonomy.ts';

const item = (id: string, labels: PolicyCategory[], confidence = 0.95): EvalCase => ({
  id,
  labels,
  platform: 'twitter',
  artifact: 'text',
  text: id,
  confidence,
  risk_tags: [],
  goal: null,
  kind: 'plain',
  note: '',
});

const verdict = (action: JudgeVerdict['routing_decision']['action'], hitl: JudgeVerdict['hitl_category'], found: PolicyCategory[], tier: 'high' | 'medium' | 'low' = 'high'): JudgeVerdict => ({
  validation_result: {
    quality_score: 1,
    policy_compliant: true,
    sensitive_topics_detected: found,
    violations: [],
    findings: found.map((category) => ({ category, severity: 'critical', detector: 'semantic', source: 'content', evidence: '', span: null, score: 0.9, reason: 'x' })),
    detectors: [],
  },
  routing_decision: { action, reason: 'r', confidence_tier: tier },
  hitl_category: hitl,
});

const outcome = (c: EvalCase, v: JudgeVerdict, durationMs = 5): EvalOutcome => ({ case: c, verdict: v, durationMs });

describe('evaluate', () => {
  it('routes labels by their most severe category, and benign items by their confidence tier', () => {
    assert.equal(expectedRoute(item('a', ['politics', 'violence']), defaultContentPolicy), 'blocked');
    assert.equal(expectedRoute(item('b', ['health_misinformation']), defaultContentPolicy), 'sensitive');
    assert.equal(expectedRoute(item('c', ['religion']), defaultContentPolicy), 'sensitive');
    assert.equal(expectedRoute(item('d', [], 0.95), defaultContentPolicy), 'auto_execute');
    assert.equal(expectedRoute(item('e', [], 0.9), defaultContentPolicy), 'low_confidence');
    assert.equal(expectedRoute(item('f', [], 0.5), defaultContentPolicy), 'retry');
  });

  const outcomes = [
    outcome(item('hate-1', ['hate']), verdict('hitl_queue', 'blocked', ['hate'])),
    outcome(item('hate-2', ['hate']), verdict('auto_execute', null, [])), // missed and published
    outcome(item('pol-1', ['politics']), verdict('hitl_queue', 'sensitive', ['politics', 'hate'])),
    outcome(item('ok-1', []), verdict('auto_execute', null, [])),
    outcome(item('ok-2', []), verdict('hitl_queue', 'blocked', ['violence'])), // a false alarm
    outcome(item('ok-3', [], 0.8), verdict('hitl_queue', 'low_confidence', [], 'medium')),
    outcome(item('ok-4', [], 0.5), verdict('retry', null, [], 'high'), 40), // the wrong tier
  ];
  const report = evaluate(outcomes, defaultContentPolicy);

  it('counts unsafe auto-executions, benign escalations and tier errors by item', () => {
    assert.deepEqual([report.cases, report.labelled, report.benign], [7, 3, 4]);
    assert.deepEqual(report.unsafe_items, ['hate-2']);
    assert.deepEqual(report.benign_escalated_items, ['ok-2']);
    assert.equal(report.benign_escalation_rate, 0.25);
    assert.deepEqual(report.tier_errors, ['ok-4']);
  });

  it('scores each category by precision and recall over the findings', () => {
    const hate = report.by_category.find((c) => c.category === 'hate')!;
    assert.deepEqual([hate.tp, hate.fp, hate.fn, hate.precision, hate.recall], [1, 1, 1, 0.5, 0.5]);
    const violence = report.by_category.find((c) => c.category === 'violence')!;
    assert.deepEqual([violence.support, violence.precision, violence.recall], [0, 0, null]);
  });

  it('fills the routing confusion matrix, expected by taken', () => {
    assert.equal(report.confusion.blocked.blocked, 1);
    assert.equal(report.confusion.blocked.auto_execute, 1);
    assert.equal(report.confusion.auto_execute.blocked, 1);
    assert.equal(report.confusion.low_confidence.low_confidence, 1);
    assert.equal(report.route_accuracy, Math.round((5 / 7) * 1000) / 1000);
    assert.deepEqual(report.latency_ms, { p50: 5, p99: 40, max: 40 });
  });

  it('holds the bar: every shortfall is named', () => {
    const bar = meetsBar(report);
    assert.equal(bar.ok, false);
    assert.deepEqual(bar.failures, ['1 unsafe auto-executions (hate-2)', 'hate recall 0.5 < 0.95', 'benign escalation 0.25 > 0.10', '1 tier errors']);
    assert.deepEqual(meetsBar(evaluate(outcomes.slice(0, 1), defaultContentPolicy)), { ok: true, failures: [] });
  });
});

describe('calibrate', () => {
  const decided = (review_id: string, decision: DecidedReview['decision'], confidence: number, findings: DecidedReview['findings'], hitl_category: string | null = 'sensitive'): DecidedReview => ({
    review_id,
    decision,
    confidence,
    findings,
    hitl_category,
  });
  const reviews = [
    decided('1', 'approved', 0.95, [{ category: 'violence', score: 0.42 }], 'blocked'),
    decided('2', 'rejected', 0.95, [{ category: 'violence', score: 0.81 }], 'blocked'),
    decided('3', 'edited', 0.9, [{ category: 'violence', score: 0.66 }], 'blocked'),
    decided('4', 'approved', 0.85, [], 'low_confidence'),
    decided('5', 'approved', 0.88, [], 'low_confidence'),
    decided('6', 'rejected', 0.74, [], 'low_confidence'),
  ];
  const calibration = calibrate(reviews, 0.9);

  it('counts an approval as the Judge overturned, a rejection or edit as upheld', () => {
    assert.deepEqual(calibration.overall, { decided: 6, approved: 3, rejected: 2, edited: 1, overturned: 3, overturn_rate: 0.5 });
    const violence = calibration.by_category.find((c) => c.category === 'violence')!;
    assert.deepEqual([violence.decided, violence.overturned, violence.overturn_rate], [3, 1, 0.333]);
  });

  it('suggests the classifier threshold that keeps every upheld finding', () => {
    const violence = calibration.by_category.find((c) => c.category === 'violence')!;
    assert.equal(violence.suggested_semantic_threshold, 0.66);
    assert.equal(violence.overturned_below_suggestion, 1);
  });

  it('suggests the auto-publish threshold above which moderators approved everything', () => {
    assert.deepEqual(calibration.auto_execute_threshold, { current: 0.9, suggested: 0.74, reviews_spared: 2, low_confidence_decided: 3 });
  });

  it('reports per confidence band', () => {
    const bands = Object.fromEntries(calibration.by_confidence_band.map((b) => [b.band, b.decided]));
    assert.deepEqual(bands, { '0.00–0.70': 0, '0.70–0.80': 1, '0.80–0.90': 2, '0.90–1.00': 3 });
  });
});
