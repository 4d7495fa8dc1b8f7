/** A pause that `wake()` ends at once, so a loop that sleeps between tries stops without waiting. */
export function wakeableSleep(): { sleep: (ms: number) => Promise<void>; wake: () => void } {
  let wakeNow: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeNow = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    wake: () => wakeNow?.(),
  };
}
