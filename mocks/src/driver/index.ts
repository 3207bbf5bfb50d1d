export { createMockWorld, type MockWorld } from './world.ts';
export { mockControlRouter } from './control.ts';
export { SCENARIOS, ACTIONS, findScenario } from './scenarios.ts';
export type { Scenario, ReaderAction } from './scenarios.ts';
export { MOCK_READER } from './mock-driver.ts';
