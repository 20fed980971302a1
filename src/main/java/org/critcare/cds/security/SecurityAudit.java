package org.critcare.cds.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The audit trail of the secured server, one structured log line per event on logger
 * {@code org.critcare.cds.audit} (a log, not FHIR AuditEvents: it must record refusals
 * that never reach the FHIR store, and must not grow the store the audit is about). Each
 * line names the event, the client ({@code iss} of a CDS client, {@code client_id} of a
 * SMART token), the patient's reference where the call was authorised, the endpoint and
 * the outcome. Never a token, a request body or a clinical value.
 */
@Component
public class SecurityAudit {

	private static final Logger log = LoggerFactory.getLogger("org.critcare.cds.audit");

	/** A {@code /fhir} request refused: 401 (no valid token) or 403 (not in scope). */
	void fhirDenied(String client, String request, int status, String reason) {
		log.info("audit event=fhir-denied client={} request=\"{}\" outcome={} reason={}", safe(client), request, status,
				reason);
	}

	/** A {@code /cds-services} request refused with 401. */
	void hookDenied(String client, String path, String reason) {
		log.info("audit event=cds-hooks-denied client={} path={} outcome=401 reason={}", safe(client), safe(path),
				reason);
	}

	/**
	 * A {@code /cds-services} request of an authenticated CDS client, with its status.
	 */
	void hookCall(String client, String path, String patient, int status) {
		log.info("audit event=cds-hooks-call client={} path={} patient={} outcome={}", safe(client), safe(path),
				patient == null ? "-" : patient, status);
	}

	/** Log values come from tokens the caller wrote: no spaces, quotes or line breaks. */
	private static String safe(String value) {
		if (value == null) {
			return "-";
		}
		String cleaned = value.replaceAll("[^A-Za-z0-9._:/@+\\-]", "_");
		return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
	}

}
