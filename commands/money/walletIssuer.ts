import type { Bus } from '../../adapters/bus/bus.ts';
import type { Actor, EventStore, RecordedEvent } from '../../adapters/eventstore/eventStore.ts';
import type { AgentStates } from '../agentStates.ts';
import { EventReactor } from '../eventReactor.ts';
import { handleAgentCommand } from '../handleAgentCommand.ts';

// What the issuer needs of the wallets: a wallet per agent (its key stays with the wallets),
// and, on the embedded default, its first funds from the dev chain.
export type IssuingWallets = {
  createWallet(agentId: string): Promise<{ address: string; keyReference: string; network: string }>;
  fund?(address: string): Promise<void>;
};

// A member of the `cfo` group: every agent gets a wallet when it is created (issue 6). The
// wallet is derived from the agent's id, so a redelivered AgentCreated derives the same one
// and CreateWallet records it once.
export class WalletIssuer {
  private readonly reactor: EventReactor;

  constructor(
    private readonly store: EventStore,
    private readonly states: AgentStates,
    bus: Bus,
    private readonly wallets: IssuingWallets,
    options: { topic: string; onError?: (error: unknown) => void; actor?: Actor },
  ) {
    const actor = options.actor ?? { sub: 'chimera-cfo', role: 'service' };
    this.reactor = new EventReactor(bus, {
      topic: options.topic,
      group: 'cfo',
      types: ['AgentCreated'],
      handle: (event) => this.issue(event, actor),
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }

  start(): Promise<void> {
    return this.reactor.start();
  }

  stop(): Promise<void> {
    return this.reactor.stop();
  }

  private async issue(event: RecordedEvent, actor: Actor): Promise<void> {
    const agentId = event.streamId.slice('agent-'.length);
    const { state } = await this.states.load(agentId);
    if (state.money.wallet || state.agent.status !== 'active') return;
    const wallet = await this.wallets.createWallet(agentId);
    // Funded before it is recorded: a crash in between funds it again on the redelivery
    // (dev chain money, harmless), where the other order could leave an agent without funds.
    await this.wallets.fund?.(wallet.address);
    await handleAgentCommand(
      this.store,
      agentId,
      { type: 'CreateWallet', data: { address: wallet.address, network: wallet.network, key_reference: wallet.keyReference }, now: new Date().toISOString() },
      { actor, correlationId: `wallet-${agentId}`, causationId: event.id },
      {},
      this.states,
    );
  }
}
