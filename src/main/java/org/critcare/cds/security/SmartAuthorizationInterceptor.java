package org.critcare.cds.security;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderAppliesTo;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;

/**
 * HAPI's {@link AuthorizationInterceptor} with rules built per request from the SMART
 * access token (SMART App Launch 2.2 §Scopes): each clinical scope allows its
 * interactions on its resource type — with a {@code patient/} scope only inside the
 * token's {@code patient} compartment (reads, searches, includes, history, writes and
 * every entry of a batch or transaction are checked resource by resource). Operations:
 * any, with a {@code user/} or {@code system/} read scope (their results are checked
 * against the read rules); with {@code patient/} scopes only {@code $everything} of the
 * token's patient. {@code $expunge}, {@code _cascade} deletes and deleting knowledge need
 * the admin scope. Everything else is denied (403).
 */
class SmartAuthorizationInterceptor extends AuthorizationInterceptor {

	/** Resource types that hold the server's clinical knowledge. */
	static final List<String> KNOWLEDGE_TYPES = List.of("PlanDefinition", "ActivityDefinition", "Library", "ValueSet",
			"CodeSystem", "ConceptMap", "Evidence", "EvidenceVariable", "Measure", "Questionnaire",
			"StructureDefinition", "SearchParameter");

	private final SecurityAudit audit;

	private final String adminScope;

	SmartAuthorizationInterceptor(SecurityAudit audit, String adminScope) {
		super(PolicyEnum.DENY);
		this.audit = audit;
		this.adminScope = adminScope;
	}

	@Override
	public List<IAuthRule> buildRuleList(RequestDetails request) {
		SmartAccess access = SmartAccess.current(adminScope);
		RuleBuilder rules = new RuleBuilder();
		rules.allow().metadata();
		if (access == null) {
			return rules.denyAll("no access token").build();
		}
		if (!access.isAdmin()) {
			if (isCascade(request)) {
				return rules.denyAll("cascading delete without the admin scope").build();
			}
			rules.deny().operation().named("$expunge").atAnyLevel().andAllowAllResponses();
			rules.deny().delete().onExpunge().allResources().withAnyId();
			KNOWLEDGE_TYPES.forEach(type -> rules.deny().delete().resourcesOfType(type).withAnyId());
		}
		boolean anyRead = false;
		for (SmartScope scope : access.scopes()) {
			IdType patient = scope.isPatient() ? access.patient() : null;
			if (scope.isPatient() && patient == null) {
				continue;
			}
			if (scope.allows('r') || scope.allows('s')) {
				classify(types(rules.allow().read(), scope), patient);
				anyRead |= !scope.isPatient();
			}
			if (scope.allows('u')) {
				classify(types(rules.allow().write(), scope), patient);
				rules.allow().patch().allRequests();
			}
			if (scope.allows('c')) {
				classify(types(rules.allow().create(), scope), patient);
			}
			if (scope.allows('d')) {
				classify(types(rules.allow().delete(), scope), patient);
			}
		}
		if (anyRead) {
			rules.allow().operation().withAnyName().atAnyLevel().andRequireExplicitResponseAuthorization();
		}
		else if (access.patient() != null) {
			rules.allow()
				.operation()
				.named("$everything")
				.onInstance(access.patient())
				.andRequireExplicitResponseAuthorization();
		}
		rules.allow().transaction().withAnyOperation().andApplyNormalRules();
		return rules.denyAll("not covered by the token's scopes").build();
	}

	@Override
	protected void handleDeny(RequestDetails request, Verdict verdict) {
		SmartAccess access = SmartAccess.current(adminScope);
		audit.fhirDenied(access == null ? null : access.client(),
				request.getRequestType() + " " + (request.getResourceName() == null ? "" : request.getResourceName()),
				403, "scope");
		super.handleDeny(request, verdict);
	}

	private static boolean isCascade(RequestDetails request) {
		return request.getParameters().containsKey("_cascade") || request.getHeader("X-Cascade") != null;
	}

	private static IAuthRuleBuilderRuleOpClassifier types(
			IAuthRuleBuilderAppliesTo<IAuthRuleBuilderRuleOpClassifier> rule, SmartScope scope) {
		return scope.allTypes() ? rule.allResources() : rule.resourcesOfType(scope.resourceType());
	}

	private static void classify(IAuthRuleBuilderRuleOpClassifier rule, IdType patient) {
		if (patient == null) {
			rule.withAnyId();
		}
		else {
			rule.inCompartment("Patient", patient);
		}
	}

}
