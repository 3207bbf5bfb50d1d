import { DECLARATION_NAME, encodeOqsText, type OqsEncoding } from './encoding.ts';
import type { OqsDocument } from './fields.ts';

/** An element tree as the terminal writes it: leaves are strings, repeated elements are arrays. */
export type XmlTree = { [element: string]: string | XmlTree | XmlTree[] | undefined };

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function writeElements(tree: XmlTree, indent: string): string {
  return Object.entries(tree)
    .flatMap(([name, value]) => {
      if (value === undefined) return [];
      if (typeof value === 'string') return [`${indent}<${name}>${escapeXml(value)}</${name}>`];
      const items = Array.isArray(value) ? value : [value];
      return items.map((child) => `${indent}<${name}>\n${writeElements(child, `${indent}  `)}\n${indent}</${name}>`);
    })
    .join('\n');
}

/** Serialises a tree under one root element, with the declaration the terminal uses, in the given encoding. */
export function toXmlBytes(root: string, tree: XmlTree, encoding: OqsEncoding): Buffer {
  const text = `<?xml version="1.0" encoding="${DECLARATION_NAME[encoding]}" standalone="no"?>\n<${root}>\n${writeElements(tree, '  ')}\n</${root}>\n`;
  return encodeOqsText(text, encoding);
}

/** A 資格確認結果 document (element-name keys) → file bytes, as the terminal would write it. */
export function documentToXmlBytes(doc: OqsDocument, encoding: OqsEncoding): Buffer {
  const { QualificationConfirmSearchInfo, ...bodyFields } = doc.body;
  const tree = {
    MessageHeader: doc.header,
    MessageBody: {
      ...(doc.results.length > 0 ? { ResultList: { ResultOfQualificationConfirmation: doc.results } } : {}),
      ...bodyFields,
      QualificationConfirmSearchInfo,
    },
  };
  // The field types are string-valued trees; interfaces just lack XmlTree's index signature.
  return toXmlBytes('XmlMsg', tree as unknown as XmlTree, encoding);
}
