package org.critcare.cds.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART clinical scope (SMART App Launch 2.2 §Scopes for requesting clinical data):
 * {@code patient|user|system / Type|* . permissions}, v2 permissions
 * {@code [c][r][u][d][s]} or v1 {@code read} (= rs), {@code write} (= cud) and {@code *}
 * (= cruds). A scope with search-parameter constraints ({@code ?category=…}) grants
 * nothing here: honouring it in part would grant more than it says.
 *
 * @param context {@code patient}, {@code user} or {@code system}
 * @param resourceType a resource type, or {@code *}
 * @param permissions the v2 letters granted
 */
record SmartScope(String context, String resourceType, String permissions) {

	private static final Pattern SCOPE = Pattern
		.compile("(patient|user|system)/(\\*|[A-Z][A-Za-z]{1,63})\\.(read|write|\\*|c?r?u?d?s?)");

	static Optional<SmartScope> parse(String scope) {
		Matcher matcher = SCOPE.matcher(scope);
		if (!matcher.matches() || matcher.group(3).isEmpty()) {
			return Optional.empty();
		}
		String permissions = switch (matcher.group(3)) {
			case "read" -> "rs";
			case "write" -> "cud";
			case "*" -> "cruds";
			default -> matcher.group(3);
		};
		return Optional.of(new SmartScope(matcher.group(1), matcher.group(2), permissions));
	}

	/** The clinical scopes among a token's scopes; others are ignored. */
	static List<SmartScope> parseAll(Collection<String> scopes) {
		List<SmartScope> parsed = new ArrayList<>();
		scopes.forEach(scope -> parse(scope).ifPresent(parsed::add));
		return parsed;
	}

	boolean isPatient() {
		return context.equals("patient");
	}

	boolean allows(char permission) {
		return permissions.indexOf(permission) >= 0;
	}

	boolean allTypes() {
		return resourceType.equals("*");
	}

}
