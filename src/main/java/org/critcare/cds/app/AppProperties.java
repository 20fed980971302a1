package org.critcare.cds.app;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SMART app at {@code /app/} and the rule-fire counts behind its committee view
 * ({@code cds.app.*}).
 *
 * @param fireFlushInterval how often counted fires are written to the database (a crash
 * loses at most this much counting; feedback and FHIR writes are never delayed)
 */
@ConfigurationProperties("cds.app")
public record AppProperties(@DefaultValue("5s") Duration fireFlushInterval) {
}
