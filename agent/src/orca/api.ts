import type { OrcaClient, OrcaReply } from './client.ts';
import { listOf, recordOf, text, type OrcaRecord } from './xml2.ts';

/**
 * The six ORCA APIs the reception uses, each with its own result codes (ORCA's API pages): success is "00"
 * everywhere here, acceptmodv2 adds the warnings K1–K3 and patientmodv2 K0–K5 (the request was carried out);
 * "no data" is 21 for acceptlstv2, 10 for patientgetv2 and patientlst3v2, 11 for system01lstv2.
 */

/**
 * What a call came to:
 * - ok: the value;
 * - refused: ORCA answered no (its code and message); a person has to look;
 * - retry: nothing usable came back (down, slow, 5xx, broken answer, credentials refused, ORCA busy with the
 *   patient on another terminal): try again later. `inDoubt`: the request may have been carried out anyway.
 */
export type Outcome<T> =
  { status: 'ok'; value: T } | { status: 'refused'; apiResult: string; message: string } | { status: 'retry'; reason: string; inDoubt: boolean };

/** Codes that mean "try again later" on every API: 89 ORCA's own settings unreadable, 90 他端末使用中, 99 user not registered in ORCA. */
const RETRY_CODES = new Set(['89', '90', '99']);

function outcome<T>(reply: OrcaReply, ok: (code: string) => boolean, value: (body: OrcaRecord, code: string) => T): Outcome<T> {
  if (!reply.ok) return { status: 'retry', reason: reply.failure.reason, inDoubt: reply.failure.delivered === 'unknown' };
  const { apiResult, message, body } = reply.answer;
  if (ok(apiResult)) return { status: 'ok', value: value(body, apiResult) };
  if (RETRY_CODES.has(apiResult)) return { status: 'retry', reason: `ORCA answered ${apiResult} ${message}`.trim(), inDoubt: false };
  return { status: 'refused', apiResult, message };
}

const isWarning = (code: string, first: number, last: number) => /^K\d$/.test(code) && Number(code[1]) >= first && Number(code[1]) <= last;

/** One insurance of a patient (a 保険組合せ), as ORCA writes it (symbol and number often full-width). */
export interface OrcaInsurance {
  combination: string;
  providerClass: string;
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  expires: string;
  hidden: boolean;
  withPublic: boolean;
}

export interface OrcaPatient {
  patientId: string;
  kana: string;
  birthDate: string;
  insurances: OrcaInsurance[];
}

function insurances(patient: OrcaRecord | undefined): OrcaInsurance[] {
  return listOf(patient, 'HealthInsurance_Information').map((h) => ({
    combination: text(h, 'Insurance_Combination_Number'),
    providerClass: text(h, 'InsuranceProvider_Class'),
    insurerNumber: text(h, 'InsuranceProvider_Number'),
    symbol: text(h, 'HealthInsuredPerson_Symbol'),
    number: text(h, 'HealthInsuredPerson_Number'),
    branch: text(h, 'HealthInsuredPerson_Branch_Number'),
    expires: text(h, 'Certificate_ExpiredDate'),
    hidden: text(h, 'Insurance_Nondisplay') === 'O',
    withPublic: listOf(h, 'PublicInsurance_Information').length > 0,
  }));
}

function patientOf(record: OrcaRecord | undefined): OrcaPatient {
  return {
    patientId: text(record, 'Patient_ID'),
    kana: text(record, 'WholeName_inKana'),
    birthDate: text(record, 'BirthDate'),
    insurances: insurances(record),
  };
}

export interface AcceptanceRequest {
  patientId: string;
  date: string;
  time: string;
  department: string;
  physician: string;
  combination?: string;
}

export interface Acceptance {
  acceptanceId: string;
  patientId: string;
  time: string;
}

