/**
 * Live throughput: a legend with the current rates (always, as text), a uPlot chart of the last
 * samples when a canvas is available, and the traffic totals. The chart's axes carry units —
 * time connected (m:ss) along x, bit/s with SI prefixes up the y axis, on a scale with a floor so
 * idle keepalives stay flat (lib/throughput-scale.ts owns those numbers). Screen readers get the
 * chart as an image whose name states the current and peak rates in words.
 * uPlot is loaded on first use; where it cannot run (no canvas, as in jsdom) the text stays and
 * the chart is left out. The chart follows its box's width (ResizeObserver).
 */
import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsEvent } from '../../../preload/schema/tunnel';
import { MAX_SAMPLES, type ThroughputSample } from '../store/tunnel-slice';
import { formatBytes, formatMs } from '../lib/format';
import { bytesToBits, describeThroughput, formatBitRate, formatElapsed, rateScale, timeTicks, timeWindow } from '../lib/throughput-scale';

const CHART_HEIGHT = 150;
/** The time window shown: the samples the store keeps, one a second. */
const WINDOW_SECONDS = MAX_SAMPLES;

/** uPlot's data: x in seconds, the rates in bit/s. */
function toData(samples: readonly ThroughputSample[]): uPlot.AlignedData {
  return [samples.map((s) => s.t), samples.map((s) => bytesToBits(s.rxRate)), samples.map((s) => bytesToBits(s.txRate))];
}

/** The highest rate (bit/s) in the chart's data, either direction. */
function peakOf(u: uPlot): number {
  let peak = 0;
  for (const series of u.data.slice(1)) for (const v of series) if (typeof v === 'number' && v > peak) peak = v;
  return peak;
}

/**
 * A theme colour, read when uPlot draws (a function, not a value): after a switch between light
 * and dark the chart takes the new colours on its next redraw, i.e. with the next sample.
 */
function cssVar(name: string, fallback: string): () => string {
  return () => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function chartOptions(width: number): uPlot.Options {
  const text = cssVar('--text-muted', '#666');
  const grid = { stroke: cssVar('--border', '#ddd'), width: 1 };
  const ticks = { stroke: cssVar('--border', '#ddd'), width: 1, size: 4 };
  const font = '12px system-ui, sans-serif';
  return {
    width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: (u) => [...timeWindow(u.data[0].at(-1) ?? 0, WINDOW_SECONDS)] },
      y: { range: (u) => [0, rateScale(peakOf(u)).max] },
    },
    axes: [
      {
        label: 'Time connected (m:ss)',
        labelSize: 18,
        size: 30,
        labelFont: font,
        font,
        stroke: text,
        grid,
        ticks,
        splits: (_u, _i, min, max) => timeTicks(min, max),
        values: (_u, splits) => splits.map(formatElapsed),
      },
      {
        label: 'Rate (bit/s)',
        labelSize: 20,
        labelFont: font,
        font,
        stroke: text,
        grid,
        ticks,
        size: 72,
        splits: (u) => [...rateScale(peakOf(u)).ticks],
        values: (_u, splits) => splits.map(formatBitRate),
      },
    ],
    series: [
      {},
      { label: 'Received', stroke: cssVar('--rx', '#2f7d4f'), width: 2, points: { show: false } },
      { label: 'Sent', stroke: cssVar('--tx', '#3563c9'), width: 2, points: { show: false } },
    ],
  };
}

export function ThroughputGraph({ samples, stats }: { samples: readonly ThroughputSample[]; stats: StatsEvent | null }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(samples);
  const [chartState, setChartState] = useState<'loading' | 'ready' | 'unavailable'>('loading');

  useEffect(() => {
    let cancelled = false;
    let resize: ResizeObserver | undefined;
    import('uplot')
      .then(({ default: UPlot }) => {
        const el = box.current;
        if (cancelled || !el) return;
        plot.current = new UPlot(chartOptions(el.clientWidth || 480), toData(latest.current), el);
        if (typeof ResizeObserver !== 'undefined') {
          resize = new ResizeObserver(() => {
            const width = el.clientWidth;
            if (width > 0 && plot.current && plot.current.width !== width) plot.current.setSize({ width, height: CHART_HEIGHT });
          });
          resize.observe(el);
        }
        setChartState('ready');
      })
      .catch(() => !cancelled && setChartState('unavailable'));
    return () => {
      cancelled = true;
      resize?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    latest.current = samples;
    plot.current?.setData(toData(samples));
  }, [samples]);

  const rx = stats ? formatBitRate(bytesToBits(stats.rxRate)) : '–';
  const tx = stats ? formatBitRate(bytesToBits(stats.txRate)) : '–';
  return (
    <figure className="throughput" aria-label="Throughput">
      <figcaption className="throughput__legend">
        <span className="throughput__key throughput__key--rx">
          <span className="throughput__swatch" aria-hidden="true" />
          Received <strong>{rx}</strong>
        </span>
        <span className="throughput__key throughput__key--tx">
          <span className="throughput__swatch" aria-hidden="true" />
          Sent <strong>{tx}</strong>
        </span>
      </figcaption>
      <div ref={box} className="throughput__chart" role="img" aria-label={`Throughput graph. ${describeThroughput(samples)}`} data-chart={chartState} />
      {stats && (
        <dl className="values values--compact" aria-label="Traffic totals">
          <div className="values__row">
            <dt>Received</dt>
            <dd>
              {formatBytes(stats.rxBytes)} ({stats.rxPackets} packets)
            </dd>
          </div>
          <div className="values__row">
            <dt>Sent</dt>
            <dd>
              {formatBytes(stats.txBytes)} ({stats.txPackets} packets)
            </dd>
          </div>
          <div className="values__row">
            <dt>Uptime</dt>
            <dd>{formatMs(stats.uptimeMs)}</dd>
          </div>
          {stats.rttMs != null && (
            <div className="values__row">
              <dt>Round trip</dt>
              <dd>{formatMs(stats.rttMs)}</dd>
            </div>
          )}
        </dl>
      )}
    </figure>
  );
}
