package org.critcare.cds.content;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every knowledge artifact in {@code fhir-resources/} parses strictly, is filed as
 * {@code <ResourceType>/<ResourceType>-<id>.json}, and validates against FHIR R4 with no
 * error (issue 3).
 */
class KnowledgeArtifactsTests {

	static final Path ROOT = Path.of("fhir-resources");

	static final FhirContext FHIR = FhirContext.forR4Cached();

	static FhirValidator validator;

	@BeforeAll
	static void buildValidator() throws IOException {
		PrePopulatedValidationSupport own = new PrePopulatedValidationSupport(FHIR);
		for (Path file : jsonFiles()) {
			IBaseResource resource = FHIR.newJsonParser().parseResource(Files.readString(file));
			own.addResource(resource);
		}
		ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR), own,
				new InMemoryTerminologyServerValidationSupport(FHIR), new CommonCodeSystemsTerminologyService(FHIR),
				new SnapshotGeneratingValidationSupport(FHIR));
		validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
	}

	@TestFactory
	Stream<DynamicTest> everyArtifactParsesAndValidatesWithoutErrors() throws IOException {
		return jsonFiles().stream()
			.map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> assertValid(file)));
	}

	private static void assertValid(Path file) throws IOException {
		String json = Files.readString(file, StandardCharsets.UTF_8);
		IParser strict = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
		IBaseResource resource = strict.parseResource(json);
		String type = FHIR.getResourceType(resource);
		assertThat(file.getParent().getFileName()).as("folder").hasToString(type);
		assertThat(file.getFileName()).as("file name")
			.hasToString(type + "-" + resource.getIdElement().getIdPart() + ".json");
		List<String> errors = validator.validateWithResult(resource)
			.getMessages()
			.stream()
			.filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
			.map(KnowledgeArtifactsTests::describe)
			.toList();
		assertThat(errors).as("validation errors in %s", file).isEmpty();
	}

	private static String describe(SingleValidationMessage m) {
		return m.getLocationString() + ": " + m.getMessage();
	}

	static List<Path> jsonFiles() throws IOException {
		try (Stream<Path> files = Files.walk(ROOT)) {
			return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
		}
	}

}
