package org.critcare.cds.fhir;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the FHIR R4 REST endpoint at {@code /fhir} ({@code cds.fhir.*}).
 *
 * @param defaultPageSize search page size when the client sends no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param serverAddress the public base URL of {@code /fhir}, when the server sits behind
 * a proxy; empty means derived from each request
 * @param reuseCachedSearchResults how long identical searches may be answered from a
 * cached result; zero means every search sees every acknowledged write
 * @param allowRemoteEndpoints whether {@code $apply} and {@code $evaluate} may read the
 * {@code dataEndpoint}, {@code contentEndpoint} and {@code terminologyEndpoint} a client
 * names (off: such a request is refused with 400)
 */
@ConfigurationProperties("cds.fhir")
public record FhirServerProperties(@DefaultValue("50") int defaultPageSize, @DefaultValue("500") int maxPageSize,
		@DefaultValue("") String serverAddress, @DefaultValue("0s") Duration reuseCachedSearchResults,
		@DefaultValue("false") boolean allowRemoteEndpoints) {
}
