// The lexical detector's word rules, one per harm category, as data (read by lexicalDetector.ts).
// A post that reaches the Judge is an influencer's: fashion drops that are "killer", shoots, "bomb"
// colorways, Election Day sales, giveaways, skincare "miracles". So every rule leans towards
// specific wording (a verb with a target, a claim with its object, a number with its context),
// and leaves loose words to the semantic and LLM detectors. Phrases use the policy phrase syntax
// (foldText.ts: whole words, trailing `*`, matched on folded text); patterns run on folded text
// (lower case, single spaces, apostrophes as ', leetspeak and look-alikes folded) unless they say
// `over: 'raw'`, where case and digits are as written.
import type { HarmCategory } from './policyTaxonomy.ts';

export type LexicalPattern = {
  // Named in the finding's reason: "a phone number", "a call to destroy a place".
  label: string;
  pattern: RegExp;
  over?: 'folded' | 'raw';
  // Context phrases looked for within `window` characters of the match: one found is named in the
  // reason ("a phone number next to 'her number'"); with `requiresContext`, the match needs one.
  context?: readonly string[];
  requiresContext?: boolean;
  // A co-occurrence rule quotes the match and its context together.
  quoteContext?: boolean;
  // Any of these within `window` characters clears the match (a store's number, a home service).
  unlessNear?: readonly string[];
  window?: number;
};

export type LexicalRule = {
  // What the rule's phrases show, for the reason: "the phrase 'kys' (encouraging self-harm)".
  about: string;
  phrases: readonly string[];
  patterns: readonly LexicalPattern[];
  // Benign phrases around a look-alike ("watch your back posture"): a match overlapping one is none.
  except: readonly string[];
  // Any of these within DEFAULT_CONTEXT_WINDOW of a match clears it (warnings and debunkings quote the harm).
  unlessNear?: readonly string[];
};

export const DEFAULT_CONTEXT_WINDOW = 60;

// One pattern of several alternatives, each written as a literal of its own.
const anyOf = (...alternatives: RegExp[]): RegExp => new RegExp(alternatives.map((a) => a.source).join('|'));
const words = (...list: string[]): string => `(?:${list.join('|')})`;

// ---------------------------------------------------------------------------------------------
// Shared vocabulary (regular-expression fragments over folded text).

// Protected groups, as a post would name them.
const GROUP = words(
  'jews', 'jewish people', 'muslims', 'christians', 'catholics', 'hindus', 'sikhs', 'buddhists', 'atheists', 'blacks',
  'black people', 'whites', 'white people', 'asians', 'asian people', 'chinese people', 'indians', 'mexicans', 'latinos', 'latinas',
  'hispanics', 'arabs', 'africans', 'immigrants', 'migrants', 'refugees', 'foreigners', 'gays', 'gay people', 'lesbians',
  'homosexuals', 'queers', 'trans people', 'transgender people', 'trans women', 'trans men', 'women', 'females', 'disabled people',
  'the disabled', 'autistic people', 'gypsies', 'roma',
);

// Who is spoken to when a crowd is stirred up. "I'm gonna kill him" is left out: mostly hyperbole.
const RALLY = `${words(
  "let's", 'lets', 'we (?:should|need to|must|gotta|have to|are going to|are gonna|will)', "we're (?:going to|gonna)", 'everyone',
  'everybody', "y'all", 'yall', 'somebody (?:should|needs to)', 'someone (?:should|needs to)', 'time to', 'go',
)}(?: (?:go|all|just|fucking|and|out|tonight|now|finally))*`;

const PLACE = words(
  'school', 'schools', 'mall', 'church', 'mosque', 'synagogue', 'temple', 'office', 'offices', 'building', 'station', 'embassy',
  'capitol', 'courthouse', 'city hall', 'precinct', 'police station', 'store', 'stores', 'shop', 'shops', 'restaurant', 'clinic',
  'headquarters', 'hq', 'house', 'houses', 'home', 'homes', 'windows', 'cars', 'car', 'campus', 'parade', 'rally', 'protest',
  'concert', 'stadium', 'factory', 'warehouse', 'bank', 'banks', 'neighborhood', 'block', 'village', 'town', 'crowd', 'storefronts',
);
const PERSON = words(
  'cops', 'police', 'officers', 'pigs', 'protesters', 'protestors', 'judge', 'judges', 'mayor', 'senator', 'governor', 'president',
  'politicians', 'ceo', 'landlord', 'landlords', 'journalists', 'reporters', 'jews', 'muslims', 'immigrants', 'guy', 'girl', 'dude',
  'bitch', 'man', 'woman', 'kid', 'family', 'traitors', 'libs', 'liberals', 'conservatives', 'republicans', 'democrats',
);
const DETERMINER = words('the', 'that', 'this', 'their', 'his', 'her', 'those', 'these', 'every', 'all the', 'all');

const CRYPTO = words('eth', 'btc', 'bitcoin', 'bitcoins', 'ethereum', 'sol', 'solana', 'usdt', 'usdc', 'bnb', 'doge', 'dogecoin', 'xrp', 'crypto', 'coins?', 'tokens?');
const AMOUNT = '(?:\\d+(?:[.,]\\d+)?(?: ?k)?)';

const WEAPON_OR_DRUG = words(
  'guns?', 'glocks?', 'glock switch(?:es)?', 'auto sears?', 'ar-?15s?', 'ak-?47s?', 'rifles?', 'pistols?', 'handguns?', 'ghost guns?',
  'silencers?', 'suppressors?', 'ammo', 'ammunition', 'grenades?', 'explosives?', 'cocaine', 'crack', 'heroin', 'meth', 'fentanyl',
  'fent', 'mdma', 'ecstasy', 'xanax', 'xans', 'percs', 'percocets?', 'oxycodone', 'oxys', 'adderall', 'ketamine', 'lsd', 'acid tabs',
  'shrooms', 'steroids', 'tren', 'roids', 'pills', 'weed(?! (?:killer|control|barrier|whacker|wacker|eater))', 'carts',
);
// Without a dealer's verb in front, "pills" and "weed" are too often vitamins and gardening.
const WEAPON_OR_HARD_DRUG = words(
  'guns', 'glocks?', 'glock switch(?:es)?', 'auto sears?', 'ar-?15s?', 'ak-?47s?', 'pistols', 'handguns', 'ghost guns?', 'silencers?',
  'suppressors?', 'ammo', 'grenades?', 'cocaine', 'heroin', 'meth', 'fentanyl', 'mdma', 'xanax', 'xans', 'percs', 'percocets?',
  'oxycodone', 'oxys', 'adderall', 'ketamine', 'lsd', 'shrooms',
);

