package org.critcare.cds.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.List;
import org.critcare.cds.support.CdsServerTest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The key evidence numbers, checked on the resources the content loader stored, read over
 * {@code /fhir} as any FHIR client reads them (issue 3).
 */
@CdsServerTest
class StoredEvidenceNumbersIT extends EvidenceNumbersContract {

	@LocalServerPort
	int port;

	IGenericClient client;

	@BeforeEach
	void connect() {
		client = FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + port + "/fhir");
	}

	@Override
	<T extends IBaseResource> T resource(Class<T> type, String id) {
		return client.read().resource(type).withId(id).execute();
	}

	@Override
	List<String> ids(Class<? extends IBaseResource> type, String prefix) {
		List<String> ids = new ArrayList<>();
		Bundle page = client.search().forResource(type).count(500).returnBundle(Bundle.class).execute();
		page.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
		return ids.stream().filter(id -> id.startsWith(prefix)).toList();
	}

}
