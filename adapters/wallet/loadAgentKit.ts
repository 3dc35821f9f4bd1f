import { createRequire } from 'node:module';
import path from 'node:path';
import type * as AgentKit from '@coinbase/agentkit';

// AgentKit 0.10 posts an analytics event, with the wallet address, to https://cca-lite.coinbase.com
// when a wallet provider is created (WalletProvider's constructor, on the next microtask) and on
// every action (the @CreateAction decorator's wrapper), without awaiting or catching it: offline,
// the rejected fetch is an unhandled rejection, which ends the process. It has no setting to turn
// that off. Both call sites go through one function, `sendAnalyticsEvent` in
// dist/analytics/sendAnalyticsEvent.js, and read it from that CommonJS module's exports at each
// call: replacing the export with a function that does nothing turns every event off, before
// any request is built, and leaves the rest of the process's network alone (a guard on fetch
// or on sockets would also catch the LLM vendors' and the CDP API's requests, and would still
// have built a request carrying the address).
//
// This module is the only way in to AgentKit: it switches the events off before AgentKit is
// loaded, checks that the switch holds (an AgentKit that moved the function fails here, at
// start-up, not later with a crash), and loads AgentKit lazily (it takes seconds to load).

let loading: Promise<typeof AgentKit> | undefined;
const suppressed = new Map<string, number>();

export function loadAgentKit(): Promise<typeof AgentKit> {
  loading ??= (async () => {
    disableAgentKitAnalytics();
    return import('@coinbase/agentkit');
  })();
  return loading;
}

// How many events AgentKit tried to send, by event name: each one that did not leave.
export function suppressedAnalyticsEvents(): Record<string, number> {
  return Object.fromEntries(suppressed);
}

type AnalyticsModule = { sendAnalyticsEvent: (event: { name?: string }) => Promise<void> };

function disableAgentKitAnalytics(): void {
  const require = createRequire(import.meta.url);
  // The package's exports map hides dist/analytics; a file path reaches the same module instance
  // (Node keys its CommonJS cache by file name) that dist/index.js loads.
  const dist = path.dirname(require.resolve('@coinbase/agentkit'));
  const implementation = require(path.join(dist, 'analytics', 'sendAnalyticsEvent.js')) as AnalyticsModule;
  const noEvent: AnalyticsModule['sendAnalyticsEvent'] = async (event) => {
    const name = event?.name ?? 'unnamed';
    suppressed.set(name, (suppressed.get(name) ?? 0) + 1);
  };
  implementation.sendAnalyticsEvent = noEvent;
  const seenByCallers = require(path.join(dist, 'analytics', 'index.js')) as AnalyticsModule;
  if (seenByCallers.sendAnalyticsEvent !== noEvent) {
    throw new Error('AgentKit analytics could not be switched off: its sendAnalyticsEvent has moved (check this AgentKit version)');
  }
  // The CDP SDK (used by AgentKit's CDP wallet providers) sends its own usage and error events
  // to the same host; it has switches for both.
  process.env.DISABLE_CDP_USAGE_TRACKING = 'true';
  process.env.DISABLE_CDP_ERROR_REPORTING = 'true';
}
