package org.critcare.cds.cql;

import ca.uhn.fhir.context.FhirContext;
import org.opencds.cqf.cql.engine.fhir.model.R4FhirModelResolver;

/**
 * The CQL engine's FHIR R4 model resolver, resolving property paths such as
 * {@code status} or {@code value.code} by splitting on dots directly; the engine's own
 * implementation compiles a regular expression for every property access, which was a
 * large share of evaluation time. Paths with an index ({@code item[0]}) take the engine's
 * path.
 */
final class PathResolvingR4ModelResolver extends R4FhirModelResolver {

	PathResolvingR4ModelResolver(FhirContext fhirContext) {
		super(fhirContext);
	}

	@Override
	public Object resolvePath(Object target, String path) {
		if (path.indexOf('[') >= 0) {
			return super.resolvePath(target, path);
		}
		Object current = target;
		int start = 0;
		while (start < path.length()) {
			int dot = path.indexOf('.', start);
			int end = dot < 0 ? path.length() : dot;
			if (end > start) {
				current = resolveProperty(current, path.substring(start, end));
			}
			start = end + 1;
		}
		return current;
	}

}
