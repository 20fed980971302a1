#!/usr/bin/env python3
"""Writes src/test/resources/scenarios/scenarios-cre-stewardship.json (CLINICAL-SPEC §9 format)
and cre-stewardship-in-process.json (reference forms a FHIR store rewrites: absolute URL,
urn:uuid), the cre-stewardship scenarios written from CLINICAL-SPEC §5 and §10. Each lists
the exact set of rules that fire. Run from the repository root."""
import json

SVC = 'cre-stewardship'
LOINC, SCT, LOCAL = 'http://loinc.org', 'http://snomed.info/sct', 'http://example.org/cds/CodeSystem/local'
RX = 'http://www.nlm.nih.gov/research/umls/rxnorm'
V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation'
UCUM = 'http://unitsofmeasure.org'
AST = {  # agent -> (MIC LOINC or local code, system)
    'lvfx': ('20396-8', LOINC), 'sxt': ('516-5', LOINC), 'amk': ('12-5', LOINC), 'gen': ('267-5', LOINC),
    'tob': ('508-2', LOINC), 'col': ('205-5', LOINC), 'tgc': ('42355-8', LOINC), 'fos': ('25653-7', LOINC),
    'mem': ('6652-2', LOINC), 'ipm': ('279-0', LOINC), 'azt': ('44-8', LOINC), 'fdc': ('ast-cefiderocol', LOCAL),
    'cza': ('ast-ceftazidime-avibactam', LOCAL), 'imr': ('ast-imipenem-relebactam', LOCAL)}
INTERP_CODES = {'lvfx': '20629-2', 'amk': '18860-7', 'mem': '18943-1', 'ipm': '18932-4'}
GENES = {'IMP': '85498-4', 'NDM': '73982-1', 'VIM': '85501-5', 'KPC': '49617-4', 'OXA48': '85503-1'}
SITES = {'uti': (SCT, '45816000'), 'cystitis': (LOCAL, 'cystitis'), 'lung': (SCT, '233604007'),
         'ia': (LOCAL, 'intra-abdominal-infection'), 'bsi': (SCT, '5758002'), 'ssti': (SCT, '128045006')}
DRUGS = {'lvfx': (RX, '82122'), 'sxt': (RX, '10831'), 'amk': (RX, '641'), 'gen': (RX, '4413'),
         'col': (LOCAL, 'colistimethate'), 'tgc': (LOCAL, 'tigecycline'), 'fos': (LOCAL, 'fosfomycin-iv'),
         'mem': (RX, '29561'), 'ipm': (LOCAL, 'imipenem-cilastatin'), 'cza': (LOCAL, 'ceftazidime-avibactam'),
         'azt': (LOCAL, 'aztreonam'), 'fdc': (LOCAL, 'cefiderocol')}
INFO, WARN = 'info', 'warning'


class P:
    """One scenario patient."""

    def __init__(self, pid):
        self.pid, self.data, self.n = pid, [{'resourceType': 'Patient', 'id': pid, 'gender': 'female',
                                              'birthDate': '1960-01-01'}], 0
        self.iso_id = None

    def nid(self, tag):
        self.n += 1
        return f'{self.pid}-{tag}-{self.n}'

    def add(self, r):
        r.setdefault('subject', {'reference': f'Patient/{self.pid}'})
        self.data.append(r)
        return r

    def obs(self, tag, code, system, t='-1h', status='final', **value):
        r = {'resourceType': 'Observation', 'id': self.nid(tag), 'status': status,
             'code': {'coding': [{'system': system, 'code': code}]}}
        if t is not None:
            r['effectiveDateTime'] = t
        return self.add(dict(r, **value))

    def isolate(self, organism='56415008', system=SCT, t='-2d', status='final'):
        r = self.obs('iso', '11475-1', LOINC, t, status, valueCodeableConcept={'coding': [{'system': system,
                                                                                              'code': organism}]})
        self.iso_id = r['id']
        return r

    def link(self, r, iso=None, how='derivedFrom', ref=None):
        iso = iso or self.iso_id
        if how == 'derivedFrom':
            r['derivedFrom'] = [{'reference': ref or f'Observation/{iso}'}]
        else:
            target = next(x for x in self.data if x['id'] == iso)
            target.setdefault('hasMember', []).append({'reference': ref or f'Observation/{r["id"]}'})
        return r

    def ast(self, agent, interp=None, mic=None, comparator=None, unit='ug/mL', t='-1d', status='final',
            interp_coded=False, **link):
        code, system = (INTERP_CODES[agent], LOINC) if interp_coded else AST[agent]
        extra = {}
        if mic is not None:
            q = {'value': mic, 'unit': unit, 'system': UCUM, 'code': unit}
            if comparator:
                q['comparator'] = comparator
            extra['valueQuantity'] = q
        if interp:
            extra['interpretation'] = [{'coding': [{'system': V3, 'code': interp}]}]
        return self.link(self.obs('ast-' + agent, code, system, t, status, **extra), **link)

    def susceptible(self, *agents):
        for a in agents:
            self.ast(a, 'S', 0.5)

    def resistant(self, *agents):
        for a in agents:
            self.ast(a, 'R', 32)

    def gene(self, name, detected=True, **link):
        v = '260373001' if detected else '260415000'
        return self.link(self.obs('gene', GENES[name], LOINC, '-1d',
                                  valueCodeableConcept={'coding': [{'system': SCT, 'code': v}]}), **link)

    def pheno(self, test, result):  # result POS / NEG / IND (value) or iPOS / iNEG (interpretation)
        extra = {}
        if result.startswith('i'):
            extra['interpretation'] = [{'coding': [{'system': V3, 'code': result[1:]}]}]
        else:
            v = {'POS': '260373001', 'NEG': '260415000', 'IND': '82334004'}[result]
            extra['valueCodeableConcept'] = {'coding': [{'system': SCT, 'code': v}]}
        return self.link(self.obs(test, test, LOCAL, '-1d', **extra))

    def site(self, *names, **extra):
        for name in names:
            system, code = SITES[name]
            self.add(dict({'resourceType': 'Condition', 'id': self.nid('site'),
                           'clinicalStatus': {'coding': [{'system':
                                                          'http://terminology.hl7.org/CodeSystem/condition-clinical',
                                                          'code': 'active'}]},
                           'code': {'coding': [{'system': system, 'code': code}]}, 'onsetDateTime': '-2d'}, **extra))

    def condition(self, system, code, **extra):
        self.add(dict({'resourceType': 'Condition', 'id': self.nid('cond'),
                       'code': {'coding': [{'system': system, 'code': code}]}}, **extra))

    def vital(self, code, value, unit, t='-1h', system=LOINC, **extra):
        return self.obs('v', code, system, t, valueQuantity={'value': value, 'unit': unit, 'system': UCUM,
                                                             'code': unit}, **extra)

    def stable(self, hr=88, rr=18, sbp=128, source='achieved'):
        if hr is not None:
            self.vital('8867-4', hr, '/min')
        if rr is not None:
            self.vital('9279-1', rr, '/min')
        if sbp is not None:
            self.vital('8480-6', sbp, 'mm[Hg]')
        if source:
            self.obs('src', 'source-control-status', LOCAL, '-12h',
                     valueCodeableConcept={'coding': [{'system': LOCAL, 'code': source}]})

    def med(self, drug, status='active', dose=None, unit='mg', period=None, period_unit='h', duration=None,
            duration_unit='h', rtype='MedicationRequest', draft=False, **extra):
        system, code = DRUGS[drug] if drug in DRUGS else drug
        r = dict({'resourceType': rtype, 'id': self.nid('mr-' + (drug if isinstance(drug, str) else 'x')),
                  'status': status, 'medicationCodeableConcept': {'coding': [{'system': system, 'code': code}]},
                  'subject': {'reference': f'Patient/{self.pid}'}}, **extra)
        if rtype == 'MedicationRequest':
            r['intent'] = 'order'
            r.setdefault('authoredOn', '0m' if draft else '-1d')
        if dose is not None or period is not None:
            rep = {'frequency': 1}
            if period is not None:
                rep.update(period=period, periodUnit=period_unit)
            if duration is not None:
                rep.update(duration=duration, durationUnit=duration_unit)
            d = {'timing': {'repeat': rep}}
            if dose is not None:
                d['doseAndRate'] = [{'doseQuantity': {'value': dose, 'unit': unit, 'system': UCUM, 'code': unit}}]
            r['dosageInstruction' if rtype == 'MedicationRequest' else 'dosage'] = [d]
        if not draft:
            self.add(r)
        return r


