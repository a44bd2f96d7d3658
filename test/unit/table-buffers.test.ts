import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { Table } from '../../src/analytics/types.js';
import { fromTableMessage, tableMessageBuffers, toTableMessage } from '../../src/table-buffers.js';

function tableOf(ids: string[], notes: string[]): Table {
  return {
    fileName: 't.csv',
    rowCount: ids.length,
    delimiter: ',',
    fingerprint: 'f',
    columns: [
      { name: 'id', kind: 'text', values: ids, missing: ids.filter((v) => v === '').length },
      { name: 'amount', kind: 'numeric', values: Float64Array.from(ids, (_, i) => i / 2), missing: 0 },
      { name: 'note', kind: 'text', values: notes, missing: notes.filter((v) => v === '').length },
    ],
  };
}

describe('table messages', () => {
  it('carry text columns as bytes and give back the same strings, over many slices', async () => {
    const n = 150_000;
    const ids = Array.from({ length: n }, (_, i) => (i % 1000 === 0 ? '' : `C${i}`));
    // A later slice holds non-ASCII cells; the first does not.
    const notes = Array.from({ length: n }, (_, i) =>
      i === 140_000 ? 'Ünal, 😀 €' : i % 7 === 0 ? '' : `n${i % 13}`,
    );
    const table = tableOf(ids, notes);
    let pauses = 0;
    const pause = async () => {
      pauses++;
    };
    const message = await toTableMessage(table, pause);
    // Text columns travel as bytes, not as arrays of strings.
    expect(message.table.columns[0]!.values).toEqual([]);
    expect(message.texts[0]!.ascii).toBe(true);
    expect(message.texts[2]!.ascii).toBe(false);
    expect(pauses).toBeGreaterThanOrEqual(4);
    const buffers = tableMessageBuffers(message);
    expect(new Set(buffers).size).toBe(5);

    // Through a real transfer, as between threads.
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<typeof message>((resolve) => {
      port2.once('message', (data: typeof message) => resolve(data));
    });
    port1.postMessage(message, buffers);
    const arrived = await received;
    port1.close();
    port2.close();
    expect(message.texts[0]!.bytes.byteLength).toBe(0);

    pauses = 0;
    const back = await fromTableMessage(arrived, pause);
    expect(pauses).toBeGreaterThanOrEqual(4);
    expect(back.columns[0]!.values).toEqual(ids);
    expect(back.columns[2]!.values).toEqual(notes);
    expect(back.columns[2]!.values[140_000]).toBe('Ünal, 😀 €');
    expect(Array.from(back.columns[1]!.values as Float64Array).slice(0, 3)).toEqual([0, 0.5, 1]);
    expect({ ...back, columns: [] }).toEqual({ ...table, columns: [] });
  });

  it('packs straight through without a pause, and an empty column too', async () => {
    const table = tableOf(['a', 'b', ''], ['', '', '']);
    const back = await fromTableMessage(await toTableMessage(table));
    expect(back.columns[0]!.values).toEqual(['a', 'b', '']);
    expect(back.columns[2]!.values).toEqual(['', '', '']);
  });

  it('with copy, moves copies of the numeric columns and leaves the caller its table', async () => {
    const table = tableOf(['a', 'b', 'c'], ['x', '', 'z']);
    const message = await toTableMessage(table, undefined, { copy: true });
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(message, tableMessageBuffers(message));
    port1.close();
    port2.close();
    // The message's own buffers went; the caller's columns are whole.
    expect(message.table.columns[1]!.values).toHaveLength(0);
    expect(Array.from(table.columns[1]!.values as Float64Array)).toEqual([0, 0.5, 1]);
    expect(table.columns[0]!.values).toEqual(['a', 'b', 'c']);
  });
});
