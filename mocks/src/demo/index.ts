import { startAgent, type AgentOptions, type RunningAgent } from '@kiosk/agent/app.ts';
import type { DriverSetup } from '@kiosk/agent/drivers/registry.ts';
import { systemClock, type Clock } from '@kiosk/agent/clock.ts';
import { testCaCertificatePem } from '../card/index.ts';
import { createMockWorld, mockControlRouter } from '../driver/index.ts';

/**
 * The demonstration's composition root: the agent with the mock reader, its scripted qualification
 * service (which invents people), the virtual cards' test CA and the /mock control endpoint. Production
 * (kiosk-agent start) never reaches this file; every snapshot and /healthz say `demo: true`.
 */
export async function createDemoSetup(clock: Clock = systemClock): Promise<DriverSetup> {
  const world = createMockWorld({ now: () => clock.now() });
  return {
    driver: world.driver,
    eligibility: { certificates: world.qualification, insuranceNumbers: world.qualification },
    routers: { '/mock': mockControlRouter(world.driver) },
    // The virtual cards' certificates chain to the test PKI's CA, trusted only in the demo.
    trustPems: [await testCaCertificatePem()],
    demo: true,
  };
}

export type DemoOptions = Omit<AgentOptions, 'driver' | 'driverSetup'>;

/** Starts the demonstration agent (npm start, the tests and the benchmark use it). */
export async function startDemo(options: DemoOptions = {}): Promise<RunningAgent> {
  const clock = options.clock ?? systemClock;
  return startAgent({ ...options, clock, driverSetup: await createDemoSetup(clock) });
}
