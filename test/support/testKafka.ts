import net from 'node:net';

// The Kafka broker of the service suites: TEST_KAFKA_BROKERS (started by `npm run services:up`).
// Under CHIMERA_REQUIRE_SERVICES=1 a missing broker fails the suite instead of skipping it.

const brokers = process.env.TEST_KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];

async function probe(): Promise<string | undefined> {
  if (brokers.length === 0) return 'no Kafka broker: TEST_KAFKA_BROKERS is not set (run `npm run services:up`)';
  const [host, port] = brokers[0]!.split(':');
  return new Promise((resolve) => {
    const socket = net.connect({ host: host!, port: Number(port), timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    const fail = (why: string) => {
      socket.destroy();
      resolve(`Kafka broker at ${brokers[0]} unreachable: ${why}`);
    };
    socket.once('timeout', () => fail('timeout'));
    socket.once('error', (e) => fail(e.message));
  });
}

export const kafkaProblem = await probe();
if (kafkaProblem && process.env.CHIMERA_REQUIRE_SERVICES === '1') {
  throw new Error(`CHIMERA_REQUIRE_SERVICES=1 but ${kafkaProblem}`);
}

export const testKafkaBrokers = brokers;
