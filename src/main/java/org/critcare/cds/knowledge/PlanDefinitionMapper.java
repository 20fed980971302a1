package org.critcare.cds.knowledge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TriggerDefinition;
import org.critcare.cds.knowledge.PlanDefinitionMapper;
import org.critcare.cds.knowledge.RuleDefinition;
import org.critcare.cds.knowledge.RuleSource;
import org.critcare.cds.knowledge.CardText;
import org.critcare.cds.knowledge.SuggestionDefinition;
import org.critcare.cds.knowledge.OverrideReason;
import org.critcare.cds.knowledge.Indicator;
import org.critcare.cds.knowledge.InvalidKnowledgeException;

/**
 * Reads the rules of an eca-rule PlanDefinition following the CDS-on-FHIR mapping (CDS
 * Hooks Clinical Reasoning IG): each top-level action is one rule and card; {@code code}
 * carries the rule id, {@code trigger} (named-event) the hooks, {@code condition}
 * (applicability, CQL) when it fires, {@code dynamicValue} with path {@code title} /
 * {@code description} the CQL defines giving the summary and detail (else the written
 * texts with their translations), {@code priority} the indicator, {@code documentation}
 * the evidence, and sub-actions whose {@code definitionCanonical} names an
 * ActivityDefinition the card's suggestions (with the action's
 * {@code selectionBehavior}).
 */
final class PlanDefinitionMapper {

	static final String RULE_SYSTEM = "http://example.org/cds/CodeSystem/rule-id";

	static final String OVERRIDE_REASONS = "http://example.org/cds/StructureDefinition/card-override-reasons";

	private static final String TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";

	private static final Set<String> CQL_IDENTIFIER = Set.of("text/cql", "text/cql-identifier", "text/cql.identifier");

	private final Map<String, String> locationsByCanonical;

	private final Map<String, List<OverrideReason>> overrideReasonsByValueSet;

	private final Map<String, ActivityDefinition> activitiesByCanonical = new HashMap<>();

	PlanDefinitionMapper(Map<String, String> locationsByCanonical,
			Map<String, List<OverrideReason>> overrideReasonsByValueSet, List<ActivityDefinition> activities) {
		this.locationsByCanonical = locationsByCanonical;
		this.overrideReasonsByValueSet = overrideReasonsByValueSet;
		for (ActivityDefinition activity : activities) {
			if (activity.hasUrl()) {
				activitiesByCanonical.put(activity.getUrl(), activity);
				if (activity.hasVersion()) {
					activitiesByCanonical.put(activity.getUrl() + "|" + activity.getVersion(), activity);
				}
			}
		}
	}

	List<RuleDefinition> rules(PlanDefinition plan) {
		List<RuleDefinition> rules = new ArrayList<>();
		for (PlanDefinitionActionComponent action : plan.getAction()) {
			rules.add(rule(plan, action));
		}
		return rules;
	}

	private RuleDefinition rule(PlanDefinition plan, PlanDefinitionActionComponent action) {
		String where = "PlanDefinition/" + plan.getIdElement().getIdPart() + " action " + action.getId();
		Coding ruleCode = action.getCode()
			.stream()
			.flatMap(c -> c.getCoding().stream())
			.filter(c -> RULE_SYSTEM.equals(c.getSystem()))
			.findFirst()
			.orElse(new Coding(RULE_SYSTEM, action.getId(), action.getTitle()));
		String id = ruleCode.getCode();
		if (id == null) {
			throw new InvalidKnowledgeException(where + ": no rule id (action.code with system " + RULE_SYSTEM + ")");
		}
		Set<String> hooks = new LinkedHashSet<>();
		for (TriggerDefinition trigger : action.getTrigger()) {
			if (trigger.getType() == TriggerDefinition.TriggerType.NAMEDEVENT && trigger.hasName()) {
				hooks.add(trigger.getName());
			}
		}
		List<String> conditions = new ArrayList<>();
		for (var condition : action.getCondition()) {
			if (condition.getKind() == PlanDefinition.ActionConditionKind.APPLICABILITY) {
				var expression = condition.getExpression();
				if (!CQL_IDENTIFIER.contains(expression.getLanguage()) || !expression.hasExpression()) {
					throw new InvalidKnowledgeException(
							where + ": a condition must name a CQL define (language text/cql)");
				}
				conditions.add(expression.getExpression());
			}
		}
		if (conditions.isEmpty()) {
			throw new InvalidKnowledgeException(where + ": no applicability condition");
		}
		try {
			Indicator indicator = Indicator.fromPriority(action.hasPriority() ? action.getPriority().toCode() : null);
			List<SuggestionDefinition> suggestions = suggestions(where, action);
			String selectionBehavior = suggestions.isEmpty() ? null : selectionBehavior(where, action);
			return new RuleDefinition(id, RULE_SYSTEM, ruleCode.getDisplay(), hooks, List.copyOf(conditions), indicator,
					text(action, "title"), text(action, "description"), sources(action),
					overrideReasons(action, indicator), suggestions, selectionBehavior);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidKnowledgeException(where + ": " + e.getMessage());
		}
	}

