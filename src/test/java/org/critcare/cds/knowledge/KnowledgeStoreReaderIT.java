package org.critcare.cds.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.critcare.cds.support.CdsServerTest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The knowledge read for a rebuild (issue 14): after the first read, only what changed is
 * read again, and the result is what reading everything would give — a created resource
 * added, an updated one at its new version, a deleted one gone.
 */
@CdsServerTest
class KnowledgeStoreReaderIT {

	private static final String URL = "http://example.org/cds/ValueSet/reader-test";

	@Autowired
	DaoRegistry daos;

	@Autowired
	FhirContext fhirContext;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void aReadAfterChangesReadsOnlyWhatChangedAndFindsWhatReadingEverythingFinds() {
		// a reader of its own: the server's rebuilds share theirs
		KnowledgeStoreReader reader = new KnowledgeStoreReader(daos, fhirContext, jdbc);
		KnowledgeResources first = reader.read();
		// everything, Evidence (which only cards cite) included
		assertThat(reader.readAnew()).isGreaterThan(versions(first).size()).isGreaterThan(50);
		assertThat(reader.read()).satisfies(unchanged -> assertThat(versions(unchanged)).isEqualTo(versions(first)));
		assertThat(reader.readAnew()).isZero();

		ValueSet valueSet = new ValueSet();
		valueSet.setId("reader-test");
		valueSet.setUrl(URL);
		valueSet.setStatus(PublicationStatus.ACTIVE);
		valueSet.setTitle("first");
		daos.getResourceDao(ValueSet.class).update(valueSet, new SystemRequestDetails());
		KnowledgeResources created = reader.read();
		assertThat(reader.readAnew()).isEqualTo(1);
		assertThat(versions(created)).contains("ValueSet/reader-test/_history/1");
		assertThat(created.locationsByCanonical()).containsEntry(URL, "ValueSet/reader-test");
		assertSameAsReadingEverything(created);

		valueSet.setTitle("revised");
		daos.getResourceDao(ValueSet.class).update(valueSet, new SystemRequestDetails());
		CodeSystem codeSystem = new CodeSystem();
		codeSystem.setId("reader-test");
		codeSystem.setUrl("http://example.org/cds/CodeSystem/reader-test");
		codeSystem.setStatus(PublicationStatus.ACTIVE);
		daos.getResourceDao(CodeSystem.class).update(codeSystem, new SystemRequestDetails());
		KnowledgeResources updated = reader.read();
		assertThat(reader.readAnew()).isEqualTo(2);
		assertThat(versions(updated)).contains("CodeSystem/reader-test/_history/1");
		assertThat(updated.valueSets()).filteredOn(v -> v.getIdElement().getIdPart().equals("reader-test"))
			.singleElement()
			.satisfies(v -> assertThat(v.getTitle()).isEqualTo("revised"));
		assertThat(versions(updated)).contains("ValueSet/reader-test/_history/2")
			.doesNotContain("ValueSet/reader-test/_history/1");
		assertSameAsReadingEverything(updated);

		daos.getResourceDao(ValueSet.class).delete(new IdType("ValueSet/reader-test"), new SystemRequestDetails());
		KnowledgeResources deleted = reader.read();
		assertThat(reader.readAnew()).isZero();
		assertThat(versions(deleted)).noneMatch(v -> v.startsWith("ValueSet/reader-test/"));
		assertThat(deleted.locationsByCanonical()).doesNotContainKey(URL);
		assertSameAsReadingEverything(deleted);
		daos.getResourceDao(CodeSystem.class).delete(new IdType("CodeSystem/reader-test"), new SystemRequestDetails());
	}

	private void assertSameAsReadingEverything(KnowledgeResources read) {
		KnowledgeResources everything = new KnowledgeStoreReader(daos, fhirContext, jdbc).read();
		assertThat(versions(read)).isEqualTo(versions(everything));
		assertThat(read.locationsByCanonical()).isEqualTo(everything.locationsByCanonical());
	}

	/** Every resource read, as {@code Type/id/_history/version}, by kind. */
	private static Set<String> versions(KnowledgeResources resources) {
		return Stream
			.of(resources.planDefinitions(), resources.libraries(), resources.valueSets(), resources.codeSystems(),
					resources.activityDefinitions())
			.flatMap(List::stream)
			.map(KnowledgeStoreReaderIT::versioned)
			.collect(Collectors.toSet());
	}

	private static String versioned(IBaseResource resource) {
		return resource.fhirType() + "/" + resource.getIdElement().getIdPart() + "/_history/"
				+ resource.getIdElement().getVersionIdPart();
	}

}
