import { decodeJson, decodeXml2, encodeXml2, text, type OrcaRecord } from './xml2.ts';

/** How to reach ORCA. The password is used for the Authorization header only and never leaves this module. */
export interface OrcaConnection {
  /** http://HOST:8000 for an on-premises ORCA, https://HOST/api for WebORCA (the paths go under it). */
  baseUrl: string;
  user: string;
  password: string;
  /** xml2 (default, every API) or JSON (ORCA Ver 5.0+). */
  format?: 'xml2' | 'json';
  /** One request's deadline; past it the outcome is unknown. Default 10 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** ORCA's answer: the record and its result code, whatever the code says. */
export interface OrcaAnswer {
  body: OrcaRecord;
  apiResult: string;
  message: string;
}

/**
 * A call without an ORCA answer. `delivered` says whether ORCA may have carried the request out: "no" when
 * the connection was refused or the credentials were, "unknown" otherwise (timeout, 5xx, a broken answer).
 * `reason` is safe to log and show: it never holds the password or a patient's data.
 */
export interface OrcaFailure {
  kind: 'network' | 'timeout' | 'auth' | 'http' | 'malformed';
  delivered: 'no' | 'unknown';
  reason: string;
  status?: number;
}

export type OrcaReply = { ok: true; answer: OrcaAnswer } | { ok: false; failure: OrcaFailure };

export interface OrcaRequest {
  method: 'GET' | 'POST';
  /** e.g. /orca11/acceptmodv2 */
  path: string;
  query?: Record<string, string>;
  /** The request record (POST): its name and fields. */
  record?: { name: string; fields: OrcaRecord };
  signal?: AbortSignal;
}

export interface OrcaClient {
  call(request: OrcaRequest): Promise<OrcaReply>;
  /** The base URL, for messages. */
  readonly baseUrl: string;
}

/** Connection errors after which nothing reached ORCA. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function createOrcaClient(connection: OrcaConnection): OrcaClient {
  const base = new URL(connection.baseUrl);
  const format = connection.format ?? 'xml2';
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const authorization = `Basic ${Buffer.from(`${connection.user}:${connection.password}`, 'utf8').toString('base64')}`;

  async function call(request: OrcaRequest): Promise<OrcaReply> {
    const url = new URL(base);
    url.pathname = `${base.pathname.replace(/\/$/, '')}${request.path}`;
    for (const [key, value] of Object.entries({ ...request.query, ...(format === 'json' ? { format: 'json' } : {}) })) url.searchParams.set(key, value);
    const body = request.record
      ? format === 'json'
        ? JSON.stringify({ [request.record.name]: request.record.fields })
        : encodeXml2(request.record.name, request.record.fields)
      : undefined;
    const signals = [AbortSignal.timeout(timeoutMs), ...(request.signal ? [request.signal] : [])];
    let response: Response;
    let answerText: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization,
          ...(body !== undefined ? { 'content-type': format === 'json' ? 'application/json; charset=UTF-8' : 'application/xml; charset=UTF-8' } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.any(signals),
      });
      answerText = await response.text();
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        return failed({ kind: 'timeout', delivered: 'unknown', reason: `no answer from ORCA within ${timeoutMs / 1000} s` });
      }
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      const name = typeof code === 'string' ? code : (error as Error).name;
      return failed({ kind: 'network', delivered: NOT_DELIVERED.has(name) ? 'no' : 'unknown', reason: `ORCA at ${url.host} cannot be reached (${name})` });
    }
    if (response.status === 401 || response.status === 403) {
      return failed({ kind: 'auth', delivered: 'no', status: response.status, reason: `ORCA refused the user or password (HTTP ${response.status})` });
    }
    if (!response.ok) return failed({ kind: 'http', delivered: 'unknown', status: response.status, reason: `ORCA answered HTTP ${response.status}` });
    const decoded = (format === 'json' ? decodeJson : decodeXml2)(answerText);
    if (!decoded || text(decoded.body, 'Api_Result') === '') {
      return failed({ kind: 'malformed', delivered: 'unknown', reason: `ORCA's answer is not ${format === 'json' ? 'JSON' : 'xml2'} with an Api_Result` });
    }
    return { ok: true, answer: { body: decoded.body, apiResult: text(decoded.body, 'Api_Result'), message: text(decoded.body, 'Api_Result_Message') } };
  }

  return { call, baseUrl: `${base.origin}${base.pathname.replace(/\/$/, '')}` };
}

const failed = (failure: OrcaFailure): OrcaReply => ({ ok: false, failure });
