package org.critcare.cds.knowledge;

import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.InvalidKnowledgeException;

/**
 * Knowledge content that cannot run: a PlanDefinition action without a rule id or
 * condition, a condition or card value that its CQL library does not define, a malformed
 * card template.
 */
public class InvalidKnowledgeException extends RuntimeException {

	public InvalidKnowledgeException(String message) {
		super(message);
	}

}
