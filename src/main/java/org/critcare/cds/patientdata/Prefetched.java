package org.critcare.cds.patientdata;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * What the client sent for one prefetch key (CDS Hooks §Prefetch): resources (a read's
 * resource or a searchset's entries, with the link to the next page when the client
 * paginated), or {@code null}, meaning it has no such data.
 */
public sealed interface Prefetched {

	/**
	 * The key's resources; {@code nextPage} is the searchset's {@code next} link, or
	 * null.
	 */
	record Resources(List<IBaseResource> resources, String nextPage) implements Prefetched {
	}

	/** The client sent {@code null}: it has no data for the key. */
	record NoData() implements Prefetched {
	}

}
