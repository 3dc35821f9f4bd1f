// A round of work every `intervalMs`: never two at once (a round still running when the next
// is due is not doubled), errors reported and the next round tried; stop() waits for the
// round in hand. For the sweepers and pollers, which act on what no event triggers.
export class PeriodicRounds {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  // `now`: a first round at once, not after the first interval.
  start(now = false): void {
    const run = () => {
      this.running ??= this.round()
        .then(() => {})
        .catch((error) => this.onError?.(error))
        .finally(() => (this.running = null));
    };
    if (now) run();
    this.timer = setInterval(run, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
