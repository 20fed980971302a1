package org.critcare.cds.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The documented limits on one request ({@code cds.limits.*}, issue 8 §5): past them a
 * request is refused with 413 before it costs memory, and nothing is stored.
 *
 * @param maxRequestSize the largest request body, on every path
 * @param maxPrefetchEntries the most resources in all prefetch values of one hook call
 * @param maxBundleEntries the most entries of a batch or transaction Bundle
 * @param maxFeedbackEntries the most entries of one feedback request
 */
@ConfigurationProperties("cds.limits")
public record RequestLimits(@DefaultValue("8MB") DataSize maxRequestSize, @DefaultValue("5000") int maxPrefetchEntries,
		@DefaultValue("500") int maxBundleEntries, @DefaultValue("100") int maxFeedbackEntries) {
}
