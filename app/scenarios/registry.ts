// Builds a scenario widget's logic by name (loaded on demand, so a lesson without widgets never
// downloads them).

import type { ScenarioName } from './names';
import type { ScenarioPort } from './port';
import type { Scenario } from './scenario';

export async function createScenario(name: ScenarioName, port: ScenarioPort): Promise<Scenario> {
  switch (name) {
    case 'cache':
      return new (await import('./cache')).CacheScenario(port);
    case 'timeline':
      return new (await import('./timeline')).TimelineScenario(port);
    case 'rate-limit':
      return new (await import('./rate-limit')).RateLimitScenario(port);
    case 'lock':
      return new (await import('./lock')).LockScenario(port);
    case 'work-queue':
      return new (await import('./work-queue')).WorkQueueScenario(port);
    case 'pubsub':
      return new (await import('./pubsub')).PubSubScenario(port);
  }
}