SCEN, IN_PROCESS = [], []


def scenario(sid, desc, p, fire, hook='patient-view', drafts=None, selections=None, target=None):
    ctx = {'patientId': p.pid}
    if drafts is not None:
        ctx['draftOrders'] = {'resourceType': 'Bundle', 'type': 'collection',
                              'entry': [{'resource': d} for d in drafts]}
        if selections is not None:
            ctx['selections'] = [f'MedicationRequest/{d["id"]}' for d in selections]
    (IN_PROCESS if target == 'in-process' else SCEN).append({
        'id': sid, 'description': desc, 'service': SVC, 'hook': hook, 'context': ctx, 'data': p.data,
        'expect': {'fire': [{'rule': r, 'indicator': i} for r, i in fire], 'notFire': []}})


def cre_uti(pid, cp=None, **kw):
    """A CRE (meropenem/imipenem R) K. pneumoniae pyelonephritis; cp adds carbapenemase tests."""
    p = P(pid)
    p.isolate(**kw)
    p.site('uti')
    p.ast('mem', 'R', 16)
    p.ast('ipm', 'R', 16)
    return p


O = 'CRE-OPTION-'
TEST, SCREEN = ('CRE-CARBAPENEMASE-TEST-RECOMMENDED', INFO), ('CPE-SCREEN-MEROPENEM-MIC', INFO)
MONO, COMB = (O + 'NONBETALACTAM-MONOTHERAPY', INFO), (O + 'SEVERE-COMBINATION', INFO)
MBL, MEMEI = (O + 'MBL-NOVEL-BETALACTAM', INFO), (O + 'NONCP-MEROPENEM-EXTENDED-INFUSION', INFO)
NONCP, CONSULT = (O + 'NONCP-NOVEL-BETALACTAM', INFO), (O + 'NON-MBL-CPE-CONSULT', INFO)
INDET, NOGUIDE = ('CRE-SEVERITY-INDETERMINATE', INFO), ('CRE-NO-GUIDE-OPTION', WARN)

# ---- D3 carbapenemase status: five outcomes, each way of reaching them ----
p = cre_uti('cre-cp-imp'); p.gene('IMP'); p.resistant('lvfx', 'sxt', 'amk', 'gen', 'tob')
scenario('CRE-CP-MBL-IMP', 'blaIMP detected -> MBL; no susceptible FQ/ST/AG -> MBL novel beta-lactam', p, [MBL])
p = cre_uti('cre-cp-ndm-kpc'); p.gene('NDM'); p.gene('KPC'); p.resistant('lvfx', 'sxt', 'amk')
scenario('CRE-CP-MBL-COPRODUCER', 'blaNDM and blaKPC detected: the MBL gene wins (co-producer)', p, [MBL])
p = cre_uti('cre-cp-vim-neg'); p.gene('VIM'); p.gene('KPC', detected=False); p.ast('fdc', 'R', 16)
p.resistant('lvfx', 'sxt')
scenario('CRE-CP-MBL-CEFIDEROCOL-R', 'blaVIM detected but cefiderocol R: no MBL option, no guide option', p,
         [NOGUIDE])
