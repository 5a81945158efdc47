// The scenario widgets a lesson can embed with a ```scenario block, by name. Kept apart from the
// widgets themselves so the lesson parser can check names without loading them.

export const SCENARIO_NAMES = ['cache', 'timeline', 'rate-limit', 'lock', 'work-queue', 'pubsub'] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const isScenarioName = (s: string): s is ScenarioName => (SCENARIO_NAMES as readonly string[]).includes(s);

/** Engine sessions of scenario widgets are numbered from here (terminals from 1, the lesson checker 1,000,000). */
export const FIRST_SCENARIO_SESSION = 2_000_000;
