import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultContentPolicy } from './contentPolicy.ts';
import { detectLexical, type LexicalOptions } from './lexicalDetector.ts';
import { defaultLexicalRules, type LexicalRule } from './lexicalRules.ts';
import {
  POLICY_CATEGORIES,
  defaultCategoryRules,
  policyFindingSchema,
  type HarmCategory,
  type PolicyCategory,
  type PolicyFinding,
} from './policyTaxonomy.ts';

const options: LexicalOptions = { categories: defaultCategoryRules, sensitiveTopics: defaultContentPolicy.sensitiveTopics };

const detect = (text: string, overrides: Partial<LexicalOptions> = {}): PolicyFinding[] =>
  detectLexical(text, 'content', { ...options, ...overrides });

const categoriesOf = (text: string, overrides: Partial<LexicalOptions> = {}): PolicyCategory[] =>
  detect(text, overrides).map((f) => f.category);

const findingOf = (text: string, category: PolicyCategory): PolicyFinding => {
  const finding = detect(text).find((f) => f.category === category);
  assert.ok(finding, `${category} in ${JSON.stringify(text)}: ${JSON.stringify(detect(text))}`);
  return finding;
};

const withCategory = (category: PolicyCategory, change: Partial<(typeof defaultCategoryRules)[PolicyCategory]>) => ({
  ...defaultCategoryRules,
  [category]: { ...defaultCategoryRules[category], ...change },
});

// Posts each category must catch, as written and as someone dodging a word filter would write them.
const harmful: Record<HarmCategory, { plain: string[]; obfuscated: string[] }> = {
  hate: {
    plain: ['Immigrants are vermin, all of them', 'we should exterminate all muslims', 'Go back to your country', 'the holocaust never happened'],
    obfuscated: ['mu$lims are parasites', 'g4s all the j3ws', 'ＷＯＭＥＮ ＡＲＥ ＩＮＦＥＲＩＯＲ', 'h e i l  h i t l e r'],
  },
  violence: {
    plain: ["let's go smash their windows tonight", 'everyone bring a crowbar to the rally', 'burn down the precinct', 'someone should shoot up the school'],
    obfuscated: ["let's b.u.r.n down the mosque", 'bring a cr0wbar', 'we should t0rch the p0lice station', 'k i l l  t h e m  a l l'],
  },
  harassment: {
    plain: ['we know where you live', 'everyone go report her account', "let's make her life hell", 'watch your back'],
    obfuscated: ['w3 kn0w wh3r3 y0u l1v3', 'everyone go r-e-p-o-r-t her', 'w a t c h  y o u r  b a c k', 'watch ur baaaack'],
  },
  self_harm: {
    plain: ['kys', 'nobody would miss you', 'you should just end it', 'just stop eating lol'],
    obfuscated: ['k.y.s', 'k\u200Bys', 'kiiiill yourself', 'killll yourself', 'k*ll yourself', '#kys', 'ｋｉｌｌ ｙｏｕｒｓｅｌｆ', 'nо one would miss уou'],
  },
  sexual: {
    plain: ['send nudes', 'dm me for spicy pics 😈', 'selling my nudes, link in bio'],
    obfuscated: ['s3nd n00ds', 'dm me 4 nudes', 'ＳＥＮＤ ＮＵＤＥＳ', 'n.u.d.e pics'],
  },
  sexual_minors: {
    plain: ['teen nudes for sale', 'my 15yo cousin is so sexy', 'underage porn links'],
    obfuscated: ['t33n s3xy pics', 'ᴜɴᴅᴇʀᴀɢᴇ ɴᴜᴅᴇs', '14 y/o looking sexy 🔥', 'j@ilbait'],
  },
  scam: {
    plain: ['send 1 ETH get 2 back', 'double your BTC in 24 hours', 'guaranteed 10x returns', 'DM us your seed phrase to verify', "I'm doubling any Bitcoin sent to bc1q8m4x2vz7ltp9wkd today", 'all ETH sent to this wallet is returned 2x'],
    obfuscated: ['Ｓｅｎｄ 0.5 ＢＴＣ, receive 1 ＢＴＣ back', 'r1sk-fr33 pr0fit', 'd0uble your bitc0in', 'send ur s e e d phrase'],
  },
  privacy: {
    plain: ['her number is 212-555-0147', 'she lives at 42 Oak Lane Apt 3, go visit her', 'his SSN is 123-45-6789', "Jane's passport number is X1234567"],
    obfuscated: ['her number is ２１２-５５５-０１４７', 'text him at 212-555-\u200B0147', 'h e r number: (212) 555 0147'],
  },
  impersonation: {
    plain: [
      'Official announcement from the government: all accounts frozen',
      'This is Chase customer support, DM us your password',
      'your account will be suspended, verify your login here',
      "I'm a senior agent on the Brightbank fraud team. Reply with your card number and CVV so we can secure it.",
      'As the billing manager at Lumora I need you to confirm your one time code in DMs.',
    ],
    obfuscated: ['Official announcement from the G0VERNMENT', 'This is ᴄʜᴀsᴇ customer support, DM us your p@ssw0rd', 'dm us ur passw0rd'],
  },
  dangerous: {
    plain: ['selling glocks and ammo, dm me', 'xanax available no prescription', 'how to make a pipe bomb'],
    obfuscated: ['how to make a 💣', 'dm for 💊', 'selling 🔫s cheap', 'h0w t0 c00k m3th'],
  },
  health_misinformation: {
    plain: ['this tea cures cancer', 'stop taking your insulin', 'vaccines cause autism'],
    obfuscated: ['v4ccines c4use 4utism', 'this tea cur3s canc3r', 'st0p taking ur m3ds', 'ᴘʟᴀɴᴅᴇᴍɪᴄ'],
  },
  civic_misinformation: {
    plain: ['vote by text this year', 'you can vote online in the presidential election', 'the election is on Wednesday', 'polls are closed for democrats'],
    obfuscated: ['v0te by t3xt', 'the 3lection is on W3dnesday', 'p o l l s are closed for republicans', 'ｙｏｕ ｃａｎ ｖｏｔｅ ｏｎｌｉｎｅ for the election'],
  },
};

