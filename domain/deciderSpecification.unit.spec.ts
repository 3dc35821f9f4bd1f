import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accept, refuse } from './decider.ts';
import type { Decider } from './decider.ts';
import { DeciderSpecification } from './deciderSpecification.ts';

// A counter that may only count up to 2, enough to exercise each assertion.
type Incremented = { type: 'Incremented' };
const counter: Decider<{ by: number }, Incremented, { count: number }> = {
  decide: ({ by }, state) => {
    if (by === 0) return accept([]);
    if (state.count + by > 2) return refuse('counter_full', 'full', { count: state.count });
    return accept(Array.from({ length: by }, () => ({ type: 'Incremented' as const })));
  },
  evolve: (state) => ({ count: state.count + 1 }),
  initialState: () => ({ count: 0 }),
};
const incremented: Incremented = { type: 'Incremented' };
const given = DeciderSpecification.for(counter);

describe('DeciderSpecification', () => {
  it('passes when the expectation holds', () => {
    given([]).when({ by: 2 }).then([incremented, incremented]);
    given([incremented]).when({ by: 0 }).thenNothingHappens();
    const error = given([incremented, incremented]).when({ by: 1 }).thenRefuses('counter_full', { count: 2 });
    assert.equal(error.message, 'full');
    DeciderSpecification.for(counter).given([]).when({ by: 1 }).then([incremented]);
  });

  it('fails when the expectation does not hold', () => {
    assert.throws(() => given([]).when({ by: 1 }).then([]), assert.AssertionError);
    assert.throws(() => given([]).when({ by: 3 }).then([]), /counter_full/);
    assert.throws(() => given([]).when({ by: 1 }).thenNothingHappens(), assert.AssertionError);
    assert.throws(() => given([]).when({ by: 1 }).thenRefuses('counter_full'), /expected refusal/);
    assert.throws(() => given([incremented, incremented]).when({ by: 1 }).thenRefuses('other'), /counter_full/);
    assert.throws(
      () => given([incremented, incremented]).when({ by: 1 }).thenRefuses('counter_full', { count: 1 }),
      assert.AssertionError,
    );
  });

  it('fails a decider that mutates its state or command', () => {
    const mutating: Decider<{ by: number }, Incremented, { count: number }> = {
      ...counter,
      decide: (command, state) => {
        state.count += command.by;
        return accept([]);
      },
    };
    assert.throws(() => DeciderSpecification.for(mutating)([]).when({ by: 1 }).thenNothingHappens(), TypeError);
  });
});