p = cre_uti('cre-cp-ecim-pos'); p.pheno('mcim', 'iPOS'); p.pheno('ecim', 'iPOS'); p.resistant('lvfx', 'sxt')
scenario('CRE-CP-MBL-ECIM', 'mCIM POS + eCIM POS (interpretations) -> MBL', p, [MBL])
p = cre_uti('cre-cp-ecim-neg'); p.pheno('carba-np', 'POS'); p.pheno('ecim', 'NEG'); p.resistant('lvfx', 'sxt')
scenario('CRE-CP-NONMBL-ECIM', 'Carba NP detected + eCIM not detected -> non-MBL CPE -> consult', p, [CONSULT])
p = cre_uti('cre-cp-oxa'); p.gene('OXA48'); p.resistant('lvfx', 'sxt')
scenario('CRE-CP-NONMBL-OXA48', 'blaOXA-48 detected -> non-MBL CPE -> consult', p, [CONSULT])
p = cre_uti('cre-cp-oxa-lvfx'); p.gene('OXA48'); p.susceptible('lvfx')
scenario('CRE-CP-NONMBL-LVFX-S', 'non-MBL CPE with levofloxacin S, urinary only: monotherapy, no consult', p,
         [MONO])
p = cre_uti('cre-cp-typeunk'); p.pheno('mcim', 'POS'); p.susceptible('lvfx')
scenario('CRE-CP-TYPE-UNKNOWN', 'mCIM positive, no eCIM -> CPE type unknown: test recommended; LVFX S', p,
         [TEST, MONO])
p = cre_uti('cre-cp-ecim-ind'); p.pheno('mcim', 'POS'); p.pheno('ecim', 'IND'); p.resistant('lvfx', 'sxt', 'amk')
scenario('CRE-CP-ECIM-INDETERMINATE', 'eCIM indeterminate counts as no eCIM -> type unknown; nothing usable', p,
         [TEST, NOGUIDE])
p = cre_uti('cre-cp-noncp'); p.pheno('carba-np', 'NEG'); p.resistant('lvfx', 'sxt', 'amk', 'gen', 'tob')
scenario('CRE-CP-NONCP', 'Carba NP not detected -> non-CP-CRE; meropenem R, nothing usable -> novel BL', p, [NONCP])
p = cre_uti('cre-cp-noncp-ineg'); p.pheno('mcim', 'iNEG'); p.resistant('lvfx', 'sxt', 'amk')
scenario('CRE-CP-NONCP-INTERP', 'mCIM interpretation NEG -> non-CP-CRE', p, [NONCP])
p = cre_uti('cre-cp-genes-neg'); p.gene('IMP', False); p.gene('KPC', False); p.resistant('lvfx', 'sxt', 'amk')
scenario('CRE-CP-GENE-NEGATIVES-ONLY', 'gene negatives alone do not make non-CP-CRE: UNKNOWN', p, [TEST, NOGUIDE])
p = P('cre-cp-org'); p.isolate('712662001'); p.site('uti'); p.susceptible('lvfx')
scenario('CRE-ORGANISM-CODE', 'organism SCT 712662001 alone makes the isolate CRE', p, [TEST, MONO])
p = P('cre-cp-pos-only'); p.isolate(); p.site('uti'); p.gene('KPC'); p.ast('mem', 'S', 0.5); p.ast('ipm', 'S', 1)
p.susceptible('lvfx')
scenario('CRE-BY-CARBAPENEMASE', 'carbapenem-S isolate with blaKPC is CRE by D2 (CP status); no CPE screen', p,
         [MONO])

# ---- D1 linking, statuses, ages, ties ----
p = P('cre-link-member'); p.isolate(); p.site('uti')
p.ast('mem', 'R', 16, how='hasMember'); p.ast('lvfx', 'S', 0.5, how='hasMember'); p.gene('IMP', how='hasMember')
scenario('CRE-LINK-HASMEMBER', 'results listed in the isolate hasMember are linked (MBL, LVFX S, UTI)', p, [MONO])
p = P('cre-link-prelim'); p.isolate(); p.site('uti'); p.ast('mem', 'R', 16, status='preliminary')
p.ast('ipm', 'R', 16, status='preliminary')
scenario('CRE-PRELIMINARY-AST-IGNORED', 'preliminary meropenem/imipenem R is ignored: not CRE, no card', p, [])
p = P('cre-link-prelim-iso'); p.isolate('712662001', status='preliminary'); p.site('uti')
scenario('CRE-PRELIMINARY-ISOLATE', 'a preliminary isolate is no isolate', p, [])
p = P('cre-link-other'); p.isolate(); p.site('uti'); iso1 = p.iso_id; p.isolate(t='-5d'); p.ast('mem', 'R', 16)
p.ast('ipm', 'R', 16); p.iso_id = iso1
scenario('CRE-LINK-OTHER-ISOLATE', 'meropenem R linked to an older isolate does not make the latest one CRE', p, [])
p = P('cre-old'); p.isolate('712662001', t='-31d'); p.site('uti')
scenario('CRE-ISOLATE-OLDER-THAN-30D', 'CRE isolate 31 days old: no CRE cards', p, [])
p = P('cre-tie'); p.isolate('112283007', t='-2d'); p.ast('mem', 'S', 0.5); p.isolate('712662001', t='-2d')
p.site('uti')
scenario('CRE-TIE-PREFERS-CRE', 'two isolates at the same time: the CRE one is used (§10.12)', p, [TEST, NOGUIDE])
p = P('cre-latest'); p.isolate('112283007', t='-1d'); p.ast('mem', 'S', 0.5); p.isolate('712662001', t='-3d')
p.site('uti')
scenario('CRE-LATEST-ISOLATE-WINS', 'the later non-CRE isolate is used: CPE screen only', p, [SCREEN])
# "the latest" one criterion at a time (cql/README.md "Sorting"): time, then issued, then the CRE isolate
p = P('cre-tie-issued'); p.isolate('112283007', t='-2d')['issued'] = '-1h'; p.ast('mem', 'S', 0.5)
p.isolate('712662001', t='-2d')['issued'] = '-2d'; p.site('uti')
scenario('CRE-TIE-ISSUED-BEATS-CRE', 'two isolates at the same time: the later issued (not CRE) is used, before '
         'the CRE preference (§6.2, §10.12)', p, [SCREEN])
p = P('cre-nosite'); p.isolate('712662001'); p.susceptible('lvfx')
scenario('CRE-NO-SITE', 'CRE isolate without an infection site: test card only, no option cards', p, [TEST])

