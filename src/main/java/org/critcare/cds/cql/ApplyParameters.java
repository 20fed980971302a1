package org.critcare.cds.cql;

import java.util.Map;

/**
 * CQL parameters that {@code PlanDefinition/$apply} sets when the client does not: those
 * the hooks set on every call for the card texts (language, display zone), so that
 * {@code $apply} fills the action titles and descriptions the way the hook fills the
 * cards.
 */
@FunctionalInterface
public interface ApplyParameters {

	/**
	 * The parameters for a request.
	 * @param preferredLanguages the {@code $apply} {@code userLanguage} code, else the
	 * request's {@code Accept-Language} header; may be null
	 */
	Map<String, Object> forRequest(String preferredLanguages);

}
