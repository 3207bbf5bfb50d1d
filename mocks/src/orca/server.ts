import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A stand-in for ORCA (日レセ / WebORCA) built from ORCA's API pages: the six APIs the reception uses, in
 * xml2 (default) and JSON (?format=json), behind HTTP Basic auth, with the documented result codes. Its
 * state can be read and its faults switched, so tests and the demonstration can show every sync state.
 * Invented people only.
 */

export interface MockInsurance {
  combination: string;
  insurerNumber: string;
  symbol: string;
  number: string;
  branch?: string;
}

export interface MockPatient {
  patientId: string;
  name: string;
  kana: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: string;
  insurances: MockInsurance[];
}

export interface MockAcceptance {
  acceptanceId: string;
  patientId: string;
  date: string;
  time: string;
  department: string;
  physician: string;
  combination: string;
  /** 会計済: the patient was seen; another 受付 the same day is allowed. */
  paid: boolean;
}

/**
 * - down: the server does not listen (connection refused) — use stop()/start();
 * - slow: every answer comes after `delayMs`;
 * - error-5xx: HTTP 503 with an HTML page;
 * - malformed: HTTP 200 with a broken body;
 * - accept-then-timeout: acceptmodv2 carries the request out and never answers;
 * - busy: Api_Result 90 (他端末使用中);
 * - unauthorized: every request is refused with 401, whatever the credentials.
 */
export const MOCK_ORCA_FAULTS = ['none', 'slow', 'error-5xx', 'malformed', 'accept-then-timeout', 'busy', 'unauthorized'] as const;
export type MockOrcaFault = (typeof MOCK_ORCA_FAULTS)[number];

export interface MockOrcaRequest {
  api: string;
  /** Request_Number or class, when the API has one. */
  kind?: string;
  format: 'xml2' | 'json';
}

export interface MockOrcaOptions {
  port?: number;
  host?: string;
  /** "/api" to stand in for WebORCA (paths under /api). */
  prefix?: string;
  user?: string;
  password?: string;
  departments?: Record<string, string>;
  physicians?: Record<string, string>;
  patients?: MockPatient[];
}

