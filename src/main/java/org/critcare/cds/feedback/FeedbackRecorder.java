package org.critcare.cds.feedback;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.critcare.cds.knowledge.OverrideReason;
import org.critcare.cds.recommendation.RecommendationService;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

/**
 * Stores CDS Hooks feedback (§Feedback) durably as FHIR AuditEvents, one per feedback
 * entry, all entries of a request in one transaction: a request is stored whole or not at
 * all. Each AuditEvent carries the service ({@code entity} = the PlanDefinition), the
 * card uuid, and in {@code subtype} the rule id (system rule-id) and the outcome (system
 * cds-feedback-outcome), so override rates can be counted with a search, e.g.
 * {@code AuditEvent?entity=PlanDefinition/sepsis-perfusion&subtype=<rule-id system>|<RULE>}.
 */
@Component
public class FeedbackRecorder {

	static final String FEEDBACK_TYPE_SYSTEM = "http://example.org/cds/CodeSystem/cds-feedback";

	static final String OUTCOME_SYSTEM = "http://example.org/cds/CodeSystem/cds-feedback-outcome";

	static final String RULE_SYSTEM = "http://example.org/cds/CodeSystem/rule-id";

	private static final Set<String> OUTCOMES = Set.of("accepted", "overridden");

	private final IFhirSystemDao<Bundle, ?> systemDao;

	private final IssuedCards issuedCards;

	private final RecommendationService recommendations;

	FeedbackRecorder(IFhirSystemDao<Bundle, ?> systemDao, IssuedCards issuedCards,
			RecommendationService recommendations) {
		this.systemDao = systemDao;
		this.issuedCards = issuedCards;
		this.recommendations = recommendations;
	}

	/**
	 * A stored feedback entry, as metrics count it.
	 *
	 * @param ruleId the rule of the card, or null when the card is no longer remembered
	 * @param outcome {@code accepted} or {@code overridden}
	 */
	public record Stored(String ruleId, String outcome) {
	}

	/**
	 * Validates and stores the feedback of one request.
	 * @param serviceId the service the feedback is sent to (known to be offered)
	 * @param body the request body, a JSON object
	 * @return the stored feedback entries
	 * @throws InvalidFeedbackException when any entry is malformed; nothing is stored
	 */
	public List<Stored> record(String serviceId, JsonNode body) {
		JsonNode entries = body.get("feedback");
		if (entries == null || !entries.isArray() || entries.isEmpty()) {
			throw invalid("feedback must be a non-empty array");
		}
		List<AuditEvent> events = new ArrayList<>();
		for (JsonNode entry : entries) {
			events.add(auditEvent(serviceId, entry));
		}
		Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
		for (AuditEvent event : events) {
			transaction.addEntry().setResource(event).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
		}
		systemDao.transaction(new SystemRequestDetails(), transaction);
		return events.stream().map(FeedbackRecorder::stored).toList();
	}

