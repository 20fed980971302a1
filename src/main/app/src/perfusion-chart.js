// MAP and lactate on one time axis, with the MAP target (65 mmHg), the permissive band (50–65 mmHg), the lactate
// lines (2 and 3 mmol/L) and vasopressor periods drawn behind the points. A table carries the same data for
// screen readers and keyboard users.
import {
  Chart, Legend, LinearScale, LineElement, PointElement, ScatterController, Tooltip,
} from 'chart.js';
import { language, t } from './i18n.js';
import { el, formatClock, formatTime } from './view.js';

Chart.register(ScatterController, LinearScale, PointElement, LineElement, Tooltip, Legend);

const COLORS = {
  map: '#1f5fa8', derived: '#6b8fc7', lactate: '#b3261e', target: '#1b7f3b', band: 'rgba(240, 180, 40, 0.18)',
  lactateLine: 'rgba(179, 38, 30, 0.55)', vasopressor: 'rgba(90, 90, 90, 0.12)',
};

const targets = {
  id: 'perfusionTargets',
  beforeDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea, scales } = chart;
    const { left, right, top, bottom } = chartArea;
    ctx.save();
    for (const period of options.vasopressors) {
      const from = Math.max(scales.x.getPixelForValue(period.start), left);
      const to = Math.min(scales.x.getPixelForValue(period.end), right);
      if (to > from) {
        ctx.fillStyle = COLORS.vasopressor;
        ctx.fillRect(from, top, to - from, bottom - top);
      }
    }
    ctx.fillStyle = COLORS.band;
    const y65 = scales.y.getPixelForValue(65);
    const y50 = scales.y.getPixelForValue(50);
    ctx.fillRect(left, y65, right - left, y50 - y65);
    line(ctx, left, right, y65, COLORS.target, []);
    for (const value of [2, 3]) {
      line(ctx, left, right, scales.y1.getPixelForValue(value), COLORS.lactateLine, [6, 4]);
    }
    ctx.restore();
  },
};

function line(ctx, left, right, y, color, dash) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.5;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(right, y);
  ctx.stroke();
}

export function drawPerfusionChart(section, data, context) {
  if (data.measured.length + data.derived.length + data.lactate.length === 0) {
    section.append(el('p', { class: 'empty' }, t('noPerfusionData')));
    return;
  }
  const canvas = el('canvas', { role: 'img', 'aria-label': t('perfusionChart'), id: 'perfusion-chart' });
  section.append(
    el('div', { class: 'chart' }, canvas),
    el('ul', { class: 'legend' },
      el('li', {}, el('span', { class: 'swatch target' }), t('mapTarget')),
      el('li', {}, el('span', { class: 'swatch band' }), t('permissiveBand')),
      el('li', {}, el('span', { class: 'swatch lactate-line' }), t('lactateLines')),
      el('li', {}, el('span', { class: 'swatch vasopressor' }), t('vasopressor'))),
    dataTable(data, context),
  );
  const mapMax = Math.max(120, ...data.measured.map((p) => p.y + 10), ...data.derived.map((p) => p.y + 10));
  const lactateMax = Math.max(6, ...data.lactate.map((p) => Math.ceil(p.y + 1)));
  new Chart(canvas, {
    type: 'scatter',
    data: {
      datasets: [
        series(t('mapMeasured'), data.measured, COLORS.map, 'y', 'circle'),
        series(t('mapDerived'), data.derived, COLORS.derived, 'y', 'triangle'),
        series(t('lactate'), data.lactate, COLORS.lactate, 'y1', 'rectRot'),
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: {
          type: 'linear',
          min: data.since,
          max: data.until,
          ticks: { stepSize: 3 * 60 * 60 * 1000, callback: (value) => formatClock(value, context.timeZone, language()) },
          title: { display: true, text: `${t('time')} (${context.timeZone})` },
        },
        y: { min: 0, max: mapMax, position: 'left', title: { display: true, text: 'MAP (mmHg)' } },
        y1: { min: 0, max: lactateMax, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: t('lactate') } },
      },
      plugins: {
        perfusionTargets: { vasopressors: data.vasopressors },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label}: ${round(item.parsed.y)} · ${formatTime(item.parsed.x, context.timeZone, language())}`,
          },
        },
      },
    },
    plugins: [targets],
  });
}

function series(label, points, color, axis, pointStyle) {
  return {
    label, data: points, yAxisID: axis, showLine: points.length > 1, borderColor: color, backgroundColor: color,
    pointStyle, pointRadius: 4, borderWidth: 1.5,
  };
}

function round(value) {
  return Math.round(value * 10) / 10;
}

function dataTable(data, context) {
  const rows = [
    ...data.measured.map((p) => ({ x: p.x, kind: t('mapMeasured'), value: round(p.y) })),
    ...data.derived.map((p) => ({ x: p.x, kind: t('mapDerived'), value: round(p.y) })),
    ...data.lactate.map((p) => ({ x: p.x, kind: t('lactate'), value: round(p.y) })),
    ...data.vasopressors.map((p) => ({ x: p.start, kind: t('vasopressor'), value: `${p.name ?? ''} ${formatClock(p.start, context.timeZone, language())}–${formatClock(p.end, context.timeZone, language())}` })),
  ].sort((a, b) => b.x - a.x);
  return el('details', { class: 'data' },
    el('summary', {}, `${t('perfusion')}: ${rows.length}`),
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('time')), el('th', { scope: 'col' }, t('kind')), el('th', { scope: 'col' }, t('value')))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, formatTime(r.x, context.timeZone, language())), el('td', {}, r.kind), el('td', {}, r.value))))));
}