export function createOrcaApi(client: OrcaClient) {
  const post = (path: string, name: string, fields: OrcaRecord, query?: Record<string, string>, signal?: AbortSignal) =>
    client.call({ method: 'POST', path, record: { name, fields }, ...(query ? { query } : {}), ...(signal ? { signal } : {}) });

  return {
    /** 受付登録 (Request_Number 01) at the given Japan date and time. */
    async accept(request: AcceptanceRequest, signal?: AbortSignal): Promise<Outcome<Acceptance>> {
      const reply = await post(
        '/orca11/acceptmodv2',
        'acceptreq',
        {
          Request_Number: '01',
          Patient_ID: request.patientId,
          Acceptance_Date: request.date,
          Acceptance_Time: request.time,
          Department_Code: request.department,
          Physician_Code: request.physician,
          ...(request.combination ? { HealthInsurance_Information: { Insurance_Combination_Number: request.combination } } : {}),
        },
        undefined,
        signal,
      );
      return outcome(
        reply,
        (code) => code === '00' || isWarning(code, 1, 3),
        (body) => ({
          acceptanceId: text(body, 'Acceptance_Id'),
          patientId: text(recordOf(body, 'Patient_Information'), 'Patient_ID') || request.patientId,
          time: text(body, 'Acceptance_Time'),
        }),
      );
    },

    /** 受付取消 (Request_Number 02). "17" (nothing to cancel) counts as done. */
    async cancel(request: { patientId: string; date: string; acceptanceId: string }, signal?: AbortSignal): Promise<Outcome<void>> {
      const reply = await post(
        '/orca11/acceptmodv2',
        'acceptreq',
        { Request_Number: '02', Patient_ID: request.patientId, Acceptance_Date: request.date, Acceptance_Id: request.acceptanceId },
        undefined,
        signal,
      );
      return outcome(
        reply,
        (code) => code === '00' || code === '17' || isWarning(code, 1, 3),
        () => undefined,
      );
    },

    /** The day's acceptances (class 03: in progress and paid) for a department and physician. */
    async acceptances(request: { date: string; department: string; physician: string }, signal?: AbortSignal): Promise<Outcome<Acceptance[]>> {
      const reply = await post(
        '/api01rv2/acceptlstv2',
        'acceptlstreq',
        { Acceptance_Date: request.date, Department_Code: request.department, Physician_Code: request.physician },
        { class: '03' },
        signal,
      );
      return outcome(
        reply,
        (code) => code === '00' || code === '21',
        (body, code) =>
          code === '21'
            ? []
            : listOf(body, 'Acceptlst_Information').map((a) => ({
                acceptanceId: text(a, 'Acceptance_Id'),
                patientId: text(recordOf(a, 'Patient_Information'), 'Patient_ID'),
                time: text(a, 'Acceptance_Time'),
              })),
      );
    },

    /** 患者基本情報 with the insurance combinations; undefined when ORCA has no such patient (10). */
    async patient(patientId: string, signal?: AbortSignal): Promise<Outcome<OrcaPatient | undefined>> {
      const reply = await client.call({ method: 'GET', path: '/api01rv2/patientgetv2', query: { id: patientId }, ...(signal ? { signal } : {}) });
      return outcome(
        reply,
        (code) => code === '00' || code === '10',
        (body, code) => (code === '10' ? undefined : patientOf(recordOf(body, 'Patient_Information'))),
      );
    },

    /** 氏名検索 (prefix match on the kana name) narrowed to one birth date. */
    async search(request: { kana: string; birthDate: string }, signal?: AbortSignal): Promise<Outcome<OrcaPatient[]>> {
      const reply = await post(
        '/api01rv2/patientlst3v2',
        'patientlst3req',
        { WholeName: request.kana, Birth_StartDate: request.birthDate, Birth_EndDate: request.birthDate },
        { class: '01' },
        signal,
      );
      return outcome(
        reply,
        (code) => code === '00' || code === '10',
        (body, code) => (code === '10' ? [] : listOf(body, 'Patient_Information').map(patientOf)),
      );
    },

    /** 患者登録 (class 01) with ORCA numbering the patient ("*"); K0–K5 are warnings on a done registration. */
    async register(person: RegistrationRequest, signal?: AbortSignal): Promise<Outcome<OrcaPatient>> {
      const reply = await post(
        '/orca12/patientmodv2',
        'patientmodreq',
        {
          Patient_ID: '*',
          WholeName: person.name,
          WholeName_inKana: person.kana,
          BirthDate: person.birthDate,
          Sex: person.sex,
          HealthInsurance_Information: {
            InsuranceProvider_Number: person.insurerNumber,
            ...(person.symbol ? { HealthInsuredPerson_Symbol: person.symbol } : {}),
            HealthInsuredPerson_Number: person.number,
            ...(person.branch ? { HealthInsuredPerson_Branch_Number: person.branch } : {}),
          },
        },
        { class: '01' },
        signal,
      );
      return outcome(
        reply,
        (code) => code === '00' || isWarning(code, 0, 5),
        (body) => patientOf(recordOf(body, 'Patient_Information')),
      );
    },

    /** システム管理: the departments (01) or physicians (02) valid on a day, code → name. */
    async codes(kind: 'departments' | 'physicians', baseDate: string, signal?: AbortSignal): Promise<Outcome<Map<string, string>>> {
      const reply = await post(
        '/api01rv2/system01lstv2',
        'system01_managereq',
        { Request_Number: kind === 'departments' ? '01' : '02', Base_Date: baseDate },
        undefined,
        signal,
      );
      const field = kind === 'departments' ? 'Department_Information' : 'Physician_Information';
      return outcome(
        reply,
        (code) => code === '00' || code === '11',
        (body) => new Map(listOf(body, field).map((entry) => [text(entry, 'Code'), text(entry, 'WholeName')])),
      );
    },
  };
}

export type OrcaApi = ReturnType<typeof createOrcaApi>;

/** A new patient for patientmodv2: ORCA's formats (YYYY-MM-DD, sex 1/2, full-width kana). */
export interface RegistrationRequest {
  name: string;
  kana: string;
  birthDate: string;
  sex: '1' | '2';
  insurerNumber: string;
  symbol?: string;
  number: string;
  branch?: string;
}