	private AuditEvent auditEvent(String serviceId, JsonNode entry) {
		String card = text(entry, "card");
		String outcome = text(entry, "outcome");
		String timestamp = text(entry, "outcomeTimestamp");
		if (card == null || outcome == null || timestamp == null) {
			throw invalid("each feedback entry needs card, outcome and outcomeTimestamp");
		}
		if (!OUTCOMES.contains(outcome)) {
			throw invalid("outcome must be accepted or overridden");
		}
		Optional<IssuedCards.IssuedCard> issued = issuedCards.find(card).filter(c -> c.serviceId().equals(serviceId));
		validateOutcome(serviceId, entry, outcome, issued);
		Date outcomeTime;
		try {
			outcomeTime = Date.from(OffsetDateTime.parse(timestamp).toInstant());
		}
		catch (DateTimeParseException e) {
			throw invalid("outcomeTimestamp must be an ISO 8601 date-time with offset");
		}
		AuditEvent event = new AuditEvent();
		event.setType(new Coding(FEEDBACK_TYPE_SYSTEM, "card-feedback", "CDS Hooks card feedback"));
		issued.ifPresent(c -> event.addSubtype(new Coding(RULE_SYSTEM, c.ruleId(), null)));
		event.addSubtype(new Coding(OUTCOME_SYSTEM, outcome, outcome));
		event.setAction(AuditEvent.AuditEventAction.E);
		event.setRecorded(new Date());
		event.getPeriod().setStart(outcomeTime).setEnd(outcomeTime);
		event.setOutcome(AuditEvent.AuditEventOutcome._0);
		event.addAgent().setRequestor(true).setName("CDS Hooks client");
		event.getSource()
			.setObserver(new Reference().setDisplay("critcare-cds"))
			.addType(new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4",
					"Application Server"));
		event.addEntity()
			.setWhat(new Reference("PlanDefinition/" + serviceId))
			.setName(serviceId)
			.setDescription("CDS service");
		var cardEntity = event.addEntity()
			.setWhat(new Reference()
				.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + card)))
			.setName("card")
			.setDescription("CDS Hooks card");
		JsonNode reason = entry.path("overrideReason");
		if (reason.isObject()) {
			JsonNode coding = reason.path("reason");
			if (coding.isObject()) {
				cardEntity.addDetail()
					.setType("overrideReason")
					.setValue(new StringType(coding.path("system").asText("") + "|" + coding.path("code").asText("")));
			}
			String comment = text(reason, "userComment");
			if (comment != null) {
				cardEntity.addDetail().setType("userComment").setValue(new StringType(comment));
			}
		}
		for (JsonNode accepted : entry.path("acceptedSuggestions")) {
			String id = text(accepted, "id");
			if (id != null) {
				cardEntity.addDetail().setType("acceptedSuggestion").setValue(new StringType(id));
			}
		}
		return event;
	}

	/**
	 * CDS Hooks 2.0 §Feedback: an accepted card names the suggestions taken
	 * ({@code acceptedSuggestions}, each with an {@code id}: the uuid of a suggestion the
	 * card offered, when the card is still remembered); an override reason belongs to
	 * overridden cards only and must be a reason the card offered (a card no longer
	 * remembered: one the service's rules offer).
	 */
	private void validateOutcome(String serviceId, JsonNode entry, String outcome,
			Optional<IssuedCards.IssuedCard> issued) {
		JsonNode reason = entry.get("overrideReason");
		if (outcome.equals("accepted")) {
			JsonNode accepted = entry.get("acceptedSuggestions");
			if (accepted == null || !accepted.isArray() || accepted.isEmpty()) {
				throw invalid("an accepted card needs a non-empty acceptedSuggestions array");
			}
			for (JsonNode suggestion : accepted) {
				String id = text(suggestion, "id");
				if (id == null) {
					throw invalid("each accepted suggestion needs an id");
				}
				if (issued.isPresent() && !issued.get().suggestionIds().contains(id)) {
					throw invalid("acceptedSuggestions names a suggestion the card did not offer");
				}
			}
			if (reason != null && !reason.isNull()) {
				throw invalid("overrideReason is for overridden cards only");
			}
			return;
		}
		if (reason == null || reason.isNull()) {
			return;
		}
		JsonNode coding = reason.get("reason");
		if (!reason.isObject() || (coding != null && !coding.isNull() && !coding.isObject())) {
			throw invalid("overrideReason must be an object whose reason is a Coding");
		}
		if (coding != null && coding.isObject() && !offered(serviceId, issued)
			.contains(new Offered(coding.path("system").asText(""), coding.path("code").asText("")))) {
			throw invalid("overrideReason.reason is not one of the override reasons the card offered");
		}
	}

	private Set<Offered> offered(String serviceId, Optional<IssuedCards.IssuedCard> issued) {
		List<OverrideReason> reasons = issued.map(IssuedCards.IssuedCard::overrideReasons)
			.orElseGet(() -> recommendations.service(serviceId)
				.rules()
				.stream()
				.flatMap(rule -> rule.overrideReasons().stream())
				.toList());
		Set<Offered> offered = new HashSet<>();
		reasons.forEach(r -> offered.add(new Offered(r.system(), r.code())));
		return offered;
	}

	private static Stored stored(AuditEvent event) {
		String rule = null;
		String outcome = null;
		for (Coding subtype : event.getSubtype()) {
			if (RULE_SYSTEM.equals(subtype.getSystem())) {
				rule = subtype.getCode();
			}
			if (OUTCOME_SYSTEM.equals(subtype.getSystem())) {
				outcome = subtype.getCode();
			}
		}
		return new Stored(rule, outcome);
	}

	/** An override reason as system and code. */
	private record Offered(String system, String code) {
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
	}

	private static InvalidFeedbackException invalid(String message) {
		return new InvalidFeedbackException(message);
	}

}
