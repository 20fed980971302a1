package org.critcare.cds.security;

import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Whether a SMART access token may read the whole record of the patient a request names
 * in its path variable {@value #PATIENT}: the SMART app's cards of a patient
 * ({@code /app/api/patients/{patient}/cards}) are computed from every kind of resource in
 * the patient's compartment, so the token needs a read or search scope on all types
 * (SMART App Launch 2.2 §Scopes): {@code patient/*.rs} (or v1 {@code patient/*.read})
 * whose {@code patient} claim is that patient, or {@code user/*.rs} or
 * {@code system/*.rs}. Anything less is 403, audited.
 */
final class PatientRecordAccess implements AuthorizationManager<RequestAuthorizationContext> {

	static final String PATIENT = "patient";

	private final String adminScope;

	private final SecurityAudit audit;

	PatientRecordAccess(String adminScope, SecurityAudit audit) {
		this.adminScope = adminScope;
		this.audit = audit;
	}

	@Override
	public AuthorizationDecision check(Supplier<Authentication> authentication, RequestAuthorizationContext context) {
		if (!(authentication.get() instanceof JwtAuthenticationToken token)) {
			return new AuthorizationDecision(false);
		}
		SmartAccess access = SmartAccess.of(token.getToken(), adminScope);
		String patient = context.getVariables().get(PATIENT);
		boolean granted = patient != null && access.scopes()
			.stream()
			.filter(scope -> scope.allTypes() && (scope.allows('r') || scope.allows('s')))
			.anyMatch(scope -> !scope.isPatient()
					|| access.patient() != null && access.patient().getIdPart().equals(patient));
		if (!granted) {
			audit.fhirDenied(access.client(), context.getRequest().getMethod() + " app-patient-cards", 403, "scope");
		}
		return new AuthorizationDecision(granted);
	}

}
