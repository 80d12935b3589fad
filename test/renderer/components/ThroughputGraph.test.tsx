/**
 * The throughput graph's wiring: the legend and the accessible name state the rates in bit/s,
 * and the chart is given bit/s data, axes with units, the floored y scale with nice ticks and the
 * scrolling time window (uPlot is the recording stand-in: jsdom has no canvas).
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type uPlot from 'uplot';
import { ThroughputGraph } from '../../../renderer/src/components/ThroughputGraph';
import { settle } from '../support/render-app';
import { plots } from '../support/uplot-mock';

vi.mock('uplot', () => import('../support/uplot-mock'));

const stats = { event: 'stats', uptimeMs: 3000, rxBytes: 9000, txBytes: 900, rxPackets: 9, txPackets: 3, rxRate: 2, txRate: 1 } as const;

/** What uPlot's callbacks receive, as far as the graph reads it. */
function fakeU(data: uPlot.AlignedData): uPlot {
  return { data } as unknown as uPlot;
}

describe('ThroughputGraph', () => {
  beforeEach(() => {
    plots.length = 0;
  });
  afterEach(() => cleanup());

  it('at a few bytes per second: the scale keeps its 10 kb/s floor and the text says bit/s', async () => {
    const samples = [
      { t: 1, rxRate: 3, txRate: 1 },
      { t: 2, rxRate: 2, txRate: 1 },
    ];
    render(<ThroughputGraph samples={samples} stats={stats} />);
    await settle();
    expect(screen.getByRole('figure', { name: 'Throughput' }).querySelector('figcaption')?.textContent).toBe('Received 16 b/sSent 8 b/s');
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe(
      'Throughput graph. Receiving 16 b/s, sending 8 b/s. Peak over the last 1 s: 24 b/s received, 8 b/s sent.',
    );

    expect(plots).toHaveLength(1);
    const plot = plots[0];
    expect(plot?.data).toEqual([
      [1, 2],
      [24, 16],
      [8, 8],
    ]);
    const opts = plot?.opts as uPlot.Options;
    const u = fakeU(plot?.data as uPlot.AlignedData);
    expect(opts.axes?.map((a) => a.label)).toEqual(['Time connected (m:ss)', 'Rate (bit/s)']);

    const y = opts.scales?.y?.range as uPlot.Range.Function;
    expect(y(u, 8, 24, 'y')).toEqual([0, 10_000]);
    const yAxis = opts.axes?.[1] as uPlot.Axis;
    const ySplits = (yAxis.splits as Exclude<uPlot.Axis.Splits, number[]>)(u, 1, 0, 10_000, 0, 0);
    expect((yAxis.values as uPlot.Axis.DynamicValues)(u, ySplits, 1, 0, 0)).toEqual(['0 b/s', '5 kb/s', '10 kb/s']);

    const x = opts.scales?.x?.range as uPlot.Range.Function;
    expect(x(u, 1, 2, 'x')).toEqual([0, 120]);
    const xAxis = opts.axes?.[0] as uPlot.Axis;
    const xSplits = (xAxis.splits as Exclude<uPlot.Axis.Splits, number[]>)(u, 0, 0, 120, 0, 0);
    expect((xAxis.values as uPlot.Axis.DynamicValues)(u, xSplits, 0, 0, 0)).toEqual(['0:00', '0:30', '1:00', '1:30', '2:00']);
  });

  it('at real traffic: the scale follows the peak with headroom and the data is in bit/s', async () => {
    const samples = [
      { t: 200, rxRate: 125_000, txRate: 2000 },
      { t: 201, rxRate: 100_000, txRate: 3000 },
    ];
    render(<ThroughputGraph samples={samples} stats={{ ...stats, rxRate: 100_000, txRate: 3000 }} />);
    await settle();
    const plot = plots[0];
    const opts = plot?.opts as uPlot.Options;
    const u = fakeU(plot?.data as uPlot.AlignedData);
    expect((opts.scales?.y?.range as uPlot.Range.Function)(u, 0, 0, 'y')).toEqual([0, 1_500_000]);
    expect((opts.scales?.x?.range as uPlot.Range.Function)(u, 0, 0, 'x')).toEqual([81, 201]);
    expect(screen.getByRole('img').getAttribute('aria-label')).toMatch(/^Throughput graph\. Receiving 800 kb\/s, sending 24 kb\/s\./);
  });

  it('before the first sample: says nothing was measured', async () => {
    render(<ThroughputGraph samples={[]} stats={null} />);
    await settle();
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Throughput graph. No traffic measured yet.');
    expect(screen.queryByLabelText('Traffic totals')).toBeNull();
  });
});
