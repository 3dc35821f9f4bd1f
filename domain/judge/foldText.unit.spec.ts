import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPhrases, foldText, foldWithOrigins, originalSpan, phraseMatcher, phrasePattern, stripInvisible } from './foldText.ts';

describe('foldText', () => {
  it('given look-alike spellings, reads them as the plain word', () => {
    const spellings = ['Politics', 'ＰＯＬＩＴＩＣＳ', '𝐩𝐨𝐥𝐢𝐭𝐢𝐜𝐬', 'p0l1t1c5', 'po\u200Blit\u2060ics', 'роlitics', 'ⓟⓞⓛⓘⓣⓘⓒⓢ'];
    for (const spelling of spellings) assert.equal(foldText(spelling), 'politics', spelling);
  });

  it('given $ and leetspeak inside words, folds them', () => {
    assert.equal(foldText('$CAM a55 h4t3'), 'scam ass hate');
  });

  it('given plain numbers, leaves them alone', () => {
    assert.equal(foldText('455 followers, $5 off, 24/7'), '455 followers, $5 off, 24/7');
  });

  it('collapses spaces but keeps line breaks', () => {
    assert.equal(foldText('  Hello \t  there \n\n  SYSTEM:  hi  '), 'hello there\n\nsystem: hi');
  });

  it('folds typographic apostrophes', () => {
    assert.equal(foldText('You’re'), "you're");
  });

  it('given single letters spaced out by one separator, joins them', () => {
    for (const spelling of ['k i l l', 'k.i.l.l', 'k-i-l-l', 'k_i_l_l', 'k*i*l*l', 'K I L L', 'k 1 l l']) {
      assert.equal(foldText(spelling), 'kill', spelling);
    }
    assert.equal(foldText('k i l l  y o u r s e l f'), 'kill yourself');
    assert.equal(foldText('K.Y.S now'), 'kys now');
  });

  it('given short words, initials, texting and numbers, leaves the spacing alone', () => {
    assert.equal(foldText('u r a queen, r u a fan?'), 'u r a queen, r u a fan?');
    assert.equal(foldText('U.S. tour, plan B, a-ha'), 'u.s. tour, plan b, a-ha');
    assert.equal(foldText('1 2 3 go, 5-4-3'), '1 2 3 go, 5-4-3');
    assert.equal(foldText('k i  l l'), 'k i l l');
  });

  it('given Latin look-alikes, small capitals and diacritics, reads the plain letters', () => {
    assert.equal(foldText('kılł'), 'kill');
    assert.equal(foldText('Straße'), 'strasse');
    assert.equal(foldText('ᴋɪʟʟ ʏᴏᴜʀsᴇʟғ'), 'kill yourself');
    assert.equal(foldText('ΗΑΤΕ ΚΙLL'), 'hate kill');
    assert.equal(foldText('kíll naïve ki\u0301ll'), 'kill naive kill');
    assert.equal(foldText('œuvre cøde'), 'oeuvre code');
  });

  it('keeps the marks of scripts that need them', () => {
    assert.equal(foldText('नमस्ते दुनिया'), 'नमस्ते दुनिया');
    assert.equal(foldText('한국어 ありがとう'), '한국어 ありがとう');
  });

  it('given harm emoji standing in for a word, reads the word; 💀 and 🔥 stay emoji', () => {
    assert.equal(foldText('selling🔫s and 💣'), 'selling guns and bomb');
    assert.equal(foldText('dm for 💊 or a 🔪'), 'dm for pills or a knife');
    assert.equal(foldText('dead 💀💀 this is 🔥'), 'dead 💀💀 this is 🔥');
  });

  it('given letters stretched three times or more, reads one', () => {
    assert.equal(foldText('kiiiill kyssss sooooo'), 'kill kys so');
    assert.equal(foldText('www.good.com, all ok'), 'www.good.com, all ok');
  });

  it('given numbers with units, does not read them as leetspeak', () => {
    assert.equal(foldText('10x 2x 1ETH 5th 1st 15yo 401k $10k'), '10x 2x 1eth 5th 1st 15yo 401k $10k');
    assert.equal(foldText('5ex k1ll'), 'sex kill');
  });

  it('given @ and ! between letters, reads them as letters; a handle keeps its @', () => {
    assert.equal(foldText('h@te k!ll @nova wow!'), 'hate kill @nova wow!');
  });
});

