import { testKafkaBrokers, kafkaProblem } from '../../test/support/testKafka.ts';
import { describeBusContract } from './busContract.ts';
import { InProcessBus } from './inProcessBus.ts';
import { KafkaBus } from './kafkaBus.ts';

describeBusContract('in-process', async () => new InProcessBus());
describeBusContract('kafka', async () => new KafkaBus({ brokers: testKafkaBrokers, clientId: 'bus-contract' }), { skip: kafkaProblem });