// What an influencer's posts actually say; none of it may be flagged by any category or topic.
const lookAlikes = [
  'this drop is killer',
  'we shot the lookbook in Lisbon',
  'dying laughing at this 💀💀',
  'Election Day sale: 30% off everything!',
  'I’d kill for these boots',
  'our colorway is a bomb 💣',
  'shooting our campaign tomorrow',
  'drop-dead gorgeous in satin',
  'FIRE SALE this weekend only 🔥',
  'double points weekend for members',
  'guaranteed to turn heads',
  'GIVEAWAY 🎁 win our new palette! Follow + tag 2 friends. No purchase necessary. Winner announced Friday.',
  'doctor-formulated and fragrance free',
  'this serum is a miracle for dry skin',
  'that headshot was insane, gg',
  'knife skills 101: how to dice an onion',
  'Vote for your fave look in the comments!',
  'Vote for the next colorway in our stories',
  'cancer season is here ♋ treat yourself',
  "let's kill it today, team!",
  "let's go smash our goals this week",
  'everyone flood her comments with love ❤️',
  'how to make a bath bomb at home',
  "don't kill yourself over it, rest matters",
  'cut yourself some slack',
  'Never share your seed phrase with anyone',
  'Our support team will never ask for your password',
  'Our support team will never ask you to send your password.',
  'As a support team we love hearing from you, share your discount code with friends!',
  'This is Acme support: please DM your order number and login email so we can find it.',
  'Call our store at (212) 555-0147 to book a fitting',
  'Customer service: 1-800-555-0199',
  'Questions? 1 (888) 555-0123, we answer 24/7',
  'Visit our flagship at 123 Main St — open daily',
  'u r a queen 👑',
  'Sizes S M L available',
  'Our nude lipstick shades are back',
  'Sex ed for teens: a guide for parents',
  'Just stop eating junk food after 9pm',
  'you should end it with him, he doesn’t deserve you',
  'Shoot him a DM for collabs',
  'our weed killer is pet safe, now for sale',
  'Guaranteed returns within 30 days, no questions asked',
  'Grab a hot glue gun and let’s craft',
  "we're coming to your city, Paris!",
  'Watch your back posture when lifting',
  'text VOTE to 55555 for your favorite contestant',
  'Gonna go die at the gym now lol',
  '10x more hydration, 2x the glow',
];

