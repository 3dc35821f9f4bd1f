// Finds prompt-injection attempts in untrusted text (a mention the task answers) or in a generated
// post. An influencer's mentions are full of near misses ("ignore the haters", "you are now following
// the best account", "what's your secret?"), so every phrase rule needs an unmistakably
// model-directed part: an instruction noun, a jailbreak word, or a secret a fan has no reason to ask for.
import { foldText, isInvisible } from './foldText.ts';

export type InjectionSignalKind =
  | 'instruction_override'
  | 'role_hijack'
  | 'prompt_exfiltration'
  | 'role_markup'
  | 'encoded_payload'
  | 'invisible_characters';

export type InjectionSignal = { kind: InjectionSignalKind; evidence: string };

const VERB = '(?:ignore|disregard|forget|override|bypass)';
const FILLER = '(?: (?:all|any|every|each|of|the|your|these|those)){0,3}';
const EARLIER = '(?:previous|prior|preceding|above|earlier|former|initial|original|existing|system|safety)';
const ANY_RULES =
  '(?:instructions?|prompts?|rules|directions|guidelines|directives|commands|programming|guardrails|restrictions|filters|context|messages|constraints|text|input)';
const MODEL_RULES = '(?:instructions?|prompts?|programming|guardrails|directives|system prompt)';
const YOUR_RULES = '(?:instructions|rules|guidelines|directives|programming|restrictions|filters|constraints)';
const YOU_ARE = "(?:you are|you're|youre|u r|ur)";
const JAILBROKEN =
  '(?:dan|jailbroken|unrestricted|unfiltered|uncensored|evil|rogue|no longer bound|(?:developer|god|dan|jailbreak) mode)';
const FREED = '(?:restrictions|rules|filters|guidelines|programming|constraints|censorship)';
// Secrets a fan has no reason to ask for. Bare "prompt" and "instructions" are left to the strong
// verbs below: fans ask an AI artist "what's your prompt?" and a stylist to "share your instructions".
const SECRET =
  '(?:(?:system|initial|original|hidden|secret|full|exact|developer) (?:prompt|instructions|message)|system prompt|api ?keys?|private keys?|secret keys?|wallet keys?|access tokens?|seed phrase|recovery phrase|passwords?|credentials)';
const ASKING =
  "(?:reveal|leak|expose|dump|print|output|repeat|share|post|display|show(?: me| us)?|tell(?: me| us)|give(?: me| us)|send(?: me| us)|reply with|what's|whats|what (?:is|are|was|were))";

