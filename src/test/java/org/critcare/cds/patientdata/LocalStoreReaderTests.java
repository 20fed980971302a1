package org.critcare.cds.patientdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.util.unit.DataSize;

/**
 * The own store is read whole up to {@code cds.patient-data.max-store-resources}, and a
 * record with more is refused (412), never evaluated on part of it. Only queries all
 * about the call's patient are remembered between calls.
 */
class LocalStoreReaderTests {

	private static final String QUERY = "Observation?patient=p1&code=http://loinc.org|8478-0";

	private final IFhirResourceDao<Observation> observations = mockDao();

	private final StoredRecordCache cache = mock(StoredRecordCache.class);

	private LocalStoreReader reader;

	private final ArgumentCaptor<SearchParameterMap> searches = ArgumentCaptor.forClass(SearchParameterMap.class);

	@BeforeEach
	void reader() {
		DaoRegistry daos = mock(DaoRegistry.class);
		when(daos.getResourceDao("Observation")).thenReturn((IFhirResourceDao) observations);
		MatchUrlService matchUrls = mock(MatchUrlService.class);
		when(matchUrls.translateMatchUrl(any(), any())).thenAnswer(i -> new SearchParameterMap());
		reader = new LocalStoreReader(daos, matchUrls, FhirContext.forR4Cached(),
				new PatientDataProperties(Duration.ofSeconds(5), 20, List.of(), DataSize.ofMegabytes(16), 16, 3, 0),
				cache);
	}

	@Test
	void queriesAllAboutThePatientGoThroughTheRememberedRecordByType() {
		List<String> queries = List.of("Patient/p1", "Observation?patient=p1&code=http://loinc.org|8478-0",
				"Condition?patient=Patient/p1", "Observation?code=x&patient=Patient%2Fp1");
		when(cache.find(eq("p1"), any(), eq(queries), any())).thenReturn(List.of());

		reader.readAll(queries, "p1");

		verify(cache).find(eq("p1"), eq(Set.of("Condition", "Observation")), eq(queries), any());
	}

	@Test
	void queriesThatAreNotAllAboutThePatientAreReadEveryTime() {
		when(observations.search(any(SearchParameterMap.class), any(RequestDetails.class)))
			.thenReturn(new SimpleBundleProvider(List.of(new Observation())));

		// another patient, no patient at all, the patient by another parameter, no
		// patient in the call
		assertThat(reader.readAll(List.of(QUERY, "Observation?patient=p2"), "p1")).hasSize(2);
		assertThat(reader.readAll(List.of("Observation?code=x"), "p1")).hasSize(1);
		assertThat(reader.readAll(List.of("Observation?patient=p1", "Observation?subject=p1"), "p1")).hasSize(2);
		assertThat(reader.readAll(List.of(QUERY), null)).hasSize(1);
		// a search that could find resources not about the patient
		assertThat(reader.readAll(List.of("Observation?patient=p1&_include=Observation:performer"), "p1")).hasSize(1);
		verifyNoInteractions(cache);
	}

	@Test
	void aSearchIsSynchronousAndAsksForOneMoreThanTheBound() {
		List<IBaseResource> found = List.of(new Observation(), new Observation(), new Observation());
		when(observations.search(searches.capture(), any(RequestDetails.class)))
			.thenReturn(new SimpleBundleProvider(found));

		assertThat(reader.read(QUERY)).hasSize(3);
		assertThat(searches.getValue().isLoadSynchronous()).isTrue();
		assertThat(searches.getValue().getCount()).isEqualTo(4);
	}

	@Test
	void moreResourcesThanTheBoundMakeTheDataUnavailable() {
		// HAPI leaves the size of a synchronous search open when it filled its count
		SimpleBundleProvider full = new SimpleBundleProvider(
				List.of(new Observation(), new Observation(), new Observation(), new Observation()));
		full.setSize(null);
		when(observations.search(any(SearchParameterMap.class), any(RequestDetails.class))).thenReturn(full);

		assertThatThrownBy(() -> reader.read(QUERY)).isInstanceOf(DataUnavailableException.class)
			.hasMessage("A search of the patient's record finds more than 3 Observation resources "
					+ "(cds.patient-data.max-store-resources)");
	}

	@SuppressWarnings("unchecked")
	private static IFhirResourceDao<Observation> mockDao() {
		return mock(IFhirResourceDao.class);
	}

}
