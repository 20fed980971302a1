package org.critcare.cds.cql;

/**
 * Evaluating compiled CQL failed: a defect in the logic or unexpected data, never bad
 * input.
 */
public class CqlEvaluationException extends RuntimeException {

	public CqlEvaluationException(String message, Throwable cause) {
		super(message, cause);
	}

}