const DISEASE = words(
  'cancer', 'cancers', 'tumou?rs?', 'diabetes', 'autism', 'hiv', 'aids', 'covid(?:-?19)?', "alzheimer's", 'alzheimers', 'dementia',
  "parkinson's", 'parkinsons', 'multiple sclerosis', 'leukemia', 'heart disease', 'hepatitis', 'herpes', 'lupus', 'epilepsy',
  'schizophrenia',
);

const ELECTION_CONTEXT = [
  'election*', 'ballot*', 'president*', 'midterm*', 'primary', 'primaries', 'polling*', 'polls', 'voter*', 'candidate*',
  'senat*', 'governor*', 'mayor*', 'congress*', 'parliament*', 'referendum*', 'democrat*', 'republican*', 'gop', 'caucus*',
  'electoral',
];

// Warnings and debunkings repeat the claim they warn about.
const DEBUNKING = [
  'myth', 'myths', 'debunk*', 'false claim*', 'falsely', 'baseless', 'no evidence', 'misinformation', 'disinformation',
  'not true', "isn't true", 'is false', 'fact check*', 'conspiracy theor*', 'beware', "don't fall for", 'do not fall for',
  'scam alert', 'warning',
];

// ---------------------------------------------------------------------------------------------

// A minor, as a post names one ("teen", "15yo", "schoolgirl"). Exported for the rule that makes
// any sexual finding in a text naming a minor a finding of sexual content involving minors.
export const MINOR = new RegExp(
  '\\b' +
    words(
      'child', 'children', 'kid', 'kids', 'kiddie', 'minor', 'minors', 'underage', 'under ?age', 'under ?18', 'preteens?',
      'pre-?teens?', 'tweens?', 'teens?', 'teenage', 'teenagers?', 'young (?:girls?|boys?)', 'little (?:girls?|boys?)',
      'school ?girls?', 'school ?boys?', 'middle school(?:ers?)?', 'high school(?:ers?)?',
      '(?:1[0-7]|[1-9]) ?(?:yo|y/o|yrs? old|years? old)', '(?:1[0-7]|[1-9])-year-old',
    ) +
    '\\b',
);

