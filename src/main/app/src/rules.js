// The CDS committee's view: per service and rule over a period, how often the rule fired (counted by the server
// as it issues cards), how often feedback accepted or overrode it, and why (stored feedback AuditEvents, read by
// FHIR search: no second store).
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { language, t } from './i18n.js';
import { all, valueSet } from './knowledge.js';
import { el } from './view.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

const FEEDBACK = 'http://example.org/cds/CodeSystem/cds-feedback|card-feedback';
const RULE_SYSTEM = 'http://example.org/cds/CodeSystem/rule-id';
const OUTCOME_SYSTEM = 'http://example.org/cds/CodeSystem/cds-feedback-outcome';
const DAY_MS = 24 * 60 * 60 * 1000;
let chart;

export async function renderRules(main, context) {
  const params = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const today = new Date();
  const from = params.get('from') || isoDate(new Date(today.getTime() - 30 * DAY_MS));
  const to = params.get('to') || isoDate(today);
  const fromInput = el('input', { type: 'date', id: 'rules-from', value: from });
  const toInput = el('input', { type: 'date', id: 'rules-to', value: to });
  const form = el('form', { class: 'period', onsubmit: (event) => {
    event.preventDefault();
    window.location.hash = `#/rules?from=${fromInput.value}&to=${toInput.value}`;
  } },
  el('label', { for: 'rules-from' }, t('from')), fromInput,
  el('label', { for: 'rules-to' }, t('to')), toInput,
  el('button', { type: 'submit' }, t('show')));
  const rows = await ruleRows(context, from, to);
  const canvas = el('canvas', { role: 'img', 'aria-label': t('rulesChart'), id: 'rules-chart' });
  main.replaceChildren(el('h2', {}, t('rulesTitle')), form);
  if (rows.length === 0) {
    main.append(el('p', { class: 'empty' }, t('noFires')));
    return;
  }
  main.append(el('div', { class: 'chart rules-chart' }, canvas), table(rows));
  chart?.destroy();
  chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.rule),
      datasets: [
        { label: t('fired'), data: rows.map((r) => r.fired), backgroundColor: '#1f5fa8' },
        { label: t('accepted'), data: rows.map((r) => r.accepted), backgroundColor: '#1b7f3b' },
        { label: t('overridden'), data: rows.map((r) => r.overridden), backgroundColor: '#b3261e' },
      ],
    },
    options: { indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false },
  });
}

async function ruleRows(context, from, to) {
  const { client } = context;
  const [fires, events, reasons] = await Promise.all([
    ruleFires(client, from, to),
    all(client, `AuditEvent?type=${encodeURIComponent(FEEDBACK)}&date=ge${from}&date=le${to}&_count=500`),
    reasonNames(client),
  ]);
  const rows = new Map();
  const row = (service, rule) => {
    const key = `${service}|${rule}`;
    if (!rows.has(key)) {
      rows.set(key, { service, rule, fired: 0, accepted: 0, overridden: 0, reasons: new Map(), comments: [] });
    }
    return rows.get(key);
  };
  for (const fire of fires.fires ?? []) {
    row(fire.service, fire.rule).fired += fire.count;
  }
  for (const event of events.filter((e) => e.resourceType === 'AuditEvent')) {
    const rule = event.subtype?.find((c) => c.system === RULE_SYSTEM)?.code;
    const outcome = event.subtype?.find((c) => c.system === OUTCOME_SYSTEM)?.code;
    const service = event.entity?.find((e) => e.what?.reference?.startsWith('PlanDefinition/'))?.name;
    if (!rule || !service) {
      continue;
    }
    const r = row(service, rule);
    if (outcome === 'accepted') {
      r.accepted += 1;
    } else if (outcome === 'overridden') {
      r.overridden += 1;
    }
    for (const detail of event.entity?.flatMap((e) => e.detail ?? []) ?? []) {
      if (detail.type === 'overrideReason') {
        const name = reasons.get(detail.valueString) ?? detail.valueString;
        r.reasons.set(name, (r.reasons.get(name) ?? 0) + 1);
      } else if (detail.type === 'userComment') {
        r.comments.push(detail.valueString);
      }
    }
  }
  return [...rows.values()].sort((a, b) => b.fired - a.fired || a.rule.localeCompare(b.rule));
}

// With security on, the counts need the SMART access token the app was launched with, as FHIR reads do.
async function ruleFires(client, from, to) {
  const token = client.state.tokenResponse?.access_token;
  const response = await fetch(new URL(`api/rule-fires?from=${from}&to=${to}`, window.location.href),
    { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    throw new Error(`rule fires: HTTP ${response.status}`);
  }
  return response.json();
}

// Override reasons by system|code, named in the chosen language (the CodeSystem's designations).
async function reasonNames(client) {
  const names = new Map();
  const reasons = await valueSet(client, 'card-override-reasons');
  const systems = [...new Set(reasons.contains.map((c) => c.system))];
  for (const system of systems) {
    const bundle = await client.request(`CodeSystem?url=${encodeURIComponent(system)}`);
    for (const concept of bundle.entry?.[0]?.resource?.concept ?? []) {
      const ja = concept.designation?.find((d) => d.language === 'ja')?.value;
      names.set(`${system}|${concept.code}`, language() === 'ja' && ja ? ja : concept.display);
    }
  }
  return names;
}

function table(rows) {
  const head = [t('service'), t('rule'), t('fired'), t('accepted'), t('overridden'), t('overrideRate'), t('reasons'), t('comments')];
  return el('table', { class: 'rules' },
    el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows.map((r) => el('tr', { 'data-rule': r.rule },
      el('td', {}, r.service),
      el('th', { scope: 'row' }, r.rule),
      el('td', { class: 'number fired' }, r.fired),
      el('td', { class: 'number accepted' }, r.accepted),
      el('td', { class: 'number overridden' }, r.overridden),
      el('td', { class: 'number' }, r.fired ? `${Math.round((100 * r.overridden) / r.fired)}%` : '—'),
      el('td', {}, el('ul', {}, [...r.reasons].map(([name, count]) => el('li', {}, `${name} (${count})`)))),
      el('td', {}, el('ul', {}, r.comments.map((c) => el('li', {}, c))))))));
}

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}
