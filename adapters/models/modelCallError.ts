import type { ModelCall } from './modelPort.ts';

// Why a model call failed. The port returns promises of answers, so failures are thrown; the
// `failure` field lets a caller tell a slow vendor from a refused key from unusable output.
export type ModelFailure =
  | 'timeout' // no answer within the client's time budget (retries included)
  | 'http' // the vendor refused the request (4xx other than 429), or kept failing with 429/5xx
  | 'network' // the vendor could not be reached, also after retries
  | 'bad_response' // the vendor answered 2xx in a shape we do not recognise, or with no text
  | 'invalid_output'; // the model's text was not the JSON asked for, also after one repair

export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  constructor(
    readonly failure: ModelFailure,
    message: string,
    readonly details: {
      provider: string;
      model: string;
      status?: number;
      attempts?: number;
      // What was spent before giving up (invalid_output): still worth recording as a cost.
      call?: ModelCall;
    },
  ) {
    super(message);
  }
}
