import { Router } from 'express';
import { z } from 'zod';
import type { MockDriver } from './mock-driver.ts';
import { ACTIONS, SCENARIOS } from './scenarios.ts';

const PlayRequest = z.object({ scenario: z.string().min(1).max(64) });

/**
 * The mock control endpoint (mounted at /mock by the agent, and only when the driver is mock):
 * GET /mock/scenarios lists the catalogue; POST /mock/scenario {"scenario": name} plays one.
 */
export function mockControlRouter(driver: MockDriver): Router {
  const router = Router();
  router.get('/scenarios', (_req, res) => {
    res.json({
      scenarios: SCENARIOS.map(({ name, description, patient }) => ({ name, description, patient })),
      actions: ACTIONS,
      current: driver.current()?.name ?? null,
    });
  });
  router.post('/scenario', async (req, res) => {
    const request = PlayRequest.safeParse(req.body);
    if (!request.success) {
      res.status(400).json({ ok: false, error: { code: 'INPUT_INVALID', message: 'Expected {"scenario": "<name>"}', retriable: false } });
      return;
    }
    const played = await driver.play(request.data.scenario);
    if (!played.ok) {
      res.status(404).json(played);
      return;
    }
    res.json({ ok: true, scenario: played.value.name });
  });
  return router;
}