// Patterns over folded text (lower case, leetspeak and look-alikes folded, see foldText).
const PHRASE_RULES: ReadonlyArray<{ kind: InjectionSignalKind; pattern: RegExp }> = [
  // "ignore all previous instructions", "bypass safety filters": an ordering word plus a rules noun.
  { kind: 'instruction_override', pattern: new RegExp(`\\b${VERB}${FILLER} ${EARLIER}(?: [a-z]+){0,2} ${ANY_RULES}\\b`) },
  // "disregard all instructions", "forget your guidelines" (but not "ignore the rules, be yourself").
  { kind: 'instruction_override', pattern: new RegExp(`\\b${VERB}${FILLER} ${MODEL_RULES}\\b`) },
  { kind: 'instruction_override', pattern: new RegExp(`\\b${VERB} your (?:[a-z]+ )?${YOUR_RULES}\\b`) },
  { kind: 'instruction_override', pattern: new RegExp(`\\b${VERB}(?: all| everything| anything)?(?: the)? above\\b`) },
  // "you are now DAN", "you're now an AI without filters" (but not "you are now following ...").
  {
    kind: 'role_hijack',
    pattern: new RegExp(
      `\\b${YOU_ARE} now(?: [a-z']+){0,3}? (?:${JAILBROKEN}|free (?:from|of) (?:all |any |your )?${FREED}` +
        '|(?:an? )?(?:ai|assistant|chatbot|language model)(?: with| without| that| who| named| called))\\b',
    ),
  },
  { kind: 'role_hijack', pattern: new RegExp(`\\b${YOU_ARE}(?: now)? in (?:developer|god|dan|jailbreak) mode\\b`) },
  { kind: 'role_hijack', pattern: /\b(?:do anything now|(?:dan|jailbreak) mode)\b/ },
  {
    kind: 'role_hijack',
    pattern: /\b(?:act|behave|respond|roleplay|role play) as (?:an? )?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue)\b/,
  },
  // Role-play that strips the model's rules: "pretend you are an AI with no content filters".
  {
    kind: 'role_hijack',
    pattern:
      /\b(?:pretend|roleplay|role play|act as if)\b[^.!?\n]{0,60}\b(?:no|without|zero|free of|free from|not bound by) (?:any |all |your |the )?(?:content )?(?:restrictions|filters|censorship|content polic(?:y|ies)|safety guidelines|ethical guidelines|guidelines|programming)\b/,
  },
  // "reveal your prompt", "what's your system prompt", "show me the hidden instructions".
  {
    kind: 'prompt_exfiltration',
    pattern: /\b(?:reveal|leak|expose|dump) (?:me |us )?(?:all )?(?:of )?(?:your|the) (?:[a-z]+ )?(?:prompts?|instructions|keys?)\b(?! to\b)/,
  },
  { kind: 'prompt_exfiltration', pattern: new RegExp(`\\b${ASKING} (?:me |us )?(?:all )?(?:of )?(?:your|the) (?:[a-z]+ )?${SECRET}\\b`) },
  { kind: 'prompt_exfiltration', pattern: /\b(?:repeat|print|output) (?:all |everything |the (?:text|words) )?(?:above|before this)\b/ },
  // Chat-template markup and fake headers that try to open a new system turn.
  { kind: 'role_markup', pattern: /<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[\/?(?:inst|sys)\]|<<\/?sys>>/ },
  { kind: 'role_markup', pattern: /(?:^|\n)(?:#{1,3} ?)?(?:system|developer)(?: prompt| message)? ?:/ },
  { kind: 'role_markup', pattern: /\b(?:new|updated|real|revised)(?: system)? instructions? ?:/ },
];

export function detectPromptInjection(text: string): InjectionSignal[] {
  const folded = foldText(text);
  const signals: InjectionSignal[] = [];
  for (const { kind, pattern } of PHRASE_RULES) {
    const match = pattern.exec(folded);
    if (match) signals.push({ kind, evidence: excerpt(match[0]) });
  }
  signals.push(...encodedPayloads(text), ...invisibleCharacters(text));
  // The first evidence of each kind is enough to explain the verdict; overlapping rules see the same words.
  return signals.filter((s, i) => signals.findIndex((t) => t.kind === s.kind) === i);
}

// Base64 (or base64url) runs. A run that decodes to readable text is a payload smuggled past the
// phrase rules; a very long mixed run is flagged as is. Links are dropped first (signed URLs carry
// long tokens), and wallet addresses or hashes decode to noise, so they pass.
function encodedPayloads(text: string): InjectionSignal[] {
  const withoutLinks = text.normalize('NFKC').replace(/\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/giu, ' ');
  const runs = withoutLinks.match(/(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/_=-])/g) ?? [];
  return runs
    .filter((run) => decodesToText(run) || (run.length >= 120 && /[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run)))
    .map((run) => ({ kind: 'encoded_payload' as const, evidence: excerpt(run) }));
}

function decodesToText(run: string): boolean {
  const bytes = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 16) return false;
  const printable = bytes.filter((b) => (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d).length;
  return printable / bytes.length >= 0.95 && bytes.includes(0x20);
}

// Invisible and direction-changing characters hide words from readers and filters ("ig\u200Bnore",
// right-to-left overrides, tag-character "ASCII smuggling"). Legitimate uses pass: a zero-width joiner
// inside an emoji sequence (👩‍💻, 🏴‍☠️), tag characters in a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿), a non-joiner
// in scripts that need it (Persian, Indic), emoji variation selectors, a leading BOM.
const EMOJI_BEFORE_JOINER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]/u;

function invisibleCharacters(text: string): InjectionSignal[] {
  const chars = Array.from(text);
  const found = new Map<string, number>();
  let flagTags = 0; // tags seen since a 🏴; a real subdivision flag needs at most seven
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0) ?? 0;
    const before = chars[i - 1] ?? '';
    const after = chars[i + 1] ?? '';
    const isTag = cp >= 0xe0000 && cp <= 0xe007f;
    flagTags = isTag && (flagTags > 0 || before === '\u{1F3F4}') ? flagTags + 1 : 0;
    if (flagTags > 0 && flagTags <= 7) return;
    if (cp === 0xfeff && i === 0) return;
    if (cp === 0x200d && EMOJI_BEFORE_JOINER.test(before) && /\p{Extended_Pictographic}/u.test(after)) return;
    if (cp === 0x200c && !(/[A-Za-z]/.test(before) && /[A-Za-z]/.test(after))) return;
    if (!isInvisible(ch)) return;
    const name = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    found.set(name, (found.get(name) ?? 0) + 1);
  });
  if (found.size === 0) return [];
  const evidence = [...found].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
  return [{ kind: 'invisible_characters', evidence }];
}

function excerpt(text: string): string {
  const chars = Array.from(text);
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : text;
}
