/** What `run` returns, or undefined when it throws. */
export const attempt = <T>(run: () => T): T | undefined => {
  try {
    return run();
  } catch {}
};
