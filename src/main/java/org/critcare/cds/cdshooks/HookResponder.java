package org.critcare.cds.cdshooks;

import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseCardJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseLinkJson;
import ca.uhn.hapi.fhir.cdshooks.api.json.CdsServiceResponseSuggestionJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.critcare.cds.recommendation.Recommendation;
import org.critcare.cds.recommendation.RecommendationService;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Answers one service call from its raw JSON body to the JSON response: parse and
 * validate, gather data and evaluate, map recommendations to cards and remember their
 * origin for feedback. Patient-view cards also link to the SMART app (CDS Hooks 2.0
 * §Link, type {@code smart}) with an {@code appContext} naming the rule and the patient.
 */
@Component
class HookResponder {

	/**
	 * The response body and what the call log line, the audit line and metrics need.
	 *
	 * @param ruleIds the rule of each card, in card order
	 */
	record Answer(byte[] body, String hook, String hookInstance, List<String> ruleIds, String patientId) {

		int cards() {
			return ruleIds.size();
		}

	}

	private static final String APP_LAUNCH = "/app/launch.html";

	private final RecommendationService recommendations;

	private final HookRequestParser parser;

	private final CdsHooksJson json;

	private final IssuedCards issuedCards;

	private final MessageSource messages;

	HookResponder(RecommendationService recommendations, HookRequestParser parser, CdsHooksJson json,
			IssuedCards issuedCards, MessageSource messages) {
		this.recommendations = recommendations;
		this.parser = parser;
		this.json = json;
		this.issuedCards = issuedCards;
		this.messages = messages;
	}

	Answer answer(String serviceId, byte[] body, String acceptLanguage, String fhirBase,
			Optional<List<String>> allowedFhirServers, HookMetrics.Call call) {
		recommendations.service(serviceId);
		HookRequest request = parser.parse(serviceId, body, acceptLanguage, allowedFhirServers);
		call.hook(request.call().hook());
		List<Recommendation> fired = recommendations.recommend(request.call());
		CdsServiceResponseJson response = new CdsServiceResponseJson();
		List<String> ruleIds = new ArrayList<>();
		for (Recommendation recommendation : fired) {
			CdsServiceResponseCardJson card = CardMapper.toCard(recommendation, fhirBase);
			Set<String> suggestionIds = card.getSuggestions() == null ? Set.of()
					: card.getSuggestions()
						.stream()
						.map(CdsServiceResponseSuggestionJson::getUuid)
						.collect(Collectors.toUnmodifiableSet());
			if ("patient-view".equals(request.call().hook())) {
				List<CdsServiceResponseLinkJson> links = new ArrayList<>();
				if (card.getLinks() != null) {
					links.addAll(card.getLinks());
				}
				links.add(appLink(recommendation, request.call().patientId(), fhirBase));
				card.setLinks(links);
			}
			if (!call.warmup()) {
				issuedCards.remember(card.getUuid(), new IssuedCards.IssuedCard(serviceId, recommendation.rule().id(),
						recommendation.rule().overrideReasons(), suggestionIds));
			}
			response.addCard(card);
			ruleIds.add(recommendation.rule().id());
		}
		return new Answer(json.write(response), request.call().hook(), request.hookInstance(), ruleIds,
				request.call().patientId());
	}

	private CdsServiceResponseLinkJson appLink(Recommendation recommendation, String patientId, String fhirBase) {
		String appBase = fhirBase.replaceAll("/fhir$", "");
		return new CdsServiceResponseLinkJson()
			.setLabel(
					messages.getMessage("card.app-link.label", null, Locale.forLanguageTag(recommendation.language())))
			.setUrl(appBase + APP_LAUNCH)
			.setType("smart")
			.setAppContext(new String(json.write(Map.of("rule", recommendation.rule().id(), "patient", patientId)),
					StandardCharsets.UTF_8));
	}

}
