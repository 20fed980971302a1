package org.critcare.cds.knowledge;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.critcare.cds.knowledge.CardText;
import org.critcare.cds.knowledge.SuggestionDefinition;

/**
 * A suggestion a rule's card offers: a sub-action of the rule's PlanDefinition action
 * whose {@code definitionCanonical} names an ActivityDefinition (CPG-on-FHIR). Its label
 * is the sub-action's {@code textEquivalent}, else its {@code title}, else the
 * ActivityDefinition's title; its action description the sub-action's description, else
 * the ActivityDefinition's (each with its translations). The proposed resource is the
 * ActivityDefinition applied to the patient: a ServiceRequest with the definition's code,
 * intent and priority, status {@code draft}, the patient as subject and the evaluation
 * time as {@code authoredOn} (FHIR R4 ActivityDefinition §$apply).
 *
 * @param label the label
 * @param description the action description
 * @param activity the ActivityDefinition (kind ServiceRequest)
 */
public record SuggestionDefinition(CardText label, CardText description, ActivityDefinition activity) {

	/** The ServiceRequest the ActivityDefinition proposes for the patient. */
	public ServiceRequest propose(String patientId, ZonedDateTime now) {
		ServiceRequest request = new ServiceRequest();
		request.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT);
		request.setIntent(ServiceRequest.ServiceRequestIntent.fromCode(activity.getIntent().toCode()));
		if (activity.hasPriority()) {
			request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(activity.getPriority().toCode()));
		}
		request.setCode(activity.getCode().copy());
		request.setSubject(new Reference("Patient/" + patientId));
		request.setAuthoredOnElement(new DateTimeType(Date.from(now.toInstant()), TemporalPrecisionEnum.SECOND,
				TimeZone.getTimeZone("UTC")));
		request.addInstantiatesCanonical(
				activity.hasVersion() ? activity.getUrl() + "|" + activity.getVersion() : activity.getUrl());
		return request;
	}

}