# ---- D6 per-agent susceptibility ----
p = cre_uti('cre-d6-interp-wins'); p.pheno('mcim', 'NEG'); p.ast('lvfx', 'R', 8, t='-1d')
p.ast('lvfx', 'S', interp_coded=True, t='-2d')
scenario('CRE-D6-INTERPRETATION-WINS', 'interpretation-coded LVFX S beats a later MIC-coded R', p, [MONO])
p = cre_uti('cre-d6-latest'); p.pheno('mcim', 'NEG'); p.ast('lvfx', 'S', 0.5, t='-3d'); p.ast('lvfx', 'R', 8, t='-1d')
p.resistant('sxt', 'amk')
scenario('CRE-D6-LATEST-OF-KIND', 'the latest MIC-coded result wins (R after S)', p, [NONCP])
p = cre_uti('cre-d6-issued-r'); p.pheno('mcim', 'NEG'); p.ast('lvfx', 'S', 0.5)['issued'] = '-20h'
p.ast('lvfx', 'R', 8)['issued'] = '-2h'; p.resistant('sxt', 'amk')
scenario('CRE-D6-SAME-TIME-LATER-ISSUED-R', 'two MIC-coded LVFX results at the same time: the later issued (R) wins',
         p, [NONCP])
p = cre_uti('cre-d6-issued-s'); p.pheno('mcim', 'NEG'); p.ast('lvfx', 'R', 8)['issued'] = '-20h'
p.ast('lvfx', 'S', 0.5)['issued'] = '-2h'; p.resistant('sxt', 'amk')
scenario('CRE-D6-SAME-TIME-LATER-ISSUED-S', 'two MIC-coded LVFX results at the same time: the later issued (S) wins',
         p, [MONO])
p = cre_uti('cre-d6-sdd'); p.pheno('mcim', 'NEG'); p.ast('sxt', 'SDD', 2)
scenario('CRE-D6-SDD', 'SDD counts as S (TMP-SMX)', p, [MONO])
p = cre_uti('cre-d6-nointerp'); p.pheno('mcim', 'NEG'); p.ast('lvfx', None, 0.25); p.resistant('sxt', 'amk')
scenario('CRE-D6-MIC-WITHOUT-INTERPRETATION', 'LVFX MIC without interpretation is UNKNOWN', p, [NONCP])
p = cre_uti('cre-d6-ag-urine'); p.pheno('mcim', 'NEG'); p.resistant('lvfx', 'sxt', 'amk'); p.ast('tob', 'S', 1)
scenario('CRE-D6-AG-URINARY-ONLY', 'tobramycin S, urinary only: aminoglycoside monotherapy', p, [MONO])
p = P('cre-d6-memei'); p.isolate('enterobacter-cloacae-complex', LOCAL); p.site('uti'); p.pheno('mcim', 'NEG')
p.ast('ipm', 'R', 4); p.ast('mem', 'S', 1); p.resistant('lvfx', 'sxt', 'amk')
scenario('CRE-NONCP-MEROPENEM-EI', 'non-CP-CRE imipenem R / meropenem S: extended infusion meropenem', p, [MEMEI])

# ---- CPE screen: MIC comparators and units (§6.3, §10.5) ----
for sid, mic, comp, unit, fires in [
        ('0.25', 0.25, None, 'ug/mL', True), ('0.24', 0.24, None, 'ug/mL', False),
        ('LE0.12', 0.12, '<=', 'ug/mL', False), ('LE0.5', 0.5, '<=', 'ug/mL', False),
        ('LT0.5', 0.5, '<', 'ug/mL', False), ('GE0.25', 0.25, '>=', 'ug/mL', True),
        ('GT0.12', 0.12, '>', 'ug/mL', False), ('GT0.25', 0.25, '>', 'ug/mL', True),
        ('MGL0.5', 0.5, None, 'mg/L', True), ('UGL500', 500, None, 'ug/L', False)]:
    p = P('cre-screen-' + sid.lower().replace('.', '')); p.isolate('112283007'); p.site('uti')
    p.ast('mem', 'S', mic, comp, unit); p.ast('ipm', 'S', 1)
    scenario('CPE-SCREEN-MIC-' + sid, f'E. coli, meropenem S MIC {comp or ""}{mic} {unit}', p,
             [SCREEN] if fires else [])
p = P('cre-screen-tested'); p.isolate('112283007'); p.site('uti'); p.ast('mem', 'S', 0.5); p.pheno('mcim', 'IND')
scenario('CPE-SCREEN-ALREADY-TESTED', 'meropenem MIC 0.5 but an (indeterminate) mCIM is linked: no screen', p, [])

# ---- Table 7 severity: non-CP-CRE skin/soft-tissue infection, levofloxacin S ----
def ssti(pid, **stable):
    p = P(pid); p.isolate(); p.site('ssti'); p.pheno('mcim', 'NEG'); p.ast('mem', 'R', 16); p.susceptible('lvfx')
    p.stable(**stable)
    return p


scenario('SEV-BASELINE-NONSEVERE', 'stable vitals, source achieved, no immunocompromise', ssti('sev-base'), [MONO])
for sid, kw, severe in [('HR130', {'hr': 130}, True), ('HR129', {'hr': 129}, False), ('RR25', {'rr': 25}, True),
                        ('RR24', {'rr': 24}, False), ('SBP89', {'sbp': 89}, True), ('SBP90', {'sbp': 90}, False),
                        ('SOURCE-NOT-ACHIEVED', {'source': 'not-achieved'}, True),
                        ('SOURCE-NOT-REQUIRED', {'source': 'not-required'}, False)]:
    scenario('SEV-' + sid, 'severity input ' + sid, ssti('sev-' + sid.lower(), **kw), [COMB] if severe else [MONO])


def sev(sid, desc, build, outcome):
    p = ssti('sev-' + sid.lower())
    build(p)
    scenario('SEV-' + sid, desc, p, {'severe': [COMB], 'non-severe': [MONO], 'indeterminate': [INDET]}[outcome])


