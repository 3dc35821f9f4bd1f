import { describe } from 'node:test';
import { pipelineScenarios } from './support/pipelineScenarios.ts';
import { startTestChimera } from './support/testChimera.ts';

describe('the agent pipeline on the embedded default', () => {
  pipelineScenarios(() => startTestChimera());
});
