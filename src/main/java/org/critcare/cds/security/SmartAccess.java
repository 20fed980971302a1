package org.critcare.cds.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * What a validated SMART access token grants: its clinical scopes, its launch context
 * {@code patient} (SMART App Launch 2.2 §Launch context) and whether it carries the admin
 * scope. The client is named by {@code client_id}, else {@code azp}, else {@code sub}.
 *
 * @param client who the token was issued to (logged in audit records)
 * @param scopes the token's clinical scopes
 * @param patient the token's {@code patient}, or null
 * @param isAdmin whether the token carries {@code cds.security.admin-scope}
 */
record SmartAccess(String client, List<SmartScope> scopes, IdType patient, boolean isAdmin) {

	private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

	/** The access of the current request's token, or null when there is none. */
	static SmartAccess current(String adminScope) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof JwtAuthenticationToken token) {
			return of(token.getToken(), adminScope);
		}
		return null;
	}

	static SmartAccess of(Jwt jwt, String adminScope) {
		List<String> scopes = scopes(jwt.getClaims().get("scope"));
		String patient = jwt.getClaimAsString("patient");
		IdType patientId = patient != null && FHIR_ID.matcher(patient).matches() ? new IdType("Patient", patient)
				: null;
		String client = firstNonNull(jwt.getClaimAsString("client_id"), jwt.getClaimAsString("azp"), jwt.getSubject());
		return new SmartAccess(client, SmartScope.parseAll(scopes), patientId, scopes.contains(adminScope));
	}

	private static List<String> scopes(Object claim) {
		if (claim instanceof String text) {
			return Arrays.asList(text.trim().split("\\s+"));
		}
		if (claim instanceof Collection<?> values) {
			return values.stream().map(String::valueOf).toList();
		}
		return List.of();
	}

	private static String firstNonNull(String... values) {
		return Arrays.stream(values).filter(v -> v != null && !v.isBlank()).findFirst().orElse("unknown");
	}

}
