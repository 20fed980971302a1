package org.critcare.cds.feedback;

/**
 * Feedback that does not follow CDS Hooks 2.0 §Feedback (an entry without card, outcome
 * or timestamp, an outcome other than accepted or overridden, a suggestion or override
 * reason the card did not offer); nothing of the request is stored. The message says
 * which rule was broken and never repeats the request's values. The transport answers it
 * with its stable error for invalid feedback.
 */
public class InvalidFeedbackException extends RuntimeException {

	InvalidFeedbackException(String message) {
		super(message);
	}

}