	/**
	 * The card's suggestions: the sub-actions whose {@code definitionCanonical} names an
	 * ActivityDefinition of kind ServiceRequest (CPG-on-FHIR); label from the
	 * sub-action's textEquivalent or title, else the definition's title; description from
	 * the sub-action, else the definition.
	 */
	private List<SuggestionDefinition> suggestions(String where, PlanDefinitionActionComponent action) {
		List<SuggestionDefinition> suggestions = new ArrayList<>();
		for (PlanDefinitionActionComponent sub : action.getAction()) {
			if (!sub.hasDefinitionCanonicalType()) {
				continue;
			}
			String canonical = sub.getDefinitionCanonicalType().getValue();
			ActivityDefinition activity = activitiesByCanonical.get(canonical);
			if (activity == null) {
				throw new InvalidKnowledgeException(where + ": no ActivityDefinition " + canonical);
			}
			if (activity.getKind() != ActivityDefinition.ActivityDefinitionKind.SERVICEREQUEST
					|| !activity.hasIntent()) {
				throw new InvalidKnowledgeException(
						where + ": ActivityDefinition " + canonical + " must be of kind ServiceRequest with an intent");
			}
			StringType label = sub.hasTextEquivalent() ? sub.getTextEquivalentElement()
					: sub.hasTitle() ? sub.getTitleElement() : activity.getTitleElement();
			StringType description = sub.hasDescription() ? sub.getDescriptionElement()
					: activity.getDescriptionElement().hasValue() ? new StringType(activity.getDescription()) : label;
			suggestions.add(new SuggestionDefinition(written(label), written(description), activity));
		}
		return List.copyOf(suggestions);
	}

	/**
	 * CDS Hooks 2.0 offers {@code at-most-one} and {@code any}; a card with suggestions
	 * must say which.
	 */
	private static String selectionBehavior(String where, PlanDefinitionActionComponent action) {
		String behavior = action.hasSelectionBehavior() ? action.getSelectionBehavior().toCode() : null;
		if (!"at-most-one".equals(behavior) && !"any".equals(behavior)) {
			throw new InvalidKnowledgeException(
					where + ": an action with suggestions needs selectionBehavior at-most-one or any");
		}
		return behavior;
	}

	/**
	 * The action's text for a card field: the CQL define its {@code dynamicValue} for
	 * that path names, else the text written in the field.
	 */
	private static CardText text(PlanDefinitionActionComponent action, String path) {
		for (PlanDefinition.PlanDefinitionActionDynamicValueComponent dynamicValue : action.getDynamicValue()) {
			if (path.equals(dynamicValue.getPath()) || ("action." + path).equals(dynamicValue.getPath())) {
				var expression = dynamicValue.getExpression();
				if (!CQL_IDENTIFIER.contains(expression.getLanguage()) || !expression.hasExpression()) {
					throw new IllegalArgumentException("dynamicValue " + path + " must name a CQL define (text/cql)");
				}
				return CardText.of(expression.getExpression());
			}
		}
		return written(path.equals("title") ? action.getTitleElement() : action.getDescriptionElement());
	}

	private static CardText written(StringType text) {
		Map<String, String> translations = new HashMap<>();
		for (Extension translation : text.getExtensionsByUrl(TRANSLATION)) {
			Extension lang = translation.getExtensionByUrl("lang");
			Extension content = translation.getExtensionByUrl("content");
			if (lang != null && content != null) {
				translations.put(lang.getValue().primitiveValue(), content.getValue().primitiveValue());
			}
		}
		return CardText.written(text.getValue(), translations);
	}

	private List<RuleSource> sources(PlanDefinitionActionComponent action) {
		List<RuleSource> sources = new ArrayList<>();
		for (RelatedArtifact artifact : action.getDocumentation()) {
			String canonical = artifact.getResource();
			String label = artifact.hasDisplay() ? artifact.getDisplay() : artifact.getLabel();
			sources
				.add(new RuleSource(label, canonical, canonical == null ? null : locationsByCanonical.get(canonical)));
		}
		return sources;
	}

	/**
	 * The override reasons of warning and critical cards; an info card asks for no
	 * action, so it offers none (CDS Hooks 2.0 §Card Attributes: overrideReasons).
	 */
	private List<OverrideReason> overrideReasons(PlanDefinitionActionComponent action, Indicator indicator) {
		if (indicator == Indicator.INFO) {
			return List.of();
		}
		Map<String, OverrideReason> reasons = new LinkedHashMap<>();
		for (Extension extension : action.getExtensionsByUrl(OVERRIDE_REASONS)) {
			String valueSet = extension.getValue().primitiveValue();
			overrideReasonsByValueSet.getOrDefault(valueSet, List.of())
				.forEach(r -> reasons.putIfAbsent(r.system() + "|" + r.code(), r));
		}
		return List.copyOf(reasons.values());
	}

}