sev('USUAL-SBP-FALL', 'SBP 119 with usual SBP 160 (fall > 40)', lambda p: (
    p.vital('usual-systolic-bp', 160, 'mm[Hg]', '-100d', LOCAL), p.vital('8480-6', 119, 'mm[Hg]', '-10m')), 'severe')
sev('USUAL-SBP-40', 'SBP 120 with usual SBP 160 (fall = 40)', lambda p: (
    p.vital('usual-systolic-bp', 160, 'mm[Hg]', '-100d', LOCAL), p.vital('8480-6', 120, 'mm[Hg]', '-10m')),
    'non-severe')
sev('BP-PANEL-SBP', 'SBP 85 from a BP panel component', lambda p: p.add({
    'resourceType': 'Observation', 'id': p.nid('bp'), 'status': 'final', 'effectiveDateTime': '-10m',
    'code': {'coding': [{'system': LOINC, 'code': '85354-9'}]}, 'component': [
        {'code': {'coding': [{'system': LOINC, 'code': '8480-6'}]},
         'valueQuantity': {'value': 85, 'unit': 'mm[Hg]', 'system': UCUM, 'code': 'mm[Hg]'}},
        {'code': {'coding': [{'system': LOINC, 'code': '8462-4'}]},
         'valueQuantity': {'value': 50, 'unit': 'mm[Hg]', 'system': UCUM, 'code': 'mm[Hg]'}}]}), 'severe')
sev('FIO2-40', 'FiO2 40 %', lambda p: p.vital('3150-0', 40, '%'), 'severe')
sev('FIO2-FRACTION', 'FiO2 0.4 (unit 1)', lambda p: p.vital('3150-0', 0.4, '1'), 'severe')
sev('FIO2-39', 'FiO2 39 %', lambda p: p.vital('3150-0', 39, '%'), 'non-severe')
sev('SPO2-92', 'SpO2 92 %', lambda p: p.vital('59408-5', 92, '%'), 'severe')
sev('SPO2-93', 'SpO2 93 %', lambda p: p.vital('59408-5', 93, '%'), 'non-severe')
sev('SPO2-90-COPD', 'SpO2 90 % with COPD (target 89)', lambda p: (
    p.vital('59408-5', 90, '%'), p.condition(SCT, '13645005')), 'non-severe')
sev('SAO2-NOT-SPO2', 'SaO2 88 % is not SpO2', lambda p: p.vital('2708-6', 88, '%'), 'non-severe')
sev('URINE-LOW', 'urine 100 mL over 6 h at 50 kg = 0.33 mL/kg/h', lambda p: (
    p.vital('29463-7', 50, 'kg', '-2d'), p.obs('uo', '9187-6', LOINC, None, effectivePeriod={
        'start': '-7h', 'end': '-1h'}, valueQuantity={'value': 100, 'unit': 'mL', 'system': UCUM, 'code': 'mL'})),
    'severe')
sev('URINE-HOURLY', 'hourly urine 10 mL (period < 6 h) does not count', lambda p: (
    p.vital('29463-7', 50, 'kg', '-2d'), p.obs('uo', '9187-6', LOINC, None, effectivePeriod={
        'start': '-2h', 'end': '-1h'}, valueQuantity={'value': 10, 'unit': 'mL', 'system': UCUM, 'code': 'mL'})),
    'non-severe')
sev('URINE-NO-WEIGHT', 'low urine output without a weight is skipped', lambda p: p.obs(
    'uo', '9187-6', LOINC, None, effectivePeriod={'start': '-7h', 'end': '-1h'},
    valueQuantity={'value': 100, 'unit': 'mL', 'system': UCUM, 'code': 'mL'}), 'non-severe')
sev('MOTTLING', 'skin mottling Condition recorded 2 h ago', lambda p: p.condition(
    LOCAL, 'skin-mottling', recordedDate='-2h'), 'severe')
sev('MOTTLING-OLD', 'skin mottling recorded 2 days ago', lambda p: p.condition(
    LOCAL, 'skin-mottling', recordedDate='-2d'), 'non-severe')
sev('VASOPRESSOR', 'norepinephrine infusion in progress', lambda p: p.add({
    'resourceType': 'MedicationAdministration', 'id': p.nid('ma'), 'status': 'in-progress',
    'medicationCodeableConcept': {'coding': [{'system': RX, 'code': '7512'}]}, 'effectiveDateTime': '-3h'}),
    'severe')
sev('NEUTROPENIA', 'neutrophils 0.4 10*3/uL (400/uL)', lambda p: p.vital('751-8', 0.4, '10*3/uL', '-1d'), 'severe')
sev('NEUTROPHILS-500', 'neutrophils 500/uL', lambda p: p.vital('751-8', 500, '/uL', '-1d'), 'non-severe')
sev('CD4', 'CD4 150/uL 100 days ago', lambda p: p.vital('24467-3', 150, '/uL', '-100d'), 'severe')
sev('AIDS', 'AIDS Condition', lambda p: p.condition(LOCAL, 'aids'), 'severe')
sev('CHEMO', 'chemotherapy 100 days ago', lambda p: p.add({
    'resourceType': 'Procedure', 'id': p.nid('proc'), 'status': 'completed', 'performedDateTime': '-100d',
    'code': {'coding': [{'system': LOCAL, 'code': 'chemotherapy'}]}}), 'severe')
sev('CHEMO-OLD', 'chemotherapy 200 days ago', lambda p: p.add({
    'resourceType': 'Procedure', 'id': p.nid('proc'), 'status': 'completed', 'performedDateTime': '-200d',
    'code': {'coding': [{'system': LOCAL, 'code': 'chemotherapy'}]}}), 'non-severe')
def antineoplastic(p, t, status='completed', tagged=True, code=(RX, '6851')):
    """A MedicationAdministration given at t; tagged antineoplastic (meta.tag local, §10.3) when asked."""
    ma = {'resourceType': 'MedicationAdministration', 'id': p.nid('ma'), 'status': status,
          'medicationCodeableConcept': {'coding': [{'system': code[0], 'code': code[1]}]}, 'effectiveDateTime': t}
    if tagged:
        ma['meta'] = {'tag': [{'system': LOCAL, 'code': 'antineoplastic'}]}
    return p.add(ma)