export const defaultLexicalRules: Readonly<Record<HarmCategory, LexicalRule>> = {
  hate: {
    about: 'hate against a protected group',
    phrases: ['heil hitler', 'sieg heil', 'white power', 'white genocide', 'race traitor*', 'subhuman*', 'untermensch*', 'gas the jews'],
    patterns: [
      {
        label: 'a protected group called vermin or less than human',
        pattern: new RegExp(
          `\\b(?:all |most |these |those |the )?${GROUP} (?:are|r|is|=) (?:all |just |nothing but |literally |basically )?` +
            words(
              'animals', 'vermin', 'parasites', 'rats', 'cockroaches', 'roaches', 'insects', 'subhuman', 'savages', 'apes', 'monkeys',
              'pigs', 'dogs', 'filth', 'scum', 'trash', 'garbage', 'inferior', 'disgusting', 'an abomination', 'not (?:even )?human',
              'less than human', 'a (?:disease|plague|cancer|virus|infestation)',
            ) +
            '\\b',
        ),
      },
      {
        label: 'a call to eliminate a protected group',
        pattern: new RegExp(
          '\\b(?:kill|gas|exterminate|eradicate|eliminate|wipe out|get rid of|purge|hang|lynch|shoot|burn|nuke) ' +
            `(?:all|every(?: last| single)?) (?:of )?(?:the |these |those )?${GROUP}`,
        ),
      },
      {
        label: 'a protected group wished dead',
        pattern: new RegExp(
          `\\b${GROUP} (?:should|must|need to|deserve to|ought to|have to|gotta) (?:all )?(?:die|burn|hang|be (?:killed|exterminated|` +
            'wiped out|gassed|eradicated|eliminated|hanged|lynched|shot|burned|sterilized|put down|put in camps))\\b',
        ),
      },
      { label: 'hatred of a protected group', pattern: new RegExp(`\\bi (?:fucking )?hate (?:all )?(?:the )?${GROUP}\\b`) },
      {
        label: "'go back to your country'",
        pattern: anyOf(/\bgo back to (?:your|ur) (?:own )?(?:country|countries|jungle|desert|cave)\b/, /\bgo back (?:to )?where (?:you|u|they) came from\b/),
      },
      { label: 'Holocaust denial', pattern: /\bholocaust (?:never happened|(?:is|was) (?:a )?(?:lie|hoax|myth|fake|exaggerated))\b/ },
    ],
    // News about the conspiracy theory, and electronics.
    except: [
      'white genocide conspiracy', 'white power outage', 'white power bank*', 'white power cord*', 'white power adapter*',
      'white power strip*', 'white power button*', 'white power supply',
    ],
  },

  violence: {
    about: 'incitement to violence',
    phrases: ['kill them all', 'kill all of them', 'come armed', 'show up armed'],
    patterns: [
      {
        label: 'a call to destroy a place',
        pattern: new RegExp(
          `\\b${RALLY} (?:burn(?: down)?|torch|firebomb|smash(?: up)?|loot|bomb|blow up|shoot up|vandali[sz]e) (?:${DETERMINER} )?${PLACE}\\b`,
        ),
      },
      {
        // Needs a person named: "let's kill it", "let's beat them" (a match) are pep talk.
        label: 'a call to attack people',
        pattern: new RegExp(
          `\\b${RALLY} (?:stab|kill|murder|lynch|beat up|jump|shank|hang|behead|execute|curb stomp) ` +
            `(?:${DETERMINER} ${PERSON}|those (?:people|bastards|animals|pigs)|@[a-z0-9_]+)\\b`,
        ),
      },
      {
        label: 'a call to hurt someone',
        pattern: new RegExp(`\\b${RALLY} (?:stab|murder|lynch|shank|behead|hang) (?:him|her|them)\\b|\\b${RALLY} beat (?:him|her|them) up\\b`),
      },
      {
        label: 'a call to storm a building',
        pattern: new RegExp(
          `\\b${RALLY} (?:storm|raid|invade|overrun) (?:the |that |their )?` +
            words('capitol', 'courthouse', 'city hall', 'statehouse', 'parliament', 'precinct', 'police station', 'embassy', 'school', 'clinic') +
            '\\b',
        ),
      },
      {
        label: "a call to 'burn down' a place",
        pattern: /\bburn (?:it |them |this |that )?down (?:the|their|his|her|that|this|every|your) (?!(?:dance ?floor|stage|runway|charts?|competition|internet|gym|track|house of)\b)[a-z]+/,
      },
      {
        label: 'an attack on a school or a crowd',
        pattern: anyOf(
          /\b(?:shoot|shooting) up (?:the|a|that|this|our|their|my) (?:school|mall|church|mosque|synagogue|temple|office|concert|club|party|parade|building|campus|classroom|theater|theatre|grocery store|supermarket)\b/,
          /\bbomb (?:the|a|that) (?:school|mosque|church|synagogue|temple|embassy|parade|stadium|concert|airport|station|subway|building|clinic|courthouse|precinct)\b/,
        ),
      },
      {
        label: 'a call to bring weapons',
        pattern: anyOf(
          /\bbring (?:a |your |ur |some |the )?(?:crowbars?|baseball bats?|molotovs?|molotov cocktails?|weapons|machetes?|brass knuckles)\b/,
          /\bbring (?:a |your |ur |the |some )?(?:guns?|knives|knife) (?:to|and) (?:the )?(?:protest|rally|school|march|meeting|capitol|courthouse|town hall|city hall)\b/,
        ),
      },
      {
        label: 'an attacker glorified',
        pattern: anyOf(
          /\b(?:the )?(?:shooter|gunman|bomber|attacker|terrorist)s? (?:is|was|are|were) (?:a |an |our )?(?:hero|heroes|legend|legends|saint|martyr|icon|king|based)\b/,
          /\b(?:should have|should've|shoulda|wish (?:he|they) (?:had )?) killed more\b/,
        ),
      },
    ],
    except: [],
  },

  harassment: {
    about: 'a threat or harassment of a person',
    phrases: [
      'we know where you live', 'i know where you live', 'we know where u live', 'i know where u live', 'know where your kids go to school',
      'watch your back', 'watch ur back', 'sleep with one eye open', 'your days are numbered', 'you will pay for this',
      "you'll pay for this", 'i will hurt you', "i'm going to hurt you", 'im going to hurt you', "i'm gonna hurt you",
      "you're dead meat", 'you are dead meat', 'mass report*', 'find out where she lives', 'find out where he lives',
    ],
    patterns: [
      {
        label: "a threat to turn up at someone's house",
        pattern: /\b(?:i'm|im|i am|we're|we are|they're|they are) (?:coming|going|gonna come|gonna pull up|pulling up|showing up) (?:to|at) (?:your|ur) (?:house|crib|door|doorstep)\b/,
        // Home services and deliveries do come to your house.
        unlessNear: ['deliver*', 'free', 'service*', 'clean*', 'book*', 'appointment*', 'stylist*', 'our team', 'to you'],
      },
      {
        label: 'a call to brigade a person',
        pattern: new RegExp(
          "\\b(?:everyone|everybody|y'all|yall|guys|fam|let's(?: all)?|lets(?: all)?|go|we need to|time to)(?: go| please| pls| plz| all)* " +
            '(?:mass[ -]?)?(?:report|spam|flood|brigade|dogpile|harass|bombard|swarm|ratio)(?:ing)? ' +
            '(?:her|him|them|his|their|(?:this|that) (?:girl|guy|bitch|loser|account|person|clown)|@[a-z0-9_]+)\\b' +
            // "flood her comments with love" is a fan campaign.
            '(?![^.!?\\n]{0,25}\\bwith (?:love|support|positivity|hearts|kindness|compliments|birthday wishes|good vibes))',
        ),
      },
      {
        // A goal or a post that sends an audience after someone ("get our followers to flood her").
        label: 'a crowd sent after a person',
        pattern: new RegExp(
          "\\b(?:get|tell|ask|have|make|mobili[sz]e|rally|send|urge|encourage) (?:all )?(?:our|my|your|the|everyone's)? ?(?:followers|fans|audience|community|viewers|subscribers|people|everyone) " +
            '(?:to )?(?:flood|spam|harass|message|dm|report|attack|target|pile on|dogpile|troll|bully|go after|mass report|swarm|bombard|hound|ratio|doxx?|show up at)\\b' +
            '(?![^.!?\\n]{0,40}\\bwith (?:love|support|positivity|hearts|kindness|compliments|birthday wishes|good vibes))',
        ),
      },
      {
        label: 'a call to ruin a person',
        pattern: new RegExp(
          `\\b${RALLY} (?:make (?:her|his|their) life (?:a )?(?:living )?hell|ruin (?:her|his|their) (?:life|career)|` +
            'destroy (?:her|his|their) (?:life|career)|get (?:her|him|them) fired|doxx? (?:her|him|them|this|that|@[a-z0-9_]+))\\b',
        ),
      },
      {
        label: 'a targeted insult',
        pattern: /\b(?:you|u|she|he)(?:'re| are| is| r|'s|re)? (?:a |an |such a |such an |)(?:worthless|pathetic|disgusting|ugly|fat|stupid|dumb) (?:bitch|whore|slut|pig|cow|loser|skank|waste of (?:space|oxygen)|piece of (?:shit|trash|garbage))\b/,
      },
    ],
    except: ['watch your back posture', 'watch your back form', 'watch your back muscles'],
  },

  self_harm: {
    about: 'encouraging self-harm',
    phrases: [
      'kys', 'kill yourself', 'kill urself', 'kill ur self', 'kill your self', 'unalive yourself', 'unalive urself', 'neck yourself',
      'hang yourself', 'slit your wrists', 'nobody would miss you', 'no one would miss you', 'nobody will miss you',
      'no one will miss you', 'nobody would care if you died', 'no one would care if you died',
      'the world would be better without you', 'world is better without you', 'do everyone a favor and die',
      'do us all a favor and die', 'do everyone a favour and die', 'you should die', 'you deserve to die', "you don't deserve to live",
      'thinspo', 'thinspiration', 'meanspo', 'bonespo', 'pro ana', 'proana', 'pro mia', 'ana tips', 'ana buddy',
      'purging tips', 'how to purge after eating', 'purge after eating',
    ],
    patterns: [
      {
        label: "'you should end it'",
        pattern: anyOf(
          // "you should end it with him" is relationship advice.
          /\byou (?:should|need to|might as well|oughta|ought to|could) (?:just )?end it(?: all)?\b(?! (?:with|there|here|on|by|at|before|after|now and)\b)/,
          /\b(?:just )?end your (?:own )?life\b(?! (?:insurance|coach|story))/,
        ),
      },
      { label: "'just stop eating'", pattern: /\bjust stop eating\b(?=\s*(?:$|[.!?,]|and\b|lol\b|then\b|fatty\b|pig\b|if\b))/ },
      // An order to someone else; "gonna go die at the gym" is not one.
      {
        label: "'go die'",
        pattern: /(?:(?<![a-z'] )|\b(?:just|pls|please|plz|you should|now|then|so|and) )go die\b(?! (?:your|ur|my|her|his|the) (?:hair|roots|brows|clothes|shirt|jeans))/,
      },
      { label: "'starve yourself'", pattern: /(?<!(?:don't|dont|not|never|stop|no need to|shouldn't|should not) )\bstarve (?:yourself|urself)\b/ },
      {
        label: 'a push to cut oneself',
        pattern: /(?<!(?:don't|dont|not|never|won't|careful|avoid) )\bcut (?:yourself|urself|your wrists|deeper)\b(?! (?:some|a|off|free|in|on|loose|out|short|slack)\b)/,
      },
      { label: 'a push to jump', pattern: /\b(?:go|just|you should|pls|please) jump off (?:a|the) (?:bridge|cliff|building|roof)\b/ },
      { label: 'a push to drink bleach', pattern: /\b(?:go|just|you should|pls|please) drink (?:some )?bleach\b/ },
      {
        label: 'a push to skip meals',
        pattern: /(?<!(?:don't|dont|not|never|stop) )\bskip (?:meals|every meal|breakfast and lunch) (?:to|and) (?:lose weight|get thin|be skinny|stay skinny)\b/,
      },
    ],
    // Idioms: "don't kill yourself over it", "dye your hair" misspelt.
    except: ["don't kill yourself", 'dont kill yourself', 'no need to kill yourself', 'die your hair', 'die ur hair', 'should die your hair'],
  },

  sexual: {
    about: 'sexual content or solicitation',
    // Not bare "nude" (a shade) or "porn" ("food porn").
    phrases: [
      'send nudes', 'send me nudes', 'send noods', 'selling nudes', 'sell my nudes', 'buy my nudes', 'nudes for sale', 'dm for nudes',
      'dm me for nudes', 'leaked nudes', 'nude pic*', 'nude photo*', 'naked pic*', 'naked photo*', 'dick pic*', 'sexting', 'sext me',
      'sex tape*', 'porn video*', 'porn link*', 'free porn', 'xxx video*', 'blowjob*', 'blow job*', 'handjob*', 'hand job*',
      'anal sex', 'rimjob*', 'creampie*', 'gangbang*', 'cumshot*', 'milf', 'milfs', 'dildo*', 'sex toy*', 'wanna fuck', 'horny',
      'escort service*', 'escorts available', 'incall', 'outcall', 'happy ending massage*', 'pay for sex', 'sex for money',
      'sex for rent', 'onlyfans link', 'link to my onlyfans', 'my onlyfans', 'subscribe to my onlyfans', 'my fansly', 'spicy content',
      'spicy pics', 'nsfw content', '18+ content', 'hook up tonight', 'looking to hook up', 'dtf',
    ],
    patterns: [
      {
        label: 'a solicitation for explicit pictures',
        pattern: /\b(?:dm|message|text|hmu|snap|kik|telegram|whatsapp)(?: me| us)? (?:for|4) (?:my |some )?(?:nudes|noods|nsfw|spicy|sexy|naughty|lewd|explicit) ?(?:pics|content|vids|videos|photos|shows?|sessions?)?\b/,
      },
      { label: 'selling sexual content', pattern: /\b(?:selling|sell|buy|trade) (?:my |our )?(?:nudes|noods|nsfw (?:pics|content)|used (?:panties|underwear)|feet pics)\b/ },
    ],
    except: [],
  },

  sexual_minors: {
    about: 'sexual content involving minors',
    phrases: ['child porn*', 'underage nudes', 'underage porn', 'jailbait', 'preteen nudes', 'pedo content'],
    patterns: [
      {
        // A minor and sexual wording close together.
        label: 'a minor',
        pattern: MINOR,
        context: [
          'nudes', 'noods', 'nudez', 'noodz', 'nude pic*', 'nude photo*', 'naked pic*', 'naked photo*', 'get naked', 'sexy', 'sex',
          'sexual*', 'porn', 'porno', 'nsfw', 'lewd*', 'horny', 'erotic*', 'onlyfans', 'send pics', 'hot pics', 'spicy pics', 'hook up',
          'hookup*', 'sext*', 'make out', 'seduc*', 'stripper*', 'lingerie', 'dick pic*',
        ],
        requiresContext: true,
        quoteContext: true,
        window: 50,
      },
    ],
    except: [
      // Sex education and child protection name both.
      'sex ed*', 'sex education', 'sexual health', 'safe sex', 'sexual abuse', 'sex abuse', 'sexual assault', 'sexual exploitation',
      'sex trafficking', 'sex offender*', 'sexual orientation', 'sex of the baby', 'minor league*', 'minor key', 'minor details',
      // Age gates on adult content name minors to keep them out.
      'no minors', 'minors dni', 'minors do not interact', 'not for minors', 'no under 18*', 'nobody under 18', 'no one under 18',
      'anyone under 18', 'if you are under 18', "if you're under 18", 'under 18s not allowed', 'not for kids',
    ],
  },

  scam: {
    about: 'a scam',
    phrases: ['cash app flip*', 'cashapp flip*', 'money flip*', 'wallet validation', 'validate your wallet', 'sync your wallet', 'rectify your wallet'],
    patterns: [
      {
        label: 'a crypto doubling offer',
        pattern: new RegExp(
          `\\bsend(?:ing)? (?:me |us )?(?:${AMOUNT} ?|any amount (?:of )?|your |ur |some )?${CRYPTO}\\b[^.!?\\n]{0,60}?` +
            `\\b(?:get|receive|recieve|we'll send|i'll send|we will send|i will send|return|and)\\b[^.!?\\n]{0,30}?` +
            `(?:\\b${AMOUNT} ?${CRYPTO}\\b|\\b\\d+x\\b|\\bdouble\\b|\\btwice\\b|\\bback\\b|\\bin return\\b)`,
        ),
      },
      {
        // "I'm doubling any Bitcoin sent to bc1q…", "all ETH sent to this wallet comes back 2x".
        label: 'a crypto doubling offer',
        pattern: anyOf(
          new RegExp(`\\b(?:doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|2x|3x|10x)(?: (?:any|all|every|each|the|your|ur))?(?: amount of)? ${CRYPTO}\\b[^.!?\\n]{0,20}?\\b(?:sent|you send|u send|deposited|transferred)\\b`),
          new RegExp(`\\b(?:any|all|every) ${CRYPTO} (?:sent|deposited|transferred) to\\b[^.!?\\n]{0,80}?\\b(?:doubl(?:e|ed)|back (?:2x|x2|double)|returned (?:2x|x2|double)|2x|x2)\\b`),
        ),
      },
      {
        label: 'a crypto payment to take part in a giveaway',
        pattern: new RegExp(
          `\\b(?:send|deposit|transfer) (?:${AMOUNT} ?)?${CRYPTO}\\b[^.!?\\n]{0,30}?\\bto (?:participate|join|enter|qualify|be eligible|verify|claim)\\b`,
        ),
      },
      {
        label: 'an offer to double your money',
        // "or double your money back" is a shop's guarantee.
        pattern: /\b(?:double|triple|10x|2x|multiply) your (?:btc|bitcoin|eth|ethereum|crypto|coins|money|investment|deposit|sol|usdt)\b(?! back)/,
      },
      {
        label: 'guaranteed returns',
        // Not "guaranteed gains" (a workout plan) or "guaranteed to turn heads".
        pattern: anyOf(
          /\bguarantee(?:d|s)? (?:a |an |you )?\d+(?:\.\d+)? ?x\b/,
          /\bguarantee(?:d|s)? (?:a |an |you )?\d+(?:\.\d+)? ?(?:%|percent) (?:returns?|profits?|roi|gains?|daily|weekly|monthly|a (?:day|week|month)|apy|apr|interest)/,
          /\bguarantee(?:d|s)? (?:a |an |you )?(?:high |huge |massive |fixed |daily |weekly |monthly )?(?:returns|profits?|roi|payouts?|passive income|income)\b/,
          /\b\d+(?:\.\d+)? ?(?:x|%) (?:returns?|profits?|gains) guaranteed\b/,
          /\brisk[ -]?free (?:profits?|returns?|investments?|trading|income|gains|crypto)\b/,
          /\b\d+(?:\.\d+)?% (?:daily|weekly) (?:returns?|profits?|roi|interest)\b/,
        ),
      },
      {
        label: 'a request for a wallet seed phrase or private key',
        pattern:
          /(?<!(?:never|not|don't|dont|won't|will never|nobody will|no one will) )\b(?:send|share|enter|give|dm|tell|type|paste|provide|verify|submit|input|confirm|drop)(?: (?:me|us))? (?:your|ur|the|ya) (?:(?:12|24)[ -]word |wallet |secret |recovery )?(?:seed phrase|recovery phrase|secret phrase|mnemonic|private key|wallet key|seed words|passphrase)s?\b/,
      },
      {
        label: 'a money flip',
        pattern: /\b(?:flip|turn) (?:your )?\$ ?\d[\d,.]*k? (?:into|to) \$ ?\d[\d,.]*k?\b[^.!?\n]{0,30}\b(?:in (?:\d+|a|one|24) (?:hours?|hrs?|days?|minutes?|mins?|week)|overnight|guaranteed)\b/,
      },
      {
        label: 'a coin promised to multiply',
        pattern: anyOf(/\b(?:next|this|a) \d{2,}x (?:gem|coin|token|moonshot)\b/, /\b(?:will|gonna|going to) \d{2,}x (?:guaranteed|for sure|easy)\b/),
      },
      {
        label: 'a prize that asks for a fee',
        pattern: new RegExp(
          '\\b(?:you(?:\'ve| have)? won|you are (?:the|our) (?:lucky )?winner|congratulations?,? (?:you|winner)|' +
            'to (?:claim|receive|release|get) (?:your|the) (?:prize|reward|winnings|gift|funds|package|iphone|giveaway prize)|' +
            'winners? (?:must|need to|will need to|should))\\b[^\\n]{0,100}?' +
            '(?:\\b(?:processing|shipping|handling|release|clearance|verification|registration|activation|delivery|customs|admin|small|one[- ]time) (?:fee|charge|payment)\\b|' +
            '\\bpay (?:a |the |only |just )?(?:fee\\b|\\$ ?\\d+|£ ?\\d+|€ ?\\d+)|\\bsend (?:us |me )?(?:\\$ ?\\d+|£ ?\\d+|€ ?\\d+|a gift card|gift cards))',
        ),
        unlessNear: ['no purchase necessary', 'no fee*', 'free of charge', 'no payment', 'never ask*', 'will never', 'free shipping', 'shipping is free', 'waived', 'no shipping'],
        window: 120,
      },
      {
        label: 'a giveaway with an entry fee',
        pattern: /\bgiveaway\b[^\n]{0,80}?\b(?:entry|entrance|participation|registration) fee\b/,
        unlessNear: ['no purchase necessary', 'no entry fee', 'no fee*'],
        window: 120,
      },
    ],
    // Basic-income pilots and shops' return policies.
    except: [
      'guaranteed income pilot*', 'guaranteed income program*', 'guaranteed income experiment*', 'guaranteed returns and exchanges',
      'guaranteed returns within', 'guaranteed returns policy',
    ],
    unlessNear: [...DEBUNKING, 'never send', 'never share', 'is a scam', 'are scams', 'this is a scam', 'red flag*', 'watch out for'],
  },

  privacy: {
    about: "a private person's personal data",
    phrases: [],
    patterns: [
      {
        // "share her home address", "post his number", "leak their workplace".
        label: "a call to spread a person's whereabouts",
        pattern: /\b(?:share|post|publish|leak|spread|reveal|drop|find|expose) (?:her|his|their|[a-z]+'s) (?:home |house |private |personal |real |exact )?(?:address|phone number|cell number|number|location|workplace|school|schedule|license plate)\b/,
      },
      {
        label: 'a phone number',
        pattern: anyOf(
          // North American, not toll-free (8XX).
          /(?<![\d+])(?:\+?1[ .-]?)?(?:\((?!8(?:00|88|77|66|55|44|33)\))[2-9]\d{2}\)|(?!8(?:00|88|77|66|55|44|33))[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]?\d{4}(?!\d)/,
          // International: + country code and 8 to 15 digits in all.
          /(?<![\w+])(?=\+(?:[ .()-]*\d){8,15}(?![ .()-]*\d))\+[2-9]\d{0,2}(?:[ .-]?\(?\d{1,5}\)?){2,5}(?!\d)/,
        ),
        context: [
          'her number', 'his number', 'their number', 'her phone', 'his phone', 'her cell', 'his cell', 'her personal', 'his personal',
          'real number', 'call her', 'text her', 'call him', 'text him', 'hit her up', 'hit him up', 'spam her', 'spam him',
          'blow up her phone', 'blow up his phone', 'prank call', "here's her", 'heres her', 'here is her', "here's his", 'heres his',
          'here is his', 'lives at', 'her address', 'his address',
        ],
        // A business, a hotline, one's own line for bookings, an order or ticket number.
        unlessNear: [
          'call us', 'text us', 'call our', 'text our', 'our store', 'our shop', 'our studio', 'our salon', 'our boutique', 'our office',
          'our team', 'our hotline', 'our number', 'customer service', 'customer care', 'customer support', 'support line', 'hotline',
          'helpline', 'help line', 'crisis line', 'to book', 'book now', 'booking*', 'reservation*', 'appointment*', 'to order',
          'order now', 'orders', 'store hours', 'business hours', 'open daily', 'mon fri', 'call now', 'whatsapp us', 'contact us',
          'visit us', 'flagship', 'showroom', 'headquarters', 'front desk', 'call me', 'text me', 'my number', 'my cell',
          'for collabs', 'business inquir*', 'inquiries', 'enquiries', 'management', 'order', 'tracking', 'invoice', 'sku', 'isbn',
          'reference', 'case number', 'ticket*',
        ],
      },
      {
        label: 'a home address',
        // House number, up to four words of street name, suffix, then an optional apartment.
        pattern:
          /(?<![\d.,$])\b\d{1,6}[a-z]?(?: [a-z0-9'.-]+){1,4}? (?:st|street|ave|avenue|rd|road|dr|drive|blvd|boulevard|ln|lane|ct|court|way|pl|place|ter|terrace|cir|circle|pkwy|parkway|hwy|highway|sq|square|trl|trail|pike|crescent|cres|close)\b\.?(?:,? (?:apt|apartment|unit|suite|ste|#|no\.?) ?#?[a-z0-9-]+)?/,
        context: [
          'lives at', 'lives on', 'living at', 'live at', 'stays at', 'staying at', 'her address', 'his address', 'their address',
          'home address', 'her house', 'his house', 'their house', 'house is', 'house', 'home', 'her home', 'his home', 'their home',
          'her place', 'his place', 'her apartment', 'his apartment', 'go visit him', 'go visit her', 'visit him', 'visit her',
          'pay him a visit', 'pay her a visit', 'show up at', 'pull up to', 'pull up at', 'where she lives', 'where he lives',
          'where they live', 'find her at', 'find him at', 'doxx*', 'dox',
        ],
        requiresContext: true,
        unlessNear: [
          'visit our', 'our store', 'our shop', 'our flagship', 'flagship', 'our boutique', 'our studio', 'our office', 'our new location',
          'our new home', 'our home', 'our showroom', 'showroom', 'pop up', 'popup', 'grand opening', 'now open', 'store hours',
          'open house', 'located at', 'hq', 'come see us', 'find us at',
        ],
      },
      {
        label: 'a social security number',
        pattern: anyOf(
          /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/,
          /\b(?:ssn|social security (?:number|no|#))\W{0,4}\d{3}[ -]?\d{2}[ -]?\d{4}\b/,
        ),
      },
      {
        label: "a person's ID or account number",
        // Raw text: ID numbers mix letters and digits that folding would read as leetspeak.
        over: 'raw',
        pattern:
          /\b(?:her|his|their|[A-Za-z]+'s)\s+(?:passport|driver'?s?\s+licen[cs]e|licen[cs]e|national\s+id|id\s+card|id|credit\s+card|card|bank\s+account|account|routing)(?:\s+(?:no|number|num|#))?\.?(?:\s+is)?[\s.:#]{1,4}(?=[A-Z]{0,3}(?:[ -]?\d){6})[A-Z]{0,3}\d[A-Z0-9-]*(?:[ -]\d[A-Z0-9-]*){0,5}/i,
      },
      {
        label: 'an email address',
        // Raw text: folding reads the @ of an address as a letter.
        over: 'raw',
        pattern: /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/,
        context: ['her email', 'his email', 'their email', 'email her', 'email him', 'her personal', 'his personal', 'spam her', 'spam him', "here's her", "here's his"],
        requiresContext: true,
        window: 40,
      },
    ],
    except: [],
  },

  impersonation: {
    about: 'impersonation or a false official statement',
    phrases: [],
    patterns: [
      {
        label: 'an official announcement in the name of an authority',
        pattern: new RegExp(
          '\\bofficial (?:announcement|statement|notice|message|update|notification|warning) from (?:the |your )?' +
            words(
              'bank', 'government', 'irs', 'hmrc', 'fbi', 'cia', 'police', 'white house', 'ministry', 'department', 'treasury',
              'federal reserve', 'social security administration', 'sec', 'ftc', 'cdc', 'fda', 'nhs', 'election (?:office|commission|board)',
              '[a-z]+ bank', 'bank of [a-z]+',
            ) +
            '\\b',
        ),
      },
      {
        label: 'a support account or staff member asking for credentials',
        // "This is Chase support", and staff speaking for a company: "As head of customer support
        // at …", "I'm an agent on the … fraud team".
        pattern: new RegExp(
          "\\b(?:this is|as|i am|i'm|im|we are|we're|speaking as) (?:the |your |a |an )?(?:official )?(?:[a-z0-9&'-]+ ){0,5}(?:customer )?" +
            '(?:support|service|care|security|fraud|help ?desk|admin|moderation|verification|trust and safety|billing|accounts)' +
            '(?: team| department| desk| agent| officer| specialist| lead| manager| staff)?\\b' +
            "[^\\n]{0,140}?(?<!(?:never|not|don't|dont|won't|nobody will|no one will|never ask you to) )\\b(?:dm|send|verify|confirm|give|share|enter|reply with|provide|tell)(?: us| me)?(?: with)? (?:your|ur) " +
            // Not "your order code", "your discount code", "your login email".
            '(?!(?:discount|promo|referral|coupon|order|tracking|zip|postal|gift|voucher|invite|qr|area|country) )(?:[a-z]+ )?' +
            '(?:password|passcode|login(?! (?:email|e-mail|address|name|username|issue|problem|page))|pin|otp|one time code|code|verification code|2fa code|card number|cvv|account details|seed phrase|ssn|social security number)\\b',
        ),
      },
      {
        label: 'a request for a password or login code',
        // Not the warning: "we will never ask you to share your password".
        pattern:
          /(?<!(?:never|not|don't|dont|won't|will never|nobody will|no one will|we will never|we'll never)(?: ask(?: you)? to)? )\b(?:dm|send|give|tell|reply with|share|verify|confirm)(?: us| me)? (?:your|ur) (?:account |login |instagram |ig |bank |email )?(?:password|passcode|pin|otp|login details|login credentials|verification code|2fa code|one time code)\b/,
      },
      {
        label: 'an account-suspension phishing notice',
        pattern: /\byour account (?:will be|has been|is being|is going to be) (?:deleted|suspended|disabled|banned|locked|terminated)\b[^\n]{0,80}?\b(?:verify|confirm|click|log ?in|appeal|dm us|send us)\b/,
      },
    ],
    except: [],
  },

  dangerous: {
    about: 'dangerous or illegal goods or instructions',
    phrases: [],
    patterns: [
      {
        label: 'weapons or drugs for sale',
        pattern: new RegExp(
          '\\b(?:selling|for sale|plug for|dm (?:me |us )?(?:for|4)|hmu (?:for|4)|wts|cop (?:some|your)|discreet shipping on) ' +
            `(?:(?:some|my|the|your|our|cheap|real|pure|legit|fresh|new) )*${WEAPON_OR_DRUG}\\b`,
        ),
      },
      {
        label: 'weapons or drugs offered',
        pattern: new RegExp(
          `\\b${WEAPON_OR_HARD_DRUG}\\b(?! (?:bags?|box|boxes|cans?|belts?|pouch(?:es)?|crates?)\\b)[^.!?\\n]{0,20}?` +
            '\\b(?:for sale|available|in stock|no prescription|no rx|discreet shipping|delivered|dm (?:me|us|for)|hmu|cash ?app|ship (?:anywhere|worldwide))\\b',
        ),
      },
      {
        label: 'instructions for a weapon or a drug',
        pattern: new RegExp(
          '\\b(?:how (?:to|do (?:i|you|u)|can (?:i|you|u))|recipe (?:for|to)|step by step|tutorial|instructions (?:for|to)|guide to) ' +
            '(?:make|build|assemble|cook|synthesi[sz]e|brew|mix|print|3d print|making|building|cooking)(?: a| an| your own| some| homemade| a homemade)? (?:pipe )?' +
            words(
              'bombs?', 'explosives?', 'ied', 'molotovs?', 'molotov cocktails?', 'napalm', 'ricin', 'sarin', 'nerve (?:gas|agent)',
              'mustard gas', 'chlorine gas', 'meth', 'methamphetamine', 'fentanyl', 'thermite', 'detonators?', 'silencers?',
              'suppressors?', 'ghost guns?', 'untraceable guns?', 'glock switch(?:es)?', 'auto sears?', 'guns?',
            ) +
            // "a bomb ass cake", "a gun rack".
            '\\b(?! ?(?:ass|af|dip|sauce|cake|cakes|dot com|\\.com|racks?|safes?|cases?|cabinets?|holsters?|display|shelf|costumes?|props?)\\b)',
        ),
      },
    ],
    except: [
      'bath bomb*', 'bomb ass', 'bomb dot com', 'flavor bomb*', 'flavour bomb*', 'cherry bomb*', 'glue gun*', 'nerf gun*', 'water gun*',
      'massage gun*', 'heat gun*', 'staple gun*', 'caulk gun*',
    ],
  },

  health_misinformation: {
    about: 'health misinformation',
    phrases: [
      'plandemic', 'covid is a hoax', 'covid was a hoax', "covid isn't real", 'covid is fake', 'the virus is a hoax', 'vaccines are poison',
      'vaccine is poison', 'chemo is poison', 'chemotherapy is poison', 'turbo cancer', 'bleach cures', 'drinking bleach cures',
      'mms cures', 'ivermectin cures', 'sunscreen causes cancer', "hiv doesn't cause aids", 'aids is a hoax', 'insulin is a scam',
      'germ theory is a lie', 'big pharma is hiding the cure',
    ],
    patterns: [
      {
        label: 'a cure claimed for a serious disease',
        pattern: new RegExp(
          // Not what a treatment did: "chemo cured her cancer".
          '(?<!(?:chemo|chemotherapy|surgery|radiation|treatment|immunotherapy|doctors|medicine|transplant|antivirals|insulin) )' +
            `\\b(?:cures?|cured|curing|reverses?|reversed|heals?|healed|eliminates?|eradicates?) (?:your |my |his |her |their |the |stage \\d |type [12] )*${DISEASE}\\b` +
            `|\\b(?:natural|miracle|secret|hidden|herbal|simple|home) (?:cure|remedy) (?:for|to) ${DISEASE}\\b` +
            `|\\b(?:cure|remedy) (?:for|to) ${DISEASE} (?:that )?(?:they|doctors|big pharma|the government) (?:don't|do not) want you to know\\b`,
        ),
        // Research news and fundraisers hope for a cure.
        unlessNear: ['research*', 'trial*', 'study', 'studies', 'scientists', 'hope*', 'one day', 'someday', 'fundrais*', 'donat*', 'walk for'],
        window: 50,
      },
      {
        label: 'advice to stop a treatment',
        pattern: new RegExp(
          "(?<!(?:don't|dont|do not|never|not|without|before you|before|shouldn't|should not) )" +
            "\\b(?:stop|quit|ditch|skip|throw (?:away|out)|flush|give up|get off|don't take|do not take|no need for|you don't need|refuse) " +
            '(?:taking |using )?(?:your |ur |the |all |all your |those |any )?' +
            words(
              'meds', 'medication', 'medications', 'medicine', 'prescriptions?', 'insulin', 'chemo', 'chemotherapy', 'antidepressants',
              'inhalers?', 'blood pressure (?:meds|pills|medication)', 'statins', 'vaccines?', 'vaccinations?',
            ) +
            // "ditch your prescription sunglasses".
            '\\b(?! (?:glasses|sunglasses|lenses|frames|eyewear|shades|skincare|strength|cabinet|bag|ball|line|lines)\\b)',
        ),
        unlessNear: ['your doctor', 'a doctor', 'talk to', 'consult', 'physician', 'supervision', 'without talking', 'pharmacist'],
        window: 80,
      },
      {
        label: 'a false claim about vaccines',
        pattern:
          /\b(?:vaccin[a-z]*|jabs?|mrna shots?|the shot) (?:cause|causes|caused|give you|gives you|leads? to|contain|contains) (?:autism|infertility|cancer|turbo cancer|death|aids|microchips?|chips|5g|magnets?|tracking devices?)\b/,
      },
      { label: 'a false claim about 5G', pattern: /\b5g (?:causes?|spreads?|caused|spread) (?:covid|cancer|the virus|corona)\b/ },
    ],
    except: [],
    unlessNear: DEBUNKING,
  },

  civic_misinformation: {
    about: 'election misinformation',
    phrases: ['the election was stolen', 'the election is rigged', 'the election was rigged', 'stop the steal', 'dead people voted', 'voting machines flipped'],
    patterns: [
      {
        label: 'a false way to vote',
        pattern: anyOf(
          /\byou can (?:now |also |easily |just )?vote (?:online|from home online|from your phone|on your phone)\b/,
          /\b(?:vote|cast (?:your|a) (?:vote|ballot)) (?:online|by|via|through|over) (?:text(?:ing)?|sms|phone|twitter|instagram|facebook|tiktok|social media|email|dm|the app)\b/,
        ),
        // "Vote online for best dressed" is a contest.
        context: ELECTION_CONTEXT,
        requiresContext: true,
        window: 120,
      },
      {
        label: 'voting by text',
        pattern: anyOf(/\bvote by text(?:ing)?\b/, /\btext (?:your vote|vote|[a-z]+) to \d{5,6}\b[^.!?\n]{0,40}\bvote\b/),
        // Talent shows and brand polls really are voted by text.
        unlessNear: [
          'fav*', 'fave*', 'favorite*', 'favourite*', 'contest*', 'competition*', 'award*', 'best dressed', 'idol', 'finalist*',
          'episode', 'season', 'our poll', 'giveaway', 'flavor', 'flavour', 'colorway', 'look', 'outfit*', 'bracket', 'round',
        ],
        window: 120,
      },
      {
        label: 'a wrong election date',
        // US election day is a Tuesday; elections are not moved by a post.
        pattern: anyOf(
          /\b(?:the )?(?:election|election day|voting day|polls?)(?: day)? (?:is|are|will be|has been|have been|was) (?:now |actually |officially |been )?(?:on |held on |taking place on )?wednesday\b/,
          /\b(?:election|election day|voting|polls?)(?: day)? (?:is |are |has been |have been |was |were )?(?:moved|postponed|rescheduled|pushed back|delayed|changed) (?:to|until|till) (?:wednesday|thursday|friday|saturday|sunday|monday|tomorrow|next week|november \d+|nov \d+|the \d+(?:st|nd|rd|th))\b/,
        ),
      },
      {
        label: 'a party told to vote on another day',
        pattern: /\b(?:democrats|republicans|independents|liberals|conservatives|[a-z]+ (?:voters|supporters))(?: can| should| will| must)? vote on (?:wednesday|thursday|friday|saturday|sunday|monday|the \d+(?:st|nd|rd|th)|november \d+|nov \d+)\b/,
        // Not a vote in a legislature.
        context: ELECTION_CONTEXT,
        requiresContext: true,
        window: 80,
      },
      {
        label: 'polls falsely said to be closed',
        pattern: /\bpolls? (?:are|is|will be|have been|has been|were) (?:now )?(?:closed|shut down|cancell?ed|closing) (?:for|to) (?:all )?(?:democrats|republicans|independents|liberals|conservatives|students|immigrants|seniors|you|[a-z]+ voters|anyone (?:who|with|without))\b/,
      },
      { label: "'vote tomorrow instead'", pattern: anyOf(/\b(?:vote|voting) (?:tomorrow|next week|on wednesday) instead\b/, /\b(?:don't|do not) vote today\b/) },
      {
        label: 'a false voting eligibility rule',
        pattern:
          /\byou (?:can't|cannot|can not|won't be able to|aren't allowed to|are not allowed to) vote if you (?:have|owe|got|are behind on) (?:any )?(?:unpaid |outstanding )?(?:parking tickets|traffic tickets|tickets|taxes|back taxes|student loans|student debt|credit card debt|medical debt|debt|child support)\b/,
      },
    ],
    except: [],
    unlessNear: [...DEBUNKING, "you can't", 'you cannot', 'scammers', 'fake texts'],
  },
};

// Sensitive-topic phrases inside these are look-alikes, not the topic: sales named after a day,
// fan votes, club presidents, zodiac signs, style "bibles", fashion victims, games and cocktails.
export const defaultSensitiveExcept: readonly string[] = [
  'election day sale', 'election day deal*', 'election day special*', 'election day discount*', 'election week sale',
  'vote for your fav*', 'vote for your favo*', 'vote for the next', 'vote for our next', "presidents' day sale", 'presidents day sale',
  "president's day sale", 'presidents day deal*', "presidents' day deal*", 'club president', 'class president',
  'student council president', 'cancer season', 'cancer szn', 'cancer sun', 'cancer moon', 'cancer rising', 'style bible',
  'fashion bible', 'beauty bible', 'skincare bible', 'sneaker bible', 'fashion victim*', 'murder mystery', 'murder mysteries',
  'murdered it', 'murdered that', 'first person shooter*', 'tequila shooter*', 'tropical depression',
];
