// Polls `probe` until it returns a value (not undefined); on timeout, fails with the output
// of the processes under test, which is what explains a hang.
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, log: () => string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out; process output:\n${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
