import { describe, expect, it } from 'vitest';
import { createAuditTrail } from './audit.ts';
import { openDatabase } from './db.ts';
import { StoredRowError } from './rows.ts';

describe('the audit trail read back typed', () => {
  it('lists entries newest first, a missing subject left out', () => {
    const audit = createAuditTrail(openDatabase(':memory:'));
    audit.record({ at: new Date('2025-10-01T01:00:00Z'), actor: 'cli', action: 'purge', outcome: 'ok' });
    audit.record({ at: new Date('2025-10-01T02:00:00Z'), actor: 'desk1', action: 'export', subject: '2025-10-01.csv', outcome: 'ok' });
    expect(audit.list()).toEqual([
      { at: '2025-10-01T02:00:00.000Z', actor: 'desk1', action: 'export', subject: '2025-10-01.csv', outcome: 'ok' },
      { at: '2025-10-01T01:00:00.000Z', actor: 'cli', action: 'purge', outcome: 'ok' },
    ]);
  });

  it('an action this release does not know is a typed error, not a mistyped entry', () => {
    const db = openDatabase(':memory:');
    db.prepare("INSERT INTO staff_audit (at, actor, action, outcome) VALUES ('2025-10-01T01:00:00.000Z', 'desk1', 'teleport', 'ok')").run();
    expect(() => createAuditTrail(db).list()).toThrow(StoredRowError);
    expect(() => createAuditTrail(db).list()).toThrow(/staff_audit is not as the schema says \(action\)/);
  });
});
