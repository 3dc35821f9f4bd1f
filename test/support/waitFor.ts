// Polling for what a test waits on. One loop: `until` waits for a truthy value and names what
// it waited for; `waitFor` waits for a defined one and, on timeout, shows the output of the
// processes under test, which is what explains a hang.
async function poll<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, intervalMs: number, failure: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function until<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  return poll(async () => (await check()) || undefined, timeoutMs, intervalMs, () => `timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, log: () => string, timeoutMs = 60_000): Promise<T> {
  return poll(probe, timeoutMs, 100, () => `timed out; process output:\n${log()}`);
}
