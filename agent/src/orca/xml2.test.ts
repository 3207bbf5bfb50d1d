import { describe, expect, it } from 'vitest';
import { decodeJson, decodeXml2, encodeXml2, listOf, recordOf, text } from './xml2.ts';

describe('xml2', () => {
  it('writes a request record with strings, nested records and arrays of "_child" records, escaped', () => {
    const xml = encodeXml2('acceptreq', {
      Patient_ID: '00012',
      HealthInsurance_Information: { Insurance_Combination_Number: '0001' },
      Items: [{ Code: 'a<b' }],
    });
    expect(xml).toContain(
      '<data><acceptreq type="record"><Patient_ID type="string">00012</Patient_ID><HealthInsurance_Information type="record"><Insurance_Combination_Number type="string">0001</Insurance_Combination_Number></HealthInsurance_Information><Items type="array"><Items_child type="record"><Code type="string">a&lt;b</Code></Items_child></Items></acceptreq></data>',
    );
  });

  it('reads an answer: one array item is still a list, values stay strings (leading zeros, spaces), empty padding is dropped', () => {
    const decoded = decodeXml2(`<?xml version="1.0" encoding="UTF-8"?>
      <xmlio2><acceptlstres type="record">
        <Api_Result type="string">00</Api_Result>
        <Acceptlst_Information type="array">
          <Acceptlst_Information_child type="record">
            <Acceptance_Id type="string">00001</Acceptance_Id>
            <Money type="string">     0</Money>
            <Patient_Information type="record"><Patient_ID type="string">00012</Patient_ID></Patient_Information>
          </Acceptlst_Information_child>
          <Acceptlst_Information_child type="record"></Acceptlst_Information_child>
        </Acceptlst_Information>
        <Empty type="string"></Empty>
      </acceptlstres></xmlio2>`);
    expect(decoded?.recordName).toBe('acceptlstres');
    const list = listOf(decoded?.body, 'Acceptlst_Information');
    expect(list).toHaveLength(1);
    expect(text(list[0], 'Acceptance_Id')).toBe('00001');
    expect(text(list[0], 'Money')).toBe('     0');
    expect(text(recordOf(list[0], 'Patient_Information'), 'Patient_ID')).toBe('00012');
    expect(text(decoded?.body, 'Empty')).toBe('');
  });

  it('refuses what is not an xml2 answer', () => {
    expect(decodeXml2('<xmlio2><acceptres type="record"><Api_Result>00</acceptres>')).toBeUndefined();
    expect(decodeXml2('<html><body>502 Bad Gateway</body></html>')).toBeUndefined();
    expect(decodeXml2('')).toBeUndefined();
  });

  it('reads JSON answers with and without the record wrapper', () => {
    expect(decodeJson('{"acceptres":{"Api_Result":"00"}}')).toEqual({ recordName: 'acceptres', body: { Api_Result: '00' } });
    expect(decodeJson('{"Api_Result":"01","Api_Result_Message":"患者番号未設定"}')?.body).toMatchObject({ Api_Result: '01' });
    expect(decodeJson('not json')).toBeUndefined();
    expect(decodeJson('[1]')).toBeUndefined();
  });
});