export interface MockOrca {
  /** Base URL including the prefix, as the agent's --orca-url. */
  readonly url: string;
  readonly port: number;
  readonly patients: MockPatient[];
  readonly acceptances: MockAcceptance[];
  /** Every API request that passed authentication, in order. */
  readonly requests: MockOrcaRequest[];
  /** A fault on every API or on the named ones (e.g. ['acceptmodv2']). */
  setFault(fault: MockOrcaFault, options?: { delayMs?: number; apis?: string[] }): void;
  addPatient(patient: Omit<MockPatient, 'patientId'>): MockPatient;
  /** Marks every 受付 会計済 (the patients were seen). */
  finishVisits(): void;
  /** Stops listening and drops open connections: ORCA is down. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && name !== 'data',
});

type Fields = Record<string, unknown>;

/** xml2 request → plain fields (records as objects, arrays as lists, strings as strings). */
function fromXml(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node ?? '';
  const n = node as Record<string, unknown>;
  const children = Object.entries(n).filter(([k]) => !k.startsWith('@') && k !== '#text');
  if (n['@type'] === 'array') return children.flatMap(([, items]) => (items as unknown[]).map(fromXml));
  if (children.length === 0) return typeof n['#text'] === 'string' ? n['#text'] : '';
  return Object.fromEntries(children.map(([k, items]) => [k, fromXml((items as unknown[])[0])]));
}

function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return `<${name} type="array">${value.map((v) => toXml(`${name}_child`, v)).join('')}</${name}>`;
  if (typeof value === 'object' && value !== null) {
    return `<${name} type="record">${Object.entries(value)
      .map(([k, v]) => toXml(k, v))
      .join('')}</${name}>`;
  }
  const text = String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<${name} type="string">${text}</${name}>`;
}

const str = (fields: Fields | undefined, key: string) => {
  const v = fields?.[key];
  return typeof v === 'string' ? v : '';
};
const plain = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
/** ORCA stores 記号・番号 full-width (its pages: 半角文字は全角文字へ変換します). */
const fullWidth = (s: string) => s.normalize('NFKC').replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const sameId = (a: string, b: string) => a.replace(/^0+(?=\d)/, '') === b.replace(/^0+(?=\d)/, '');
const japanNow = () => new Date(Date.now() + 9 * 3600_000).toISOString();

export async function startMockOrca(options: MockOrcaOptions = {}): Promise<MockOrca> {
  const prefix = (options.prefix ?? '').replace(/\/$/, '');
  const user = options.user ?? 'ormaster';
  const password = options.password ?? 'ormaster';
  const departments = options.departments ?? { '01': '内科' };
  const physicians = options.physicians ?? { '10001': '試験　医師' };
  const patients: MockPatient[] = [...(options.patients ?? [])];
  const acceptances: MockAcceptance[] = [];
  const requests: MockOrcaRequest[] = [];
  let fault: { kind: MockOrcaFault; delayMs: number; apis?: string[] } = { kind: 'none', delayMs: 0 };
  let nextPatient = patients.length + 1;
  let nextAcceptance = 1;
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();

  const patientRecord = (p: MockPatient) => ({
    Patient_ID: p.patientId,
    WholeName: p.name,
    WholeName_inKana: p.kana,
    BirthDate: p.birthDate,
    Sex: p.sex,
    HealthInsurance_Information: p.insurances.map((i) => ({
      Insurance_Combination_Number: i.combination,
      Insurance_Nondisplay: 'N',
      InsuranceProvider_Number: i.insurerNumber,
      HealthInsuredPerson_Symbol: i.symbol,
      HealthInsuredPerson_Number: i.number,
      ...(i.branch ? { HealthInsuredPerson_Branch_Number: i.branch } : {}),
      Certificate_ExpiredDate: '9999-12-31',
    })),
  });

  function addPatient(p: Omit<MockPatient, 'patientId'>): MockPatient {
    const patient = { ...p, patientId: String(nextPatient++).padStart(5, '0') };
    patients.push(patient);
    return patient;
  }

  const result = (code: string, message: string, rest: Fields = {}) => ({
    Information_Date: japanNow().slice(0, 10),
    Information_Time: japanNow().slice(11, 19),
    Api_Result: code,
    Api_Result_Message: message,
    ...rest,
  });

  /** One API call → [response record name, fields], or undefined for an unknown path. */
  function answer(api: string, query: URLSearchParams, body: Fields): [string, Fields] | undefined {
    switch (api) {
      case 'orca11/acceptmodv2': {
        const req = (body.acceptreq ?? {}) as Fields;
        const number = str(req, 'Request_Number') || query.get('class') || '01';
        const patient = patients.find((p) => sameId(p.patientId, str(req, 'Patient_ID')));
        if (!str(req, 'Patient_ID')) return ['acceptres', result('01', '患者番号が未設定です')];
        if (!patient) return ['acceptres', result('10', '患者番号に該当する患者が存在しません')];
        if (number === '02') {
          const index = acceptances.findIndex(
            (a) =>
              a.acceptanceId === str(req, 'Acceptance_Id') &&
              a.date === (str(req, 'Acceptance_Date') || japanNow().slice(0, 10)) &&
              sameId(a.patientId, patient.patientId),
          );
          if (index < 0) return ['acceptres', result('17', '削除対象の受付レコードが存在しません')];
          const [removed] = acceptances.splice(index, 1);
          return ['acceptres', result('00', '受付取消終了', { Acceptance_Id: removed!.acceptanceId, Acceptance_Time: removed!.time })];
        }
        const department = str(req, 'Department_Code');
        const physician = str(req, 'Physician_Code');
        if (!department) return ['acceptres', result('02', '診療科が未設定です')];
        if (!physician) return ['acceptres', result('03', 'ドクターが未設定です')];
        if (!(department in departments)) return ['acceptres', result('13', '診療科が存在しません')];
        if (!(physician in physicians)) return ['acceptres', result('14', 'ドクターが存在しません')];
        const wanted = str(req.HealthInsurance_Information as Fields, 'Insurance_Combination_Number');
        const combination = wanted || patient.insurances[0]?.combination || '';
        if (wanted && !patient.insurances.some((i) => i.combination === wanted)) return ['acceptres', result('23', '保険情報と一致する保険組合せがありません')];
        const date = str(req, 'Acceptance_Date') || japanNow().slice(0, 10);
        const twice = acceptances.some(
          (a) => sameId(a.patientId, patient.patientId) && a.date === date && a.department === department && a.combination === combination && !a.paid,
        );
        if (twice) return ['acceptres', result('16', '診療科・保険組合せで受付登録済みです。二重登録疑い')];
        const acceptance: MockAcceptance = {
          acceptanceId: String(nextAcceptance++).padStart(5, '0'),
          patientId: patient.patientId,
          date,
          time: str(req, 'Acceptance_Time') || japanNow().slice(11, 19),
          department,
          physician,
          combination,
          paid: false,
        };
        acceptances.push(acceptance);
        return [
          'acceptres',
          result('00', '受付登録終了', {
            Acceptance_Date: acceptance.date,
            Acceptance_Time: acceptance.time,
            Acceptance_Id: acceptance.acceptanceId,
            Department_Code: department,
            Physician_Code: physician,
            Patient_Information: patientRecord(patient),
          }),
        ];
      }
      case 'api01rv2/acceptlstv2': {
        const req = (body.acceptlstreq ?? {}) as Fields;
        const kind = query.get('class') ?? '01';
        const date = str(req, 'Acceptance_Date') || japanNow().slice(0, 10);
        const list = acceptances.filter(
          (a) =>
            a.date === date &&
            (!str(req, 'Department_Code') || a.department === str(req, 'Department_Code')) &&
            (!str(req, 'Physician_Code') || a.physician === str(req, 'Physician_Code')) &&
            (kind === '03' || (kind === '02') === a.paid),
        );
        if (list.length === 0) return ['acceptlstres', result('21', '対象の受付はありませんでした')];
        return [
          'acceptlstres',
          result('00', '処理終了', {
            Acceptance_Date: date,
            Acceptlst_Information: list.map((a) => {
              const p = patients.find((x) => x.patientId === a.patientId)!;
              return {
                Acceptance_Time: a.time,
                Acceptance_Id: a.acceptanceId,
                Department_Code: a.department,
                Physician_Code: a.physician,
                Patient_Information: { Patient_ID: p.patientId, WholeName: p.name, WholeName_inKana: p.kana, BirthDate: p.birthDate, Sex: p.sex },
                HealthInsurance_Information: { Insurance_Combination_Number: a.combination },
              };
            }),
          }),
        ];
      }
      case 'api01rv2/patientgetv2': {
        const patient = patients.find((p) => sameId(p.patientId, query.get('id') ?? ''));
        if (!patient) return ['patientinfores', result('10', '該当患者なし')];
        return ['patientinfores', result('00', '処理終了', { Patient_Information: patientRecord(patient) })];
      }
      case 'api01rv2/patientlst3v2': {
        const req = (body.patientlst3req ?? {}) as Fields;
        const name = plain(str(req, 'WholeName'));
        if (!name) return ['patientlst2res', result('01', '氏名の設定がありません')];
        const from = str(req, 'Birth_StartDate') || '0000-00-00';
        const to = str(req, 'Birth_EndDate') || '9999-99-99';
        const found = patients.filter((p) => (plain(p.kana).startsWith(name) || plain(p.name).startsWith(name)) && p.birthDate >= from && p.birthDate <= to);
        // The "no patient" code is the one patientgetv2 documents (10).
        if (found.length === 0) return ['patientlst2res', result('10', '該当患者なし')];
        return [
          'patientlst2res',
          result('00', '処理終了', { Target_Patient_Count: String(found.length).padStart(3, '0'), Patient_Information: found.map(patientRecord) }),
        ];
      }
      case 'orca12/patientmodv2': {
        const req = (body.patientmodreq ?? {}) as Fields;
        if (!str(req, 'Patient_ID')) return ['patientmodres', result('01', '患者番号未設定')];
        if (!str(req, 'WholeName')) return ['patientmodres', result('02', '患者氏名未設定')];
        if (!str(req, 'WholeName_inKana')) return ['patientmodres', result('03', '患者カナ氏名未設定')];
        if (!str(req, 'BirthDate')) return ['patientmodres', result('04', '生年月日未設定')];
        if (!['1', '2'].includes(str(req, 'Sex'))) return ['patientmodres', result('16', '性別は１：男２：女で入力して下さい')];
        if (str(req, 'Patient_ID') !== '*') return ['patientmodres', result('11', '患者番号の自動採番はできません')];
        const duplicate = patients.some((p) => p.name === str(req, 'WholeName') && p.sex === str(req, 'Sex') && p.birthDate === str(req, 'BirthDate'));
        const ins = req.HealthInsurance_Information as Fields | undefined;
        const patient = addPatient({
          name: str(req, 'WholeName'),
          kana: str(req, 'WholeName_inKana'),
          birthDate: str(req, 'BirthDate'),
          sex: str(req, 'Sex'),
          insurances: str(ins, 'InsuranceProvider_Number')
            ? [
                {
                  combination: '0001',
                  insurerNumber: str(ins, 'InsuranceProvider_Number'),
                  symbol: fullWidth(str(ins, 'HealthInsuredPerson_Symbol')),
                  number: fullWidth(str(ins, 'HealthInsuredPerson_Number')),
                  ...(str(ins, 'HealthInsuredPerson_Branch_Number') ? { branch: str(ins, 'HealthInsuredPerson_Branch_Number') } : {}),
                },
              ]
            : [],
        });
        const code = duplicate ? 'K0' : '00';
        return ['patientmodres', result(code, duplicate ? '警告！同一患者の登録があります' : '登録終了', { Patient_Information: patientRecord(patient) })];
      }
      case 'api01rv2/system01lstv2': {
        const req = (body.system01_managereq ?? {}) as Fields;
        const number = str(req, 'Request_Number') || query.get('class') || '';
        if (number === '01') {
          return [
            'departmentres',
            result('00', '処理終了', { Department_Information: Object.entries(departments).map(([Code, WholeName]) => ({ Code, WholeName })) }),
          ];
        }
        if (number === '02') {
          const list = Object.entries(physicians).map(([Code, WholeName]) => ({ Code, WholeName }));
          return list.length === 0
            ? ['physicianres', result('11', '対象がありません')]
            : ['physicianres', result('00', '処理終了', { Physician_Information: list })];
        }
        return ['system01res', result('91', '処理区分未設定')];
      }
      default:
        return undefined;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock');
    if (url.pathname.startsWith('/mock/')) return control(url, req.method ?? 'GET', res);
    if (!url.pathname.startsWith(`${prefix}/`)) return void res.writeHead(404).end();
    const api = url.pathname.slice(prefix.length + 1);
    const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    if (fault.kind === 'unauthorized' || req.headers.authorization !== expected) {
      return void res.writeHead(401, { 'www-authenticate': 'Basic realm="orca"' }).end();
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const format = url.searchParams.get('format') === 'json' ? 'json' : 'xml2';
    let body: Fields = {};
    if (raw) {
      if (format === 'json') body = JSON.parse(raw) as Fields;
      else if (XMLValidator.validate(raw) === true) body = (fromXml((parser.parse(raw) as Fields).data) as Fields) ?? {};
    }
    const reqFields = Object.values(body)[0] as Fields | undefined;
    const kind = str(reqFields, 'Request_Number') || url.searchParams.get('class') || undefined;
    const short = api.split('/').pop()!;
    const faulty = fault.kind !== 'none' && (!fault.apis || fault.apis.includes(short));
    if (faulty && fault.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (faulty && fault.kind === 'error-5xx')
      return void res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>503 Service Unavailable</body></html>');
    if (faulty && fault.kind === 'malformed')
      return void res.writeHead(200, { 'content-type': 'application/xml' }).end('<xmlio2><acceptres type="record"><Api_Result');
    if (faulty && fault.kind === 'busy') {
      requests.push({ api: short, ...(kind ? { kind } : {}), format });
      return send(res, format, 'acceptres', result('90', '他端末使用中'));
    }
    requests.push({ api: short, ...(kind ? { kind } : {}), format });
    const answered = answer(api, url.searchParams, body);
    if (!answered) return void res.writeHead(404).end();
    if (faulty && fault.kind === 'accept-then-timeout' && short === 'acceptmodv2') {
      held.add(res); // carried out; the answer never comes
      return;
    }
    send(res, format, ...answered);
  }

  /**
   * The demonstration's switches (no ORCA has them): GET /mock/state, POST /mock/fault?kind=K[&delayMs=N],
   * POST /mock/down?seconds=N (stop listening, listen again after N seconds), POST /mock/finish-visits.
   */
  function control(url: URL, method: string, res: ServerResponse): void {
    const reply = (value: unknown) => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (method === 'GET' && url.pathname === '/mock/state') {
      return reply({
        fault: fault.kind,
        patients: patients.map((p) => p.patientId),
        acceptances: acceptances.map(({ acceptanceId, patientId, date, time, paid }) => ({ acceptanceId, patientId, date, time, paid })),
        requests: requests.length,
      });
    }
    if (method === 'POST' && url.pathname === '/mock/fault') {
      const kind = (url.searchParams.get('kind') ?? 'none') as MockOrcaFault;
      if (!MOCK_ORCA_FAULTS.includes(kind)) return void res.writeHead(400).end(`kind is one of ${MOCK_ORCA_FAULTS.join(', ')}`);
      fault = { kind, delayMs: Number(url.searchParams.get('delayMs') ?? 15_000) };
      return reply({ fault: kind });
    }
    if (method === 'POST' && url.pathname === '/mock/down') {
      const seconds = Number(url.searchParams.get('seconds') ?? 30);
      reply({ down: seconds });
      setTimeout(() => void stop().then(() => setTimeout(() => void start(), seconds * 1000)), 50);
      return;
    }
    if (method === 'POST' && url.pathname === '/mock/finish-visits') {
      for (const a of acceptances) a.paid = true;
      return reply({ paid: acceptances.length });
    }
    res.writeHead(404).end();
  }

  function send(res: ServerResponse, format: 'xml2' | 'json', name: string, fields: Fields): void {
    if (format === 'json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [name]: fields }));
    res
      .writeHead(200, { 'content-type': 'application/xml; charset=UTF-8' })
      .end(`<?xml version="1.0" encoding="UTF-8"?>\n<xmlio2>${toXml(name, fields)}</xmlio2>`);
  }

  let server: Server | undefined;
  let port = options.port ?? 0;
  const host = options.host ?? '127.0.0.1';

  async function start(): Promise<void> {
    if (server) return;
    const s = createServer((req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    s.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, host, () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  }

  async function stop(): Promise<void> {
    const s = server;
    if (!s) return;
    server = undefined;
    held.clear();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await start();
  return {
    get url() {
      return `http://${host}:${port}${prefix}`;
    },
    get port() {
      return port;
    },
    patients,
    acceptances,
    requests,
    setFault(kind, more = {}) {
      fault = { kind, delayMs: more.delayMs ?? 0, ...(more.apis ? { apis: more.apis } : {}) };
    },
    addPatient,
    finishVisits() {
      for (const a of acceptances) a.paid = true;
    },
    stop,
    start,
    close: stop,
  };
}
