package org.critcare.cds.cql;

import ca.uhn.fhir.repository.IRepository;
import jakarta.annotation.Nonnull;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseBackboneElement;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseDatatype;
import org.hl7.fhir.instance.model.api.IBaseParameters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.opencds.cqf.fhir.cql.LibraryEngine;
import org.opencds.cqf.fhir.cr.CrSettings;
import org.opencds.cqf.fhir.cr.plandefinition.PlanDefinitionProcessor;
import org.opencds.cqf.fhir.cr.plandefinition.apply.ApplyRequest;
import org.opencds.cqf.fhir.utility.monad.Either3;

/**
 * clinical-reasoning's {@code PlanDefinition/$apply} with the card-text parameters
 * ({@link ApplyParameters}) added to those the client passes in {@code parameters}: the
 * client's own values win; the language comes from {@code userLanguage} (CPG-on-FHIR),
 * else from the request's {@code Accept-Language}.
 */
final class LocalizedPlanDefinitionProcessor extends PlanDefinitionProcessor {

	private final ApplyParameters applyParameters;

	private final String acceptLanguage;

	LocalizedPlanDefinitionProcessor(IRepository repository, CrSettings settings, ApplyParameters applyParameters,
			String acceptLanguage) {
		super(repository, settings);
		this.applyParameters = applyParameters;
		this.acceptLanguage = acceptLanguage;
	}

	@Override
	protected <C extends IPrimitiveType<String>, R extends IBaseResource> ApplyRequest buildApplyRequest(
			@Nonnull Either3<C, IIdType, R> planDefinition, @Nonnull String subject, String encounter,
			String practitioner, String organization, IBaseDatatype userType, IBaseDatatype userLanguage,
			IBaseDatatype userTaskContext, IBaseDatatype setting, IBaseDatatype settingContext,
			IBaseParameters parameters, IBaseBundle data, List<? extends IBaseBackboneElement> prefetchData,
			LibraryEngine libraryEngine) {
		String language = code(userLanguage);
		Map<String, Object> added = applyParameters.forRequest(language != null ? language : acceptLanguage);
		return super.buildApplyRequest(planDefinition, subject, encounter, practitioner, organization, userType,
				userLanguage, userTaskContext, setting, settingContext, withDefaults(parameters, added), data,
				prefetchData, libraryEngine);
	}

	private static String code(IBaseDatatype userLanguage) {
		if (userLanguage instanceof CodeableConcept concept) {
			return concept.getCoding().stream().map(c -> c.getCode()).filter(c -> c != null).findFirst().orElse(null);
		}
		if (userLanguage instanceof CodeType code) {
			return code.getValue();
		}
		return null;
	}

	private static IBaseParameters withDefaults(IBaseParameters given, Map<String, Object> added) {
		Parameters parameters = given instanceof Parameters p ? p.copy() : new Parameters();
		added.forEach((name, value) -> {
			if (!parameters.hasParameter(name)) {
				if (value instanceof Integer i) {
					parameters.addParameter().setName(name).setValue(new IntegerType(i));
				}
				else {
					parameters.addParameter().setName(name).setValue(new StringType(String.valueOf(value)));
				}
			}
		});
		return parameters;
	}

}
