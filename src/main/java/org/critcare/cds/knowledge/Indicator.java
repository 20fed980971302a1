package org.critcare.cds.knowledge;

import org.critcare.cds.knowledge.Indicator;

/**
 * How urgent a recommendation is. Mapped from the PlanDefinition action's priority as the
 * CDS Hooks / Clinical Reasoning ConceptMap does: routine → info, urgent → warning, stat
 * → critical.
 */
public enum Indicator {

	INFO, WARNING, CRITICAL;

	static Indicator fromPriority(String priority) {
		return switch (priority == null ? "routine" : priority) {
			case "routine" -> INFO;
			case "urgent" -> WARNING;
			case "stat" -> CRITICAL;
			default -> throw new IllegalArgumentException(
					"Unsupported action priority '" + priority + "': use routine, urgent or stat");
		};
	}

}
