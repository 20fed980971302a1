package org.critcare.cds.patientdata;

import java.time.Duration;
import java.util.List;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a service call gets the patient's data ({@code cds.patient-data.*}).
 *
 * @param fhirServerTimeout the longest a call waits for the client's FHIR server, all
 * pages of all queries included; past it the call answers 412
 * @param maxPages the most search pages followed per query
 * @param allowedFhirServers base URLs (prefixes) of FHIR servers the service may read;
 * empty allows any; compared as parsed URLs (origin and whole path segments)
 * @param maxResponseSize the largest answer of the FHIR server read (larger: 412)
 * @param maxReadsPerServer the most reads of one FHIR server (origin) in flight at once,
 * over all calls; more fail at once with 412, so a slow server cannot hold up others
 * @param maxStoreResources the most resources one query of this server's own store (a
 * call without {@code fhirServer}) may find; a patient with more answers 412 rather than
 * being evaluated on part of the record
 * @param storeCacheResources the most resources of the own store remembered between
 * calls, over all patients ({@link StoredRecordCache}); 0 reads the store on every call
 */
@ConfigurationProperties("cds.patient-data")
public record PatientDataProperties(@DefaultValue("5s") Duration fhirServerTimeout, @DefaultValue("20") int maxPages,
		@DefaultValue List<String> allowedFhirServers, @DefaultValue("16MB") DataSize maxResponseSize,
		@DefaultValue("16") int maxReadsPerServer, @DefaultValue("5000") int maxStoreResources,
		@DefaultValue("20000") int storeCacheResources) {
}
