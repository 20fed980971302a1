// A CRE isolate under the MHLW guide: each tested agent with its interpretation and MIC (comparator kept), and its
// suitability (○/△/×) at the patient's infection sites, read from the knowledge (CreSiteAgentTable.cql, evaluated
// by the server's Library/$evaluate). Which isolate and which results: the latest Enterobacterales isolate and the
// susceptibility results linked to it (derivedFrom or hasMember); final, amended or corrected results only.
import { t } from './i18n.js';
import { all, hasCode, valueSet } from './knowledge.js';
import { el } from './view.js';

// Susceptibility ValueSets and the agent class of the guide's site table (§5.6); agents outside it show "—".
const AGENTS = [
  ['ast-meropenem', 'MEM'], ['ast-levofloxacin', 'FQ'], ['ast-sulfamethoxazole-trimethoprim', 'ST'],
  ['ast-amikacin', 'AG'], ['ast-gentamicin', 'AG'], ['ast-tobramycin', 'AG'], ['ast-tigecycline', 'TGC'],
  ['ast-fosfomycin-iv', 'FOS'], ['ast-colistin', 'COL'], ['ast-cefiderocol', null],
  ['ast-ceftazidime-avibactam', null], ['ast-imipenem-cilastatin-relebactam', null],
  ['ast-imipenem-cilastatin', null], ['ast-aztreonam', null],
];
const SITES = [
  ['infection-site-urinary', 'urinary'], ['infection-site-cystitis', 'urinary'], ['infection-site-lung', 'lung'],
  ['infection-site-intra-abdominal', 'intra-abdominal'], ['infection-site-bloodstream', 'bloodstream'],
  ['infection-site-ssti', 'skin/soft tissue'],
];
const SYMBOL = { O: '○', T: '△', X: '×' };
const FINAL = new Set(['final', 'amended', 'corrected']);

export async function creSection(client, patientId, context) {
  const organisms = await valueSet(client, 'enterobacterales-organisms');
  const observations = await all(client, `Observation?patient=${encodeURIComponent(patientId)}&category=laboratory&_count=500`);
  const isolates = observations
    .filter((o) => o.resourceType === 'Observation' && FINAL.has(o.status) && hasCode(o.valueCodeableConcept, organisms))
    .sort((a, b) => time(b) - time(a));
  if (isolates.length === 0) {
    return el('p', { class: 'empty' }, t('noIsolate'));
  }
  const isolate = isolates[0];
  const agentSets = await Promise.all(AGENTS.map(async ([name, agentClass]) => ({ set: await valueSet(client, name), agentClass })));
  const linked = new Set((isolate.hasMember ?? []).map((m) => m.reference));
  const isLinked = (o) => linked.has(`Observation/${o.id}`)
    || (o.derivedFrom ?? []).some((r) => r.reference === `Observation/${isolate.id}` || r.reference?.endsWith(`/Observation/${isolate.id}`));
  const results = observations.filter((o) => o.resourceType === 'Observation' && FINAL.has(o.status) && isLinked(o));
  const sites = await infectionSites(client, patientId);
  const table = await siteTable(client);
  const rows = agentSets.map(({ set, agentClass }) => {
    const tests = results.filter((o) => hasCode(o.code, set)).sort((a, b) => time(b) - time(a));
    if (tests.length === 0) {
      return null;
    }
    const interpreted = tests.find((o) => o.interpretation?.[0]?.coding?.[0]?.code);
    const mic = tests.find((o) => o.valueQuantity?.value !== undefined)?.valueQuantity;
    // the site table applies to agents the isolate is susceptible to; others show no symbol
    const result = interpreted?.interpretation[0].coding[0].code;
    const usable = result === 'S' || result === 'SDD';
    const symbols = usable && agentClass && table ? sites.map((site) => table.get(agentClass)?.[site]).filter(Boolean) : [];
    return el('tr', {},
      el('th', { scope: 'row' }, set.title.replace(/^Susceptibility test: /, '')),
      el('td', {}, result ?? '—'),
      el('td', {}, mic ? `${mic.comparator ?? ''}${mic.value} ${mic.unit ?? mic.code ?? ''}` : '—'),
      el('td', { class: 'symbol' }, symbols.length ? worst(symbols) : '—'));
  }).filter(Boolean);
  const organism = isolate.valueCodeableConcept?.text || isolate.valueCodeableConcept?.coding?.[0]?.display;
  return el('div', {},
    el('p', {}, `${organism ?? ''} · ${t('site')}: ${sites.join(', ') || '—'}`),
    el('table', { class: 'cre' },
      el('thead', {}, el('tr', {}, ...[t('agent'), t('interpretation'), t('mic'), t('siteSuitability')].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows)),
    el('p', { class: 'legend-text' }, t('siteLegend')));
}

function time(observation) {
  return Date.parse(observation.effectiveDateTime ?? observation.issued ?? 0) || 0;
}

function worst(symbols) {
  const order = ['X', 'T', 'O'];
  return SYMBOL[order.find((s) => symbols.includes(s))];
}

async function infectionSites(client, patientId) {
  const conditions = await all(client, `Condition?patient=${encodeURIComponent(patientId)}&_count=200`);
  const sites = new Set();
  for (const [name, site] of SITES) {
    const set = await valueSet(client, name);
    if (conditions.some((c) => c.resourceType === 'Condition' && hasCode(c.code, set))) {
      sites.add(site);
    }
  }
  return [...sites];
}

// The site × agent table as the pharmacist wrote it, evaluated by the server; null when it cannot be read.
async function siteTable(client) {
  try {
    const result = await client.request({
      url: 'Library/$evaluate',
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'url', valueCanonical: 'http://example.org/cds/Library/CreSiteAgentTable' },
          { name: 'expression', valueString: 'Site Agent Table' },
        ],
      }),
    });
    const rows = (result.parameter ?? []).filter((p) => p.name === 'Site Agent Table');
    const table = new Map();
    for (const row of rows) {
      const value = (name) => row.part?.find((p) => p.name === name)?.valueString;
      table.set(value('agentClass'), {
        urinary: value('urinary'), lung: value('lung'), 'intra-abdominal': value('intraAbdominal'),
        bloodstream: value('bloodstream'), 'skin/soft tissue': value('skinSoftTissue'),
      });
    }
    return table.size ? table : null;
  } catch {
    return null;
  }
}
