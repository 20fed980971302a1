package org.critcare.cds.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;

/**
 * Narrows every search of a token with only {@code patient/} scopes to the token's
 * patient compartment (HAPI's {@link SearchNarrowingInterceptor}), so other patients'
 * resources are neither returned nor counted ({@code _summary=count}, {@code _total}),
 * whatever chained parameters or includes the search names.
 */
class SmartSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

	private final String adminScope;

	SmartSearchNarrowingInterceptor(String adminScope) {
		this.adminScope = adminScope;
	}

	@Override
	protected AuthorizedList buildAuthorizedList(RequestDetails request) {
		SmartAccess access = SmartAccess.current(adminScope);
		if (access == null || access.patient() == null
				|| access.scopes().stream().anyMatch(scope -> !scope.isPatient())) {
			return null;
		}
		return new AuthorizedList().addCompartment(access.patient().getValue());
	}

}
