/**
 * Live throughput: the current rates as text (always), and a uPlot chart of the last samples
 * when a canvas is available. uPlot is loaded on first use; where it cannot run (no canvas, as
 * in jsdom) the text stays and the chart is left out.
 */
import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsEvent } from '../../../preload/schema/tunnel';
import type { ThroughputSample } from '../store/tunnel-slice';
import { formatBytes, formatMs, formatRate } from '../lib/format';

function toData(samples: readonly ThroughputSample[]): uPlot.AlignedData {
  return [samples.map((s) => s.t), samples.map((s) => s.rxRate), samples.map((s) => s.txRate)];
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

export function ThroughputGraph({ samples, stats }: { samples: readonly ThroughputSample[]; stats: StatsEvent | null }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(samples);
  const [chartState, setChartState] = useState<'loading' | 'ready' | 'unavailable'>('loading');

  useEffect(() => {
    let cancelled = false;
    import('uplot')
      .then(({ default: UPlot }) => {
        if (cancelled || !box.current) return;
        const width = box.current.clientWidth || 480;
        plot.current = new UPlot(
          {
            width,
            height: 140,
            legend: { show: false },
            cursor: { show: false },
            // Rates start at zero so a small wobble does not look like a cliff.
            scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1024] } },
            axes: [
              { stroke: cssVar('--text-muted', '#666'), grid: { stroke: cssVar('--border', '#ddd') } },
              { stroke: cssVar('--text-muted', '#666'), grid: { stroke: cssVar('--border', '#ddd') }, values: (_u, vals) => vals.map((v) => formatRate(v)), size: 80 },
            ],
            series: [
              {},
              { label: 'Received', stroke: cssVar('--rx', '#2f7d4f'), width: 2, points: { show: false } },
              { label: 'Sent', stroke: cssVar('--tx', '#3563c9'), width: 2, points: { show: false } },
            ],
          },
          toData(latest.current),
          box.current,
        );
        setChartState('ready');
      })
      .catch(() => !cancelled && setChartState('unavailable'));
    return () => {
      cancelled = true;
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    latest.current = samples;
    plot.current?.setData(toData(samples));
  }, [samples]);

  const summary = stats
    ? `Receiving ${formatRate(stats.rxRate)}, sending ${formatRate(stats.txRate)}`
    : 'No traffic measured yet';
  return (
    <figure className="throughput" aria-label="Throughput">
      <div ref={box} className="throughput__chart" role="img" aria-label={`Throughput graph. ${summary}`} data-chart={chartState} />
      <figcaption className="throughput__caption">
        <span className="rx">↓ {stats ? formatRate(stats.rxRate) : '–'}</span>
        <span className="tx">↑ {stats ? formatRate(stats.txRate) : '–'}</span>
      </figcaption>
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
