import type { DriverDeps, DriverSetup } from '@kiosk/agent/drivers/registry.ts';
import { mockControlRouter } from './control.ts';
import { createMockWorld } from './world.ts';
import { testCaCertificatePem } from '../card/index.ts';

export { createMockWorld } from './world.ts';
export { SCENARIOS, ACTIONS, findScenario } from './scenarios.ts';
export type { Scenario, ReaderAction } from './scenarios.ts';
export { MOCK_READER } from './mock-driver.ts';

/** The mock driver as the agent's registry builds it: driver, scripted services, control endpoint. */
export async function createMockSetup(deps: DriverDeps): Promise<DriverSetup> {
  const world = createMockWorld({ now: () => deps.clock.now() });
  return {
    driver: world.driver,
    qualification: world.qualification,
    routers: { '/mock': mockControlRouter(world.driver) },
    // The virtual cards' certificates chain to the test PKI's CA, trusted only with the mock driver.
    trustPems: [await testCaCertificatePem()],
  };
}
