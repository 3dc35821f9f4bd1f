// The lexical detector: the taxonomy's word rules (lexicalRules.ts) and the policy's sensitive-topic
// phrases, read on folded text (foldText.ts) so evasion reads as the word it imitates, and quoted
// from the text as written. Pure; patterns are compiled once per rules object and phrase list.
import { foldText, foldWithOrigins, originalSpan, phraseMatcher, type FoldedText, type PhraseMatch, type PhraseMatcher } from './foldText.ts';
import {
  DEFAULT_CONTEXT_WINDOW,
  defaultLexicalRules,
  defaultSensitiveExcept,
  type LexicalPattern,
  type LexicalRule,
} from './lexicalRules.ts';
import {
  POLICY_CATEGORIES,
  evidenceOf,
  isHarmCategory,
  type CategoryRule,
  type FindingSource,
  type HarmCategory,
  type PolicyCategory,
  type PolicyFinding,
} from './policyTaxonomy.ts';

export type LexicalOptions = {
  categories: Readonly<Record<PolicyCategory, CategoryRule>>;
  // Topic → phrases (the content policy's sensitiveTopics); only taxonomy topics are reported.
  sensitiveTopics: Readonly<Record<string, readonly string[]>>;
  // Look-alikes of sensitive-topic phrases ("Election Day sale"); defaultSensitiveExcept unless given.
  sensitiveExcept?: readonly string[];
  // Rules replacing the default rule of their category.
  rules?: Partial<Record<HarmCategory, LexicalRule>>;
};

// One finding per enabled category that matched (its first match in the text), in taxonomy order.
export function detectLexical(text: string, source: FindingSource, options: LexicalOptions): PolicyFinding[] {
  const reading = new Reading(text);
  const findings: PolicyFinding[] = [];
  for (const category of POLICY_CATEGORIES) {
    const rule = options.categories[category];
    if (!rule.enabled) continue;
    const match = isHarmCategory(category)
      ? matchRule(reading, compiledRule(options.rules?.[category] ?? defaultLexicalRules[category]))
      : matchTopic(reading, category, options.sensitiveTopics[category], options.sensitiveExcept ?? defaultSensitiveExcept);
    if (match === null) continue;
    findings.push({
      category,
      severity: rule.severity,
      detector: 'lexical',
      source,
      ...evidenceOf(text, match.span.start, match.span.end),
      score: null,
      reason: match.reason,
    });
  }
  return findings;
}

type Span = { start: number; end: number };
type Match = { span: Span; reason: string };
type PhraseHit = Span & { phrase: string };

// A phrase list as one matcher; the spellings with a masked letter ("k*ll") only for texts with a `*`.
type PhraseSet = { phrases: readonly string[]; plain: PhraseMatcher; masked: PhraseMatcher | null };

const PHRASE_SETS = new WeakMap<readonly string[], PhraseSet | 'empty'>();

function phraseSet(phrases: readonly string[] | undefined): PhraseSet | null {
  if (phrases === undefined) return null;
  const cached = PHRASE_SETS.get(phrases);
  if (cached !== undefined) return cached === 'empty' ? null : cached;
  // A phrase that folds to nothing would match everywhere.
  const usable = phrases.filter((phrase) => foldText(phrase).replace(/\*$/, '').trim() !== '');
  const set = usable.length === 0 ? null : { phrases: usable, plain: phraseMatcher(usable, { masked: false }), masked: null };
  PHRASE_SETS.set(phrases, set ?? 'empty');
  return set;
}

function matcherOf(set: PhraseSet, masked: boolean): PhraseMatcher {
  if (!masked) return set.plain;
  set.masked ??= phraseMatcher(set.phrases, { masked: true });
  return set.masked;
}

// One text as the rules read it, with the phrase hits found so far.
class Reading {
  readonly fold: FoldedText;
  private readonly masked: boolean;
  private readonly hits = new Map<PhraseSet, PhraseHit[]>();

  constructor(readonly text: string) {
    this.fold = foldWithOrigins(text);
    this.masked = this.fold.folded.includes('*');
  }

  // Every hit of the set (leftmost, not overlapping), as spans of the original text.
  all(set: PhraseSet | null): PhraseHit[] {
    if (set === null) return [];
    let found = this.hits.get(set);
    if (found === undefined) {
      found = [];
      const matcher = matcherOf(set, this.masked);
      for (let m = matcher.find(this.fold.folded, 0); m !== null; m = matcher.find(this.fold.folded, m.end)) found.push(this.hit(m));
      this.hits.set(set, found);
    }
    return found;
  }

  // The first hit of the set that `accept` takes, trying every start.
  first(set: PhraseSet | null, accept: (span: Span) => boolean): PhraseHit | null {
    if (set === null) return null;
    const matcher = matcherOf(set, this.masked);
    for (let m = matcher.find(this.fold.folded, 0); m !== null; m = matcher.find(this.fold.folded, m.start + 1)) {
      const hit = this.hit(m);
      if (accept(hit)) return hit;
    }
    return null;
  }

