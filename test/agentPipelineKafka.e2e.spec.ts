import { describeOn, postgresServerTarget } from './support/testDatabases.ts';
import { kafkaProblem } from './support/testKafka.ts';
import { startDistributedChimera } from './support/distributedChimera.ts';
import { pipelineScenarios } from './support/pipelineScenarios.ts';

// The same acceptance scenarios with every role its own process, over the PostgreSQL server
// and the real Kafka broker; two worker processes share the `workers` consumer group.
describeOn({ ...postgresServerTarget, skip: postgresServerTarget.skip ?? kafkaProblem }, 'the agent pipeline as processes over Kafka', () => {
  pipelineScenarios(() => startDistributedChimera(2));
});