# §5.7 I and §10.2/§10.3: a MedicationAdministration tagged antineoplastic, in-progress or completed within 183 d
sev('ANTINEOPLASTIC', 'MedicationAdministration tagged antineoplastic, completed 100 days ago',
    lambda p: antineoplastic(p, '-100d', code=(LOCAL, 'cyclophosphamide')), 'severe')
sev('ANTINEOPLASTIC-IN-PROGRESS', 'tagged antineoplastic administration in progress since 2 hours ago',
    lambda p: antineoplastic(p, '-2h', status='in-progress', code=(LOCAL, 'cyclophosphamide')), 'severe')
sev('ANTINEOPLASTIC-OLD', 'tagged antineoplastic administration completed 190 days ago (outside 183 d)',
    lambda p: antineoplastic(p, '-190d', code=(LOCAL, 'cyclophosphamide')), 'non-severe')
sev('ANTINEOPLASTIC-NOT-DONE', 'tagged antineoplastic administration not done (status not-done)',
    lambda p: antineoplastic(p, '-10d', status='not-done', code=(LOCAL, 'cyclophosphamide')), 'non-severe')
sev('ANTINEOPLASTIC-UNTAGGED', 'an untagged administration of a drug in no value set 10 days ago',
    lambda p: antineoplastic(p, '-10d', tagged=False, code=(LOCAL, 'cyclophosphamide')), 'non-severe')
sev('ANTINEOPLASTIC-BY-CODE', 'untagged administration 10 days ago of a medication in ANTINEOPLASTIC-MEDICATIONS',
    lambda p: antineoplastic(p, '-10d', tagged=False, code=(LOCAL, 'antineoplastic')), 'severe')

sev('HSCT', 'HSCT 300 days ago', lambda p: p.add({
    'resourceType': 'Procedure', 'id': p.nid('proc'), 'status': 'completed', 'performedDateTime': '-300d',
    'code': {'coding': [{'system': LOCAL, 'code': 'hsct'}]}}), 'severe')
sev('BIOLOGIC', 'rituximab order active', lambda p: p.med((RX, '121191')), 'severe')
sev('STEROID', 'prednisolone 20 mg daily for 15 days', lambda p: p.med(
    (LOCAL, 'prednisolone'), dose=20, period=1, period_unit='d', authoredOn='-15d'), 'severe')
sev('STEROID-SHORT', 'prednisolone 20 mg daily for 10 days', lambda p: p.med(
    (LOCAL, 'prednisolone'), dose=20, period=1, period_unit='d', authoredOn='-10d'), 'non-severe')
sev('STEROID-LOW', 'hydrocortisone 20 mg q8h (= prednisolone 15 mg/day)', lambda p: p.med(
    (LOCAL, 'hydrocortisone'), dose=20, period=8, authoredOn='-30d'), 'non-severe')
sev('IMMUNO-STABLE', 'AIDS but attested clinically stable today', lambda p: (
    p.condition(LOCAL, 'aids'), p.obs('att', 'immunocompromised-clinically-stable', LOCAL, '-2h',
                                      valueBoolean=True)), 'non-severe')
p = ssti('sev-hrstale', hr=None); p.vital('8867-4', 140, '/min', '-7h')
scenario('SEV-HR-STALE', 'only heart rate is 140/min 7 h ago: outside 6 h, H unknown', p, [INDET])
scenario('SEV-NO-SOURCE', 'no source-control assessment', ssti('sev-nosrc', source=None), [INDET])
p = ssti('sev-fail-beats-unknown', hr=None, source=None); p.vital('9279-1', 30, '/min', '-10m')
scenario('SEV-FAIL-BEATS-UNKNOWN', 'RR 30 with HR and source missing: SEVERE, not indeterminate', p, [COMB])
p = P('sev-urinary-only'); p.isolate(); p.site('uti'); p.pheno('mcim', 'NEG'); p.ast('mem', 'R', 16)
p.susceptible('lvfx'); p.vital('8867-4', 140, '/min')
scenario('SEV-URINARY-ONLY-NOT-APPLICABLE', 'HR 140 but urinary only: severity not applicable', p, [MONO])

# ---- Severe combination partners by site (○/△/×) ----
p = P('comb-lung'); p.isolate(); p.site('lung'); p.pheno('mcim', 'NEG'); p.ast('mem', 'R', 16)
p.resistant('lvfx', 'sxt'); p.susceptible('amk', 'col'); p.stable(hr=140)
scenario('COMB-LUNG-ONLY-X-PARTNERS', 'severe pneumonia, only amikacin/colistin S (× at lung): no partner', p,
         [NONCP])
p = P('comb-ia'); p.isolate(); p.site('ia'); p.pheno('mcim', 'NEG'); p.ast('mem', 'R', 4)
p.resistant('lvfx', 'sxt'); p.susceptible('amk', 'tgc'); p.stable(hr=140)
scenario('COMB-IA-PARTNERS', 'severe intra-abdominal: tigecycline ○, amikacin △, meropenem MIC 4 ○', p, [COMB])
p = P('comb-fos'); p.isolate(); p.site('bsi'); p.gene('KPC'); p.ast('mem', 'R', 16)
p.resistant('lvfx', 'sxt'); p.susceptible('fos'); p.stable(hr=140)
scenario('COMB-FOS-X-BLOODSTREAM', 'severe bacteraemia, only fosfomycin S (×): consult for non-MBL CPE', p,
         [CONSULT])

# ---- order-select / order-sign (§5.10) ----
def order_pt(pid, site='uti', cp='mcim-neg', hr=88):
    p = P(pid); p.isolate(); p.site(*site.split('+'))
    if cp == 'mcim-neg':
        p.pheno('mcim', 'NEG')
    elif cp:
        p.gene(cp)
    p.ast('mem', 'R', 16); p.ast('ipm', 'R', 16)
    if site != 'uti':
        p.stable(hr=hr)
    return p