describe('detectLexical: harm categories', () => {
  for (const [category, { plain, obfuscated }] of Object.entries(harmful) as Array<[HarmCategory, { plain: string[]; obfuscated: string[] }]>) {
    it(`given ${category} written plainly, finds it`, () => {
      for (const text of plain) findingOf(text, category);
    });
    it(`given ${category} disguised (leetspeak, spacing, look-alikes, emoji), finds it`, () => {
      for (const text of obfuscated) findingOf(text, category);
    });
  }
});

describe('detectLexical: look-alikes', () => {
  it('given benign posts that borrow harmful words, finds nothing at all', () => {
    for (const text of lookAlikes) assert.deepEqual(detect(text), [], text);
  });

  it('given a phone number in a business or toll-free context, finds no privacy harm', () => {
    for (const text of ['Text us at 646-555-0199 for styling tips', 'Book your appointment: (415) 555-0123', 'Call 1-877-555-0100 anytime']) {
      assert.ok(!categoriesOf(text).includes('privacy'), text);
    }
  });

  it('given an address with no personal context, or a store address, finds no privacy harm', () => {
    for (const text of ['Meet me at 500 Fifth Ave for the shoot', 'Our new home: 12 Elm St, our studio opens Monday', 'open house at 12 Elm St this Sunday']) {
      assert.ok(!categoriesOf(text).includes('privacy'), text);
    }
  });

  it('given a warning or a debunking that quotes the claim, finds no misinformation', () => {
    assert.ok(!categoriesOf('The myth that vaccines cause autism has been debunked').includes('health_misinformation'));
    assert.ok(!categoriesOf("Beware: scammers say you can vote by text. You can't.").includes('civic_misinformation'));
    assert.ok(!categoriesOf('Scam alert: nobody will double your BTC').includes('scam'));
    assert.ok(!categoriesOf('ask your doctor before you stop taking your meds').includes('health_misinformation'));
  });

  it('given age-gated adult content, finds sexual content but not minors', () => {
    assert.deepEqual(categoriesOf('18+ only, nsfw content, minors dni'), ['sexual']);
  });
});

describe('detectLexical: findings', () => {
  it('given a match, reports the lexical detector, the source, no score, and a valid finding', () => {
    const [finding] = detectLexical('kys', 'goal', options);
    assert.ok(finding);
    assert.deepEqual(policyFindingSchema.parse(finding), finding);
    assert.equal(finding.detector, 'lexical');
    assert.equal(finding.source, 'goal');
    assert.equal(finding.score, null);
    assert.equal(finding.reason, "the phrase 'kys' (encouraging self-harm)");
  });

  it('given a phone number with personal context, names the context in the reason', () => {
    assert.equal(findingOf('her number is 212-555-0147 lol', 'privacy').reason, "a phone number next to 'her number'");
  });

  it('given a co-occurrence rule, quotes the minor and the sexual wording together', () => {
    assert.equal(findingOf('my 15yo cousin is so sexy', 'sexual_minors').evidence, '15yo cousin is so sexy');
  });

  it('gives one finding per category, in taxonomy order', () => {
    const text = 'Who is the president? kys. nobody would miss you. Send 1 ETH get 2 back, guaranteed 10x. vaccines cause autism';
    const found = categoriesOf(text);
    assert.deepEqual(found, ['self_harm', 'scam', 'health_misinformation', 'politics', 'health']);
    assert.deepEqual(found, POLICY_CATEGORIES.filter((c) => found.includes(c)));
    assert.equal(findingOf(text, 'self_harm').evidence, 'kys');
  });

  it('given severities in options.categories, reports those', () => {
    const categories = { ...withCategory('self_harm', { severity: 'high' }), politics: { ...defaultCategoryRules.politics, severity: 'high' as const } };
    const findings = detect('kys, who won the election?', { categories });
    assert.deepEqual(
      findings.map((f) => [f.category, f.severity]),
      [['self_harm', 'high'], ['politics', 'high']],
    );
    assert.equal(findingOf('teen nudes', 'sexual_minors').severity, 'critical');
    assert.equal(findingOf('send nudes', 'sexual').severity, 'high');
  });

  it('given a disabled category, finds nothing of it', () => {
    assert.deepEqual(detect('kys', { categories: withCategory('self_harm', { enabled: false }) }), []);
    assert.deepEqual(detect('the presidential election', { categories: withCategory('politics', { enabled: false }) }), []);
  });

  it('given a rule in options.rules, uses it instead of the default for that category only', () => {
    const rule: LexicalRule = { about: 'a banned rival', phrases: ['rivalbrand'], patterns: [], except: ['rivalbrand museum'] };
    assert.deepEqual(categoriesOf('RivalBrand is cheap, kys', { rules: { hate: rule } }), ['hate', 'self_harm']);
    assert.deepEqual(categoriesOf('the RivalBrand museum', { rules: { hate: rule } }), []);
    assert.equal(detect('immigrants are vermin', { rules: { hate: rule } }).length, 0);
    assert.ok(defaultLexicalRules.hate.phrases.length > 0);
  });
});

