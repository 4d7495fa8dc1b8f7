/** Moves only the process's Date to `date`; timers, I/O and microtasks run as usual (no sleeps in tests). */
export function setDateOnly(date: Date): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  jest.setSystemTime(date);
}