D = lambda p, drug, **kw: p.med(drug, status='draft', draft=True, **kw)
AGENT_SITE = [('amk', 'lung', 'X'), ('amk', 'ia', 'T'), ('amk', 'uti', 'O'), ('col', 'lung', 'X'),
              ('col', 'bsi', 'T'), ('tgc', 'uti', 'T'), ('tgc', 'ia', 'O'), ('fos', 'uti', 'T'),
              ('fos', 'ssti', 'X'), ('lvfx', 'lung', 'O'), ('sxt', 'bsi', 'O')]
for drug, site, sym in AGENT_SITE:
    p = order_pt(f'ord-site-{drug}-{site}', site)
    p.susceptible(drug)
    fire = {'X': [('CRE-AGENT-SITE-EXCLUDED', WARN)], 'T': [('CRE-AGENT-SITE-MONOTHERAPY-AVOID', INFO)],
            'O': []}[sym]
    scenario(f'ORD-SITE-{drug.upper()}-{site.upper()}-{sym}', f'{drug} alone, susceptible, at {site} ({sym})', p,
             fire, 'order-sign', [D(p, drug, dose=500, period=24)])
p = order_pt('ord-site-tgc-uti-partner', 'uti'); p.susceptible('tgc', 'lvfx'); p.med('lvfx')
scenario('ORD-SITE-TGC-UTI-WITH-PARTNER', 'tigecycline △ at urinary with an active levofloxacin: no card', p, [],
         'order-sign', [D(p, 'tgc', dose=100, period=12)])
p = order_pt('ord-site-worst', 'lung+ia'); p.susceptible('tgc')
scenario('ORD-SITE-WORST-OF-TWO', 'tigecycline alone at lung (△) and intra-abdominal (○): worst is △', p,
         [('CRE-AGENT-SITE-MONOTHERAPY-AVOID', INFO), ('CRE-TIGECYCLINE-PNEUMONIA-DOSE', INFO)], 'order-sign',
         [D(p, 'tgc', dose=50, period=12)])
p = order_pt('ord-ag-col', 'uti'); p.susceptible('gen', 'col'); p.med('col')
scenario('ORD-AG-COLISTIN', 'gentamicin drafted with colistin active', p, [('CRE-AMINOGLYCOSIDE-COLISTIN', WARN)],
         'order-sign', [D(p, 'gen', dose=300, period=24)])
p = order_pt('ord-not-susc', 'uti'); p.resistant('lvfx')
scenario('ORD-NOT-SUSCEPTIBLE', 'levofloxacin R ordered', p, [('CRE-AGENT-NOT-SUSCEPTIBLE', WARN)], 'order-sign',
         [D(p, 'lvfx', dose=500, period=24)])
p = order_pt('ord-untested', 'uti'); p.ast('amk', None, 4)
scenario('ORD-MIC-WITHOUT-INTERPRETATION', 'amikacin with only an MIC: susceptibility not reported', p,
         [('CRE-AGENT-SUSCEPTIBILITY-NOT-REPORTED', INFO)], 'order-sign', [D(p, 'amk', dose=1000, period=24)])
p = order_pt('ord-ag-own-test', 'uti'); p.susceptible('amk'); p.resistant('gen')
scenario('ORD-AG-OWN-TEST', 'gentamicin R although amikacin S: the gentamicin order uses its own test', p,
         [('CRE-AGENT-NOT-SUSCEPTIBLE', WARN)], 'order-sign', [D(p, 'gen', dose=300, period=24)])
for sid, mic, comp, fire in [('LE8', 8, '<=', True), ('8', 8, None, True), ('GT4', 4, '>', False),
                             ('GE8', 8, '>=', False), ('LT8', 8, '<', True)]:
    p = P('ord-mem-' + sid.lower()); p.isolate(); p.site('lung'); p.pheno('mcim', 'NEG'); p.stable()
    p.ast('mem', 'R', mic, comp); p.ast('ipm', 'R', 16)
    exp = [('CRE-MEROPENEM-MIC-LE8-MONOTHERAPY', WARN)] if fire else [('CRE-AGENT-NOT-SUSCEPTIBLE', WARN)]
    scenario('ORD-MEROPENEM-MIC-' + sid, f'meropenem R MIC {comp or ""}{mic} alone, 2 g q8h over 3 h', p, exp,
             'order-sign', [D(p, 'mem', dose=2, unit='g', period=8, duration=3)])
p = P('ord-mem-dose-b'); p.isolate(); p.site('lung'); p.pheno('mcim', 'NEG'); p.stable()
p.ast('mem', 'R', 4); p.ast('ipm', 'R', 16); p.susceptible('lvfx'); p.med('lvfx')
scenario('ORD-MEROPENEM-PARTNER-SHORT-INFUSION', 'meropenem MIC 4 as partner, 2 g q8h without duration', p,
         [('CRE-MEROPENEM-MIC-LE8-PARTNER', INFO), ('CRE-MEROPENEM-DOSE-BELOW-GUIDE', INFO)], 'order-sign',
         [D(p, 'mem', dose=2000, period=8)])
p = P('ord-mem-cystitis'); p.isolate(); p.site('cystitis'); p.pheno('mcim', 'NEG')
p.ast('mem', 'S', 1); p.ast('ipm', 'R', 8)
scenario('ORD-MEROPENEM-CYSTITIS-1G', 'cystitis-only case A: 1 g q8h over 30 min meets the guide', p, [],
         'order-sign', [D(p, 'mem', dose=1, unit='g', period=8, duration=30, duration_unit='min')])
p = P('ord-mem-cystitis-low'); p.isolate(); p.site('cystitis'); p.pheno('mcim', 'NEG')
p.ast('mem', 'S', 1); p.ast('ipm', 'R', 8)
scenario('ORD-MEROPENEM-CYSTITIS-500', 'cystitis-only case A: 500 mg q8h is below the guide', p,
         [('CRE-MEROPENEM-DOSE-BELOW-GUIDE', INFO)], 'order-sign', [D(p, 'mem', dose=500, period=8)])
