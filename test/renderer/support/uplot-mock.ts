/**
 * A stand-in for uPlot (jsdom has no canvas): records what the graph was given. Tests use it with
 * vi.mock('uplot', () => import('../support/uplot-mock')).
 */
export const plots: FakePlot[] = [];

export default class FakePlot {
  data: unknown;
  destroyed = false;
  constructor(
    readonly opts: unknown,
    data: unknown,
    readonly el: HTMLElement,
  ) {
    this.data = data;
    plots.push(this);
  }
  setData(data: unknown): void {
    this.data = data;
  }
  destroy(): void {
    this.destroyed = true;
  }
}
