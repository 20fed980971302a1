// Browser test of issue 13 with security on: an EHR launch of the SMART app from a card's smart link, through a
// test-double SMART authorization server (SMART App Launch 2.2 §EHR launch, authorization code with PKCE S256), driven
// with Debian's Chromium through playwright-core. Starts its own critcare-cds (./run.sh, demo profile, security on)
// trusting the test double as issuer of SMART access tokens and as CDS client, so that the test plays the EHR too:
// it calls the patient-view hook with a signed JWT, takes the card's smart link and opens it with iss and launch.
// Usage: node browser-test/secured-app.mjs [screenshot dir]. Exits non-zero on any failed check; one line per check.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, mkdir, open, readFile, rm } from 'node:fs/promises';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = process.argv[2] || 'target/browser-test';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const PATIENT = 'demo-sepsis';
const MAP_RULE = 'SEPTIC-SHOCK-MAP-BELOW-TARGET';
const MAP_SUMMARY = 'MAP 58 mmHg is below the usual ≥65 mmHg target (sepsis). Review perfusion and vasopressor plan.';
const EHR_ISSUER = 'https://ehr.browser-test.example';

function check(condition, what) {
  if (!condition) {
    throw new Error('FAILED: ' + what);
  }
  console.log('ok - ' + what);
}

async function freePort() {
  const server = createTcpServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function formBody(request) {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => resolve(new URLSearchParams(body)));
    request.on('error', reject);
  });
}

function json(response, status, body, headers = {}) {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

// The test double of the hospital's SMART authorization server: its JWKS, /authorize (an EHR launch it knows: back to
// the app with a code) and /token (code + PKCE verifier → an access token for the FHIR server with the launch's
// patient and appContext). It also publishes the EHR's JWKS, which the CDS server trusts for hook calls.
async function authorizationServer(fhirBase) {
  const asKey = await generateKeyPair('RS384', { extractable: true });
  const ehrKey = await generateKeyPair('ES384', { extractable: true });
  const jwks = (key, kid, alg) => exportJWK(key.publicKey).then((jwk) => ({ keys: [{ ...jwk, kid, alg, use: 'sig' }] }));
  const asJwks = await jwks(asKey, 'as-1', 'RS384');
  const ehrJwks = await jwks(ehrKey, 'ehr-1', 'ES384');
  const launches = new Map();
  const codes = new Map();
  const seen = [];
  let issuer;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, issuer);
    seen.push(`${request.method} ${url.pathname}`);
    const cors = { 'Access-Control-Allow-Origin': '*' };
    try {
      if (url.pathname === '/jwks.json') {
        return json(response, 200, asJwks);
      }
      if (url.pathname === '/ehr-jwks.json') {
        return json(response, 200, ehrJwks);
      }
      if (url.pathname === '/authorize' && request.method === 'GET') {
        const q = url.searchParams;
        const launch = launches.get(q.get('launch'));
        if (q.get('response_type') !== 'code' || q.get('aud') !== fhirBase || !launch
          || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
          return json(response, 400, { error: 'invalid_request' });
        }
        const code = randomUUID();
        codes.set(code, { ...launch, redirectUri: q.get('redirect_uri'), challenge: q.get('code_challenge'),
          clientId: q.get('client_id'), scope: q.get('scope') });
        const back = new URL(q.get('redirect_uri'));
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state'));
        response.writeHead(302, { Location: back.href });
        return response.end();
      }
      if (url.pathname === '/token' && request.method === 'OPTIONS') {
        response.writeHead(204, { ...cors, 'Access-Control-Allow-Methods': 'POST',
          'Access-Control-Allow-Headers': 'content-type, authorization' });
        return response.end();
      }
      if (url.pathname === '/token' && request.method === 'POST') {
        const form = await formBody(request);
        const grant = codes.get(form.get('code'));
        codes.delete(form.get('code'));
        const verifier = form.get('code_verifier') ?? '';
        if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri')
          || grant.clientId !== form.get('client_id')
          || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
          return json(response, 400, { error: 'invalid_grant' }, cors);
        }
        // the scopes the app asked for, less the launch and identity scopes
        const scope = grant.scope.split(' ').filter((s) => s.includes('/') && !s.startsWith('launch')).join(' ');
        const accessToken = await new SignJWT({ scope, patient: grant.patient, client_id: grant.clientId })
          .setProtectedHeader({ alg: 'RS384', kid: 'as-1', typ: 'JWT' })
          .setIssuer(issuer)
          .setAudience(fhirBase)
          .setSubject('Practitioner/browser-test')
          .setIssuedAt()
          .setExpirationTime('10m')
          .setJti(randomUUID())
          .sign(asKey.privateKey);
        return json(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 600, scope,
          patient: grant.patient, appContext: grant.appContext }, cors);
      }
      return json(response, 404, { error: 'not_found' });
    } catch (error) {
      return json(response, 500, { error: 'server_error', error_description: error.message });
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://localhost:${server.address().port}`;
  return {
    issuer,
    seen,
    close: () => new Promise((resolve) => server.close(resolve)),
    // the EHR registers a launch with its context before opening the app (SMART App Launch §EHR launch)
    launch(context) {
      const id = randomUUID();
      launches.set(id, context);
      return id;
    },
    // a CDS client JWT of the EHR for the URL called (CDS Hooks 2.0 §Trusting CDS Clients)
    hookToken(audience) {
      return new SignJWT({ tenant: 'browser-test' })
        .setProtectedHeader({ alg: 'ES384', kid: 'ehr-1', typ: 'JWT' })
        .setIssuer(EHR_ISSUER)
        .setAudience(audience)
        .setSubject('ehr-client')
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(ehrKey.privateKey);
    },
  };
}

