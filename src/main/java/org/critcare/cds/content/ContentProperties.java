package org.critcare.cds.content;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the knowledge content is loaded from at start-up ({@code cds.content.*}).
 *
 * @param fhirResourcesDir the FHIR JSON knowledge artifacts
 * @param cqlDir the CQL libraries
 * @param canonicalBase the base of canonical URLs given to the CQL Libraries
 * @param examplesDir example patients per service ({@code <dir>/<service>/*.json}, FHIR
 * Bundles), replayed by the start-up warm-up and never stored
 * @param startupLockTimeout how long a node starting on PostgreSQL waits for another node
 * that is loading the content ({@link StartupLock}) before it gives up
 */
@ConfigurationProperties("cds.content")
public record ContentProperties(@DefaultValue("fhir-resources") Path fhirResourcesDir, @DefaultValue("cql") Path cqlDir,
		@DefaultValue("http://example.org/cds/") String canonicalBase, @DefaultValue("examples") Path examplesDir,
		@DefaultValue("10m") Duration startupLockTimeout) {
}