p = P('ord-mem-unparsed'); p.isolate(); p.site('uti'); p.pheno('mcim', 'NEG'); p.ast('mem', 'S', 1)
p.ast('ipm', 'R', 8)
scenario('ORD-MEROPENEM-DOSE-UNPARSEABLE', 'meropenem without a dose: no dose card', p, [], 'order-sign',
         [D(p, 'mem', period=8)])
p = order_pt('ord-fdc-mbl', 'bsi', cp='IMP', hr=140); p.resistant('lvfx', 'sxt'); p.ast('fdc', 'S', 1)
p.add({'resourceType': 'ServiceRequest', 'id': p.nid('consult'), 'status': 'active', 'intent': 'order',
       'authoredOn': '-1d', 'code': {'coding': [{'system': LOCAL, 'code': 'id-ast-consultation'}]}})
scenario('ORD-CEFIDEROCOL-MBL-CONSULTED', 'cefiderocol for severe MBL bacteraemia after an ID/AST consult', p,
         [('CRE-CEFIDEROCOL-MBL-APPROPRIATE', INFO)], 'order-sign', [D(p, 'fdc', dose=2, unit='g', period=8)])
p = order_pt('ord-fdc-draft-consult', 'uti', cp=None); p.ast('fdc', 'S', 1)
consult = {'resourceType': 'ServiceRequest', 'id': 'ord-fdc-draft-consult-sr', 'status': 'draft', 'intent': 'order',
           'subject': {'reference': 'Patient/ord-fdc-draft-consult'},
           'code': {'coding': [{'system': LOCAL, 'code': 'id-ast-consultation'}]}}
scenario('ORD-CEFIDEROCOL-CONSULT-DRAFTED', 'a consult drafted in the same session is not an existing consult', p,
         [('CRE-CEFIDEROCOL-CARBAPENEMASE-UNKNOWN', WARN), ('CRE-CEFIDEROCOL-CONSULT-REQUIRED', INFO)],
         'order-sign', [D(p, 'fdc', dose=2, unit='g', period=8), consult])
p = P('ord-fdc-no-cre'); p.isolate('112283007'); p.site('uti'); p.ast('mem', 'S', 0.06)
scenario('ORD-CEFIDEROCOL-WITHOUT-CRE', 'cefiderocol without a CRE isolate: no card (§10.14)', p, [], 'order-sign',
         [D(p, 'fdc', dose=2, unit='g', period=8)])
p = order_pt('ord-select', 'lung'); p.susceptible('lvfx', 'amk')
d1, d2 = D(p, 'lvfx', dose=500, period=24), D(p, 'amk', dose=1000, period=24)
scenario('ORD-SELECT-UNSELECTED-CO-ORDER', 'order-select of levofloxacin; unselected amikacin (× lung) not evaluated',
         p, [], 'order-select', [d1, d2], [d1])
p = order_pt('ord-select-amk', 'lung'); p.susceptible('lvfx', 'amk')
d1, d2 = D(p, 'lvfx', dose=500, period=24), D(p, 'amk', dose=1000, period=24)
scenario('ORD-SELECT-AMIKACIN', 'order-select of amikacin at lung with a levofloxacin co-order', p,
         [('CRE-AGENT-SITE-EXCLUDED', WARN)], 'order-select', [d1, d2], [d2])
p = order_pt('ord-severe-mono', 'ia', hr=140); p.susceptible('lvfx')
scenario('ORD-SEVERE-NONURINARY-MONOTHERAPY', 'severe intra-abdominal, levofloxacin alone', p,
         [('CRE-SEVERE-NONURINARY-MONOTHERAPY', INFO)], 'order-sign', [D(p, 'lvfx', dose=500, period=24)])
p = order_pt('ord-cza-azt', 'uti', cp='NDM'); p.ast('cza', 'R', 32)
scenario('ORD-CAZAVI-WITH-AZTREONAM', 'ceftazidime-avibactam with aztreonam drafted for MBL: no aztreonam card', p,
         [('CRE-AGENT-NOT-SUSCEPTIBLE', WARN), ('CRE-AGENT-SUSCEPTIBILITY-NOT-REPORTED', INFO)], 'order-sign',
         [D(p, 'cza', dose=2.5, unit='g', period=8), D(p, 'azt', dose=2, unit='g', period=8)])
p = order_pt('ord-ipm-cpe', 'uti', cp='IMP'); p.data = [x for x in p.data if 'ast-ipm' not in x['id']]
p.ast('ipm', 'S', 1)
scenario('ORD-IMIPENEM-FOR-CPE', 'imipenem/cilastatin alone for IMP-CPE testing imipenem S', p,
         [('CRE-CARBAPENEM-FOR-CPE', WARN)], 'order-sign', [D(p, 'ipm', dose=500, period=6)])

# ---- reference forms a FHIR store rewrites: checked in process only ----
p = P('cre-ref-abs'); p.isolate(); p.site('uti')
p.ast('mem', 'R', 16, ref=f'https://ehr.example.org/fhir/Observation/{p.iso_id}'); p.susceptible('lvfx')
scenario('CRE-LINK-ABSOLUTE-URL', 'meropenem R linked by an absolute URL', p, [TEST, MONO], target='in-process')
p = P('cre-ref-uuid'); p.isolate(); p.site('uti'); p.data[1]['id'] = '9b7e1c2a-5d4f-4e1b-8a6c-3f2d1e0c9b8a'
p.iso_id = p.data[1]['id']; p.ast('mem', 'R', 16, ref=f'urn:uuid:{p.iso_id}'); p.susceptible('lvfx')
scenario('CRE-LINK-URN-UUID', 'meropenem R linked by urn:uuid', p, [TEST, MONO], target='in-process')

if __name__ == '__main__':
    base = 'src/test/resources/scenarios/'
    for name, items in [('scenarios-cre-stewardship.json', SCEN), ('cre-stewardship-in-process.json', IN_PROCESS)]:
        with open(base + name, 'w') as f:
            json.dump(items, f, indent=1, ensure_ascii=False)
            f.write('\n')
    print(len(SCEN), len(IN_PROCESS))