describe('detectLexical: spans in the original text', () => {
  const cases: Array<[string, PolicyCategory, string]> = [
    ['\u200B\u200B👋🏽 ＨＥＹ — ki\u200Bll yours3lf', 'self_harm', 'ki\u200Bll yours3lf'],
    ['ＣＡＬＬ ＨＥＲ 😘 her number is ２１２-５５５-０１４７!', 'privacy', '２１２-５５５-０１４７'],
    ['ok 🙃 how to make a 💣 fr', 'dangerous', 'how to make a 💣'],
    ['lol\u2060 K.Y.S', 'self_harm', 'K.Y.S'],
    ['🔥🔥 kiiiill yourselffff', 'self_harm', 'kiiiill yourselffff'],
    ['ｗｈｏ won? k\u0069\u0301ll yourself', 'self_harm', 'k\u0069\u0301ll yourself'],
    ['💅 Straße: 𝐬𝐞𝐧𝐝 𝐧𝐮𝐝𝐞𝐬', 'sexual', '𝐬𝐞𝐧𝐝 𝐧𝐮𝐝𝐞𝐬'],
    ['📍 she lives at 42 Oak Lane Apt 3', 'privacy', '42 Oak Lane Apt 3'],
  ];
  for (const [text, category, quote] of cases) {
    it(`given ${JSON.stringify(text)}, quotes ${JSON.stringify(quote)} at its offsets`, () => {
      const finding = findingOf(text, category);
      assert.equal(finding.evidence, quote);
      assert.deepEqual(finding.span, { start: text.indexOf(quote), end: text.indexOf(quote) + quote.length });
    });
  }
});

describe('detectLexical: sensitive topics', () => {
  it('given an election question, finds politics; given an Election Day sale, does not', () => {
    const finding = findingOf('Who are you voting for in the presidential election?', 'politics');
    assert.equal(finding.severity, 'sensitive');
    assert.equal(finding.evidence, 'presidential');
    assert.equal(finding.reason, "the politics phrase 'president*'");
    assert.deepEqual(detect('Election Day sale'), []);
    assert.deepEqual(detect('Our Election Day deals start now'), []);
  });

  it('given the look-alike inside a post that also names the topic, still finds the topic', () => {
    assert.equal(findingOf('Election Day sale! Also: who won the election?', 'politics').evidence, 'election');
  });

  it('given sensitiveExcept, uses it instead of the default list', () => {
    assert.deepEqual(categoriesOf('Election Day sale', { sensitiveExcept: [] }), ['politics']);
    assert.deepEqual(categoriesOf('ballot design contest', { sensitiveExcept: ['ballot design*'] }), []);
  });

  it('given topics that are not taxonomy topics, or have no phrases, reports none of them', () => {
    const sensitiveTopics = { sneakers: ['sneaker*'], politics: [] };
    assert.deepEqual(detect('new sneakers for the election', { sensitiveTopics }), []);
  });

  it('given a topic phrase list of the policy, matches with the phrase syntax', () => {
    const sensitiveTopics = { finance: ['crypto*'], religion: ['church*'] };
    assert.deepEqual(categoriesOf('#CryptoTwitter meets at the church', { sensitiveTopics }), ['religion', 'finance']);
  });
});
