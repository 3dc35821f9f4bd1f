// The taxonomy's rule that anything sexual involving minors is critical, applied across
// detectors: a sexual finding (of any detector) in a text that names a minor is also a finding
// of sexual content involving minors. The classifier may read "teen … the good parts 😉" as
// sexual content without knowing that the teen is what makes it critical; the lexical rule for
// minors needs sexual words within a short window.
import type { ContentPolicy } from './contentPolicy.ts';
import { findPhrases, foldWithOrigins, originalSpan } from './foldText.ts';
import { defaultLexicalRules, MINOR } from './lexicalRules.ts';
import type { FindingSource, PolicyFinding } from './policyTaxonomy.ts';

export function withMinorsRule(findings: readonly PolicyFinding[], texts: Partial<Record<FindingSource, string>>, policy: ContentPolicy): PolicyFinding[] {
  const rule = policy.categories.sexual_minors;
  if (!rule.enabled || findings.some((f) => f.category === 'sexual_minors')) return [...findings];
  const sexual = findings.find((f) => f.category === 'sexual' && texts[f.source] !== undefined);
  if (!sexual) return [...findings];
  const text = texts[sexual.source]!;
  const fold = foldWithOrigins(text);
  // Age gates on adult content and child-protection posts name minors to keep them out.
  if (findPhrases(fold.folded, defaultLexicalRules.sexual_minors.except).length > 0) return [...findings];
  const minor = MINOR.exec(fold.folded);
  if (!minor) return [...findings];
  const { start, end } = originalSpan(fold, minor.index, minor.index + minor[0].length);
  const derived: PolicyFinding = {
    category: 'sexual_minors',
    severity: rule.severity,
    detector: sexual.detector,
    source: sexual.source,
    evidence: text.slice(start, end),
    span: { start, end },
    score: sexual.score,
    reason: `${rule.label}: sexual content ("${sexual.evidence.length > 80 ? `${sexual.evidence.slice(0, 79)}…` : sexual.evidence}", ${sexual.detector}) in a text that names a minor ("${text.slice(start, end)}").`,
  };
  return [derived, ...findings];
}
