import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * ORCA's two body formats, reduced to one shape: a record is an object, a repeated item a list, a leaf a
 * string. xml2 marks each element with type="record" | "array" | "string" and names an array's items
 * "<name>_child"; the JSON format (Ver 5.0+) keys the same names. Values stay strings exactly as sent.
 */
export type OrcaValue = string | OrcaRecord | OrcaValue[];
export interface OrcaRecord {
  [field: string]: OrcaValue | undefined;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function element(name: string, value: OrcaValue): string {
  if (typeof value === 'string') return `<${name} type="string">${escape(value)}</${name}>`;
  if (Array.isArray(value)) return `<${name} type="array">${value.map((item) => element(`${name}_child`, item)).join('')}</${name}>`;
  const children = Object.entries(value)
    .filter((entry): entry is [string, OrcaValue] => entry[1] !== undefined)
    .map(([child, v]) => element(child, v));
  return `<${name} type="record">${children.join('')}</${name}>`;
}

/** An xml2 request: `<data><record type="record">…</record></data>`. */
export function encodeXml2(recordName: string, fields: OrcaRecord): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<data>${element(recordName, fields)}</data>`;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Every element below the root may repeat: the type attribute, not the count, says what it is.
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && name !== 'xmlio2',
});

type Parsed = Record<string, unknown>;

function fromXml(node: unknown): OrcaValue {
  if (typeof node === 'string') return node;
  const n = node as Parsed;
  const type = n['@type'];
  if (type === 'array') {
    return Object.entries(n)
      .filter(([key]) => !key.startsWith('@') && key !== '#text')
      .flatMap(([, items]) => (items as unknown[]).map(fromXml));
  }
  const hasChildren = Object.keys(n).some((key) => !key.startsWith('@') && key !== '#text');
  if (type === 'record' || (type === undefined && hasChildren)) {
    const record: OrcaRecord = {};
    for (const [key, items] of Object.entries(n)) {
      if (key.startsWith('@') || key === '#text') continue;
      record[key] = fromXml((items as unknown[])[0]);
    }
    return record;
  }
  return typeof n['#text'] === 'string' ? n['#text'] : '';
}

/** The record of an xml2 answer (`<xmlio2><name type="record">…`), or undefined when the text is not one. */
export function decodeXml2(text: string): { recordName: string; body: OrcaRecord } | undefined {
  if (XMLValidator.validate(text) !== true) return undefined;
  const root = (parser.parse(text) as Parsed).xmlio2 as Parsed | undefined;
  if (!root || typeof root !== 'object') return undefined;
  const [recordName, items] = Object.entries(root).find(([key]) => !key.startsWith('@') && key !== '#text') ?? [];
  if (!recordName || !Array.isArray(items)) return undefined;
  const body = fromXml(items[0]);
  return typeof body === 'object' && !Array.isArray(body) ? { recordName, body } : undefined;
}

/**
 * The record of a JSON answer (`{"acceptres": {…}}`); some answers come without the wrapper, then the
 * object itself is the record.
 */
export function decodeJson(text: string): { recordName: string; body: OrcaRecord } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed)) return undefined;
  const keys = Object.keys(parsed);
  const inner = keys.length === 1 ? parsed[keys[0]!] : undefined;
  if (isRecord(inner)) return { recordName: keys[0]!, body: inner };
  return 'Api_Result' in parsed ? { recordName: '', body: parsed } : undefined;
}

function isRecord(value: unknown): value is OrcaRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string field ('' when absent or not a string). */
export function text(record: OrcaRecord | undefined, field: string): string {
  const value = record?.[field];
  return typeof value === 'string' ? value : '';
}

/** A record field, when it is one. */
export function recordOf(record: OrcaRecord | undefined, field: string): OrcaRecord | undefined {
  const value = record?.[field];
  return isRecord(value) ? value : undefined;
}

/**
 * A repeated field as a list of records: one record alone counts as a list of one, and the empty
 * placeholders ORCA pads its fixed-size lists with are dropped.
 */
export function listOf(record: OrcaRecord | undefined, field: string): OrcaRecord[] {
  const value = record?.[field];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.filter((item): item is OrcaRecord => isRecord(item) && Object.keys(item).length > 0);
}
