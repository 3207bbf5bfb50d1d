import type { DriverDeps, DriverSetup } from '@kiosk/agent/drivers/registry.ts';
import { mockControlRouter } from './control.ts';
import { createMockWorld } from './world.ts';

export { createMockWorld } from './world.ts';
export { SCENARIOS, ACTIONS, findScenario } from './scenarios.ts';
export type { Scenario, ReaderAction } from './scenarios.ts';
export { MOCK_READER } from './mock-driver.ts';

/** The mock driver as the agent's registry builds it: driver, scripted services, control endpoint. */
export function createMockSetup(deps: DriverDeps): DriverSetup {
  const world = createMockWorld({ now: () => deps.clock.now() });
  return { driver: world.driver, qualification: world.qualification, routers: { '/mock': mockControlRouter(world.driver) } };
}