async function startServer(port, issuer, data) {
  const cds = `http://localhost:${port}`;
  const log = await open(join(data, 'server.log'), 'w');
  const server = spawn('./run.sh', [
    `--server.port=${port}`, '--server.address=127.0.0.1', `--cds.data-dir=${data}`, '--spring.profiles.active=demo',
    '--cds.security.enabled=true', `--cds.security.fhir-audience=${cds}/fhir`,
    `--cds.security.issuers[0].issuer=${issuer}`, `--cds.security.issuers[0].jwks-uri=${issuer}/jwks.json`,
    `--cds.security.cds-clients[0].issuer=${EHR_ISSUER}`, `--cds.security.cds-clients[0].jwks-uri=${issuer}/ehr-jwks.json`,
    `--cds.security.smart.authorization-endpoint=${issuer}/authorize`,
    `--cds.security.smart.token-endpoint=${issuer}/token`,
  ], { cwd: repo, detached: true, stdio: ['ignore', log.fd, log.fd] });
  const stop = async () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    await log.close();
  };
  for (let i = 0; i < 1800; i++) {
    if (server.exitCode !== null) {
      break;
    }
    const ready = await fetch(`${cds}/actuator/health/readiness`).then((r) => r.ok, () => false);
    if (ready) {
      return { cds, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  await stop();
  throw new Error(`FAILED: the secured server did not become ready (see ${join(data, 'server.log')})`);
}

// The EHR: a patient-view call signed as a trusted CDS client; the smart link of the rule's card.
async function smartLink(cds, as, patient, rule) {
  const url = `${cds}/cds-services/sepsis-perfusion`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en',
      Authorization: `Bearer ${await as.hookToken(url)}` },
    body: JSON.stringify({
      hook: 'patient-view',
      hookInstance: randomUUID(),
      context: { userId: 'Practitioner/browser-test', patientId: patient },
    }),
  });
  check(response.status === 200, `signed patient-view call answered (${response.status})`);
  const card = ((await response.json()).cards ?? []).find((c) => c.source?.topic?.code === rule);
  check(card !== undefined, `the answer has the ${rule} card`);
  const links = (card.links ?? []).filter((l) => l.type === 'smart');
  check(links.length === 1, 'the card has one smart link');
  return links[0];
}

async function main() {
  await mkdir(shots, { recursive: true });
  const data = await mkdtemp(join(tmpdir(), 'critcare-secured-'));
  const port = await freePort();
  const as = await authorizationServer(`http://localhost:${port}/fhir`);
  let server;
  let browser;
  try {
    server = await startServer(port, as.issuer, data);
    const { cds } = server;
    check((await fetch(`${cds}/fhir/Patient/${PATIENT}`)).status === 401, 'security is on: /fhir without a token is 401');
    check((await fetch(`${cds}/app/api/patients/${PATIENT}/cards`)).status === 401,
      'the app\'s cards without a token are 401');

    const link = await smartLink(cds, as, PATIENT, MAP_RULE);
    check(link.url === `${cds}/app/launch.html`, `with security on the smart link is the plain launch URL (${link.url})`);
    const context = JSON.parse(link.appContext);
    check(context.rule === MAP_RULE && context.patient === PATIENT, 'its appContext names the rule and the patient');

    // the EHR registers the launch with its authorization server and opens the link with iss and launch
    const launch = new URL(link.url);
    launch.searchParams.set('iss', `${cds}/fhir`);
    launch.searchParams.set('launch', as.launch({ patient: PATIENT, appContext: link.appContext }));
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const started = Date.now();
    await page.goto(launch.href);
    const card = page.locator(`.card[data-rule="${MAP_RULE}"]`);
    await card.waitFor({ timeout: 60000 });
    await page.locator('#perfusion-chart').waitFor({ timeout: 60000 });
    console.log(`# secured patient view with chart and cards after ${Date.now() - started} ms`);
    check(as.seen.includes('GET /authorize') && as.seen.includes('POST /token'),
      'the app went through the authorization server (authorize, token)');
    check(await page.locator('h2.patient-name').getAttribute('data-patient') === PATIENT,
      'the patient comes from the token response');
    check(await card.locator('.summary').textContent() === MAP_SUMMARY, 'the MAP card is shown with its exact summary');
    check(await card.evaluate((node) => node.classList.contains('focused')),
      'the card named by the token response\'s appContext is highlighted');
    const rows = await page.locator('details.data tbody tr').count();
    check(rows === 21, `the chart's data read with the access token (${rows} rows)`);
    await page.screenshot({ path: `${shots}/app-secured-patient-en.png`, fullPage: true });
    check(errors.length === 0, `no script errors on the page (${errors.join('; ')})`);
  } catch (error) {
    const log = await readFile(join(data, 'server.log'), 'utf8').catch(() => '');
    console.error(log.split('\n').slice(-40).join('\n'));
    throw error;
  } finally {
    await browser?.close();
    await server?.stop();
    await as.close();
    await rm(data, { recursive: true, force: true });
  }
}

main().then(() => console.log('SECURED APP BROWSER TEST PASSED'), (error) => {
  console.error(error.message);
  process.exit(1);
});