  private hit(m: PhraseMatch): PhraseHit {
    return { ...originalSpan(this.fold, m.start, m.end), phrase: m.phrase };
  }
}

type CompiledPattern = { spec: LexicalPattern; regex: RegExp; context: PhraseSet | null; unless: PhraseSet | null; window: number };
type CompiledRule = { rule: LexicalRule; phrases: PhraseSet | null; patterns: CompiledPattern[]; except: PhraseSet | null; unless: PhraseSet | null };

const COMPILED_RULES = new WeakMap<LexicalRule, CompiledRule>();

function compiledRule(rule: LexicalRule): CompiledRule {
  let compiled = COMPILED_RULES.get(rule);
  if (compiled === undefined) {
    compiled = {
      rule,
      phrases: phraseSet(rule.phrases),
      patterns: rule.patterns.map((spec) => ({
        spec,
        regex: new RegExp(spec.pattern.source, spec.pattern.flags.includes('g') ? spec.pattern.flags : `${spec.pattern.flags}g`),
        context: phraseSet(spec.context),
        unless: phraseSet(spec.unlessNear),
        window: spec.window ?? DEFAULT_CONTEXT_WINDOW,
      })),
      except: phraseSet(rule.except),
      unless: phraseSet(rule.unlessNear),
    };
    COMPILED_RULES.set(rule, compiled);
  }
  return compiled;
}

function matchRule(reading: Reading, compiled: CompiledRule): Match | null {
  const { rule } = compiled;
  // A match inside a look-alike is none; nor is one that a warning or debunking nearby quotes.
  const excepted = (span: Span) => reading.all(compiled.except).some((hit) => overlaps(hit, span));
  const cleared = (span: Span) => reading.all(compiled.unless).some((hit) => near(hit, span, DEFAULT_CONTEXT_WINDOW));
  let best: Match | null = null;
  const phrase = reading.first(compiled.phrases, (span) => !excepted(span) && !cleared(span));
  if (phrase) best = { span: phrase, reason: `the phrase '${phrase.phrase}' (${rule.about})` };
  for (const pattern of compiled.patterns) {
    const match = matchPattern(reading, pattern, excepted, cleared, best?.span.start ?? Infinity);
    if (match && (best === null || match.span.start < best.span.start)) best = match;
  }
  return best;
}

// The pattern's first match starting before `before`, with its context when it has one.
function matchPattern(
  reading: Reading,
  pattern: CompiledPattern,
  excepted: (span: Span) => boolean,
  cleared: (span: Span) => boolean,
  before: number,
): Match | null {
  const { spec, regex, window } = pattern;
  const raw = spec.over === 'raw';
  const subject = raw ? reading.text : reading.fold.folded;
  regex.lastIndex = 0;
  for (let m = regex.exec(subject); m !== null; m = regex.exec(subject)) {
    if (m[0].length === 0) {
      regex.lastIndex += 1;
      continue;
    }
    const span = raw ? { start: m.index, end: m.index + m[0].length } : originalSpan(reading.fold, m.index, m.index + m[0].length);
    if (span.start >= before) return null;
    if (excepted(span) || cleared(span)) continue;
    if (reading.all(pattern.unless).some((hit) => near(hit, span, window))) continue;
    const context = closest(
      reading.all(pattern.context).filter((hit) => near(hit, span, window) && !excepted(hit)),
      span,
    );
    if (spec.requiresContext && context === null) continue;
    if (context === null) return { span, reason: spec.label };
    const quote = reading.text.slice(context.start, context.end);
    const quoted = spec.quoteContext ? { start: Math.min(span.start, context.start), end: Math.max(span.end, context.end) } : span;
    return { span: quoted, reason: `${spec.label} next to '${quote}'` };
  }
  return null;
}

function matchTopic(reading: Reading, topic: PolicyCategory, phrases: readonly string[] | undefined, except: readonly string[]): Match | null {
  const exceptSet = phraseSet(except);
  const hit = reading.first(phraseSet(phrases), (span) => !reading.all(exceptSet).some((e) => overlaps(e, span)));
  return hit === null ? null : { span: hit, reason: `the ${topic} phrase '${hit.phrase}'` };
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

// Context is beside the match, not part of it ("you can't" inside "you can't vote if …" clears nothing).
function near(hit: Span, span: Span, window: number): boolean {
  return !overlaps(hit, span) && gap(hit, span) <= window;
}

function gap(a: Span, b: Span): number {
  return Math.max(a.start, b.start) - Math.min(a.end, b.end);
}

function closest<T extends Span>(hits: readonly T[], span: Span): T | null {
  let best: T | null = null;
  for (const hit of hits) if (best === null || gap(hit, span) < gap(best, span)) best = hit;
  return best;
}
