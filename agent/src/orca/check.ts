import { createOrcaApi } from './api.ts';
import { createOrcaClient } from './client.ts';
import { DEFAULT_DEPARTMENT, type OrcaSettings } from './reception.ts';

export interface OrcaCheck {
  /** Everything needed to send a 受付 is in place. */
  ok: boolean;
  /** One line per finding, problems first said as what is wrong and what to do. */
  lines: string[];
}

const listing = (codes: Map<string, string>) => [...codes].map(([code, name]) => `${code} ${name}`).join(', ') || 'none';

/**
 * `kiosk-agent orca check`: ORCA answers at the URL, takes the user and password, and knows the 診療科 and
 * ドクター codes (system01lstv2 on `today`). The password is never printed.
 */
export async function checkOrca(settings: OrcaSettings, today: string): Promise<OrcaCheck> {
  const client = createOrcaClient(settings.connection);
  const api = createOrcaApi(client);
  const lines: string[] = [];
  const departments = await api.codes('departments', today);
  if (departments.status === 'retry') return { ok: false, lines: [`problem: ${departments.reason} (${client.baseUrl})`] };
  if (departments.status === 'refused') {
    return { ok: false, lines: [`problem: ORCA refused the 診療科 list: ${departments.apiResult} ${departments.message}`.trim()] };
  }
  lines.push(`ok: ORCA answers at ${client.baseUrl} and accepts the user "${settings.connection.user}"`);
  let ok = true;
  const department = settings.department ?? DEFAULT_DEPARTMENT;
  const departmentName = departments.value.get(department);
  if (departmentName === undefined) {
    ok = false;
    lines.push(`problem: 診療科 ${department} is not registered in ORCA on ${today} (ORCA has: ${listing(departments.value)}); set --orca-department`);
  } else lines.push(`ok: 診療科 ${department} ${departmentName}`);

  const physicians = await api.codes('physicians', today);
  if (physicians.status !== 'ok') {
    const why = physicians.status === 'retry' ? physicians.reason : `${physicians.apiResult} ${physicians.message}`.trim();
    return { ok: false, lines: [...lines, `problem: the ドクター list: ${why}`] };
  }
  if (settings.physician !== undefined) {
    const name = physicians.value.get(settings.physician);
    if (name === undefined) {
      ok = false;
      lines.push(
        `problem: ドクター ${settings.physician} is not registered in ORCA on ${today} (ORCA has: ${listing(physicians.value)}); set --orca-physician`,
      );
    } else lines.push(`ok: ドクター ${settings.physician} ${name}`);
  } else if (physicians.value.size === 1) {
    const [code, name] = [...physicians.value][0]!;
    lines.push(`ok: ドクター ${code} ${name} (the only one in ORCA; --orca-physician not needed)`);
  } else {
    ok = false;
    lines.push(`problem: ORCA has ${physicians.value.size} ドクター (${listing(physicians.value)}): name one with --orca-physician`);
  }
  return { ok, lines };
}
