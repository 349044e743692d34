import { describeDifference, type Difference } from './difference.js';

/**
 * A re-run asked the recording for something it does not hold: a request unlike the recorded one (`strict`),
 * another agent or more calls than were recorded (`sequence`). The run ends with it, as with any model error.
 */
export class DivergenceError extends Error {
  override name = 'DivergenceError';
  constructor(readonly difference: Difference) {
    super(describeDifference(difference));
  }
}
