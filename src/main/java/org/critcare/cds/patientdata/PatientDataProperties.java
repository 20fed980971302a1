package org.critcare.cds.patientdata;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service call gets the patient's data ({@code cds.patient-data.*}).
 *
 * @param fhirServerTimeout the longest a call waits for the client's FHIR server, all
 * pages of all queries included; past it the call answers 412
 * @param maxPages the most search pages followed per query
 * @param allowedFhirServers base URLs (prefixes) of FHIR servers the service may read;
 * empty allows any
 */
@ConfigurationProperties("cds.patient-data")
public record PatientDataProperties(@DefaultValue("5s") Duration fhirServerTimeout, @DefaultValue("20") int maxPages,
		@DefaultValue List<String> allowedFhirServers) {
}
