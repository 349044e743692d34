/**
 * Runs a piece of capture where the SDK called in (a filter, a hook, a processor): whatever capture trips on
 * stays here and the run goes on. What it could not capture, it leaves out.
 */
export function quietly<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
