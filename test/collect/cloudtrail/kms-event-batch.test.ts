import { describe, expect, it } from 'vitest';
import { eventIdOf, KmsEventBatchBuilder, type KmsCallShape } from '../../../src/collect/cloudtrail/kms-event-batch.js';

const call = (keyArns: string[], principal: string, bucket = 'b'): KmsCallShape => ({
  keyArns,
  principal,
  kind: 'role',
  operation: 'Decrypt',
  day: '2026-10-05',
  bucket,
});

describe('KmsEventBatchBuilder', () => {
  it('lists each call shape and text once, events in the order added, management events by negative index', () => {
    const b = new KmsEventBatchBuilder();
    b.addCall('e1', 1000, call(['k1'], 'p'), undefined, 's3.amazonaws.com');
    b.addCall(undefined, 2000, call(['k1'], 'p'), 'AccessDenied');
    b.addManagement('e3', 3000, [
      { keyArn: 'k1', time: '1970-01-01T00:00:03.000Z', eventName: 'DisableKey', principal: 'p', kind: 'role' },
    ]);
    b.addCall('e4', 4000, call(['k2'], 'p'), 'AccessDenied', 's3.amazonaws.com');
    expect(b.size).toBe(4);
    const batch = b.take();
    expect(batch.ids).toEqual(['e1', '', 'e3', 'e4']);
    expect([...batch.shape]).toEqual([0, 0, -1, 1]);
    expect([...batch.ms]).toEqual([1000, 2000, 3000, 4000]);
    expect(batch.texts).toEqual(['s3.amazonaws.com', 'AccessDenied']);
    expect([...batch.errorCode]).toEqual([-1, 1, -1, 1]);
    expect([...batch.via]).toEqual([0, -1, -1, 0]);
    expect(batch.shapes.map((s) => s.keyArns)).toEqual([['k1'], ['k2']]);
    expect(batch.management).toHaveLength(1);
    expect(b.size).toBe(0);
    expect(b.take().ids).toEqual([]);
  });

  it('keeps apart shapes whose parts only join to the same text', () => {
    const b = new KmsEventBatchBuilder();
    b.addCall('a', 1, call(['k|1:x'], 'p'));
    b.addCall('b', 1, call(['k', 'x'], 'p'));
    b.addCall('c', 1, call(['k'], '1:x|p'));
    b.addCall('d', 1, call(['k'], 'p', 'b|x'));
    b.addCall('e', 1, call(['k'], 'p', 'b|x'));
    expect([...b.take().shape]).toEqual([0, 1, 2, 3, 3]);
  });

  it('carries GUID event ids as words, gives every id back as it was added, and undoes GUIDs with the rest', () => {
    const b = new KmsEventBatchBuilder();
    const ids = [
      '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      'E0000001-0000-4000-8000-000000000001',
      '',
      'ffffffff-0000-ffff-0000-ffffffffffff',
    ];
    for (const [i, id] of ids.entries()) b.addCall(id || undefined, i, call(['k1'], 'p'));
    const mark = b.mark();
    b.addCall('00000000-0000-0000-0000-000000000007', 9, call(['k1'], 'p'));
    b.undo(mark);
    b.addCall('x', 5, call(['k1'], 'p'));
    const batch = b.take();
    expect([...batch.isGuid]).toEqual([1, 0, 0, 1, 0]);
    // Only ids that are not GUIDs of lowercase hex are carried as text.
    expect(batch.ids).toEqual(['', 'E0000001-0000-4000-8000-000000000001', '', '', 'x']);
    expect(batch.guids).toHaveLength(20);
    expect(batch.ids.map((_, i) => eventIdOf(batch, i))).toEqual([...ids, 'x']);
  });
});