describe('foldWithOrigins', () => {
  const quoted = (text: string, folded: string) => {
    const fold = foldWithOrigins(text);
    const at = fold.folded.indexOf(folded);
    assert.ok(at >= 0, `${JSON.stringify(folded)} in ${JSON.stringify(fold.folded)}`);
    const span = originalSpan(fold, at, at + folded.length);
    return text.slice(span.start, span.end);
  };

  it('gives every folded code unit the span of the text it was read from', () => {
    const text = '\u200B👋🏽 ＨＩ Straße k.i.l.l';
    const fold = foldWithOrigins(text);
    assert.equal(fold.folded, '👋🏽 hi strasse kill');
    assert.equal(fold.origins.length, fold.folded.length);
    assert.equal(fold.ends.length, fold.folded.length);
    for (let i = 0; i < fold.folded.length; i++) {
      assert.ok((fold.origins[i] ?? -1) < (fold.ends[i] ?? -1), `unit ${i}`);
      if (i > 0) assert.ok((fold.origins[i] ?? 0) >= (fold.origins[i - 1] ?? 0), `unit ${i} in order`);
    }
    const ss = fold.folded.indexOf('ss');
    assert.deepEqual([fold.origins[ss], fold.origins[ss + 1]], [text.indexOf('ß'), text.indexOf('ß')]);
  });

  it('maps a folded match back to the words as written', () => {
    assert.equal(quoted('\u200B\u200B👋🏽 ＨＥＹ — ki\u200Bll yours3lf!!', 'kill yourself'), 'ki\u200Bll yours3lf');
    assert.equal(quoted('ｋｉｌｌ   ｙｏｕｒｓｅｌｆ', 'kill yourself'), 'ｋｉｌｌ   ｙｏｕｒｓｅｌｆ');
    assert.equal(quoted('lol K-Y-S.', 'kys'), 'K-Y-S');
    assert.equal(quoted('kiiiill yourselffff', 'kill yourself'), 'kiiiill yourselffff');
    assert.equal(quoted('a 💣 b', 'bomb'), '💣');
    assert.equal(quoted('Кill уоu', 'kill you'), 'Кill уоu');
    assert.equal(quoted('𝐬𝐞𝐧𝐝 n\u0075\u0308des', 'send nudes'), '𝐬𝐞𝐧𝐝 n\u0075\u0308des');
  });

  it('given text that folds to nothing, gives an empty fold', () => {
    assert.deepEqual(foldWithOrigins(' \u200B \n '), { folded: '', origins: [], ends: [] });
  });
});

describe('stripInvisible', () => {
  it('drops zero-width, bidi and tag characters but keeps visible text and emoji selectors', () => {
    assert.equal(stripInvisible('a\u200Bb\u202Ec\u{E0041}d\uFEFF❤️'), 'abcd❤️');
  });
});

describe('phrasePattern and findPhrases', () => {
  it('matches whole words only', () => {
    assert.deepEqual(findPhrases(foldText('this giveaway is a scam!'), ['scam']), ['scam']);
    assert.deepEqual(findPhrases(foldText('garlic scampi tonight'), ['scam']), []);
  });

  it('given a trailing *, matches any ending of the word', () => {
    const vaccine = phrasePattern('vaccin*');
    assert.ok(vaccine.test(foldText('Vaccination day')));
    assert.ok(vaccine.test(foldText('new vaccines')));
    assert.ok(!vaccine.test(foldText('vacation mode')));
  });

  it('lets a space in a phrase match underscores and hyphens, and hashtags count as words', () => {
    assert.ok(phrasePattern('get rich quick').test(foldText('#get_rich_quick')));
    assert.ok(phrasePattern('get rich quick').test(foldText('get-rich-quick scheme')));
    assert.ok(phrasePattern('election*').test(foldText('#ElectionDay')));
  });

  it('folds the phrase the same way as the text, so numbers in phrases still match', () => {
    assert.deepEqual(findPhrases(foldText('maxing my 401k'), ['401k']), ['401k']);
  });

  it('treats regular-expression characters in a phrase literally', () => {
    assert.ok(phrasePattern('c++ dev').test(foldText('c++ dev life')));
    assert.ok(!phrasePattern('c.t').test(foldText('cat')));
  });

  it('given a masked letter, a stretched double letter or a hashtag, still matches a phrase', () => {
    const phrase = phrasePattern('kill yourself');
    for (const spelling of ['k*ll yourself', 'kill yours*lf', 'killll yourself', '#killyourself', 'kill_yourself']) {
      assert.ok(phrase.test(foldText(spelling)), spelling);
    }
    assert.ok(!phrase.test(foldText('skill yourself up')));
    assert.ok(!phrasePattern('teen').test(foldText('ten')), 'only a final double letter is tolerant');
  });

  it('returns phrases in policy order, as written in the policy', () => {
    assert.deepEqual(findPhrases(foldText('K Y S? no: kys and KILL YOURSELF'), ['kill yourself', 'kys']), [
      'kill yourself',
      'kys',
    ]);
  });
});

describe('phraseMatcher', () => {
  it('finds the leftmost whole-word phrase from a position, naming the first listed phrase there', () => {
    const matcher = phraseMatcher(['election*', 'election day sale', 'vote'], { masked: false });
    const folded = foldText('Our Election Day sale: vote! devote');
    assert.deepEqual(matcher.find(folded, 0), { start: 4, end: 12, phrase: 'election*' });
    assert.deepEqual(matcher.find(folded, 5), { start: 23, end: 27, phrase: 'vote' });
    assert.equal(matcher.find(folded, 24), null);
  });

  it('given masked spellings only when asked for, matches "k*ll" only then', () => {
    assert.equal(phraseMatcher(['kill yourself'], { masked: false }).find('k*ll yourself', 0), null);
    assert.ok(phraseMatcher(['kill yourself'], { masked: true }).find('k*ll yourself', 0));
  });
});
