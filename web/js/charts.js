// Charts through the vendored Chart.js 4 (global `Chart`, web/vendor/chart.umd.min.js), in the
// Okabe–Ito palette, which stays distinguishable with every common colour-vision deficiency.
// Each chart's canvas is an image with a text summary; the data table beside it holds the
// figures for keyboards and screen readers.

import { h } from './ui.js';

export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  purple: '#CC79A7',
  yellow: '#F0E442',
  black: '#000000',
};
export const SERIES = [PALETTE.blue, PALETTE.orange, PALETTE.green, PALETTE.vermillion, PALETTE.sky, PALETTE.purple, PALETTE.yellow, PALETTE.black];

const live = new Set();

/** Whether Chart.js loaded (a `<script defer>` before the app's module). */
export function chartsAvailable() { return typeof window.Chart === 'function'; }

function setDefaults() {
  const { Chart } = window;
  if (!Chart || Chart.__meetingReports) { return; }
  Chart.__meetingReports = true;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#1b1f24';
  Chart.defaults.borderColor = '#e1e5ea';
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
}

/**
 * A chart in a sized box. `config` is a Chart.js configuration; `summary` the canvas's text
 * alternative. Charts of a view are destroyed when the view is left (`destroyCharts`).
 */
export function chart(config, summary, { short = false } = {}) {
  const canvas = h('canvas', { role: 'img', 'aria-label': summary });
  const box = h('div', { class: short ? 'chart-box short' : 'chart-box', 'data-chart': true }, canvas);
  if (!chartsAvailable()) {
    box.replaceChildren(h('p', { class: 'state' }, 'The chart library did not load; the table shows the figures.'));
    return box;
  }
  setDefaults();
  // Drawn once the box is in the document and has a size.
  requestAnimationFrame(() => {
    if (!canvas.isConnected) { return; }
    const instance = new window.Chart(canvas, config);
    live.add(instance);
    box.chart = instance;
  });
  return box;
}

export function destroyCharts() {
  for (const instance of live) { instance.destroy(); }
  live.clear();
}

/** Series with the palette's colours in order, for bars and lines alike. */
export function series(datasets) {
  return datasets.map((d, i) => {
    const colour = d.colour || SERIES[i % SERIES.length];
    return { borderColor: colour, backgroundColor: d.type === 'line' ? colour : `${colour}cc`, borderWidth: d.type === 'line' ? 2 : 1, pointRadius: d.type === 'line' ? 2 : 0, ...d };
  });
}
