package org.critcare.cds.cdshooks;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceIndicatorEnum;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardSourceJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCodingJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionActionJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionJson;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.critcare.cds.knowledge.OverrideReason;
import org.critcare.cds.recommendation.Recommendation;
import org.critcare.cds.knowledge.RuleSource;
import org.critcare.cds.recommendation.Suggestion;

/**
 * A recommendation as a CDS Hooks 2.0 card (§Card Attributes, CONTRACT "Cards"): a fresh
 * uuid (so feedback can name it), summary, markdown detail, indicator, a source whose
 * label names the evidence, whose url resolves to it on this server and whose topic is
 * the rule id, links to every cited evidence resource, the rule's override reasons, and
 * its suggestions, each with a fresh uuid and one {@code create} action (§Suggestion),
 * with the card's {@code selectionBehavior}.
 */
final class CardMapper {

	private CardMapper() {
	}

	static CdsServiceResponseCardJson toCard(Recommendation recommendation, String fhirBase) {
		CdsServiceResponseCardJson card = new CdsServiceResponseCardJson();
		card.setUuid(UUID.randomUUID().toString());
		card.setSummary(recommendation.summary());
		card.setDetail(recommendation.detail());
		card.setIndicator(switch (recommendation.indicator()) {
			case INFO -> CdsServiceIndicatorEnum.INFO;
			case WARNING -> CdsServiceIndicatorEnum.WARNING;
			case CRITICAL -> CdsServiceIndicatorEnum.CRITICAL;
		});
		card.setSource(source(recommendation, fhirBase));
		List<CdsServiceResponseLinkJson> links = new ArrayList<>();
		for (RuleSource source : recommendation.sources()) {
			if (source.location() != null) {
				links.add(new CdsServiceResponseLinkJson().setLabel(source.label())
					.setUrl(fhirBase + "/" + source.location())
					.setType("absolute"));
			}
		}
		if (!links.isEmpty()) {
			card.setLinks(links);
		}
		for (Suggestion suggestion : recommendation.suggestions()) {
			CdsServiceResponseSuggestionJson json = new CdsServiceResponseSuggestionJson()
				.setUuid(UUID.randomUUID().toString())
				.setLabel(suggestion.label());
			json.addAction(new CdsServiceResponseSuggestionActionJson().setType("create")
				.setDescription(suggestion.description())
				.setResource(suggestion.resource()));
			card.addSuggestion(json);
		}
		if (!recommendation.suggestions().isEmpty()) {
			card.setSelectionBehaviour(recommendation.selectionBehavior());
		}
		List<OverrideReason> reasons = recommendation.rule().overrideReasons();
		if (!reasons.isEmpty()) {
			card.setOverrideReasons(reasons.stream()
				.map(r -> new CdsServiceResponseCodingJson().setSystem(r.system())
					.setCode(r.code())
					.setDisplay(r.display(recommendation.language())))
				.toList());
		}
		return card;
	}

	private static CdsServiceResponseCardSourceJson source(Recommendation recommendation, String fhirBase) {
		var rule = recommendation.rule();
		CdsServiceResponseCardSourceJson source = new CdsServiceResponseCardSourceJson();
		RuleSource first = recommendation.sources().isEmpty() ? null : recommendation.sources().get(0);
		source.setLabel(first == null || first.label() == null ? rule.id() : first.label());
		if (first != null && first.location() != null) {
			source.setUrl(fhirBase + "/" + first.location());
		}
		source.setTopic(new CdsServiceResponseCodingJson().setSystem(rule.system())
			.setCode(rule.id())
			.setDisplay(rule.display()));
		return source;
	}

}
