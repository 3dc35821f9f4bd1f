import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPhrases, foldText, phrasePattern, stripInvisible } from './foldText.ts';

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

  it('returns phrases in policy order, as written in the policy', () => {
    assert.deepEqual(findPhrases(foldText('K Y S? no: kys and KILL YOURSELF'), ['kill yourself', 'kys']), [
      'kill yourself',
      'kys',
    ]);
  });
});
