package org.critcare.cds.recommendation;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * A suggestion of a card, filled for one patient and language: its label, and one
 * {@code create} action with its description and the proposed resource (CDS Hooks 2.0
 * §Suggestion, §Action).
 *
 * @param label the label shown to the clinician
 * @param description the description of the action
 * @param resource the resource the action creates, e.g. a draft ServiceRequest
 */
public record Suggestion(String label, String description, IBaseResource resource) {
}
